#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"

#include <QList>
#include <QString>

// The tables and views of the database that the role may read, for File ▸ Open table: each with
// the planner's row estimate (pg_class.reltuples, read in microseconds at any size; never
// count(*)) and whether it has a primary key, without which pgdesk opens it read-only. System
// schemas are left out. Opens a connection of its own and waits on the network: run it off the
// GUI thread (NetworkThreadPool).
class TableList
{
public:
    enum class Kind { Table, PartitionedTable, View, MaterializedView, ForeignTable };
    struct Entry
    {
        TableName table;
        Kind kind = Kind::Table;
        qint64 estimatedRows = -1; // -1: never analyzed, or a view
        bool hasPrimaryKey = false;
    };
    struct Outcome
    {
        QString error; // empty on success
        QList<Entry> entries; // by schema, then name
        bool succeeded() const { return error.isEmpty(); }
    };

    static Outcome read(const ConnectionSettings& settings);
    // The statement read() runs.
    static QString statement();
};
