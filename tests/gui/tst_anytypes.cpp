#include "AnyTableSuite.h"
#include "gui/RowDetailsDialog.h"
#include "table/ValueCheck.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>

using namespace Qt::StringLiterals;

// Issue 20, typed cells on a table of another shape than the tutorial's: every kind of column is
// edited inline and saved, bytea as the server's hex, booleans and enums picked from their values,
// text a type would refuse kept in its editor with the reason, json on several lines in Row
// details; a column without an order is not sorted, and columns fit their first rows. Each is
// checked with psql. The search box on such tables: tst_anytable.
class TestAnyTypes : public AnyTableSuite
{
    Q_OBJECT

public:
    TestAnyTypes()
        : AnyTableSuite(u"tst_anytypes"_s)
    {
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        setUpDatabase();
    }

    void init() { createTables(); }

    void cleanup() { closeWindow(); }

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

    // A uuid, a jsonb, a varchar(n) and an array the server would refuse keep the editor open on Enter or
    // Tab with the reason (nothing is staged, nothing typed is lost); fixed, they save as typed.
    void textTheTypeRefusesKeepsTheEditorOpen()
    {
        sql(u"ALTER TABLE contacts ADD COLUMN ref uuid, ADD COLUMN doc jsonb, ADD COLUMN code varchar(5), "
            "ADD COLUMN tags text[]"_s);
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
        refused(u"tags"_s, u"{a,\"b}"_s, Qt::Key_Return, u"A quoted element of the array is not closed"_s);
        refused(u"tags"_s, u"{a,,b}"_s, Qt::Key_Return, u"An element is missing before character 4"_s);
        taken(u"tags"_s, u"{\"a, b\",NULL,\"\"}"_s, Qt::Key_Return);
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
        QCOMPARE(model()->pendingChangeCount(), 4);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT concat_ws('|', ref, doc->'a'->>1, length((doc->'a'->>0)::numeric::text), code, "
                     "array_length(tags, 1), tags[1], tags[2] IS NULL, tags[3] = '') FROM contacts WHERE id = 2"_s),
                 u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|é|401|héllo|3|a, b|t|t"_s);
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
};

QTEST_MAIN(TestAnyTypes)
#include "tst_anytypes.moc"
