// The statements KeysetQuery builds for each window move, checked as text and bound values, with no
// server: a changed statement shows up here before any grid shows the wrong rows. The filter
// comes from NameFilter through the QPSQL driver, which quotes literals without a connection.
#include "config/TableName.h"
#include "connection/DateTimeText.h"
#include "paging/KeysetQuery.h"
#include "table/NameFilter.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QString table = u"\"public\".\"my_table\""_s;
const QString key = u"\"public\".\"my_table\".\"id\""_s;
const QString name = u"\"public\".\"my_table\".\"name\""_s;

// The order as TableModel::keysetQuery() builds it: columns qualified with the table.
KeysetQuery::Order orderOf(const TableName& tableName, const QString& keyColumn, const QString& sortColumn,
                           bool ascending = true)
{
    KeysetQuery::Order order;
    order.tableSql = tableName.sql();
    order.key = KeyColumns({ tableName.sql() + u'.' + TableName::quoteIdentifier(keyColumn) });
    order.sortSql = tableName.sql() + u'.' + TableName::quoteIdentifier(sortColumn);
    order.ascending = ascending;
    return order;
}

KeysetQuery::Order byKey(bool ascending = true)
{
    return orderOf(TableName(u"public"_s, u"my_table"_s), u"id"_s, u"id"_s, ascending);
}

KeysetQuery::Order byName(bool ascending = true, bool nullable = false)
{
    KeysetQuery::Order order = orderOf(TableName(u"public"_s, u"my_table"_s), u"id"_s, u"name"_s, ascending);
    order.sortNullable = nullable;
    return order;
}

// QVariant's operator== converts between types; a bound value must keep its type exactly (a key
// bound as text would compare as text on the server).
void compareValues(const QVariantList& actual, const QVariantList& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual.at(i).metaType(), expected.at(i).metaType());
        QCOMPARE(actual.at(i).isNull(), expected.at(i).isNull());
        QCOMPARE(actual.at(i), expected.at(i));
    }
}

void compareStatement(const KeysetQuery::Statement& actual, const QString& sql, const QVariantList& values,
                      bool reversed)
{
    QCOMPARE(actual.sql, sql);
    compareValues(actual.values, values);
    QCOMPARE(actual.reversed, reversed);
}

QVariant keyValue(qint64 value)
{
    return QVariant::fromValue<qint64>(value);
}

} // namespace

