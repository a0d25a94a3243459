// Copy as a spreadsheet user expects (issue 15): Ctrl+Shift+C with the header line, Edit > Copy as
// CSV, JSON, SQL INSERT and Markdown from the real window against the real server, NULL and the
// empty string kept apart, a bigint past 2^53 kept exact; and CSV pasted into the cells, saved,
// and checked with psql.
#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QMenu>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCopyAs : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_copyas"_s;
    std::unique_ptr<MainWindow> m_window;

    // Window moves run on a worker connection; wait until the window shows the result.
    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }

    QString sql(const QString& statement)
    {
        waitUntilLoaded();
        return m_server.checkedPsql(m_database, statement);
    }
    QAction* action(const char* name)
    {
        auto* found = m_window->findChild<QAction*>(QString::fromLatin1(name));
        if (!found)
            qFatal("no action %s", name);
        return found;
    }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    QString clipboard() { return QGuiApplication::clipboard()->text(); }
    QString statusMessage() { return m_window->statusBar()->currentMessage(); }

    // The rows with ids 2, 3 and 9007199254740993: a NULL name, an empty one, and quotes with a comma.
    void selectLastThreeRows()
    {
        QCOMPARE(model()->rowCount(), 4);
        // The current cell first: setCurrentIndex() selects that cell alone.
        view()->setCurrentIndex(model()->index(1, 0));
        view()->selectionModel()->select(QItemSelection(model()->index(1, 0), model()->index(3, 2)),
                                         QItemSelectionModel::ClearAndSelect);
        view()->setFocus();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        m_server.checkedPsql(m_database,
                             u"DROP TABLE IF EXISTS my_table; "
                             "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
                             "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
                             "INSERT INTO my_table(id, name, date) VALUES (1, 'alice', '2024-03-10 02:30:00.123456'), "
                             "(2, NULL, '2024-05-01 10:00:00'), (3, '', '2024-05-02 10:00:00'), "
                             "(9007199254740993, 'Zoë \"x\", y', '2024-05-03 10:00:00')"_s);
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void actionsAreNamedInTheEditMenuAndFollowTheSelection()
    {
        QCOMPARE(action("actionCopyWithHeader")->shortcut(), QKeySequence(u"Ctrl+Shift+C"_s));
        auto* copyAs = m_window->findChild<QMenu*>(u"copyAsMenu"_s);
        QVERIFY(copyAs);
        QVERIFY(m_window->findChild<QMenu*>(u"editMenu"_s)->actions().contains(copyAs->menuAction()));
        QCOMPARE(copyAs->actions(),
                 (QList<QAction*>{ action("actionCopyAsCsv"), action("actionCopyAsJson"), action("actionCopyAsSql"),
                                   action("actionCopyAsMarkdown") }));
        for (QAction* each : copyAs->actions())
            QVERIFY2(!each->toolTip().isEmpty() && !each->statusTip().isEmpty(), qPrintable(each->objectName()));
        QVERIFY(action("actionCopyWithHeader")
                    ->toolTip()
                    .contains(QKeySequence(u"Ctrl+Shift+C"_s).toString(QKeySequence::NativeText)));
        // In the grid's context menu, right after Copy.
        const QList<QAction*> menu = view()->actions();
        const qsizetype copy = menu.indexOf(action("actionCopy"));
        QVERIFY(copy >= 0);
        QCOMPARE(menu.value(copy + 1), action("actionCopyWithHeader"));
        QCOMPARE(menu.value(copy + 2), copyAs->menuAction());

        view()->clearSelection();
        QVERIFY(!action("actionCopy")->isEnabled());
        QVERIFY(!action("actionCopyWithHeader")->isEnabled());
        QVERIFY(!action("actionCopyAsJson")->isEnabled());
        selectLastThreeRows();
        QVERIFY(action("actionCopyWithHeader")->isEnabled());
        QVERIFY(action("actionCopyAsJson")->isEnabled());
        QVERIFY(copyAs->menuAction()->isEnabled());
    }

    void copyWithHeaderIsCtrlShiftC()
    {
        selectLastThreeRows();
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(clipboard(),
                 u"id\tname\tdate\n"
                 "2\t\t2024-05-01 10:00:00\n"
                 "3\t\t2024-05-02 10:00:00\n"
                 "9007199254740993\tZoë \"x\", y\t2024-05-03 10:00:00"_s);
        QCOMPARE(statusMessage(), u"Copied 3 rows with the header line."_s);
        // Ctrl+C stays as it was: no header line.
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(clipboard(),
                 u"2\t\t2024-05-01 10:00:00\n"
                 "3\t\t2024-05-02 10:00:00\n"
                 "9007199254740993\tZoë \"x\", y\t2024-05-03 10:00:00"_s);
    }

    void copyAsCsvJsonAndMarkdown()
    {
        selectLastThreeRows();
        action("actionCopyAsCsv")->trigger();
        QCOMPARE(clipboard(),
                 u"id,name,date\n"
                 "2,,2024-05-01 10:00:00\n"
                 "3,\"\",2024-05-02 10:00:00\n"
                 "9007199254740993,\"Zoë \"\"x\"\", y\",2024-05-03 10:00:00\n"_s);
        QCOMPARE(statusMessage(), u"Copied 3 rows as CSV."_s);

        action("actionCopyAsJson")->trigger();
        QCOMPARE(clipboard(),
                 u"[\n"
                 "  {\"id\": 2, \"name\": null, \"date\": \"2024-05-01 10:00:00\"},\n"
                 "  {\"id\": 3, \"name\": \"\", \"date\": \"2024-05-02 10:00:00\"},\n"
                 "  {\"id\": 9007199254740993, \"name\": \"Zoë \\\"x\\\", y\", \"date\": \"2024-05-03 10:00:00\"}\n"
                 "]\n"_s);
        QCOMPARE(statusMessage(), u"Copied 3 rows as JSON."_s);

        action("actionCopyAsMarkdown")->trigger();
        QCOMPARE(clipboard(),
                 u"| id | name | date |\n"
                 "| ---: | --- | --- |\n"
                 "| 2 | *NULL* | 2024-05-01 10:00:00 |\n"
                 "| 3 |  | 2024-05-02 10:00:00 |\n"
                 "| 9007199254740993 | Zoë \"x\", y | 2024-05-03 10:00:00 |\n"_s);
        QCOMPARE(statusMessage(), u"Copied 3 rows as a Markdown table."_s);

        // A single cell: the microseconds of the server's text are kept.
        view()->selectionModel()->select(model()->index(0, 2), QItemSelectionModel::ClearAndSelect);
        action("actionCopyAsCsv")->trigger();
        QCOMPARE(clipboard(), u"date\n2024-03-10 02:30:00.123456\n"_s);
        QCOMPARE(statusMessage(), u"Copied 1 row as CSV."_s);
    }

    // The SQL is checked by running it: deleted rows come back exactly, NULL and '' apart.
    void copyAsSqlInsertRunsBackTheSameRows()
    {
        selectLastThreeRows();
        action("actionCopyAsSql")->trigger();
        const QString table = model()->tableName().sql();
        const QString head = u"INSERT INTO "_s + table + u" (\"id\", \"name\", \"date\") VALUES "_s;
        QCOMPARE(clipboard(),
                 head + u"(2, NULL, '2024-05-01 10:00:00');\n"_s + head + u"(3, '', '2024-05-02 10:00:00');\n"_s + head
                     + u"(9007199254740993, 'Zoë \"x\", y', '2024-05-03 10:00:00');\n"_s);
        QCOMPARE(statusMessage(), u"Copied 3 rows as SQL INSERT statements."_s);

        const QString before = sql(u"SELECT id, coalesce(name, '<NULL>'), date FROM my_table ORDER BY id"_s);
        sql(u"DELETE FROM my_table WHERE id > 1"_s);
        sql(clipboard());
        QCOMPARE(sql(u"SELECT id, coalesce(name, '<NULL>'), date FROM my_table ORDER BY id"_s), before);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IS NULL"_s), u"1"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = ''"_s), u"1"_s);
    }

    // An unsaved new row: its id and date are the server's to fill in. Copied as SQL they are
    // DEFAULT (NULL would fail the NOT NULL date), and the copied INSERT runs through psql.
    void anUnsavedRowsDefaultsAreCopiedAsDefault()
    {
        // The fixture's rows took their ids by hand: the sequence goes past them for DEFAULT.
        sql(u"SELECT setval(pg_get_serial_sequence('my_table', 'id'), 100)"_s);
        action("actionAddRow")->trigger();
        const int row = model()->rowCount() - 1;
        QVERIFY(model()->isNewRow(row));
        QVERIFY(model()->setData(model()->index(row, 1), u"copied before saving"_s));
        view()->setCurrentIndex(model()->index(row, 0));
        view()->selectionModel()->select(QItemSelection(model()->index(row, 0), model()->index(row, 2)),
                                         QItemSelectionModel::ClearAndSelect);
        action("actionCopyAsSql")->trigger();
        QCOMPARE(clipboard(),
                 u"INSERT INTO "_s + model()->tableName().sql()
                     + u" (\"id\", \"name\", \"date\") VALUES (DEFAULT, 'copied before saving', DEFAULT);\n"_s);
        action("actionCopyAsJson")->trigger();
        QCOMPARE(clipboard(), u"[\n  {\"name\": \"copied before saving\"}\n]\n"_s);
        action("actionCopyAsSql")->trigger();
        sql(clipboard());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'copied before saving' AND date IS NOT NULL"_s),
                 u"1"_s);
    }

    void copyWithHeaderIsInTheKeyboardShortcuts()
    {
        QString listedKeys;
        whenModalShows(u"shortcutsDialog"_s, [&](QWidget* dialog) {
            auto* table = dialog->findChild<QTableWidget*>(u"shortcutsTable"_s);
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, 0)->text() == u"Copy with header")
                    listedKeys = table->item(row, 1)->text();
            }
            qobject_cast<QDialog*>(dialog)->reject();
        });
        action("actionKeyboardShortcuts")->trigger();
        QCOMPARE(listedKeys, QKeySequence(u"Ctrl+Shift+C"_s).toString(QKeySequence::NativeText));
    }

    void pastedCsvLandsInTheRightCells()
    {
        // A quoted comma, a quoted newline and doubled quotes, from the name cell of the first
        // row on: two rows of name and date.
        QGuiApplication::clipboard()->setText(u"\"Smith, John\",2024-06-01 12:00:00\r\n"
                                              "\"two\nlines, \"\"quoted\"\"\",2024-06-02 13:30:00.5\r\n"_s);
        view()->setCurrentIndex(model()->index(0, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(statusMessage(), u"Pasted 2 rows of CSV."_s);
        QCOMPARE(model()->index(0, 1).data(Qt::EditRole).toString(), u"Smith, John"_s);
        QCOMPARE(model()->index(1, 1).data(Qt::EditRole).toString(), u"two\nlines, \"quoted\""_s);
        action("actionSave")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT name || '|' || date FROM my_table WHERE id = 1"_s), u"Smith, John|2024-06-01 12:00:00"_s);
        QCOMPARE(sql(u"SELECT name = E'two\\nlines, \"quoted\"' AND date = '2024-06-02 13:30:00.5' "
                     "FROM my_table WHERE id = 2"_s),
                 u"t"_s);
        // Nothing else changed.
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"4"_s);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 9007199254740993"_s), u"Zoë \"x\", y"_s);
    }

    // Spreadsheets copy a cell holding a line break as a quoted field of tab-separated text.
    void pastedSpreadsheetCellsKeepTheirLineBreaks()
    {
        QGuiApplication::clipboard()->setText(u"\"first line\nsecond, line\"\t2024-07-01 08:00:00\n"_s);
        view()->setCurrentIndex(model()->index(0, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_V, Qt::ControlModifier);
        action("actionSave")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT name = E'first line\\nsecond, line' AND date = '2024-07-01 08:00:00' "
                     "FROM my_table WHERE id = 1"_s),
                 u"t"_s);
        QCOMPARE(sql(u"SELECT coalesce(name, '<NULL>') FROM my_table WHERE id = 2"_s), u"<NULL>"_s);
    }

    void cleanupTestCase() { m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_copyas WITH (FORCE)"_s); }
};

QTEST_MAIN(TestCopyAs)
#include "tst_copyas.moc"
