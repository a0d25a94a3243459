#include "table/TableCatalog.h"

#include "config/Utf8Text.h"
#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"
#include "connection/SqlLiteral.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {
// Runs the statements in order on a fresh session; the first failure is the outcome's error.
// The last statement's first value, when it returns one, is the outcome's row count.
TableCatalog::Outcome runOnOwnSession(const ConnectionSettings& settings, const QStringList& statements)
{
    TableCatalog::Outcome outcome;
    DatabaseSession session;
    if (!session.open(settings)) {
        outcome.error = session.lastError().fullText();
        return outcome;
    }
    QSqlQuery query(session.database());
    query.setForwardOnly(true);
    for (const QString& statement : statements) {
        if (!query.exec(statement)) {
            outcome.error = ConnectionError::reasonOf(query.lastError());
            return outcome;
        }
    }
    if (query.isSelect() && query.next())
        outcome.rows = query.value(0).toLongLong();
    return outcome;
}
const QString changeTriggerName = u"pgdesk_notify_change"_s;
const QString channelPrefix = u"pgdesk_table_"_s;
} // namespace

TableCatalog::Outcome TableCatalog::countRows(const ConnectionSettings& settings, const TableName& table)
{
    return runOnOwnSession(settings, { u"SELECT count(*) FROM "_s + table.sql() });
}

TableCatalog::Outcome TableCatalog::dropTable(const ConnectionSettings& settings, const TableName& table)
{
    // SET LOCAL in the DROP's own transaction: a transaction pooler may run each transaction on
    // another server connection, and a session SET would stay behind on one for other clients.
    // On a failure the session closes with the transaction open, which rolls it back.
    return runOnOwnSession(
        settings, { u"BEGIN"_s, u"SET LOCAL lock_timeout = '5s'"_s, u"DROP TABLE "_s + table.sql(), u"COMMIT"_s });
}

TableCatalog::Outcome TableCatalog::lockHolders(const ConnectionSettings& settings, qint64 waitingPid)
{
    TableCatalog::Outcome outcome;
    DatabaseSession session;
    if (!session.open(settings)) {
        outcome.error = session.lastError().fullText();
        return outcome;
    }
    QSqlQuery query(session.database());
    query.setForwardOnly(true);
    // The pid is a number the server gave us; written into the text, the statement needs no
    // parameters (and no prepared statement a pooler might lose).
    if (!query.exec(
            u"SELECT a.pid, coalesce(nullif(a.application_name, ''), a.usename::text, '') "
            "FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids(%1)) ORDER BY a.pid"_s.arg(waitingPid))) {
        outcome.error = ConnectionError::reasonOf(query.lastError());
        return outcome;
    }
    QStringList holders;
    while (query.next()) {
        const QString who = query.value(1).toString();
        holders << (who.isEmpty() ? u"pid %1"_s.arg(query.value(0).toLongLong())
                                  : u"pid %1 (%2)"_s.arg(query.value(0).toLongLong()).arg(who));
    }
    outcome.text = holders.join(u", "_s);
    return outcome;
}

QList<bool> TableCatalog::rowsPresent(const ConnectionSettings& settings, const TableName& table,
                                      const QStringList& columns, const QStringList& types,
                                      const QList<QVariantList>& rows, Outcome* outcome)
{
    *outcome = {};
    QList<bool> present(rows.size(), false);
    if (rows.isEmpty() || columns.isEmpty())
        return present;
    DatabaseSession session;
    if (!session.open(settings)) {
        outcome->error = session.lastError().fullText();
        return {};
    }
    // The values travel as text and are cast to each column's type here, so '1.0' finds a numeric 1
    // and a uuid in capitals finds its row, as the import's typed comparison does.
    QStringList valueRows;
    QVariantList values;
    QStringList valueNames{ u"i"_s };
    QStringList same;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const QString value = u"v.c%1"_s.arg(c);
        valueNames << u"c%1"_s.arg(c);
        const QString column = u"t."_s + TableName::quoteIdentifier(columns.at(c));
        const QString type = types.value(c);
        same << (type.isEmpty() ? QString(column + u"::text IS NOT DISTINCT FROM "_s + value)
                                : QString(column + u" IS NOT DISTINCT FROM CAST("_s + value + u" AS "_s + type + u')'));
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QString row = u"(%1"_s.arg(i);
        for (qsizetype c = 0; c < columns.size(); ++c) {
            row += u", ?::text"_s;
            values << rows.at(i).value(c);
        }
        valueRows << row + u')';
    }
    QSqlQuery query(session.database());
    query.setForwardOnly(true);
    const QString sql = u"SELECT v.i FROM (VALUES "_s + valueRows.join(u", "_s) + u") AS v("_s
        + valueNames.join(u", "_s) + u") WHERE EXISTS (SELECT 1 FROM "_s + table.sql() + u" t WHERE "_s
        + same.join(u" AND "_s) + u')';
    if (!SqlLiteral::exec(query, sql, values)) {
        outcome->error = ConnectionError::reasonOf(query.lastError());
        return {};
    }
    while (query.next()) {
        const qsizetype index = query.value(0).toLongLong();
        if (index >= 0 && index < present.size())
            present[index] = true;
    }
    // Single-row mode: an error after some rows leaves the rest unread, not absent.
    if (query.lastError().isValid()) {
        outcome->error = ConnectionError::reasonOf(query.lastError());
        return {};
    }
    return present;
}

