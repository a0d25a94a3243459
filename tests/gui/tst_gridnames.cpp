#include "InvisibleNames.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TimestampEdit.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// Names made of invisible characters in the window (issue 19): Qt 6.4's QPSQL decodes text with
// QString::fromUtf8(), which drops a leading U+FEFF, so the grid showed "\ufeffbob" as "bob" and
// then compared edits, deletes and keyset anchors against a name the row does not hold. Every
// name is inserted and checked as UTF-8 bytes through psql, never through Qt's decoding.
class TestGridNames : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_gridnames"_s;
    std::unique_ptr<MainWindow> m_window;
    const QString m_bomBob = QChar(0xFEFF) + u"bob"_s;

    // The stored rows' names, in id order: every invisible name, plain "bob" (the name a dropped
    // BOM turns "\ufeffbob" into) and two BOMs, of which a decoder that drops one leaves one.
    QStringList storedNames() const { return invisibleNames() << u"bob"_s << QString(2, QChar(0xFEFF)) + u"bob"_s; }

    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }
    QString sql(const QString& statement)
    {
        waitUntilLoaded();
        return m_server.checkedPsql(m_database, statement);
    }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    static void settle() { QCoreApplication::processEvents(); }

    QString nameAt(int row) { return model()->index(row, 1).data(Qt::EditRole).toString(); }
    int rowWithName(const QString& name)
    {
        waitUntilLoaded();
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (nameAt(row) == name)
                return row;
        }
        return -1;
    }
    QString idOfName(const QString& name)
    {
        return sql(
            u"SELECT id FROM my_table WHERE encode(convert_to(name, 'UTF8'), 'hex') = '%1'"_s.arg(utf8Hex(name)));
    }
    QStringList conflictTexts()
    {
        QStringList conflicts;
        const QStringList texts = MessageBox::shownTexts();
        for (const QString& text : texts) {
            if (text.contains(u"another client"_s, Qt::CaseInsensitive))
                conflicts << text;
        }
        return conflicts;
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
    }

    void init()
    {
        MessageBox::clearTestState();
        // The window remembers its sort per table; each test starts in key order.
        QSettings().clear();
        // Inserted as hex, so no shell, argument or decoder between here and the server can drop
        // a character; one minute apart, so a date edit is told from the dates before.
        QStringList values;
        const QStringList names = storedNames();
        for (int i = 0; i < names.size(); ++i)
            values << u"(convert_from(decode('%1', 'hex'), 'UTF8'), timestamp '2024-05-01 10:00:00' + interval '%2 "
                      "minutes')"_s.arg(utf8Hex(names.at(i)))
                          .arg(i);
        sql(u"DROP TABLE IF EXISTS my_table; DROP FUNCTION IF EXISTS pgdesk_notify_change(); "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name, date) VALUES "_s
            + values.join(u", "_s));
        QCOMPARE(sql(storedNamesAsHex()), utf8Hex(names));
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

    // Every name shows as stored, code point for code point, in the cell and its editor's value;
    // Ctrl+C copies the BOM row's name as stored.
    void gridShowsEveryNameExactly()
    {
        QCOMPARE(model()->rowCount(), storedNames().size());
        QStringList shown;
        QStringList displayed;
        for (int row = 0; row < model()->rowCount(); ++row) {
            shown << nameAt(row);
            displayed << model()->index(row, 1).data(Qt::DisplayRole).toString();
        }
        QCOMPARE(utf8Hex(shown), utf8Hex(storedNames()));
        QCOMPARE(utf8Hex(displayed), utf8Hex(storedNames()));

        const int row = rowWithName(m_bomBob);
        QVERIFY(row >= 0);
        view()->setFocus();
        view()->selectionModel()->setCurrentIndex(model()->index(row, 1), QItemSelectionModel::ClearAndSelect);
        QApplication::clipboard()->clear();
        QTest::keyClick(view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(utf8Hex(QApplication::clipboard()->text()), utf8Hex(m_bomBob));
    }

    // Editing the BOM row's date saves without a conflict: the row still holds what was read.
    void editingTheDateOfTheBomRowSaves()
    {
        const QString id = idOfName(m_bomBob);
        const int row = rowWithName(m_bomBob);
        QVERIFY(row >= 0);
        view()->setFocus();
        view()->setCurrentIndex(model()->index(row, 2));
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = view()->findChild<TimestampEdit*>();
        QVERIFY(editor);
        QVERIFY(editor->setText(u"2030-01-02 03:04:05.123456"_s));
        QTest::keyClick(editor->findChild<QDateTimeEdit*>(), Qt::Key_Return);
        settle();
        QCOMPARE(model()->pendingChangeCount(), 1);
        MessageBox::answerNext(QMessageBox::Cancel); // a conflict question, were one asked
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(conflictTexts().isEmpty(), qPrintable(conflictTexts().join(u" | "_s)));
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT date FROM my_table WHERE id = "_s + id), u"2030-01-02 03:04:05.123456"_s);
        QCOMPARE(sql(storedNamesAsHex()), utf8Hex(storedNames()));
    }

    // Renaming a row whose whole name is U+FEFF compares against that name, not against ''.
    void renamingTheBomOnlyRowSaves()
    {
        const QString bom(QChar(0xFEFF));
        const QString id = idOfName(bom);
        const int row = rowWithName(bom);
        QVERIFY(row >= 0);
        view()->setFocus();
        view()->setCurrentIndex(model()->index(row, 1));
        QTest::keyClick(view(), Qt::Key_F2);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor, "F2 opened no line editor");
        QCOMPARE(utf8Hex(editor->text()), utf8Hex(bom));
        editor->selectAll();
        QTest::keyClicks(editor, u"renamed"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        settle();
        QCOMPARE(model()->pendingChangeCount(), 1);
        MessageBox::answerNext(QMessageBox::Cancel); // a conflict question, were one asked
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(conflictTexts().isEmpty(), qPrintable(conflictTexts().join(u" | "_s)));
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = "_s + id), u"renamed"_s);
    }

    // Delete on the BOM row and Save delete that row, not "bob" nor the row with two BOMs.
    void deletingTheBomRowDeletesThatRow()
    {
        const int row = rowWithName(m_bomBob);
        QVERIFY(row >= 0);
        view()->setFocus();
        view()->selectRow(row);
        QTest::keyClick(view(), Qt::Key_Delete);
        QCOMPARE(model()->pendingDeleteCount(), 1);
        MessageBox::answerNext(QMessageBox::Save); // "Delete 1 row from my_table?"
        MessageBox::answerNext(QMessageBox::Cancel); // a conflict question, were one asked
        QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier);
        QVERIFY2(conflictTexts().isEmpty(), qPrintable(conflictTexts().join(u" | "_s)));
        QVERIFY(!model()->hasPendingChanges());
        QStringList remaining = storedNames();
        remaining.removeOne(m_bomBob);
        QCOMPARE(sql(storedNamesAsHex()), utf8Hex(remaining));
        QTRY_COMPARE(model()->rowCount(), remaining.size());
    }

    // Sorted by name and paged a few rows at a time, every row shows exactly once, in the
    // server's order: each window's last name is the next window's keyset anchor.
    void pagingSortedByNameKeepsEveryRowOnce_data()
    {
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::newRow("ascending") << Qt::AscendingOrder;
        QTest::newRow("descending") << Qt::DescendingOrder;
    }

    void pagingSortedByNameKeepsEveryRowOnce()
    {
        QFETCH(Qt::SortOrder, order);
        for (int windowSize : { 2, 3, 5 }) {
            model()->setWindowSize(windowSize);
            view()->horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
            waitUntilLoaded();
            view()->horizontalHeader()->setSortIndicator(1, order);
            waitUntilLoaded();
            QStringList ids;
            QStringList names;
            QStringList previousWindow;
            for (int pages = 0;; ++pages) {
                QVERIFY2(pages <= storedNames().size(), "paging does not reach the end");
                QStringList window;
                for (int row = 0; row < model()->rowCount(); ++row)
                    window << model()->index(row, 0).data(Qt::EditRole).toString();
                // A full last window learns that it is the last only when Next finds nothing
                // more; the rows then stay as they were.
                if (window == previousWindow && model()->atEnd())
                    break;
                ids += window;
                for (int row = 0; row < model()->rowCount(); ++row)
                    names << nameAt(row);
                if (model()->atEnd())
                    break;
                previousWindow = window;
                action("actionNextRows")->trigger();
                waitUntilLoaded();
            }
            const QString direction = order == Qt::AscendingOrder ? u"ASC"_s : u"DESC"_s;
            QCOMPARE(ids.join(u','),
                     sql(u"SELECT string_agg(id::text, ',' ORDER BY name %1, id %1) FROM my_table"_s.arg(direction)));
            QCOMPARE(utf8Hex(names),
                     sql(u"SELECT string_agg(encode(convert_to(name, 'UTF8'), 'hex'), ',' ORDER BY name %1, id %1) "
                         "FROM my_table"_s.arg(direction)));
        }
    }

    // The exact filter finds each name, and only that row.
    void exactFilterMatchesEachNameExactly()
    {
        action("actionExactMatch")->setChecked(true);
        const QStringList names = storedNames();
        for (const QString& name : names) {
            typeFilter(name);
            QCOMPARE(model()->rowCount(), 1);
            QCOMPARE(utf8Hex(nameAt(0)), utf8Hex(name));
            QCOMPARE(model()->index(0, 0).data(Qt::EditRole).toString(), idOfName(name));
        }
    }
};

QTEST_MAIN(TestGridNames)
#include "tst_gridnames.moc"
