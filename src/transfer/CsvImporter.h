#pragma once

#include "config/ConnectionSettings.h"
#include "transfer/CopyTransfer.h"
#include "transfer/ImportOptions.h"

#include <QString>

// Imports rows from a file into the session's table in ONE transaction, with
// COPY <table> (<columns>) FROM STDIN fed through libpq, reading the file in chunks so memory
// stays the same whatever its length. Cancelled or failed means nothing was written.
//
// Without a mapping (the Format constructor), the tutorial's rules (see CsvStreamParser for the
// exact file format):
//   - CSV: the first line names the columns: name, and optionally date (id is accepted and
//     ignored, so a file pgdesk exported imports again; the server numbers the new rows). Any
//     other name is refused before anything is sent. Every line has as many fields as the header.
//     An unquoted empty field is NULL, a quoted one ("") the empty string, as in PostgreSQL's CSV
//     COPY. A NULL date fails on the tutorial's table (date is NOT NULL): leave the column out to
//     get the server's current_timestamp.
//   - Text: one name per line, taken exactly as written; there is no NULL.
//   - Both: UTF-8 with or without a byte order mark, CRLF or LF; empty lines are skipped.
// A malformed line stops the import with a message that names the line; so does a value the
// server refuses (a date it cannot read), mapped back from the server's COPY line to the file's.
//
// With ImportOptions (what the import's preview chose, for any table) the delimiter, the header
// line, the encoding and which file column fills which table column are given instead. The COPY's
// column list is always pgdesk's text: the tutorial's names, or the catalog's names the preview
// offered (ImportTable), each quoted; never the file's. The server converts each value to its
// column's type and refuses what it cannot read, on its line.
// skipExisting COPYs into a temporary table of the table's own column types first and then inserts
// only the rows whose matchColumns (name, or the key) the table does not hold yet (compared as
// those types, NULL equal to NULL), still in the one transaction; the message then says how many
// rows were skipped. Rows repeated inside the file are all written (a repeated key then fails).
//
// progress(): done and total are bytes of the file read and its size; rows, rows read so far.
class CsvImporter : public CopyTransfer
{
    Q_OBJECT

public:
    enum class Format {
        Auto, // Csv for a name ending in .csv (any case), else Text
        Csv,
        Text,
    };

    CsvImporter(const ConnectionSettings& settings, const QString& filePath, Format format = Format::Auto,
                QObject* parent = nullptr);

    CsvImporter(const ConnectionSettings& settings, const QString& filePath, const ImportOptions& options,
                QObject* parent = nullptr);

    static Format formatForPath(const QString& filePath);

private:
    class Job; // the work and its state, shared with the network job (CopyJob); in the .cpp
};
