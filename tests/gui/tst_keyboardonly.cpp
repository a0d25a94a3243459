#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/FileDialog.h"
#include "gui/ImportPreviewDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

// Issue 16: the tutorial's whole workflow from the keyboard alone. Every step is a key pressed
// where the focus is, as a user without a mouse does it: no clicks, no slots called, no text set.
// Tests may read what the window shows (what a screen reader says), and check with psql what
// the database holds after each step.
class TestKeyboardOnly : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_keyboardonly"_s;
    const QString m_otherDatabase = u"tst_keyboardonly_start"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    // Polls waiting for a modal window; each is gone once it acted or the test ended.
    QList<QPointer<QTimer>> m_polls;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QString names() { return sql(u"SELECT string_agg(coalesce(name, 'NULL'), ',' ORDER BY id) FROM my_table"_s); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->tableView(); }

    // Where a keyboard sends its keys: the focus widget, else the active (modal) window. When a
    // dialog closes, a window manager gives the keyboard back to the window below it; the
    // offscreen platform has none, so this does what it would.
    static inline QPointer<QWidget> s_topWindow;
    static QWidget* keyTarget()
    {
        if (!QApplication::activeWindow() && !QApplication::activeModalWidget() && s_topWindow) {
            s_topWindow->activateWindow();
            (void)QTest::qWaitForWindowActive(s_topWindow);
        }
        if (QWidget* focus = QApplication::focusWidget())
            return focus;
        if (QWidget* modal = QApplication::activeModalWidget())
            return modal;
        return QApplication::activeWindow();
    }
    static void press(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QWidget* target = keyTarget();
        QVERIFY2(target, "no window has the keyboard");
        QTest::keyClick(target, key, modifiers);
    }
    static void type(const QString& text)
    {
        QWidget* target = keyTarget();
        QVERIFY2(target, "no window has the keyboard");
        QTest::keyClicks(target, text);
    }
    static QString focusName()
    {
        const QWidget* focus = QApplication::focusWidget();
        return focus ? focus->objectName() : QString();
    }

    // Tab until the named widget has the focus, as a user listening to each stop; false if a full
    // round of the tab chain never reaches it.
    static bool tabTo(const QString& objectName)
    {
        for (int i = 0; i < 60; ++i) {
            if (focusName() == objectName)
                return true;
            QTest::keyClick(keyTarget(), Qt::Key_Tab);
        }
        return false;
    }
    // The same for a button known by its text (a message box's buttons have no object names).
    static bool tabToButton(const QString& text)
    {
        for (int i = 0; i < 20; ++i) {
            const auto* button = qobject_cast<const QAbstractButton*>(QApplication::focusWidget());
            if (button && button->text().remove(u'&') == text)
                return true;
            QTest::keyClick(keyTarget(), Qt::Key_Tab);
        }
        return false;
    }

    // Acts on the next modal window that matches, once it is shown (the key that opens it blocks
    // in exec()). A modal nobody expected is left alone: the test then times out and fails.
    void whenModal(const std::function<bool(QWidget*)>& matches, const std::function<void(QWidget*)>& act)
    {
        auto* poll = new QTimer;
        m_polls << poll;
        connect(poll, &QTimer::timeout, poll, [poll, matches, act] {
            QWidget* modal = QApplication::activeModalWidget();
            // Keys go to it once it is the active window (the platform activates a shown dialog).
            if (!modal || !modal->isVisible() || !matches(modal) || QApplication::activeWindow() != modal
                || !QApplication::focusWidget())
                return;
            poll->stop();
            poll->deleteLater();
            act(modal);
        });
        poll->start(20);
    }
    void whenModalNamed(const QString& objectName, const std::function<void(QWidget*)>& act)
    {
        whenModal([objectName](QWidget* modal) { return modal->objectName() == objectName; }, act);
    }
    void whenMessageBox(const std::function<void(QMessageBox*)>& act)
    {
        whenModal([](QWidget* modal) { return qobject_cast<QMessageBox*>(modal) != nullptr; },
                  [act](QWidget* modal) { act(static_cast<QMessageBox*>(modal)); });
    }

    // Ctrl+F, then Tab: the search box sits above the grid, so this is how a user reaches it.
    void focusGridFromSearchBox()
    {
        press(Qt::Key_F, Qt::ControlModifier);
        QTRY_COMPARE(focusName(), u"searchLineEdit"_s);
        press(Qt::Key_Tab);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
    }

    // Arrow keys up to the row named name, in the name column; what a user does reading each row.
    void arrowToName(const QString& name)
    {
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
        press(Qt::Key_Home); // the row's first cell (the first row's, when no cell is current yet)
        for (int i = 0; i < model()->rowCount() && view()->currentIndex().row() > 0; ++i)
            press(Qt::Key_Up);
        for (int i = 0; i < model()->rowCount(); ++i) {
            if (view()->currentIndex().siblingAtColumn(1).data(Qt::EditRole).toString() == name)
                break;
            press(Qt::Key_Down);
        }
        QCOMPARE(view()->currentIndex().siblingAtColumn(1).data(Qt::EditRole).toString(), name);
        press(Qt::Key_Right);
        QCOMPARE(view()->currentIndex().column(), 1);
    }

    // F2, the old text selected away, the new typed, Enter.
    void editCurrentCell(const QString& text)
    {
        press(Qt::Key_F2);
        QTRY_COMPARE(focusName(), u"cellLineEdit"_s);
        press(Qt::Key_A, Qt::ControlModifier);
        type(text);
        press(Qt::Key_Return);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
    }

    void openWindow(const QString& database)
    {
        QString error;
        m_window = openMainWindow(m_server.settings(database), &error);
        QVERIFY2(m_window, qPrintable(error));
        s_topWindow = m_window.get();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY2(m_server.recreateDatabase(m_otherDatabase, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        FileDialog::clearTestState();
        sql(u"DROP TABLE IF EXISTS my_table; "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) VALUES ('alice'), ('bob'), ('carol'), ('dave'), ('eve')"_s);
    }

    void cleanup()
    {
        for (const QPointer<QTimer>& poll : std::as_const(m_polls))
            delete poll.data();
        m_polls.clear();
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    // File ▸ Connect (Ctrl+Shift+O): each field reached by Tab and typed, Enter connects.
    void connectThroughTheDialog()
    {
        openWindow(m_otherDatabase);
        QCOMPARE(model()->rowCount(), 0);
        const QList<std::pair<QString, QString>> fields = {
            { u"hostLineEdit"_s, m_server.host() }, { u"portLineEdit"_s, QString::number(m_server.port()) },
            { u"userLineEdit"_s, m_server.user() }, { u"passwordLineEdit"_s, m_server.password() },
            { u"databaseLineEdit"_s, m_database },
        };
        QStringList unreached;
        whenModalNamed(u"connectionDialog"_s, [&](QWidget*) {
            for (const auto& [field, value] : fields) {
                if (!tabTo(field)) {
                    unreached << field;
                    continue;
                }
                QTest::keyClick(keyTarget(), Qt::Key_A, Qt::ControlModifier);
                QTest::keyClicks(keyTarget(), value);
            }
            QTest::keyClick(keyTarget(), Qt::Key_Return);
        });
        press(Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY2(unreached.isEmpty(), qPrintable(unreached.join(u", "_s)));
        QTRY_VERIFY_WITH_TIMEOUT(model() && model()->rowCount() == 5 && !model()->isLoading(), 15000);
        QCOMPARE(m_window->session()->settings().database(), m_database);
        QVERIFY(rowWithName(model(), u"carol"_s) >= 0);
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s);
    }

    // Ctrl+N opens the new row's name for typing; Enter, Ctrl+S.
    void addARowAndSave()
    {
        openWindow(m_database);
        focusGridFromSearchBox();
        press(Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(focusName(), u"cellLineEdit"_s);
        type(u"frank"_s);
        press(Qt::Key_Return);
        QTRY_COMPARE(model()->pendingChangeCount(), 1);
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s); // staged, not written
        press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(names(), u"alice,bob,carol,dave,eve,frank"_s);
        QTRY_VERIFY(!model()->hasPendingChanges());
    }

    // Ctrl+F and typing filters; Tab to the grid, F2 edits the one row shown; Ctrl+S saves.
    void filterEditAndSave()
    {
        openWindow(m_database);
        press(Qt::Key_F, Qt::ControlModifier);
        QTRY_COMPARE(focusName(), u"searchLineEdit"_s);
        type(u"CAR"_s);
        QTRY_VERIFY_WITH_TIMEOUT(model()->rowCount() == 1 && !model()->isLoading(), 10000);
        QCOMPARE(model()->index(0, 1).data(Qt::EditRole).toString(), u"carol"_s);
        press(Qt::Key_Tab);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
        arrowToName(u"carol"_s);
        editCurrentCell(u"caroline"_s);
        QTRY_COMPARE(model()->pendingChangeCount(), 1);
        press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(names(), u"alice,bob,caroline,dave,eve"_s);

        // Back in the search box, Esc... no: the clear is Ctrl+A and Backspace, as in any field.
        press(Qt::Key_F, Qt::ControlModifier);
        QTRY_COMPARE(focusName(), u"searchLineEdit"_s);
        press(Qt::Key_A, Qt::ControlModifier);
        press(Qt::Key_Backspace);
        QTRY_VERIFY_WITH_TIMEOUT(model()->rowCount() == 5 && !model()->isLoading(), 10000);
    }

    // Delete acts on the rows the user picked (Shift+Down extends the pick) and on no other; the
    // question before deleting is answered with Tab and Space, its default being Cancel.
    void deleteExactlyThePickedRows()
    {
        openWindow(m_database);
        focusGridFromSearchBox();
        arrowToName(u"bob"_s);
        press(Qt::Key_Down, Qt::ShiftModifier);
        press(Qt::Key_Delete);
        QTRY_COMPARE(model()->pendingDeleteCount(), 2);

        // A stray Enter on the question keeps everything.
        whenMessageBox([](QMessageBox*) { QTest::keyClick(keyTarget(), Qt::Key_Return); });
        press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(MessageBox::shownTexts().size(), 1);
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s);
        QCOMPARE(model()->pendingDeleteCount(), 2);

        bool reached = false;
        whenMessageBox([&](QMessageBox*) {
            reached = tabToButton(u"Delete rows"_s);
            QTest::keyClick(keyTarget(), reached ? Qt::Key_Space : Qt::Key_Escape);
        });
        press(Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(reached, "Tab never reached the Delete rows button");
        QTRY_COMPARE(names(), u"alice,dave,eve"_s);
    }

    // The Discard shortcut asks first; Enter keeps the edits (Cancel is the default), the
    // Discard button reached by Tab throws them away. The database never changes.
    void discardFromTheKeyboard()
    {
        openWindow(m_database);
        QAction* discard = m_window->findChild<QAction*>(u"actionDiscard"_s);
        QVERIFY(discard);
        QVERIFY2(!discard->shortcut().isEmpty(), "Discard changes has no shortcut");
        focusGridFromSearchBox();
        arrowToName(u"dave"_s);
        editCurrentCell(u"david"_s);
        QTRY_COMPARE(model()->pendingChangeCount(), 1);

        whenMessageBox([](QMessageBox*) { QTest::keyClick(keyTarget(), Qt::Key_Return); });
        QTest::keySequence(keyTarget(), discard->shortcut());
        QCOMPARE(model()->pendingChangeCount(), 1);

        bool reached = false;
        whenMessageBox([&](QMessageBox*) {
            reached = tabToButton(u"Discard"_s);
            QTest::keyClick(keyTarget(), reached ? Qt::Key_Space : Qt::Key_Escape);
        });
        QTest::keySequence(keyTarget(), discard->shortcut());
        QVERIFY2(reached, "Tab never reached the Discard button");
        QTRY_VERIFY(!model()->hasPendingChanges());
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s);
    }

    // Another client changes the row being edited; Save shows both values and "Keep mine" is
    // reached with Tab and pressed with Space.
    void resolveAConflict()
    {
        openWindow(m_database);
        focusGridFromSearchBox();
        arrowToName(u"eve"_s);
        editCurrentCell(u"mine"_s);
        sql(u"UPDATE my_table SET name = 'theirs' WHERE name = 'eve'"_s); // another client, meanwhile
        QString question;
        bool reached = false;
        whenMessageBox([&](QMessageBox* box) {
            question = box->text();
            reached = tabToButton(u"Keep mine"_s);
            QTest::keyClick(keyTarget(), reached ? Qt::Key_Space : Qt::Key_Escape);
        });
        press(Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(reached, "Tab never reached the Keep mine button");
        QVERIFY2(question.contains(u"“theirs”"_s) && question.contains(u"“mine”"_s), qPrintable(question));
        QTRY_COMPARE(names(), u"alice,bob,carol,dave,mine"_s);
    }

    // Ctrl+E and Ctrl+I: the file dialog takes a typed path and Enter; the import preview's
    // Import is its default button.
    void exportAndImport()
    {
        openWindow(m_database);
        focusGridFromSearchBox();
        const QString csv = m_dir.filePath(u"exported.csv"_s);
        QFile::remove(csv);
        auto typePathAndEnter = [](const QString& path) {
            return [path](QWidget*) {
                QTest::keyClick(keyTarget(), Qt::Key_A, Qt::ControlModifier);
                QTest::keyClicks(keyTarget(), path);
                QTest::keyClick(keyTarget(), Qt::Key_Return);
            };
        };
        whenModal([](QWidget* modal) { return qobject_cast<QFileDialog*>(modal) != nullptr; }, typePathAndEnter(csv));
        press(Qt::Key_E, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(csv), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(QApplication::activeModalWidget(), nullptr, 10000);
        QFile exported(csv);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(exported.readAll());
        for (const QString& name : { u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"eve"_s })
            QVERIFY2(text.contains(name), qPrintable(text));

        const QString list = m_dir.filePath(u"more-names.txt"_s);
        QFile file(list);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("gina\nhank\n");
        file.close();
        whenModal([](QWidget* modal) { return qobject_cast<QFileDialog*>(modal) != nullptr; }, typePathAndEnter(list));
        whenModal(
            [](QWidget* modal) {
                auto* preview = qobject_cast<ImportPreviewDialog*>(modal);
                return preview && preview->isSettled();
            },
            [](QWidget*) { QTest::keyClick(keyTarget(), Qt::Key_Return); });
        press(Qt::Key_I, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(names(), u"alice,bob,carol,dave,eve,gina,hank"_s, 10000);
    }

    // Drop table's shortcut; a stray Enter in its confirmation drops nothing, typing the name and
    // Enter does. Create table's shortcut brings the table back, empty.
    void dropAndCreateTheTable()
    {
        openWindow(m_database);
        QAction* drop = m_window->findChild<QAction*>(u"actionDropTable"_s);
        QAction* create = m_window->findChild<QAction*>(u"actionCreateTable"_s);
        QVERIFY2(!drop->shortcut().isEmpty(), "Drop table has no shortcut");
        QVERIFY2(!create->shortcut().isEmpty(), "Create table has no shortcut");
        focusGridFromSearchBox();

        bool stillOpenAfterEnter = false;
        bool hintShown = false;
        whenModalNamed(u"dropTableDialog"_s, [&](QWidget* dialog) {
            QTest::keyClick(keyTarget(), Qt::Key_Return); // nothing typed yet
            QTest::keyClick(keyTarget(), Qt::Key_Return);
            stillOpenAfterEnter = dialog->isVisible();
            const auto* hint = dialog->findChild<QLabel*>(u"hintLabel"_s);
            hintShown = hint && hint->isVisible();
            QTest::keyClicks(keyTarget(), u"my_tabl"_s); // one letter short
            QTest::keyClick(keyTarget(), Qt::Key_Return);
            stillOpenAfterEnter = stillOpenAfterEnter && dialog->isVisible();
            QTest::keyClick(keyTarget(), Qt::Key_Escape);
        });
        QTest::keySequence(keyTarget(), drop->shortcut());
        QVERIFY(stillOpenAfterEnter);
        QVERIFY(hintShown);
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s);

        whenModalNamed(u"dropTableDialog"_s, [](QWidget*) {
            QTest::keyClicks(keyTarget(), u"my_table"_s);
            QTest::keyClick(keyTarget(), Qt::Key_Return);
        });
        QTest::keySequence(keyTarget(), drop->shortcut());
        QTRY_COMPARE_WITH_TIMEOUT(sql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s, 10000);
        QTRY_VERIFY(!model());

        QTest::keySequence(keyTarget(), create->shortcut());
        QTRY_COMPARE_WITH_TIMEOUT(sql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s, 10000);
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
        QTRY_VERIFY(model());
    }

    // Tab moves the focus out of the grid (arrows move between its cells); Shift+Tab comes back.
    // A grid walked cell by cell with Tab would hold the focus for every row of the table.
    void tabLeavesTheGrid()
    {
        openWindow(m_database);
        focusGridFromSearchBox();
        press(Qt::Key_Down);
        const QModelIndex current = view()->currentIndex();
        press(Qt::Key_Tab);
        QTRY_VERIFY(QApplication::focusWidget() != view());
        QVERIFY(!view()->isAncestorOf(QApplication::focusWidget()));
        QCOMPARE(view()->currentIndex(), current);
        press(Qt::Key_Backtab, Qt::ShiftModifier);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
        QCOMPARE(names(), u"alice,bob,carol,dave,eve"_s);
    }

    // No two actions of the window answer the same keys: an ambiguous shortcut fires neither.
    void noTwoActionsShareAKey()
    {
        openWindow(m_database);
        QHash<QKeySequence, QString> seen;
        QStringList clashes;
        for (const QAction* action : m_window->findChildren<QAction*>()) {
            for (const QKeySequence& keys : action->shortcuts()) {
                if (seen.contains(keys))
                    clashes << seen.value(keys) + u" and "_s + action->objectName() + u": "_s + keys.toString();
                seen.insert(keys, action->objectName());
            }
        }
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
    }

    void cleanupTestCase()
    {
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_keyboardonly WITH (FORCE)"_s);
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_keyboardonly_start WITH (FORCE)"_s);
    }
};

QTEST_MAIN(TestKeyboardOnly)
#include "tst_keyboardonly.moc"
