#include "TestServer.h"
#include "connection/DatabaseSession.h"
#include "service/TutorialStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using Kind = TutorialStore::Error::Kind;

class TestTutorialStore : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_service_tutorialstore"_s;
    QSqlDatabase m_cleanup; // quicker than psql between tests; checks still use psql

    QString psql(const QString& sql)
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, sql, &ok);
        [&] { QVERIFY2(ok, qPrintable(sql)); }();
        return output;
    }

    // Names as the database holds them, in id order; JSON keeps newlines and NULL apart.
    QJsonArray namesInDatabase()
    {
        const QString json = psql(u"SELECT coalesce(json_agg(name ORDER BY id), '[]') FROM my_table"_s);
        return QJsonDocument::fromJson(json.toUtf8()).array();
    }

    static QStringList namesOf(const QList<TutorialRow>& rows)
    {
        QStringList names;
        for (const TutorialRow& row : rows)
            names << row.name.toString();
        return names;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QCOMPARE(QTimeZone::systemTimeZoneId(), QByteArray("Asia/Kolkata"));
        m_cleanup = m_server.openConnection(u"cleanup"_s, m_database);
        QVERIFY(m_cleanup.isOpen());
        QSqlQuery quiet(m_cleanup);
        QVERIFY(quiet.exec(u"SET client_min_messages = warning"_s));
    }

    void init()
    {
        if (QByteArray(QTest::currentTestFunction()).startsWith("likePattern"))
            return;
        QSqlQuery query(m_cleanup);
        QVERIFY(query.exec(u"DROP TABLE IF EXISTS my_table, wrong_shape"_s));
    }

    void cleanupTestCase()
    {
        m_cleanup = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"cleanup"_s);
    }

    void likePatternEscapesWildcards_data()
    {
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<QString>("pattern");
        QTest::newRow("plain") << u"bob"_s << u"%bob%"_s;
        QTest::newRow("percent") << u"100%"_s << u"%100!%%"_s;
        QTest::newRow("underscore") << u"a_b"_s << u"%a!_b%"_s;
        QTest::newRow("escape character") << u"hi!"_s << u"%hi!!%"_s;
        QTest::newRow("backslash is plain") << u"a\\b"_s << u"%a\\b%"_s;
        QTest::newRow("empty") << QString() << u"%%"_s;
    }

    void likePatternEscapesWildcards()
    {
        QFETCH(QString, fragment);
        QFETCH(QString, pattern);
        QCOMPARE(TutorialStore::likePatternContaining(fragment), pattern);
    }

    void addCreatesTheTableAndStoresNamesExactly()
    {
        DatabaseSession session;
        QVERIFY2(session.open(m_server.settings(m_database)), qPrintable(session.lastError().fullText()));
        TutorialStore store(session);
        const QStringList names{ u"bob"_s,
                                 u"O'Brien \"the\" 2nd"_s,
                                 u"line one\nline two"_s,
                                 u"Zoë 🐘"_s,
                                 u"Robert'); DROP TABLE my_table;--"_s,
                                 QString(),
                                 u"\\'"_s };
        const auto added = store.add(names);
        QVERIFY2(added, qPrintable(store.lastError().message + u' ' + store.lastError().details));
        QCOMPARE(added->size(), names.size());

        const QJsonArray stored = namesInDatabase();
        QCOMPARE(stored.size(), names.size());
        for (qsizetype i = 0; i < names.size(); ++i) {
            // An empty argument is the empty string, as in the tutorial, never NULL.
            QVERIFY(stored.at(i).isString());
            QCOMPARE(stored.at(i).toString(), names.at(i).isNull() ? QString(u""_s) : names.at(i));
            QCOMPARE(added->at(i).name.toString(), stored.at(i).toString());
        }
        QCOMPARE(QString::number(added->first().id), psql(u"SELECT min(id) FROM my_table"_s));
    }

    void datesAreTheServersTextInAnyClientZone()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(store.ensureTable());
        psql(u"INSERT INTO my_table(name, date) VALUES ('micro', '2024-03-10 02:30:00.123456'), "
             "('midnight', '2000-01-01 00:00:00'); INSERT INTO my_table(name) VALUES ('now')"_s);
        const auto rows = store.readAll();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 3);
        QCOMPARE(rows->at(0).date, u"2024-03-10 02:30:00.123456"_s);
        QCOMPARE(rows->at(1).date, u"2000-01-01 00:00:00"_s);
        QCOMPARE(rows->at(2).date, psql(u"SELECT date::text FROM my_table WHERE name = 'now'"_s));
        QCOMPARE(rows->at(0).toJson().value(u"date"_s).toString(), u"2024-03-10 02:30:00.123456"_s);
    }

    void nullNamesStayNull()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(store.ensureTable());
        psql(u"INSERT INTO my_table(name) VALUES (NULL), ('')"_s);
        const auto rows = store.readAll();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2);
        QVERIFY(rows->at(0).name.isNull());
        QVERIFY(rows->at(0).toJson().value(u"name"_s).isNull());
        QVERIFY(!rows->at(1).name.isNull());
        QCOMPARE(rows->at(1).toJson().value(u"name"_s), QJsonValue(u""_s));
        QCOMPARE(rows->at(0).toJson().value(u"id"_s).toInteger(), rows->at(0).id);
    }

    void readNamedIsExactAndContainingIgnoresCase()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(store.add({ u"bob"_s, u"Bob"_s, u"bobby"_s, u"100%"_s, u"1000"_s, u"a_b"_s, u"axb"_s, u"back\\slash"_s,
                            u"backXslash"_s, u"wow!"_s, u"wow"_s }));

        QCOMPARE(namesOf(*store.readNamed(u"bob"_s)), QStringList{ u"bob"_s });
        QCOMPARE(namesOf(*store.readNamed(u"nobody"_s)), QStringList());
        QCOMPARE(namesOf(*store.readContaining(u"BOB"_s)), (QStringList{ u"bob"_s, u"Bob"_s, u"bobby"_s }));
        QCOMPARE(namesOf(*store.readContaining(u"0%"_s)), QStringList{ u"100%"_s });
        QCOMPARE(namesOf(*store.readContaining(u"_"_s)), QStringList{ u"a_b"_s });
        QCOMPARE(namesOf(*store.readContaining(u"\\"_s)), QStringList{ u"back\\slash"_s });
        QCOMPARE(namesOf(*store.readContaining(u"!"_s)), QStringList{ u"wow!"_s });
    }

    void readCreatesAMissingTable()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        const auto rows = store.readNamed(u"john"_s);
        QVERIFY2(rows, qPrintable(store.lastError().details));
        QVERIFY(rows->isEmpty());
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
    }

    void removeCountsTheRowsAndToleratesNoTable()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QCOMPARE(store.remove(u"bob"_s), std::optional<int>(0));
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        QVERIFY(store.add({ u"bob"_s, u"bob"_s, u"alice"_s }));
        QCOMPARE(store.remove(u"bob"_s), std::optional<int>(2));
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s), u"alice"_s);
    }

    void dropTellsWhetherThereWasATable()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QCOMPARE(store.drop(), std::optional<bool>(false));
        QVERIFY(store.add({ u"bob"_s }));
        QCOMPARE(store.rowCount(), std::optional<qint64>(1));
        QCOMPARE(store.drop(), std::optional<bool>(true));
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
    }

    void severalNamesGoInTogetherOrNotAtAll()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(store.ensureTable());
        psql(u"ALTER TABLE my_table ADD CONSTRAINT short_names CHECK (length(name) < 10)"_s);
        QVERIFY(!store.add({ u"fine"_s, u"far too long a name"_s }));
        QCOMPARE(store.lastError().kind, Kind::Database);
        QVERIFY(store.lastError().details.contains(u"short_names"_s));
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
        // The failed transaction leaves the connection usable.
        QVERIFY(store.add({ u"fine"_s }));
    }

    void aTableOfTheWrongShapeIsADatabaseError()
    {
        psql(u"CREATE TABLE wrong_shape (id int, title text)"_s);
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, u"wrong_shape"_s);
        DatabaseSession session;
        QVERIFY(session.open(settings));
        TutorialStore store(session);
        QVERIFY(!store.add({ u"bob"_s }));
        QCOMPARE(store.lastError().kind, Kind::Database);
        QVERIFY(store.lastError().message.contains(u"wrong_shape"_s));
        QVERIFY(!store.lastError().message.contains(u"INSERT"_s));
        QVERIFY(!store.readNamed(u"bob"_s));
        QCOMPARE(store.lastError().kind, Kind::Database);
        QCOMPARE(psql(u"SELECT count(*) FROM wrong_shape"_s), u"0"_s);
    }

    void aNulCharacterIsRejectedBeforeTheServer()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(!store.add({ u"bo"_s + QChar(0) + u"b"_s }));
        QCOMPARE(store.lastError().kind, Kind::InvalidInput);
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
    }

    void reconnectsAfterTheServerDropsTheConnection()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        TutorialStore store(session);
        QVERIFY(store.add({ u"before"_s }));
        const QString terminated = psql(u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                        "WHERE application_name = 'pgdesk' AND datname = '"_s
                                        + m_database + u"' AND pid <> pg_backend_pid()"_s);
        QCOMPARE(terminated, u"1"_s);
        // QPSQL still believes the connection is open.
        QVERIFY(session.isOpen());
        const auto added = store.add({ u"after"_s });
        QVERIFY2(added, qPrintable(store.lastError().message + u' ' + store.lastError().details));
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"before,after"_s);
        QVERIFY(store.readNamed(u"after"_s));
    }

    void reportsAnUnreachableServer()
    {
        // The database disappears with the connection, so the reopen fails too.
        QString error;
        QVERIFY(m_server.recreateDatabase(u"tst_service_tutorialstore_gone"_s, &error));
        ConnectionSettings settings = m_server.settings(u"tst_service_tutorialstore_gone"_s);
        DatabaseSession doomed;
        QVERIFY(doomed.open(settings));
        TutorialStore doomedStore(doomed);
        QVERIFY(doomedStore.ensureTable());
        m_server.psql(u"postgres"_s, u"DROP DATABASE tst_service_tutorialstore_gone WITH (FORCE)"_s);
        QVERIFY(!doomedStore.readAll());
        QCOMPARE(doomedStore.lastError().kind, Kind::Unreachable);
        QVERIFY(!doomedStore.lastError().message.contains(m_server.password()));
        QVERIFY(!doomedStore.lastError().details.contains(m_server.password()));
        // Once it is back, the same store carries on, creating the table again.
        QVERIFY(m_server.recreateDatabase(u"tst_service_tutorialstore_gone"_s, &error));
        QVERIFY2(doomedStore.add({ u"back"_s }), qPrintable(doomedStore.lastError().details));
        m_server.psql(u"postgres"_s, u"DROP DATABASE tst_service_tutorialstore_gone WITH (FORCE)"_s);
    }
};

QTEST_GUILESS_MAIN(TestTutorialStore)
#include "tst_service_tutorialstore.moc"
