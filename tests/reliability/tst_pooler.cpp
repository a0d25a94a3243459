#include "PgdeskProcess.h"
#include "TestServer.h"
#include "WindowDriver.h"

#include "connection/DatabaseSession.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"
#include "service/TutorialStore.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
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

// pgdesk through a real PgBouncer (tests/support/pgbouncer.sh: Debian's 1.18, transaction
// pooling, TLS on both sides, default startup-parameter settings) in front of the fixture's SSL
// server. Every check of what the database holds goes to the server directly with psql.
class TestPooler : public QObject
{
    Q_OBJECT

private:
    TestServer m_server; // the real server, for psql
    QHash<QString, QString> m_pooler; // pooler.env
    const QString m_database = u"tst_pooler"_s;
    QTemporaryDir m_dir;
    QString m_envFile; // a .env that points pgdesk at the pooler
    std::unique_ptr<MainWindow> m_window;
    QNetworkAccessManager m_network;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }

    ConnectionSettings poolerSettings() const
    {
        using Field = ConnectionSettings::Field;
        using Source = ConnectionSettings::Source;
        ConnectionSettings settings;
        settings.set(Field::Host, m_pooler.value(u"PG_HOST"_s), Source::EnvFile, m_envFile);
        settings.set(Field::Port, m_pooler.value(u"PG_PORT"_s), Source::EnvFile, m_envFile);
        settings.set(Field::User, m_pooler.value(u"PG_USER"_s), Source::EnvFile, m_envFile);
        settings.set(Field::Password, m_pooler.value(u"PG_PASSWORD"_s), Source::EnvFile, m_envFile);
        settings.set(Field::Database, m_database, Source::EnvFile, m_envFile);
        settings.set(Field::SslMode, u"verify-full"_s, Source::EnvFile, m_envFile);
        settings.set(Field::SslRootCert, m_pooler.value(u"PGDESK_TEST_SSL_ROOT_CERT"_s), Source::EnvFile, m_envFile);
        return settings;
    }

    using Run = PgdeskProcess::Run;

    Run pgdesk(const QStringList& arguments) const
    {
        return PgdeskProcess::run(QStringLiteral(PGDESK_BINARY), arguments + QStringList{ u"--env"_s, m_envFile });
    }

    // psql through the pooler, with extra libpq keywords.
    Run psqlThroughPooler(const QString& extraConninfo, const QString& statement)
    {
        QProcess process;
        QProcessEnvironment environment = PgdeskProcess::childEnvironment();
        environment.insert(u"PGPASSWORD"_s, m_pooler.value(u"PG_PASSWORD"_s));
        process.setProcessEnvironment(environment);
        const QString conninfo = u"host=%1 port=%2 user=%3 dbname=%4 sslmode=require %5"_s.arg(
            m_pooler.value(u"PG_HOST"_s), m_pooler.value(u"PG_PORT"_s), m_pooler.value(u"PG_USER"_s), m_database,
            extraConninfo);
        process.start(m_server.value(u"PGDESK_TEST_BINDIR"_s) + u"/psql"_s,
                      { u"-X"_s, u"-At"_s, u"-d"_s, conninfo, u"-c"_s, statement });
        Run run;
        process.waitForFinished(30000);
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    QJsonDocument httpGet(const QUrl& url, int* status)
    {
        QNetworkReply* reply = m_network.get(QNetworkRequest(url));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(20000);
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
        delete reply;
        return document;
    }

    void resetTable()
    {
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name, date) VALUES ('alice', '2024-03-10 02:30:00.123456'), "
            "('bob', '2024-05-01 10:00:00'), ('carol', '2024-05-02 10:00:00')"_s);
    }

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QString label(const char* name) { return m_window->findChild<QLabel*>(QString::fromLatin1(name))->text(); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        const QString poolerEnv = qEnvironmentVariable("PGDESK_TEST_POOLER_ENV");
        QFile file(poolerEnv);
        QVERIFY2(
            file.open(QIODevice::ReadOnly),
            qPrintable(u"no pooler: PGDESK_TEST_POOLER_ENV=%1 (the pgbouncer fixture writes it)"_s.arg(poolerEnv)));
        QTextStream in(&file);
        while (!in.atEnd()) {
            const QString line = in.readLine();
            const qsizetype equals = line.indexOf(u'=');
            if (equals > 0)
                m_pooler.insert(line.left(equals), line.mid(equals + 1));
        }
        QVERIFY(!m_pooler.value(u"PG_PORT"_s).isEmpty());
        QVERIFY(m_pooler.value(u"PG_PORT"_s).toInt() != m_server.port());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        // Recreating the database ends the pooler's server connections to the old one; a login
        // the pooler tried in between fails, and it then refuses logins for server_login_retry
        // (15 s). Wait until it lets clients in again.
        QVERIFY2(QTest::qWaitFor([&] { return psqlThroughPooler({}, u"SELECT 1"_s).exitCode == 0; }, 40000),
                 qPrintable(psqlThroughPooler({}, u"SELECT 1"_s).describe()));
        m_envFile = m_dir.filePath(u".env"_s);
        QFile env(m_envFile);
        QVERIFY(env.open(QIODevice::WriteOnly));
        QTextStream out(&env);
        out << "PG_HOST=" << m_pooler.value(u"PG_HOST"_s) << "\nPG_PORT=" << m_pooler.value(u"PG_PORT"_s)
            << "\nPG_USER=" << m_pooler.value(u"PG_USER"_s) << "\nPG_PASSWORD=" << m_pooler.value(u"PG_PASSWORD"_s)
            << "\nPG_DATABASE=" << m_database
            << "\nPG_SSLMODE=verify-full\nPG_SSLROOTCERT=" << m_pooler.value(u"PGDESK_TEST_SSL_ROOT_CERT"_s) << '\n';
    }

    void init()
    {
        MessageBox::clearTestState();
        resetTable();
    }

    void cleanup()
    {
        if (m_window && m_window->model() && m_window->model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    // The fixture is what hosted poolers are: it refuses a startup `options`, as pgdesk once sent.
    // PgBouncer before 1.20 (Debian 12 has 1.18) refuses any `options`; from 1.20 (Debian 13 has
    // 1.24) it accepts the parameters it tracks, DateStyle and TimeZone among them, and refuses the
    // others with "unsupported startup parameter in options: ...". statement_timeout is refused by both.
    void thePoolerRefusesStartupOptions()
    {
        const Run refused = psqlThroughPooler(u"options='-c statement_timeout=0'"_s, u"SELECT 1"_s);
        QVERIFY2(refused.exitCode != 0 && refused.err.contains(u"unsupported startup parameter"_s)
                     && refused.err.contains(u"options"_s),
                 qPrintable(refused.describe()));
        const Run plain = psqlThroughPooler({}, u"SELECT 1"_s);
        QVERIFY2(plain.exitCode == 0 && plain.out == u"1"_s, qPrintable(plain.describe()));
    }

    void theSessionConnectsWithTlsAndNoticesThePooler()
    {
        DatabaseSession pooled;
        QVERIFY2(pooled.open(poolerSettings()), qPrintable(pooled.lastError().fullText()));
        QVERIFY(pooled.serverInfo().behindPooler);
        QVERIFY(!pooled.serverInfo().inRecovery);
        QVERIFY(pooled.serverInfo().readOnlyReason().isEmpty());
        // pgdesk's own link, to the pooler (client_tls_sslmode = require), as libpq reports it;
        // pg_stat_ssl would describe the pooler's link to the server instead.
        QVERIFY(pooled.serverInfo().sslInUse);
        QVERIFY(pooled.serverInfo().sslProtocol.startsWith(u"TLSv"_s));
        // The server's zone, not the UTC that Qt 6.8's QPSQL sets at connect: pgdesk's RESET goes
        // to one server connection, and the pooler, which tracks TimeZone, sets it on the others.
        const QString serverZone = m_server.checkedPsql(m_database, u"SHOW TimeZone"_s);
        QCOMPARE(pooled.serverInfo().timeZone, serverZone);
        for (int i = 0; i < 3; ++i) {
            QSqlQuery zone(pooled.database());
            QVERIFY(zone.exec(u"SELECT current_setting('TimeZone')"_s) && zone.next());
            QCOMPARE(zone.value(0).toString(), serverZone);
        }

        DatabaseSession direct;
        QVERIFY2(direct.open(m_server.settings(m_database)), qPrintable(direct.lastError().fullText()));
        QVERIFY(!direct.serverInfo().behindPooler);
    }

    // One process after another, each numbering QPSQL's prepared statements from 1 again, and two
    // at once: with named PREPAREs the second would find "qpsqlpstmt_1" already on the pooled
    // server connection, or miss its own on another.
    void commandLineThroughThePooler()
    {
        for (const QString& name : { u"dave"_s, u"erin"_s, u"O'Brien"_s, u"100% sure"_s }) {
            const Run add = pgdesk({ u"add"_s, name });
            QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        }
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s),
                 u"alice,bob,carol,dave,erin,O'Brien,100% sure"_s);

        QList<std::shared_ptr<QProcess>> parallel;
        for (int i = 0; i < 4; ++i) {
            auto process = std::make_shared<QProcess>();
            process->setProcessEnvironment(PgdeskProcess::childEnvironment());
            process->start(QStringLiteral(PGDESK_BINARY), { u"add"_s, u"parallel%1"_s.arg(i), u"--env"_s, m_envFile });
            parallel << process;
        }
        for (const auto& process : parallel) {
            QVERIFY(process->waitForFinished(30000));
            QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        }
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE 'parallel%'"_s), u"4"_s);

        const Run read = pgdesk({ u"read"_s, u"--json"_s, u"alice"_s });
        QVERIFY2(read.exitCode == 0, qPrintable(read.describe()));
        const QJsonArray rows = QJsonDocument::fromJson(read.out.toUtf8()).array();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value(u"date"_s).toString(), u"2024-03-10 02:30:00.123456"_s);

        const Run remove = pgdesk({ u"delete"_s, u"bob"_s });
        QVERIFY2(remove.exitCode == 0, qPrintable(remove.describe()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'bob'"_s), u"0"_s);
        const Run check = pgdesk({ u"check"_s });
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
    }

    void httpApiThroughThePooler()
    {
        QProcess serve;
        serve.setProcessEnvironment(PgdeskProcess::childEnvironment());
        serve.start(QStringLiteral(PGDESK_BINARY),
                    { u"serve"_s, u"--port"_s, u"0"_s, u"--allow-drop"_s, u"--env"_s, m_envFile });
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
        const QString base = u"http://127.0.0.1:"_s + match.captured(1);

        int status = 0;
        for (const QString& name : { u"frank"_s, u"grace"_s, u"heidi"_s }) {
            httpGet(QUrl(base + u"/write?name="_s + name), &status);
            QCOMPARE(status, 200);
        }
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > 3"_s), u"frank,grace,heidi"_s);
        // Another client's row, written on the server itself, is read through the pooler.
        sql(u"INSERT INTO my_table(name, date) VALUES ('ivan', '2024-07-01 08:00:00.5')"_s);
        const QJsonDocument read = httpGet(QUrl(base + u"/read?name=ivan"_s), &status);
        QCOMPARE(status, 200);
        QCOMPARE(read.array().size(), 1);
        QCOMPARE(read.array().first().toObject().value(u"date"_s).toString(), u"2024-07-01 08:00:00.5"_s);

        httpGet(QUrl(base + u"/delete"_s), &status);
        QCOMPARE(status, 200);
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
    }

    // Add, edit, save, filter and delete in the real window, and the live view: polling by itself
    // (notifications cannot come through a transaction pooler), picking up another client's row.
    void windowThroughThePooler()
    {
        QSettings().setValue(u"view/liveUpdates"_s, true);
        QString error;
        m_window = openMainWindow(poolerSettings(), &error);
        QVERIFY2(m_window, qPrintable(error));
        TableModel* model = m_window->model();
        QTableView* view = m_window->tableView();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->index(rowWithName(model, u"alice"_s), 2).data().toString(), u"2024-03-10 02:30:00.123456"_s);

        // The live view polls, and says why.
        QTRY_VERIFY_WITH_TIMEOUT(label("liveStatusLabel").contains(u"polling"_s), 5000);
        QVERIFY2(m_window->findChild<QLabel*>(u"liveStatusLabel"_s)->toolTip().contains(u"pooler"_s),
                 qPrintable(m_window->findChild<QLabel*>(u"liveStatusLabel"_s)->toolTip()));

        // Add a row.
        QTest::keyClick(view, Qt::Key_N, Qt::ControlModifier);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "Add row must open the name cell's editor");
        QTest::keyClicks(editor, u"judy"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QCoreApplication::processEvents();
        action("actionSave")->trigger();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'judy'"_s), u"1"_s);

        // Edit and save: the timestamp stays as stored.
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        const int alice = rowWithName(model, u"alice"_s);
        QVERIFY(alice >= 0);
        view->setCurrentIndex(model->index(alice, 1));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F2);
        editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, u"alicia"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QCoreApplication::processEvents();
        action("actionSave")->trigger();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT date FROM my_table WHERE name = 'alicia'"_s), u"2024-03-10 02:30:00.123456"_s);

        // Filter.
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QTest::keyClicks(search, u"ali"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model->nameFilter().text(), u"ali"_s, 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 5000);
        search->clear();
        QTRY_COMPARE_WITH_TIMEOUT(model->nameFilter().text(), QString(), 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, 5000);

        // Delete.
        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        view->clearSelection();
        view->selectionModel()->select(model->index(rowWithName(model, u"carol"_s), 1),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'carol'"_s), u"0"_s);
        QSettings().remove(u"editing/deleteImmediately"_s);

        // Another client writes on the server; the polling live view shows it. Not at once after
        // the delete: the poll's baseline is taken after the window reloads, and a change that
        // lands before that baseline is not noticed (docs/RELIABILITY.md, Not handled yet).
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTest::qWait(3000);
        sql(u"INSERT INTO my_table(name) VALUES ('from-elsewhere')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(model, u"from-elsewhere"_s) >= 0, 15000);
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"alicia,bob,judy,from-elsewhere"_s);
    }

    // The change trigger, installed by another pgdesk on a direct connection, does not make the
    // pooled window wait for notifications that cannot come: it keeps polling.
    void theTriggerDoesNotStopPollingBehindThePooler()
    {
        DatabaseSession direct;
        QVERIFY2(direct.open(m_server.settings(m_database)), qPrintable(direct.lastError().fullText()));
        sql(u"CREATE OR REPLACE FUNCTION pgdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "PERFORM pg_notify('pgdesk_table_' || TG_RELID::bigint::text, TG_OP); RETURN NULL; END $$; "
            "CREATE TRIGGER pgdesk_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON my_table "
            "FOR EACH STATEMENT EXECUTE FUNCTION pgdesk_notify_change()"_s);
        QSettings().setValue(u"view/liveUpdates"_s, true);
        QString error;
        m_window = openMainWindow(poolerSettings(), &error);
        QVERIFY2(m_window, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(label("liveStatusLabel").contains(u"polling"_s), 5000);
        QVERIFY(!action("actionInstallChangeTrigger")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->hasBaseline(), 15000); // the poll's first baseline
        sql(u"INSERT INTO my_table(name) VALUES ('noticed')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(m_window->model(), u"noticed"_s) >= 0, 15000);
    }

    // Timestamps come out as ISO text whatever DateStyle the server connection has: a pooler may
    // hand out one whose DateStyle is not what pgdesk's connect left.
    void readsDoNotDependOnTheSessionsDateStyle()
    {
        DatabaseSession session;
        QVERIFY2(session.open(m_server.settings(m_database)), qPrintable(session.lastError().fullText()));
        QSqlQuery set(session.database());
        QVERIFY(set.exec(u"SET DateStyle = 'SQL, DMY'"_s));
        QSqlQuery check(session.database());
        QVERIFY(check.exec(u"SELECT date::text FROM my_table WHERE name = 'alice'"_s) && check.next());
        QCOMPARE(check.value(0).toString(), u"10/03/2024 02:30:00.123456"_s); // the setting took
        TutorialStore store(session);
        const auto rows = store.readNamed(u"alice"_s);
        QVERIFY(rows.has_value());
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().date, u"2024-03-10 02:30:00.123456"_s);

        // The grid's model reads on the same connection.
        TableModel model(session.database());
        QVERIFY(model.setTableName(session.tableName()));
        model.attachFetcher(m_server.settings(m_database));
        model.loadFirst();
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() == 3, 10000);
        QCOMPARE(model.index(rowWithName(&model, u"alice"_s), 2).data().toString(), u"2024-03-10 02:30:00.123456"_s);
    }
};

QTEST_MAIN(TestPooler)
#include "tst_pooler.moc"
