#pragma once

#include "transfer/ImportOptions.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

// What the import's preview shows of a file, read the way CsvImporter will read it (the same
// parser, encoding and header rule): the first rows' fields, and the number of rows the whole file
// holds. Both read the file from disk in chunks, without a connection; they block, so the preview
// dialog runs them off the GUI thread. Neither looks at options.mapping.
struct ImportPreview
{
    using Field = std::optional<QString>; // nullopt: NULL (an unquoted empty CSV field)

    QStringList headerNames; // the first line's fields when options.header
    int columnCount = 0; // fields per row (0: nothing read yet)
    QList<QList<Field>> rows; // the first rows as they will be imported, file fields in file order
    bool wholeFile = false; // rows holds every row of the file
    qint64 fileSize = 0;
    qint64 bytesForRows = 0; // bytes read to get rows, for an estimate of the whole
    QString error; // why the file cannot be imported with these options, found in what was read

    static ImportPreview read(const QString& filePath, const ImportOptions& options, int maxRows);

    struct Count
    {
        qint64 rows = 0;
        bool cancelled = false;
        QString error; // as CsvImporter would stop on it
    };
    // Reads the whole file; checks cancel between chunks.
    static Count count(const QString& filePath, const ImportOptions& options, const std::atomic<bool>& cancel);
};
