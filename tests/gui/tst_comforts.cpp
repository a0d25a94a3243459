#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

// Everyday comforts of the main window (issue 15, Help): Ctrl+Y, number alignment, the column that
// takes the spare width, the empty table's page and the keyboard shortcuts dialog. Driven by
// object name against the real server; what is saved is checked with psql.
class TestComforts : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_comforts"_s;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }

    void openWindow()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
    }

    // F2 on the cell, replace the text, Enter: what a user does.
    void typeIntoCell(const QModelIndex& index, const QString& text)
    {
        view()->setCurrentIndex(index);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "F2 opened no line editor");
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        QCoreApplication::processEvents(); // the delegate commits through a queued call
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
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp, amount numeric(10,2), quantity integer)"_s);
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void ctrlYRedoesAnUndoneEdit()
    {
        sql(u"INSERT INTO my_table(name) VALUES ('alice')"_s);
        openWindow();
        QAction* redo = action("actionRedo");
        QVERIFY(redo->shortcuts().contains(QKeySequence(u"Ctrl+Y"_s)));
        QCOMPARE(redo->shortcut(), QKeySequence(u"Ctrl+Shift+Z"_s)); // still the one menus show

        const QModelIndex name = model()->index(0, 1);
        typeIntoCell(name, u"alicia"_s);
        QCOMPARE(name.data().toString(), u"alicia"_s);
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(name.data().toString(), u"alice"_s);
        QVERIFY(!model()->hasPendingChanges());
        QTest::keyClick(view(), Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(name.data().toString(), u"alicia"_s);
        QTest::keyClick(view(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE(sql(u"SELECT name FROM my_table"_s), u"alicia"_s);
    }

    void numbersAreRightAlignedAndTheNameTakesTheSpareWidth()
    {
        sql(u"INSERT INTO my_table(name, amount, quantity) VALUES ('alice', 12.5, 3), ('bob', NULL, NULL)"_s);
        openWindow();
        QCOMPARE(model()->rowCount(), 2);
        const auto alignment = [this](int row, int column) {
            return Qt::Alignment(model()->index(row, column).data(Qt::TextAlignmentRole).toInt());
        };
        for (int row = 0; row < 2; ++row) {
            for (int column : { 0, 3, 4 }) // id, amount, quantity, NULL or not
                QVERIFY2(alignment(row, column) & Qt::AlignRight, qPrintable(u"%1,%2"_s.arg(row).arg(column)));
            for (int column : { 1, 2 }) // name, date
                QVERIFY(!(alignment(row, column) & Qt::AlignRight));
        }
        QCOMPARE(model()->index(0, 4).data().toString(), sql(u"SELECT quantity FROM my_table WHERE name = 'alice'"_s));

        QHeaderView* header = view()->horizontalHeader();
        QVERIFY(!header->stretchLastSection());
        QCOMPARE(header->sectionResizeMode(1), QHeaderView::Stretch);
        QCOMPARE(header->sectionResizeMode(4), QHeaderView::Interactive);
        // Without a saved layout the timestamp gets room for its whole value.
        const QString stored = sql(u"SELECT date FROM my_table WHERE name = 'alice'"_s);
        QVERIFY2(header->sectionSize(2) > view()->fontMetrics().horizontalAdvance(stored),
                 qPrintable(QString::number(header->sectionSize(2))));
        const int nameWidth = header->sectionSize(1);
        const int lastWidth = header->sectionSize(4);
        m_window->resize(m_window->width() + 200, m_window->height());
        QTRY_VERIFY(header->sectionSize(1) > nameWidth);
        QCOMPARE(header->sectionSize(4), lastWidth);
        // A new row (not saved yet) lines its default id up with the numbers too.
        action("actionAddRow")->trigger();
        QVERIFY(alignment(model()->rowCount() - 1, 0) & Qt::AlignRight);
    }

    void theTutorialsTableShowsItsWholeTimestamp()
    {
        // The tutorial's three columns: the date is the last one, which used to take the spare width.
        sql(u"DROP TABLE my_table; CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); INSERT INTO my_table(name) VALUES ('alice')"_s);
        openWindow();
        const QString stored = sql(u"SELECT date FROM my_table"_s);
        QHeaderView* header = view()->horizontalHeader();
        QVERIFY2(header->sectionSize(2) > view()->fontMetrics().horizontalAdvance(stored),
                 qPrintable(QString::number(header->sectionSize(2))));
        QCOMPARE(header->sectionResizeMode(1), QHeaderView::Stretch);
        QVERIFY(header->sectionSize(1) > header->sectionSize(2));
    }

    // Alt+letter reaches one item per menu: no two entries of a menu (or two menu titles of the
    // bar) share their underlined letter.
    void everyMenuUnderlinesADifferentLetterForEachEntry()
    {
        openWindow();
        auto mnemonic = [](const QString& text) -> QChar {
            for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                if (text.at(i) == u'&' && text.at(i + 1) != u'&')
                    return text.at(i + 1).toLower();
                if (text.at(i) == u'&')
                    ++i;
            }
            return {};
        };
        auto checkUnique = [&](const QList<QAction*>& actions, const QString& where) {
            QHash<QChar, QString> seen;
            for (const QAction* action : actions) {
                if (action->isSeparator())
                    continue;
                const QChar letter = mnemonic(action->text());
                QVERIFY2(!letter.isNull(), qPrintable(where + u": no underlined letter in "_s + action->text()));
                QVERIFY2(!seen.contains(letter),
                         qPrintable(where + u": "_s + seen.value(letter) + u" and "_s + action->text()
                                    + u" share Alt+"_s + letter));
                seen.insert(letter, action->text());
            }
        };
        checkUnique(m_window->menuBar()->actions(), u"menu bar"_s);
        const QList<QMenu*> menus = m_window->menuBar()->findChildren<QMenu*>();
        QVERIFY(menus.size() >= 6);
        for (const QMenu* menu : menus)
            checkUnique(menu->actions(), menu->title());
    }

    void anEmptyTableOffersAddRow()
    {
        openWindow();
        QCOMPARE(model()->rowCount(), 0);
        auto* stack = m_window->findChild<QStackedWidget*>(u"viewStack"_s);
        QCOMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);
        const QString text = m_window->findChild<QLabel*>(u"emptyStateLabel"_s)->text();
        QVERIFY2(text.contains(u"no rows"_s) && text.contains(u"Add row"_s)
                     && text.contains(QKeySequence(u"Ctrl+N"_s).toString(QKeySequence::NativeText)),
                 qPrintable(text));
        auto* button = m_window->findChild<QPushButton*>(u"emptyStateButton"_s);
        QVERIFY(button->isVisible());
        QCOMPARE(button->text(), u"Add row"_s);

        button->click();
        QCOMPARE(stack->currentWidget(), view());
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "Add row opened no editor on the name");
        QTest::keyClicks(editor, u"first row"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QCoreApplication::processEvents();
        QTest::keyClick(view(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE(sql(u"SELECT name FROM my_table"_s), u"first row"_s);
        QCOMPARE(stack->currentWidget(), view());

        // Deleted again from elsewhere: F5 shows the page again.
        sql(u"DELETE FROM my_table"_s);
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_COMPARE(stack->currentWidget()->objectName(), u"emptyStatePage"_s);

        // Pasting a list of names is how a new table gets its first rows: Ctrl+Shift+V works on
        // the page too, not only in the grid it replaces.
        QGuiApplication::clipboard()->setText(u"alpha\nbeta\n"_s);
        button->setFocus();
        QTest::keyClick(button, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(model()->pendingChangeCount(), 2);
        action("actionSave")->trigger();
        QTRY_COMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"alpha,beta"_s);
    }

    void keyboardShortcutsListsTheActionsAndFilters()
    {
        openWindow();
        QAction* shortcuts = action("actionKeyboardShortcuts");
        QVERIFY(shortcuts);
        QCOMPARE(shortcuts->shortcut(), QKeySequence(Qt::Key_F1));
        QVERIFY(m_window->findChild<QMenu*>(u"helpMenu"_s)->actions().contains(shortcuts));

        QMap<QString, QString> listed;
        QStringList visibleAfterFilter;
        whenModalShows(u"shortcutsDialog"_s, [&](QWidget* dialog) {
            auto* table = dialog->findChild<QTableWidget*>(u"shortcutsTable"_s);
            for (int row = 0; row < table->rowCount(); ++row)
                listed.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
            auto* filter = dialog->findChild<QLineEdit*>(u"shortcutsFilter"_s);
            QTest::keyClicks(filter, u"save"_s);
            for (int row = 0; row < table->rowCount(); ++row) {
                if (!table->isRowHidden(row))
                    visibleAfterFilter << table->item(row, 0)->text() + u" = "_s + table->item(row, 1)->text();
            }
            QTest::keyClick(filter, Qt::Key_Escape);
            if (auto* still = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
                still->reject();
        });
        QTest::keyClick(view(), Qt::Key_F1);

        QCOMPARE(listed.value(u"Save"_s), QKeySequence(u"Ctrl+S"_s).toString(QKeySequence::NativeText));
        QVERIFY2(listed.value(u"Redo"_s).contains(QKeySequence(u"Ctrl+Y"_s).toString(QKeySequence::NativeText)),
                 qPrintable(listed.value(u"Redo"_s)));
        // Every action of the window with keys is listed, and nothing without keys.
        for (const QAction* each : m_window->findChildren<QAction*>()) {
            if (each->objectName().isEmpty())
                continue;
            const QString text = each->text().remove(u'&').remove(u'…').trimmed();
            QCOMPARE(listed.contains(text), !each->shortcuts().isEmpty());
        }
        QVERIFY(!visibleAfterFilter.isEmpty());
        for (const QString& row : visibleAfterFilter)
            QVERIFY2(row.contains(u"save"_s, Qt::CaseInsensitive), qPrintable(row));
        QVERIFY(visibleAfterFilter.size() < listed.size());
    }

    void cleanupTestCase() { m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_comforts WITH (FORCE)"_s); }
};

QTEST_MAIN(TestComforts)
#include "tst_comforts.moc"
