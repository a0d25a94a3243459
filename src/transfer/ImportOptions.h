#pragma once

#include <QList>
#include <QString>

// How an import reads its file and where each of the file's columns goes: what the import's
// preview (gui/ImportPreviewDialog) lets the user choose, and what CsvImporter then does.
struct ImportOptions
{
    enum class Encoding { Utf8, Latin1, Windows1252 };
    // Where one column of the file lands.
    enum class Target { Ignore, Name, Date };

    // Csv: fields split at delimiter, quotes as in CsvStreamParser. Lines: one name per line,
    // taken verbatim (a text file).
    bool lines = false;
    char delimiter = ',';
    bool header = true; // the first record names the columns and is not imported
    Encoding encoding = Encoding::Utf8;
    // One entry per column of the file. Empty: taken from the header as the importer always did
    // (name, date, id ignored, any other name refused); needs header.
    QList<Target> mapping;
    // Rows whose name is already in the table (compared exactly, NULL equal to NULL) are not written.
    bool skipExisting = false;

    // Why these options cannot import anything ("" when they can): no column goes to name, two
    // go to the same one, a delimiter the parser cannot use.
    QString problem() const;
};
