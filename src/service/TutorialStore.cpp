#include "service/TutorialStore.h"

#include "table/NameFilter.h"

#include "config/Utf8Text.h"
#include "connection/DatabaseSession.h"
#include "connection/DateTimeText.h"
#include "connection/SqlLiteral.h"

#include <QLoggingCategory>
#include <QObject>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTutorialStore, "pgdesk.store")

namespace {
constexpr auto undefinedTable = "42P01"_L1; // SQLSTATE undefined_table
constexpr auto readOnlyTransaction = "25006"_L1; // SQLSTATE read_only_sql_transaction
constexpr auto undefinedColumn = "42703"_L1; // SQLSTATE undefined_column

// Which of the tutorial's columns the table lacks ("name, date"), asked only once a statement
// has failed on a missing column: the server's own message is in the server's language.
QString missingTutorialColumns(const QSqlDatabase& database, const TableName& table)
{
    QSqlQuery query(database);
    if (!SqlLiteral::exec(query,
                          u"SELECT string_agg(c, ', ' ORDER BY o) FROM unnest(ARRAY['id', 'name', 'date']) "
                          "WITH ORDINALITY AS t(c, o) WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a "
                          "WHERE a.attrelid = ?::regclass AND a.attname = c AND a.attnum > 0 "
                          "AND NOT a.attisdropped)"_s,
                          { table.sql() })
        || !query.next())
        return {};
    return query.value(0).toString();
}

QString selectedColumns()
{
    // The name as its UTF-8 bytes: QPSQL decodes text with QString::fromUtf8(), which drops a
    // leading U+FEFF, so "\ufeffbob" would be read back as "bob".
    // The date as ISO text whatever the session's DateStyle (a pooler may hand out any).
    return u"\"id\", convert_to(\"name\"::text, 'UTF8'), "_s + DateTimeText::isoSql(u"\"date\""_s);
}

// QPSQL sends a null QString as SQL NULL; an empty name from the command line is '' as in the tutorial.
QVariant storableText(const QString& text)
{
    return text.isNull() ? QVariant(QString::fromUtf8("")) : QVariant(text);
}

bool execute(QSqlQuery& query, const QString& statement, const QVariantList& values, QSqlError* error)
{
    // Literals, not a named PREPARE: see SqlLiteral (poolers).
    if (!SqlLiteral::exec(query, statement, values)) {
        *error = query.lastError();
        return false;
    }
    return true;
}

QList<TutorialRow> readRows(QSqlQuery& query)
{
    QList<TutorialRow> rows;
    while (query.next()) {
        TutorialRow row;
        row.id = query.value(0).toLongLong();
        const QVariant name = query.value(1);
        row.name = name.isNull() ? QVariant() : QVariant(Utf8Text::decode(name.toByteArray()));
        row.date = query.value(2).toString();
        rows << row;
    }
    return rows;
}
} // namespace

TutorialStore::TutorialStore(DatabaseSession& session)
    : m_session(session)
{
}

QString TutorialStore::likePatternContaining(const QString& fragment)
{
    // The window's search box escapes the same way; one rule for both.
    return u'%' + NameFilter::escapeLikePattern(fragment) + u'%';
}

bool TutorialStore::fail(Error::Kind kind, const QString& message, const QString& details)
{
    m_lastError = Error{ kind, message, details };
    return false;
}

bool TutorialStore::writable(const QString& what)
{
    // Known at connect: say why rather than send a write the server refuses with its own words.
    const QString reason = m_session.isOpen() ? m_session.serverInfo().readOnlyReason() : QString();
    if (reason.isEmpty())
        return true;
    return fail(Error::Kind::ReadOnly,
                QObject::tr("Could not %1 %2. %3").arg(what, m_session.tableName().display(), reason), {});
}

bool TutorialStore::storable(const QStringList& texts)
{
    for (const QString& text : texts) {
        if (text.contains(QChar(0))) {
            return fail(Error::Kind::InvalidInput,
                        QObject::tr("A name cannot contain a NUL character: PostgreSQL text cannot store one."), {});
        }
    }
    return true;
}