class TestKeysetQuery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Not opened: the driver formats literals without a server.
        QSqlDatabase database = QSqlDatabase::addDatabase(u"QPSQL"_s, u"unconnected"_s);
        QVERIFY2(database.isValid(), "the QPSQL driver plugin is missing");
        m_driver = database.driver();
    }

    void cleanupTestCase()
    {
        m_driver = nullptr;
        QSqlDatabase::removeDatabase(u"unconnected"_s);
    }

    void byKeyAscending()
    {
        const KeysetQuery query(byKey());
        const QString select = u"SELECT "_s + key + u", "_s + key + u" FROM "_s + table;
        QVERIFY(query.sortsByKey());
        compareStatement(query.first(300), select + u" ORDER BY "_s + key + u" ASC LIMIT 300"_s, {}, false);
        // Last reads backwards and says so, so the worker flips the rows into window order.
        compareStatement(query.last(300), select + u" ORDER BY "_s + key + u" DESC LIMIT 300"_s, {}, true);
        // Next: rows after the anchor's key; Previous: rows before it, read backwards.
        const KeysetQuery::Anchor anchor{ QVariant(), 4242 };
        compareStatement(query.after(anchor, 300),
                         select + u" WHERE "_s + key + u" > ? ORDER BY "_s + key + u" ASC LIMIT 300"_s,
                         { keyValue(4242) }, false);
        compareStatement(query.before(anchor, 300),
                         select + u" WHERE "_s + key + u" < ? ORDER BY "_s + key + u" DESC LIMIT 300"_s,
                         { keyValue(4242) }, true);
        // Reload reads from the window's first row itself, one row more than the window.
        compareStatement(query.after(anchor, 301, true),
                         select + u" WHERE "_s + key + u" >= ? ORDER BY "_s + key + u" ASC LIMIT 301"_s,
                         { keyValue(4242) }, false);
        QCOMPARE(query.orderBy(), u"ORDER BY "_s + key + u" ASC"_s);
        QCOMPARE(query.orderTerms(), key + u" ASC"_s);
    }

    void byKeyDescending()
    {
        const KeysetQuery query(byKey(false));
        const QString select = u"SELECT "_s + key + u", "_s + key + u" FROM "_s + table;
        compareStatement(query.first(50), select + u" ORDER BY "_s + key + u" DESC LIMIT 50"_s, {}, false);
        compareStatement(query.last(50), select + u" ORDER BY "_s + key + u" ASC LIMIT 50"_s, {}, true);
        const KeysetQuery::Anchor anchor{ QVariant(), -7 };
        compareStatement(query.after(anchor, 50),
                         select + u" WHERE "_s + key + u" < ? ORDER BY "_s + key + u" DESC LIMIT 50"_s,
                         { keyValue(-7) }, false);
        compareStatement(query.after(anchor, 50, true),
                         select + u" WHERE "_s + key + u" <= ? ORDER BY "_s + key + u" DESC LIMIT 50"_s,
                         { keyValue(-7) }, false);
        compareStatement(query.before(anchor, 50),
                         select + u" WHERE "_s + key + u" > ? ORDER BY "_s + key + u" ASC LIMIT 50"_s, { keyValue(-7) },
                         true);
        QCOMPARE(query.orderBy(), u"ORDER BY "_s + key + u" DESC"_s);
    }

    void aroundAKey()
    {
        // TableModel::loadAround(): the rows before the key (backwards) and from the key on.
        const KeysetQuery query(byName());
        const KeysetQuery::Anchor anchor{ u"Mallory"_s, 17 };
        const QString select = u"SELECT "_s + key + u", "_s + name + u" FROM "_s + table;
        const QString ascending = name + u" ASC NULLS LAST, "_s + key + u" ASC"_s;
        const QString descending = name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s;
        compareStatement(query.before(anchor, 150),
                         select + u" WHERE ("_s + name + u", "_s + key + u") < (?, ?) ORDER BY "_s + descending
                             + u" LIMIT 150"_s,
                         { u"Mallory"_s, keyValue(17) }, true);
        compareStatement(query.after(anchor, 150, true),
                         select + u" WHERE ("_s + name + u", "_s + key + u") >= (?, ?) ORDER BY "_s + ascending
                             + u" LIMIT 150"_s,
                         { u"Mallory"_s, keyValue(17) }, false);
    }

    void aroundAKeyInOneStatement()
    {
        // A jump or a drag in key order: both halves in one statement, each row led by its part.
        const KeysetQuery query(byKey());
        const KeysetQuery::Anchor anchor{ keyValue(17), 17 };
        const KeysetQuery::Statement before = query.before(anchor, 150);
        const KeysetQuery::Statement after = query.after(anchor, 150, true);
        const KeysetQuery::Statement around = query.around(anchor, 150, 150);
        QCOMPARE(around.sql,
                 u"SELECT 0, preceding.* FROM ("_s + before.sql
                     + u") AS preceding UNION ALL SELECT 1, following.* FROM ("_s + after.sql + u") AS following"_s);
        compareValues(around.values, { keyValue(17), keyValue(17) });
        QVERIFY(!around.reversed);
        QCOMPARE(around.partsReversed, (QList<bool>{ true, false }));
    }

    void bySortColumnBreaksTiesByKey_data()
    {
        QTest::addColumn<bool>("ascending");
        QTest::addColumn<QString>("forwardOrder");
        QTest::addColumn<QString>("backwardOrder");
        QTest::addColumn<QString>("afterCompare");
        QTest::addColumn<QString>("beforeCompare");
        QTest::newRow("ascending") << true << name + u" ASC NULLS LAST, "_s + key + u" ASC"_s
                                   << name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s << u">"_s << u"<"_s;
        QTest::newRow("descending") << false << name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s
                                    << name + u" ASC NULLS LAST, "_s + key + u" ASC"_s << u"<"_s << u">"_s;
    }

    void bySortColumnBreaksTiesByKey()
    {
        QFETCH(bool, ascending);
        QFETCH(QString, forwardOrder);
        QFETCH(QString, backwardOrder);
        QFETCH(QString, afterCompare);
        QFETCH(QString, beforeCompare);
        // NOT NULL sort column: one row comparison, no NULL arms.
        const KeysetQuery query(byName(ascending));
        QVERIFY(!query.sortsByKey());
        const QString select = u"SELECT "_s + key + u", "_s + name + u" FROM "_s + table;
        const KeysetQuery::Anchor anchor{ u"Bob"_s, 9 };
        const QString row = u"("_s + name + u", "_s + key + u") "_s;
        compareStatement(query.first(10), select + u" ORDER BY "_s + forwardOrder + u" LIMIT 10"_s, {}, false);
        compareStatement(query.last(10), select + u" ORDER BY "_s + backwardOrder + u" LIMIT 10"_s, {}, true);
        compareStatement(query.after(anchor, 10),
                         select + u" WHERE "_s + row + afterCompare + u" (?, ?) ORDER BY "_s + forwardOrder
                             + u" LIMIT 10"_s,
                         { u"Bob"_s, keyValue(9) }, false);
        compareStatement(query.before(anchor, 10),
                         select + u" WHERE "_s + row + beforeCompare + u" (?, ?) ORDER BY "_s + backwardOrder
                             + u" LIMIT 10"_s,
                         { u"Bob"_s, keyValue(9) }, true);
        QCOMPARE(query.orderBy(), u"ORDER BY "_s + forwardOrder);
        QCOMPARE(query.orderTerms(), forwardOrder);
    }

    // A composite key (tenant, id) is read as one JSON text and takes part in every comparison as
    // a row of its columns, each bound as its own text: by the key alone "(tenant, id) > (?, ?)",
    // which the key's index serves; after a sort value "(n, tenant, id) > (?, ?, ?)"; among NULL
    // sort values the key's row alone.
    void aCompositeKeyComparesAsARowOfItsColumns()
    {
        const QString pairs = u"\"public\".\"pairs\""_s;
        const QString tenant = pairs + u".\"tenant\""_s;
        const QString id = pairs + u".\"id\""_s;
        const QString n = pairs + u".\"n\""_s;
        KeysetQuery::Order order;
        order.tableSql = pairs;
        order.key = KeyColumns({ tenant, id });
        order.sortSql = tenant;
        const QString read
            = u"json_build_array("_s + DateTimeText::isoSql(tenant) + u", "_s + DateTimeText::isoSql(id) + u")::text"_s;
        const KeysetQuery::Anchor anchor{ u"x"_s, RowKey::fromText(u"[\"a,b\", \"7\"]"_s) };
        QVERIFY(KeysetQuery(order).sortsByKey());
        compareStatement(KeysetQuery(order).before(anchor, 3),
                         u"SELECT "_s + read + u", "_s + tenant + u" FROM "_s + pairs + u" WHERE ("_s + tenant + u", "_s
                             + id + u") < (?, ?) ORDER BY "_s + tenant + u" DESC, "_s + id + u" DESC LIMIT 3"_s,
                         { u"a,b"_s, u"7"_s }, true);
        order.sortSql = n;
        order.sortNullable = true;
        compareStatement(KeysetQuery(order).after(KeysetQuery::Anchor{ 2, anchor.key }, 3),
                         u"SELECT "_s + read + u", "_s + n + u" FROM "_s + pairs + u" WHERE (("_s + n + u", "_s + tenant
                             + u", "_s + id + u") > (?, ?, ?) OR "_s + n + u" IS NULL) ORDER BY "_s + n
                             + u" ASC NULLS LAST, "_s + tenant + u" ASC, "_s + id + u" ASC LIMIT 3"_s,
                         { 2, u"a,b"_s, u"7"_s }, false);
        compareStatement(KeysetQuery(order).after(KeysetQuery::Anchor{ QVariant(), anchor.key }, 3),
                         u"SELECT "_s + read + u", "_s + n + u" FROM "_s + pairs + u" WHERE ("_s + n
                             + u" IS NULL AND ("_s + tenant + u", "_s + id + u") > (?, ?)) ORDER BY "_s + n
                             + u" ASC NULLS LAST, "_s + tenant + u" ASC, "_s + id + u" ASC LIMIT 3"_s,
                         { u"a,b"_s, u"7"_s }, false);
    }

    // A key that is not an integer (text, uuid, numeric) is read through its exact reading
    // expression and bound as its text, never as a number: "007" stays "007", and the server reads
    // the literal as the key column's type.
    void aTextKeyIsReadExactlyAndBoundAsText()
    {
        KeysetQuery::Order order = orderOf(TableName(u"public"_s, u"codes"_s), u"code"_s, u"label"_s);
        const QString read
            = u"CASE WHEN left(\"code\", 1) = chr(65279) THEN chr(65279) || \"code\" ELSE \"code\" END"_s;
        order.key = KeyColumns(order.key.columns(), read);
        const QString codes = u"\"public\".\"codes\""_s;
        const QString code = codes + u".\"code\""_s;
        const QString label = codes + u".\"label\""_s;
        const KeysetQuery::Anchor anchor{ u"agent"_s, RowKey::fromText(u"007"_s) };
        compareStatement(KeysetQuery(order).after(anchor, 5),
                         u"SELECT "_s + read + u", "_s + label + u" FROM "_s + codes + u" WHERE ("_s + label + u", "_s
                             + code + u") > (?, ?) ORDER BY "_s + label + u" ASC NULLS LAST, "_s + code
                             + u" ASC LIMIT 5"_s,
                         { u"agent"_s, u"007"_s }, false);
        KeysetQuery::Order byCode = orderOf(TableName(u"public"_s, u"codes"_s), u"code"_s, u"code"_s);
        byCode.key = KeyColumns(byCode.key.columns(), read);
        compareStatement(KeysetQuery(byCode).after(anchor, 5),
                         u"SELECT "_s + read + u", "_s + code + u" FROM "_s + codes + u" WHERE "_s + code
                             + u" > ? ORDER BY "_s + code + u" ASC LIMIT 5"_s,
                         { u"007"_s }, false);
        // An integer key binds its number, as before.
        QCOMPARE(RowKey(7).bindValue().metaType(), QMetaType::fromType<qint64>());
        QCOMPARE(RowKey::fromValue(QVariant::fromValue<qulonglong>(7)), RowKey(7));
        QVERIFY(RowKey::fromValue(QVariant::fromValue<qulonglong>(7)).integer().has_value());
        QVERIFY(!RowKey::fromText(u"7"_s).integer().has_value());
        QCOMPARE(RowKey::fromText(u"7"_s).bindValue().metaType(), QMetaType::fromType<QString>());
        QVERIFY(RowKey::fromText(u"007"_s) != RowKey(7));
        QVERIFY(RowKey(9) < RowKey(10)); // integers by number, for the order a save writes in
    }

    void nullableSortColumn_data()
    {
        QTest::addColumn<bool>("ascending");
        QTest::addColumn<bool>("forward"); // after() or before()
        QTest::addColumn<bool>("anchorIsNull");
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QVariantList>("values");

        const QString row = u"("_s + name + u", "_s + key + u")"_s;
        const QVariantList both{ u"Bob"_s, keyValue(9) };
        const QVariantList keyOnly{ keyValue(9) };
        // Ascending puts NULLs last: after a value come the larger values, then every NULL.
        QTest::newRow("ascending, next from a value")
            << true << true << false << u"("_s + row + u" > (?, ?) OR "_s + name + u" IS NULL)"_s << both;
        QTest::newRow("ascending, previous from a value") << true << false << false << row + u" < (?, ?)"_s << both;
        // Among the NULLs only the key orders.
        QTest::newRow("ascending, next from a NULL")
            << true << true << true << u"("_s + name + u" IS NULL AND "_s + key + u" > ?)"_s << keyOnly;
        QTest::newRow("ascending, previous from a NULL")
            << true << false << true
            << u"(("_s + name + u" IS NULL AND "_s + key + u" < ?) OR "_s + name + u" IS NOT NULL)"_s << keyOnly;
        // Descending puts NULLs first.
        QTest::newRow("descending, next from a value") << false << true << false << row + u" < (?, ?)"_s << both;
        QTest::newRow("descending, previous from a value")
            << false << false << false << u"("_s + row + u" > (?, ?) OR "_s + name + u" IS NULL)"_s << both;
        QTest::newRow("descending, next from a NULL")
            << false << true << true
            << u"(("_s + name + u" IS NULL AND "_s + key + u" < ?) OR "_s + name + u" IS NOT NULL)"_s << keyOnly;
        QTest::newRow("descending, previous from a NULL")
            << false << false << true << u"("_s + name + u" IS NULL AND "_s + key + u" > ?)"_s << keyOnly;
    }

    void nullableSortColumn()
    {
        QFETCH(bool, ascending);
        QFETCH(bool, forward);
        QFETCH(bool, anchorIsNull);
        QFETCH(QString, condition);
        QFETCH(QVariantList, values);

        const KeysetQuery query(byName(ascending, true));
        const KeysetQuery::Anchor anchor{ anchorIsNull ? QVariant(QMetaType(QMetaType::QString)) : QVariant(u"Bob"_s),
                                          9 };
        const bool readsAscending = ascending == forward;
        const QString order = readsAscending ? name + u" ASC NULLS LAST, "_s + key + u" ASC"_s
                                             : name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s;
        const KeysetQuery::Statement statement = forward ? query.after(anchor, 25) : query.before(anchor, 25);
        compareStatement(statement,
                         u"SELECT "_s + key + u", "_s + name + u" FROM "_s + table + u" WHERE "_s + condition
                             + u" ORDER BY "_s + order + u" LIMIT 25"_s,
                         values, !forward);
    }

    void nullableInclusive()
    {
        // Reload from a first row whose sort value is NULL keeps that row (>=).
        const KeysetQuery query(byName(true, true));
        const KeysetQuery::Statement statement = query.after({ QVariant(QMetaType(QMetaType::QString)), 3 }, 11, true);
        QCOMPARE(statement.sql,
                 u"SELECT "_s + key + u", "_s + name + u" FROM "_s + table + u" WHERE ("_s + name + u" IS NULL AND "_s
                     + key + u" >= ?) ORDER BY "_s + name + u" ASC NULLS LAST, "_s + key + u" ASC LIMIT 11"_s);
        compareValues(statement.values, { keyValue(3) });
    }

    void exactReadOfTheSortValue()
    {
        // A TIMESTAMP sort column travels as text both ways (see KeysetQuery::Order::sortSelect).
        KeysetQuery::Order order = orderOf(TableName(u"public"_s, u"my_table"_s), u"id"_s, u"date"_s);
        const QString date = table + u".\"date\""_s;
        order.sortSelect = date + u"::text"_s;
        order.sortBindCast = u"::timestamp"_s;
        order.sortNullable = true;
        const KeysetQuery query(order);
        const QString select = u"SELECT "_s + key + u", "_s + date + u"::text FROM "_s + table;
        const QString ascending = date + u" ASC NULLS LAST, "_s + key + u" ASC"_s;
        compareStatement(query.first(5), select + u" ORDER BY "_s + ascending + u" LIMIT 5"_s, {}, false);
        compareStatement(query.after({ u"2024-03-10 02:30:00.123456"_s, 8 }, 5),
                         select + u" WHERE (("_s + date + u", "_s + key + u") > (?::timestamp, ?) OR "_s + date
                             + u" IS NULL) ORDER BY "_s + ascending + u" LIMIT 5"_s,
                         { u"2024-03-10 02:30:00.123456"_s, keyValue(8) }, false);
        // The cast is only for a bound sort value: an anchor at NULL binds the key alone.
        compareStatement(query.after({ QVariant(QMetaType(QMetaType::QString)), 8 }, 5),
                         select + u" WHERE ("_s + date + u" IS NULL AND "_s + key + u" > ?) ORDER BY "_s + ascending
                             + u" LIMIT 5"_s,
                         { keyValue(8) }, false);
        // ORDER BY sorts the stored column, never the text read of it.
        QCOMPARE(query.orderBy(), u"ORDER BY "_s + ascending);
    }

    void nameFilterClause_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<QString>("where");

        const QString column = u"\"name\""_s;
        QTest::newRow("empty means no filter") << QString() << false << QString();
        QTest::newRow("empty exact means no filter") << QString() << true << QString();
        // Case-insensitive substring: ILIKE with '!' as the escape, whatever the server's setting.
        QTest::newRow("contains") << u"Ann"_s << false << column + u" ILIKE '%Ann%' ESCAPE '!'"_s;
        QTest::newRow("percent and underscore are literal")
            << u"50%_off"_s << false << column + u" ILIKE '%50!%!_off%' ESCAPE '!'"_s;
        QTest::newRow("the escape character itself") << u"Hi!"_s << false << column + u" ILIKE '%Hi!!%' ESCAPE '!'"_s;
        // As with standard_conforming_strings on (the default since 9.1); a connected driver that
        // finds it off doubles the backslash, and '!' still escapes the same way.
        QTest::newRow("backslash is an ordinary character")
            << u"a\\b"_s << false << column + u" ILIKE '%a\\b%' ESCAPE '!'"_s;
        QTest::newRow("single quote doubled") << u"O'Brien"_s << false << column + u" ILIKE '%O''Brien%' ESCAPE '!'"_s;
        QTest::newRow("injection stays a literal")
            << u"x' OR 1=1 --"_s << false << column + u" ILIKE '%x'' OR 1=1 --%' ESCAPE '!'"_s;
        QTest::newRow("spaces kept") << u" a "_s << false << column + u" ILIKE '% a %' ESCAPE '!'"_s;
        // Exact: plain equality, case-sensitive, no pattern characters to escape.
        QTest::newRow("exact") << u"Ann"_s << true << column + u" = 'Ann'"_s;
        QTest::newRow("exact keeps wildcards as they are") << u"50%_off!"_s << true << column + u" = '50%_off!'"_s;
        QTest::newRow("exact single quote doubled") << u"O'Brien"_s << true << column + u" = 'O''Brien'"_s;
        // No name holds a NUL; nothing with one is sent.
        QTest::newRow("NUL matches nothing") << u"a\u0000b"_s << false << u"false"_s;
        QTest::newRow("NUL matches nothing, exact") << u"a\u0000b"_s << true << u"false"_s;
    }

    void nameFilterClause()
    {
        QFETCH(QString, text);
        QFETCH(bool, exact);
        QFETCH(QString, where);
        const NameFilter filter(text, exact ? NameFilter::Mode::Exact : NameFilter::Mode::Contains);
        QCOMPARE(filter.isEmpty(), text.isEmpty());
        QCOMPARE(filter.whereClause(m_driver, u"\"name\""_s), where);
        QCOMPARE(filter.problem().isEmpty(), !text.contains(QChar(0)));
    }

    void escapeLikePattern()
    {
        QCOMPARE(NameFilter::escapeLikePattern(u"plain"_s), u"plain"_s);
        QCOMPARE(NameFilter::escapeLikePattern(u"%_!"_s), u"!%!_!!"_s);
        QCOMPARE(NameFilter::escapeLikePattern(u"a\\b"_s), u"a\\b"_s);
        QCOMPARE(NameFilter::escapeLikePattern(QString()), QString());
    }

    void filterInEveryStatement()
    {
        KeysetQuery::Order order = byName();
        order.filterSql = NameFilter(u"5%"_s, NameFilter::Mode::Contains).whereClause(m_driver, u"\"name\""_s);
        const QString filter = u"(\"name\" ILIKE '%5!%%' ESCAPE '!')"_s;
        const KeysetQuery query(order);
        const QString select = u"SELECT "_s + key + u", "_s + name + u" FROM "_s + table;
        const QString ascending = name + u" ASC NULLS LAST, "_s + key + u" ASC"_s;
        const QString descending = name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s;
        compareStatement(query.first(20), select + u" WHERE "_s + filter + u" ORDER BY "_s + ascending + u" LIMIT 20"_s,
                         {}, false);
        compareStatement(query.last(20), select + u" WHERE "_s + filter + u" ORDER BY "_s + descending + u" LIMIT 20"_s,
                         {}, true);
        // The filter is parenthesised, so an OR inside it cannot widen the keyset condition.
        compareStatement(query.after({ u"x"_s, 2 }, 20),
                         select + u" WHERE "_s + filter + u" AND ("_s + name + u", "_s + key + u") > (?, ?) ORDER BY "_s
                             + ascending + u" LIMIT 20"_s,
                         { u"x"_s, keyValue(2) }, false);
        compareStatement(query.before({ u"x"_s, 2 }, 20),
                         select + u" WHERE "_s + filter + u" AND ("_s + name + u", "_s + key + u") < (?, ?) ORDER BY "_s
                             + descending + u" LIMIT 20"_s,
                         { u"x"_s, keyValue(2) }, true);
        // The literal is in the text; only keyset values are bound.
        QVERIFY(!query.first(20).sql.contains(u'?'));

        KeysetQuery::Order exactOrder = byKey(false);
        exactOrder.filterSql = NameFilter(u"Ann"_s, NameFilter::Mode::Exact).whereClause(m_driver, u"\"name\""_s);
        compareStatement(KeysetQuery(exactOrder).after({ QVariant(), 100 }, 3),
                         u"SELECT "_s + key + u", "_s + key + u" FROM "_s + table + u" WHERE (\"name\" = 'Ann') AND "_s
                             + key + u" < ? ORDER BY "_s + key + u" DESC LIMIT 3"_s,
                         { keyValue(100) }, false);
    }

    void aSortedWindowPicksWholeRowsBeforeReadingThem()
    {
        // As TableModel builds it: the row read through expressions named after their columns.
        KeysetQuery::Order order = byName(true, true);
        order.sortSelect = u"guard(\"name\")"_s;
        order.rowSelect = u"\"id\", guard(\"name\") AS \"name\", iso(\"date\") AS \"date\""_s;
        order.filterSql = u"\"name\" ILIKE '%a%'"_s;
        const KeysetQuery query(order);
        const QString picked = u"keyset_window"_s;
        const QString outer = u"SELECT "_s + picked + u".\"id\", guard(\"name\"), "_s + order.rowSelect + u" FROM (";
        const QString ascending = name + u" ASC NULLS LAST, "_s + key + u" ASC"_s;
        const QString descending = name + u" DESC NULLS FIRST, "_s + key + u" DESC"_s;
        // The subquery sorts and limits the stored rows; the reading expressions run on the
        // window's rows alone, which the outer ORDER BY keeps in order by the picked columns (the
        // bare "name" would be the select list's guarded expression).
        const QString pickedAscending = picked + u".\"name\" ASC NULLS LAST, "_s + picked + u".\"id\" ASC"_s;
        const QString pickedDescending = picked + u".\"name\" DESC NULLS FIRST, "_s + picked + u".\"id\" DESC"_s;
        compareStatement(query.first(300),
                         outer + u"SELECT * FROM "_s + table + u" WHERE (\"name\" ILIKE '%a%') ORDER BY "_s + ascending
                             + u" LIMIT 300) AS "_s + picked + u" ORDER BY "_s + pickedAscending,
                         {}, false);
        compareStatement(query.before({ u"x"_s, 2 }, 300),
                         outer + u"SELECT * FROM "_s + table + u" WHERE (\"name\" ILIKE '%a%') AND ("_s + name + u", "_s
                             + key + u") < (?, ?) ORDER BY "_s + descending + u" LIMIT 300) AS "_s + picked
                             + u" ORDER BY "_s + pickedDescending,
                         { u"x"_s, keyValue(2) }, true);
        // Without a reading expression for the sort column, the picked column itself.
        order.sortSelect.clear();
        QVERIFY(KeysetQuery(order).first(5).sql.startsWith(u"SELECT "_s + picked + u".\"id\", "_s + picked
                                                           + u".\"name\", \"id\", "_s));
        // By the key, the index gives the order and no sort runs: the one-level statement.
        order.sortSql = order.key.columns().constFirst();
        QVERIFY(KeysetQuery(order).first(5).sql.startsWith(u"SELECT "_s + key + u", "_s + key + u", \"id\", "_s));
    }

    void oddTableNames_data()
    {
        QTest::addColumn<QString>("typed"); // as PG_TABLE would hold it
        QTest::addColumn<QString>("keyColumn");
        QTest::addColumn<QString>("tableSql");
        QTest::addColumn<QString>("keySql");

        QTest::newRow("folded to lower case")
            << u"My_Table"_s << u"id"_s << u"\"my_table\""_s << u"\"my_table\".\"id\""_s;
        QTest::newRow("mixed case, quoted")
            << u"\"MyTable\""_s << u"ID"_s << u"\"MyTable\""_s << u"\"MyTable\".\"ID\""_s;
        QTest::newRow("spaces and a dot") << u"\"odd schema\".\"a.b\""_s << u"row id"_s << u"\"odd schema\".\"a.b\""_s
                                          << u"\"odd schema\".\"a.b\".\"row id\""_s;
        QTest::newRow("double quotes doubled")
            << u"\"say \"\"hi\"\"\""_s << u"k\"ey"_s << u"\"say \"\"hi\"\"\""_s << u"\"say \"\"hi\"\"\".\"k\"\"ey\""_s;
        QTest::newRow("SQL in a name stays a name")
            << u"\"t\"\"; DROP TABLE x; --\""_s << u"id"_s << u"\"t\"\"; DROP TABLE x; --\""_s
            << u"\"t\"\"; DROP TABLE x; --\".\"id\""_s;
        QTest::newRow("reserved word") << u"public.\"select\""_s << u"order"_s << u"\"public\".\"select\""_s
                                       << u"\"public\".\"select\".\"order\""_s;
    }

    void oddTableNames()
    {
        QFETCH(QString, typed);
        QFETCH(QString, keyColumn);
        QFETCH(QString, tableSql);
        QFETCH(QString, keySql);

        QString error;
        const TableName tableName = TableName::parse(typed, &error);
        QVERIFY2(tableName.isValid(), qPrintable(error));
        const KeysetQuery query(orderOf(tableName, keyColumn, keyColumn));
        compareStatement(query.after({ QVariant(), 1 }, 2),
                         u"SELECT "_s + keySql + u", "_s + keySql + u" FROM "_s + tableSql + u" WHERE "_s + keySql
                             + u" > ? ORDER BY "_s + keySql + u" ASC LIMIT 2"_s,
                         { keyValue(1) }, false);
    }

    void boundValuesKeepTheirType()
    {
        // Sort values are bound as read (a number stays a number), keys always as qint64.
        KeysetQuery::Order order = orderOf(TableName(QString(), u"t"_s), u"id"_s, u"score"_s);
        const KeysetQuery query(order);
        compareValues(query.after({ QVariant(2.5), std::numeric_limits<qint64>::max() }, 1).values,
                      { QVariant(2.5), keyValue(std::numeric_limits<qint64>::max()) });
        compareValues(query.before({ QVariant(qulonglong(7)), std::numeric_limits<qint64>::min() }, 1).values,
                      { QVariant(qulonglong(7)), keyValue(std::numeric_limits<qint64>::min()) });
    }

private:
    const QSqlDriver* m_driver = nullptr;
};

QTEST_GUILESS_MAIN(TestKeysetQuery)
#include "tst_keysetquery.moc"