TableCatalog::Outcome TableCatalog::createTable(const ConnectionSettings& settings)
{
    TableCatalog::Outcome outcome;
    DatabaseSession session;
    if (!session.open(settings) || !session.ensureTable())
        outcome.error = session.lastError().fullText();
    return outcome;
}

TableCatalog::Outcome TableCatalog::createTrigramIndex(const ConnectionSettings& settings, const TableName& table,
                                                       const QString& column)
{
    // No index name: PostgreSQL picks one that is free (my_table_email_idx, my_table_email_idx1),
    // where a name made up here could be truncated at 63 bytes into another column's.
    return runOnOwnSession(settings,
                           { u"CREATE EXTENSION IF NOT EXISTS pg_trgm"_s,
                             u"CREATE INDEX CONCURRENTLY ON "_s + table.sql() + u" USING gin ("_s
                                 + TableName::quoteIdentifier(column) + u" gin_trgm_ops)"_s });
}

TableCatalog::ColumnTraits TableCatalog::columnTraits(const QSqlDatabase& database, const TableName& table)
{
    ColumnTraits traits;
    QSqlQuery query(database);
    query.setForwardOnly(true);
    // ORDER BY needs a default btree operator class for the type (its base type for a domain, its
    // element for an array), one for any enum or range, or one for a type it is binary-coercible to
    // implicitly (varchar sorts as text; xml's cast to text is only on assignment, so xml does not).
    const QString sortable
        = u"EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am m ON m.oid = o.opcmethod AND m.amname = 'btree' "
          "JOIN pg_type s ON s.oid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END "
          "WHERE o.opcdefault AND (o.opcintype = s.oid OR (o.opcintype = 'anyenum'::regtype AND s.typtype = 'e') "
          "OR (o.opcintype = 'anyrange'::regtype AND s.typtype = 'r') "
          "OR (o.opcintype = 'record'::regtype AND s.typtype = 'c') "
          "OR EXISTS (SELECT 1 FROM pg_cast c WHERE c.castsource = s.oid AND c.casttarget = o.opcintype "
          "AND c.castmethod = 'b' AND c.castcontext = 'i')))"_s;
    if (!SqlLiteral::exec(
            query,
            u"SELECT a.attname, a.atthasdef OR a.attidentity <> '', "
            "(t.typcategory = 'S' AND b.oid <> 'bpchar'::regtype OR b.typtype = 'e') "
            "AND getdatabaseencoding() = 'UTF8', t.typcategory = 'S', b.oid = 'numeric'::regtype, "
            "format_type(a.atttypid, a.atttypmod), b.oid IN ('text'::regtype, 'varchar'::regtype), "
            "a.attgenerated <> '' OR a.attidentity = 'a', "
            "(SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_enum e "
            "WHERE e.enumtypid = b.oid), "_s
                + sortable
                + u", (SELECT k.place FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, place) "
                  "WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum "
                  "AND k.place <= i.indnkeyatts), "
                  // Numbered by the server: an identity, or a default that calls nextval() (a serial's,
                  // or one wrapped in a cast or an expression).
                  "a.attidentity <> '' OR EXISTS (SELECT 1 FROM pg_attrdef d WHERE d.adrelid = a.attrelid "
                  "AND d.adnum = a.attnum AND pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%'), "
                  "b.oid = 'bpchar'::regtype AND getdatabaseencoding() = 'UTF8'"
                  " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                  "JOIN pg_type b ON b.oid = coalesce(nullif(t.typbasetype, 0), t.oid) "
                  "WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"_s,
            { table.sql() }))
        return traits;
    QMap<qint64, QString> keyPlaces;
    while (query.next()) {
        const QString name = query.value(0).toString();
        if (!query.value(10).isNull())
            keyPlaces.insert(query.value(10).toLongLong(), name);
        if (query.value(1).toBool())
            traits.withDefault << name;
        if (query.value(2).toBool())
            traits.textWithBomGuard << name;
        if (query.value(3).toBool())
            traits.text << name;
        if (query.value(4).toBool())
            traits.numeric << name;
        traits.typeSql.insert(name, query.value(5).toString());
        if (query.value(6).toBool())
            traits.trigramIndexable << name;
        if (query.value(7).toBool())
            traits.generated << name;
        if (const QJsonArray labels
            = QJsonDocument::fromJson(Utf8Text::jsonKeepingFeff(query.value(8).toString())).array();
            !labels.isEmpty()) {
            QStringList& names = traits.enumLabels[name];
            for (const QJsonValue& label : labels)
                names << label.toString();
        }
        if (!query.value(9).toBool())
            traits.unsortable << name;
        if (query.value(11).toBool())
            traits.numbered << name;
        if (query.value(12).toBool())
            traits.paddedWithBomGuard << name;
    }
    // Cut short by an error after some rows (single-row mode): the traits of a part of the table.
    if (query.lastError().isValid())
        return {};
    traits.primaryKey = keyPlaces.values();
    traits.read = true;
    return traits;
}

