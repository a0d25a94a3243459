#include "transfer/CsvImporter.h"

#include "config/TableName.h"
#include "transfer/CopyJob.h"
#include "transfer/CsvStreamParser.h"
#include "transfer/ImportFileReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <libpq-fe.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
// Big enough that a read and a send cost little per row, small enough that memory stays flat and
// that cancel is noticed within a few milliseconds.
constexpr qint64 readChunkSize = 256 * 1024;
constexpr size_t sendThreshold = 256 * 1024;
constexpr qsizetype longestQuotedHeader = 60;

// COPY's text format: tab between fields, a newline after each row, \N for NULL, and a backslash
// before the four bytes that would otherwise be read as structure. Every other byte, UTF-8
// included, is passed as it is, so no value is decoded or re-encoded on the way.
void appendCopyField(std::string& out, QByteArrayView field, bool null)
{
    if (null) {
        out += "\\N";
        return;
    }
    const char* run = field.data();
    const char* const end = field.data() + field.size();
    for (const char* p = run; p < end; ++p) {
        char escaped = 0;
        switch (*p) {
        case '\\':
            escaped = '\\';
            break;
        case '\t':
            escaped = 't';
            break;
        case '\n':
            escaped = 'n';
            break;
        case '\r':
            escaped = 'r';
            break;
        default:
            continue;
        }
        out.append(run, static_cast<size_t>(p - run));
        out.push_back('\\');
        out.push_back(escaped);
        run = p + 1;
    }
    out.append(run, static_cast<size_t>(end - run));
}

QString quotedForMessage(const QString& text)
{
    return u'"' + (text.size() > longestQuotedHeader ? text.left(longestQuotedHeader) + u'…' : text) + u'"';
}

QString asSentence(QString text)
{
    if (!text.endsWith(u'.'))
        text += u'.';
    return text;
}

// Drains what libpq still holds for the last statement, so the connection can take the next one.
void discardResults(PGconn* connection)
{
    while (PGresult* result = PQgetResult(connection)) {
        const ExecStatusType status = PQresultStatus(result);
        PQclear(result);
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH)
            break; // cannot happen after the COPY ended; never loop on it
    }
}
} // namespace

class CsvImporter::Job final : public CopyJob
{
    Q_DECLARE_TR_FUNCTIONS(CsvImporter)

public:
    Job(const ConnectionSettings& settings, const QString& filePath, const ImportOptions& options)
        : CopyJob(settings)
        , m_filePath(filePath)
        , m_options(options)
    {
    }

protected:
    Outcome execute() override;

private:
    bool takeRecord(const CsvStreamParser::Record& record);
    bool acceptHeader(const CsvStreamParser::Record& record);
    bool acceptMapping(const CsvStreamParser::Record& record);
    bool checkMatchColumns(qint64 line);
    QByteArray columnList(const QByteArray& qualifier) const;
    bool startCopy(QString* error);
    qint64 insertNewRows(QString* error);
    bool sendBuffered(QString* error);
    Outcome abandon(const QString& reason);
    void endCopy();
    qint64 fileLineOfCopyLine(qint64 copyLine) const;
    QString serverError(const pg_result* result) const;

    QString m_filePath;
    ImportOptions m_options;
    QByteArray m_copyTarget; // the table the COPY fills: the session's, or the skip's temporary one

    int m_fieldCount = 1; // fields per record, from the header (1 for text)
    // The table columns the COPY fills, in its column list's order, and the record field of each.
    QStringList m_columns;
    QList<int> m_fields;
    QStringList m_headerNames;
    bool m_headerRead = false;
    bool m_copyStarted = false;
    bool m_transactionOpen = false;

    std::string m_buffer; // COPY text rows waiting to be sent
    qint64 m_rowsRead = 0;
    QString m_recordError; // why the record handler stopped the parser

    // The file line of COPY row r is r + shift, with shift the one of the last entry whose row is
    // <= r. An entry is added only where the shift changes (the header, an empty line, a quoted
    // field spanning lines), so this stays small for ordinary files.
    std::vector<std::pair<qint64, qint64>> m_lineShifts;
};

