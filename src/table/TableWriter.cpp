#include "table/TableWriter.h"

#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"
#include "connection/SqlLiteral.h"
#include "connection/StatementControl.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr int deleteBatchSize = 500;

bool execBound(QSqlQuery& query, const QString& statement, const QVariantList& values)
{
    // Literals, not a named PREPARE: see SqlLiteral (poolers).
    return SqlLiteral::exec(query, statement, values);
}

bool sameValue(const QVariant& a, const QVariant& b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull();
    // bytea as its bytes: two invalid UTF-8 sequences are one U+FFFD as text.
    if (a.metaType().id() == QMetaType::QByteArray || b.metaType().id() == QMetaType::QByteArray)
        return a.toByteArray() == b.toByteArray();
    return a.toString() == b.toString();
}

class Transaction
{
public:
    Transaction(const QSqlDatabase& database, const TableWriter::Plan& plan, const StatementControl* control)
        : m_db(database)
        , m_plan(plan)
        , m_control(control)
        , m_key(plan.key())
    {
    }

    TableWriter::Outcome run()
    {
        if (stopped())
            return m_outcome;
        if (!m_db.transaction())
            return failed(QCoreApplication::translate("TableWriter", "Could not start a transaction: %1")
                              .arg(ConnectionError::reasonOf(m_db.lastError())));
        for (const TableWriter::Update& update : m_plan.updates) {
            if (!writeUpdate(update))
                return m_outcome;
        }
        for (int position = 0; position < m_plan.inserts.size(); ++position) {
            if (!writeInsert(m_plan.inserts.at(position), position))
                return m_outcome;
        }
        for (const TableWriter::Delete& remove : m_plan.deletes) {
            if (!writeDelete(remove))
                return m_outcome;
        }
        if (stopped())
            return m_outcome;
        if (!m_db.commit())
            return failed(QCoreApplication::translate("TableWriter", "Committing failed: %1")
                              .arg(ConnectionError::reasonOf(m_db.lastError())));
        return m_outcome;
    }

private:
    QString column(int index) const { return TableName::quoteIdentifier(m_plan.columns.at(index).name); }

    bool stopped()
    {
        if (!m_control || !m_control->isCancelled())
            return false;
        failed(QCoreApplication::translate("TableWriter", "Saving was cancelled."));
        m_outcome.cancelled = true;
        return true;
    }

    TableWriter::Outcome failed(const QString& message)
    {
        m_db.rollback();
        m_outcome.insertedKeys.clear();
        // A statement cancelled on the server reports "canceling statement due to user request".
        m_outcome.cancelled = m_control && m_control->isCancelled();
        m_outcome.error
            = (m_outcome.cancelled ? QCoreApplication::translate("TableWriter", "Saving was cancelled.") : message)
            + u'\n' + QCoreApplication::translate("TableWriter", "Nothing was written; your changes are still staged.");
        return m_outcome;
    }

    bool fail(const QString& message)
    {
        failed(message);
        return false;
    }

    // The plan names each row by its key. Another client may have dropped or redefined the primary
    // key since pgdesk read the table: a statement meant for one row then matches several, and the
    // transaction must not commit.
    bool failMatchedMany(const QString& description, int rows)
    {
        return fail(QCoreApplication::translate("TableWriter",
                                                "Saving %1 stopped: it matched %n rows, so the primary key no longer "
                                                "names one row (another client changed the table).",
                                                nullptr, rows)
                        .arg(description));
    }

    bool writeUpdate(const TableWriter::Update& update)
    {
        QStringList assignments;
        QStringList unchangedSince;
        QVariantList values;
        QVariantList expected;
        for (int i = 0; i < update.columns.size(); ++i) {
            const int index = update.columns.at(i);
            assignments << column(index) + u" = ?"_s;
            values << update.values.at(i);
            if (const auto& original = update.whenRead.at(i)) {
                unchangedSince << m_plan.columns.at(index).compareSql + u" IS NOT DISTINCT FROM ?"_s;
                expected << *original;
            }
        }
        values += m_key.bindValues(update.key);
        values += expected;
        QString statement = u"UPDATE "_s + m_plan.table.sql() + u" SET "_s + assignments.join(u", "_s) + u" WHERE "_s
            + m_key.equalsSql();
        if (!unchangedSince.isEmpty())
            statement += u" AND "_s + unchangedSince.join(u" AND "_s);
        QSqlQuery query(m_db);
        if (!execBound(query, statement, values))
            return fail(QCoreApplication::translate("TableWriter", "Saving %1 failed: %2")
                            .arg(update.description, ConnectionError::reasonOf(query.lastError())));
        if (query.numRowsAffected() > 1)
            return failMatchedMany(update.description, query.numRowsAffected());
        if (query.numRowsAffected() > 0)
            return true;
        QSqlQuery current(m_db);
        if (!execBound(current, readStatement(update.columns), m_key.bindValues(update.key)))
            return fail(QCoreApplication::translate("TableWriter", "Saving %1 failed: %2")
                            .arg(update.description, ConnectionError::reasonOf(current.lastError())));
        if (!current.next())
            return fail(QCoreApplication::translate(
                            "TableWriter", "Saving %1 failed: the row no longer exists (another client deleted it).")
                            .arg(update.description));
        TableWriter::Conflict conflict;
        conflict.key = update.key;
        for (int i = 0; i < update.columns.size(); ++i) {
            conflict.columns << update.columns.at(i);
            conflict.whenRead << update.whenRead.at(i).value_or(QVariant());
            conflict.theirs << current.value(i + 1);
            conflict.mine << update.values.at(i);
        }
        m_outcome.conflict = conflict;
        return fail(QCoreApplication::translate("TableWriter",
                                                "Saving %1 stopped: another client changed it after you read it.")
                        .arg(update.description));
    }