bool TutorialStore::reconnect()
{
    // A session whose last open() failed has no connection to reopen: open it afresh. Otherwise
    // reopen the same named connection, so every QSqlDatabase copy sees the new link and the
    // session's reconnected() listeners restore what a reopen loses.
    const bool reopened = m_session.isOpen() ? m_session.reconnect() : m_session.open(m_session.settings());
    if (!reopened) {
        const ConnectionError& error = m_session.lastError();
        return fail(Error::Kind::Unreachable, error.message(), error.details());
    }
    qCInfo(lcTutorialStore, "Reconnected to the database.");
    return true;
}

bool TutorialStore::run(const QString& what, const Attempt& attempt, MissingTable missingTable)
{
    bool reconnected = false;
    bool createdTable = false;
    for (;;) {
        if (!m_session.isOpen() || m_session.isLost()) {
            if (reconnected)
                return fail(Error::Kind::Unreachable, QObject::tr("The database server cannot be reached."), {});
            if (!reconnect())
                return false;
            reconnected = true;
        }
        QSqlError error;
        {
            QSqlDatabase database = m_session.database();
            if (attempt(database, &error)) {
                m_lastError = Error();
                return true;
            }
        }
        if (!m_session.ping()) {
            if (reconnected) {
                return fail(Error::Kind::Unreachable, QObject::tr("The database server cannot be reached."),
                            error.databaseText());
            }
            if (!reconnect())
                return false;
            reconnected = true;
            continue;
        }
        if (missingTable == MissingTable::Create && !createdTable && error.nativeErrorCode() == undefinedTable) {
            createdTable = true;
            // Two clients that find the table missing at once both create it, and PostgreSQL's
            // CREATE TABLE IF NOT EXISTS can then fail for one of them (a duplicate key in
            // pg_type): the table is there all the same, made by the other.
            if (!m_session.ensureTable() && !m_session.tableExists()) {
                return fail(Error::Kind::Database, m_session.lastError().message(), m_session.lastError().details());
            }
            continue;
        }
        if (error.nativeErrorCode() == readOnlyTransaction) {
            // Read-only since the connection was opened (a role changed, a primary demoted).
            return fail(Error::Kind::ReadOnly,
                        QObject::tr("Could not %1 %2: the server accepts no changes on this connection (it is a "
                                    "read-only replica, or transactions are read-only for this role).")
                            .arg(what, m_session.tableName().display()),
                        error.databaseText());
        }
        if (error.nativeErrorCode() == undefinedColumn) {
            const QString missing = missingTutorialColumns(m_session.database(), m_session.tableName());
            if (!missing.isEmpty()) {
                return fail(Error::Kind::Database,
                            QObject::tr("Could not %1 %2: the command line and the HTTP API work on the tutorial's "
                                        "columns (id, name, date), and %2 has no %3. The window opens any table "
                                        "with a primary key.")
                                .arg(what, m_session.tableName().display(), missing),
                            error.databaseText().trimmed());
            }
        }
        return fail(Error::Kind::Database, QObject::tr("Could not %1 %2.").arg(what, m_session.tableName().display()),
                    error.databaseText().trimmed());
    }
}

bool TutorialStore::ensureTable()
{
    if (m_session.isOpen() && m_session.ensureTable())
        return true;
    if (!m_session.isOpen() || !m_session.ping()) {
        if (!reconnect())
            return false;
        if (m_session.ensureTable())
            return true;
    }
    return fail(Error::Kind::Database, m_session.lastError().message(), m_session.lastError().details());
}

std::optional<QList<TutorialRow>> TutorialStore::add(const QStringList& names)
{
    if (!writable(QObject::tr("add to")) || !storable(names))
        return std::nullopt;
    const QString statement
        = u"INSERT INTO "_s + m_session.tableName().sql() + u" (\"name\") VALUES (?) RETURNING "_s + selectedColumns();
    QList<TutorialRow> added;
    const auto insertAll = [&](QSqlDatabase& database, QSqlError* error) {
        added.clear();
        // One name is one statement, as in the tutorial; several go in or fail together.
        const bool inTransaction = names.size() > 1;
        if (inTransaction && !database.transaction()) {
            *error = database.lastError();
            return false;
        }
        const auto abandon = [&](const QSqlError& why) {
            *error = why;
            if (inTransaction)
                database.rollback();
            return false;
        };
        QSqlQuery query(database);
        query.setForwardOnly(true);
        for (const QString& name : names) {
            if (!SqlLiteral::exec(query, statement, { storableText(name) }))
                return abandon(query.lastError());
            added << readRows(query);
        }
        query.finish();
        if (inTransaction && !database.commit())
            return abandon(database.lastError());
        return true;
    };
    if (!run(QObject::tr("add to"), insertAll, MissingTable::Create))
        return std::nullopt;
    return added;
}

