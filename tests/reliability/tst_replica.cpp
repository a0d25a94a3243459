#include "PgdeskProcess.h"
#include "TestServer.h"
#include "WindowDriver.h"

#include "connection/DatabaseSession.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Qt::StringLiterals;

// A real hot standby (tests/support/pg-replica.sh: pg_basebackup -R from a primary of its own),
// and a role whose transactions are read-only by default: pgdesk opens both read-only, says why,
// writes nothing, and follows the primary's changes by polling.
class TestReplica : public QObject
{
    Q_OBJECT

private:
    TestServer m_primary; // PGDESK_TEST_SERVER_ENV: the primary, for psql
    QHash<QString, QString> m_replica; // replica.env
    const QString m_database = u"postgres"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QNetworkAccessManager m_network;

    QString sql(const QString& statement) { return m_primary.checkedPsql(m_database, statement); }

    ConnectionSettings replicaSettings(const QString& source) const
    {
        using Field = ConnectionSettings::Field;
        using Source = ConnectionSettings::Source;
        ConnectionSettings settings;
        settings.set(Field::Host, m_replica.value(u"PG_HOST"_s), Source::EnvFile, source);
        settings.set(Field::Port, m_replica.value(u"PG_PORT"_s), Source::EnvFile, source);
        settings.set(Field::User, m_replica.value(u"PG_USER"_s), Source::EnvFile, source);
        settings.set(Field::Password, m_replica.value(u"PG_PASSWORD"_s), Source::EnvFile, source);
        settings.set(Field::Database, m_database, Source::EnvFile, source);
        return settings;
    }

