#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MatchingSelection.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFrame>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// Issue 15, Ctrl+A over the whole table: Ctrl+A selects the rows in view and offers every row the
// filter matches; with that chosen, Delete and Copy act on the whole set on the server, after a
// question naming the exact count, and anything the user does to the selection ends it. psql
// checks what the database holds after each step.
class TestMatchingSelection : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_matchingselection"_s;
    std::unique_ptr<MainWindow> m_window;
    // "person 1", "person 10".."person 19", ... "person 1000".."person 1999": 1,111 of 2,000.
    static constexpr int tableRows = 2000;
    static constexpr int matchingRows = 1111;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    MatchingSelection* matching() { return m_window->matchingSelection(); }
    QFrame* bar() { return m_window->findChild<QFrame*>(u"matchingSelectionBar"_s); }
    QPushButton* barButton() { return m_window->findChild<QPushButton*>(u"matchingSelectionButton"_s); }
    QString barText() { return m_window->findChild<QLabel*>(u"matchingSelectionLabel"_s)->text(); }
    static QString number(qint64 value) { return QLocale().toString(value); }

    void fillTable(int rows)
    {
        sql(u"DROP TABLE IF EXISTS my_table; DROP FUNCTION IF EXISTS pgdesk_notify_change(); "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || g FROM generate_series(1, %1) g; ANALYZE my_table"_s.arg(
                rows));
    }
    void openWindow()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QVERIFY2(model()->rowCount() < tableRows, "the window holds every row: nothing to offer");
    }
    void typeFilter(const QString& text)
    {
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }
    void pressSelectAll()
    {
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_A, Qt::ControlModifier);
    }
    bool everyLoadedRowSelected()
    {
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (!view()->selectionModel()->isRowSelected(row, QModelIndex()))
                return false;
        }
        return true;
    }
    // Filter "person 1", Ctrl+A twice: every match is selected.
    void selectAllMatches()
    {
        typeFilter(u"person 1"_s);
        pressSelectAll();
        QVERIFY(!matching()->isActive());
        pressSelectAll();
        QVERIFY(matching()->isActive());
        QVERIFY(bar()->isVisible());
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, false);
    }

    void init() { MessageBox::clearTestState(); }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    // The first Ctrl+A selects the rows in view, which is what the grid shows, and offers the rest;
    // Delete then stages exactly those (the server still has every row).
    void firstCtrlASelectsTheRowsInViewAndOffersTheRest()
    {
        fillTable(tableRows);
        openWindow();
        pressSelectAll();
        QVERIFY(everyLoadedRowSelected());
        QVERIFY(bar()->isVisible());
        QVERIFY(!matching()->isActive());
        QVERIFY2(barText().contains(number(model()->rowCount())), qPrintable(barText()));
        QVERIFY2(barButton()->text().contains(number(tableRows)), qPrintable(barButton()->text()));

        action("actionDeleteRows")->trigger();
        QCOMPARE(model()->pendingDeleteCount(), model()->serverRowCount());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows));
    }

    // Ctrl+A that reaches the grid itself (no window shortcut fires while the window is not
    // active) offers the rest too, rather than the grid's own select-all.
    void ctrlAReachingTheGridItselfOffersToo()
    {
        fillTable(tableRows);
        openWindow();
        QKeyEvent press(QEvent::KeyPress, Qt::Key_A, Qt::ControlModifier);
        QCoreApplication::sendEvent(view(), &press);
        QVERIFY(everyLoadedRowSelected());
        QVERIFY(bar()->isVisible());
    }

    // With every match chosen, Delete counts them on the server, names the count, and deletes
    // exactly the filter's rows, the ones never loaded too; the others stay.
    void deleteTakesEveryMatchAfterNamingTheCount()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        // The bar names the matches once the count worker has counted them.
        QTRY_VERIFY2(barText().contains(number(matchingRows)), qPrintable(barText()));

        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        const QStringList asked = MessageBox::shownTexts();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.constFirst().contains(number(matchingRows)) && asked.constFirst().contains(u"my_table"_s),
                 qPrintable(asked.constFirst()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 1%'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows - matchingRows));
        QVERIFY(!matching()->isActive());
        QTRY_VERIFY(!bar()->isVisible());
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

    // Cancel at the question deletes nothing and keeps the whole set selected.
    void cancelDeletesNothing()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        MessageBox::answerNext(QMessageBox::Cancel);
        action("actionDeleteRows")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows));
        QVERIFY(matching()->isActive());
    }

    // A click on one cell is a new selection: Delete then takes that row alone, staged.
    void clickingACellEndsTheWholeSet()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        const QModelIndex cell = model()->index(3, 1);
        const QString name = cell.data(Qt::EditRole).toString();
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, view()->visualRect(cell).center());
        QVERIFY(!matching()->isActive());
        QTRY_VERIFY(!bar()->isVisible());
        QCOMPARE(view()->selectionModel()->selectedIndexes().size(), 1);

        action("actionDeleteRows")->trigger();
        QCOMPARE(model()->pendingDeleteCount(), 1);
        QVERIFY(MessageBox::shownTexts().isEmpty());
        MessageBox::answerNext(QMessageBox::Save);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(u"Delete 1 row from my_table"_s),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows - 1));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = '%1'"_s.arg(name)), u"0"_s);
    }

    // An arrow key moves the current cell and selects it alone: the whole set ends too.
    void anArrowKeyEndsTheWholeSet()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        QTest::keyClick(view(), Qt::Key_Down);
        QVERIFY(!matching()->isActive());
        QTRY_VERIFY(!bar()->isVisible());
    }

    // Moving to other rows of the same matches keeps them all selected; another filter ends it.
    void movingKeepsItAndANewFilterEndsIt()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        action("actionLastRows")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(matching()->isActive(), 15000);
        QVERIFY(everyLoadedRowSelected());

        typeFilter(u"person 2"_s);
        QVERIFY(!matching()->isActive());
        QTRY_VERIFY(!bar()->isVisible());
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger(); // whatever is selected now, never the old set
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 1%'"_s), QString::number(matchingRows));
    }

    // A new filter whose rows never came (its load cancelled while another client holds a lock):
    // the grid shows the old filter's rows, so the whole set is not offered, and nothing of the new
    // filter's matches is deleted.
    void aFilterWhoseRowsNeverCameIsNotSelected()
    {
        fillTable(tableRows);
        openWindow();
        typeFilter(u"person 1"_s);
        QProcess locker;
        m_server.startPsql(locker, m_database,
                           u"BEGIN; LOCK TABLE my_table IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT;"_s);
        QTRY_COMPARE_WITH_TIMEOUT(sql(u"SELECT count(*) FROM pg_locks WHERE relation = 'my_table'::regclass "
                                      "AND mode = 'AccessExclusiveLock' AND granted"_s),
                                  u"1"_s, 10000);
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->setText(u"person 2"_s);
        QTRY_VERIFY_WITH_TIMEOUT(model()->isLoading(), 5000);
        model()->cancelLoading();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->isLoading(), 10000);
        QVERIFY(locker.waitForFinished(15000));
        QVERIFY2(::rowWithName(model(), u"person 1"_s) >= 0, "the old filter's rows stay in the grid");
        pressSelectAll();
        pressSelectAll();
        QVERIFY(!matching()->isActive());
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 2%'"_s), u"112"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows));
    }

    // Copy as CSV with every match chosen: the server's rows, all of them, in the grid's order.
    void copyAsCsvTakesEveryMatch()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        QGuiApplication::clipboard()->clear();
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionCopyAsCsv")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(number(matchingRows)),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), matchingRows + 1);
        QCOMPARE(lines.constFirst(), u"id,name,date"_s);
        QStringList copied;
        for (qsizetype line = 1; line < lines.size(); ++line)
            copied << lines.at(line).section(u',', 0, 1);
        const QString expected = sql(
            u"SELECT string_agg(id || ',' || name, E'\\n' ORDER BY id) FROM my_table WHERE name LIKE '%person 1%'"_s);
        QCOMPARE(copied.join(u'\n'), expected);
        QVERIFY(matching()->isActive());
    }

    // Plain Ctrl+C takes every match too, tab-separated.
    void ctrlCTakesEveryMatch()
    {
        fillTable(tableRows);
        openWindow();
        selectAllMatches();
        MessageBox::answerNext(QMessageBox::Yes);
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier);
        const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), matchingRows);
        QCOMPARE(lines.constFirst().section(u'\t', 1, 1), u"person 1"_s);
    }

    // With no filter the whole table is the set, and the question says so.
    void withoutAFilterTheWholeTableIsTheSet()
    {
        fillTable(tableRows);
        openWindow();
        pressSelectAll();
        pressSelectAll();
        QVERIFY(matching()->isActive());
        MessageBox::answerNext(QMessageBox::Cancel);
        action("actionDeleteRows")->trigger();
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(u"of the table"_s),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(number(tableRows)),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), QString::number(tableRows));
    }

    // Unsaved edits are settled first: here discarded, and nothing of them reaches the server.
    void unsavedEditsAreSettledFirst()
    {
        fillTable(tableRows);
        openWindow();
        const int row = 0;
        QVERIFY(model()->setData(model()->index(row, 1), u"edited, not saved"_s));
        selectAllMatches();
        MessageBox::answerNext(QMessageBox::Discard);
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 2);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'edited, not saved'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%person 1%'"_s), u"0"_s);
    }

    // Past the clipboard's limit Copy copies nothing and offers Export.
    void tooManyRowsForTheClipboardOfferExport()
    {
        fillTable(static_cast<int>(MatchingSelection::clipboardRowLimit) + 1);
        openWindow();
        pressSelectAll();
        pressSelectAll();
        QVERIFY(matching()->isActive());
        QGuiApplication::clipboard()->setText(u"before"_s);
        MessageBox::answerNext(QMessageBox::Cancel);
        action("actionCopy")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(number(MatchingSelection::clipboardRowLimit + 1)),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        QCOMPARE(QGuiApplication::clipboard()->text(), u"before"_s);
        sql(u"DROP TABLE my_table"_s);
    }
};

QTEST_MAIN(TestMatchingSelection)
#include "tst_matchingselection.moc"
