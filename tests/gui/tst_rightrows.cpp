#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "connection/ConnectionWatcher.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <set>

using namespace Qt::StringLiterals;

// The grid acts only on the rows the user picked (issue 12): selection and current cell follow
// the primary key through every reload, a new row's editor is where the user types, deletes
// wait for Save, and totals never pass an old or estimated figure off as exact.
class TestRightRows : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_rightrows"_s;
    std::unique_ptr<MainWindow> m_window;
    static constexpr int liveDeadline = 6000;

    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }
    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    QString rowCountText() { return m_window->findChild<QLabel*>(u"rowCountStatusLabel"_s)->text(); }
    static void settle() { QCoreApplication::processEvents(); }

    int rowWithName(const QString& name) { return ::rowWithName(model(), name); }
    QString nameAt(int row) { return model()->index(row, 1).data(Qt::EditRole).toString(); }
    std::set<QString> selectedNames()
    {
        std::set<QString> names;
        const QModelIndexList indexes = view()->selectionModel()->selectedIndexes();
        for (const QModelIndex& index : indexes)
            names.insert(nameAt(index.row()));
        return names;
    }
    void fillTable(int rows)
    {
        sql(u"DROP TABLE IF EXISTS my_table; DROP FUNCTION IF EXISTS pgdesk_notify_change(); "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || g FROM generate_series(1, %1) g"_s.arg(rows));
    }
    void openWindow()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
    }
    void selectCell(const QString& name, int column = 1)
    {
        const int row = rowWithName(name);
        QVERIFY2(row >= 0, qPrintable(name));
        view()->setFocus();
        view()->selectionModel()->setCurrentIndex(model()->index(row, column), QItemSelectionModel::ClearAndSelect);
        QCOMPARE(selectedNames(), std::set<QString>{ name });
    }
    // What the user picked is exactly what is picked after a reload: one cell, on that row.
    void expectOnlySelected(const QString& name, int column = 1)
    {
        QCOMPARE(selectedNames(), std::set<QString>{ name });
        QCOMPARE(view()->selectionModel()->selectedIndexes().size(), 1);
        QCOMPARE(nameAt(view()->currentIndex().row()), name);
        QCOMPARE(view()->currentIndex().column(), column);
    }
    void typeIntoOpenEditor(const QString& text)
    {
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "no cell editor has the focus");
        QVERIFY2(view()->isAncestorOf(editor), "the focused line edit is not a cell editor");
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
    }
    void typeFilter(const QString& text)
    {
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        waitUntilLoaded();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, true);
    }

    void init() { MessageBox::clearTestState(); }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
        QSettings().remove(u"editing/deleteImmediately"_s);
    }

    // Item 1: another client deletes a row above the selected one; the live refresh renumbers the
    // rows, and the selection stays on person 28 alone (it used to grow to person 28 and 29).
    void liveRefreshKeepsTheSelectionOnTheSameRow()
    {
        fillTable(60);
        openWindow();
        selectCell(u"person 28"_s);
        const int before = rowWithName(u"person 28"_s);
        sql(u"DELETE FROM my_table WHERE name = 'person 5'"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"person 28"_s) == before - 1, liveDeadline);
        waitUntilLoaded();
        settle();
        expectOnlySelected(u"person 28"_s);

        // Delete then asks about that one row, and deletes that one row.
        MessageBox::answerNext(QMessageBox::Yes);
        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        action("actionDeleteRows")->trigger();
        QVERIFY2(MessageBox::shownTexts().constLast().contains(u"Delete 1 row from my_table?"_s),
                 qPrintable(MessageBox::shownTexts().constLast()));
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE name IN ('person 28', "
                     "'person 29')"_s),
                 u"person 29"_s);
    }

    // Item 1: saving an edit reloads the rows; the selection and the current cell stay put.
    void saveKeepsTheSelectionOnTheSameRow()
    {
        fillTable(60);
        openWindow();
        selectCell(u"person 28"_s);
        model()->setData(model()->index(rowWithName(u"person 3"_s), 1), u"person 3, edited"_s);
        selectCell(u"person 28"_s);
        sql(u"DELETE FROM my_table WHERE name = 'person 5'"_s); // renumbers the rows on the reload
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'person 3, edited'"_s), u"1"_s);
        waitUntilLoaded();
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(u"person 5"_s) < 0, liveDeadline);
        waitUntilLoaded();
        settle();
        expectOnlySelected(u"person 28"_s);
    }

    // Item 1: a filter or a sort that keeps the row keeps it selected.
    void filterAndSortKeepTheSelectedRow()
    {
        fillTable(60);
        openWindow();
        selectCell(u"person 28"_s, 2);
        typeFilter(u"person 2"_s);
        expectOnlySelected(u"person 28"_s, 2);
        view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        waitUntilLoaded();
        settle();
        QCOMPARE(nameAt(0), u"person 29"_s);
        expectOnlySelected(u"person 28"_s, 2);
    }

    // Item 2: Ctrl+N on a table larger than the window: the new row comes into view with its
    // name editor open, and what the user types is what Save stores.
    void addRowOpensTheEditorWhereverTheGridIs_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("first rows") << u"first"_s;
        QTest::newRow("middle") << u"middle"_s;
        QTest::newRow("last rows") << u"last"_s;
        QTest::newRow("filtered") << u"filtered"_s;
        QTest::newRow("sorted by name, ascending") << u"name asc"_s;
        QTest::newRow("sorted by name, descending") << u"name desc"_s;
    }
    void addRowOpensTheEditorWhereverTheGridIs()
    {
        QFETCH(QString, where);
        fillTable(5000);
        openWindow();
        // Before the exact count arrives the place of the last rows is unknown (-1), and it would
        // become known in the middle of the add below.
        QTRY_VERIFY_WITH_TIMEOUT(model()->isTotalExact(), 10000);
        if (where == u"middle") {
            view()->verticalScrollBar()->setValue(view()->verticalScrollBar()->maximum());
            waitUntilLoaded();
            QTRY_VERIFY(model()->windowStartPosition() > 0);
            waitUntilLoaded();
        } else if (where == u"last") {
            action("actionLastRows")->trigger();
            waitUntilLoaded();
        } else if (where == u"filtered") {
            typeFilter(u"person 1"_s);
        } else if (where.startsWith(u"name")) {
            view()->horizontalHeader()->setSortIndicator(
                1, where.endsWith(u"desc") ? Qt::DescendingOrder : Qt::AscendingOrder);
            waitUntilLoaded();
        }
        settle();
        const qint64 windowStart = model()->windowStartPosition();
        QTest::keyClick(view(), Qt::Key_N, Qt::ControlModifier);
        typeIntoOpenEditor(u"newbie"_s);
        QVERIFY(model()->isNewRow(view()->currentIndex().row()));
        QCOMPARE(model()->windowStartPosition(), windowStart);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'newbie'"_s), u"1"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IS NULL"_s), u"0"_s);
    }

    // Item 3: after Drop table (and Create table) there is nothing to undo or save.
    void dropAndCreateClearTheUndoHistory()
    {
        fillTable(10);
        openWindow();
        model()->setData(model()->index(rowWithName(u"person 3"_s), 1), u"person 3, edited"_s);
        QVERIFY(action("actionUndo")->isEnabled());
        QVERIFY(action("actionSave")->isEnabled());
        whenModalShows(u"dropTableDialog"_s, [](QWidget* dialog) {
            QTest::keyClicks(dialog->findChild<QLineEdit*>(u"confirmLineEdit"_s), u"my_table"_s);
            dialog->findChild<QPushButton*>(u"dropButton"_s)->click();
        });
        action("actionDropTable")->trigger();
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        settle();
        QVERIFY(!action("actionUndo")->isEnabled());
        QVERIFY(!action("actionSave")->isEnabled());
        QVERIFY(!action("actionRedo")->isEnabled());
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!action("actionSave")->isEnabled());

        action("actionCreateTable")->trigger();
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
        waitUntilLoaded();
        QVERIFY(!action("actionUndo")->isEnabled());
        QVERIFY(!action("actionSave")->isEnabled());
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!action("actionSave")->isEnabled());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
    }

    // Item 5: the total is counted again after other clients' changes, so the status bar never
    // shows the count from when the table was opened as if it were exact.
    void totalsFollowOtherClientsChanges()
    {
        fillTable(51);
        openWindow();
        typeFilter(u"person 2"_s);
        // The table's exact count comes from the count worker, maybe after the filter's rows.
        QTRY_COMPARE_WITH_TIMEOUT(rowCountText(), u"11 of 51 rows"_s, liveDeadline);
        sql(u"DELETE FROM my_table WHERE name IN ('person 40', 'person 41', 'person 42')"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rowCountText(), u"11 of 48 rows"_s, liveDeadline);
        sql(u"DELETE FROM my_table WHERE name = 'person 21'"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rowCountText(), u"10 of 47 rows"_s, liveDeadline);
    }

    // Item 5: the last matching rows are not numbered from the table's size (it said "matching rows
    // 4,701-5,000" for 1,111 matches); once counted, they are numbered from the matches.
    void lastMatchesAreNotNumberedFromTheTableSize()
    {
        fillTable(5000);
        openWindow();
        typeFilter(u"person 1"_s);
        action("actionLastRows")->trigger();
        waitUntilLoaded();
        const QLocale locale;
        QCOMPARE(rowCountText(), u"the last 300 matching rows · %1 in the table"_s.arg(locale.toString(5000)));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name ILIKE '%person 1%'"_s), u"1111"_s);
        action("actionCountRows")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(
            rowCountText(),
            u"matching rows 812–%1 of %1 · %2 in the table"_s.arg(locale.toString(1111), locale.toString(5000)), 10000);
    }

    // Item 5: an estimate is never shown as an exact figure.
    void anEstimateSaysAbout()
    {
        fillTable(300);
        sql(u"ANALYZE my_table; UPDATE pg_class SET reltuples = 250000 WHERE oid = 'my_table'::regclass"_s);
        openWindow();
        QVERIFY(!model()->isTotalExact());
        QVERIFY2(rowCountText().contains(u"about 250,000"_s), qPrintable(rowCountText()));
        typeFilter(u"person 2"_s);
        QVERIFY2(rowCountText().contains(u"about 250,000"_s), qPrintable(rowCountText()));
    }

    // Deletes wait for Save like edits: marked, counted, undoable, written in the edits'
    // transaction after one question at Save.
    void deleteIsStagedUntilSave()
    {
        fillTable(10);
        openWindow();
        view()->clearSelection();
        for (const QString& name : { u"person 2"_s, u"person 4"_s })
            view()->selectionModel()->select(model()->index(rowWithName(name), 1),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_Delete);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u" | "_s)));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);
        const QModelIndex marked = model()->index(rowWithName(u"person 2"_s), 1);
        QCOMPARE(marked.data(TableModel::CellStateRole).toInt(), static_cast<int>(TableModel::CellState::Deleted));
        QVERIFY(marked.data(Qt::FontRole).value<QFont>().strikeOut());
        QVERIFY(!(marked.flags() & Qt::ItemIsEditable));
        QCOMPARE(m_window->findChild<QLabel*>(u"pendingChangesLabel"_s)->text(), u"2 rows to delete"_s);

        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(model()->pendingDeleteCount(), 0);
        QCOMPARE(marked.data(TableModel::CellStateRole).toInt(), static_cast<int>(TableModel::CellState::Clean));
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(model()->pendingDeleteCount(), 2);

        model()->setData(model()->index(rowWithName(u"person 6"_s), 1), u"person 6, edited"_s);
        QCOMPARE(m_window->findChild<QLabel*>(u"pendingChangesLabel"_s)->text(),
                 u"1 unsaved change · 2 rows to delete"_s);
        MessageBox::answerNext(QMessageBox::Cancel);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(MessageBox::shownTexts().constLast().contains(u"Save 1 change and delete 2 rows from my_table?"_s),
                 qPrintable(MessageBox::shownTexts().constLast()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IN ('person 2', 'person 4', 'person 6')"_s), u"3"_s);

        MessageBox::answerNext(QMessageBox::Save);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE name LIKE 'person 2%' OR "
                     "name LIKE 'person 4%' OR name LIKE 'person 6%'"_s),
                 u"person 6, edited"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"8"_s);
        QVERIFY(!model()->hasPendingChanges());
        waitUntilLoaded();
        QTRY_COMPARE(model()->rowCount(), 8);
    }

    // A new, unsaved row deleted in the grid leaves at once, and Undo brings it back with its text.
    void deletingANewRowIsUndoable()
    {
        fillTable(3);
        openWindow();
        QTest::keyClick(view(), Qt::Key_N, Qt::ControlModifier);
        typeIntoOpenEditor(u"fresh"_s);
        view()->selectRow(rowWithName(u"fresh"_s));
        QTest::keyClick(view(), Qt::Key_Delete);
        QCOMPARE(rowWithName(u"fresh"_s), -1);
        QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(rowWithName(u"fresh"_s) >= 0);
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'fresh'"_s), u"1"_s);
    }

    // A row another client changed after it was marked is not deleted without asking.
    void deletingARowChangedElsewhereAsks()
    {
        fillTable(10);
        openWindow();
        for (const QString& name : { u"person 3"_s, u"person 5"_s }) {
            view()->selectRow(rowWithName(name));
            QTest::keyClick(view(), Qt::Key_Delete);
        }
        QCOMPARE(model()->pendingDeleteCount(), 2);
        sql(u"UPDATE my_table SET name = name || ', changed elsewhere' WHERE name IN ('person 3', 'person 5')"_s);

        // Keep the row: nothing deleted, the mark goes.
        MessageBox::answerNext(QMessageBox::Save); // "Delete 2 rows?"
        MessageBox::answerNext(QMessageBox::No); // person 3: keep the row
        MessageBox::answerNext(QMessageBox::Yes); // person 5: delete it anyway
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        const QStringList texts = MessageBox::shownTexts();
        QVERIFY2(texts.size() >= 3 && texts.at(1).contains(u"after you marked it for deletion"_s),
                 qPrintable(texts.join(u" | "_s)));
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE name LIKE '%changed elsewhere'"_s),
                 u"person 3, changed elsewhere"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"9"_s);
        QVERIFY(!model()->hasPendingChanges());
    }

    // Item 6: status texts never widen the window past what the user chose (or the screen).
    void longStatusTextsDoNotWidenTheWindow()
    {
        fillTable(10);
        openWindow();
        m_window->resize(640, 400);
        settle();
        const int width = m_window->width();
        const QString longText
            = u"rows 1,999,701–2,000,000 of more matching (Count), of about 2,000,000 rows "_s.repeated(4);
        for (const char* name : { "rowCountStatusLabel", "connectionStatusLabel", "pendingChangesLabel", "offlineLabel",
                                  "liveStatusLabel" }) {
            auto* label = m_window->findChild<QLabel*>(QString::fromLatin1(name));
            QVERIFY(label);
            label->setText(longText);
            label->show();
        }
        QTest::qWait(50);
        QCOMPARE(m_window->width(), width);
        QVERIFY2(m_window->minimumSizeHint().width() <= m_window->screen()->availableGeometry().width(),
                 qPrintable(QString::number(m_window->minimumSizeHint().width())));
    }

    // Item 7: a reconnect keeps column widths, sort, filter, the rows in view and the current cell.
    void reconnectKeepsTheLayout()
    {
        fillTable(2000);
        openWindow();
        m_window->connectionWatcher()->setBackoff(100, 500);
        view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        waitUntilLoaded();
        view()->setColumnWidth(2, 333);
        QTRY_VERIFY_WITH_TIMEOUT(model()->isTotalExact(), 10000); // counted on its worker after bind
        action("actionLastRows")->trigger();
        waitUntilLoaded();
        settle();
        const int last = model()->rowCount() - 1;
        const QString lastName = nameAt(last);
        view()->setCurrentIndex(model()->index(last, 2));
        const qint64 windowStart = model()->windowStartPosition();
        QVERIFY(windowStart > 0);

        sql(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'tst_rightrows' "
            "AND pid <> pg_backend_pid()"_s);
        QSignalSpy reconnected(m_window->connectionWatcher(), &ConnectionWatcher::reconnected);
        m_window->connectionWatcher()->check();
        QTRY_VERIFY_WITH_TIMEOUT(reconnected.count() > 0, 15000);
        waitUntilLoaded();
        settle();
        QCOMPARE(view()->columnWidth(2), 333);
        QCOMPARE(view()->horizontalHeader()->sortIndicatorSection(), 1);
        QCOMPARE(view()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(model()->windowStartPosition(), windowStart);
        QCOMPARE(nameAt(view()->currentIndex().row()), lastName);
        QCOMPARE(view()->currentIndex().column(), 2);
        QVERIFY(model()->atEnd());
    }
};

QTEST_MAIN(TestRightRows)
#include "tst_rightrows.moc"
