#include "ModalDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MatchingSelection.h"
#include "gui/MessageBox.h"
#include "gui/RowDetailsDialog.h"
#include "gui/TablePickerDialog.h"
#include "gui/TransferProgressDialog.h"
#include "table/ValueCheck.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

// Issue 20, tables of other shapes: a table with an integer key and no text "name" opens
// editable, the search box filters on its first text column or on any column picked in View ▸
// Filter column (compared as its type when it is not text), everything that acts on "the rows
// that match" (Select all matching rows, Export) takes the column filtered, and typed cells are
// edited with checks; all checked with psql.
// Past 600 lines: every function shares this fixture (the tables init() makes, the window and its
// helpers). The filter functions and the editor functions are the parts to split into suites of
// their own, once that fixture moves into tests/support like WindowDriver.
class TestAnyTable : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_anytable"_s;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    static constexpr int bulkRows = 3000;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->findChild<QTableView*>(u"tableView"_s); }
    QLineEdit* searchBox() { return m_window->findChild<QLineEdit*>(u"searchLineEdit"_s); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QLatin1String(name)); }
    QMenu* columnMenu() { return m_window->findChild<QMenu*>(u"filterColumnMenu"_s); }
    QToolButton* columnButton() { return m_window->findChild<QToolButton*>(u"filterColumnButton"_s); }
    QString filterColumnName() { return model()->record().fieldName(model()->filterColumn()); }

    void openTable(const QString& table)
    {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, table);
        QString error;
        m_window = openMainWindow(settings, &error);
        QVERIFY2(m_window, qPrintable(error));
    }
    void typeFilter(const QString& text)
    {
        searchBox()->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }
    void pickColumn(const QString& column)
    {
        QAction* pick = m_window->findChild<QAction*>(u"filterColumn:"_s + column);
        QVERIFY2(pick, qPrintable(column));
        QVERIFY(pick->isEnabled());
        pick->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(filterColumnName(), column);
        QVERIFY(pick->isChecked());
    }
    // File > Open table, the table found by its name.
    void openFromPicker(const QString& table)
    {
        bool acted = false;
        whenModalShows(u"tablePickerDialog"_s, [&](QWidget* modal) {
            auto* dialog = static_cast<TablePickerDialog*>(modal);
            QTRY_VERIFY(dialog->isListRead());
            auto* search = dialog->findChild<QLineEdit*>(u"tableSearchLineEdit"_s);
            QTest::keyClicks(search, table);
            QTest::keyClick(search, Qt::Key_Return);
            acted = true;
        });
        action("actionOpenTable")->trigger();
        QVERIFY(acted);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(model()->tableName().name(), table);
    }
    // The keys the grid shows, in its order.
    QString shownKeys()
    {
        QStringList keys;
        for (int row = 0; row < model()->serverRowCount(); ++row)
            keys << model()->index(row, model()->keyColumn()).data(Qt::EditRole).toString();
        return keys.join(u',');
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, false);
    }

    void init()
    {
        sql(u"DROP TABLE IF EXISTS contacts, counters; "
            "CREATE TABLE contacts(id BIGSERIAL PRIMARY KEY, score integer, email text, note varchar(40), "
            "active boolean, joined timestamp NOT NULL DEFAULT '2026-01-01 10:00'); "
            "INSERT INTO contacts(score, email, note, active) VALUES "
            "(3, 'ann@example.com', 'likes tea', true), (5, 'bob@example.org', 'Tea and coffee', false), "
            "(NULL, 'carol@example.com', NULL, NULL), (7, 'dave@x.org', 'coffee', true); "
            "CREATE TABLE counters(id integer PRIMARY KEY, name integer, label text); "
            "DROP TABLE IF EXISTS nums, cases; CREATE TABLE nums(id bigserial PRIMARY KEY, n integer, flag boolean); "
            "INSERT INTO nums(n) VALUES (1), (2); "
            "CREATE TABLE cases(id serial PRIMARY KEY, \"Note\" integer, note text); "
            "INSERT INTO cases(\"Note\", note) VALUES (1, 'one'), (2, 'two'); "
            "INSERT INTO counters VALUES (1, 10, 'ten'), (2, 20, 'twenty')"_s);
    }

    void cleanup()
    {
        m_window.reset();
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    // No "name" column: editable all the same, filtered on its first text column.
    void opensEditableAndFiltersOnTheFirstTextColumn()
    {
        openTable(u"contacts"_s);
        QVERIFY(!m_window->isReadOnly());
        QVERIFY(action("actionAddRow")->isEnabled());
        QCOMPARE(model()->rowCount(), 4);
        QCOMPARE(filterColumnName(), u"email"_s);
        QVERIFY(searchBox()->isEnabled());
        QCOMPARE(searchBox()->placeholderText(), u"Filter by email (Ctrl+F)"_s);
        QCOMPARE(searchBox()->accessibleName(), u"Filter by email"_s);
        QStringList listed;
        for (QAction* entry : columnMenu()->actions())
            listed << entry->text();
        // Every column, in the table's order: text is searched, the others compared (typedFilters).
        QCOMPARE(listed, (QStringList{ u"id"_s, u"score"_s, u"email"_s, u"note"_s, u"active"_s, u"joined"_s }));
        QVERIFY(columnMenu()->isEnabled());
        // Beside the box, a button names the column filtered (the placeholder goes when typing).
        QTRY_VERIFY(columnButton()->isVisible()); // the toolbar lays it out on its next turn
        QCOMPARE(columnButton()->text(), u"in email"_s);
        QCOMPARE(columnButton()->menu(), columnMenu());

        typeFilter(u"EXAMPLE.com"_s);
        QCOMPARE(shownKeys(),
                 sql(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts "
                     "WHERE email ILIKE '%example.com%'"_s));
        QCOMPARE(shownKeys(), u"1,3"_s);
    }

    // Another column from the menu: the typed text now searches there, and the view and the box
    // say so; a column with no match shows the empty state naming the column.
    void anotherColumnFromTheMenu()
    {
        openTable(u"contacts"_s);
        typeFilter(u"tea"_s);
        QCOMPARE(shownKeys(), QString()); // no e-mail address contains "tea"
        pickColumn(u"note"_s);
        QCOMPARE(shownKeys(),
                 sql(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts "
                     "WHERE note ILIKE '%tea%'"_s));
        QCOMPARE(shownKeys(), u"1,2"_s);
        QCOMPARE(searchBox()->accessibleName(), u"Filter by note"_s);
        QCOMPARE(columnButton()->text(), u"in note"_s);

        action("actionExactMatch")->setChecked(true);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(shownKeys(), QString());
        typeFilter(u"COFFEE"_s); // Exact is the tutorial's "=": case counts
        QCOMPARE(shownKeys(), QString());
        typeFilter(u"coffee"_s);
        QCOMPARE(shownKeys(), u"4"_s);
        action("actionExactMatch")->setChecked(false);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(shownKeys(), u"2,4"_s);

        // The choice survives a reload of the same table.
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(filterColumnName(), u"note"_s);
        QCOMPARE(shownKeys(), u"2,4"_s);
    }

    // Cells of any column are edited inline and saved; psql reads exactly what was typed.
    void editsEveryKindOfColumnAndSaves()
    {
        openTable(u"contacts"_s);
        const int row = 0; // id 1
        QCOMPARE(model()->index(row, 0).data(Qt::EditRole).toLongLong(), 1);
        const int score = model()->record().indexOf(u"score"_s);
        const int note = model()->record().indexOf(u"note"_s);
        const int active = model()->record().indexOf(u"active"_s);
        QVERIFY(model()->flags(model()->index(row, note)) & Qt::ItemIsEditable);
        QVERIFY(model()->setData(model()->index(row, note), u"prefers water"_s));
        QVERIFY(model()->setData(model()->index(row, score), 42));
        QVERIFY(model()->setData(model()->index(row, active), false));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT concat_ws('|', score, email, note, active, joined) FROM contacts WHERE id = 1"_s),
                 u"42|ann@example.com|prefers water|f|2026-01-01 10:00:00"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM contacts"_s), u"4"_s);
    }

    // Export writes every column of the rows the filter shows, on the column filtered.
    void exportTakesEveryColumnOfTheFilteredRows()
    {
        openTable(u"contacts"_s);
        pickColumn(u"note"_s);
        typeFilter(u"coffee"_s);
        const QString path = m_dir.filePath(u"contacts.csv"_s);
        FileDialog::answerNext(path);
        // A success closes the progress dialog by itself; a failure waits for Close, given here.
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [] {
            auto* dialog = qobject_cast<TransferProgressDialog*>(QApplication::activeModalWidget());
            if (dialog && dialog->isFinished())
                dialog->accept();
        });
        poll.start();
        action("actionExport")->trigger();
        poll.stop();
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QString written = QString::fromUtf8(file.readAll());
        QCOMPARE(written,
                 u"id,score,email,note,active,joined\n"
                 "2,5,bob@example.org,Tea and coffee,f,2026-01-01 10:00:00\n"
                 "4,7,dave@x.org,coffee,t,2026-01-01 10:00:00\n"_s);
        // The same rows psql finds.
        QCOMPARE(sql(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts WHERE note ILIKE '%coffee%'"_s),
                 u"2,4"_s);
    }

    // Select all matching rows on another column deletes exactly its matches, loaded or not.
    void selectAllMatchingOnAnotherColumnDeletesExactlyThose()
    {
        sql(u"INSERT INTO contacts(email, note) SELECT 'bulk' || g || '@example.net', 'batch ' || (g % 3) "
            "FROM generate_series(1, %1) g"_s.arg(bulkRows));
        const QString expectedLeft
            = sql(u"SELECT count(*) FROM contacts WHERE note IS NULL OR note NOT ILIKE '%batch 1%'"_s);
        openTable(u"contacts"_s);
        QVERIFY2(model()->rowCount() < bulkRows, "the window holds every row: nothing to select beyond it");
        pickColumn(u"note"_s);
        typeFilter(u"batch 1"_s);
        auto* matching = m_window->findChild<MatchingSelection*>();
        QVERIFY(matching);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(view(), Qt::Key_A, Qt::ControlModifier);
        QVERIFY(matching->isActive());
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        const QStringList asked = MessageBox::shownTexts();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.constFirst().contains(QLocale().toString(bulkRows / 3)), qPrintable(asked.constFirst()));
        QCOMPARE(sql(u"SELECT count(*) FROM contacts WHERE note ILIKE '%batch 1%'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM contacts"_s), expectedLeft);
        // The e-mail addresses of the other batches, which a filter on email would have matched
        // had it been applied there, are all still there.
        QCOMPARE(sql(u"SELECT count(*) FROM contacts WHERE email LIKE 'bulk%'"_s), QString::number(2 * bulkRows / 3));
    }

    // A trigram index serves the column it is on: the offer follows the column filtered, and
    // the index it creates is on that column.
    void theSearchIndexIsPerColumn()
    {
        sql(u"CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX contacts_email_trgm ON contacts "
            "USING gin (email gin_trgm_ops)"_s);
        openTable(u"contacts"_s);
        QCOMPARE(filterColumnName(), u"email"_s);
        QVERIFY(model()->hasTrigramIndex());
        QVERIFY(!action("actionCreateTrigramIndex")->isEnabled());
        pickColumn(u"note"_s);
        QVERIFY(!model()->hasTrigramIndex());
        QTRY_VERIFY(action("actionCreateTrigramIndex")->isEnabled());
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionCreateTrigramIndex")->trigger();
        QVERIFY2(MessageBox::shownTexts().value(0).contains(u"note"_s), qPrintable(MessageBox::shownTexts().value(0)));
        QTRY_VERIFY_WITH_TIMEOUT(model()->hasTrigramIndex(), 15000);
        QCOMPARE(sql(u"SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_index i "
                     "JOIN pg_opclass c ON c.oid = i.indclass[0] "
                     "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                     "WHERE i.indrelid = 'contacts'::regclass AND c.opcname = 'gin_trgm_ops' AND i.indisvalid"_s),
                 u"email,note"_s);
    }

    // A bytea is shown, edited and copied as the server's hex (\x…), a long one in the grid as its
    // start and size; opening and closing its editor changes nothing, and hex typed is saved as
    // exactly those bytes (checked with psql as hex).
    void byteaIsHex()
    {
        sql(u"ALTER TABLE contacts ADD COLUMN blob bytea; "
            "UPDATE contacts SET blob = '\\x00ff41c3'::bytea WHERE id = 1; "
            "UPDATE contacts SET blob = decode(repeat('ab', 100), 'hex') WHERE id = 2"_s);
        openTable(u"contacts"_s);
        const int blob = model()->record().indexOf(u"blob"_s);
        const QModelIndex shortOne = model()->index(0, blob);
        QCOMPARE(shortOne.data().toString(), u"\\x00ff41c3"_s);
        QCOMPARE(model()->index(1, blob).data().toString(),
                 u"\\x"_s + QString(64, u'a').replace(u"aa"_s, u"ab"_s) + u"… (100 bytes)"_s);
        view()->setCurrentIndex(shortOne);
        view()->edit(shortOne);
        auto* editor = view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
        QVERIFY(editor);
        QCOMPARE(editor->text(), u"\\x00ff41c3"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY(model()->setData(model()->index(2, blob), u"\\xdeadbeef00"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(coalesce(encode(blob, 'hex'), 'null'), ',' ORDER BY id) FROM contacts"_s),
                 u"00ff41c3,"_s + QString(200, u'a').replace(u"aa"_s, u"ab"_s) + u",deadbeef00,null"_s);
        QCOMPARE(model()->index(2, blob).data().toString(), u"\\xdeadbeef00"_s);
    }

    // A column that is not text is compared as its own type: "> 4" on an integer, "null", a date
    // on a timestamp, "= true" on a boolean; each shows the rows psql's WHERE finds. Text without
    // an operator is searched in the values as shown; a value the type cannot read says why.
    void typedFilters()
    {
        openTable(u"contacts"_s);
        const auto expect = [&](const QString& column, const QString& typed, const QString& where) {
            if (filterColumnName() != column)
                pickColumn(column);
            QVERIFY(model()->isFilterTyped());
            typeFilter(typed);
            QCOMPARE(shownKeys(),
                     sql(u"SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM contacts WHERE "_s + where));
        };
        expect(u"score"_s, u"> 4"_s, u"score > 4"_s);
        expect(u"score"_s, u"<=5"_s, u"score <= 5"_s);
        expect(u"score"_s, u"!= 5"_s, u"score <> 5"_s);
        expect(u"score"_s, u"null"_s, u"score IS NULL"_s);
        expect(u"score"_s, u"is not null"_s, u"score IS NOT NULL"_s);
        expect(u"score"_s, u"7"_s, u"score::text ILIKE '%7%'"_s);
        QCOMPARE(shownKeys(), u"4"_s);
        expect(u"joined"_s, u"< 2026-01-01 10:00:01"_s, u"true"_s);
        expect(u"joined"_s, u"> 2026-01-01 10:00"_s, u"false"_s);
        expect(u"active"_s, u"= true"_s, u"active"_s);
        QCOMPARE(searchBox()->placeholderText(), u"Filter by active: 5, > 5, null (Ctrl+F)"_s);
        // Rows the filter found, for a typed comparison, are what Select all matching acts on.
        QCOMPARE(shownKeys(), u"1,4"_s);
        // The value is read as the column's type without its modifier, as psql reads it: a
        // numeric(10,2) holding 5.56 is not "<= 5.555" (a cast to numeric(10,2) would round 5.555 up).
        sql(u"ALTER TABLE contacts ADD COLUMN price numeric(10,2); UPDATE contacts SET price = 5.56 WHERE id = 1; "
            "UPDATE contacts SET price = 5.55 WHERE id = 2"_s);
        typeFilter(QString());
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        openTable(u"contacts"_s);
        expect(u"price"_s, u"<= 5.555"_s, u"price <= 5.555"_s);
        QCOMPARE(shownKeys(), u"2"_s);
        expect(u"price"_s, u"= 5.555"_s, u"false"_s);
        // A lone operator is text still being typed: searched as text, no error.
        typeFilter(u">"_s);
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY(!m_window->findChild<QStatusBar*>()->currentMessage().contains(u"failed"_s));
        // "today" would be read anew by each statement (shown, counted, deleted): refused.
        pickColumn(u"joined"_s);
        typeFilter(u"< today"_s);
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY2(m_window->findChild<QStatusBar*>()->currentMessage().contains(u"type the date itself"_s),
                 qPrintable(m_window->findChild<QStatusBar*>()->currentMessage()));
        // A value the column's type cannot read: the server's reason, and no rows.
        typeFilter(QString());
        pickColumn(u"score"_s);
        searchBox()->setText(u"> many"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QStatusBar*>()->currentMessage().contains(u"integer"_s), 5000);
        QVERIFY2(m_window->findChild<QStatusBar*>()->currentMessage().contains(u"many"_s),
                 qPrintable(m_window->findChild<QStatusBar*>()->currentMessage()));
        // The text column beside it still searches its text literally: "> 4" is text there.
        pickColumn(u"email"_s);
        QVERIFY(!model()->isFilterTyped());
        typeFilter(u"> 4"_s);
        QCOMPARE(model()->rowCount(), 0);
    }

    // A boolean or an enum cell is edited by picking one of its values (NULL too where the column
    // takes it), never by typing; what is picked is what the server holds.
    void booleansAndEnumsArePickedFromTheirValues()
    {
        sql(u"DROP TYPE IF EXISTS level CASCADE; CREATE TYPE level AS ENUM ('low', 'mid', 'high'); "
            "ALTER TABLE contacts ADD COLUMN lvl level NOT NULL DEFAULT 'mid'"_s);
        openTable(u"contacts"_s);
        const int active = model()->record().indexOf(u"active"_s);
        const int level = model()->record().indexOf(u"lvl"_s);
        const auto pick = [&](int row, int column, const QStringList& expectedItems, const QString& expectedCurrent,
                              const QString& choice) {
            const QModelIndex index = model()->index(row, column);
            view()->setCurrentIndex(index);
            view()->edit(index);
            auto* combo = view()->findChild<QComboBox*>(u"cellChoiceEdit"_s);
            QVERIFY(combo);
            QStringList items;
            for (int i = 0; i < combo->count(); ++i)
                items << combo->itemText(i);
            QCOMPARE(items, expectedItems);
            QCOMPARE(combo->currentText(), expectedCurrent);
            combo->setCurrentIndex(combo->findText(choice));
            QTest::keyClick(combo, Qt::Key_Return);
            QTRY_VERIFY(!view()->findChild<QComboBox*>(u"cellChoiceEdit"_s));
        };
        pick(0, active, { u"NULL"_s, u"true"_s, u"false"_s }, u"true"_s, u"false"_s);
        pick(0, level, { u"low"_s, u"mid"_s, u"high"_s }, u"mid"_s, u"high"_s);
        pick(2, active, { u"NULL"_s, u"true"_s, u"false"_s }, u"NULL"_s, u"true"_s);
        pick(3, active, { u"NULL"_s, u"true"_s, u"false"_s }, u"true"_s, u"NULL"_s);
        QCOMPARE(model()->pendingChangeCount(), 4);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(sql(u"SELECT string_agg(concat_ws(':', id, coalesce(active::text, 'null'), lvl), ',' ORDER BY id) "
                     "FROM contacts"_s),
                 u"1:false:high,2:false:mid,3:true:mid,4:null:mid"_s);
    }

    // The drop-down never picks a value the user did not: on a new row's server default nothing
    // is selected, and closing it leaves the default; an enum label spelled NULL is a label.
    void theDropDownLeavesADefaultAlone()
    {
        sql(u"DROP TYPE IF EXISTS word CASCADE; CREATE TYPE word AS ENUM ('NULL', 'yes'); "
            "ALTER TABLE contacts ADD COLUMN flag boolean NOT NULL DEFAULT false, ADD COLUMN w word; "
            "UPDATE contacts SET w = 'NULL' WHERE id = 1"_s);
        openTable(u"contacts"_s);
        const int flag = model()->record().indexOf(u"flag"_s);
        const int word = model()->record().indexOf(u"w"_s);
        const auto closeUnchanged = [&](const QModelIndex& index, int expectedIndex, const QString& expectedText) {
            view()->setCurrentIndex(index);
            view()->edit(index);
            auto* combo = view()->findChild<QComboBox*>(u"cellChoiceEdit"_s);
            QVERIFY(combo);
            QCOMPARE(combo->currentIndex(), expectedIndex);
            QCOMPARE(combo->currentText(), expectedText);
            QTest::keyClick(combo, Qt::Key_Return);
            QTRY_VERIFY(!view()->findChild<QComboBox*>(u"cellChoiceEdit"_s));
        };
        closeUnchanged(model()->index(0, word), 1, u"NULL"_s); // the label, after the NULL item
        QVERIFY(!model()->hasPendingChanges());
        action("actionAddRow")->trigger();
        const int added = model()->rowCount() - 1;
        closeUnchanged(model()->index(added, flag), -1, QString());
        QCOMPARE(model()->index(added, flag).data().toString(), u"default"_s);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT concat_ws(':', count(*), count(*) FILTER (WHERE flag), "
                     "count(*) FILTER (WHERE w = 'NULL')) FROM contacts"_s),
                 u"5:0:1"_s);
    }

    // A uuid, a jsonb and a varchar(n) the server would refuse keep the editor open on Enter or
    // Tab with the reason (nothing is staged, nothing typed is lost); fixed, they save as typed.
    void textTheTypeRefusesKeepsTheEditorOpen()
    {
        sql(u"ALTER TABLE contacts ADD COLUMN ref uuid, ADD COLUMN doc jsonb, ADD COLUMN code varchar(5)"_s);
        openTable(u"contacts"_s);
        auto* status = m_window->findChild<QStatusBar*>();
        QVERIFY(status);
        const auto type = [&](const QString& column, const QString& text, Qt::Key key) -> QLineEdit* {
            const QModelIndex index = model()->index(1, model()->record().indexOf(column));
            if (!view()->findChild<QLineEdit*>(u"cellLineEdit"_s)) {
                view()->setCurrentIndex(index);
                view()->edit(index);
            }
            auto* editor = view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
            if (!editor)
                return nullptr;
            editor->selectAll();
            editor->insert(text); // keyClicks() takes Latin-1 only
            QTest::keyClick(editor, key);
            return view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
        };
        const auto refused = [&](const QString& column, const QString& text, Qt::Key key, const QString& reason) {
            const int stagedBefore = model()->pendingChangeCount();
            QLineEdit* editor = type(column, text, key);
            QVERIFY2(editor, qPrintable(column + u": the editor closed on "_s + text));
            QCOMPARE(editor->text(), text);
            QVERIFY2(status->currentMessage().startsWith(reason), qPrintable(status->currentMessage()));
            QCOMPARE(editor->accessibleDescription(),
                     ValueCheck(model()->columnTypeSql(model()->record().indexOf(column))).problem(text));
            QCOMPARE(model()->pendingChangeCount(), stagedBefore);
        };
        const auto taken = [&](const QString& column, const QString& text, Qt::Key key) {
            type(column, text, key);
            QTRY_VERIFY(!view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        };
        refused(u"ref"_s, u"a0eebc99-9c0b-4ef8"_s, Qt::Key_Return, u"Not a UUID."_s);
        refused(u"ref"_s, u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 "_s, Qt::Key_Tab, u"Not a UUID."_s);
        taken(u"ref"_s, u"{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}"_s, Qt::Key_Return);
        refused(u"doc"_s, u"{\"a\": [1,]}"_s, Qt::Key_Return,
                u"Not valid JSON at character 10: \"]\" is not expected here."_s);
        refused(u"doc"_s, u"[1,]"_s, Qt::Key_Down, u"Not valid JSON at character 4"_s);
        taken(u"doc"_s, u"{\"a\": [1e400, \"\\u00e9\"]}"_s, Qt::Key_Return);
        refused(u"code"_s, u"abcdef"_s, Qt::Key_Backtab, u"Too long for character varying(5)"_s);
        taken(u"code"_s, u"héllo   "_s, Qt::Key_Return);
        // A NULL uuid typed in and cleared again would stage '', which no uuid is.
        const QModelIndex nullRef = model()->index(2, model()->record().indexOf(u"ref"_s));
        view()->setCurrentIndex(nullRef);
        view()->edit(nullRef);
        auto* editor = view()->findChild<QLineEdit*>(u"cellLineEdit"_s);
        QVERIFY(editor);
        QTest::keyClick(editor, Qt::Key_X);
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClick(editor, Qt::Key_Return);
        QVERIFY(view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        QVERIFY2(status->currentMessage().startsWith(u"Not a UUID."_s), qPrintable(status->currentMessage()));
        QTest::keyClick(editor, Qt::Key_Escape);
        QTRY_VERIFY(!view()->findChild<QLineEdit*>(u"cellLineEdit"_s));
        QVERIFY(nullRef.data(Qt::EditRole).isNull());
        QCOMPARE(model()->pendingChangeCount(), 3);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT concat_ws('|', ref, doc->'a'->>1, length((doc->'a'->>0)::numeric::text), code) "
                     "FROM contacts WHERE id = 2"_s),
                 u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|é|401|héllo"_s);
    }

    // Row details edits every column the grid edits as text, a multi-line json document among
    // them: OK waits until the json parses, the reason shown under it; the edits are one undo
    // step and save together.
    void rowDetailsEditsJsonOnSeveralLines()
    {
        sql(u"ALTER TABLE contacts ADD COLUMN doc jsonb"_s);
        openTable(u"contacts"_s);
        view()->setCurrentIndex(model()->index(0, 1));
        action("actionRowDetails")->trigger();
        auto* dialog = m_window->findChild<RowDetailsDialog*>(u"rowDetailsDialog"_s);
        QVERIFY(dialog);
        const auto field
            = [&](const QString& column) { return dialog->findChild<QPlainTextEdit*>(u"rowDetailsValue_"_s + column); };
        QVERIFY(field(u"id"_s)->isReadOnly()); // the key
        QVERIFY(field(u"joined"_s)->isReadOnly()); // a timestamp keeps the grid's editor
        QVERIFY(field(u"active"_s)->isReadOnly()); // so does a boolean
        QVERIFY(!field(u"doc"_s)->isReadOnly());
        QCOMPARE(field(u"doc"_s)->placeholderText(), u"NULL"_s);
        QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        auto* problem = dialog->findChild<QLabel*>(u"rowDetailsProblem_doc"_s);
        QVERIFY(problem);
        field(u"doc"_s)->setPlainText(u"{\n  \"tags\": [\"tea\",\n  \"coffee\"\n"_s);
        QVERIFY(!ok->isEnabled());
        QVERIFY(problem->isVisibleTo(dialog));
        QCOMPARE(problem->text(), u"Not valid JSON at line 4, character 1: the text ends before the value does."_s);
        field(u"doc"_s)->setPlainText(u"{\n  \"tags\": [\"tea\",\n  \"coffee\"]\n}"_s);
        QVERIFY(ok->isEnabled());
        QVERIFY(!problem->isVisibleTo(dialog));
        field(u"note"_s)->setPlainText(u"likes tea\nand cake"_s);
        field(u"score"_s)->setPlainText(u"4"_s);
        ok->click();
        QCOMPARE(model()->pendingChangeCount(), 3);
        QCOMPARE(model()->undoStack()->count(), 1);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT concat_ws('|', score, note = E'likes tea\\nand cake', doc::text) FROM contacts "
                     "WHERE id = 1"_s),
                 u"4|t|{\"tags\": [\"tea\", \"coffee\"]}"_s);
    }

    // A very long column name is shortened on the filter column button, whole in its tooltip and
    // accessible name, so the toolbar keeps its width.
    void aLongColumnNameIsShortenedOnTheButton()
    {
        const QString longName = u"note_"_s + QString(50, u'x') + u"_end"_s;
        sql(u"ALTER TABLE contacts ADD COLUMN %1 text"_s.arg(longName));
        openTable(u"contacts"_s);
        pickColumn(longName);
        QToolButton* button = columnButton();
        QVERIFY(button->text().contains(u"…"_s));
        QVERIFY(button->text().startsWith(u"in note_"_s));
        QVERIFY(button->text().endsWith(u"_end"_s));
        QVERIFY(button->text().size() < 40);
        QVERIFY(button->toolTip().contains(longName));
        QVERIFY(button->accessibleName().contains(longName));
    }

    // Names holding "%3" or "%4" are shown as they are in the index question, not taken for
    // its placeholders.
    void percentSignsInNamesStayInTheIndexQuestion()
    {
        sql(u"DROP TABLE IF EXISTS \"rate%3\"; CREATE TABLE \"rate%3\"(id serial PRIMARY KEY, \"in%4\" text); "
            "INSERT INTO \"rate%3\"(\"in%4\") SELECT 'x' || g FROM generate_series(1, 1234) g; "
            "ANALYZE \"rate%3\""_s);
        openTable(u"rate%3"_s);
        QTRY_VERIFY(action("actionCreateTrigramIndex")->isEnabled());
        QTRY_VERIFY(model()->isTotalExact());
        MessageBox::answerNext(QMessageBox::Cancel);
        action("actionCreateTrigramIndex")->trigger();
        const QString question = MessageBox::shownTexts().value(0);
        QVERIFY2(question.contains(u"column in%4 of"_s) && question.contains(u"rate%3"_s)
                     && question.contains(u"all "_s + QLocale().toString(1234) + u" rows"_s)
                     && question.contains(u"searching in in%4 takes"_s),
                 qPrintable(question));
        QCOMPARE(sql(u"SELECT count(*) FROM pg_index WHERE indrelid = '\"rate%3\"'::regclass"_s), u"1"_s);
    }

    // char(n) and name refuse gin_trgm_ops, and citext's ILIKE does not use it: no offer there.
    void noIndexIsOfferedWhereItCannotServe()
    {
        sql(u"CREATE EXTENSION IF NOT EXISTS citext; ALTER TABLE contacts ADD COLUMN code char(8), "
            "ADD COLUMN handle name, ADD COLUMN nick citext"_s);
        openTable(u"contacts"_s);
        QTRY_VERIFY(action("actionCreateTrigramIndex")->isEnabled()); // email
        for (const QString& column : { u"code"_s, u"handle"_s, u"nick"_s }) {
            pickColumn(column);
            QVERIFY2(!action("actionCreateTrigramIndex")->isEnabled(), qPrintable(column));
        }
        pickColumn(u"note"_s);
        QTRY_VERIFY(action("actionCreateTrigramIndex")->isEnabled());
    }

    // A "name" that is not text is an ordinary column: the table opens editable, filtered on its
    // text column, and the tutorial's name features (paste as new rows, import) stay off.
    void aNameThatIsNotTextIsAnOrdinaryColumn()
    {
        openTable(u"counters"_s);
        QVERIFY(!m_window->isReadOnly());
        QCOMPARE(model()->nameColumn(), -1);
        QCOMPARE(filterColumnName(), u"label"_s); // the text column, not the integer name
        QVERIFY(!action("actionImport")->isEnabled());
        typeFilter(u"TW"_s);
        QCOMPARE(shownKeys(), u"2"_s);
        QVERIFY(model()->setData(model()->index(0, 1), 21));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT string_agg(id || ':' || name || ':' || label, ',' ORDER BY id) FROM counters"_s),
                 u"1:10:ten,2:21:twenty"_s);
    }

    // Text typed for a table with text columns does not follow into one without: the rows load,
    // the box is empty and compares on the first column after the key, and a new row's typing goes
    // to that column.
    void aTableWithoutTextColumnsLoadsItsRows()
    {
        openTable(u"contacts"_s);
        typeFilter(u"example"_s);
        openFromPicker(u"nums"_s);
        // The first column after the key, compared as its type; the text typed before stays behind.
        QCOMPARE(filterColumnName(), u"n"_s);
        QCOMPARE(searchBox()->text(), QString());
        QVERIFY(searchBox()->isEnabled());
        QCOMPARE(model()->rowCount(), 2);
        typeFilter(u">= 2"_s);
        QCOMPARE(shownKeys(), u"2"_s);
        typeFilter(QString());
        QCOMPARE(model()->rowCount(), 2);
        QVERIFY(!action("actionPasteAsNewRows")->isEnabled()); // it pastes names, and there are none
        action("actionAddRow")->trigger();
        QCOMPARE(view()->currentIndex().column(), model()->record().indexOf(u"n"_s));
        MessageBox::answerNext(QMessageBox::Discard);
    }

    // Two columns whose names differ only in case stay two: the text note is searched, not "Note".
    void columnNamesDifferingInCaseStayApart()
    {
        openTable(u"cases"_s);
        QCOMPARE(filterColumnName(), u"note"_s);
        QVERIFY(!model()->isFilterTyped());
        typeFilter(u"TW"_s);
        QCOMPARE(shownKeys(), u"2"_s);
        QVERIFY(model()->setData(model()->index(0, model()->record().indexOf(u"Note"_s)), 22));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT \"Note\" || ':' || note FROM cases WHERE id = 2"_s), u"22:two"_s);
    }

    // A count still running for the column filtered before does not land for the one after.
    void aCountForTheOldColumnDoesNotLand()
    {
        openTable(u"contacts"_s);
        typeFilter(u"example"_s);
        model()->countMatchingRows();
        pickColumn(u"note"_s);
        QTest::qWait(1500); // the old count's answer, if it were taken, has come by now
        const std::optional<qint64> count = model()->matchingRowCount();
        QVERIFY2(!count || *count == 0, qPrintable(QString::number(count.value_or(-1))));
        QCOMPARE(sql(u"SELECT count(*) FROM contacts WHERE note ILIKE '%example%'"_s), u"0"_s);
    }

    // Another client drops the column filtered; after the reconnect that rebinds the table, the
    // filter is cleared and said so, never moved to another column by itself.
    void aFilterWhoseColumnIsDroppedIsCleared()
    {
        openTable(u"contacts"_s);
        pickColumn(u"note"_s);
        typeFilter(u"tea"_s);
        QCOMPARE(shownKeys(), u"1,2"_s);
        sql(u"ALTER TABLE contacts DROP COLUMN note; SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"_s);
        QTRY_VERIFY_WITH_TIMEOUT(model()->nameFilter().isEmpty(), 30000);
        QVERIFY(waitUntilWindowLoaded(m_window.get(), 30000));
        QCOMPARE(searchBox()->text(), QString());
        QCOMPARE(filterColumnName(), u"email"_s);
        QTRY_COMPARE_WITH_TIMEOUT(shownKeys(), u"1,2,3,4"_s, 15000);
    }

    // A typed filter kept across a reconnect whose column became text meanwhile would now search
    // for "null" where it tested for NULL: it is cleared, and the status bar says why.
    void aFilterWhoseColumnChangedTypeIsCleared()
    {
        openTable(u"contacts"_s);
        pickColumn(u"score"_s);
        typeFilter(u"null"_s);
        QCOMPARE(shownKeys(), u"3"_s);
        QSignalSpy messages(m_window->findChild<QStatusBar*>(), &QStatusBar::messageChanged);
        sql(u"ALTER TABLE contacts ALTER COLUMN score TYPE text; SELECT count(pg_terminate_backend(pid)) FROM "
            "pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"_s);
        QTRY_VERIFY_WITH_TIMEOUT(model()->nameFilter().isEmpty(), 30000);
        QVERIFY(waitUntilWindowLoaded(m_window.get(), 30000));
        QCOMPARE(searchBox()->text(), QString());
        // Said once; the reconnect's own messages may follow it.
        const auto said = [&messages] {
            for (const QList<QVariant>& message : messages) {
                if (message.value(0).toString().contains(u"The column score changed its type"_s))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(said(), 15000);
        // Unfiltered: every row counts again (the grid keeps its place at row 3, as after any reconnect).
        QTRY_COMPARE_WITH_TIMEOUT(model()->totalRowCount(), 4, 15000);
    }

    // The tutorial's table still filters on name, and the menu lists its one text column.
    // A click on the header of a json column: the grid keeps its order and its arrow, and the
    // status bar says why; a click on a text column sorts by it.
    void aColumnWithoutAnOrderKeepsTheGridsOrder()
    {
        sql(u"DROP TABLE IF EXISTS docs; CREATE TABLE docs(id serial PRIMARY KEY, body json, title text); "
            "INSERT INTO docs(body, title) VALUES ('{}', 'b'), ('[1]', 'c'), ('2', 'a')"_s);
        openTable(u"docs"_s);
        QHeaderView* header = view()->horizontalHeader();
        const int body = model()->record().indexOf(u"body"_s);
        const int title = model()->record().indexOf(u"title"_s);
        const auto clickHeader = [&](int column) {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(header->sectionViewportPosition(column) + header->sectionSize(column) / 2,
                                     header->height() / 2));
        };
        clickHeader(title);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(model()->sortColumn(), title);
        QCOMPARE(shownKeys(), u"3,1,2"_s);
        const Qt::SortOrder order = model()->sortOrder();
        clickHeader(body);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(model()->sortColumn(), title);
        QCOMPARE(model()->sortOrder(), order);
        QCOMPARE(header->sortIndicatorSection(), title);
        QCOMPARE(header->sortIndicatorOrder(), order);
        QCOMPARE(shownKeys(), u"3,1,2"_s);
        const QString message = m_window->statusBar()->currentMessage();
        QVERIFY2(message.contains(u"body"_s) && message.contains(u"json"_s), qPrintable(message));
        QVERIFY(model()->headerData(body, Qt::Horizontal, Qt::ToolTipRole).toString().contains(u"json"_s));
    }

    // Without a saved layout, the columns fit the first rows: a uuid is shown whole, a long json
    // value stops at a limit so the columns after it stay in sight.
    void columnsFitTheirFirstRowsWithinALimit()
    {
        const QString uuid = u"6f1c1c9e-3b7a-4f5e-9a51-0d2c8b7e4a10"_s;
        sql(u"DROP TABLE IF EXISTS tokens; CREATE TABLE tokens(id serial PRIMARY KEY, token uuid, body jsonb, "
            "n integer); INSERT INTO tokens(token, body, n) VALUES ('%1', jsonb_build_object('k', repeat('x', 500)), "
            "1)"_s.arg(uuid));
        QSettings().remove(u"table"_s);
        openTable(u"tokens"_s);
        QTRY_COMPARE(model()->rowCount(), 1);
        const QFontMetrics metrics = view()->fontMetrics();
        const int token = model()->record().indexOf(u"token"_s);
        const int body = model()->record().indexOf(u"body"_s);
        QTRY_VERIFY(view()->columnWidth(token) > metrics.horizontalAdvance(uuid));
        QVERIFY(view()->columnWidth(body) > metrics.horizontalAdvance(u"{\"k\": \"xxxx"_s));
        // Limited to a few dozen characters (measured in digits, so a uuid always fits), not the 500.
        QVERIFY(view()->columnWidth(body) <= metrics.horizontalAdvance(QString(50, u'0')));
    }

    void theTutorialsTableStillFiltersOnName()
    {
        sql(u"DROP TABLE IF EXISTS my_table; CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); INSERT INTO my_table(name) VALUES ('alice'), ('bob')"_s);
        openTable(u"my_table"_s);
        QCOMPARE(filterColumnName(), u"name"_s);
        QCOMPARE(searchBox()->placeholderText(), u"Filter by name (Ctrl+F)"_s);
        // The tutorial's toolbar and Tab order stay as they were: with one text column there is
        // no choice beside the box; View > Filter column offers id and date.
        QTest::qWait(50); // the toolbar lays a shown button out on its next turn
        QVERIFY(!columnButton()->isVisible());
        QCOMPARE(columnMenu()->actions().size(), 3);
        typeFilter(u"LI"_s);
        QCOMPARE(model()->rowCount(), 1);
        QCOMPARE(model()->index(0, 1).data().toString(), u"alice"_s);
        // Filtering on another type shows the button, which says so; back on name it goes.
        pickColumn(u"id"_s);
        QTRY_VERIFY(columnButton()->isVisible());
        QCOMPARE(columnButton()->text(), u"in id"_s);
        pickColumn(u"name"_s);
        QTest::qWait(50);
        QVERIFY(!columnButton()->isVisible());
    }
};

QTEST_MAIN(TestAnyTable)
#include "tst_anytable.moc"
