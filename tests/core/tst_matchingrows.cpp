#include "TestServer.h"
#include "connection/StatementControl.h"
#include "transfer/MatchingRows.h"

#include <QTest>

using namespace Qt::StringLiterals;

// The set "Select all matching rows" acts on (issue 15): counted, read in the grid's order with
// NULL and '' apart, and deleted only when the count the user confirmed still holds. psql checks
// what the table holds.
class TestMatchingRows : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_matchingrows"_s;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    static KeysetQuery::Order order(const QString& filterSql)
    {
        KeysetQuery::Order order;
        order.tableSql = u"\"public\".\"my_table\""_s;
        order.key = KeyColumns({ order.tableSql + u".\"id\""_s });
        order.sortSql = order.key.columns().constFirst();
        order.filterSql = filterSql;
        order.rowSelect = u"\"id\", \"name\""_s;
        return order;
    }
    void fillTable()
    {
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || g FROM generate_series(1, 500) g; "
            "INSERT INTO my_table(name) VALUES (NULL), ('')"_s);
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }
    void init() { fillTable(); }

    void countsTheFilterOrTheWholeTable()
    {
        const auto filtered
            = MatchingRows(order(u"\"name\" LIKE '%person 1%'"_s)).count(m_server.settings(m_database), {});
        QVERIFY2(filtered.succeeded(), qPrintable(filtered.error));
        QCOMPARE(filtered.rows, 111); // 1, 10-19, 100-199
        const auto whole = MatchingRows(order({})).count(m_server.settings(m_database), {});
        QCOMPARE(whole.rows, 502);
    }

    void readsInTheOrderWithNullAndEmptyApart()
    {
        const auto read = MatchingRows(order(u"\"id\" > 499"_s)).read(m_server.settings(m_database), 10, {});
        QVERIFY2(read.succeeded(), qPrintable(read.error));
        QCOMPARE(read.rows, 3);
        QCOMPARE(read.values.at(0).at(1).toString(), u"person 500"_s);
        QVERIFY(read.values.at(1).at(1).isNull());
        QVERIFY(!read.values.at(2).at(1).isNull());
        QCOMPARE(read.values.at(2).at(1).toString(), QString());
        const auto limited = MatchingRows(order({})).read(m_server.settings(m_database), 5, {});
        QCOMPARE(limited.rows, 5);
        QCOMPARE(limited.values.constLast().at(0).toLongLong(), 5);
    }

    void deletesExactlyTheConfirmedSet()
    {
        const auto deleted
            = MatchingRows(order(u"\"name\" LIKE '%person 1%'"_s)).deleteAll(m_server.settings(m_database), 111, {});
        QVERIFY2(deleted.succeeded(), qPrintable(deleted.error));
        QCOMPARE(deleted.rows, 111);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 1%'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"391"_s);
    }

    // Another client added a match after the user confirmed 111: nothing is deleted.
    void deletesNothingWhenTheCountChanged()
    {
        sql(u"INSERT INTO my_table(name) VALUES ('person 1, added elsewhere')"_s);
        const auto deleted
            = MatchingRows(order(u"\"name\" LIKE '%person 1%'"_s)).deleteAll(m_server.settings(m_database), 111, {});
        QVERIFY(!deleted.succeeded());
        QVERIFY(deleted.countChanged);
        QCOMPARE(deleted.rows, 112);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 1%'"_s), u"112"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"503"_s);
    }

    // A cancel before the statement runs deletes nothing.
    void aCancelledDeleteDeletesNothing()
    {
        auto control = std::make_shared<StatementControl>();
        control->cancel();
        const auto deleted = MatchingRows(order({})).deleteAll(m_server.settings(m_database), 502, control);
        QVERIFY(!deleted.succeeded());
        QVERIFY(deleted.cancelled);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"502"_s);
    }
};

QTEST_GUILESS_MAIN(TestMatchingRows)
#include "tst_matchingrows.moc"
