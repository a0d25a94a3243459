#include "PrivateCluster.h"
#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSqlTableModel>
#include <QTest>

using namespace Qt::StringLiterals;
using State = ConnectionWatcher::State;

// Faults injected into a live session: the administrator terminates it, the server crashes
// (pg_ctl stop -m immediate) and comes back, the server restarts. The session must notice, the
// watcher must reconnect with backoff, and what a reopen restores (ServerInfo, LISTEN) must be
// back. Runs on a cluster of its own (PrivateCluster): other suites share the fixture servers.
class TestConnectionLoss : public QObject
{
    Q_OBJECT

private:
    PrivateCluster m_cluster;
    const QString m_database = u"reliability"_s;

    const TestServer& server() const { return m_cluster.server(); }

    static qint64 backendPid(const DatabaseSession& session)
    {
        QSqlQuery query(session.database());
        if (!query.exec(u"SELECT pg_backend_pid()"_s) || !query.next())
            return -1;
        return query.value(0).toLongLong();
    }

    void openSession(DatabaseSession& session)
    {
        QVERIFY2(session.open(server().settings(m_database)), qPrintable(session.lastError().fullText()));
        QVERIFY(session.ensureTable());
    }

    void startServerAgain()
    {
        QString error;
        QVERIFY2(m_cluster.startAgain(&error), qPrintable(error));
    }

private slots:
    void initTestCase()
    {
        QElapsedTimer timer;
        timer.start();
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        qInfo("private cluster started in %lld ms", timer.elapsed());
        QVERIFY2(m_cluster.server().recreateDatabase(m_database, &error), qPrintable(error));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void init()
    {
        // A test that failed half-way may have left the server down.
        bool ok = false;
        server().psql(u"postgres"_s, u"SELECT 1"_s, &ok);
        if (!ok)
            startServerAgain();
    }

    void terminatedSessionIsNoticedAndReopened()
    {
        DatabaseSession session;
        openSession(session);
        QVERIFY(session.ping());
        const qint64 before = backendPid(session);
        QVERIFY(before > 0);
        QSignalSpy lost(&session, &DatabaseSession::connectionLost);
        QSignalSpy reconnected(&session, &DatabaseSession::reconnected);

        QString error;
        QVERIFY2(m_cluster.terminateBackend(before, &error), qPrintable(error));
        // QPSQL still says open: only a round trip can tell.
        QVERIFY(session.database().isOpen());
        QVERIFY(!session.ping());
        QVERIFY(session.isLost());
        QCOMPARE(lost.count(), 1);
        QCOMPARE(session.lastError().kind(), ConnectionError::Kind::ConnectionLost);
        QVERIFY(!session.ping());
        QCOMPARE(lost.count(), 1); // once per loss, not once per ping

        QVERIFY2(session.reconnect(), qPrintable(session.lastError().fullText()));
        QCOMPARE(reconnected.count(), 1);
        QVERIFY(!session.isLost());
        QVERIFY(session.ping());
        const qint64 after = backendPid(session);
        QVERIFY(after > 0 && after != before);
        QCOMPARE(session.serverInfo().serverVersion, server().psql(m_database, u"SHOW server_version"_s));
        QVERIFY(session.serverInfo().sslInUse);
    }

    void statementErrorsAfterLossAreExplained()
    {
        DatabaseSession session;
        openSession(session);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        // The first failure carries libpq's words, later ones (in Qt 6.4) none at all; both must
        // read as a lost connection, never as an empty message.
        for (int attempt = 0; attempt < 2; ++attempt) {
            QSqlQuery query(session.database());
            QVERIFY(!query.exec(u"SELECT count(*) FROM my_table"_s));
            const ConnectionError explained
                = ConnectionError::fromStatementError(query.lastError(), u"reading the rows"_s);
            QCOMPARE(explained.kind(), ConnectionError::Kind::ConnectionLost);
            QVERIFY2(explained.message().contains(u"lost"_s), qPrintable(explained.fullText()));
            QVERIFY(!explained.fullText().contains(server().password()));
            // Where an empty string means "no error", the reason is never empty.
            QVERIFY2(!ConnectionError::reasonOf(query.lastError()).isEmpty(), qPrintable(explained.fullText()));
        }
        // A failed lookup is no answer: the table is there, and the caller is told the lookup failed.
        QString lookupError;
        QVERIFY(!session.tableExists(&lookupError));
        QVERIFY2(lookupError.contains(u"connection"_s), qPrintable(lookupError));
        QCOMPARE(session.lastError().kind(), ConnectionError::Kind::ConnectionLost);
        QCOMPARE(server().psql(m_database, u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
    }

    void notificationSubscriptionsComeBack()
    {
        DatabaseSession session;
        openSession(session);
        QSqlDriver* driver = session.database().driver();
        QVERIFY(driver->subscribeToNotification(u"pgdesk_changes"_s));
        QSignalSpy notified(driver, &QSqlDriver::notification);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        QVERIFY(!session.ping());
        QVERIFY(session.reconnect());
        // The same driver object, so signal connections made before the loss still work.
        QCOMPARE(session.database().driver(), driver);
        QCOMPARE(driver->subscribedToNotifications(), QStringList{ u"pgdesk_changes"_s });
        server().psql(m_database, u"NOTIFY pgdesk_changes, 'after reconnect'"_s);
        QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 5000);
        QCOMPARE(notified.at(0).at(2).toString(), u"after reconnect"_s);
    }

    void whatACallerMustRedoAfterAReconnect()
    {
        // Documents the contract in DatabaseSession.h: the same QSqlDatabase works again, but a
        // statement prepared before is gone on the server and a model must setTable() again.
        DatabaseSession session;
        openSession(session);
        server().psql(m_database, u"INSERT INTO my_table(name) VALUES ('kept')"_s);
        QSqlTableModel model(nullptr, session.database());
        model.setTable(u"my_table"_s);
        QVERIFY(model.select());
        const int rows = model.rowCount();
        QVERIFY(rows > 0);
        QSqlQuery prepared(session.database());
        QVERIFY(prepared.prepare(u"SELECT name FROM my_table WHERE id = ?"_s));

        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        QVERIFY(!model.select()); // offline: the model's select fails and it loses its record
        QVERIFY(!session.ping());
        QVERIFY(session.reconnect());

        prepared.addBindValue(1);
        QVERIFY(!prepared.exec());
        QVERIFY2(prepared.lastError().text().contains(u"does not exist"_s), qPrintable(prepared.lastError().text()));
        QVERIFY(prepared.prepare(u"SELECT name FROM my_table WHERE id = ?"_s));
        prepared.addBindValue(1);
        QVERIFY2(prepared.exec(), qPrintable(prepared.lastError().text()));

        model.setTable(u"my_table"_s);
        QVERIFY2(model.select(), qPrintable(model.lastError().text()));
        QCOMPARE(model.rowCount(), rows);
    }

    void pingLeavesARunningForwardOnlyQueryAlone()
    {
        DatabaseSession session;
        openSession(session);
        QSqlQuery rows(session.database());
        rows.setForwardOnly(true);
        QVERIFY(rows.exec(u"SELECT generate_series(1, 50000)"_s));
        QVERIFY(rows.next());
        QVERIFY(session.ping()); // must not send SELECT 1 in the middle of single-row mode
        int count = 1;
        while (rows.next())
            ++count;
        QCOMPARE(count, 50000);
        QVERIFY(session.ping());
    }

    void reconnectWhileTheServerIsDownSaysWhy()
    {
        DatabaseSession session;
        openSession(session);
        QString error;
        QVERIFY2(m_cluster.stopImmediately(&error), qPrintable(error));
        QSignalSpy lost(&session, &DatabaseSession::connectionLost);
        QVERIFY(!session.reconnect());
        QCOMPARE(lost.count(), 1);
        QVERIFY(session.isLost());
        QCOMPARE(session.lastError().kind(), ConnectionError::Kind::NoServer);
        QVERIFY2(session.lastError().message().contains(QString::number(server().port())),
                 qPrintable(session.lastError().fullText()));
        QVERIFY(!session.lastError().fullText().contains(server().password()));
        QVERIFY(!session.reconnect());
        QCOMPARE(lost.count(), 1);
        startServerAgain();
        QVERIFY2(session.reconnect(), qPrintable(session.lastError().fullText()));
        QVERIFY(session.ping());
    }

    void watcherBacksOffWhileTheServerIsDownAndReconnectsOnDemand()
    {
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(100);
        QSignalSpy states(&watcher, &ConnectionWatcher::stateChanged);
        QSignalSpy failed(&watcher, &ConnectionWatcher::attemptFailed);
        QSignalSpy countdown(&watcher, &ConnectionWatcher::countdownChanged);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        QCOMPARE(watcher.state(), State::Online);
        QCOMPARE(watcher.secondsToNextAttempt(), -1);

        // The database gets a new zone, which only a new connection sees: ServerInfo must be read
        // anew by the reconnect.
        // The fixture's clusters run with synchronous_commit off: without the CHECKPOINT the crash
        // below could lose the commit.
        server().psql(u"postgres"_s, u"ALTER DATABASE reliability SET timezone = 'Asia/Tokyo'"_s);
        server().psql(u"postgres"_s, u"CHECKPOINT"_s);
        QString error;
        QVERIFY2(m_cluster.stopImmediately(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(watcher.state(), State::Offline, 3000);
        QCOMPARE(watcher.currentDelayMs(), ConnectionWatcher::defaultFirstDelayMs);
        QVERIFY(watcher.secondsToNextAttempt() >= 0 && watcher.secondsToNextAttempt() <= 1);

        // 0.5 s, then 1 s, then 2 s between attempts: three failures in about 3.5 s.
        QList<int> delays;
        connect(&watcher, &ConnectionWatcher::attemptFailed, this, [&] { delays << watcher.currentDelayMs(); });
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 3, 10000);
        QCOMPARE(delays.mid(0, 3), (QList<int>{ 1000, 2000, 4000 }));
        QCOMPARE(watcher.failedAttempts(), failed.count());
        QCOMPARE(watcher.lastError().kind(), ConnectionError::Kind::NoServer);
        QVERIFY(!countdown.isEmpty());
        QVERIFY(states.contains(QVariantList{ QVariant::fromValue(State::Reconnecting) }));
        QVERIFY(reconnected.isEmpty());

        startServerAgain();
        QCOMPARE(session.serverInfo().timeZone, u"America/St_Johns"_s);
        // "Reconnect now" does not wait for the countdown (up to 4 s here).
        QElapsedTimer timer;
        timer.start();
        watcher.reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 3000);
        QVERIFY2(timer.elapsed() < 2500, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
        QCOMPARE(watcher.state(), State::Online);
        QCOMPARE(watcher.failedAttempts(), 0);
        QCOMPARE(watcher.secondsToNextAttempt(), -1);
        QCOMPARE(session.serverInfo().timeZone, u"Asia/Tokyo"_s);
        QVERIFY(session.ping());
        server().psql(u"postgres"_s, u"ALTER DATABASE reliability RESET timezone"_s);
    }

    void watcherRidesOutARestart()
    {
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(100);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        const qint64 before = backendPid(session);
        QString error;
        QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 10000);
        QCOMPARE(watcher.state(), State::Online);
        QVERIFY(backendPid(session) != before);
        QSqlQuery query(session.database());
        QVERIFY2(query.exec(u"SELECT count(*) FROM my_table"_s), qPrintable(query.lastError().text()));
    }

    void watcherNoticesATerminatedSession()
    {
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(100);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        // Noticed by the watcher's own ping, reopened after the first 0.5 s delay.
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 5000);
        QVERIFY(session.ping());
    }

    void theServersGoodbyeIsReadWithoutARoundTrip()
    {
        DatabaseSession session;
        openSession(session);
        QVERIFY(session.checkWithoutWaiting());
        QSignalSpy lost(&session, &DatabaseSession::connectionLost);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        // The backend's FATAL message and the end of the connection are already on the socket.
        QTRY_VERIFY_WITH_TIMEOUT(!session.checkWithoutWaiting(), 5000);
        QVERIFY(session.isLost());
        QCOMPARE(lost.count(), 1);
        QCOMPARE(session.lastError().kind(), ConnectionError::Kind::ConnectionLost);
    }

    void whileListeningTheCheckLeavesNotificationsToTheDriver()
    {
        DatabaseSession session;
        openSession(session);
        QSqlDriver* driver = session.database().driver();
        QVERIFY(driver->subscribeToNotification(u"pgdesk_changes"_s));
        QSignalSpy notified(driver, &QSqlDriver::notification);
        server().psql(m_database, u"NOTIFY pgdesk_changes, 'not swallowed'"_s);
        // Checking again and again must not drain the socket the driver's notifier waits on.
        QElapsedTimer waited;
        waited.start();
        while (notified.isEmpty() && waited.elapsed() < 5000) {
            QVERIFY(session.checkWithoutWaiting());
            QTest::qWait(20);
        }
        QCOMPARE(notified.count(), 1);
        QCOMPARE(notified.at(0).at(2).toString(), u"not swallowed"_s);
    }

    void theProbeNoticesATerminatedSessionWhileListening()
    {
        // While the session LISTENs nothing reads its socket but the driver: the probe, on a
        // connection of its own, asks whether the server still runs the session's backend.
        DatabaseSession session;
        openSession(session);
        QVERIFY(session.database().driver()->subscribeToNotification(u"pgdesk_changes"_s));
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(100);
        QSignalSpy states(&watcher, &ConnectionWatcher::stateChanged);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        const qint64 before = backendPid(session);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(before, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 5000);
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.first().first().value<State>(), State::Offline);
        QVERIFY(backendPid(session) != before);
        QCOMPARE(session.database().driver()->subscribedToNotifications(), QStringList{ u"pgdesk_changes"_s });
    }

