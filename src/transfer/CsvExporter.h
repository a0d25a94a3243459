#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "transfer/CopyTransfer.h"

#include <QString>

// Exports the session's table to a CSV file with a header line (selectList's columns; the
// tutorial's id,name,date when it is empty), with
// COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER) read through libpq and written as it
// arrives, so memory stays the same whatever the table's size.
//
// The file is PostgreSQL's CSV: NULL is an unquoted empty field, the empty string is "", dates
// are the server's text (DateStyle ISO, as the grid shows them), UTF-8 without a byte order
// mark, LF line ends. CsvImporter reads it back to the same values (it ignores the id column).
//
// The file appears only when the export succeeded: it is written to a temporary file beside the
// target and renamed over it at the end (QSaveFile), so a cancelled or failed export leaves
// neither a partial file nor a changed one.
//
// whereClause is SQL built by the caller (NameFilter's, say), put in parentheses after WHERE;
// empty exports every row. orderBy is the caller's SQL after ORDER BY (the grid's sort, say).
// Empty gives the table's physical order, as psql's \copy and pgAdmin export it: on a million
// rows here that is twice as fast as ORDER BY id (an index scan), ~1.0 s against ~2.0 s. Both
// run in a READ ONLY transaction through the extended protocol, which refuses a second
// statement, so a clause cannot write or run anything else.
//
// progress(): done and rows are rows written; total is the server's estimate of the row count
// (pg_class.reltuples for the whole table; the planner's for a filter), 0 when there is none. It
// is an estimate: done may pass it.
class CsvExporter : public CopyTransfer
{
    Q_OBJECT

public:
    CsvExporter(const ConnectionSettings& settings, const QString& filePath, const QString& whereClause = {},
                const QString& orderBy = {}, const QString& selectList = {}, QObject* parent = nullptr);

    // The statement the export runs.
    static QString copyStatement(const TableName& table, const QString& whereClause, const QString& orderBy,
                                 const QString& selectList = {});

private:
    class Job; // the work and its state, shared with the network job (CopyJob); in the .cpp
};
