#include "ModalDriver.h"
#include "TestServer.h"
#include "gui/ConnectionDialog.h"
#include "gui/MainWindow.h"
#include "gui/StartupFlow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_mainwindow"_s;
    QTemporaryDir m_dir;

    std::unique_ptr<DatabaseSession> openSession()
    {
        auto session = std::make_unique<DatabaseSession>();
        if (!session->open(m_server.settings(m_database)) || !session->ensureTable())
            return nullptr;
        return session;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init() { m_server.psql(m_database, u"DROP TABLE IF EXISTS my_table"_s); }

    void showsTheRowsTheDatabaseHolds()
    {
        auto session = openSession();
        QVERIFY(session);
        m_server.psql(m_database,
                      u"INSERT INTO my_table(name, date) VALUES ('alice', '2024-05-01 10:00:00.5'), "
                      "('bob', '2024-05-02 11:00:00'), (NULL, '2024-05-03 12:00:00')"_s);
        MainWindow window;
        window.setSession(std::move(session));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto* view = window.findChild<QTableView*>(u"tableView"_s);
        QVERIFY(view);
        QTRY_VERIFY(!window.model()->isLoading());
        QVERIFY(view->isVisible());
        QCOMPARE(view->model()->rowCount(), m_server.psql(m_database, u"SELECT count(*) FROM my_table"_s).toInt());
        view->model()->sort(0, Qt::AscendingOrder);
        QTRY_VERIFY(!window.model()->isLoading());
        QCOMPARE(view->model()->index(0, 1).data().toString(), u"alice"_s);
        // Shown exactly as stored, although this client runs in Pacific/Auckland.
        QCOMPARE(view->model()->index(0, 2).data().toString(),
                 m_server.psql(m_database, u"SELECT date FROM my_table WHERE name = 'alice'"_s));
        QCOMPARE(view->model()->index(0, 2).data().toString(), u"2024-05-01 10:00:00.5"_s);

        auto* connectionLabel = window.findChild<QLabel*>(u"connectionStatusLabel"_s);
        QVERIFY(connectionLabel->text().contains(u"SSL TLS"_s));
        QVERIFY(connectionLabel->text().contains(m_server.user()));
        QVERIFY(connectionLabel->text().contains(u"America/St_Johns"_s));
        QVERIFY(!connectionLabel->text().contains(m_server.password()));
        QCOMPARE(window.findChild<QLabel*>(u"rowCountStatusLabel"_s)->text(), u"3 rows"_s);
        QVERIFY(window.windowTitle().contains(u"my_table"_s));
        QVERIFY(!window.windowTitle().contains(m_server.password()));
    }

    void refreshPicksUpRowsFromOtherClients()
    {
        auto session = openSession();
        QVERIFY(session);
        MainWindow window;
        window.setSession(std::move(session));
        auto* view = window.findChild<QTableView*>(u"tableView"_s);
        QTRY_VERIFY(!window.model()->isLoading());
        QCOMPARE(view->model()->rowCount(), 0);
        m_server.psql(m_database, u"INSERT INTO my_table(name) VALUES ('from psql'), ('another')"_s);
        auto* refresh = window.findChild<QAction*>(u"actionRefresh"_s);
        QVERIFY(refresh);
        QCOMPARE(refresh->shortcut(), QKeySequence(Qt::Key_F5));
        refresh->trigger();
        QTRY_VERIFY(!window.model()->isLoading());
        QCOMPARE(view->model()->rowCount(), 2);
        QCOMPARE(window.findChild<QLabel*>(u"rowCountStatusLabel"_s)->text(), u"2 rows"_s);
    }

    void startupWithEnvFileConnectsDirectlyAndCreatesTheTable()
    {
        const QString envPath = m_server.writeEnvFile(m_dir.path(), m_database);
        auto lookup = ConnectionSettings::Lookup::fromSystem(envPath);
        StartupFlow flow(ConnectionSettings::resolve(lookup));
        // No dialog may appear: fail if one does instead of hanging.
        QTimer::singleShot(5000, [] {
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        });
        std::unique_ptr<DatabaseSession> session = flow.connect(nullptr);
        QVERIFY(session);
        QCOMPARE(m_server.psql(m_database, u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
    }

    void startupWithWrongPasswordAsksWithTheReason()
    {
        const QString envPath = m_server.writeEnvFile(m_dir.path(), m_database);
        auto lookup = ConnectionSettings::Lookup::fromSystem(envPath);
        auto resolution = ConnectionSettings::resolve(lookup);
        resolution.settings.set(ConnectionSettings::Field::Password, u"wrong"_s, ConnectionSettings::Source::EnvFile,
                                envPath);
        StartupFlow flow(resolution);

        QString shownError;
        whenModalShows(u"connectionDialog"_s, [&](QWidget* dialog) {
            shownError = dialog->findChild<QLabel*>(u"messageLabel"_s)->text();
            auto* password = dialog->findChild<QLineEdit*>(u"passwordLineEdit"_s);
            QCOMPARE(password->echoMode(), QLineEdit::Password);
            password->selectAll();
            QTest::keyClicks(password, m_server.password());
            dialog->findChild<QPushButton*>(u"connectButton"_s)->click();
        });
        std::unique_ptr<DatabaseSession> session = flow.connect(nullptr);
        QVERIFY2(shownError.contains(u"rejected the password"_s), qPrintable(shownError));
        QVERIFY(session);
        QVERIFY(session->isOpen());
        QCOMPARE(session->settings().source(ConnectionSettings::Field::Password), ConnectionSettings::Source::Entered);
    }

    void aSelectOnlyRoleOpensReadOnlyWithTheReason()
    {
        m_server.psql(m_database,
                      u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
                      "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
                      "INSERT INTO my_table(name) VALUES ('visible'); "
                      "DROP ROLE IF EXISTS pgdesk_reader; "
                      "CREATE ROLE pgdesk_reader LOGIN PASSWORD 'reader-pass'; "
                      "GRANT SELECT ON my_table TO pgdesk_reader"_s);
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::User, u"pgdesk_reader"_s);
        settings.set(ConnectionSettings::Field::Password, u"reader-pass"_s);
        auto session = std::make_unique<DatabaseSession>();
        QVERIFY2(session->open(settings), qPrintable(session->lastError().fullText()));
        MainWindow window;
        window.setSession(std::move(session));
        QTRY_VERIFY(!window.model()->isLoading());
        QCOMPARE(window.model()->rowCount(), 1);
        auto* label = window.findChild<QLabel*>(u"readOnlyLabel"_s);
        QVERIFY(!label->isHidden());
        QVERIFY(!label->toolTip().isEmpty());
        QVERIFY(!window.findChild<QAction*>(u"actionAddRow"_s)->isEnabled());
        QVERIFY(!window.findChild<QAction*>(u"actionDropTable"_s)->isEnabled());
        QCOMPARE(window.tableView()->editTriggers(), QAbstractItemView::NoEditTriggers);
        window.setSession(nullptr);
        m_server.psql(m_database, u"DROP TABLE my_table; DROP ROLE pgdesk_reader"_s);
    }

    void cleanupTestCase() { m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_mainwindow WITH (FORCE)"_s); }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