    void aCheckAfterAFailedStatementNeverWaits()
    {
        // check() is what the window calls after a failed statement: it reads what the server
        // already sent and asks the probe, and a terminated session is noticed either way.
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(0);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT((watcher.check(), watcher.state() != State::Online), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 5000);
        QCOMPARE(watcher.state(), State::Online);
    }

    void someoneElsesFailedStatementStartsTheWatcher()
    {
        // The window's model sees a failed statement first; it calls ping(), and the watcher,
        // which pings only every few seconds, takes over at once.
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        watcher.setCheckInterval(0);
        QSignalSpy reconnected(&watcher, &ConnectionWatcher::reconnected);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        QSqlQuery query(session.database());
        QVERIFY(!query.exec(u"SELECT 1"_s));
        QCOMPARE(watcher.state(), State::Online);
        QVERIFY(!session.ping());
        QCOMPARE(watcher.state(), State::Offline);
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 5000);
    }

    void closingTheSessionStopsTheWatcher()
    {
        DatabaseSession session;
        openSession(session);
        ConnectionWatcher watcher(&session);
        QString error;
        QVERIFY2(m_cluster.terminateBackend(backendPid(session), &error), qPrintable(error));
        QVERIFY(!session.ping());
        QCOMPARE(watcher.state(), State::Offline);
        session.close();
        QCOMPARE(watcher.state(), State::Online);
        QCOMPARE(watcher.secondsToNextAttempt(), -1);
        watcher.reconnectNow(); // nothing to reconnect: must not crash or reopen
        QVERIFY(!session.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestConnectionLoss)
#include "tst_connectionloss.moc"