std::optional<QList<TutorialRow>> TutorialStore::select(const QString& condition, const QVariantList& values)
{
    QString statement = u"SELECT "_s + selectedColumns() + u" FROM "_s + m_session.tableName().sql();
    if (!condition.isEmpty())
        statement += u" WHERE "_s + condition;
    statement += u" ORDER BY \"id\""_s;
    QList<TutorialRow> rows;
    const auto selectRows = [&](QSqlDatabase& database, QSqlError* error) {
        QSqlQuery query(database);
        query.setForwardOnly(true);
        if (!execute(query, statement, values, error))
            return false;
        rows = readRows(query);
        if (query.lastError().isValid()) {
            *error = query.lastError();
            return false;
        }
        return true;
    };
    if (!run(QObject::tr("read"), selectRows, MissingTable::Create))
        return std::nullopt;
    return rows;
}

std::optional<QList<TutorialRow>> TutorialStore::readAll()
{
    return select({}, {});
}

std::optional<QList<TutorialRow>> TutorialStore::readNamed(const QString& name)
{
    if (!storable({ name }))
        return std::nullopt;
    return select(u"\"name\" = ?"_s, { storableText(name) });
}

std::optional<QList<TutorialRow>> TutorialStore::readContaining(const QString& fragment)
{
    if (!storable({ fragment }))
        return std::nullopt;
    return select(u"\"name\" ILIKE ? ESCAPE '!'"_s, { likePatternContaining(fragment) });
}

std::optional<int> TutorialStore::remove(const QString& name)
{
    if (!writable(QObject::tr("delete from")) || !storable({ name }))
        return std::nullopt;
    const QString statement = u"DELETE FROM "_s + m_session.tableName().sql() + u" WHERE \"name\" = ?"_s;
    int deleted = 0;
    const auto deleteRows = [&](QSqlDatabase& database, QSqlError* error) {
        QSqlQuery query(database);
        if (!execute(query, statement, { storableText(name) }, error)) {
            // Nothing to delete from: the rows asked for are gone either way.
            deleted = 0;
            return error->nativeErrorCode() == undefinedTable;
        }
        deleted = query.numRowsAffected();
        return true;
    };
    if (!run(QObject::tr("delete from"), deleteRows, MissingTable::IsAnError))
        return std::nullopt;
    return deleted;
}

std::optional<bool> TutorialStore::tableExists()
{
    bool exists = false;
    const auto lookUp = [&](QSqlDatabase& database, QSqlError* error) {
        QSqlQuery query(database);
        if (!execute(query, u"SELECT to_regclass(?) IS NOT NULL"_s, { m_session.tableName().sql() }, error))
            return false;
        if (!query.next()) {
            *error = query.lastError();
            return false;
        }
        exists = query.value(0).toBool();
        return true;
    };
    if (!run(QObject::tr("look up"), lookUp, MissingTable::IsAnError))
        return std::nullopt;
    return exists;
}

std::optional<qint64> TutorialStore::rowCount()
{
    qint64 count = 0;
    const auto countRows = [&](QSqlDatabase& database, QSqlError* error) {
        QSqlQuery query(database);
        if (!execute(query, u"SELECT count(*) FROM "_s + m_session.tableName().sql(), {}, error))
            return false;
        if (!query.next()) {
            *error = query.lastError();
            return false;
        }
        count = query.value(0).toLongLong();
        return true;
    };
    if (!run(QObject::tr("count the rows of"), countRows, MissingTable::IsAnError))
        return std::nullopt;
    return count;
}

std::optional<bool> TutorialStore::drop()
{
    if (!writable(QObject::tr("drop")))
        return std::nullopt;
    const std::optional<bool> existed = tableExists();
    if (!existed || !*existed)
        return existed;
    const QString statement = u"DROP TABLE IF EXISTS "_s + m_session.tableName().sql();
    const auto dropTable = [&](QSqlDatabase& database, QSqlError* error) {
        QSqlQuery query(database);
        if (!query.exec(statement)) {
            *error = query.lastError();
            return false;
        }
        return true;
    };
    if (!run(QObject::tr("drop"), dropTable, MissingTable::IsAnError))
        return std::nullopt;
    return *existed;
}
