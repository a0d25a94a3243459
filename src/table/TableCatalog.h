#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"

#include <QString>

// Statements about the table as a whole that the window asks for: counting its rows before a
// drop, dropping it, creating the search index. Each opens a connection of its own and waits on
// the network, so callers run them off the GUI thread (NetworkThreadPool; the window waits for the
// outcome with its event loop running); the window's own connection stays free for its rows.
namespace TableCatalog {

struct Outcome
{
    QString error; // empty on success
    qint64 rows = -1; // countRows() only
    QString text; // lockHolders() only
};

Outcome countRows(const ConnectionSettings& settings, const TableName& table);
// Gives up after a few seconds when another client holds a lock on the table, rather than queue
// an ACCESS EXCLUSIVE request that would stall every other client behind it.
Outcome dropTable(const ConnectionSettings& settings, const TableName& table);
// pg_trgm and a GIN index on name, CREATE INDEX CONCURRENTLY (which cannot run in a transaction).
Outcome createTrigramIndex(const ConnectionSettings& settings, const TableName& table);

// Who holds the lock that backend waits for, as "pid 4242 (psql)", from pg_blocking_pids() on a
// connection of its own; empty text when it waits for nothing.
Outcome lockHolders(const ConnectionSettings& settings, qint64 waitingPid);

} // namespace TableCatalog