TableCatalog::LiveTraits TableCatalog::liveTraits(const ConnectionSettings& settings, const TableName& table)
{
    LiveTraits traits;
    DatabaseSession session;
    if (!session.open(settings)) {
        traits.error = session.lastError().fullText();
        return traits;
    }
    QSqlQuery query(session.database());
    query.setForwardOnly(true);
    if (!SqlLiteral::exec(
            query,
            u"SELECT c.oid::bigint, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND "
            "t.tgname = ? AND t.tgenabled IN ('O', 'A')), pg_has_role(c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = ?::regclass"_s,
            { changeTriggerName, table.sql() })
        || !query.next()) {
        traits.error = ConnectionError::reasonOf(query.lastError());
        return traits;
    }
    traits.channel = channelPrefix + QString::number(query.value(0).toLongLong());
    traits.triggerInstalled = query.value(1).toBool();
    traits.ownsTable = query.value(2).toBool();
    return traits;
}

TableCatalog::Outcome TableCatalog::installChangeTrigger(const ConnectionSettings& settings, const TableName& table)
{
    // The function takes the channel from the table's OID at run time, so one function serves
    // every table.
    const QString function = u"CREATE OR REPLACE FUNCTION pgdesk_notify_change() RETURNS trigger "
                             "LANGUAGE plpgsql AS $$ BEGIN "
                             "PERFORM pg_notify('"_s
        + channelPrefix + u"' || TG_RELID::bigint::text, TG_OP); RETURN NULL; END $$"_s;
    const QString dropDisabled = u"DROP TRIGGER IF EXISTS "_s + changeTriggerName + u" ON "_s + table.sql();
    const QString trigger = u"CREATE TRIGGER "_s + changeTriggerName
        + u" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "_s + table.sql()
        + u" FOR EACH STATEMENT EXECUTE FUNCTION pgdesk_notify_change()"_s;
    // SET LOCAL, in the transaction, for the reason dropTable() gives.
    return runOnOwnSession(
        settings, { u"BEGIN"_s, u"SET LOCAL lock_timeout = '5s'"_s, function, dropDisabled, trigger, u"COMMIT"_s });
}

TableCatalog::Outcome TableCatalog::notifyChange(const ConnectionSettings& settings, const QString& channel)
{
    return runOnOwnSession(settings, { u"SELECT pg_notify("_s + SqlLiteral::literal(channel) + u", 'pgdesk')"_s });
}
