#include "TestServer.h"
#include "config/ConnectionSettings.h"
#include "connection/DatabaseSession.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;
using Kind = ConnectionError::Kind;

// Bad input, end to end: from a .env file (or a role, or a table, set up badly on a real server)
// through ConnectionSettings and DatabaseSession to the sentence the user reads. Each case must
// end in a clear message, never a crash, a hang or a password in the text. Cases that
// tests/core/tst_envfile.cpp and tst_databasesession.cpp already cover at their level are named
// in docs/RELIABILITY.md.
class TestBadInput : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    const QString m_database = u"tst_badinput"_s;
    const QString m_rolePassword = u"Role-Pass-8213-xyz"_s;

    ConnectionSettings::Resolution resolveFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(content);
        file.close();
        ConnectionSettings::Lookup lookup;
        lookup.explicitEnvFile = path;
        return ConnectionSettings::resolve(lookup);
    }

    QByteArray serverEnv(const QString& database) const
    {
        return u"PG_HOST=%1\nPG_PORT=%2\nPG_USER=%3\nPG_PASSWORD=%4\nPG_DATABASE=%5\n"_s.arg(m_server.host())
            .arg(m_server.port())
            .arg(m_server.user(), m_server.password(), database)
            .toUtf8();
    }

    static void verifyNoSecret(const ConnectionError& error, const QString& password)
    {
        QVERIFY(!password.isEmpty());
        QVERIFY2(!error.fullText().contains(password), qPrintable(error.fullText()));
    }

    // A login role with a password, dropped first if an earlier run left it.
    void createRole(const QString& role, const QString& extra = {})
    {
        bool ok = false;
        m_server.psql(m_database, u"DROP OWNED BY %1; DROP ROLE %1"_s.arg(role), &ok); // may not exist yet
        m_server.psql(m_database,
                      u"CREATE ROLE %1 LOGIN PASSWORD '%2' %3; GRANT CONNECT ON DATABASE %4 TO %1"_s.arg(
                          role, m_rolePassword, extra, m_database),
                      &ok);
        QVERIFY(ok);
    }

    ConnectionSettings roleSettings(const QString& role, const QString& table = u"my_table"_s) const
    {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(Field::User, role);
        settings.set(Field::Password, m_rolePassword);
        settings.set(Field::Table, table);
        return settings;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        bool ok = false;
        m_server.psql(m_database,
                      u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
                      "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
                      "INSERT INTO my_table(name) VALUES ('one'), ('two')"_s,
                      &ok);
        QVERIFY(ok);
    }

    void cleanupTestCase()
    {
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_badinput WITH (FORCE)"_s);
        for (const char* role : { "pgdesk_rel_reader", "pgdesk_rel_noread", "pgdesk_rel_noseq", "pgdesk_rel_slow" })
            m_server.psql(u"postgres"_s, u"DROP ROLE IF EXISTS "_s + QString::fromLatin1(role));
    }

    // ---- the .env file ----

    void envFileProblemsAreSentencesAndSpareTheRest_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unterminated quote") << QByteArray("PG_PASSWORD=\"Secret-Unterminated\nPG_HOST=still-read\n")
                                            << u"line 1: unterminated double quote"_s;
        QTest::newRow("port not a number") << QByteArray("PG_PORT=fivefourthreetwo\nPG_HOST=still-read\n")
                                           << u"PG_PORT must be a port number from 1 to 65535"_s;
        QTest::newRow("port out of range")
            << QByteArray("PG_PORT=65536\nPG_HOST=still-read\n") << u"PG_PORT must be a port number from 1 to 65535"_s;
        QTest::newRow("negative port") << QByteArray("PG_PORT=-1\nPG_HOST=still-read\n")
                                       << u"PG_PORT must be a port number"_s;
        QTest::newRow("invalid UTF-8") << QByteArray("PG_USER=\xff\xfe\nPG_HOST=still-read\n")
                                       << u"line 1: invalid UTF-8"_s;
    }
    void envFileProblemsAreSentencesAndSpareTheRest()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        const auto resolution = resolveFile(u"bad-%1.env"_s.arg(QString::fromLatin1(QTest::currentDataTag())), content);
        const QString messages = resolution.messages().join(u'\n');
        QVERIFY2(messages.contains(mentions), qPrintable(messages));
        QVERIFY(!messages.contains(u"Secret-Unterminated"_s));
        QCOMPARE(resolution.settings.host(), u"still-read"_s);
        QVERIFY(!resolution.usable() || !resolution.envFileProblems.isEmpty());
        if (!resolution.settings.problems().isEmpty()) {
            // The session refuses before any network traffic.
            DatabaseSession session;
            QVERIFY(!session.open(resolution.settings));
            QCOMPARE(session.lastError().kind(), Kind::InvalidSettings);
        }
    }

    void unusableEnvFilesAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing") << u"missing"_s << u"file not found"_s;
        QTest::newRow("too large") << u"huge"_s << u"1 MiB"_s;
        QTest::newRow("directory") << u"directory"_s << u"directory"_s;
    }
    void unusableEnvFilesAreRefusedWithTheReason()
    {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        const QString path = m_dir.filePath(u"unusable-"_s + kind + u".env"_s);
        if (kind == u"huge") {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("PG_HOST=" + QByteArray(2 * 1024 * 1024, 'h'));
        } else if (kind == u"directory") {
            QVERIFY(QDir().mkpath(path));
        }
        ConnectionSettings::Lookup lookup;
        lookup.explicitEnvFile = path;
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.usable());
        QVERIFY2(resolution.envFileError.contains(mentions), qPrintable(resolution.envFileError));
        QVERIFY(resolution.envFileError.contains(path)); // says which file
        QCOMPARE(resolution.settings.host(), QString()); // nothing half-read from it
    }

    void oneMegabyteLineStillConnects()
    {
        // A 1 MB comment line and a 1 MB value of an unknown key cost nothing but parsing.
        const QByteArray content = "# " + QByteArray(500 * 1000, 'c') + "\nPG_NOISE=" + QByteArray(500 * 1000, 'n')
            + '\n' + serverEnv(m_database);
        QVERIFY(content.size() < 1024 * 1024);
        QElapsedTimer timer;
        timer.start();
        const auto resolution = resolveFile(u"megabyte.env"_s, content);
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        DatabaseSession session;
        QVERIFY2(session.open(resolution.settings), qPrintable(session.lastError().fullText()));
    }

    // ---- reaching the server ----

    void unknownHostFailsFastAndSaysWhichName()
    {
        // .invalid never resolves (RFC 6761); the resolver answers NXDOMAIN at once, and libpq's
        // connect_timeout (10 s) does not cover name lookup, so a slow resolver would show here.
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(Field::Host, u"pgdesk-no-such-host.invalid"_s);
        QElapsedTimer timer;
        timer.start();
        const auto result = DatabaseSession::probe(settings);
        const qint64 elapsed = timer.elapsed();
        qInfo("unknown host answered in %lld ms", elapsed);
        QVERIFY2(elapsed < 5000, qPrintable(u"took %1 ms"_s.arg(elapsed)));
        QCOMPARE(result.error.kind(), Kind::UnknownHost);
        QVERIFY2(result.error.message().contains(u"\"pgdesk-no-such-host.invalid\" could not be found"_s),
                 qPrintable(result.error.fullText()));
        QVERIFY(result.error.hint().contains(u"PG_HOST"_s));
        verifyNoSecret(result.error, m_server.password());
    }

    void wrongPasswordNeverEchoesEitherPassword()
    {
        const auto resolution = resolveFile(
            u"wrong-password.env"_s, serverEnv(m_database).replace(m_server.password().toUtf8(), "Wrong-Pass-5521"));
        DatabaseSession session;
        QVERIFY(!session.open(resolution.settings));
        QCOMPARE(session.lastError().kind(), Kind::WrongPassword);
        verifyNoSecret(session.lastError(), u"Wrong-Pass-5521"_s);
        verifyNoSecret(session.lastError(), m_server.password());
    }

    void noPasswordSaysSoAndWhereOneGoes()
    {
        // Nothing for libpq to fall back on either.
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", QFile::encodeName(m_dir.filePath(u"no-such-pgpass"_s)));
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(Field::Password, QString());
        const auto result = DatabaseSession::probe(settings);
        qunsetenv("PGPASSFILE");
        QCOMPARE(result.error.kind(), Kind::NoPassword);
        QVERIFY2(result.error.details().contains(u"no password supplied"_s), qPrintable(result.error.fullText()));
        QCOMPARE(result.error.message(),
                 u"The server asks for a password for user \"%1\", and none was given."_s.arg(m_server.user()));
        for (const QString& where : { u"PG_PASSWORD"_s, u".env"_s, u"connection dialog"_s, u"keychain"_s })
            QVERIFY2(result.error.hint().contains(where), qPrintable(result.error.hint()));
        QVERIFY(!result.error.fullText().contains(u"rejected"_s));
        verifyNoSecret(result.error, m_server.password());
    }

    void messagesAreNeverMasked()
    {
        // The password is never put into a message, so nothing is hidden: a password that is part
        // of the port or is the user name leaves both readable, and does not show where it stood.
        QTcpServer reserve;
        QVERIFY(reserve.listen(QHostAddress::LocalHost));
        const QString freePort = QString::number(reserve.serverPort());
        reserve.close();
        QVERIFY(freePort.size() >= 4);
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(Field::Port, freePort);
        settings.set(Field::Password, freePort.left(4));
        const auto noServer = DatabaseSession::probe(settings);
        QCOMPARE(noServer.error.kind(), Kind::NoServer);
        QVERIFY2(noServer.error.message().contains(m_server.host() + u':' + freePort),
                 qPrintable(noServer.error.fullText()));
        QVERIFY2(noServer.error.details().contains(freePort), qPrintable(noServer.error.fullText()));
        QVERIFY2(!noServer.error.fullText().contains(u"**"_s), qPrintable(noServer.error.fullText()));

        settings = m_server.settings(m_database);
        QVERIFY(m_server.user().size() >= 4);
        settings.set(Field::Password, m_server.user());
        const auto wrong = DatabaseSession::probe(settings);
        QCOMPARE(wrong.error.kind(), Kind::WrongPassword);
        QCOMPARE(wrong.error.message(), u"The server rejected the password for user \"%1\"."_s.arg(m_server.user()));
        QVERIFY2(!wrong.error.fullText().contains(u"**"_s), qPrintable(wrong.error.fullText()));
    }

    void sslRequiredAgainstAServerWithoutSsl()
    {
        ConnectionSettings settings = m_server.settings(u"postgres"_s);
        settings.set(Field::Port, QString::number(m_server.noSslPort()));
        settings.set(Field::SslMode, u"require"_s);
        DatabaseSession session;
        QVERIFY(!session.open(settings));
        QCOMPARE(session.lastError().kind(), Kind::SslNotSupported);
        QVERIFY2(session.lastError().message().contains(u"does not support SSL"_s),
                 qPrintable(session.lastError().fullText()));
        verifyNoSecret(session.lastError(), m_server.password());
    }

    void databaseThatDoesNotExist()
    {
        DatabaseSession session;
        QVERIFY(!session.open(m_server.settings(u"pgdesk_no_such_db"_s)));
        QCOMPARE(session.lastError().kind(), Kind::NoSuchDatabase);
        QVERIFY(session.lastError().message().contains(u"\"pgdesk_no_such_db\" does not exist"_s));
        QVERIFY(session.lastError().hint().contains(u"createdb"_s));
        verifyNoSecret(session.lastError(), m_server.password());
    }

    // ---- roles and privileges ----

    void ownerMayDoEverything()
    {
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        const auto privileges = session.tablePrivileges();
        QVERIFY(privileges.known);
        QVERIFY(privileges.canSelect && privileges.canWrite());
        QVERIFY(privileges.isOwner);
        QVERIFY(!privileges.isReadOnly());
        QVERIFY2(privileges.reasons.isEmpty(), qPrintable(privileges.reasons.join(u' ')));
        QVERIFY2(session.tableShapeProblems().isEmpty(), qPrintable(session.tableShapeProblems().join(u' ')));
    }

    void selectOnlyRoleOpensReadOnlyWithAReason()
    {
        createRole(u"pgdesk_rel_reader"_s);
        m_server.psql(m_database, u"GRANT SELECT ON my_table TO pgdesk_rel_reader"_s);
        DatabaseSession session;
        QVERIFY2(session.open(roleSettings(u"pgdesk_rel_reader"_s)), qPrintable(session.lastError().fullText()));
        bool created = true;
        QVERIFY(session.ensureTable(&created)); // exists: nothing to create, no error
        QVERIFY(!created);
        const auto privileges = session.tablePrivileges();
        QVERIFY(privileges.known);
        QVERIFY(privileges.canSelect);
        QVERIFY(!privileges.canInsert && !privileges.canUpdate && !privileges.canDelete);
        QVERIFY(!privileges.isOwner);
        QVERIFY(privileges.isReadOnly());
        QCOMPARE(privileges.reasons.size(), 1);
        QVERIFY2(privileges.reasons.first().contains(
                     u"\"pgdesk_rel_reader\" may only read the table my_table: it lacks the INSERT, UPDATE, DELETE"_s),
                 qPrintable(privileges.reasons.first()));
        // And the server agrees: a write is refused, and explained.
        QSqlQuery update(session.database());
        QVERIFY(!update.exec(u"UPDATE my_table SET name = 'x'"_s));
        const ConnectionError refused = ConnectionError::fromStatementError(update.lastError(), u"saving"_s);
        QCOMPARE(refused.kind(), Kind::PermissionDenied);
    }

    void insertWithoutTheSequenceIsNotAWrite()
    {
        createRole(u"pgdesk_rel_noseq"_s);
        m_server.psql(m_database, u"GRANT SELECT, INSERT, UPDATE, DELETE ON my_table TO pgdesk_rel_noseq"_s);
        DatabaseSession session;
        QVERIFY(session.open(roleSettings(u"pgdesk_rel_noseq"_s)));
        const auto privileges = session.tablePrivileges();
        QVERIFY(privileges.canUpdate && privileges.canDelete);
        QVERIFY(!privileges.canInsert);
        QVERIFY(privileges.isReadOnly());
        QVERIFY2(privileges.reasons.join(u' ').contains(u"USAGE on the sequence"_s),
                 qPrintable(privileges.reasons.join(u' ')));
        QSqlQuery insert(session.database());
        QVERIFY(!insert.exec(u"INSERT INTO my_table(name) VALUES ('x')"_s)); // the server agrees
    }

    void roleThatMayNotReadTheTable()
    {
        createRole(u"pgdesk_rel_noread"_s);
        DatabaseSession session;
        QVERIFY(session.open(roleSettings(u"pgdesk_rel_noread"_s)));
        const auto privileges = session.tablePrivileges();
        QVERIFY(privileges.known);
        QVERIFY(!privileges.canSelect);
        QVERIFY(!privileges.isReadOnly()); // not even that: nothing to show
        QVERIFY2(privileges.reasons.join(u' ').contains(u"may not read the table my_table"_s),
                 qPrintable(privileges.reasons.join(u' ')));
        // ensureTable() must not try to create a table that exists but cannot be read.
        bool created = true;
        QVERIFY(session.ensureTable(&created));
        QVERIFY(!created);
        QSqlQuery select(session.database());
        QVERIFY(!select.exec(u"SELECT * FROM my_table"_s));
        QCOMPARE(ConnectionError::fromStatementError(select.lastError(), u"reading"_s).kind(), Kind::PermissionDenied);
    }

    void statementTimeoutOnTheRole()
    {
        createRole(u"pgdesk_rel_slow"_s);
        m_server.psql(m_database,
                      u"GRANT SELECT, INSERT, UPDATE, DELETE ON my_table TO pgdesk_rel_slow; "
                      "GRANT USAGE ON SEQUENCE my_table_id_seq TO pgdesk_rel_slow; "
                      "ALTER ROLE pgdesk_rel_slow SET statement_timeout = '200ms'"_s);
        DatabaseSession session;
        QVERIFY2(session.open(roleSettings(u"pgdesk_rel_slow"_s)), qPrintable(session.lastError().fullText()));
        QVERIFY(!session.serverInfo().serverVersion.isEmpty());
        QVERIFY(session.ensureTable());
        QVERIFY(session.tablePrivileges().canWrite());
        QVERIFY(session.tableShapeProblems().isEmpty());
        QVERIFY(session.ping());
        // What takes longer is cancelled by the server, and explained as such.
        QSqlQuery slow(session.database());
        QVERIFY(!slow.exec(u"SELECT pg_sleep(1)"_s));
        const ConnectionError error = ConnectionError::fromStatementError(slow.lastError(), u"reading the rows"_s);
        QCOMPARE(error.kind(), Kind::StatementTimeout);
        QVERIFY2(error.message().contains(u"statement_timeout"_s), qPrintable(error.fullText()));
        QVERIFY(session.ping()); // a cancelled statement leaves the link alive
        QVERIFY(!session.isLost());
    }

    void aFailedTransactionIsNotALostConnection()
    {
        // In an aborted transaction the server refuses even SELECT 1: ping() must still call the
        // link alive, or the watcher would reconnect and throw the transaction's state away.
        DatabaseSession session;
        QVERIFY(session.open(m_server.settings(m_database)));
        QSignalSpy lost(&session, &DatabaseSession::connectionLost);
        QVERIFY(session.database().transaction());
        QSqlQuery broken(session.database());
        QVERIFY(!broken.exec(u"SELECT * FROM no_such_table"_s));
        QVERIFY(session.ping());
        QVERIFY(!session.isLost());
        QCOMPARE(lost.count(), 0);
        QVERIFY(session.database().rollback());
        QVERIFY(session.ping());
    }

    // ---- the table ----

    void tableShapesPgdeskCannotEdit_data()
    {
        QTest::addColumn<QString>("ddl");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QStringList>("mentions");
        // Issue 20: any columns will do beside the key (the search box filters on a text column).
        QTest::newRow("no name column") << u"CREATE TABLE shape_noname(id BIGSERIAL PRIMARY KEY, title text)"_s
                                        << u"shape_noname"_s << QStringList{};
        QTest::newRow("name is an integer") << u"CREATE TABLE shape_intname(id BIGSERIAL PRIMARY KEY, name integer)"_s
                                            << u"shape_intname"_s << QStringList{};
        QTest::newRow("no primary key") << u"CREATE TABLE shape_nokey(id bigint, name text)"_s << u"shape_nokey"_s
                                        << QStringList{ u"has no primary key"_s };
        // A composite key names its rows by all its columns; each is held to the single key's rule.
        QTest::newRow("two-column key") << u"CREATE TABLE shape_pair(a int, b text, name text, PRIMARY KEY (a, b))"_s
                                        << u"shape_pair"_s << QStringList{};
        // Times are read as the server's text, to the microsecond: a time key names its rows.
        QTest::newRow("two-column key with a time")
            << u"CREATE TABLE shape_pairtime(a int, at time, name text, PRIMARY KEY (a, at))"_s << u"shape_pairtime"_s
            << QStringList{};
        QTest::newRow("time key") << u"CREATE TABLE shape_timekey(at time PRIMARY KEY, name text)"_s
                                  << u"shape_timekey"_s << QStringList{};
        // An interval's text depends on IntervalStyle; a float and its text need not meet.
        QTest::newRow("two-column key with an interval")
            << u"CREATE TABLE shape_pairinterval(a int, span interval, name text, PRIMARY KEY (a, span))"_s
            << u"shape_pairinterval"_s
            << QStringList{ u"primary key column \"span\" of shape_pairinterval is interval"_s };
        // A domain over a timestamp is read as text, in the session's DateStyle; a time's text
        // does not depend on it.
        QTest::newRow("domain over a timestamp key")
            << u"DROP DOMAIN IF EXISTS stamp; CREATE DOMAIN stamp AS timestamptz; "
               "CREATE TABLE shape_domainkey(at stamp PRIMARY KEY, name text)"_s
            << u"shape_domainkey"_s << QStringList{ u"primary key column \"at\" of shape_domainkey is stamp"_s };
        QTest::newRow("domain over a time key") << u"DROP DOMAIN IF EXISTS clock; CREATE DOMAIN clock AS time; "
                                                   "CREATE TABLE shape_clockkey(at clock PRIMARY KEY, name text)"_s
                                                << u"shape_clockkey"_s << QStringList{};
        // An enum's and citext's text read back as the same value; an extension's other string
        // types, and name, are not known to. A domain over an enum has no '=' with a literal;
        // citext off the search path compares a literal as text, in another order than its index.
        QTest::newRow("enum key") << u"DROP TYPE IF EXISTS phase CASCADE; CREATE TYPE phase AS ENUM ('b', 'a'); "
                                     "CREATE TABLE shape_enumkey(at phase PRIMARY KEY, name text)"_s
                                  << u"shape_enumkey"_s << QStringList{};
        QTest::newRow("domain over an enum key")
            << u"DROP TYPE IF EXISTS phase2 CASCADE; CREATE TYPE phase2 AS ENUM ('b', 'a'); CREATE DOMAIN phase_d AS "
               "phase2; CREATE TABLE shape_enumdomainkey(at phase_d PRIMARY KEY, name text)"_s
            << u"shape_enumdomainkey"_s
            << QStringList{ u"primary key column \"at\" of shape_enumdomainkey is phase_d"_s };
        QTest::newRow("citext key off the search path")
            << u"CREATE SCHEMA IF NOT EXISTS hidden; CREATE EXTENSION IF NOT EXISTS citext SCHEMA hidden; "
               "ALTER EXTENSION citext SET SCHEMA hidden; "
               "CREATE TABLE shape_hiddencitext(e hidden.citext PRIMARY KEY, name text)"_s
            << u"shape_hiddencitext"_s
            << QStringList{ u"primary key column \"e\" of shape_hiddencitext is hidden.citext"_s };
        QTest::newRow("name key") << u"CREATE TABLE shape_namekey(n name PRIMARY KEY, label text)"_s
                                  << u"shape_namekey"_s
                                  << QStringList{ u"primary key column \"n\" of shape_namekey is name"_s };
        QTest::newRow("float key") << u"CREATE TABLE shape_floatkey(x real PRIMARY KEY, name text)"_s
                                   << u"shape_floatkey"_s
                                   << QStringList{ u"primary key column \"x\" of shape_floatkey is real"_s };
        QTest::newRow("no key, no text") << u"CREATE TABLE shape_bad(x int, name boolean)"_s << u"shape_bad"_s
                                         << QStringList{ u"has no primary key"_s };
        QTest::newRow("a view") << u"CREATE VIEW shape_view AS SELECT * FROM my_table"_s << u"shape_view"_s
                                << QStringList{ u"has no primary key"_s };
        QTest::newRow("missing table") << QString() << u"shape_missing"_s << QStringList{ u"does not exist"_s };
        QTest::newRow("tutorial shape with a domain and int key")
            << u"CREATE DOMAIN short_text AS varchar(40); "
               "CREATE TABLE shape_fine(id integer PRIMARY KEY, name short_text, extra jsonb)"_s
            << u"shape_fine"_s << QStringList{};
    }
    void tableShapesPgdeskCannotEdit()
    {
        QFETCH(QString, ddl);
        QFETCH(QString, table);
        QFETCH(QStringList, mentions);
        if (!ddl.isEmpty()) {
            bool ok = false;
            m_server.psql(m_database, u"DROP VIEW IF EXISTS %1; DROP TABLE IF EXISTS %1; "_s.arg(table) + ddl, &ok);
            QVERIFY(ok);
        }
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(Field::Table, table);
        DatabaseSession session;
        QVERIFY(session.open(settings));
        const QStringList problems = session.tableShapeProblems();
        QCOMPARE(problems.size(), mentions.size());
        for (int i = 0; i < mentions.size(); ++i)
            QVERIFY2(problems.at(i).contains(mentions.at(i)), qPrintable(problems.join(u'\n')));
        for (const QString& problem : problems)
            QVERIFY2(problem.endsWith(u'.'), "each reason is a sentence");
    }

    void quotedMixedCaseAndSchemaQualifiedNamesFromTheEnvFile_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("table");
        QTest::newRow("quoted mixed case")
            << QByteArray("PG_TABLE='\"People Of Note\"'") << u"public"_s << u"People Of Note"_s;
        QTest::newRow("schema-qualified") << QByteArray("PG_TABLE=Sales.Orders") << u"sales"_s << u"orders"_s;
        QTest::newRow("both quoted") << QByteArray("PG_TABLE='\"Odd.Schema\".\"Mixed\"\"Quote\"'") << u"Odd.Schema"_s
                                     << u"Mixed\"Quote"_s;
        QTest::newRow("double-quoted in the .env")
            << QByteArray("PG_TABLE=\"\\\"Ünïcode\\\".\\\"Tåble\\\"\"") << u"Ünïcode"_s << u"Tåble"_s;
    }
    void quotedMixedCaseAndSchemaQualifiedNamesFromTheEnvFile()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, schema);
        QFETCH(QString, table);
        const auto resolution = resolveFile(u"table.env"_s, serverEnv(m_database) + line + '\n');
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        m_server.psql(m_database, u"CREATE SCHEMA IF NOT EXISTS %1"_s.arg(TableName::quoteIdentifier(schema)));
        DatabaseSession session;
        QVERIFY2(session.open(resolution.settings), qPrintable(session.lastError().fullText()));
        QCOMPARE(session.tableName().name(), table);
        bool created = false;
        QVERIFY2(session.ensureTable(&created), qPrintable(session.lastError().fullText()));
        const QString qualified = TableName::quoteIdentifier(schema) + u'.' + TableName::quoteIdentifier(table);
        // psql finds exactly that table, created with the tutorial's shape.
        QCOMPARE(m_server.psql(m_database, u"SELECT count(*) FROM %1"_s.arg(qualified)), u"0"_s);
        QVERIFY(session.tableShapeProblems().isEmpty());
        QVERIFY(session.tablePrivileges().canWrite());
        m_server.psql(m_database, u"DROP TABLE %1"_s.arg(qualified));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
