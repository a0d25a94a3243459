#include "IntegerKey.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "connection/ConnectionWatcher.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"
#include "table/NameFilter.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// Another client (psql) writes while the window is open; the window follows by itself.
class TestLiveUpdates : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_liveupdates"_s;
    std::unique_ptr<MainWindow> m_window;
    // The issue asks for changes within 2 seconds; allow for a loaded CI machine on top.
    static constexpr int deadline = 4000;

    QString sql(const QString& statement) { return m_server.psql(m_database, statement); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->tableView(); }
    // The keys in the order by name, as psql has them, and as the grid shows them.
    QStringList keysByName()
    {
        return sql(u"SELECT string_agg(id::text, ',' ORDER BY name, id) FROM my_table"_s).split(u',');
    }
    QStringList shownKeys()
    {
        QStringList keys;
        for (int row = 0; row < model()->serverRowCount(); ++row)
            keys << QString::number(integerKey(model()->keyAt(row)));
        return keys;
    }
    // Another client's statement: once the live view hears of it the rows read ahead are gone,
    // and the Next after the refresh reads the table.
    void changeElsewhereThenReadNext(const QString& statement)
    {
        QSignalSpy changed(m_window->liveUpdates(), &LiveUpdates::tableChanged);
        sql(statement);
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, deadline);
        QCOMPARE(model()->readAheadRows(), 0);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        model()->loadNext();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }
    int rowWithName(const QString& name)
    {
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, 1).data(Qt::EditRole).toString() == name)
                return row;
        }
        return -1;
    }
    void openWindow()
    {
        QString windowError;
        m_window = openMainWindow(m_server.settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
    }

    // Live > Install change trigger, agreed to: the view then hears every change at once.
    void installTrigger()
    {
        QAction* install = m_window->findChild<QAction*>(u"actionInstallChangeTrigger"_s);
        QTRY_VERIFY_WITH_TIMEOUT(install->isEnabled(), deadline);
        MessageBox::answerNext(QMessageBox::Yes);
        install->trigger();
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Trigger);
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
        QSettings().setValue(u"view/liveUpdates"_s, true); // a function may have turned it off
        sql(u"DROP TABLE IF EXISTS my_table; DROP FUNCTION IF EXISTS pgdesk_notify_change(); "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'row ' || g FROM generate_series(1, 20) g"_s);
        openWindow();
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void pollingShowsInsertUpdateAndDelete()
    {
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Polling);
        QCOMPARE(m_window->findChild<QLabel*>(u"liveStatusLabel"_s)->text(), u"Live (polling)"_s);
        // A change that lands before the poll's first baseline is not noticed (a known race,
        // docs/RELIABILITY.md): the changes come after it.
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->hasBaseline(), deadline);
        sql(u"INSERT INTO my_table(name) VALUES ('inserted elsewhere')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"inserted elsewhere"_s) >= 0, deadline);
        sql(u"UPDATE my_table SET name = 'updated elsewhere' WHERE name = 'row 3'"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"updated elsewhere"_s) >= 0, deadline);
        QVERIFY(model()->isHighlighted(model()->keyAt(rowWithName(u"updated elsewhere"_s)).value()));
        sql(u"DELETE FROM my_table WHERE name = 'row 5'"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"row 5"_s) < 0, deadline);
        QCOMPARE(model()->rowCount(), sql(u"SELECT count(*) FROM my_table"_s).toInt());
    }

    void triggerModeNeedsConsentAndNotifiesAtOnce()
    {
        QAction* install = m_window->findChild<QAction*>(u"actionInstallChangeTrigger"_s);
        // The test role owns the table; the live view reads that on a connection of its own.
        QTRY_VERIFY_WITH_TIMEOUT(install->isEnabled(), deadline);
        MessageBox::answerNext(QMessageBox::Cancel);
        install->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM pg_trigger WHERE tgname = 'pgdesk_notify_change'"_s), u"0"_s);
        MessageBox::answerNext(QMessageBox::Yes);
        install->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM pg_trigger WHERE tgname = 'pgdesk_notify_change'"_s), u"1"_s);
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Trigger);
        QCOMPARE(m_window->findChild<QLabel*>(u"liveStatusLabel"_s)->text(), u"Live"_s);

        QSignalSpy changed(m_window->liveUpdates(), &LiveUpdates::tableChanged);
        sql(u"INSERT INTO my_table(name) VALUES ('via trigger')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"via trigger"_s) >= 0, deadline);
        QCOMPARE(changed.size(), 1);
    }

    // A trigger its owner disabled announces nothing: the view polls, and installing it again
    // replaces it (psql sees it enabled).
    void aDisabledTriggerIsNotTrusted()
    {
        installTrigger();
        if (QTest::currentTestFailed())
            return;
        m_window.reset();
        sql(u"ALTER TABLE my_table DISABLE TRIGGER pgdesk_notify_change"_s);

        openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QAction*>(u"actionInstallChangeTrigger"_s)->isEnabled(), deadline);
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Polling);
        sql(u"INSERT INTO my_table(name) VALUES ('seen by polling')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"seen by polling"_s) >= 0, deadline);

        MessageBox::answerNext(QMessageBox::Yes);
        m_window->findChild<QAction*>(u"actionInstallChangeTrigger"_s)->trigger();
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Trigger);
        QCOMPARE(
            sql(u"SELECT string_agg(tgenabled::text, ',') FROM pg_trigger WHERE tgname = 'pgdesk_notify_change'"_s),
            u"O"_s);
        QSignalSpy changed(m_window->liveUpdates(), &LiveUpdates::tableChanged);
        sql(u"INSERT INTO my_table(name) VALUES ('announced again')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"announced again"_s) >= 0, deadline);
        QCOMPARE(changed.size(), 1);
    }

    // The table dropped and created again (with the trigger) while the window is away: after the
    // reconnect the view listens on the new table's channel, so another client's insert shows.
    void aTableCreatedAgainIsHeardAfterAReconnect()
    {
        installTrigger();
        if (QTest::currentTestFailed())
            return;

        QSignalSpy reconnected(m_window->connectionWatcher(), &ConnectionWatcher::reconnected);
        QSignalSpy traits(m_window->liveUpdates(), &LiveUpdates::traitsRead);
        sql(u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid(); DROP TABLE my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); INSERT INTO my_table(name) VALUES ('new table'); "
            "CREATE TRIGGER pgdesk_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON my_table "
            "FOR EACH STATEMENT EXECUTE FUNCTION pgdesk_notify_change()"_s);
        m_window->connectionWatcher()->check();
        QVERIFY(reconnected.wait(15000));
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"new table"_s) >= 0, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!traits.isEmpty(), deadline);
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Trigger);

        QSignalSpy changed(m_window->liveUpdates(), &LiveUpdates::tableChanged);
        sql(u"INSERT INTO my_table(name) VALUES ('on the new channel')"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"on the new channel"_s) >= 0, deadline);
        QVERIFY(!changed.isEmpty());
    }

    // Issue 18: sorted by a column without an index, the next window comes with the first, and the
    // Next after it runs no statement (it lands while another client locks the table); only while
    // changes to those rows are seen: the trigger announces every change, which drops them at once
    // (here), or the poll hashes them with the window's (pollingWatchesTheRowsReadAhead).
    void theNextSortedWindowIsReadAheadOnlyWhileChangesAreWatched()
    {
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Polling);
        QVERIFY(model()->readsAhead());
        installTrigger();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(model()->readsAhead());

        const auto reference = [this] { return keysByName(); };
        const auto shown = [this] { return shownKeys(); };
        model()->setWindowSize(4);
        model()->sort(1, Qt::AscendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(shown(), reference().mid(0, 4));
        QCOMPARE(model()->readAheadRows(), 4);
        const QStringList order = reference(); // psql waits for the lock below as well

        QSqlDatabase locker = m_server.openConnection(u"read-ahead-locker"_s, m_database);
        QVERIFY(locker.transaction());
        QVERIFY(QSqlQuery(locker).exec(u"LOCK TABLE my_table IN ACCESS EXCLUSIVE MODE"_s));
        QSignalSpy loaded(model(), &TableModel::windowLoaded);
        model()->loadNext();
        QVERIFY(loaded.wait(deadline));
        QCOMPARE(shown(), order.mid(4, 4));
        // The Next after it reads the table: it waits for the lock.
        model()->loadNext();
        QTest::qWait(500);
        QVERIFY(model()->isLoading());
        QCOMPARE(shown(), order.mid(4, 4));
        QVERIFY(locker.rollback());
        QVERIFY(loaded.wait(deadline));
        QCOMPARE(shown(), order.mid(8, 4));
        QCOMPARE(model()->readAheadRows(), 4);
        locker = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"read-ahead-locker"_s);

        // Another client deletes the first row read ahead: the announcement drops those rows, so
        // the Next after it shows the table as it is.
        const QString gone = reference().at(12);
        changeElsewhereThenReadNext(u"DELETE FROM my_table WHERE id = "_s + gone);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!shown().contains(gone));
        QCOMPARE(shown(), reference().mid(12, 4)); // the rows after the window, as psql has them now

        // A filter typed while rows are read ahead: a Next pressed before the filtered rows come
        // must not be served from the unfiltered rows (it waits, here for a lock, and then shows
        // only matches).
        QVERIFY(model()->readAheadRows() > 0);
        const QString matches = sql(u"SELECT string_agg(id::text, ',') FROM my_table WHERE name ILIKE '%row 8%'"_s);
        QSqlDatabase filterLocker = m_server.openConnection(u"read-ahead-filter-locker"_s, m_database);
        QVERIFY(filterLocker.transaction());
        QVERIFY(QSqlQuery(filterLocker).exec(u"LOCK TABLE my_table IN ACCESS EXCLUSIVE MODE"_s));
        QSignalSpy filteredLoaded(model(), &TableModel::windowLoaded);
        model()->setNameFilter(
            NameFilter(u"row 8"_s, NameFilter::Mode::Contains)); // after the window, in the rows read ahead
        model()->loadNext();
        QTest::qWait(500);
        QVERIFY(filteredLoaded.isEmpty());
        QVERIFY(model()->isLoading());
        QVERIFY(filterLocker.rollback());
        filterLocker = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"read-ahead-filter-locker"_s);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(model()->serverRowCount() > 0);
        for (const QString& key : shown())
            QVERIFY2(matches.split(u',').contains(key), qPrintable(key + u" does not match the filter"_s));
        model()->setNameFilter(NameFilter());
        QVERIFY(waitUntilWindowLoaded(m_window.get()));

        // Live updates off: nothing is read ahead any more.
        m_window->findChild<QAction*>(u"actionLiveUpdates"_s)->setChecked(false);
        QVERIFY(!model()->readsAhead());
        QCOMPARE(model()->readAheadRows(), 0);
    }

    // Polling with rows read ahead: a change to a row read ahead drops them, so the Next reads the
    // table; and a Next served from them keeps the baseline they were hashed in, so a change made
    // before it (the poll paused here, as if the Next came first) still shows.
    void pollingWatchesTheRowsReadAhead()
    {
        LiveUpdates* live = m_window->liveUpdates();
        QCOMPARE(live->mode(), LiveUpdates::Mode::Polling);
        const auto dateOf = [this](const QString& id) {
            return sql(u"SELECT to_char(date, 'YYYY-MM-DD HH24:MI:SS') FROM my_table WHERE id = "_s + id);
        };
        const auto shownDateOf = [this](const QString& id) {
            const int row = shownKeys().indexOf(id);
            return row < 0 ? QString() : model()->index(row, 2).data().toString().left(19);
        };
        model()->setWindowSize(4);
        model()->sort(1, Qt::AscendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(live->hasBaseline(), deadline);
        QCOMPARE(model()->readAheadRows(), 4);
        QCOMPARE(shownKeys(), keysByName().mid(0, 4));

        // A row read ahead changes: the poll drops them, and the Next shows the row as it is now.
        const QString ahead = keysByName().at(5);
        changeElsewhereThenReadNext(u"UPDATE my_table SET date = '2001-02-03 04:05:06' WHERE id = "_s + ahead);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!model()->lastWindowWasReadAhead());
        QCOMPARE(shownKeys(), keysByName().mid(4, 4));
        QCOMPARE(shownDateOf(ahead), u"2001-02-03 04:05:06"_s);

        // Back to the first window; a row read ahead changes, and the Next is served before any poll.
        model()->loadFirst();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(live->hasBaseline(), deadline);
        QCOMPARE(model()->readAheadRows(), 4);
        live->setPaused(true);
        const QString served = keysByName().at(6);
        const QString before = dateOf(served);
        sql(u"UPDATE my_table SET date = '2002-03-04 05:06:07' WHERE id = "_s + served);
        model()->loadNext();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(model()->lastWindowWasReadAhead());
        QCOMPARE(shownKeys(), keysByName().mid(4, 4));
        QCOMPARE(shownDateOf(served), before); // as old as the window it was read with
        QSignalSpy changed(live, &LiveUpdates::tableChanged);
        live->setPaused(false);
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, deadline);
        QTRY_COMPARE_WITH_TIMEOUT(shownDateOf(served), dateOf(served), deadline);
        QCOMPARE(dateOf(served), u"2002-03-04 05:06:07"_s);
        QCOMPARE(shownKeys(), keysByName().mid(4, 4));
    }

    void aBurstOfTenThousandInsertsIsOneRefresh()
    {
        installTrigger();
        if (QTest::currentTestFailed())
            return;
        QSignalSpy changed(m_window->liveUpdates(), &LiveUpdates::tableChanged);
        QSignalSpy loaded(model(), &TableModel::windowLoaded);
        // Ten thousand transactions of one insert each: ten thousand notifications, coalesced here.
        sql(u"DO $$ BEGIN FOR i IN 1..10000 LOOP INSERT INTO my_table(name) VALUES ('burst ' || i); COMMIT; "
            "END LOOP; END $$"_s);
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, deadline);
        QTest::qWait(1000);
        QVERIFY2(changed.size() <= 3, qPrintable(QString::number(changed.size())));
        QVERIFY(loaded.size() <= 3);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10020"_s);
    }

    void aChangeToTheRowBeingEditedWaitsForTheEditor()
    {
        const int row = rowWithName(u"row 2"_s);
        view()->setCurrentIndex(model()->index(row, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, u"mine"_s);
        const qint64 key = integerKey(model()->keyAt(row));
        sql(u"UPDATE my_table SET name = 'theirs' WHERE id = %1; INSERT INTO my_table(name) VALUES ('meanwhile')"_s.arg(
            key));
        QTest::qWait(2500); // a poll happened meanwhile
        QCOMPARE(QApplication::focusWidget(), editor); // the editor is still open, untouched
        QCOMPARE(editor->text(), u"mine"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"meanwhile"_s) >= 0, deadline); // refresh ran after it
        QCOMPARE(model()->index(model()->rowForKey(key), 1).data().toString(), u"mine"_s); // staged edit kept
        QCOMPARE(model()->pendingChangeCount(), 1);
        QCOMPARE(view()->currentIndex().row(), model()->rowForKey(key));
    }

    void aRowDeletedElsewhereWithAStagedEditIsFlagged()
    {
        const int row = rowWithName(u"row 7"_s);
        const qint64 key = integerKey(model()->keyAt(row));
        QVERIFY(model()->setData(model()->index(row, 1), u"edited here"_s));
        sql(u"DELETE FROM my_table WHERE id = %1"_s.arg(key));
        auto* flag = m_window->findChild<QLabel*>(u"deletedElsewhereLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT(flag->isVisible(), deadline);
        QVERIFY(flag->text().contains(u"another client deleted"_s));
        QCOMPARE(model()->pendingChangeCount(), 1); // flagged, not dropped
    }

    void ownWritesReachOtherWindows()
    {
        auto session = std::make_unique<DatabaseSession>();
        QVERIFY(session->open(m_server.settings(m_database)));
        MainWindow other;
        other.setSession(std::move(session));
        QTRY_VERIFY(!other.model()->isLoading());
        QSignalSpy changed(other.liveUpdates(), &LiveUpdates::tableChanged);
        // Both learn the table's channel on connections of their own; the other LISTENs then.
        QTRY_VERIFY_WITH_TIMEOUT(other.liveUpdates()->isListening(), deadline);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->liveUpdates()->channel().isEmpty(), deadline);
        m_window->liveUpdates()->notifyOwnWrite();
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() == 1, deadline);
    }

    void liveUpdatesCanBeTurnedOffAndTheChoiceIsRemembered()
    {
        QAction* live = m_window->findChild<QAction*>(u"actionLiveUpdates"_s);
        live->setChecked(false);
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Off);
        sql(u"INSERT INTO my_table(name) VALUES ('unseen')"_s);
        QTest::qWait(2500);
        QCOMPARE(rowWithName(u"unseen"_s), -1);
        m_window.reset();
        openWindow();
        QVERIFY(!m_window->findChild<QAction*>(u"actionLiveUpdates"_s)->isChecked());
        m_window->findChild<QAction*>(u"actionLiveUpdates"_s)->setChecked(true);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_liveupdates WITH (FORCE)"_s);
    }
};

QTEST_MAIN(TestLiveUpdates)
#include "tst_liveupdates.moc"
