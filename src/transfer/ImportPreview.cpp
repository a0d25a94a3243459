#include "transfer/ImportPreview.h"

#include "transfer/ImportFileReader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace {
class Texts
{
    Q_DECLARE_TR_FUNCTIONS(ImportPreview)
};

constexpr qint64 chunkSize = 64 * 1024;
// A preview of a file whose first lines are huge stops here and shows what it has.
constexpr qint64 previewReadLimit = 8 * 1024 * 1024;

QString cannotRead(const QString& filePath, const QFile& file)
{
    return Texts::tr("Cannot read %1: %2.").arg(QDir::toNativeSeparators(filePath), file.errorString());
}

// Counts records as CsvImporter takes them: the header is not a row, and every row has as many
// fields as the first record.
class RowCounter
{
public:
    explicit RowCounter(const ImportOptions& options)
        : m_options(options)
    {
    }

    // false: the record is wrong (error()), or the caller wants no more.
    bool take(const CsvStreamParser::Record& record)
    {
        if (m_expected < 0) {
            m_expected = m_options.lines ? 1 : record.size();
            if (m_options.header) {
                if (!m_options.lines)
                    m_headerNames = ImportFileReader::headerNames(record);
                return true;
            }
        }
        if (record.size() != m_expected) {
            m_error = ImportFileReader::fieldCountMessage(record.line(), record.size(), m_expected, m_headerNames,
                                                          m_options.delimiter);
            return false;
        }
        ++m_rows;
        return true;
    }

    qint64 rows() const { return m_rows; }
    int expected() const { return m_expected; }
    QStringList headerNames() const { return m_headerNames; }
    QString error() const { return m_error; }

private:
    const ImportOptions& m_options;
    int m_expected = -1;
    qint64 m_rows = 0;
    QStringList m_headerNames;
    QString m_error;
};
} // namespace

ImportPreview ImportPreview::read(const QString& filePath, const ImportOptions& options, int maxRows)
{
    ImportPreview preview;
    preview.error = options.readingProblem();
    if (!preview.error.isEmpty())
        return preview;
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        preview.error = cannotRead(filePath, file);
        return preview;
    }
    preview.fileSize = file.size();
    RowCounter counter(options);
    bool full = false;
    ImportFileReader reader(options, [&](const CsvStreamParser::Record& record) {
        if (!counter.take(record))
            return false;
        if (counter.rows() > 0 && counter.rows() > preview.rows.size()) {
            if (preview.rows.size() == maxRows) {
                full = true; // one row more than shown: the file goes on
                return false;
            }
            QList<Field> fields;
            // Roughly the row's bytes in the file (quotes left out), for the estimate.
            preview.bytesForRows += record.size();
            for (int field = 0; field < record.size(); ++field) {
                preview.bytesForRows += record.field(field).size();
                if (record.isNull(field))
                    fields << std::nullopt;
                else
                    fields << QString::fromUtf8(record.field(field));
            }
            preview.rows << fields;
        }
        return true;
    });
    QByteArray chunk(chunkSize, Qt::Uninitialized);
    qint64 bytesRead = 0;
    for (;;) {
        const qint64 size = bytesRead >= previewReadLimit ? 0 : file.read(chunk.data(), chunk.size());
        if (size < 0) {
            preview.error = cannotRead(filePath, file);
            return preview;
        }
        const bool atEnd = size == 0;
        const bool goOn = atEnd ? (bytesRead >= previewReadLimit || reader.finish())
                                : reader.feed(QByteArrayView(chunk.constData(), size));
        bytesRead += size;
        if (!goOn) {
            if (reader.hasError())
                preview.error = reader.errorMessage();
            else if (!full)
                preview.error = counter.error();
            break;
        }
        if (atEnd) {
            preview.wholeFile = bytesRead < previewReadLimit;
            break;
        }
    }
    preview.columnCount = std::max(counter.expected(), 0);
    preview.headerNames = counter.headerNames();
    if (preview.error.isEmpty() && preview.columnCount == 0)
        preview.error = Texts::tr("The file is empty.");
    return preview;
}

ImportPreview::Count ImportPreview::count(const QString& filePath, const ImportOptions& options,
                                          const std::atomic<bool>& cancel)
{
    Count count;
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        count.error = cannotRead(filePath, file);
        return count;
    }
    RowCounter counter(options);
    ImportFileReader reader(options, [&](const CsvStreamParser::Record& record) { return counter.take(record); });
    QByteArray chunk(4 * chunkSize, Qt::Uninitialized);
    for (;;) {
        if (cancel.load()) {
            count.cancelled = true;
            return count;
        }
        const qint64 size = file.read(chunk.data(), chunk.size());
        if (size < 0) {
            count.error = cannotRead(filePath, file);
            return count;
        }
        const bool atEnd = size == 0;
        if (!(atEnd ? reader.finish() : reader.feed(QByteArrayView(chunk.constData(), size)))) {
            count.error = reader.hasError() ? reader.errorMessage() : counter.error();
            return count;
        }
        if (atEnd)
            break;
    }
    count.rows = counter.rows();
    return count;
}
