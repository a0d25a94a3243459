#include "PrivateCluster.h"
#include "WindowDriver.h"
#include "connection/ConnectionWatcher.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using State = ConnectionWatcher::State;

// The real main window while its server goes away: killed (pg_ctl stop -m immediate, like a
// crash) and brought back, or restarted (pg_ctl restart -m fast). The window must say it is
// offline and count down to the next attempt, stay readable and editable, refuse what needs the
// server with a clear message, reconnect on Ctrl+R or by itself, and keep every staged edit, so
// that Save afterwards writes exactly them. Runs on a cluster of its own (PrivateCluster): the
// fixture servers serve suites running in parallel and must never go down under them.
class TestWindowConnectionLoss : public QObject
{
    Q_OBJECT

private:
    PrivateCluster m_cluster;
    const QString m_database = u"windowloss"_s;
    std::unique_ptr<MainWindow> m_window;

    const TestServer& server() const { return m_cluster.server(); }
    QString sql(const QString& statement) { return server().checkedPsql(m_database, statement); }

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    ConnectionWatcher* watcher() { return m_window->connectionWatcher(); }
    QLabel* offlineLabel() { return m_window->findChild<QLabel*>(u"offlineLabel"_s); }

    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }

    // Back online after a reconnect: the label gone, Reconnect disabled, the rows loaded again.
    void expectOnlineAndReloaded(const QSignalSpy& loaded)
    {
        QCOMPARE(watcher()->state(), State::Online);
        QVERIFY(!offlineLabel()->isVisible());
        QVERIFY(!action("actionReconnect")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 15000); // reloaded since the reconnect
        waitUntilLoaded();
    }

    // Ctrl+S, which must save everything without a message box.
    void saveWithCtrlS()
    {
        MessageBox::clearTestState();
        MessageBox::answerNext(QMessageBox::Ok); // should a box come, it must not block the suite
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u" | "_s)));
        QCOMPARE(model()->pendingChangeCount(), 0);
        waitUntilLoaded();
    }

    int rowWithName(const QString& name)
    {
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, 1).data(Qt::EditRole).toString() == name)
                return row;
        }
        return -1;
    }

    QStringList namesShown()
    {
        QStringList names;
        for (int row = 0; row < model()->rowCount(); ++row)
            names << view()->model()->index(row, 1).data(Qt::DisplayRole).toString();
        return names;
    }

    // Item delegates commit an editor's data through a queued call after Enter.
    static void settle() { QCoreApplication::processEvents(); }

    // Types into the editor that has the focus (F2 on a cell, or the one Add row opened), then Enter.
    void typeIntoOpenEditor(const QString& text)
    {
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "no line editor has the focus");
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
    }

    void typeIntoCell(int row, const QString& text)
    {
        QVERIFY(row >= 0);
        view()->setCurrentIndex(model()->index(row, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F2);
        typeIntoOpenEditor(text);
    }

    void addRowNamed(const QString& name)
    {
        QVERIFY(action("actionAddRow")->isEnabled());
        action("actionAddRow")->trigger();
        typeIntoOpenEditor(name);
    }

    // "Offline: next attempt in N s (Ctrl+R now)": N, or -1 when the label says something else.
    int countdownShown()
    {
        static const QRegularExpression pattern(uR"(^Offline: next attempt in (\d+) s \(Ctrl\+R now\)$)"_s);
        const QRegularExpressionMatch match = pattern.match(offlineLabel()->text());
        return match.hasMatch() ? match.captured(1).toInt() : -1;
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

    void cleanupTestCase()
    {
        m_window.reset();
        m_cluster.stop();
    }

    void init()
    {
        // A test that failed half-way may have left the server down.
        bool ok = false;
        server().psql(u"postgres"_s, u"SELECT 1"_s, &ok);
        if (!ok)
            startServerAgain();
        MessageBox::clearTestState();
        // The fixture runs with synchronous_commit = off: a crash (stop -m immediate) would lose
        // these rows, or the table itself, were they not flushed at commit.
        sql(u"SET synchronous_commit = on; DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name, date) VALUES ('alice', '2024-05-01 10:00:00.123456'), "
            "('bob', '2024-05-02 10:00:00'), ('carol', '2024-05-03 10:00:00'), ('dave', '2024-05-04 10:00:00')"_s);
        QString windowError;
        m_window = openMainWindow(server().settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        waitUntilLoaded();
        QCOMPARE(namesShown(), QStringList({ u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s }));
        QCOMPARE(watcher()->state(), State::Online);
        QVERIFY(!offlineLabel()->isVisible());
        QVERIFY(!action("actionReconnect")->isEnabled());
    }

    void cleanup()
    {
        // Closing with staged edits asks; a failed test must not leave a modal box open.
        MessageBox::clearTestState();
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
        MessageBox::clearTestState();
    }

    void killedServerKeepsEveryStagedEditAndCtrlRReconnects()
    {
        // Notice within a fraction of a second instead of the default 5 s, and wait long enough
        // between attempts that only Ctrl+R can bring the window back within this test.
        watcher()->setCheckInterval(200);
        watcher()->setBackoff(30000, 60000);

        typeIntoCell(rowWithName(u"alice"_s), u"alice, edited before the crash"_s);
        addRowNamed(u"added before the crash"_s);
        QCOMPARE(model()->pendingChangeCount(), 2);
        // The live view reads the table's traits in a network job after the bind; until they
        // arrive Install change trigger stays disabled, and a disabled action says nothing below.
        QTRY_VERIFY_WITH_TIMEOUT(action("actionInstallChangeTrigger")->isEnabled(), 10000);

        QString error;
        QVERIFY2(m_cluster.stopImmediately(&error), qPrintable(error));

        // The window notices by itself and says so in the status bar, with a countdown.
        QTRY_COMPARE_WITH_TIMEOUT(watcher()->state(), State::Offline, 5000);
        QLabel* offline = offlineLabel();
        QVERIFY(m_window->statusBar()->isAncestorOf(offline));
        QVERIFY(offline->isVisible());
        const int firstCountdown = countdownShown();
        // 30 s, or a little more: a coarse timer may fire up to 5 % late, and the label says so.
        QVERIFY2(firstCountdown >= 29 && firstCountdown <= 32, qPrintable(offline->text()));
        QTRY_VERIFY_WITH_TIMEOUT(countdownShown() >= 0 && countdownShown() < firstCountdown, 3000);
        QVERIFY(offline->toolTip().contains(u"unsaved changes are kept"_s));
        QVERIFY(action("actionReconnect")->isEnabled());
        QCOMPARE(watcher()->lastError().kind(), ConnectionError::Kind::ConnectionLost);

        // What the window has stays readable, staged values included.
        auto* stack = m_window->findChild<QStackedWidget*>(u"viewStack"_s);
        QCOMPARE(stack->currentWidget(), view());
        const QStringList before
            = { u"alice, edited before the crash"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"added before the crash"_s };
        QCOMPARE(namesShown(), before);
        QCOMPARE(model()->index(rowWithName(u"alice, edited before the crash"_s), 2).data(Qt::EditRole).toString(),
                 u"2024-05-01 10:00:00.123456"_s);

        // Refresh (F5) cannot read the server: the rows shown stay, and the status bar says why.
        action("actionRefresh")->trigger();
        waitUntilLoaded();
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->statusBar()->currentMessage().startsWith(u"Reading rows failed"_s),
                                  qPrintable(m_window->statusBar()->currentMessage()), 5000);
        QCOMPARE(namesShown(), before);
        QCOMPARE(stack->currentWidget(), view());

        // Editing goes on offline: another cell and another new row are staged.
        typeIntoCell(rowWithName(u"bob"_s), u"bob, edited offline"_s);
        addRowNamed(u"added offline"_s);
        QCOMPARE(model()->pendingChangeCount(), 4);

        // Save needs the server: it says so, and keeps everything staged and shown.
        MessageBox::clearTestState();
        MessageBox::answerNext(QMessageBox::Ok); // a box no test answers would block the suite
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        const QString saveMessage = MessageBox::shownTexts().constFirst();
        QVERIFY2(saveMessage.contains(u"server"_s) && saveMessage.contains(u"Nothing was written"_s)
                     && saveMessage.contains(u"still staged"_s),
                 qPrintable(saveMessage));
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"nothing was written"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QCOMPARE(model()->pendingChangeCount(), 4);
        const QStringList staged
            = { u"alice, edited before the crash"_s, u"bob, edited offline"_s, u"carol"_s, u"dave"_s,
                u"added before the crash"_s,         u"added offline"_s };
        QCOMPARE(namesShown(), staged);
        QCOMPARE(watcher()->state(), State::Offline);

        // With "Delete immediately" on, Delete acts on the server at once: it says it cannot, and
        // deletes nothing, here or later.
        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        MessageBox::clearTestState();
        view()->selectRow(rowWithName(u"dave"_s));
        QVERIFY(action("actionDeleteRows")->isEnabled()); // it needs the server, so it must say so
        MessageBox::answerNext(QMessageBox::Yes); // in case it asks before trying
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionDeleteRows")->trigger();
        const QStringList texts = MessageBox::shownTexts();
        QVERIFY2(!texts.isEmpty() && texts.constLast().contains(u"server"_s)
                     && texts.constLast().contains(u"Nothing was deleted"_s),
                 qPrintable(texts.join(u" | "_s)));
        MessageBox::clearTestState();
        QSettings().remove(u"editing/deleteImmediately"_s);
        QCOMPARE(namesShown(), staged);
        QCOMPARE(model()->pendingChangeCount(), 4);

        // Drop table likewise refuses before its dialog (should one open, it is closed unanswered).
        QTimer::singleShot(3000, m_window.get(), [this] {
            if (auto* dialog = m_window->findChild<QDialog*>(u"dropTableDialog"_s))
                dialog->reject();
        });
        QVERIFY(action("actionDropTable")->isEnabled()); // it needs the server, so it must say so
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionDropTable")->trigger();
        const QStringList dropTexts = MessageBox::shownTexts();
        QVERIFY2(dropTexts.size() == 1 && dropTexts.constFirst().contains(u"The table was not dropped"_s)
                     && dropTexts.constFirst().contains(u"server"_s),
                 qPrintable(dropTexts.join(u" | "_s)));
        MessageBox::clearTestState();

        // Every other action that needs the server says so before asking anything (no file
        // dialog, no question), and changes nothing.
        const QList<QPair<const char*, QString>> needServer{
            { "actionImport", u"Nothing was imported"_s },
            { "actionExport", u"Nothing was exported"_s },
            { "actionCountRows", u"Nothing was counted"_s },
            { "actionCreateTrigramIndex", u"The index was not created"_s },
            { "actionInstallChangeTrigger", u"The trigger was not installed"_s },
        };
        FileDialog::clearTestState();
        for (const auto& [name, outcome] : needServer) {
            MessageBox::answerNext(QMessageBox::Ok);
            action(name)->trigger();
            const QStringList refusals = MessageBox::shownTexts();
            QVERIFY2(refusals.size() == 1 && refusals.constFirst().contains(outcome)
                         && refusals.constFirst().contains(u"cannot be reached"_s),
                     qPrintable(QString::fromLatin1(name) + u": "_s + refusals.join(u" | "_s)));
            MessageBox::clearTestState();
        }
        QVERIFY2(FileDialog::askedCaptions().isEmpty(), qPrintable(FileDialog::askedCaptions().join(u" | "_s)));
        QCOMPARE(model()->pendingChangeCount(), 4);

        // Ctrl+R while the server is still down: one attempt, which fails and backs off further.
        QSignalSpy failed(watcher(), &ConnectionWatcher::attemptFailed);
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(failed.wait(15000));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(watcher()->lastError().kind(), ConnectionError::Kind::NoServer);
        QTRY_COMPARE_WITH_TIMEOUT(watcher()->state(), State::Offline, 2000);
        QVERIFY(countdownShown() > 30);
        QVERIFY(offline->isVisible());

        // The server comes back; Ctrl+R reconnects at once and the window reloads its rows.
        startServerAgain();
        QSignalSpy reconnected(watcher(), &ConnectionWatcher::reconnected);
        QSignalSpy loaded(model(), &TableModel::windowLoaded);
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(reconnected.wait(15000));
        expectOnlineAndReloaded(loaded);
        QCOMPARE(model()->pendingChangeCount(), 4);
        QCOMPARE(namesShown(), staged);
        QCOMPARE(stack->currentWidget(), view());

        // Save writes every staged change, once.
        saveWithCtrlS();
        QCOMPARE(sql(u"SELECT id, name, date FROM my_table WHERE id <= 4 ORDER BY id"_s),
                 u"1|alice, edited before the crash|2024-05-01 10:00:00.123456\n"
                 "2|bob, edited offline|2024-05-02 10:00:00\n"
                 "3|carol|2024-05-03 10:00:00\n"
                 "4|dave|2024-05-04 10:00:00"_s);
        // The new rows got the server's ids (a crash may skip sequence values) and dates.
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > 4 AND date IS NOT NULL"_s),
                 u"added before the crash,added offline"_s);
        QCOMPARE(sql(u"SELECT count(*), count(DISTINCT name) FROM my_table"_s), u"6|6"_s);
        QCOMPARE(namesShown(), staged);
    }

    void restartedServerIsRejoinedWithoutCtrlR()
    {
        // Sorted by name, descending: the reconnect must not fall back to key order.
        view()->sortByColumn(1, Qt::DescendingOrder);
        waitUntilLoaded();
        QCOMPARE(namesShown(), QStringList({ u"dave"_s, u"carol"_s, u"bob"_s, u"alice"_s }));
        typeIntoCell(rowWithName(u"carol"_s), u"carol, edited before the restart"_s);
        addRowNamed(u"added before the restart"_s);
        QCOMPARE(model()->pendingChangeCount(), 2);
        QSignalSpy states(watcher(), &ConnectionWatcher::stateChanged);
        QSignalSpy reconnected(watcher(), &ConnectionWatcher::reconnected);
        QSignalSpy loaded(model(), &TableModel::windowLoaded);

        QString error;
        QVERIFY2(m_cluster.restart(&error), qPrintable(error));
        // Nobody presses anything: the watcher's own ping (every 5 s) notices, and the first
        // attempt, 0.5 s later, finds the server back.
        QVERIFY(reconnected.wait(20000));
        QCOMPARE(reconnected.count(), 1);
        QVERIFY2(states.count() >= 2, "the window never showed it was offline");
        QCOMPARE(states.first().first().value<State>(), State::Offline);
        expectOnlineAndReloaded(loaded);
        QCOMPARE(model()->pendingChangeCount(), 2);
        // The server's order (by the values it holds), staged values in place, the new row last.
        QCOMPARE(namesShown(),
                 QStringList({ u"dave"_s, u"carol, edited before the restart"_s, u"bob"_s, u"alice"_s,
                               u"added before the restart"_s }));
        QCOMPARE(view()->horizontalHeader()->sortIndicatorSection(), 1);

        saveWithCtrlS();
        QCOMPARE(sql(u"SELECT id, name, date FROM my_table WHERE id <= 4 ORDER BY id"_s),
                 u"1|alice|2024-05-01 10:00:00.123456\n"
                 "2|bob|2024-05-02 10:00:00\n"
                 "3|carol, edited before the restart|2024-05-03 10:00:00\n"
                 "4|dave|2024-05-04 10:00:00"_s);
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > 4"_s),
                 u"added before the restart"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"5"_s);
        QCOMPARE(namesShown(),
                 QStringList({ u"dave"_s, u"carol, edited before the restart"_s, u"bob"_s, u"alice"_s,
                               u"added before the restart"_s }));
    }
};

QTEST_MAIN(TestWindowConnectionLoss)
#include "tst_windowconnectionloss.moc"
