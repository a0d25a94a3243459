#include "FreezableRelay.h"
#include "IntegerKey.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "connection/ConnectionWatcher.h"
#include "connection/NetworkThreadPool.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

// The window keeps answering while another client holds a lock on the table, or while the network
// path to the server is dead (issue 13): what it asks the server meanwhile waits on worker
// connections, never on the GUI thread.
class TestNoWait : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_nowait"_s;
    std::unique_ptr<MainWindow> m_window;
    // The lock is held this long; a window that waited for it would freeze about as long.
    static constexpr int lockSeconds = 6;
    // Far below the freeze, far above what a busy shared machine adds to a 10 ms timer.
    static constexpr qint64 stallLimitMs = 1000;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    TableModel* model() { return m_window->model(); }
    int rowWithName(const QString& name) { return ::rowWithName(model(), name); }

    // Another client takes ACCESS EXCLUSIVE (as ALTER TABLE, TRUNCATE or VACUUM FULL do) and holds
    // it for lockSeconds; returns once the server has granted it.
    QList<qint64> keysShown()
    {
        QList<qint64> keys;
        for (int row = 0; row < model()->serverRowCount(); ++row)
            keys << integerKey(model()->keyAt(row));
        return keys;
    }

    void holdLock(QProcess& holder, const QString& alsoInTheTransaction = {})
    {
        m_server.startPsql(
            holder, m_database,
            u"BEGIN; LOCK TABLE my_table IN ACCESS EXCLUSIVE MODE; %2 SELECT pg_sleep(%1); COMMIT;"_s.arg(lockSeconds)
                .arg(alsoInTheTransaction));
        QTRY_COMPARE_WITH_TIMEOUT(
            sql(u"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'my_table' AND l.mode = 'AccessExclusiveLock' AND l.granted"_s),
            u"1"_s, 10000);
    }

    // The longest time the event loop went without running a 10 ms timer until the holder ended,
    // while `during` acts as the user does.
    qint64 longestStallUntilFinished(QProcess& holder, const std::function<void()>& during = {})
    {
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0;
        qint64 longest = 0;
        QTimer tick;
        tick.setInterval(10);
        connect(&tick, &QTimer::timeout, this, [&] {
            longest = std::max(longest, clock.elapsed() - last);
            last = clock.elapsed();
        });
        tick.start();
        if (during)
            during();
        const bool ended
            = QTest::qWaitFor([&] { return holder.state() == QProcess::NotRunning; }, (lockSeconds + 20) * 1000);
        if (!ended)
            return std::numeric_limits<qint64>::max(); // the lock never ended: the test fails on it
        return std::max(longest, clock.elapsed() - last);
    }

    // A new window whose connection runs through relay, which the test can freeze; the watcher
    // tries again within 2 s once the path is back.
    bool openThroughRelay(FreezableRelay& relay, QString* error)
    {
        m_window.reset();
        const int relayPort = relay.start(m_server.host(), m_server.port());
        if (relayPort <= 0) {
            *error = relay.errorText();
            return false;
        }
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Port, QString::number(relayPort));
        m_window = openMainWindow(settings, error);
        if (!m_window)
            return false;
        m_window->connectionWatcher()->setBackoff(500, 2000);
        return true;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, true);
    }

    void init()
    {
        MessageBox::clearTestState();
        sql(u"DROP TABLE IF EXISTS my_table; CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || g FROM generate_series(1, 200) g"_s);
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        m_window->liveUpdates()->setPollInterval(300);
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
        // What a dead path left waiting ends once the path is back or closed; the process must not
        // exit under it (see NetworkThreadPool::idle()).
        QTRY_VERIFY_WITH_TIMEOUT(NetworkThreadPool::idle(), 30000);
    }

    // The idle window: the live view's poll used to wait for the lock on the GUI thread.
    void theIdleWindowKeepsAnsweringWhileALockIsHeld()
    {
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Polling);
        QProcess holder;
        holdLock(holder);
        const qint64 stall = longestStallUntilFinished(holder);
        QVERIFY2(stall < stallLimitMs, qPrintable(u"the event loop stalled %1 ms"_s.arg(stall)));
        QCOMPARE(holder.exitCode(), 0);
        // And the live view goes on once the lock is gone.
        sql(u"INSERT INTO my_table(name) VALUES ('after the lock')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"after the lock"_s) >= 0, 6000);
    }

    // F5 and typing a filter while the lock is held: the window answers, and shows the rows once
    // the lock is gone.
    void refreshAndFilterWhileALockIsHeld()
    {
        QProcess holder;
        holdLock(holder);
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        const qint64 stall = longestStallUntilFinished(holder, [&] {
            action("actionRefresh")->trigger();
            QTest::qWait(300);
            QTest::keyClicks(search, u"person 1"_s);
        });
        QVERIFY2(stall < stallLimitMs, qPrintable(u"the event loop stalled %1 ms"_s.arg(stall)));
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), u"person 1"_s, 5000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(),
                                  sql(u"SELECT count(*) FROM my_table WHERE name ILIKE '%person 1%'"_s).toInt(), 5000);
    }

    // A cell edited while a reload waits for the lock: the rows that arrive replace the grid's, and
    // the editor with them; what was typed is kept as a staged edit of that row, not dropped, and
    // the editor opens again on that cell.
    void textTypedWhileRowsLoadIsKept()
    {
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        auto* view = m_window->findChild<QTableView*>(u"tableView"_s);
        const int row = rowWithName(u"person 7"_s);
        QVERIFY(row >= 0);
        const qint64 key = integerKey(model()->keyAt(row));
        QProcess holder;
        // The lock's holder also deletes a row above it: the rows that arrive are shifted by one.
        holdLock(holder, u"DELETE FROM my_table WHERE name = 'person 1';"_s);
        action("actionRefresh")->trigger();
        QTRY_VERIFY(model()->isLoading());
        view->setCurrentIndex(model()->index(row, 1));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "F2 opened no line editor while the rows load");
        editor->selectAll();
        QTest::keyClicks(editor, u"typed while waiting"_s);
        QVERIFY(QTest::qWaitFor([&] { return holder.state() == QProcess::NotRunning; }, (lockSeconds + 20) * 1000));
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY(model()->hasPendingChanges());
        QCOMPARE(model()->index(rowWithName(u"typed while waiting"_s), 0).data(Qt::EditRole).toLongLong(), key);
        // The editor is open again on that cell, so the user types on.
        QTRY_VERIFY(qobject_cast<QLineEdit*>(QApplication::focusWidget()));
        editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QCOMPARE(editor->text(), u"typed while waiting"_s);
        QCOMPARE(view->currentIndex(), model()->index(rowWithName(u"typed while waiting"_s), 1));
        QCOMPARE(rowWithName(u"typed while waiting"_s), row - 1);
        QTest::keyClick(editor, Qt::Key_Return);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), u"typed while waiting"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'typed while waiting'"_s), u"1"_s);
    }

    // The server process holding the lock that holdLock() took: the one granted it, not a holder
    // of an earlier test whose backend has not gone yet (its query text still matches).
    QString lockHolderPid()
    {
        return sql(u"SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                   "WHERE c.relname = 'my_table' AND l.mode = 'AccessExclusiveLock' AND l.granted"_s);
    }

    // Save while another client holds the table: the save waits on a connection of its own, the
    // window answers, the status names who holds the lock, and the row is written once it ends.
    void saveWaitsForALockAndNamesTheHolder()
    {
        const int row = rowWithName(u"person 7"_s);
        QVERIFY(row >= 0);
        const qint64 key = integerKey(model()->keyAt(row));
        QVERIFY(model()->setData(model()->index(row, model()->nameColumn()), u"saved after the lock"_s));
        QProcess holder;
        holdLock(holder);
        const QString holderPid = lockHolderPid();
        QVERIFY(!holderPid.isEmpty());
        QString statusWhileWaiting;
        bool editableWhileWaiting = true;
        const qint64 stall = longestStallUntilFinished(holder, [&] {
            QTimer::singleShot(2500, this, [&] {
                statusWhileWaiting = m_window->findChild<QLabel*>(u"networkWaitLabel"_s)->text();
                editableWhileWaiting = model()->flags(model()->index(0, model()->nameColumn())) & Qt::ItemIsEditable;
            });
            action("actionSave")->trigger(); // returns when the save has finished
        });
        QVERIFY2(stall < stallLimitMs, qPrintable(u"the event loop stalled %1 ms"_s.arg(stall)));
        QVERIFY2(statusWhileWaiting.contains(u"Waiting for a lock held by pid %1 (psql)"_s.arg(holderPid)),
                 qPrintable(statusWhileWaiting));
        QVERIFY(!editableWhileWaiting);
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), u"saved after the lock"_s);
        QVERIFY(MessageBox::shownTexts().isEmpty());
    }

    // F5 while another client holds the table: the status bar names who holds the lock the rows
    // wait for, Esc cancels the read on the server, and the rows on screen stay.
    void aReloadWaitingForALockNamesTheHolderAndEscCancelsIt()
    {
        const QList<qint64> keysBefore = keysShown();
        QProcess holder;
        holdLock(holder);
        const QString holderPid = lockHolderPid();
        QVERIFY(!holderPid.isEmpty());
        QString statusWhileWaiting;
        bool stillLoadingAfterEsc = true;
        // The timers belong to this function: a holder that ends early must not leave them to fire
        // into its locals after it returned.
        QObject timers;
        QSignalSpy failures(model(), &TableModel::windowFailed);
        const qint64 stall = longestStallUntilFinished(holder, [&] {
            action("actionRefresh")->trigger();
            QTimer::singleShot(2500, &timers, [&] {
                statusWhileWaiting = m_window->statusBar()->currentMessage();
                action("actionCancelQuery")->trigger(); // Esc
            });
            // Asked until the lock is nearly over: on a loaded machine the cancel's answer can take
            // seconds, and only a read still waiting when the lock ends would not be cancelled.
            auto* poll = new QTimer(&timers);
            connect(poll, &QTimer::timeout, &timers, [&, poll] {
                stillLoadingAfterEsc = model()->isLoading();
                if (!stillLoadingAfterEsc)
                    poll->stop();
            });
            QTimer::singleShot(3000, &timers, [poll] { poll->start(100); });
            QTimer::singleShot((lockSeconds - 1) * 1000, &timers, [poll] { poll->stop(); });
        });
        QVERIFY2(stall < stallLimitMs, qPrintable(u"the event loop stalled %1 ms"_s.arg(stall)));
        QVERIFY2(statusWhileWaiting.contains(u"Waiting for a lock held by pid %1 (psql)"_s.arg(holderPid)),
                 qPrintable(statusWhileWaiting));
        QVERIFY(!stillLoadingAfterEsc);
        // Cancelled on the server, not merely ended with the lock.
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.constFirst().at(1).toBool(), true);
        QCOMPARE(keysShown(), keysBefore);
    }

    // Esc while a save waits for a lock: the statement is cancelled on the server, nothing is
    // written, the edit stays staged, and a later Save writes it.
    void escCancelsASaveThatWaitsForALock()
    {
        const int row = rowWithName(u"person 8"_s);
        QVERIFY(row >= 0);
        const qint64 key = integerKey(model()->keyAt(row));
        QVERIFY(model()->setData(model()->index(row, model()->nameColumn()), u"not yet"_s));
        QProcess holder;
        holdLock(holder);
        QTimer::singleShot(1500, this, [&] { action("actionCancelQuery")->trigger(); });
        MessageBox::answerNext(QMessageBox::Ok); // the box that says the save was cancelled
        QElapsedTimer clock;
        clock.start();
        action("actionSave")->trigger();
        QVERIFY2(clock.elapsed() < (lockSeconds - 1) * 1000,
                 qPrintable(u"the save waited %1 ms despite Esc"_s.arg(clock.elapsed())));
        QVERIFY(holder.state() != QProcess::NotRunning); // it really ended before the lock did
        QVERIFY(model()->hasPendingChanges());
        const QStringList shown = MessageBox::shownTexts();
        QVERIFY2(shown.join(u'\n').contains(u"Saving was cancelled."_s), qPrintable(shown.join(u'\n')));
        QVERIFY(holder.waitForFinished((lockSeconds + 20) * 1000));
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), u"person 8"_s);
        action("actionSave")->trigger();
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), u"not yet"_s);
    }

    // A dead path (packets stop, nothing is closed): Offline within seconds, the window answers
    // throughout, idle and then with F5 and a filter typed, and once the path is back Save writes
    // exactly the staged edit.
    void aDeadPathShowsOfflineAndKeepsTheStagedEdit()
    {
        FreezableRelay relay;
        QString error;
        QVERIFY2(openThroughRelay(relay, &error), qPrintable(error));
        ConnectionWatcher* watcher = m_window->connectionWatcher();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->mode() == LiveUpdates::Mode::Polling, 5000);
        const int row = rowWithName(u"person 3"_s);
        QVERIFY(row >= 0);
        QVERIFY(model()->setData(model()->index(row, 1), u"person 3, staged before the path died"_s));
        // Let the probe's connection answer once, so its short deadline applies.
        QTest::qWait(2 * ConnectionWatcher::defaultCheckIntervalMs);

        QVERIFY(relay.freeze());
        QElapsedTimer sinceFreeze;
        sinceFreeze.start();
        auto* offline = m_window->findChild<QLabel*>(u"offlineLabel"_s);
        qint64 offlineAfterMs = -1;
        QProcess idle; // stands in for "until": the window idles for 8 s
        idle.start(u"sleep"_s, { u"8"_s });
        QTimer watchOffline;
        connect(&watchOffline, &QTimer::timeout, this, [&] {
            if (offlineAfterMs < 0 && offline->isVisible())
                offlineAfterMs = sinceFreeze.elapsed();
        });
        watchOffline.start(20);
        const qint64 idleStall = longestStallUntilFinished(idle);
        QVERIFY2(idleStall < stallLimitMs, qPrintable(u"idle: the event loop stalled %1 ms"_s.arg(idleStall)));
        QVERIFY2(offlineAfterMs >= 0 && offlineAfterMs <= 7000,
                 qPrintable(u"Offline showed after %1 ms"_s.arg(offlineAfterMs)));

        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QProcess working;
        working.start(u"sleep"_s, { u"6"_s });
        const qint64 workingStall = longestStallUntilFinished(working, [&] {
            action("actionRefresh")->trigger();
            QTest::qWait(200);
            QTest::keyClicks(search, u"person"_s);
        });
        QVERIFY2(workingStall < stallLimitMs,
                 qPrintable(u"F5 and a filter: the event loop stalled %1 ms"_s.arg(workingStall)));
        QCOMPARE(model()->pendingChangeCount(), 1);
        qInfo("dead path: Offline after %lld ms; longest stall %lld ms idle, %lld ms with F5 and a filter",
              offlineAfterMs, idleStall, workingStall);

        QVERIFY(relay.thaw());
        QTRY_COMPARE_WITH_TIMEOUT(watcher->state(), ConnectionWatcher::State::Online, 30000);
        QVERIFY(waitUntilWindowLoaded(m_window.get(), 30000));
        QCOMPARE(model()->pendingChangeCount(), 1);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 3"_s), u"person 3, staged before the path died"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%staged before the path died'"_s), u"1"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"200"_s);
        m_window.reset();
        relay.stop();
    }

    // What once hung a CI run: the probe answered, the path died, and the GUI thread then pinged
    // the session's own connection, waiting on the dead path. check() (which the window also calls
    // after any failed statement) is that moment made certain: it must not send on the session's
    // connection, and the probe still finds the path dead.
    void aCheckOnADeadPathDoesNotWait()
    {
        FreezableRelay relay;
        QString error;
        QVERIFY2(openThroughRelay(relay, &error), qPrintable(error));
        ConnectionWatcher* watcher = m_window->connectionWatcher();
        QTest::qWait(2 * ConnectionWatcher::defaultCheckIntervalMs);
        QCOMPARE(watcher->state(), ConnectionWatcher::State::Online);

        QVERIFY(relay.freeze());
        QProcess idle;
        idle.start(u"sleep"_s, { u"6"_s });
        const qint64 stall = longestStallUntilFinished(idle, [&] { watcher->check(); });
        QVERIFY2(stall < stallLimitMs, qPrintable(u"check() on a dead path stalled the event loop %1 ms"_s.arg(stall)));
        QVERIFY(watcher->state() != ConnectionWatcher::State::Online);

        QVERIFY(relay.thaw());
        QTRY_COMPARE_WITH_TIMEOUT(watcher->state(), ConnectionWatcher::State::Online, 30000);
        QVERIFY(waitUntilWindowLoaded(m_window.get(), 30000));
        m_window.reset();
        relay.stop();
    }

    // The few statements the GUI thread still runs on the session's connection (LISTEN, catalog
    // reads at bind, the first window) would wait forever on a path that died a moment before
    // behind something that still acknowledges, as the relay does. The watchdog cuts the socket
    // once the event loop stopped for its limit (2 s here, 15 s in the app): the statement fails,
    // the watcher reconnects, and the staged edit is saved.
    void aStatementOnTheSessionsConnectionEndsWhenTheWatchdogCutsIt()
    {
        FreezableRelay relay;
        QString error;
        QVERIFY2(openThroughRelay(relay, &error), qPrintable(error));
        ConnectionWatcher* watcher = m_window->connectionWatcher();
        watcher->setSocketCutAfter(2000);
        const int row = rowWithName(u"person 4"_s);
        QVERIFY(row >= 0);
        QVERIFY(model()->setData(model()->index(row, 1), u"person 4, staged before the cut"_s));
        QTest::qWait(2 * ConnectionWatcher::defaultCheckIntervalMs);
        QCOMPARE(watcher->socketCuts(), 0);

        QVERIFY(relay.freeze());
        QElapsedTimer clock;
        clock.start();
        {
            QSqlQuery query(m_window->session()->database());
            QVERIFY(!query.exec(u"SELECT 1"_s)); // returns only because the socket was cut
        }
        qInfo("the statement on the dead path ended after %lld ms", clock.elapsed());
        QCOMPARE(watcher->socketCuts(), 1);
        watcher->check(); // what the window does after a failed statement
        QVERIFY(watcher->state() != ConnectionWatcher::State::Online);
        QCOMPARE(model()->pendingChangeCount(), 1);

        QVERIFY(relay.thaw());
        QTRY_COMPARE_WITH_TIMEOUT(watcher->state(), ConnectionWatcher::State::Online, 30000);
        QVERIFY(waitUntilWindowLoaded(m_window.get(), 30000));
        QCOMPARE(model()->pendingChangeCount(), 1);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 4"_s), u"person 4, staged before the cut"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"200"_s);
        m_window.reset();
        relay.stop();
    }
};

QTEST_MAIN(TestNoWait)
#include "tst_nowait.moc"
