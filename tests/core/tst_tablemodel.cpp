#include "TestServer.h"
#include "connection/DatabaseSession.h"
#include "model/TableModel.h"

#include <QSqlRecord>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

class TestTableModel : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_tablemodel"_s;

    QStringList psqlLines(const QString& sql, const QByteArray& timeZone = {})
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, sql, &ok, timeZone);
        [&] { QVERIFY(ok); }();
        return output.split(u'\n');
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        // The point of this suite: the client's zone differs from the server session's.
        QCOMPARE(QTimeZone::systemTimeZoneId(), QByteArray("Asia/Kolkata"));
    }

    void init() { m_server.psql(m_database, u"DROP TABLE IF EXISTS my_table"_s); }

    void rowsInsertedWithPlainSqlAppear()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        QVERIFY(session.ensureTable());
        m_server.psql(m_database, u"INSERT INTO my_table(name) VALUES ('alice'), ('bob'), (NULL), (''), ('Zoë 🐘')"_s);

        TableModel model(session.database());
        QVERIFY(model.setTableName(session.tableName()));
        QVERIFY2(model.select(), qPrintable(model.lastError().text()));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"ID"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"Name"_s);
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), u"Date"_s);

        const QStringList idsInDatabase = psqlLines(u"SELECT id FROM my_table ORDER BY id"_s);
        const QStringList namesInDatabase = psqlLines(u"SELECT coalesce(name, '<null>') FROM my_table ORDER BY id"_s);
        model.sort(0, Qt::AscendingOrder);
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(model.index(row, 0).data().toString(), idsInDatabase.at(row));
            const QVariant name = model.index(row, 1).data(Qt::EditRole);
            QCOMPARE(name.isNull() ? u"<null>"_s : name.toString(), namesInDatabase.at(row));
        }
        // NULL and the empty string stay apart.
        QVERIFY(model.index(2, 1).data(Qt::EditRole).isNull());
        QVERIFY(!model.index(3, 1).data(Qt::EditRole).isNull());
        QCOMPARE(model.index(3, 1).data(Qt::EditRole).toString(), QString());
    }

    void timestampsEqualWhatPsqlPrintsInAnyClientZone()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        QVERIFY(session.ensureTable());
        m_server.psql(m_database,
                      u"INSERT INTO my_table(name, date) VALUES ('micro', '2024-03-10 02:30:00.123456'), "
                      "('midnight', '2000-01-01 00:00:00'), ('leapday', '2024-02-29 23:59:59.999999'); "
                      "INSERT INTO my_table(name) VALUES ('server default')"_s);

        TableModel model(session.database());
        QVERIFY(model.setTableName(session.tableName()));
        model.sort(0, Qt::AscendingOrder);
        QVERIFY(model.select());
        QCOMPARE(model.rowCount(), 4);

        // psql in the client's zone and in UTC prints the same wall-clock values: TIMESTAMP has no zone.
        const QStringList inClientZone = psqlLines(u"SELECT date FROM my_table ORDER BY id"_s, "Asia/Kolkata");
        const QStringList inUtc = psqlLines(u"SELECT date FROM my_table ORDER BY id"_s, "UTC");
        QCOMPARE(inClientZone, inUtc);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, 2).data().toString(), inClientZone.at(row));
        QCOMPARE(model.index(0, 2).data().toString(), u"2024-03-10 02:30:00.123456"_s);

        // The server default is evaluated in the session's zone, as it is for the tutorial's script.
        const QString defaultInServerZone
            = psqlLines(u"SELECT date FROM my_table WHERE name = 'server default'"_s).constFirst();
        QCOMPARE(model.index(3, 2).data().toString(), defaultInServerZone);
    }

    void sortsByEachColumnOnTheServer()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        QVERIFY(session.ensureTable());
        m_server.psql(m_database,
                      u"INSERT INTO my_table(name, date) VALUES ('b', '2020-01-02'), ('c', '2020-01-01'), "
                      "('a', '2020-01-03')"_s);
        TableModel model(session.database());
        QVERIFY(model.setTableName(session.tableName()));
        model.sort(1, Qt::AscendingOrder);
        QCOMPARE(model.index(0, 1).data().toString(), u"a"_s);
        model.sort(2, Qt::AscendingOrder);
        QCOMPARE(model.index(0, 1).data().toString(), u"c"_s);
        model.sort(2, Qt::DescendingOrder);
        QCOMPARE(model.index(0, 1).data().toString(), u"a"_s);
    }

    void cleanupTestCase() { m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_tablemodel WITH (FORCE)"_s); }
};

QTEST_GUILESS_MAIN(TestTableModel)
#include "tst_tablemodel.moc"
