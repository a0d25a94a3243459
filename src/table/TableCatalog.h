#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

// Statements about the table as a whole that the window asks for: counting its rows before a
// drop, dropping it, creating the search index, the live view's trigger and notifications. Each opens a connection of
// its own and waits on the network (columnTraits() excepted, below), so callers run them off the GUI thread
// (NetworkThreadPool; the window waits for the outcome with its event loop running); the window's own connection stays
// free for its rows.
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
// The tutorial's table, as DatabaseSession::ensureTable() creates it (nothing when it exists).
Outcome createTable(const ConnectionSettings& settings);
// pg_trgm and a GIN index on the column, CREATE INDEX CONCURRENTLY (which cannot run in a
// transaction).
Outcome createTrigramIndex(const ConnectionSettings& settings, const TableName& table, const QString& column);

// Who holds the lock that backend waits for, as "pid 4242 (psql)", from pg_blocking_pids() on a
// connection of its own; empty text when it waits for nothing.
Outcome lockHolders(const ConnectionSettings& settings, qint64 waitingPid);

// For each name (a null QVariant: NULL), whether the table has a row with exactly that name, NULL
// matching NULL, as the import's "skip existing" compares them; for the import's preview, which
// asks about the few rows it shows. Empty with outcome.error set on a failure.
QList<bool> namesPresent(const ConnectionSettings& settings, const TableName& table, const QVariantList& names,
                         Outcome* outcome);

// What the model needs to know of the columns beyond QSqlRecord, in one catalog read on the given
// connection (the window's, at bind: pg_attribute and pg_type only, which no lock on the table
// holds up).
struct ColumnTraits
{
    // Whether the catalog answered: without it a key that is not an integer cannot be read exactly
    // (a numeric would come as a double), so TableColumns does not page or edit by it.
    bool read = false;
    // QPSQL leaves QSqlField::defaultValue() empty: the columns that have a default.
    QStringList withDefault;
    // The text columns whose values may start with U+FEFF (TableColumns::exactReadSql() guards them):
    // only a UTF8 database holds that character, and elsewhere chr(65279) would fail every statement.
    // char(n) is left out: the guard's concatenation casts it to text, which drops its padding, and
    // the CASE's result loses the declared length.
    QStringList textWithBomGuard;
    // text, varchar, char(n), name and other string types: a save compares them as themselves.
    QStringList text;
    // numeric (or a domain over it): QPSQL reads it as a double, which cannot hold its digits, so
    // TableColumns reads it as text.
    QStringList numeric;
    // Each column's type as SQL declares it, modifier included ("numeric(40,20)", "bit(5)",
    // "character(3)[]", a domain's or an enum's own name): what a value read as text is cast back
    // to. Without the modifier a cast would truncate: "bit" and "character" mean bit(1) and char(1).
    QHash<QString, QString> typeSql;
    // Types with no order (json, point, xml, box, arrays of them): ORDER BY on them is an error.
    QStringList unsortable;
    // text and varchar (or domains over them): what a gin_trgm_ops index serves for ILIKE. It
    // cannot be built on char(n) or name, and on citext ILIKE is citext's own operator, which the
    // index does not serve.
    QStringList trigramIndexable;
    // GENERATED ALWAYS AS (...) STORED and GENERATED ALWAYS AS IDENTITY: the server refuses any
    // value but DEFAULT for them, so they are read-only in the grid and left out of inserts.
    QStringList generated;
    // An enum column's labels, in the enum's order (a domain over an enum too).
    QHash<QString, QStringList> enumLabels;
};
ColumnTraits columnTraits(const QSqlDatabase& database, const TableName& table);

// What the live view needs to know of the table, in one read on a connection of its own: the
// channel its notifications use (named by the table's OID: stable, short, the same for every
// client), whether pgdesk's change trigger is on it, and whether the session's role owns it (only
// an owner may add the trigger).
struct LiveTraits
{
    QString error; // empty on success
    QString channel;
    // Installed and firing: a trigger disabled (ALTER TABLE ... DISABLE TRIGGER, or ENABLE REPLICA,
    // which fires only on a logical replica) announces nothing, so the view polls.
    bool triggerInstalled = false;
    bool ownsTable = false;
};
LiveTraits liveTraits(const ConnectionSettings& settings, const TableName& table);
// The statement-level trigger that NOTIFYs the table's channel once per writing statement, however
// many rows it touches; one there but disabled is replaced. CREATE TRIGGER waits for other clients' locks on the table:
// it gives up after a few seconds rather than queue ahead of every other client.
Outcome installChangeTrigger(const ConnectionSettings& settings, const TableName& table);
// NOTIFY on the channel after pgdesk committed a write, so other pgdesk windows follow even
// without the trigger.
Outcome notifyChange(const ConnectionSettings& settings, const QString& channel);

} // namespace TableCatalog
