#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/AboutDialog.h"
#include "gui/ConnectionDialog.h"
#include "gui/DropTableDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/RowDetailsDialog.h"
#include "gui/ShortcutsDialog.h"
#include "gui/TransferProgressDialog.h"

#include <QAccessible>
#include <QAccessibleTableInterface>
#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWidgetAction>

using namespace Qt::StringLiterals;

// Issue 16, Accessibility: every focusable widget and every action of the main window and of each
// dialog has a name a screen reader can say, and the grid's cells say their state in words. Read
// in-process through QAccessible, the interfaces Qt's AT-SPI bridge serves (tests/accessibility
// reads them through the real bridge).
class TestAccessibleNames : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_accessiblenames"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    TableModel* model() { return m_window->model(); }

    // "role 'path'" of each focusable object below root that has no name; cells of tables are
    // included, so a cell that only an icon or colour describes fails too.
    static void collectNameless(QAccessibleInterface* iface, const QString& path, QStringList* nameless, int depth = 0)
    {
        if (!iface || depth > 40)
            return;
        const QAccessible::State state = iface->state();
        const QString name = iface->text(QAccessible::Name).trimmed();
        const QString here = path + u'/' + QString::number(int(iface->role()), 16);
        // Hidden widgets (the other page of a stack, a status-bar button not shown now) are out of
        // reach until they show, and some are named only when they do. A label is its text: an
        // empty one (a message not given yet, selectable by mouse, so "focusable") says nothing.
        const bool emptyLabel = iface->role() == QAccessible::StaticText && iface->text(QAccessible::Name).isEmpty();
        if (state.focusable && !state.invisible && !emptyLabel && name.isEmpty()) {
            const QObject* object = iface->object();
            *nameless << u"role 0x%1 %2 (%3)"_s.arg(int(iface->role()), 0, 16)
                             .arg(here,
                                  object ? object->objectName() + u' '
                                          + QString::fromLatin1(object->metaObject()->className())
                                         : u"no object"_s);
        }
        for (int i = 0; i < iface->childCount(); ++i)
            collectNameless(iface->child(i), here, nameless, depth + 1);
    }

    static QStringList namelessIn(QWidget* root)
    {
        QStringList nameless;
        collectNameless(QAccessible::queryAccessibleInterface(root), root->objectName(), &nameless);
        // Actions a widget carries reach assistive technology as buttons and menu items named
        // by their text; Qt's own separators are the only ones allowed no text.
        for (QAction* action : root->findChildren<QAction*>()) {
            // A widget put in a toolbar gets a QWidgetAction; the widget itself is what is read.
            if (qobject_cast<QWidgetAction*>(action))
                continue;
            // The menu bar's overflow menu is Qt's own; its "»" button is what is read.
            if (const auto* menu = qobject_cast<QMenu*>(action->parent()); menu && menu->menuAction() == action
                && qobject_cast<QMenuBar*>(menu->parent()) && menu->objectName().isEmpty() && menu->title().isEmpty())
                continue;
            if (!action->isSeparator() && action->text().remove(u'&').trimmed().isEmpty())
                nameless << u"action '%1' of %2"_s.arg(
                    action->objectName(), QString::fromLatin1(action->parent()->metaObject()->className()));
        }
        return nameless;
    }

    static void verifyAllNamed(QWidget* root)
    {
        root->show();
        QVERIFY(QTest::qWaitForWindowExposed(root));
        const QStringList nameless = namelessIn(root);
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(u'\n')));
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) VALUES ('alice'), ('bob'), (NULL)"_s);
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

    void mainWindowHasNoNamelessFocusableObject()
    {
        const QStringList nameless = namelessIn(m_window.get());
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(u'\n')));

        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QVERIFY(search);
        QCOMPARE(QAccessible::queryAccessibleInterface(search)->text(QAccessible::Name), u"Filter by name"_s);
        QCOMPARE(QAccessible::queryAccessibleInterface(m_window->tableView())->text(QAccessible::Name),
                 u"Table rows"_s);
        // The clear button is Qt's own, its action found by the name Qt gives it.
        const auto* clear = search->findChild<QAction*>(u"_q_qlineeditclearaction"_s);
        QVERIFY(clear);
        QCOMPARE(clear->text(), u"Clear filter"_s);
    }

    void tabGoesFromTheFilterBoxToTheGrid()
    {
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(search));
        QTest::keyClick(search, Qt::Key_Tab);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(m_window->tableView()));
    }

    void gridCellsSayTheirStateInWords()
    {
        QAccessibleInterface* grid = QAccessible::queryAccessibleInterface(m_window->tableView());
        QAccessibleTableInterface* table = grid->tableInterface();
        QVERIFY(table);
        const int nullRow = rowWithName(model(), QString());
        const int bobRow = rowWithName(model(), u"bob"_s);
        QVERIFY(nullRow >= 0 && bobRow >= 0);
        QCOMPARE(table->cellAt(bobRow, 1)->text(QAccessible::Name), u"bob"_s);
        QVERIFY(table->cellAt(bobRow, 1)->text(QAccessible::Description).isEmpty());
        QCOMPARE(table->cellAt(nullRow, 1)->text(QAccessible::Description), u"NULL value"_s);

        QVERIFY(model()->setData(model()->index(bobRow, 1), u"robert"_s));
        QCOMPARE(table->cellAt(bobRow, 1)->text(QAccessible::Name), u"robert"_s);
        QCOMPARE(table->cellAt(bobRow, 1)->text(QAccessible::Description),
                 u"edited, not saved; the database holds bob"_s);

        m_window->findChild<QAction*>(u"actionAddRow"_s)->trigger();
        const int newRow = model()->rowCount() - 1;
        QVERIFY(table->cellAt(newRow, 1)->text(QAccessible::Description).startsWith(u"new row, not saved"_s));
        QCOMPARE(table->cellAt(newRow, 0)->text(QAccessible::Description), u"new row, not saved; server default"_s);

        m_window->tableView()->setCurrentIndex(model()->index(0, 1));
        m_window->tableView()->selectRow(0);
        m_window->findChild<QAction*>(u"actionDeleteRows"_s)->trigger();
        QVERIFY(table->cellAt(0, 1)->text(QAccessible::Description).startsWith(u"marked for deletion"_s));
        // Nothing was saved: the database still holds what init() put there.
        QCOMPARE(sql(u"SELECT string_agg(coalesce(name, 'NULL'), ',' ORDER BY id) FROM my_table"_s),
                 u"alice,bob,NULL"_s);
    }

    // A cell's editor says which column it edits, and the part that takes the focus has a name of
    // its own: the name's line edit, the timestamp editor's date-time field. (That the delegate
    // announces the editor once shown is read through the real bridge: tests/accessibility.)
    void cellEditorsSayWhatTheyEdit_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("focusedName");
        QTest::newRow("name") << 1 << u"cellLineEdit"_s;
        QTest::newRow("date") << 2 << u"timestampDateTimeEdit"_s;
    }
    void cellEditorsSayWhatTheyEdit()
    {
        QFETCH(int, column);
        QFETCH(QString, focusedName);
        const QString columnName = model()->headerData(column, Qt::Horizontal).toString();
        QVERIFY(!columnName.isEmpty());
        QTableView* view = m_window->tableView();
        view->setCurrentIndex(model()->index(rowWithName(model(), u"bob"_s), column));
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F2);
        QTRY_VERIFY(QApplication::focusWidget() && QApplication::focusWidget()->objectName() == focusedName);
        QWidget* focused = QApplication::focusWidget();
        QVERIFY(!QAccessible::queryAccessibleInterface(focused)->text(QAccessible::Name).isEmpty());
        // The line edit is the editor; the timestamp editor holds its date-time field.
        QWidget* editor = column == 2 ? focused->parentWidget() : focused;
        QCOMPARE(QAccessible::queryAccessibleInterface(editor)->text(QAccessible::Name), columnName);
        QTest::keyClick(focused, Qt::Key_Escape);
        QVERIFY(!model()->hasPendingChanges());
    }

    void dialogsHaveNoNamelessFocusableObject()
    {
        {
            const QString envPath = m_server.writeEnvFile(m_dir.path(), m_database);
            auto lookup = ConnectionSettings::Lookup::fromSystem(envPath);
            ConnectionDialog dialog(ConnectionSettings::resolve(lookup), m_window.get());
            verifyAllNamed(&dialog);
        }
        {
            DropTableDialog dialog(u"my_table"_s, 3, 1, m_window.get());
            verifyAllNamed(&dialog);
        }
        {
            TransferProgressDialog dialog(u"Importing names.csv"_s, m_window.get());
            verifyAllNamed(&dialog);
        }
        {
            RowDetailsDialog dialog(*model(), 0, false, m_window.get());
            verifyAllNamed(&dialog);
        }
        {
            AboutDialog dialog(m_window.get());
            verifyAllNamed(&dialog);
        }
        {
            ShortcutsDialog dialog(m_window->findChildren<QAction*>(), m_window.get());
            verifyAllNamed(&dialog);
        }
    }
};

QTEST_MAIN(TestAccessibleNames)
#include "tst_accessiblenames.moc"
