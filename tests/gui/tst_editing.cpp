// Past 600 lines because it is one suite per concern: inline editing, staged edits, undo, delete
// and save against one server database, 36 cases that share its fixture and helpers.
#include "IntegerKey.h"
#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "editing/TabSeparatedText.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TimestampEdit.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QDialog>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

// Drives the real main window by object name and checks the database with psql.
class TestEditing : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_editing"_s;
    std::unique_ptr<MainWindow> m_window;

    // Window moves run on a worker connection; wait until the window shows the result.
    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }

    QString sql(const QString& statement)
    {
        waitUntilLoaded();
        return m_server.checkedPsql(m_database, statement);
    }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    QString statusText(const char* name) { return m_window->findChild<QLabel*>(QString::fromLatin1(name))->text(); }

    int rowWithName(const QString& name)
    {
        waitUntilLoaded();
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, 1).data(Qt::EditRole).toString() == name)
                return row;
        }
        return -1;
    }

    // F2 on the cell, replace the text, Enter: what a user does.
    void typeIntoCell(int row, int column, const QString& text)
    {
        waitUntilLoaded();
        const QModelIndex index = model()->index(row, column);
        view()->setCurrentIndex(index);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "F2 opened no line editor");
        editor->selectAll();
        if (text.isEmpty())
            QTest::keyClick(editor, Qt::Key_Backspace);
        else
            QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
    }

    // Item delegates commit an editor's data through a queued call after Enter.
    static void settle() { QCoreApplication::processEvents(); }

    void typeFilter(const QString& text)
    {
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->clear();
        // Typed by the user for short text; set at once for the 10,000-character case.
        const bool typeable = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 128; });
        if (typeable && text.size() < 100)
            QTest::keyClicks(search, text);
        else
            search->setText(text);
        // The filter is debounced; it must apply by itself, not by Enter.
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        waitUntilLoaded();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        // A run before this one left its tables' remembered sort and column layout: the functions
        // expect the window as it first opens (rows in key order).
        QSettings().remove(u"table"_s);
    }

    void init()
    {
        MessageBox::clearTestState();
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name, date) VALUES ('alice', '2024-03-10 02:30:00.123456'), "
            "('bob', '2024-05-01 10:00:00'), ('O''Brien', '2024-05-02 10:00:00'), "
            "('100% sure', '2024-05-03 10:00:00'), ('snake_case', '2024-05-04 10:00:00'), "
            "('back\\slash', '2024-05-05 10:00:00'), ('Zoë 🐘', '2024-05-06 10:00:00'), "
            "(NULL, '2024-05-07 10:00:00'), ('', '2024-05-08 10:00:00'), ('BOBBY', '2024-05-09 10:00:00')"_s);
        QString windowError;
        m_window = openMainWindow(m_server.settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        QCOMPARE(model()->rowCount(), 10);
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges()) {
            MessageBox::answerNext(QMessageBox::Discard);
        }
        m_window.reset();
    }

    void actionsHaveShortcutsTooltipsAndStartDisabled()
    {
        QCOMPARE(action("actionAddRow")->shortcut(), QKeySequence(u"Ctrl+N"_s));
        QCOMPARE(action("actionSave")->shortcut(), QKeySequence(u"Ctrl+S"_s));
        QCOMPARE(action("actionDeleteRows")->shortcut(), QKeySequence(Qt::Key_Delete));
        QCOMPARE(action("actionRefresh")->shortcut(), QKeySequence(Qt::Key_F5));
        QCOMPARE(action("actionUndo")->shortcut(), QKeySequence(u"Ctrl+Z"_s));
        QCOMPARE(action("actionRedo")->shortcut(), QKeySequence(u"Ctrl+Shift+Z"_s));
        QCOMPARE(action("actionFind")->shortcut(), QKeySequence(u"Ctrl+F"_s));
        QVERIFY(action("actionSave")->toolTip().contains(QKeySequence(u"Ctrl+S"_s).toString(QKeySequence::NativeText)));
        QVERIFY(!action("actionSave")->isEnabled());
        QVERIFY(!action("actionDiscard")->isEnabled());
        QVERIFY(!action("actionUndo")->isEnabled());
        view()->clearSelection();
        QVERIFY(!action("actionDeleteRows")->isEnabled());
        view()->selectRow(0);
        QVERIFY(action("actionDeleteRows")->isEnabled());
    }

    void addRowTakesIdAndDateFromTheServer()
    {
        QTest::keyClick(view(), Qt::Key_N, Qt::ControlModifier);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "Add row must open the name cell's editor");
        QCOMPARE(view()->currentIndex().row(), 10);
        QCOMPARE(view()->currentIndex().column(), 1);
        QTest::keyClicks(editor, u"carol"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
        QCOMPARE(model()->index(10, 0).data().toString(), u"default"_s);
        QCOMPARE(statusText("pendingChangesLabel"), u"1 unsaved change"_s); // a new row counts once
        QVERIFY(action("actionSave")->isEnabled());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'carol'"_s), u"0"_s);

        QTest::keyClick(view(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        const QString idInDatabase = sql(u"SELECT id FROM my_table WHERE name = 'carol'"_s);
        const QString dateInDatabase = sql(u"SELECT date FROM my_table WHERE name = 'carol'"_s);
        QVERIFY(!idInDatabase.isEmpty());
        const int row = rowWithName(u"carol"_s);
        QVERIFY(row >= 0);
        QCOMPARE(model()->index(row, 0).data().toString(), idInDatabase);
        QCOMPARE(model()->index(row, 2).data().toString(), dateInDatabase);
        QVERIFY(!model()->isNewRow(row));
        QCOMPARE(view()->currentIndex().row(), row);
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(statusText("pendingChangesLabel"), QString());
        waitUntilLoaded();
        // Counted again on the count worker after the save, not on the window's connection.
        QTRY_COMPARE_WITH_TIMEOUT(statusText("rowCountStatusLabel"), u"11 rows"_s, 5000);
    }

    void addRowWithoutNameStoresNull()
    {
        action("actionAddRow")->trigger();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        settle();
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IS NULL"_s), u"2"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"11"_s);
    }

    void nullAndEmptyStringStayApart()
    {
        const int bob = rowWithName(u"bob"_s);
        view()->setCurrentIndex(model()->index(bob, 1));
        view()->selectionModel()->select(model()->index(bob, 1), QItemSelectionModel::ClearAndSelect);
        action("actionSetNull")->trigger();
        QVERIFY(model()->index(bob, 1).data(Qt::EditRole).isNull());
        QCOMPARE(model()->index(bob, 1).data(Qt::DisplayRole).toString(), u"NULL"_s);
        typeIntoCell(rowWithName(u"alice"_s), 1, QString());
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IS NULL"_s), u"2"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = ''"_s), u"2"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IN ('alice', 'bob')"_s), u"0"_s);
    }

    void openingAndClosingAnEditorOnNullChangesNothing()
    {
        const int row = model()->rowForKey(8);
        QVERIFY(model()->index(row, 1).data(Qt::EditRole).isNull());
        view()->setCurrentIndex(model()->index(row, 1));
        QTest::keyClick(view(), Qt::Key_F2);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        settle();
        QVERIFY(!model()->hasPendingChanges());
    }

    void editSaveWritesTheDatabaseAndKeepsTheTimestamp()
    {
        const QString dateBefore = sql(u"SELECT date FROM my_table WHERE name = 'alice'"_s);
        typeIntoCell(rowWithName(u"alice"_s), 1, u"alicia"_s);
        QCOMPARE(model()->index(rowWithName(u"alicia"_s), 1).data(TableModel::CellStateRole).toInt(),
                 static_cast<int>(TableModel::CellState::Edited));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'alicia'"_s), u"0"_s);
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'alicia'"_s), u"1"_s);
        // This client runs in Pacific/Auckland, the server session in America/St_Johns: the stored
        // wall-clock value must not move, nor lose its microseconds.
        QCOMPARE(sql(u"SELECT date FROM my_table WHERE name = 'alicia'"_s), dateBefore);
        QCOMPARE(dateBefore, u"2024-03-10 02:30:00.123456"_s);
    }

    void dateEditorKeepsMicroseconds()
    {
        const int row = rowWithName(u"bob"_s);
        view()->setCurrentIndex(model()->index(row, 2));
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = view()->findChild<TimestampEdit*>();
        QVERIFY(editor);
        QCOMPARE(editor->text(), u"2024-05-01 10:00:00"_s);
        QVERIFY(editor->setText(u"2024-03-10 02:45:59.000042"_s)); // a time St_Johns' DST skips
        QTest::keyClick(editor->findChild<QDateTimeEdit*>(), Qt::Key_Return);
        settle();
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT date FROM my_table WHERE name = 'bob'"_s), u"2024-03-10 02:45:59.000042"_s);
    }

    void editDiscardWritesNothing()
    {
        typeIntoCell(rowWithName(u"bob"_s), 1, u"robert"_s);
        QVERIFY(action("actionDiscard")->isEnabled());
        MessageBox::answerNext(QMessageBox::Discard);
        action("actionDiscard")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'robert'"_s), u"0"_s);
        QVERIFY(rowWithName(u"bob"_s) >= 0);
        QVERIFY(!model()->hasPendingChanges());
    }

    void failedSaveWritesNothingAndKeepsTheEdits()
    {
        typeIntoCell(rowWithName(u"alice"_s), 1, u"alice2"_s);
        typeIntoCell(rowWithName(u"bob"_s), 1, u"bob2"_s);
        const QString bobId = sql(u"SELECT id FROM my_table WHERE name = 'bob'"_s);
        sql(u"DELETE FROM my_table WHERE name = 'bob'"_s); // another client
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionSave")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        const QString error = MessageBox::shownTexts().constFirst();
        QVERIFY2(error.contains(u"id "_s + bobId), qPrintable(error));
        QVERIFY2(error.contains(u"Nothing was written"_s), qPrintable(error));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'alice2'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'alice'"_s), u"1"_s);
        QCOMPARE(model()->pendingChangeCount(), 2);
        QVERIFY(rowWithName(u"alice2"_s) >= 0);
    }

    void anotherClientsChangeIsNeverOverwrittenSilently_data()
    {
        QTest::addColumn<int>("answer");
        QTest::addColumn<QString>("expectedName");
        QTest::addColumn<int>("expectedPending");
        QTest::newRow("keep mine") << int(QMessageBox::Yes) << u"mine"_s << 0;
        QTest::newRow("take theirs") << int(QMessageBox::No) << u"theirs"_s << 0;
        QTest::newRow("skip") << int(QMessageBox::Cancel) << u"theirs"_s << 1;
    }
    void anotherClientsChangeIsNeverOverwrittenSilently()
    {
        QFETCH(int, answer);
        QFETCH(QString, expectedName);
        QFETCH(int, expectedPending);
        const int row = rowWithName(u"bob"_s);
        const qint64 key = integerKey(model()->keyAt(row));
        typeIntoCell(row, 1, u"mine"_s);
        sql(u"UPDATE my_table SET name = 'theirs' WHERE id = %1"_s.arg(key)); // another client, meanwhile
        MessageBox::answerNext(static_cast<QMessageBox::StandardButton>(answer));
        action("actionSave")->trigger();
        const QString question = MessageBox::shownTexts().value(0);
        QVERIFY2(question.contains(u"“bob”"_s) && question.contains(u"“theirs”"_s) && question.contains(u"“mine”"_s),
                 qPrintable(question));
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), expectedName);
        QCOMPARE(model()->pendingChangeCount(), expectedPending);
        // Other rows never changed by the conflict.
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);
    }

    void timestampEditsAreCheckedForConflictsToo()
    {
        const int row = rowWithName(u"alice"_s);
        const qint64 key = integerKey(model()->keyAt(row));
        QVERIFY(model()->setData(model()->index(row, 2), u"2030-01-01 00:00:00.5"_s));
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionSave")->trigger(); // unchanged elsewhere: saves, no question
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT date FROM my_table WHERE id = %1"_s.arg(key)), u"2030-01-01 00:00:00.5"_s);
        MessageBox::clearTestState();
    }

    void serverRejectionNamesTheRowAndRollsBack()
    {
        typeIntoCell(rowWithName(u"alice"_s), 1, u"alice3"_s);
        const int bob = rowWithName(u"bob"_s);
        QVERIFY(model()->setData(model()->index(bob, 2), u"not a timestamp"_s));
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionSave")->trigger();
        const QString error = MessageBox::shownTexts().value(0);
        QVERIFY2(error.contains(u"bob"_s) && error.contains(u"timestamp"_s), qPrintable(error));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'alice3'"_s), u"0"_s);
        QCOMPARE(model()->pendingChangeCount(), 2);
    }

    void undoAndRedoStepThroughStagedEdits()
    {
        const int row = rowWithName(u"alice"_s);
        typeIntoCell(row, 1, u"first"_s);
        typeIntoCell(row, 1, u"second"_s);
        QCOMPARE(model()->index(row, 1).data().toString(), u"second"_s);
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(model()->index(row, 1).data().toString(), u"first"_s);
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(model()->index(row, 1).data().toString(), u"alice"_s);
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY(!action("actionSave")->isEnabled());
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(model()->index(row, 1).data().toString(), u"first"_s);
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = 1"_s), u"first"_s);
        QVERIFY(!action("actionUndo")->isEnabled()); // saved edits are not undone locally
    }

    void filterTextAlwaysMeansItself_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("injection") << u"x' OR 1=1 --"_s;
        QTest::newRow("percent") << u"%"_s;
        QTest::newRow("underscore") << u"_"_s;
        QTest::newRow("quote") << u"O'Brien"_s;
        QTest::newRow("backslash") << u"\\"_s;
        QTest::newRow("emoji") << u"🐘"_s;
        QTest::newRow("case-insensitive") << u"bob"_s;
        QTest::newRow("right-to-left") << u"שלום"_s;
        QTest::newRow("exclamation, the escape") << u"!"_s;
        QTest::newRow("10,000 characters") << QString(10000, u'a');
    }
    void filterTextAlwaysMeansItself()
    {
        QFETCH(QString, text);
        typeFilter(text);
        // psql's dollar quoting and strpos compute the same answer without LIKE at all.
        const int expected
            = sql(u"SELECT count(*) FROM my_table WHERE strpos(lower(name), lower($q$%1$q$)) > 0"_s.arg(text)).toInt();
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), expected);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s); // nothing was touched
        if (expected == 0) {
            auto* stack = m_window->findChild<QStackedWidget*>(u"viewStack"_s);
            QCOMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);
            QVERIFY(m_window->findChild<QLabel*>(u"emptyStateLabel"_s)->text().startsWith(u"No name contains"_s));
        } else {
            // The exact count comes from a worker after the rows: "of about N" until then.
            QTRY_COMPARE(statusText("rowCountStatusLabel"), u"%1 of 10 rows"_s.arg(expected));
        }
    }

    void exactMatchIsTheTutorialsWhereNameEquals()
    {
        action("actionExactMatch")->setChecked(true);
        typeFilter(u"bob"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 1);
        typeFilter(u"BOB"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 0);
        typeFilter(u"O'Brien"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 1);
        action("actionExactMatch")->setChecked(false);
    }

    void escapeClearsTheFilter()
    {
        typeFilter(u"bob"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 2);
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QTest::keyClick(search, Qt::Key_Escape);
        QCOMPARE(search->text(), QString());
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 10);
        QCOMPARE(statusText("rowCountStatusLabel"), u"10 rows"_s);
    }

    void ctrlFFocusesTheSearchBox()
    {
        QTest::keyClick(view(), Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), m_window->findChild<QLineEdit*>(u"searchLineEdit"_s));
    }

    void pendingEditsSurviveFilterSortAndRefresh()
    {
        typeIntoCell(rowWithName(u"alice"_s), 1, u"alice-edited"_s);
        action("actionAddRow")->trigger();
        QTest::keyClicks(QApplication::focusWidget(), u"newbie"_s);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        settle();
        QCOMPARE(model()->pendingChangeCount(), 2);

        typeFilter(u"bob"_s);
        QCOMPARE(model()->pendingChangeCount(), 2);
        typeFilter(QString());
        QCOMPARE(model()->index(rowWithName(u"alice-edited"_s), 1).data(TableModel::CellStateRole).toInt(),
                 static_cast<int>(TableModel::CellState::Edited));

        view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder); // a header click
        QCOMPARE(model()->pendingChangeCount(), 2);
        QVERIFY(rowWithName(u"alice-edited"_s) >= 0);
        QVERIFY(rowWithName(u"newbie"_s) >= 0);

        sql(u"INSERT INTO my_table(name) VALUES ('from elsewhere')"_s);
        QTest::keyClick(view(), Qt::Key_F5);
        QVERIFY(rowWithName(u"from elsewhere"_s) >= 0);
        QCOMPARE(model()->pendingChangeCount(), 2);

        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IN ('alice-edited', 'newbie')"_s), u"2"_s);
    }

    void sortingIsDoneByTheServer()
    {
        view()->horizontalHeader()->setSortIndicator(2, Qt::DescendingOrder);
        waitUntilLoaded();
        const QStringList expected = sql(u"SELECT id FROM my_table ORDER BY date DESC"_s).split(u'\n');
        for (int row = 0; row < model()->rowCount(); ++row)
            QCOMPARE(model()->index(row, 0).data().toString(), expected.at(row));
    }

    // With Edit ▸ Delete immediately (the setting that keeps the old behaviour); staged deletes
    // are tested in tst_rightrows.
    void deleteSeveralRowsAfterConfirmation()
    {
        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        view()->clearSelection();
        for (const QString& name : { u"alice"_s, u"bob"_s, u"BOBBY"_s })
            view()->selectionModel()->select(model()->index(rowWithName(name), 1),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
        MessageBox::answerNext(QMessageBox::Cancel);
        action("actionDeleteRows")->trigger();
        QVERIFY(MessageBox::shownTexts().constLast().contains(u"Delete 3 rows from my_table?"_s));
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);

        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"7"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IN ('alice', 'bob', 'BOBBY')"_s), u"0"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 7);
        QSettings().remove(u"editing/deleteImmediately"_s);
    }

    void dropNeedsTheTypedNameThenOffersCreate()
    {
        bool sawDisabledButton = false;
        QString message;
        // The row count is read off the GUI thread first, so the dialog shows a moment later.
        whenModalShows(u"dropTableDialog"_s, [&](QWidget* dialog) {
            message = dialog->findChild<QLabel*>(u"messageLabel"_s)->text();
            auto* confirm = dialog->findChild<QLineEdit*>(u"confirmLineEdit"_s);
            auto* drop = dialog->findChild<QPushButton*>(u"dropButton"_s);
            QTest::keyClicks(confirm, u"my_tabl"_s);
            sawDisabledButton = !drop->isEnabled();
            QTest::keyClicks(confirm, u"e"_s);
            QVERIFY(drop->isEnabled());
            drop->click();
        });
        action("actionDropTable")->trigger();
        QVERIFY(sawDisabledButton);
        QVERIFY2(message.contains(u"my_table"_s) && message.contains(u"10 rows"_s), qPrintable(message));
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);

        auto* stack = m_window->findChild<QStackedWidget*>(u"viewStack"_s);
        QCOMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);
        auto* create = m_window->findChild<QPushButton*>(u"emptyStateButton"_s);
        QVERIFY(create->isVisible());
        QVERIFY(action("actionCreateTable")->isEnabled());
        create->click();
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
        QVERIFY(model());
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 0);
        // The new table is empty: the page says so and offers Add row.
        QCOMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);
        QCOMPARE(create->text(), u"Add row"_s);
    }

    void enterInTheDropDialogDropsOnlyOnceTheNameMatches()
    {
        bool openAfterWrongName = false;
        bool dropWasDisabled = false;
        QString hint;
        QString rowsWhileOpen;
        whenModalShows(u"dropTableDialog"_s, [&](QWidget* dialog) {
            auto* confirm = dialog->findChild<QLineEdit*>(u"confirmLineEdit"_s);
            QTest::keyClicks(confirm, u"my_tabel"_s);
            QTest::keyClick(confirm, Qt::Key_Return);
            openAfterWrongName = dialog->isVisible();
            dropWasDisabled = !dialog->findChild<QPushButton*>(u"dropButton"_s)->isEnabled();
            auto* hintLabel = dialog->findChild<QLabel*>(u"hintLabel"_s);
            hint = hintLabel && hintLabel->isVisible() ? hintLabel->text() : QString();
            rowsWhileOpen = sql(u"SELECT count(*) FROM my_table"_s);
            // Corrected as a user does it: select the text, type over it, Enter.
            QTest::keyClick(confirm, Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(confirm, u"my_table"_s);
            QTest::keyClick(confirm, Qt::Key_Return);
        });
        action("actionDropTable")->trigger();
        QVERIFY2(openAfterWrongName, "Enter with a wrong name closed the dialog");
        QVERIFY(dropWasDisabled);
        QVERIFY2(hint.contains(u"Type my_table exactly"_s), qPrintable(hint));
        QCOMPARE(rowsWhileOpen, u"10"_s);
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        auto* stack = m_window->findChild<QStackedWidget*>(u"viewStack"_s);
        QCOMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);
    }

    void escInTheDropDialogKeepsTheTableEvenWithTheNameTyped()
    {
        bool closedByEsc = false;
        whenModalShows(u"dropTableDialog"_s, [&](QWidget* dialog) {
            auto* confirm = dialog->findChild<QLineEdit*>(u"confirmLineEdit"_s);
            QTest::keyClicks(confirm, u"my_table"_s);
            QTest::keyClick(confirm, Qt::Key_Escape);
            closedByEsc = !dialog->isVisible();
        });
        action("actionDropTable")->trigger();
        QVERIFY(closedByEsc);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);
    }

    void cancelledDropKeepsTheTable()
    {
        whenModalShows(u"dropTableDialog"_s, [](QWidget* dialog) { qobject_cast<QDialog*>(dialog)->reject(); });
        action("actionDropTable")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);
    }

    void copyAsTabSeparatedTextAndPasteAsNewRows()
    {
        view()->clearSelection();
        const int alice = rowWithName(u"alice"_s);
        const int bob = rowWithName(u"bob"_s);
        view()->selectionModel()->select(model()->index(alice, 1), QItemSelectionModel::Select);
        view()->selectionModel()->select(model()->index(alice, 2), QItemSelectionModel::Select);
        view()->selectionModel()->select(model()->index(bob, 1), QItemSelectionModel::Select);
        view()->selectionModel()->select(model()->index(bob, 2), QItemSelectionModel::Select);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(),
                 u"alice\t2024-03-10 02:30:00.123456\nbob\t2024-05-01 10:00:00"_s);

        QGuiApplication::clipboard()->setText(u"pasted one\npasted \"two\"\r\nthree\tignored\n"_s);
        QTest::keyClick(view(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 13);
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT string_agg(name, '|' ORDER BY id) FROM my_table WHERE id > 10"_s),
                 u"pasted one|pasted \"two\"|three"_s);
    }

    void pasteIntoSelectedCellsIsOneUndoStep()
    {
        QGuiApplication::clipboard()->setText(u"first\nsecond"_s);
        view()->setCurrentIndex(model()->index(0, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(model()->index(0, 1).data().toString(), u"first"_s);
        QCOMPARE(model()->index(1, 1).data().toString(), u"second"_s);
        action("actionUndo")->trigger();
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name IN ('first', 'second')"_s), u"0"_s);
    }

    // Paste a copied column whose last cell is empty: that row is not lost (format() used to end
    // the text at the last newline), and it stores the empty string, not NULL (a pasted empty
    // field used to arrive as a null QString, which QtSql binds as NULL).
    void pastedEmptyFieldsStayEmptyStringsAndLastEmptyRowsArrive()
    {
        const int obrien = rowWithName(u"O'Brien"_s); // followed by "100% sure"
        QVERIFY(obrien >= 0 && obrien + 1 < model()->serverRowCount());
        QVERIFY(!model()->index(obrien + 1, 1).data().toString().isEmpty());
        // A column of two rows, the second empty, as the grid copies it.
        QGuiApplication::clipboard()->setText(TabSeparatedText::format({ { u"first"_s }, { QString() } }));
        view()->setCurrentIndex(model()->index(obrien, 1));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_V, Qt::ControlModifier);
        const QList<QStringList> pasted = TabSeparatedText::parse(QGuiApplication::clipboard()->text());
        QCOMPARE(pasted.size(), 2);
        QVERIFY(!pasted.at(1).at(0).isNull());
        const qint64 firstKey = integerKey(model()->keyAt(obrien));
        const qint64 nextKey = integerKey(model()->keyAt(obrien + 1));
        action("actionSave")->trigger();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(firstKey)), u"first"_s);
        QCOMPARE(sql(u"SELECT coalesce(name, '<NULL>') FROM my_table WHERE id = %1"_s.arg(nextKey)), QString());
    }

    void deleteKeyInsideACellEditorEditsTextOnly()
    {
        const int row = rowWithName(u"bob"_s);
        view()->setCurrentIndex(model()->index(row, 1));
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        editor->setCursorPosition(0);
        QTest::keyClick(editor, Qt::Key_Delete);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), "Delete in an editor must not ask to delete rows");
        QCOMPARE(model()->index(row, 1).data().toString(), u"ob"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"10"_s);
    }

    void columnWidthsAndGeometryAreRememberedButNeverThePassword()
    {
        // The date column: the name column takes the spare width, so its width is not the user's.
        view()->setColumnWidth(2, 333);
        // Within the offscreen screen (800x800): a bigger one comes back fitted to it (tst_screenfit).
        m_window->resize(771, 655);
        QVERIFY(m_window->close());
        m_window.reset();

        QString windowError;
        m_window = openMainWindow(m_server.settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        waitUntilLoaded();
        QCOMPARE(view()->columnWidth(2), 333);
        QCOMPARE(m_window->size(), QSize(771, 655));

        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        QVERIFY(!file.readAll().contains(m_server.password().toUtf8()));
    }

    void columnWidthsAndSortStayWithTheirDatabase()
    {
        // Another database on the same server with its own my_table: same table name, other data.
        const QString other = m_database + u"_other"_s;
        QString error;
        QVERIFY2(m_server.recreateDatabase(other, &error), qPrintable(error));
        QSettings().remove(u"table"_s); // earlier runs' widths, whatever their key
        const auto reopen = [&](const QString& database) {
            m_window->close(); // closing saves the view settings
            m_window = openMainWindow(m_server.settings(database), &error);
            return m_window != nullptr;
        };

        view()->setColumnWidth(2, 345);
        view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        waitUntilLoaded();
        QVERIFY2(reopen(other), qPrintable(error));
        QVERIFY2(view()->columnWidth(2) != 345, "the other database's my_table got this one's width");
        QCOMPARE(view()->horizontalHeader()->sortIndicatorSection(), 0);
        QCOMPARE(model()->sortColumn(), 0);
        view()->setColumnWidth(2, 222);

        QVERIFY2(reopen(m_database), qPrintable(error));
        QCOMPARE(view()->columnWidth(2), 345);
        QCOMPARE(view()->horizontalHeader()->sortIndicatorSection(), 1);
        QCOMPARE(view()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(model()->sortColumn(), 1);
        QCOMPARE(model()->sortOrder(), Qt::DescendingOrder);
        QCOMPARE(model()->index(0, 0).data().toString(),
                 sql(u"SELECT id FROM my_table ORDER BY name DESC, id DESC LIMIT 1"_s));

        QVERIFY2(reopen(other), qPrintable(error));
        QCOMPARE(view()->columnWidth(2), 222);
    }

    void stagedEditsSurviveALostConnection()
    {
        typeIntoCell(rowWithName(u"alice"_s), 1, u"kept through a reconnect"_s);
        QSignalSpy reconnected(m_window->connectionWatcher(), &ConnectionWatcher::reconnected);
        QSignalSpy states(m_window->connectionWatcher(), &ConnectionWatcher::stateChanged);
        sql(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'tst_editing' "
            "AND application_name = 'pgdesk'"_s);
        m_window->connectionWatcher()->check();
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), 5000); // noticed: offline
        QVERIFY(reconnected.wait(15000));
        QCOMPARE(m_window->connectionWatcher()->state(), ConnectionWatcher::State::Online);
        waitUntilLoaded();
        QCOMPARE(model()->pendingChangeCount(), 1);
        QVERIFY(rowWithName(u"kept through a reconnect"_s) >= 0);
        action("actionSave")->trigger();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'kept through a reconnect'"_s), u"1"_s);
    }

    void closingWithPendingEditsAsks()
    {
        typeIntoCell(rowWithName(u"alice"_s), 1, u"unsaved"_s);
        MessageBox::answerNext(QMessageBox::Cancel);
        QVERIFY(!m_window->close());
        QVERIFY(m_window->isVisible());
        QCOMPARE(model()->pendingChangeCount(), 1);
        MessageBox::answerNext(QMessageBox::Save);
        QVERIFY(m_window->close());
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'unsaved'"_s), u"1"_s);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_editing WITH (FORCE)"_s);
    }
};

QTEST_MAIN(TestEditing)
#include "tst_editing.moc"
