#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// How an import reads its file and where each of the file's columns goes: what the import's
// preview (gui/ImportPreviewDialog) lets the user choose, and what CsvImporter then does. The
// column names come from the table's catalog (ImportTable), never from the file.
struct ImportOptions
{
    enum class Encoding { Utf8, Latin1, Windows1252 };

    // Csv: fields split at delimiter, quotes as in CsvStreamParser. Lines: one value per line,
    // taken verbatim (a text file), into lineColumn.
    bool lines = false;
    char delimiter = ',';
    bool header = true; // the first record names the columns and is not imported
    Encoding encoding = Encoding::Utf8;
    // One entry per column of the file: the table column it fills, "" when it is ignored. Empty:
    // taken from the header as the tutorial's importer always did (name, date, id ignored, any
    // other name refused); needs header.
    QStringList mapping;
    QString lineColumn = QStringLiteral("name");
    // Rows whose matchColumns hold values the table has in a row already (NULL equal to NULL) are
    // not written. Each compares as the type matchTypes names (the column's own: a uuid in capitals
    // is the same uuid), or as its text where that is "" (a text name: exactly, case and trailing
    // spaces counting, as the preview's check of the rows it shows compares it too).
    bool skipExisting = false;
    QStringList matchColumns = { QStringLiteral("name") };
    QStringList matchTypes = { QString() };

    // Why these options cannot import anything ("" when they can): no column goes to the table,
    // two go to the same one, a skip whose columns the file does not fill, a delimiter the parser
    // cannot use.
    QString problem() const;
    // Only what stops the file from being read (the delimiter): the preview reads the file with
    // that before any column is mapped.
    QString readingProblem() const;
    // The table columns the file fills, in the order of the file's fields ({lineColumn} for lines).
    QStringList targetColumns() const;
    // Columns as a message names them: name, or (tenant, id).
    static QString columnsText(const QStringList& columns);
};
