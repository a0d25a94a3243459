// Long text in the grid (issue 15): a multi-line or elided name shows its full value as a tooltip,
// and View > Row details shows every column of the current row exactly, with the name editable
// (newlines and all) through the model's normal staging: Save writes it, Undo takes it back.
// Checked from the real window against the real server, and with psql.
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/RowDetailsDialog.h"
#include "model/TableModel.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolTip>
#include <QUndoStack>

using namespace Qt::StringLiterals;

class TestLongText : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_longtext"_s;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement)
    {
        [&] { QVERIFY(waitUntilWindowLoaded(m_window.get())); }();
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

    // Opens View > Row details on this row; the dialog is window-modal and open while the test runs.
    RowDetailsDialog* openRowDetails(int row)
    {
        view()->setCurrentIndex(model()->index(row, 1));
        action("actionRowDetails")->trigger();
        return m_window->findChild<RowDetailsDialog*>(u"rowDetailsDialog"_s);
    }
    static QString valueText(RowDetailsDialog* dialog, const QString& column)
    {
        auto* edit = dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_"_s + column);
        return edit ? edit->toPlainText() : u"<missing>"_s;
    }
    static QString lengthText(RowDetailsDialog* dialog, const QString& column)
    {
        auto* label = dialog->findChild<QLabel*>(u"rowDetailsLength_"_s + column);
        return label ? label->text() : u"<missing>"_s;
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
                             "INSERT INTO my_table(id, name, date) VALUES "
                             "(1, E'first line\\nsecond line', '2024-03-10 02:30:00.123456'), "
                             "(2, NULL, '2024-05-01 10:00:00'), (3, '', '2024-05-02 10:00:00'), "
                             "(4, repeat('x', 5000) || E'\\nend', '2024-05-03 10:00:00'), "
                             "(5, 'a single line that is much wider than a narrow column', '2024-05-04 10:00:00')"_s);
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(model()->rowCount(), 5);
    }

    void cleanup()
    {
        if (auto* dialog = m_window ? m_window->findChild<RowDetailsDialog*>() : nullptr)
            dialog->reject();
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void multiLineNameHasItsFullValueAsTooltip()
    {
        QCOMPARE(model()->index(0, 1).data(Qt::ToolTipRole).toString(), u"first line\nsecond line"_s);
        // Single-line values and NULL give no tooltip of their own (the delegate adds one when elided).
        QVERIFY(!model()->index(1, 1).data(Qt::ToolTipRole).isValid());
        QVERIFY(!model()->index(2, 1).data(Qt::ToolTipRole).isValid());
        // A huge value is cut, and the tooltip says how long it is.
        const QString huge = model()->index(3, 1).data(Qt::ToolTipRole).toString();
        QVERIFY2(huge.endsWith(u"… (%1 characters)"_s.arg(QLocale().toString(5004))), qPrintable(huge.right(40)));
        QVERIFY(huge.size() < 2100);
        // An edited multi-line cell keeps what the database holds and adds the full new value.
        QVERIFY(model()->setData(model()->index(2, 1), u"one\ntwo"_s));
        QCOMPARE(model()->index(2, 1).data(Qt::ToolTipRole).toString(),
                 u"Changed, not saved yet. The database holds: \n\none\ntwo"_s);
    }

    void elidedCellShowsItsFullValueAsTooltip()
    {
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        view()->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
        view()->setColumnWidth(1, 60);
        const QRect cell = view()->visualRect(model()->index(4, 1));
        QVERIFY(cell.isValid());
        QHelpEvent help(QEvent::ToolTip, cell.center(), view()->viewport()->mapToGlobal(cell.center()));
        QApplication::sendEvent(view()->viewport(), &help);
        QTRY_COMPARE(QToolTip::text(), u"a single line that is much wider than a narrow column"_s);
        QToolTip::hideText();

        // A short value that fits gets no tooltip.
        view()->setColumnWidth(1, 400);
        const QRect fits = view()->visualRect(model()->index(4, 1));
        QHelpEvent again(QEvent::ToolTip, fits.center(), view()->viewport()->mapToGlobal(fits.center()));
        QApplication::sendEvent(view()->viewport(), &again);
        QTRY_VERIFY(QToolTip::text().isEmpty());
    }

    void rowDetailsShowsEveryColumnExactly()
    {
        QCOMPARE(action("actionRowDetails")->shortcut(), QKeySequence(u"Ctrl+Shift+D"_s));
        RowDetailsDialog* dialog = openRowDetails(0);
        QVERIFY(dialog);
        QCOMPARE(valueText(dialog, u"id"_s), u"1"_s);
        QCOMPARE(valueText(dialog, u"name"_s), u"first line\nsecond line"_s);
        QCOMPARE(lengthText(dialog, u"name"_s), u"22 characters"_s);
        QCOMPARE(valueText(dialog, u"date"_s), u"2024-03-10 02:30:00.123456"_s);
        QVERIFY(!dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->isReadOnly());
        QVERIFY(dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_date"_s)->isReadOnly());
        dialog->reject();
        QTRY_VERIFY(!m_window->findChild<RowDetailsDialog*>());

        // NULL and the empty string stay apart.
        dialog = openRowDetails(1);
        QVERIFY(dialog);
        QCOMPARE(valueText(dialog, u"name"_s), QString());
        QCOMPARE(dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->placeholderText(), u"NULL"_s);
        QCOMPARE(lengthText(dialog, u"name"_s), u"NULL"_s);
        dialog->reject();
        QTRY_VERIFY(!m_window->findChild<RowDetailsDialog*>());
        dialog = openRowDetails(2);
        QVERIFY(dialog);
        QCOMPARE(lengthText(dialog, u"name"_s), u"0 characters"_s);
        // OK without a change stages nothing.
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(!model()->hasPendingChanges());
    }

    void nameEditedInRowDetailsIsSavedWithItsNewline()
    {
        RowDetailsDialog* dialog = openRowDetails(2);
        QVERIFY(dialog);
        auto* edit = dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s);
        edit->setPlainText(u"Zoë\nsecond line"_s);
        QCOMPARE(lengthText(dialog, u"name"_s), u"15 characters"_s);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(model()->index(2, 1).data(Qt::EditRole).toString(), u"Zoë\nsecond line"_s);
        QCOMPARE(model()->undoStack()->count(), 1);

        // Undo before saving restores the empty name; redo brings the edit back.
        model()->undoStack()->undo();
        QCOMPARE(model()->index(2, 1).data(Qt::EditRole).toString(), QString());
        QVERIFY(!model()->index(2, 1).data(Qt::EditRole).isNull());
        QVERIFY(!model()->hasPendingChanges());
        model()->undoStack()->redo();
        QVERIFY(model()->hasPendingChanges());

        action("actionSave")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QCOMPARE(sql(u"SELECT name = E'Zo\\u00eb\\nsecond line' FROM my_table WHERE id = 3"_s), u"t"_s);
        QCOMPARE(sql(u"SELECT char_length(name) FROM my_table WHERE id = 3"_s), u"15"_s);
    }

    // File ▸ Quit (closeAllWindows) reaches an open Row details before its window: what was typed
    // there is not lost without a question. Cancel keeps both open; Apply stages the edit, which
    // the window's own question then saves; Discard (the title bar's close) drops it.
    void closingRowDetailsWithEditsAsksFirst()
    {
        RowDetailsDialog* dialog = openRowDetails(2);
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->setPlainText(u"typed before quitting"_s);
        MessageBox::answerNext(QMessageBox::Cancel);
        QApplication::closeAllWindows();
        QVERIFY(dialog->isVisible());
        QVERIFY(m_window->isVisible());
        QVERIFY2(MessageBox::shownTexts().value(0).contains(u"not in the grid yet"_s),
                 qPrintable(MessageBox::shownTexts().join(u'|')));
        QVERIFY(!model()->hasPendingChanges());

        MessageBox::answerNext(QMessageBox::Apply);
        MessageBox::answerNext(QMessageBox::Save);
        QApplication::closeAllWindows();
        QVERIFY(!m_window->isVisible());
        QCOMPARE(MessageBox::shownTexts().size(), 3);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 3"_s), u"typed before quitting"_s);

        m_window->show();
        dialog = openRowDetails(2);
        QVERIFY(dialog);
        dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->setPlainText(u"dropped"_s);
        MessageBox::answerNext(QMessageBox::Discard);
        QVERIFY(dialog->close());
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 3"_s), u"typed before quitting"_s);
    }

    // Another client deletes the row while its details are open: OK must not put the name on
    // whatever row now stands where it stood, and it says so.
    void anEditForARowThatLeftTheGridChangesNothing()
    {
        RowDetailsDialog* dialog = openRowDetails(2);
        QVERIFY(dialog);
        sql(u"DELETE FROM my_table WHERE id = 3"_s);
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE(model()->rowCount(), 4);
        dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->setPlainText(u"meant for row 3"_s);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"no longer in the grid"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'meant for row 3'"_s), u"0"_s);
    }

    // A new row's details are open while another client's row comes into the grid before it:
    // OK stages the name on that new row, found by its serial, not on the row now at its place.
    void anEditForANewRowFollowsItAfterAReload()
    {
        sql(u"SELECT setval('my_table_id_seq', 100)"_s); // init() gave the rows their ids
        action("actionAddRow")->trigger();
        const int newRow = model()->rowCount() - 1;
        QVERIFY(model()->isNewRow(newRow));
        RowDetailsDialog* dialog = openRowDetails(newRow);
        QVERIFY(dialog);
        sql(u"INSERT INTO my_table(id, name) VALUES (6, 'another client')"_s);
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE(model()->serverRowCount(), 6); // the new row moved down one place
        dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->setPlainText(u"meant for the new row"_s);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(model()->index(model()->rowCount() - 1, 1).data(Qt::EditRole), u"meant for the new row"_s);
        QCOMPARE(model()->index(5, 1).data(Qt::EditRole), u"another client"_s);
        action("actionSave")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 6"_s), u"another client"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'meant for the new row' AND id <> 6"_s), u"1"_s);
    }

    // Without a current cell there is no row to show: the status bar says what to do.
    void rowDetailsWithoutACurrentCellSaysWhatToDo()
    {
        view()->setCurrentIndex(QModelIndex());
        action("actionRowDetails")->trigger();
        QVERIFY(!m_window->findChild<RowDetailsDialog*>());
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"click a cell first"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
    }

    // The grid's editor is a line edit; opening and closing it must keep a multi-line name as it is,
    // and Shift+Enter types a newline where Enter would commit.
    void gridEditorKeepsAndTypesNewlines()
    {
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        const QModelIndex name = model()->index(0, 1);
        view()->setCurrentIndex(name);
        view()->edit(name);
        auto* editor = view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
        QVERIFY(editor);
        QCOMPARE(editor->text(), u"first line\nsecond line"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        QVERIFY(!model()->hasPendingChanges());

        const QModelIndex empty = model()->index(2, 1);
        view()->setCurrentIndex(empty);
        view()->edit(empty);
        editor = view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
        QVERIFY(editor);
        QTest::keyClicks(editor, u"one"_s);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(view()->findChild<QLineEdit*>(u"cellLineEdit"_s)); // still editing
        QTest::keyClicks(editor, u"two"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        QCOMPARE(model()->index(2, 1).data(Qt::EditRole).toString(), u"one\ntwo"_s);
        action("actionSave")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 15000);
        QCOMPARE(sql(u"SELECT name = E'one\\ntwo' FROM my_table WHERE id = 3"_s), u"t"_s);
    }

    void rowMarkedForDeletionIsReadOnlyInRowDetails()
    {
        QCOMPARE(model()->stageDeleteRows({ 0 }), 1);
        RowDetailsDialog* dialog = openRowDetails(0);
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_name"_s)->isReadOnly());
        QVERIFY(dialog->findChild<QLabel*>(u"rowDetailsReadOnlyNote"_s));
        QVERIFY(!dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok));
        dialog->reject();
    }
};

QTEST_MAIN(TestLongText)
#include "tst_longtext.moc"
