#include "transfer/CsvExporter.h"

#include "connection/DateTimeText.h"
#include "transfer/CopyJob.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <libpq-fe.h>

#include <string>

using namespace Qt::StringLiterals;

namespace {
// Rows arrive one per PQgetCopyData() call; they are gathered into blocks this big before each
// write, so the file sees few large writes and memory stays flat.
constexpr size_t writeThreshold = 1024 * 1024;
constexpr qint64 rowsBetweenProgressChecks = 1024;

QString asSentence(QString text)
{
    if (!text.endsWith(u'.'))
        text += u'.';
    return text;
}
} // namespace

class CsvExporter::Job final : public CopyJob
{
    Q_DECLARE_TR_FUNCTIONS(CsvExporter)

public:
    Job(const ConnectionSettings& settings, const QString& filePath, const QString& whereClause, const QString& orderBy,
        const QString& selectList)
        : CopyJob(settings)
        , m_filePath(filePath)
        , m_whereClause(whereClause)
        , m_orderBy(orderBy)
        , m_selectList(selectList)
    {
    }

protected:
    Outcome execute() override;

private:
    qint64 estimateRows();
    Outcome fail(const QString& reason);

    QString m_filePath;
    QString m_whereClause;
    QString m_orderBy;
    QString m_selectList;
    bool m_transactionOpen = false;
};

CsvExporter::CsvExporter(const ConnectionSettings& settings, const QString& filePath, const QString& whereClause,
                         const QString& orderBy, const QString& selectList, QObject* parent)
    : CopyTransfer(std::make_shared<Job>(settings, filePath, whereClause, orderBy, selectList), parent)
{
}

QString CsvExporter::copyStatement(const TableName& table, const QString& whereClause, const QString& orderBy,
                                   const QString& selectList)
{
    // date as text: exactly what psql (DateStyle ISO) and the grid show, to the microsecond, in no
    // client's zone, whatever DateStyle the session has (DateTimeText).
    const QString columns = selectList.trimmed().isEmpty()
        ? u"\"id\", \"name\", "_s + DateTimeText::isoSql(u"\"date\""_s) + u" AS \"date\""_s
        : selectList;
    QString select = u"SELECT "_s + columns + u" FROM "_s + table.sql();
    if (!whereClause.trimmed().isEmpty())
        select += u" WHERE ("_s + whereClause + u')';
    if (!orderBy.trimmed().isEmpty())
        select += u" ORDER BY "_s + orderBy;
    return u"COPY ("_s + select + u") TO STDOUT WITH (FORMAT csv, HEADER)"_s;
}

qint64 CsvExporter::Job::estimateRows()
{
    const QByteArray tableSql = table().sql().toUtf8();
    if (m_whereClause.trimmed().isEmpty()) {
        // reltuples: free, and what the window shows as "about N rows". -1 until the table was
        // first vacuumed or analyzed; then the planner's guess below is the better one.
        const char* values[] = { tableSql.constData() };
        PGresult* result
            = PQexecParams(connection(), "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", 1,
                           nullptr, values, nullptr, nullptr, 0);
        qint64 estimate = -1;
        if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1)
            estimate = QByteArray(PQgetvalue(result, 0, 0)).toLongLong();
        PQclear(result);
        if (estimate >= 0)
            return estimate;
    }
    QByteArray sql = "EXPLAIN (FORMAT JSON) SELECT 1 FROM " + tableSql;
    if (!m_whereClause.trimmed().isEmpty())
        sql += " WHERE (" + m_whereClause.toUtf8() + ')';
    PGresult* result = PQexecParams(connection(), sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    qint64 estimate = 0; // unknown: the dialog shows a busy bar; a bad clause fails in the COPY itself
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
        const QJsonDocument plan = QJsonDocument::fromJson(QByteArray(PQgetvalue(result, 0, 0)));
        estimate = static_cast<qint64>(
            plan.array().at(0).toObject().value(u"Plan"_s).toObject().value(u"Plan Rows"_s).toDouble());
    }
    PQclear(result);
    return estimate;
}