namespace {
ImportOptions optionsForFormat(const QString& filePath, CsvImporter::Format format)
{
    ImportOptions options;
    options.lines = (format == CsvImporter::Format::Auto ? CsvImporter::formatForPath(filePath) : format)
        == CsvImporter::Format::Text;
    options.header = !options.lines;
    return options;
}
} // namespace

CsvImporter::CsvImporter(const ConnectionSettings& settings, const QString& filePath, Format format, QObject* parent)
    : CopyTransfer(std::make_shared<Job>(settings, filePath, optionsForFormat(filePath, format)), parent)
{
}

CsvImporter::CsvImporter(const ConnectionSettings& settings, const QString& filePath, const ImportOptions& options,
                         QObject* parent)
    : CopyTransfer(std::make_shared<Job>(settings, filePath, options), parent)
{
}

CsvImporter::Format CsvImporter::formatForPath(const QString& filePath)
{
    return QFileInfo(filePath).suffix().compare(u"csv"_s, Qt::CaseInsensitive) == 0 ? Format::Csv : Format::Text;
}

bool CsvImporter::Job::acceptHeader(const CsvStreamParser::Record& record)
{
    m_fieldCount = record.size();
    m_columns.clear();
    m_fields.clear();
    m_headerNames.clear();
    for (int field = 0; field < record.size(); ++field) {
        const QString name = QString::fromUtf8(record.field(field)).trimmed();
        m_headerNames << name;
        const QString key = name.toLower();
        if (key == u"id")
            continue; // the server numbers new rows; see the class comment
        if (key != u"name" && key != u"date") {
            // Refused here, so the file's text can never reach the COPY's column list.
            m_recordError = (name.isEmpty()
                                 ? tr("Line %1: column %2 of the header has no name.").arg(record.line()).arg(field + 1)
                                 : tr("Line %1: the header names the column %2, which pgdesk does not "
                                      "import.")
                                       .arg(record.line())
                                       .arg(quotedForMessage(name)))
                + u' '
                + tr("A CSV file starts with a line naming its columns: name, and optionally date (id is "
                     "ignored). A file of names without such a line imports as text.");
            return false;
        }
        if (m_columns.contains(key)) {
            m_recordError = tr("Line %1: the header names the column %2 twice.").arg(record.line()).arg(key);
            return false;
        }
        m_columns << key;
        m_fields << field;
    }
    if (!m_columns.contains(u"name"_s)) {
        m_recordError = tr("Line %1: the header does not name the column name. A CSV file starts with a line naming "
                           "its columns: name, and optionally date (id is ignored). A file of names without such a "
                           "line imports as text.")
                            .arg(record.line());
        return false;
    }
    if (!checkMatchColumns(record.line()))
        return false;
    m_headerRead = true;
    return true;
}

// A skip compares columns the COPY fills; the options' problem() says so for a mapping, and this
// for the tutorial's header, which decides the columns only now.
bool CsvImporter::Job::checkMatchColumns(qint64 line)
{
    if (!m_options.skipExisting)
        return true;
    for (const QString& column : std::as_const(m_options.matchColumns)) {
        if (!m_columns.contains(column)) {
            m_recordError
                = tr("Line %1: to skip rows already in the table, the file needs the column %2.").arg(line).arg(column);
            return false;
        }
    }
    return !m_options.matchColumns.isEmpty();
}

// The columns come from the options: the first record fixes how many fields each has, and is
// the header (not imported) when the options say so.
bool CsvImporter::Job::acceptMapping(const CsvStreamParser::Record& record)
{
    m_fieldCount = record.size();
    if (m_options.mapping.size() != m_fieldCount) {
        m_recordError = tr("Line %1 has %2 fields, but %3 columns were mapped. Open the file again to map its "
                           "columns.")
                            .arg(record.line())
                            .arg(m_fieldCount)
                            .arg(m_options.mapping.size());
        return false;
    }
    m_columns.clear();
    m_fields.clear();
    for (int field = 0; field < m_fieldCount; ++field) {
        if (!m_options.mapping.at(field).isEmpty()) {
            m_columns << m_options.mapping.at(field);
            m_fields << field;
        }
    }
    if (m_options.header)
        m_headerNames = ImportFileReader::headerNames(record);
    m_headerRead = true;
    return true;
}

