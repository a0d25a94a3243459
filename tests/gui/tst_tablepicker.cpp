#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "config/RecentConnections.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TablePickerDialog.h"
#include "table/RowKey.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

// Issue 20, the table picker: File ▸ Open table lists the database's tables and views with the
// server's row estimates and their keys, searchable, and opens the one picked in the window; a
// table without a primary key opens read-only; the tutorial's table is left as it was (psql).
class TestTablePicker : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_tablepicker"_s;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* openAction() { return m_window->findChild<QAction*>(u"actionOpenTable"_s); }

    // Opens the picker, waits for its list, searches for `search`, and presses Enter there.
    void pickBySearch(const QString& search, QStringList* listed = nullptr,
                      Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        bool acted = false;
        whenModalShows(u"tablePickerDialog"_s, [&](QWidget* modal) {
            auto* dialog = static_cast<TablePickerDialog*>(modal);
            QTRY_VERIFY(dialog->isListRead());
            auto* list = dialog->findChild<QTableWidget*>(u"tableList"_s);
            if (listed) {
                for (int row = 0; row < list->rowCount(); ++row) {
                    QStringList cells;
                    for (int column = 0; column < list->columnCount(); ++column)
                        cells << list->item(row, column)->text();
                    *listed << cells.join(u" | "_s);
                }
            }
            auto* searchBox = dialog->findChild<QLineEdit*>(u"tableSearchLineEdit"_s);
            QTest::keyClicks(searchBox, search);
            QTest::keyClick(searchBox, Qt::Key_Return, modifiers);
            acted = true;
        });
        openAction()->trigger();
        QVERIFY(acted);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, false);
        sql(u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, date TIMESTAMP NOT NULL DEFAULT "
            "current_timestamp); INSERT INTO my_table(name) VALUES ('alice'), ('bob'); "
            "CREATE SCHEMA shop; CREATE TABLE shop.customers(id BIGSERIAL PRIMARY KEY, name text NOT NULL, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO shop.customers(name) SELECT 'customer ' || g FROM generate_series(1, 1200) g; "
            "ANALYZE shop.customers; "
            "CREATE TABLE audit_log(name varchar, date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO audit_log(name) VALUES ('x'); "
            "CREATE VIEW recent_names AS SELECT id, name, date FROM my_table"_s);
    }

    void cleanup() { m_window.reset(); }

    void listsTablesAndViewsWithEstimatesAndKeys()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QStringList listed;
        pickBySearch(u"customers"_s, &listed);
        const QString all = listed.join(u'\n');
        QVERIFY2(listed.size() == 4, qPrintable(all));
        QVERIFY2(all.contains(u"shop.customers | table | about 1,200 | yes"_s), qPrintable(all));
        QVERIFY2(all.contains(u"audit_log | table"_s) && all.contains(u"none: opens read-only"_s), qPrintable(all));
        QVERIFY2(all.contains(u"recent_names | view | not known"_s), qPrintable(all));

        // Opened in the window: the rows psql counts, in key order, editable.
        QCOMPARE(m_window->model()->tableName().sql(), u"\"shop\".\"customers\""_s);
        QCOMPARE(m_window->model()->index(0, 1).data().toString(), u"customer 1"_s);
        QVERIFY(!m_window->isReadOnly());
        QVERIFY(m_window->model()->setData(m_window->model()->index(0, 1), u"customer one"_s));
        m_window->findChild<QAction*>(u"actionSave"_s)->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT name FROM shop.customers WHERE id = 1"_s), u"customer one"_s);
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"alice,bob"_s);
        // The connection is remembered with this table.
        QCOMPARE(RecentConnections().entries().constFirst().table(), u"shop.customers"_s);
    }

    void aTableWithoutAKeyOpensReadOnly()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        pickBySearch(u"audit"_s);
        QCOMPARE(m_window->model()->tableName().name(), u"audit_log"_s);
        QVERIFY(m_window->isReadOnly());
        QCOMPARE(m_window->model()->rowCount(), 1);
        QCOMPARE(sql(u"SELECT count(*) FROM audit_log"_s), u"1"_s);
    }

    // Unsaved edits are asked about before another table opens; Cancel keeps the table and them.
    void unsavedEditsAreAskedAboutFirst()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QVERIFY(m_window->model()->setData(m_window->model()->index(0, 1), u"not saved"_s));
        MessageBox::answerNext(QMessageBox::Cancel);
        pickBySearch(u"customers"_s);
        QCOMPARE(m_window->model()->tableName().name(), u"my_table"_s);
        QVERIFY(m_window->model()->hasPendingChanges());
        MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table WHERE name = 'not saved'"_s), u"0"_s);
    }

    // Ctrl+Enter opens the table in a window of its own: this one keeps its table and its unsaved
    // edit (nothing is asked), the other edits and saves its own table; closing it leaves this one.
    void aTableOpensInANewWindowBesideThisOne()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QVERIFY(m_window->model()->setData(m_window->model()->index(0, 1), u"kept"_s));
        MessageBox::clearTestState();
        pickBySearch(u"customers"_s, nullptr, Qt::ControlModifier);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(m_window->model()->tableName().name(), u"my_table"_s);
        QVERIFY(m_window->model()->hasPendingChanges());

        QPointer<MainWindow> other;
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            if (auto* window = qobject_cast<MainWindow*>(widget); window && window != m_window.get())
                other = window;
        }
        QVERIFY(other);
        QVERIFY(other->isVisible());
        QVERIFY(waitUntilWindowLoaded(other));
        QCOMPARE(other->model()->tableName().sql(), u"\"shop\".\"customers\""_s);
        QCOMPARE(other->resolution().settings.table(), u"shop.customers"_s); // what its Connect… starts from
        const int row = other->model()->rowForKey(RowKey(2));
        QVERIFY(row >= 0);
        QVERIFY(other->model()->setData(other->model()->index(row, 1), u"from the other window"_s));
        other->findChild<QAction*>(u"actionSave"_s)->trigger();
        QVERIFY(waitUntilWindowLoaded(other));
        QVERIFY2(!other->model()->hasPendingChanges(), qPrintable(other->model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT name FROM shop.customers WHERE id = 2"_s), u"from the other window"_s);
        other->findChild<QAction*>(u"actionCloseWindow"_s)->trigger(); // Ctrl+W: this window only
        QTRY_VERIFY(!other); // deleted on close
        QVERIFY(m_window->isVisible());
        QCOMPARE(m_window->model()->tableName().name(), u"my_table"_s);
        QVERIFY(m_window->model()->hasPendingChanges());
        MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"alice,bob"_s);
    }

    // File ▸ Quit (Ctrl+Q) in any window closes every window, each asking about its own unsaved
    // changes; a Cancel keeps that window and its changes.
    void quitClosesEveryWindowAskingEachOne()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        m_window->show();
        QVERIFY(m_window->model()->setData(m_window->model()->index(0, 1), u"unsaved"_s));
        pickBySearch(u"customers"_s, nullptr, Qt::ControlModifier);
        QPointer<MainWindow> other;
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            if (auto* window = qobject_cast<MainWindow*>(widget); window && window != m_window.get())
                other = window;
        }
        QVERIFY(other);
        QVERIFY(waitUntilWindowLoaded(other));

        MessageBox::clearTestState();
        MessageBox::answerNext(QMessageBox::Cancel);
        other->findChild<QAction*>(u"actionQuit"_s)->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), qsizetype(1)); // only the window with changes asks
        QVERIFY(m_window->isVisible());
        QVERIFY(m_window->model()->hasPendingChanges());

        // While a flow waits in a loop of its own (connecting, opening a table), the window manager's
        // close is refused: the window would be deleted under that loop.
        {
            const MainWindow::CloseGuard guard(m_window.get());
            QVERIFY(!m_window->close());
            QVERIFY(m_window->isVisible());
        }
        MessageBox::answerNext(QMessageBox::Discard);
        m_window->findChild<QAction*>(u"actionQuit"_s)->trigger();
        QTRY_VERIFY(!other);
        QVERIFY(!m_window->isVisible());
        QCOMPARE(sql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"alice,bob"_s);
    }
};

QTEST_MAIN(TestTablePicker)
#include "tst_tablepicker.moc"