CopyJob::Outcome CsvExporter::Job::fail(const QString& reason)
{
    if (m_transactionOpen && connection())
        command("ROLLBACK", nullptr);
    m_transactionOpen = false;
    Outcome outcome;
    outcome.message = isCancelRequested() ? tr("Export cancelled: no file was written.")
                                          : reason + u' ' + tr("No file was written.");
    return outcome;
}

CopyJob::Outcome CsvExporter::Job::execute()
{
    const QString shownPath = QDir::toNativeSeparators(m_filePath);
    // Until commit() the rows go to a temporary file beside the target; returning without it
    // deletes that file and leaves the target as it was.
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return fail(tr("Cannot write %1: %2.").arg(shownPath, file.errorString()));
    QString error;
    if (!openConnection(&error))
        return fail(error);
    const qint64 total = estimateRows();
    reportProgress(0, total, 0, true);
    if (isCancelRequested())
        return fail({});
    if (!command("BEGIN TRANSACTION READ ONLY", &error))
        return fail(asSentence(tr("The server refused the export: %1").arg(error)));
    m_transactionOpen = true;

    const QByteArray sql = copyStatement(table(), m_whereClause, m_orderBy, m_selectList).toUtf8();
    // PQexecParams, not PQexec: the extended protocol runs exactly one statement.
    PGresult* result = PQexecParams(connection(), sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_COPY_OUT) {
        error = errorText(result);
        PQclear(result);
        return fail(asSentence(tr("The server refused the export: %1").arg(error)));
    }
    PQclear(result);

    std::string buffer;
    buffer.reserve(writeThreshold + 64 * 1024);
    qint64 messages = 0; // the header, then one per row
    bool stopping = false; // cancelled or the file failed: read the rest of the COPY and drop it
    QString writeError;
    for (;;) {
        char* data = nullptr;
        const int size = PQgetCopyData(connection(), &data, 0);
        if (size < 0)
            break; // -1: the COPY ended (its result follows); -2: the link broke
        if (!stopping)
            buffer.append(data, static_cast<size_t>(size));
        PQfreemem(data);
        ++messages;
        if (!stopping && buffer.size() >= writeThreshold) {
            if (file.write(buffer.data(), static_cast<qint64>(buffer.size())) != static_cast<qint64>(buffer.size()))
                writeError = tr("Writing %1 failed: %2.").arg(shownPath, file.errorString());
            buffer.clear();
        }
        if (messages % rowsBetweenProgressChecks == 0) {
            if (!stopping && (isCancelRequested() || !writeError.isEmpty())) {
                // The GUI thread's cancel() has already asked the server to stop; asking again
                // covers a cancel() that came before the COPY had started, which the server ignored.
                stopping = true;
                cancelOnServer();
            }
            if (!stopping)
                reportProgress(messages - 1, total, messages - 1);
        }
    }
    result = PQgetResult(connection());
    const bool copied = PQresultStatus(result) == PGRES_COMMAND_OK;
    const QString copyError = copied ? QString() : errorText(result);
    const qint64 rows = copied ? QByteArray(PQcmdTuples(result)).toLongLong() : 0;
    PQclear(result);
    while (PGresult* extra = PQgetResult(connection()))
        PQclear(extra);

    if (isCancelRequested())
        return fail({});
    if (!writeError.isEmpty())
        return fail(writeError);
    if (!copied)
        return fail(asSentence(tr("The server stopped the export: %1").arg(copyError)));
    if (file.write(buffer.data(), static_cast<qint64>(buffer.size())) != static_cast<qint64>(buffer.size()))
        return fail(tr("Writing %1 failed: %2.").arg(shownPath, file.errorString()));
    command("COMMIT", nullptr); // read only: nothing to keep, it only ends the transaction
    m_transactionOpen = false;
    reportProgress(rows, total, rows, true);
    // A cancel that arrives now still wins: the file has not replaced anything yet.
    if (isCancelRequested())
        return fail({});
    if (!file.commit())
        return fail(tr("Writing %1 failed: %2.").arg(shownPath, file.errorString()));

    Outcome outcome;
    outcome.ok = true;
    outcome.rows = rows;
    const QString fileName = QFileInfo(m_filePath).fileName();
    outcome.message = rows == 1 ? tr("Exported 1 row to %1.").arg(fileName)
                                : tr("Exported %L1 rows to %2.").arg(rows).arg(fileName);
    return outcome;
}