bool CsvImporter::Job::takeRecord(const CsvStreamParser::Record& record)
{
    if (!m_headerRead) {
        if (m_options.lines) {
            m_headerRead = true; // a text file's first line, marked as a header: not a name
            return true;
        }
        if (m_options.mapping.isEmpty())
            return acceptHeader(record);
        if (!acceptMapping(record))
            return false;
        if (m_options.header)
            return true;
    }
    if (record.size() != m_fieldCount) {
        m_recordError = ImportFileReader::fieldCountMessage(record.line(), record.size(), m_fieldCount, m_headerNames,
                                                            m_options.delimiter);
        return false;
    }
    ++m_rowsRead;
    const qint64 shift = record.line() - m_rowsRead;
    if (m_lineShifts.empty() || m_lineShifts.back().second != shift)
        m_lineShifts.emplace_back(m_rowsRead, shift);
    for (qsizetype i = 0; i < m_fields.size(); ++i) {
        if (i > 0)
            m_buffer.push_back('\t');
        appendCopyField(m_buffer, record.field(m_fields.at(i)), record.isNull(m_fields.at(i)));
    }
    m_buffer.push_back('\n');
    return true;
}

qint64 CsvImporter::Job::fileLineOfCopyLine(qint64 copyLine) const
{
    const auto after
        = std::upper_bound(m_lineShifts.begin(), m_lineShifts.end(), copyLine,
                           [](qint64 row, const std::pair<qint64, qint64>& entry) { return row < entry.first; });
    if (after == m_lineShifts.begin())
        return copyLine;
    return copyLine + std::prev(after)->second;
}

QString CsvImporter::Job::serverError(const pg_result* result) const
{
    const QString message = errorText(result);
    // The server names the row it refused in the context, "COPY my_table, line 3, column date:
    // ...", counting the rows it was sent; the prefix is matched whole so that a table or value
    // containing ", line " cannot mislead.
    const char* context = result ? PQresultErrorField(result, PG_DIAG_CONTEXT) : nullptr;
    const QString prefix = u"COPY "_s + QString::fromUtf8(m_copyTarget) + u", line "_s;
    const QString contextText = context ? QString::fromUtf8(context) : QString();
    if (contextText.startsWith(prefix)) {
        qsizetype end = prefix.size();
        while (end < contextText.size() && contextText.at(end).isDigit())
            ++end;
        bool ok = false;
        const qint64 copyLine = contextText.mid(prefix.size(), end - prefix.size()).toLongLong(&ok);
        if (ok)
            return asSentence(tr("Line %1: %2").arg(fileLineOfCopyLine(copyLine)).arg(message));
    }
    return asSentence(tr("The server refused the import: %1").arg(message));
}

QByteArray CsvImporter::Job::columnList(const QByteArray& qualifier) const
{
    QByteArray columns;
    for (const QString& column : m_columns) {
        if (!columns.isEmpty())
            columns += ", ";
        columns += qualifier + TableName::quoteIdentifier(column).toUtf8();
    }
    return columns;
}