    bool writeInsert(const TableWriter::Insert& insert, int position)
    {
        QStringList names;
        QStringList placeholders;
        for (int index : insert.columns) {
            names << column(index);
            placeholders << u"?"_s;
        }
        // Columns the user left alone are omitted so the server's DEFAULTs apply (id, date).
        const QString statement = names.isEmpty()
            ? QString(u"INSERT INTO "_s + m_plan.table.sql() + u" DEFAULT VALUES RETURNING "_s + m_key.readSql())
            : u"INSERT INTO "_s + m_plan.table.sql() + u" ("_s + names.join(u", "_s) + u") VALUES ("_s
                + placeholders.join(u", "_s) + u") RETURNING "_s + m_key.readSql();
        QSqlQuery query(m_db);
        if (!execBound(query, statement, insert.values) || !query.next())
            return fail(QCoreApplication::translate("TableWriter", "Saving new row %1 failed: %2")
                            .arg(position + 1)
                            .arg(ConnectionError::reasonOf(query.lastError())));
        m_outcome.insertedKeys << RowKey::fromValue(query.value(0));
        return true;
    }

    bool writeDelete(const TableWriter::Delete& remove)
    {
        QStringList unchangedSince;
        QVariantList values = m_key.bindValues(remove.key);
        QList<int> compared;
        for (int i = 0; i < remove.columns.size(); ++i) {
            // Every column as read: compareSql() is exact for every type (see TableColumns).
            const int index = remove.columns.at(i);
            const QString& compare = m_plan.columns.at(index).compareSql;
            if (compare.isEmpty())
                continue;
            unchangedSince << compare + u" IS NOT DISTINCT FROM ?"_s;
            compared << i;
            values << remove.whenRead.at(i);
        }
        QString statement = u"DELETE FROM "_s + m_plan.table.sql() + u" WHERE "_s + m_key.equalsSql();
        if (!unchangedSince.isEmpty())
            statement += u" AND "_s + unchangedSince.join(u" AND "_s);
        QSqlQuery query(m_db);
        if (!execBound(query, statement, values))
            return fail(QCoreApplication::translate("TableWriter", "Deleting %1 failed: %2")
                            .arg(remove.description, ConnectionError::reasonOf(query.lastError())));
        if (query.numRowsAffected() > 1)
            return failMatchedMany(remove.description, query.numRowsAffected());
        if (query.numRowsAffected() > 0)
            return true;
        QList<int> comparedColumns;
        for (int i : std::as_const(compared))
            comparedColumns << remove.columns.at(i);
        QSqlQuery current(m_db);
        if (!execBound(current, readStatement(comparedColumns), m_key.bindValues(remove.key)))
            return fail(QCoreApplication::translate("TableWriter", "Deleting %1 failed: %2")
                            .arg(remove.description, ConnectionError::reasonOf(current.lastError())));
        if (!current.next())
            return true; // another client deleted it already: what the user asked for holds
        TableWriter::Conflict conflict;
        conflict.key = remove.key;
        conflict.deleting = true;
        for (int j = 0; j < compared.size(); ++j) {
            const int i = compared.at(j);
            const QVariant theirs = current.value(j + 1);
            if (sameValue(theirs, remove.whenRead.at(i)))
                continue;
            conflict.columns << remove.columns.at(i);
            conflict.whenRead << remove.whenRead.at(i);
            conflict.theirs << theirs;
        }
        if (conflict.columns.isEmpty()) {
            // The server saw a change the values as read do not show (a type QPSQL reads lossily):
            // name every compared column, so "delete it anyway" takes all of theirs and the next
            // save does not ask again.
            for (int j = 0; j < compared.size(); ++j) {
                conflict.columns << remove.columns.at(compared.at(j));
                conflict.whenRead << remove.whenRead.at(compared.at(j));
                conflict.theirs << current.value(j + 1);
            }
        }
        m_outcome.conflict = conflict;
        return fail(QCoreApplication::translate("TableWriter",
                                                "Deleting %1 stopped: another client changed it after you read it.")
                        .arg(remove.description));
    }

