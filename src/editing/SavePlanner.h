#pragma once

#include "editing/StagedEdits.h"
#include "table/TableWriter.h"

#include <QStringList>

#include <functional>

// Turns the staged edits into the plan TableWriter writes, and says beforehand when a staged value
// cannot be stored at all. Pure: no connection, no model; the model gives it the table's columns
// and a way to name a row in messages.
namespace SavePlanner {

struct Table
{
    TableName table;
    QList<int> keyColumns; // the primary key's, in the key's order
    QList<TableWriter::Column> columns;
    QStringList titles; // the columns' headers, for messages
    std::function<QString(const RowKey&)> describeRow; // "the row with id 7 (name "bob")"
};

// Why a staged value cannot be stored as it is (a NUL, a broken character), naming the cell; empty
// when every value can.
QString unstorableText(const StagedEdits& staged, const Table& table);

// Updates by key, then inserts in the grid's order, then deletes by key; each update and delete
// carries what the user read, so the writer can tell whether another client changed the row since.
TableWriter::Plan plan(const StagedEdits& staged, const Table& table);

// "Keep mine" after a conflict: what the other client wrote becomes what the user read, so the
// next save overwrites it (or, for a row marked for deletion, deletes the row as it is now).
void keepMine(StagedEdits& staged, const TableWriter::Conflict& conflict);

} // namespace SavePlanner