bool CsvImporter::Job::startCopy(QString* error)
{
    if (!openConnection(error))
        return false;
    if (!command("BEGIN", error))
        return false;
    m_transactionOpen = true;
    // The column lists are pgdesk's own text; only the table name comes from the settings, and
    // TableName::sql() quotes it.
    const QByteArray tableSql = table().sql().toUtf8();
    m_copyTarget = table().name().toUtf8();
    if (m_options.skipExisting) {
        // The rows wait in a temporary table that takes the table's own column types (so a date
        // the server cannot read still fails in the COPY, on its line), numbered in file order.
        m_copyTarget = "pgdesk_import_staging";
        const QByteArray create = "CREATE TEMPORARY TABLE pgdesk_import_staging ON COMMIT DROP AS SELECT "
            + columnList({}) + " FROM " + tableSql + " WITH NO DATA";
        QString reason;
        if (!command(create.constData(), &reason)
            || !command(
                "ALTER TABLE pgdesk_import_staging ADD COLUMN pgdesk_import_order bigint GENERATED ALWAYS AS IDENTITY",
                &reason)) {
            *error = asSentence(tr("The server refused the import: %1").arg(reason));
            return false;
        }
    }
    const QByteArray sql
        = "COPY " + (m_options.skipExisting ? m_copyTarget : tableSql) + " (" + columnList({}) + ") FROM STDIN";
    // PQexecParams, not PQexec: the extended protocol runs exactly one statement.
    PGresult* result = PQexecParams(connection(), sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_COPY_IN;
    if (!ok)
        *error = asSentence(tr("The server refused the import: %1").arg(errorText(result)));
    PQclear(result);
    m_copyStarted = ok;
    return ok;
}

// The skip's second step: from the temporary table, the rows whose match columns (name, or the
// key) the table does not hold yet, in file order. Compared as the table's types, by IS NOT
// DISTINCT FROM, so a NULL counts as present when the table has one. Returns the rows written, or
// -1 with *error.
qint64 CsvImporter::Job::insertNewRows(QString* error)
{
    const QByteArray tableSql = table().sql().toUtf8();
    QByteArray same;
    for (qsizetype i = 0; i < m_options.matchColumns.size(); ++i) {
        const QByteArray quoted = TableName::quoteIdentifier(m_options.matchColumns.at(i)).toUtf8();
        const QByteArray asText = m_options.matchTypes.value(i).isEmpty() ? "::text" : "";
        if (!same.isEmpty())
            same += " AND ";
        same += "t." + quoted + asText + " IS NOT DISTINCT FROM s." + quoted + asText;
    }
    const QByteArray sql = "INSERT INTO " + tableSql + " (" + columnList({}) + ") SELECT " + columnList("s.")
        + " FROM pgdesk_import_staging s WHERE NOT EXISTS (SELECT 1 FROM " + tableSql + " t WHERE " + same
        + ") ORDER BY s.pgdesk_import_order";
    PGresult* result = PQexecParams(connection(), sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const qint64 rows = ok ? QByteArray(PQcmdTuples(result)).toLongLong() : -1;
    if (!ok)
        *error = asSentence(tr("The server refused the import: %1").arg(errorText(result)));
    PQclear(result);
    return rows;
}

bool CsvImporter::Job::sendBuffered(QString* error)
{
    if (m_buffer.empty())
        return true;
    if (PQputCopyData(connection(), m_buffer.data(), static_cast<int>(m_buffer.size())) != 1) {
        // The server refused a row (libpq left COPY mode on its error) or the link broke.
        m_copyStarted = false;
        PGresult* result = PQgetResult(connection());
        *error = serverError(result);
        PQclear(result);
        discardResults(connection());
        return false;
    }
    m_buffer.clear(); // keeps its capacity
    return true;
}

void CsvImporter::Job::endCopy()
{
    if (!m_copyStarted)
        return;
    m_copyStarted = false;
    // With an error message the server ends the COPY with an error: nothing of it is kept.
    PQputCopyEnd(connection(), "the import was abandoned");
    discardResults(connection());
}

CopyJob::Outcome CsvImporter::Job::abandon(const QString& reason)
{
    endCopy();
    if (m_transactionOpen && connection())
        command("ROLLBACK", nullptr);
    m_transactionOpen = false;
    Outcome outcome;
    outcome.message = isCancelRequested() ? tr("Import cancelled: nothing was written.")
                                          : reason + u' ' + tr("Nothing was imported.");
    return outcome;
}

CopyJob::Outcome CsvImporter::Job::execute()
{
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly))
        return abandon(tr("Cannot read %1: %2.").arg(QDir::toNativeSeparators(m_filePath), file.errorString()));
    const qint64 fileSize = file.size();
    const QString optionsProblem = m_options.problem();
    if (!optionsProblem.isEmpty())
        return abandon(optionsProblem);
    m_headerRead = m_options.lines && !m_options.header;
    if (m_options.lines) {
        m_columns = m_options.targetColumns();
        m_fields = { 0 };
    }
    m_buffer.reserve(sendThreshold + readChunkSize);
    ImportFileReader parser(m_options, [this](const CsvStreamParser::Record& record) { return takeRecord(record); });

    QByteArray chunk(readChunkSize, Qt::Uninitialized);
    qint64 bytesRead = 0;
    reportProgress(0, fileSize, 0, true);
    for (;;) {
        if (isCancelRequested())
            return abandon({});
        const qint64 size = file.read(chunk.data(), chunk.size());
        if (size < 0)
            return abandon(tr("Reading %1 failed: %2.").arg(QDir::toNativeSeparators(m_filePath), file.errorString()));
        const bool atEnd = size == 0;
        const bool parsed = atEnd ? parser.finish() : parser.feed(QByteArrayView(chunk.constData(), size));
        if (!parsed)
            return abandon(parser.hasError() ? parser.errorMessage() : m_recordError);
        bytesRead += size;
        if (atEnd && !m_headerRead && m_options.lines)
            return abandon(tr("The file is empty."));
        if (atEnd && !m_headerRead)
            return abandon(tr("The file is empty. A CSV file starts with a line naming its columns: name, and "
                              "optionally date."));
        // The server is contacted once the first chunk has been checked, so a file that is not what
        // it claims to be fails before any connection.
        QString error;
        if (m_headerRead && !m_copyStarted && !startCopy(&error))
            return abandon(error);
        if ((atEnd || m_buffer.size() >= sendThreshold) && !sendBuffered(&error))
            return abandon(error);
        reportProgress(bytesRead, fileSize, m_rowsRead, atEnd);
        if (atEnd)
            break;
    }

    if (isCancelRequested())
        return abandon({});
    if (PQputCopyEnd(connection(), nullptr) != 1) {
        m_copyStarted = false;
        return abandon(asSentence(tr("The connection failed: %1").arg(errorText(nullptr))));
    }
    m_copyStarted = false;
    PGresult* result = PQgetResult(connection());
    const bool copied = PQresultStatus(result) == PGRES_COMMAND_OK;
    const QString copyError = copied ? QString() : serverError(result);
    const qint64 copiedRows = copied ? QByteArray(PQcmdTuples(result)).toLongLong() : 0;
    PQclear(result);
    discardResults(connection());
    if (!copied)
        return abandon(copyError);
    qint64 rows = copiedRows;
    if (m_options.skipExisting) {
        if (isCancelRequested())
            return abandon({});
        QString error;
        rows = insertNewRows(&error);
        if (rows < 0)
            return abandon(error);
    }
    const qint64 skipped = copiedRows - rows;
    // The last moment a cancel still means "nothing written".
    if (isCancelRequested())
        return abandon({});
    QString error;
    if (!command("COMMIT", &error))
        return abandon(asSentence(tr("Saving the import failed: %1").arg(error)));
    m_transactionOpen = false;

    Outcome outcome;
    outcome.ok = true;
    outcome.rows = rows;
    const QString fileName = QFileInfo(m_filePath).fileName();
    outcome.message = rows == 1 ? tr("Imported 1 row from %1.").arg(fileName)
                                : tr("Imported %L1 rows from %2.").arg(rows).arg(fileName);
    if (m_options.skipExisting)
        outcome.message += u' '
            + (skipped == 1 ? tr("Skipped 1 row whose %1 was already in the table.")
                                  .arg(ImportOptions::columnsText(m_options.matchColumns))
                            : tr("Skipped %L1 rows whose %2 was already in the table.")
                                  .arg(skipped)
                                  .arg(ImportOptions::columnsText(m_options.matchColumns)));
    return outcome;
}