    // The key, then the columns as the window reads them, of one row by key.
    QString readStatement(const QList<int>& columns) const
    {
        QStringList selectList{ m_key.readSql() };
        for (int index : columns)
            selectList << m_plan.columns.at(index).readSql;
        return u"SELECT "_s + selectList.join(u", "_s) + u" FROM "_s + m_plan.table.sql() + u" WHERE "_s
            + m_key.equalsSql();
    }

    QSqlDatabase m_db;
    const TableWriter::Plan& m_plan;
    const StatementControl* m_control;
    // Read as the window reads it (readSql()), so that a new row's key names it exactly (a text key
    // starting with U+FEFF, a numeric key, a composite key).
    KeyColumns m_key;
    TableWriter::Outcome m_outcome;
};

} // namespace

KeyColumns TableWriter::Plan::key() const
{
    QStringList columnsSql;
    for (int column : keyColumns) {
        if (column < 0 || column >= columns.size())
            return {};
        columnsSql << TableName::quoteIdentifier(columns.at(column).name);
    }
    return KeyColumns(columnsSql, keyColumns.size() == 1 ? columns.at(keyColumns.constFirst()).readSql : QString());
}

TableWriter::Outcome TableWriter::write(const QSqlDatabase& database, const Plan& plan, const StatementControl* control)
{
    if (plan.key().isEmpty()) {
        Outcome outcome;
        outcome.error = QCoreApplication::translate(
            "TableWriter", "The table has no primary key pgdesk can use, so rows cannot be saved.");
        return outcome;
    }
    return Transaction(database, plan, control).run();
}

namespace {
// Opens a session of its own for one job, lets the control see it, and closes it after.
TableWriter::Outcome onOwnSession(const ConnectionSettings& settings, const std::shared_ptr<StatementControl>& control,
                                  const std::function<TableWriter::Outcome(const QSqlDatabase&)>& job)
{
    DatabaseSession session;
    if (!session.open(settings)) {
        TableWriter::Outcome outcome;
        outcome.error = session.lastError().fullText();
        return outcome;
    }
    if (control)
        control->attach(session);
    TableWriter::Outcome outcome = job(session.database());
    if (control)
        control->detach();
    return outcome;
}
} // namespace

TableWriter::Outcome TableWriter::save(const ConnectionSettings& settings, const Plan& plan,
                                       const std::shared_ptr<StatementControl>& control)
{
    Outcome outcome = onOwnSession(settings, control,
                                   [&](const QSqlDatabase& database) { return write(database, plan, control.get()); });
    if (!outcome.succeeded()
        && !outcome.error.endsWith(
            QCoreApplication::translate("TableWriter", "Nothing was written; your changes are still staged.")))
        outcome.error += u'\n'
            + QCoreApplication::translate("TableWriter", "Nothing was written; your changes are still staged.");
    return outcome;
}

TableWriter::Outcome TableWriter::deleteNow(const ConnectionSettings& settings, const TableName& table,
                                            const KeyColumns& key, const QList<RowKey>& keys,
                                            const std::shared_ptr<StatementControl>& control)
{
    return onOwnSession(settings, control, [&](const QSqlDatabase& connection) {
        Outcome outcome;
        QSqlDatabase database = connection;
        auto fail = [&](const QString& message) {
            database.rollback();
            outcome.cancelled = control && control->isCancelled();
            outcome.error
                = outcome.cancelled ? QCoreApplication::translate("TableWriter", "Deleting was cancelled.") : message;
            return outcome;
        };
        if (control && control->isCancelled())
            return fail(QString());
        if (!database.transaction())
            return fail(ConnectionError::reasonOf(database.lastError()));
        for (qsizetype start = 0; start < keys.size(); start += deleteBatchSize) {
            const QList<RowKey> batch = keys.mid(start, deleteBatchSize);
            QSqlQuery remove(database);
            if (!execBound(remove,
                           u"DELETE FROM "_s + table.sql() + u" WHERE "_s + key.inSql(batch) + u" RETURNING ("_s
                               + key.readSql() + u")::text"_s,
                           {}))
                return fail(ConnectionError::reasonOf(remove.lastError()));
            // As in a save: a key that matched two rows no longer names one (even when another key
            // matched none, so that the count alone looks right).
            QSet<QString> deletedKeys;
            bool keyMatchedTwice = false;
            while (remove.next() && !keyMatchedTwice) {
                const QString deleted = remove.value(0).toString();
                keyMatchedTwice = deletedKeys.contains(deleted);
                deletedKeys.insert(deleted);
            }
            if (keyMatchedTwice)
                return fail(QCoreApplication::translate("TableWriter",
                                                        "Deleting stopped: the rows picked matched %n rows, so the "
                                                        "primary key no longer names one row (another client changed "
                                                        "the table). Nothing was deleted.",
                                                        nullptr, remove.numRowsAffected()));
        }
        if (!database.commit())
            return fail(ConnectionError::reasonOf(database.lastError()));
        return outcome;
    });
}
