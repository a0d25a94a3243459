#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "table/KeyColumns.h"
#include "table/RowKey.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <memory>
#include <optional>

class StatementControl;

// Writes a set of staged changes to the table in one transaction: updates that check the row
// still holds what the user read, inserts that let the server's defaults apply and return the
// new keys, and deletes that check the same. The plan is plain data copied from the model, so
// save() can run on a NetworkThreadPool thread, on a connection of its own, while the window
// stays usable; nothing here touches the model.
class TableWriter
{
public:
    struct Column
    {
        QString name;
        QString readSql; // how the window reads the column exactly (timestamps as text, see TableColumns)
        QString compareSql; // what equals the value as read, unless another client changed it
    };
    struct Update
    {
        RowKey key;
        QString description; // "the row with id 7 (name "bob")", for messages
        QList<int> columns;
        QVariantList values;
        QList<std::optional<QVariant>> whenRead; // per column; nullopt when never read (not checked)
    };
    struct Insert
    {
        QList<int> columns; // columns left out take the server's DEFAULT
        QVariantList values;
    };
    struct Delete
    {
        RowKey key;
        QString description;
        QList<int> columns;
        QVariantList whenRead;
    };
    struct Plan
    {
        TableName table;
        QList<Column> columns;
        QList<int> keyColumns; // the primary key's, in the key's order
        // The key as SQL, its columns unqualified (the one a single key is read through included).
        KeyColumns key() const;
        QList<Update> updates;
        QList<Insert> inserts;
        QList<Delete> deletes;
    };
    // Another client changed (or, for an update, deleted) a row after the user read it.
    struct Conflict
    {
        RowKey key;
        bool deleting = false; // the row is marked for deletion (mine is empty then)
        QList<int> columns;
        QVariantList whenRead;
        QVariantList theirs;
        QVariantList mine;
    };
    struct Outcome
    {
        QString error; // empty when everything was committed
        std::optional<Conflict> conflict;
        QList<RowKey> insertedKeys; // in the order of plan.inserts
        bool cancelled = false;
        bool succeeded() const { return error.isEmpty(); }
    };

    // Opens a connection of its own, writes the plan and closes it. Waits on the network: run it
    // off the GUI thread. control (optional) lets the waiting window cancel and name the backend.
    static Outcome save(const ConnectionSettings& settings, const Plan& plan,
                        const std::shared_ptr<StatementControl>& control = {});
    // Deletes rows by key at once, in one transaction, with no check of what they hold: the
    // "delete immediately" setting, which the user confirmed for these rows.
    static Outcome deleteNow(const ConnectionSettings& settings, const TableName& table, const KeyColumns& key,
                             const QList<RowKey>& keys, const std::shared_ptr<StatementControl>& control = {});
    // Writes the plan on an open connection of the calling thread.
    static Outcome write(const QSqlDatabase& database, const Plan& plan, const StatementControl* control = nullptr);
};