    QString envFile(const QString& name, const QString& port, const QString& user, const QString& password)
    {
        QDir(m_dir.path()).mkpath(name);
        const QString path = m_dir.filePath(name + u"/.env"_s);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            QTextStream out(&file);
            out << "PG_HOST=127.0.0.1\nPG_PORT=" << port << "\nPG_USER=" << user << "\nPG_PASSWORD=" << password
                << "\nPG_DATABASE=" << m_database << '\n';
        }
        return path;
    }

    using Run = PgdeskProcess::Run;

    static Run pgdesk(const QStringList& arguments)
    {
        return PgdeskProcess::run(QStringLiteral(PGDESK_BINARY), arguments);
    }

    // The replica has replayed the primary's WAL up to now: what the primary holds, it shows.
    bool waitForReplay()
    {
        const QString lsn = sql(u"SELECT pg_current_wal_lsn()"_s);
        DatabaseSession replica;
        if (!replica.open(replicaSettings(u"replica"_s)))
            return false;
        return QTest::qWaitFor(
            [&] {
                QSqlQuery query(replica.database());
                return query.exec(u"SELECT pg_last_wal_replay_lsn() >= '%1'::pg_lsn"_s.arg(lsn)) && query.next()
                    && query.value(0).toBool();
            },
            20000);
    }

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_primary);
        QFile file(qEnvironmentVariable("PGDESK_TEST_REPLICA_ENV"));
        QVERIFY2(file.open(QIODevice::ReadOnly),
                 "no replica: PGDESK_TEST_REPLICA_ENV is not readable (the replica fixture writes it)");
        QTextStream in(&file);
        while (!in.atEnd()) {
            const QString line = in.readLine();
            const qsizetype equals = line.indexOf(u'=');
            if (equals > 0)
                m_replica.insert(line.left(equals), line.mid(equals + 1));
        }
        QCOMPARE(m_replica.value(u"PGDESK_TEST_PRIMARY_PORT"_s).toInt(), m_primary.port());
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name, date) VALUES ('alice', '2024-03-10 02:30:00.123456'), "
            "('bob', '2024-05-01 10:00:00')"_s);
        QVERIFY(waitForReplay());
    }

    void cleanup() { m_window.reset(); }

    void theSessionKnowsItIsAReplica()
    {
        DatabaseSession replica;
        QVERIFY2(replica.open(replicaSettings(u"replica"_s)), qPrintable(replica.lastError().fullText()));
        QVERIFY(replica.serverInfo().inRecovery);
        QVERIFY(replica.serverInfo().readOnlyReason().contains(u"read-only replica (hot standby)"_s));
        DatabaseSession primary;
        QVERIFY2(primary.open(m_primary.settings(m_database)), qPrintable(primary.lastError().fullText()));
        QVERIFY(!primary.serverInfo().inRecovery);
        QVERIFY(primary.serverInfo().readOnlyReason().isEmpty());
    }

    void theWindowOpensReadOnlyAndFollowsThePrimaryByPolling()
    {
        QSettings().setValue(u"view/liveUpdates"_s, true);
        QString error;
        m_window = openMainWindow(replicaSettings(u"replica"_s), &error);
        QVERIFY2(m_window, qPrintable(error));
        TableModel* model = m_window->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(rowWithName(model, u"alice"_s), 2).data().toString(), u"2024-03-10 02:30:00.123456"_s);

        auto* banner = m_window->findChild<QLabel*>(u"readOnlyLabel"_s);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), u"This server is a read-only replica (hot standby)"_s);
        QVERIFY(banner->toolTip().contains(u"Connect to the primary server to edit"_s));
        for (const char* name :
             { "actionAddRow", "actionDeleteRows", "actionPaste", "actionPasteAsNewRows", "actionDropTable",
               "actionImport", "actionInstallChangeTrigger", "actionCreateTrigramIndex" })
            QVERIFY2(!action(name)->isEnabled(), name);
        QCOMPARE(m_window->tableView()->editTriggers(), QAbstractItemView::NoEditTriggers);

        auto* live = m_window->findChild<QLabel*>(u"liveStatusLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT(live->text().contains(u"polling"_s), 5000);
        QVERIFY2(live->toolTip().contains(u"replica"_s), qPrintable(live->toolTip()));

        // After the poll's first baseline, which is taken once the window loaded: a change that
        // lands before it is not noticed (docs/RELIABILITY.md, Not handled yet).
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->hasBaseline(), 15000);
        sql(u"INSERT INTO my_table(name) VALUES ('written-on-the-primary')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(model, u"written-on-the-primary"_s) >= 0, 20000);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"3"_s);
    }

    void theCommandLineAndHttpApiRefuseWritesWithTheReason()
    {
        const QString env = envFile(u"replica"_s, m_replica.value(u"PG_PORT"_s), m_replica.value(u"PG_USER"_s),
                                    m_replica.value(u"PG_PASSWORD"_s));
        const QString before = sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s);
        const Run read = pgdesk({ u"read"_s, u"--env"_s, env });
        QVERIFY2(read.exitCode == 0 && read.out.contains(u"alice"_s), qPrintable(read.describe()));
        for (const QStringList& write : { QStringList{ u"add"_s, u"nope"_s }, QStringList{ u"delete"_s, u"alice"_s },
                                          QStringList{ u"drop"_s, u"--yes"_s } }) {
            const Run run = pgdesk(write + QStringList{ u"--env"_s, env });
            QVERIFY2(run.exitCode != 0, qPrintable(run.describe()));
            QVERIFY2(run.err.contains(u"read-only replica (hot standby)"_s), qPrintable(run.describe()));
            QVERIFY2(!run.err.contains(u"cannot execute"_s), qPrintable(run.describe())); // not the raw error
        }
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), before);

        QProcess serve;
        serve.setProcessEnvironment(PgdeskProcess::childEnvironment());
        serve.start(QStringLiteral(PGDESK_BINARY), { u"serve"_s, u"--port"_s, u"0"_s, u"--env"_s, env });
        QByteArray output;
        QElapsedTimer timer;
        timer.start();
        while (!output.contains('\n') && serve.state() != QProcess::NotRunning && timer.elapsed() < 20000) {
            serve.waitForReadyRead(100);
            output += serve.readAllStandardOutput();
        }
        const QRegularExpressionMatch match
            = QRegularExpression(u"Listening on: http://127\\.0\\.0\\.1:(\\d+)"_s).match(QString::fromUtf8(output));
        QVERIFY2(match.hasMatch(), output.constData());
        QNetworkReply* reply
            = m_network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:"_s + match.captured(1) + u"/write?name=nope"_s)));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(20000));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        QCOMPARE(status, 403);
        QCOMPARE(body.value(u"error"_s).toString(), u"read-only"_s);
        QVERIFY2(body.value(u"result"_s).toString().contains(u"read-only replica (hot standby)"_s),
                 qPrintable(body.value(u"result"_s).toString()));
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), before);
    }

    // On the primary itself: a role whose transactions are read-only by default.
    void aRoleWithReadOnlyTransactionsOpensReadOnly()
    {
        const QString password = u"ro-password-1"_s;
        sql(u"DROP ROLE IF EXISTS pgdesk_readonly_role; "
            "CREATE ROLE pgdesk_readonly_role LOGIN PASSWORD '%1'; "
            "ALTER ROLE pgdesk_readonly_role SET default_transaction_read_only = on; "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON my_table TO pgdesk_readonly_role; "
            "GRANT USAGE ON SEQUENCE my_table_id_seq TO pgdesk_readonly_role"_s.arg(password));
        ConnectionSettings settings = m_primary.settings(m_database);
        settings.set(ConnectionSettings::Field::User, u"pgdesk_readonly_role"_s, ConnectionSettings::Source::EnvFile,
                     u"test"_s);
        settings.set(ConnectionSettings::Field::Password, password, ConnectionSettings::Source::EnvFile, u"test"_s);
        QString error;
        m_window = openMainWindow(settings, &error);
        QVERIFY2(m_window, qPrintable(error));
        auto* banner = m_window->findChild<QLabel*>(u"readOnlyLabel"_s);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), u"Read-only connection"_s);
        QVERIFY2(banner->toolTip().contains(u"default_transaction_read_only is on for the role "
                                            "\"pgdesk_readonly_role\""_s),
                 qPrintable(banner->toolTip()));
        QVERIFY(!action("actionAddRow")->isEnabled());
        m_window.reset();

        const QString env
            = envFile(u"readonly-role"_s, QString::number(m_primary.port()), u"pgdesk_readonly_role"_s, password);
        const Run add = pgdesk({ u"add"_s, u"nope"_s, u"--env"_s, env });
        QVERIFY2(add.exitCode != 0 && add.err.contains(u"default_transaction_read_only"_s), qPrintable(add.describe()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'nope'"_s), u"0"_s);
    }
};

QTEST_MAIN(TestReplica)
#include "tst_replica.moc"
