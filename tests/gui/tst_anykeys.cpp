#include "AnyTableSuite.h"
#include "connection/SqlLiteral.h"
#include "live/LiveUpdates.h"
#include "paging/KeysetQuery.h"
#include "table/RowKey.h"

#include <QItemSelectionModel>
#include <QScrollBar>
#include <QSet>
#include <QStatusBar>

using namespace Qt::StringLiterals;

// Issue 20, tables keyed by something else than an integer: a text key (whose values may differ
// only by leading zeros or a leading U+FEFF), a uuid key the server makes, a numeric key, a
// composite key (tenant, id), times and dates, citext, an enum, char(n). Each row
// is named by its key's exact text, so an edit, a delete and a page boundary act on the row the
// user picked and no other (checked with psql); keys pgdesk cannot name exactly open read-only.
class TestAnyKeys : public AnyTableSuite
{
    Q_OBJECT

public:
    TestAnyKeys()
        : AnyTableSuite(u"tst_anykeys"_s)
    {
    }

private:
    void createKeyTables()
    {
        sql(u"DROP TABLE IF EXISTS codes, items, prices, pairs, moments, swapped, included, shifty, loose, blanks, "
            "readings, days, floats, padded, spans, emails, stages, tasks, sites; DROP TYPE IF EXISTS mood; "
            "CREATE TABLE codes(code text PRIMARY KEY, label text, n integer); "
            "INSERT INTO codes VALUES ('7', 'seven', 1), ('007', 'agent', 1), (chr(65279) || 'a', 'bom a', 2), "
            "('a', 'plain a', 2), ('it''s', 'quote', 3), ('a b', 'space', 3), ('10', 'ten', 3), ('9', 'nine', 1); "
            "CREATE TABLE items(id uuid PRIMARY KEY DEFAULT gen_random_uuid(), label text, n integer); "
            "INSERT INTO items(label, n) SELECT 'item ' || g, g % 4 FROM generate_series(1, 23) g; "
            "CREATE TABLE prices(id numeric PRIMARY KEY, label text); "
            "INSERT INTO prices VALUES (1, 'one'), (1.5, 'one and a half'), (1.50000000000000000001, 'just over'), "
            "(10, 'ten'); "
            // The key's columns in another order than the table's, a tenant with a comma, quotes
            // and brackets (the JSON a key is read as), and tenants differing by leading zeros.
            "CREATE TABLE pairs(id bigint, tenant text, label text, n integer, PRIMARY KEY (tenant, id)); "
            "INSERT INTO pairs VALUES (1, 'a', 'a one', 1), (2, 'a', 'a two', 2), (1, 'b', 'b one', 1), "
            "(1, 'a,b', 'comma', 2), (1, 'it''s', 'quote', 3), (1, '[\"x\"]', 'json', 3), (1, '7', 'seven', 1), "
            "(1, '007', 'agent', NULL), (10, 'a', 'a ten', 2), (9, 'a', 'a nine', NULL); "
            // Renamed so that the key's index still calls its column "a", now the name of another,
            // non-unique column; and a key with an INCLUDE column, which its index also lists.
            "CREATE TABLE swapped(a integer PRIMARY KEY, b integer, label text); "
            "INSERT INTO swapped VALUES (1, 5, 'one'), (2, 5, 'two'); "
            "ALTER TABLE swapped RENAME a TO x; ALTER TABLE swapped RENAME b TO a; "
            "CREATE TABLE included(id integer, note text, label text, PRIMARY KEY (id) INCLUDE (note)); "
            "INSERT INTO included VALUES (1, NULL, 'one'), (2, 'n', 'two'); "
            "CREATE TABLE shifty(a integer PRIMARY KEY, b text, c text); "
            "INSERT INTO shifty VALUES (1, 'old b', 'old c'); "
            "CREATE TABLE blanks(code text PRIMARY KEY, label text); "
            "INSERT INTO blanks VALUES ('', 'empty'), (' ', 'space'), ('x', 'ex'); "
            "CREATE TABLE loose(id integer PRIMARY KEY, label text); "
            "INSERT INTO loose VALUES (1, 'one'), (2, 'two'), (3, 'three'); "
            // Keys of times and dates, read as the server's text: a microsecond apart, the doubled
            // hour at the end of summer time in Berlin (00:30 and 01:30 UTC), a BC date, infinity.
            "CREATE TABLE moments(at time PRIMARY KEY, label text); "
            "INSERT INTO moments VALUES ('10:00:00.123456', 'x'), ('10:00:00.123457', 'y'); "
            "CREATE TABLE readings(device integer, at timestamptz, label text, PRIMARY KEY (device, at)); "
            "INSERT INTO readings VALUES (1, '2024-10-27 00:30:00+00', 'summer'), "
            "(1, '2024-10-27 01:30:00+00', 'winter'), (1, '2024-01-01 00:00:00+00', 'new year'), "
            "(1, '2024-01-01 00:00:00.000001+00', 'a microsecond on'), (2, '2024-10-27 00:30:00+00', 'other device'); "
            "CREATE TABLE days(day date PRIMARY KEY, label text); "
            "INSERT INTO days VALUES ('2024-02-29', 'leap'), ('0044-03-15 BC', 'ides'), ('infinity', 'later'); "
            "CREATE TABLE floats(x double precision PRIMARY KEY, label text); "
            "INSERT INTO floats VALUES (0.1, 'tenth'); "
            // char(n): read with its padding (U+FEFF counts as a character); U+FEFF 'ab' and 'ab' are
            // two rows.
            "CREATE TABLE padded(code char(4) PRIMARY KEY, label text); "
            "INSERT INTO padded VALUES ('ab', 'short'), (chr(65279) || 'ab', 'bom'), ('abcd', 'full'), "
            "('a b', 'space'); "
            "CREATE TABLE spans(s interval PRIMARY KEY, label text); "
            "INSERT INTO spans VALUES ('1 day', 'day'); "
            // citext: unique without case, so 'Carol' and U+FEFF 'carol' are two rows, 'carol' is
            // not a third. An enum whose labels sort by their declared order, not as text, one
            // differing from another only by a leading U+FEFF, one with a comma and one a quote.
            "CREATE EXTENSION IF NOT EXISTS citext; "
            "CREATE TABLE emails(email citext PRIMARY KEY, label text); "
            "INSERT INTO emails VALUES ('Bob@Example.org', 'bob'), ('alice@example.org', 'alice'), "
            "(chr(65279) || 'carol@example.org', 'bom carol'), ('Carol@example.org', 'carol'); "
            "CREATE TYPE mood AS ENUM ('zebra', 'apple', 'it''s', 'a,b', U&'\\FEFFapple'); "
            "CREATE TABLE stages(stage mood PRIMARY KEY, label text); "
            "INSERT INTO stages VALUES ('zebra', 'z'), ('apple', 'plain apple'), (U&'\\FEFFapple', 'bom apple'), "
            "('it''s', 'quote'), ('a,b', 'comma'); "
            "CREATE TABLE tasks(state mood, id integer, label text, PRIMARY KEY (state, id)); "
            "INSERT INTO tasks VALUES ('zebra', 2, 'z2'), ('zebra', 10, 'z10'), ('apple', 1, 'a1'), "
            "(U&'\\FEFFapple', 1, 'bom a1'), ('a,b', 1, 'comma 1'), ('it''s', 1, 'quote 1'); "
            "CREATE TABLE sites(tenant text, id integer, label text, PRIMARY KEY (tenant, id)); "
            "INSERT INTO sites VALUES ('a', 1, 'plain'), (chr(65279) || 'a', 1, 'bom'), ('a' || chr(65279), 1, 'bom "
            "after'), "
            "('b', 1, 'other')"_s);
    }

    // Every key of the table in the window's order, read by paging through it `rows` at a time.
    QStringList keysByPaging(int rows)
    {
        QStringList keys;
        model()->setWindowSize(rows);
        model()->loadFirst();
        [&] { QVERIFY(waitUntilWindowLoaded(m_window.get())); }();
        for (int guard = 0; guard < 100; ++guard) {
            // Each window after the first starts where the last one ended.
            for (int row = 0; row < model()->serverRowCount(); ++row)
                keys << model()->keyAt(row).value_or(RowKey()).text();
            if (model()->atEnd())
                break;
            const std::optional<RowKey> first = model()->keyAt(0);
            model()->loadNext();
            [&] { QVERIFY(waitUntilWindowLoaded(m_window.get())); }();
            if (model()->keyAt(0) == first)
                break; // nothing after the last window: it stays
        }
        return keys;
    }

    // Opens the table, which must be editable, and returns its keys read by paging `rows` at a
    // time; the window then holds every row again, for the edits that follow.
    QStringList openEditableAndPage(const QString& table, int rows)
    {
        openTable(table);
        [&] { QVERIFY2(!m_window->isReadOnly(), qPrintable(table)); }();
        const QStringList keys = keysByPaging(rows);
        model()->setWindowSize(300);
        model()->loadFirst();
        [&] { QVERIFY(waitUntilWindowLoaded(m_window.get())); }();
        return keys;
    }

    int rowOfKey(const QString& key) { return model()->rowForKey(RowKey::fromText(key)); }
    // The row whose label column holds this text, -1 when none does.
    int rowOfLabel(const QString& text)
    {
        const int label = model()->record().indexOf(u"label"_s);
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, label).data(Qt::EditRole).toString() == text)
                return row;
        }
        return -1;
    }
    // Sets one row's label (found by its label) and saves: the save must succeed.
    void relabelAndSave(const QString& from, const QString& to)
    {
        const int row = rowOfLabel(from);
        QVERIFY2(row >= 0, qPrintable(from));
        QVERIFY(model()->setData(model()->index(row, model()->record().indexOf(u"label"_s)), to));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
    }
    // A pairs row by its key, as the server writes (tenant, id) as JSON: what names it in the window.
    int rowOfPair(const QString& tenant, int id)
    {
        return rowOfKey(
            sql(u"SELECT json_build_array(%1::text, '%2'::text)::text"_s.arg(SqlLiteral::literal(tenant)).arg(id)));
    }
    static QString pairKeys(const QString& orderBy)
    {
        return u"SELECT json_build_array(tenant, id::text)::text FROM pairs ORDER BY "_s + orderBy;
    }

    // Marks one row for deletion (Delete), confirms and saves: the save must succeed.
    void deleteAndSave(int row, int column)
    {
        view()->setFocus();
        view()->selectionModel()->select(model()->index(row, column),
                                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVERIFY(action("actionDeleteRows")->isEnabled());
        action("actionDeleteRows")->trigger();
        QCOMPARE(model()->pendingDeleteCount(), 1);
        MessageBox::answerNext(QMessageBox::Save); // "Delete 1 row?"
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
    }

    QStringList psqlLines(const QString& statement) { return sql(statement).split(u'\n', Qt::SkipEmptyParts); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        setUpDatabase();
    }

    void init() { createKeyTables(); }

    void cleanup()
    {
        QSettings().remove(u"editing/deleteImmediately"_s);
        closeWindow();
        QSettings().setValue(u"view/liveUpdates"_s, false);
    }

    // '7' and '007', 'a' and U+FEFF 'a' are different rows: an edit of one never reaches the other,
    // and "delete immediately" deletes the one picked.
    void aTextKeyNamesExactlyTheRowPicked()
    {
        openTable(u"codes"_s);
        QVERIFY(!m_window->isReadOnly());
        QCOMPARE(model()->rowCount(), 8);
        const int label = model()->record().indexOf(u"label"_s);
        const int agent = rowOfKey(u"007"_s);
        const int bom = rowOfKey(u"\ufeffa"_s);
        QVERIFY(agent >= 0 && bom >= 0 && bom != rowOfKey(u"a"_s) && agent != rowOfKey(u"7"_s));
        QVERIFY(model()->setData(model()->index(agent, label), u"changed 007"_s));
        QVERIFY(model()->setData(model()->index(bom, label), u"changed bom"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(label, ',' ORDER BY code) FROM codes WHERE code IN ('7', '007', 'a', "
                     "chr(65279) || 'a')"_s),
                 u"changed 007,seven,plain a,changed bom"_s);

        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        view()->setFocus();
        view()->selectionModel()->clearSelection();
        view()->setCurrentIndex(model()->index(rowOfKey(u"7"_s), label));
        view()->selectRow(rowOfKey(u"7"_s));
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT string_agg(code, ',' ORDER BY code) FROM codes WHERE code LIKE '%7'"_s), u"007"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM codes"_s), u"7"_s);
        QCOMPARE(rowOfKey(u"7"_s), -1);
    }

    // A row whose key holds a quote, marked for deletion and saved: that row alone goes.
    void aStagedDeleteOfAQuotedKey()
    {
        openTable(u"codes"_s);
        const int quoted = rowOfKey(u"it's"_s);
        QVERIFY(quoted >= 0);
        deleteAndSave(quoted, 1);
        QCOMPARE(sql(u"SELECT count(*) FROM codes WHERE code = 'it''s'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM codes"_s), u"7"_s);
    }

    // Paged three rows at a time, by the key and by a column with ties, the windows hold every
    // row once, in psql's order.
    void pagingOnATextKeyMatchesPsql()
    {
        openTable(u"codes"_s);
        QCOMPARE(keysByPaging(3), psqlLines(u"SELECT code FROM codes ORDER BY code"_s));
        model()->sort(model()->record().indexOf(u"n"_s), Qt::DescendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(keysByPaging(3), psqlLines(u"SELECT code FROM codes ORDER BY n DESC NULLS FIRST, code DESC"_s));
    }

    // A uuid key: paged in both orders like psql, a new row takes the server's key and is shown,
    // and an edit reaches that row.
    void aUuidKeyPagesAddsAndEdits()
    {
        openTable(u"items"_s);
        QVERIFY(!m_window->isReadOnly());
        // The key column fits its uuids: they tell the rows apart, unlike a serial id.
        const QString first = model()->index(0, 0).data().toString();
        QCOMPARE(first.size(), 36);
        QTRY_VERIFY(view()->columnWidth(0) > view()->fontMetrics().horizontalAdvance(first));
        QCOMPARE(keysByPaging(5), psqlLines(u"SELECT id FROM items ORDER BY id"_s));
        const int n = model()->record().indexOf(u"n"_s);
        model()->sort(n, Qt::AscendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(keysByPaging(5), psqlLines(u"SELECT id FROM items ORDER BY n NULLS LAST, id"_s));

        model()->setWindowSize(300);
        model()->sort(0, Qt::AscendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        action("actionAddRow")->trigger();
        const int label = model()->record().indexOf(u"label"_s);
        QVERIFY(model()->setData(model()->index(model()->rowCount() - 1, label), u"added"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        const QString added = sql(u"SELECT id FROM items WHERE label = 'added'"_s);
        QCOMPARE(added.size(), 36);
        const int row = rowOfKey(added);
        QVERIFY(row >= 0);
        QVERIFY(model()->setData(model()->index(row, n), 99));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT n FROM items WHERE id = '%1'"_s.arg(added)), u"99"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM items WHERE n = 99"_s), u"1"_s);
    }

    // numeric keys read as the server prints them: 1.5 and 1.50000000000000000001 stay apart.
    void aNumericKeyKeepsEveryDigit()
    {
        openTable(u"prices"_s);
        QVERIFY(!m_window->isReadOnly());
        const int label = model()->record().indexOf(u"label"_s);
        const int justOver = rowOfKey(u"1.50000000000000000001"_s);
        QVERIFY(justOver >= 0 && rowOfKey(u"1.5"_s) >= 0);
        QVERIFY(model()->setData(model()->index(justOver, label), u"edited"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(label, ',' ORDER BY id) FROM prices"_s), u"one,one and a half,edited,ten"_s);
        const QStringList paged = keysByPaging(2);
        QVERIFY2(paged == psqlLines(u"SELECT id FROM prices ORDER BY id"_s), qPrintable(paged.join(u',')));
    }

    // A composite key (tenant, id): an edit, a delete now and a staged delete each reach the one
    // row picked, though other rows share its tenant or its id; messages name the row by both.
    void aCompositeKeyNamesExactlyTheRowPicked()
    {
        openTable(u"pairs"_s);
        QVERIFY(!m_window->isReadOnly());
        QCOMPARE(model()->keyColumns(), (QList<int>{ 1, 0 }));
        const int label = model()->record().indexOf(u"label"_s);
        const int b1 = rowOfPair(u"b"_s, 1);
        const int comma = rowOfPair(u"a,b"_s, 1);
        const int json = rowOfPair(u"[\"x\"]"_s, 1);
        QVERIFY(b1 >= 0 && comma >= 0 && json >= 0);
        QCOMPARE(model()->describeKey(*model()->keyAt(b1)), u"the row with (tenant, id) (\"b\", 1)"_s);
        // Neither key column is typed into a row that exists: the key is how the row is found.
        QVERIFY(!(model()->flags(model()->index(b1, 0)) & Qt::ItemIsEditable));
        QVERIFY(!(model()->flags(model()->index(b1, 1)) & Qt::ItemIsEditable));
        QVERIFY(model()->setData(model()->index(b1, label), u"changed b"_s));
        QVERIFY(model()->setData(model()->index(comma, label), u"changed comma"_s));
        QVERIFY(model()->setData(model()->index(json, label), u"changed json"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(tenant || ':' || id || '=' || label, ',' ORDER BY tenant, id) FROM pairs "
                     "WHERE label LIKE 'changed%' OR tenant IN ('a', 'b') AND id = 1"_s),
                 u"[\"x\"]:1=changed json,a:1=a one,a,b:1=changed comma,b:1=changed b"_s);

        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        view()->setFocus();
        view()->selectionModel()->clearSelection();
        view()->setCurrentIndex(model()->index(rowOfPair(u"a"_s, 1), label));
        view()->selectRow(rowOfPair(u"a"_s, 1));
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT count(*) FROM pairs WHERE tenant = 'a' AND id = 1"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM pairs"_s), u"9"_s);
        QCOMPARE(rowOfPair(u"a"_s, 1), -1);

        QSettings().setValue(u"editing/deleteImmediately"_s, false);
        const int quoted = rowOfPair(u"it's"_s, 1);
        QVERIFY(quoted >= 0);
        deleteAndSave(quoted, label);
        QCOMPARE(sql(u"SELECT count(*) FROM pairs WHERE tenant = 'it''s'"_s), u"0"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM pairs"_s), u"8"_s);
    }

    // Paged three rows at a time by the key (both its columns) and by a nullable column with
    // ties, both ways: every row once, in psql's order. By the key, the next window is an index
    // range scan on the key's row comparison, as it is for a single key.
    void pagingOnACompositeKeyMatchesPsql()
    {
        openTable(u"pairs"_s);
        QCOMPARE(keysByPaging(3), psqlLines(pairKeys(u"tenant, id"_s)));
        const KeysetQuery query(model()->keysetOrder());
        const QString next = SqlLiteral::bind(query.after({ QVariant(), *model()->keyAt(0) }, 3).sql,
                                              query.after({ QVariant(), *model()->keyAt(0) }, 3).values);
        const QString plan = sql(u"SET enable_seqscan = off; EXPLAIN "_s + next);
        QVERIFY2(plan.contains(u"Index Scan using pairs_pkey"_s) && !plan.contains(u"Sort"_s), qPrintable(plan));
        model()->sort(0, Qt::DescendingOrder); // id: shared by several tenants
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(keysByPaging(3), psqlLines(pairKeys(u"id DESC, tenant DESC, id DESC"_s)));
        const int n = model()->record().indexOf(u"n"_s);
        model()->sort(n, Qt::DescendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(keysByPaging(3), psqlLines(pairKeys(u"n DESC NULLS FIRST, tenant DESC, id DESC"_s)));
        model()->sort(n, Qt::AscendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(keysByPaging(3), psqlLines(pairKeys(u"n NULLS LAST, tenant, id"_s)));
    }

    // A new row's key columns have no default: they are typed, and the row is then named by them.
    void aNewRowOfACompositeKeyIsTypedAndSaved()
    {
        openTable(u"pairs"_s);
        action("actionAddRow")->trigger();
        const int row = model()->rowCount() - 1;
        QVERIFY(model()->flags(model()->index(row, 0)) & Qt::ItemIsEditable);
        QVERIFY(model()->setData(model()->index(row, 1), u"new tenant"_s));
        QVERIFY(model()->setData(model()->index(row, 0), 5));
        QVERIFY(model()->setData(model()->index(row, 2), u"added"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT tenant || ':' || id FROM pairs WHERE label = 'added'"_s), u"new tenant:5"_s);
        const int added = rowOfPair(u"new tenant"_s, 5);
        QVERIFY(added >= 0);
        QVERIFY(model()->setData(model()->index(added, 3), 42));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT string_agg(tenant || ':' || id, ',') FROM pairs WHERE n = 42"_s), u"new tenant:5"_s);
    }

    // The key's columns are the catalog's, by their current names and without INCLUDE columns:
    // QPSQL's primary index still names a renamed key column by its old name (here another,
    // non-unique column's) and lists INCLUDE columns as if they were the key's.
    void keyColumnsComeFromTheCatalog()
    {
        openTable(u"swapped"_s);
        QCOMPARE(model()->keyColumns(), QList<int>{ model()->record().indexOf(u"x"_s) });
        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        view()->setFocus();
        const int one = rowOfKey(u"1"_s);
        QVERIFY(one >= 0);
        view()->setCurrentIndex(model()->index(one, 2));
        view()->selectRow(one);
        MessageBox::answerNext(QMessageBox::Yes);
        action("actionDeleteRows")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(sql(u"SELECT string_agg(label, ',') FROM swapped"_s), u"two"_s);

        QSettings().setValue(u"editing/deleteImmediately"_s, false);
        openTable(u"included"_s);
        QCOMPARE(model()->keyColumns(), QList<int>{ 0 });
        QVERIFY(model()->flags(model()->index(0, 1)) & Qt::ItemIsEditable); // note is no key column
        deleteAndSave(rowOfKey(u"1"_s), 2);
        QCOMPARE(sql(u"SELECT string_agg(label, ',') FROM included"_s), u"two"_s);
    }

    // Staged edits name cells by column number and rows by key text. After another client drops a
    // column and adds it again, a rebind (as after a reconnect) finds "c" where "b" was: the edit
    // stays shown but is not saved into the other column; after Discard, editing works again.
    void editsMadeBeforeTheTableChangedAreNotSaved()
    {
        openTable(u"shifty"_s);
        const int c = model()->record().indexOf(u"c"_s);
        QCOMPARE(c, 2);
        QVERIFY(model()->setData(model()->index(rowOfKey(u"1"_s), c), u"new c"_s));
        sql(u"ALTER TABLE shifty DROP COLUMN b; ALTER TABLE shifty ADD COLUMN b text"_s);
        QVERIFY(model()->setTableName(model()->tableName()));
        QCOMPARE(model()->record().indexOf(u"b"_s), 2);
        QVERIFY(model()->hasPendingChanges());
        QVERIFY2(!model()->undoStack()->canUndo(), "undo would replay the edit by its old column number");
        QVERIFY(!model()->savePlan());
        QVERIFY2(model()->lastSaveError().contains(u"changed the columns or the primary key"_s),
                 qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT coalesce(b, 'NULL') || ' / ' || c FROM shifty"_s), u"NULL / old c"_s);
        model()->discardChanges();
        model()->loadFirst();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(model()->setData(model()->index(rowOfKey(u"1"_s), 1), u"new c"_s));
        QVERIFY2(model()->savePlan().has_value(), qPrintable(model()->lastSaveError()));
    }

    // An empty text is a key like any other (a new row has no key at all): its row is edited,
    // marked and deleted alone, never confused with a new row or the one keyed by a space.
    void anEmptyTextKeyIsARowLikeAnyOther()
    {
        openTable(u"blanks"_s);
        const int label = model()->record().indexOf(u"label"_s);
        const int empty = rowOfKey(u""_s);
        const int space = rowOfKey(u" "_s);
        QVERIFY(empty >= 0 && space >= 0 && empty != space);
        QCOMPARE(model()->index(empty, label).data().toString(), u"empty"_s);
        QVERIFY(model()->setData(model()->index(empty, label), u"changed"_s));
        action("actionAddRow")->trigger();
        const int added = model()->rowCount() - 1;
        QVERIFY(model()->isNewRow(added));
        QVERIFY(model()->setData(model()->index(added, 0), u"y"_s));
        QVERIFY(model()->setData(model()->index(added, label), u"new"_s));
        QCOMPARE(model()->index(empty, label).data().toString(), u"changed"_s);
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(format('[%s]=%s', code, label), ',' ORDER BY code) FROM blanks"_s),
                 u"[]=changed,[ ]=space,[x]=ex,[y]=new"_s);

        deleteAndSave(rowOfKey(u""_s), label);
        QCOMPARE(sql(u"SELECT string_agg(format('[%s]', code), ',' ORDER BY code) FROM blanks"_s), u"[ ],[x],[y]"_s);
    }

    // Another client drops the primary key and adds a row equal to the one edited (or deleted):
    // the key names two rows now. Save and delete-now stop rather than change both.
    void aKeyThatNoLongerNamesOneRowWritesNothing()
    {
        openTable(u"loose"_s);
        const int label = model()->record().indexOf(u"label"_s);
        QVERIFY(model()->setData(model()->index(rowOfKey(u"1"_s), label), u"changed"_s));
        sql(u"ALTER TABLE loose DROP CONSTRAINT loose_pkey; INSERT INTO loose VALUES (1, 'one'), (2, 'two')"_s);
        MessageBox::clearTestState();
        MessageBox::answerNext(QMessageBox::Ok); // "Save failed"
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(model()->hasPendingChanges());
        QVERIFY2(model()->lastSaveError().contains(u"matched 2 rows"_s), qPrintable(model()->lastSaveError()));
        QCOMPARE(sql(u"SELECT string_agg(label, ',' ORDER BY label) FROM loose WHERE id = 1"_s), u"one,one"_s);
        model()->discardChanges();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));

        QSettings().setValue(u"editing/deleteImmediately"_s, true);
        // Rows 2 and 3 picked; meanwhile row 3 went, so the two rows matched are both 2s: as many
        // as were picked, and still not the rows picked.
        view()->setFocus();
        const int two = rowOfKey(u"2"_s);
        const int three = rowOfKey(u"3"_s);
        QVERIFY(two >= 0 && three >= 0);
        view()->setCurrentIndex(model()->index(two, label));
        view()->selectionModel()->select(model()->index(two, label),
                                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view()->selectionModel()->select(model()->index(three, label),
                                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
        sql(u"DELETE FROM loose WHERE id = 3"_s);
        MessageBox::answerNext(QMessageBox::Yes);
        MessageBox::answerNext(QMessageBox::Ok); // "Delete failed"
        action("actionDeleteRows")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(MessageBox::shownTexts().join(u'\n').contains(u"no longer names one row"_s),
                 qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(sql(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM loose"_s), u"1,1,2,2"_s);
    }

    // Live updates by polling see another client's change to a row of a composite-keyed table.
    void pollingFollowsACompositeKeyedTable()
    {
        QSettings().setValue(u"view/liveUpdates"_s, true);
        openTable(u"pairs"_s);
        // The poll's first fingerprint is taken after the window is read: a change between the two
        // would be taken into it unseen (a race noted on issue 20), so the change comes after it.
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->hasBaseline(), 8000);
        const int label = model()->record().indexOf(u"label"_s);
        sql(u"UPDATE pairs SET label = 'from psql' WHERE tenant = 'b' AND id = 1"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->index(rowOfPair(u"b"_s, 1), label).data().toString(), u"from psql"_s, 8000);
        const int before = model()->rowCount();
        sql(u"INSERT INTO pairs VALUES (3, 'a', 'inserted', 1)"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), before + 1, 8000);
        QCOMPARE(model()->index(rowOfPair(u"a"_s, 3), label).data().toString(), u"inserted"_s);
    }

    // Keys of times are read as the server's text, not as QPSQL's QTime (milliseconds only): rows
    // a microsecond apart, and the two 02:30 of the night summer time ends (one hour apart in UTC),
    // are told apart by an edit, a staged delete and paging.
    void aTimeKeyNamesExactlyTheRowPicked()
    {
        openTable(u"moments"_s);
        QVERIFY(!m_window->isReadOnly());
        relabelAndSave(u"x"_s, u"edited"_s);
        QCOMPARE(sql(u"SELECT string_agg(at || '=' || label, ',' ORDER BY at) FROM moments"_s),
                 u"10:00:00.123456=edited,10:00:00.123457=y"_s);
        deleteAndSave(rowOfLabel(u"y"_s), 1);
        QCOMPARE(sql(u"SELECT string_agg(at || '=' || label, ',' ORDER BY at) FROM moments"_s),
                 u"10:00:00.123456=edited"_s);

        openTable(u"readings"_s);
        QVERIFY(!m_window->isReadOnly());
        // The key's timestamps are shown whole: they tell the rows apart.
        const int at = model()->record().indexOf(u"at"_s);
        const QString longest = model()->index(rowOfLabel(u"a microsecond on"_s), at).data().toString();
        QVERIFY2(longest.contains(u".000001"_s), qPrintable(longest));
        QTRY_VERIFY(view()->columnWidth(at) > view()->fontMetrics().horizontalAdvance(longest));
        const QStringList keys = keysByPaging(2);
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), 5);
        // Each key's text names its own row also where the session's DateStyle is not ISO (a
        // pooler may hand out such a connection): the Postgres style writes India's zone as "IST",
        // which reads back as Israel's.
        QCOMPARE(sql(u"SET TimeZone = 'Asia/Kolkata'; SET DateStyle = 'Postgres'; SELECT count(*) FROM (SELECT "_s
                     + model()->keysetOrder().key.readSql() + u"::json AS k, label FROM "_s + model()->tableName().sql()
                     + u") r WHERE (SELECT count(*) FROM readings o WHERE o.device = (r.k->>0)::integer "
                       "AND o.at = (r.k->>1)::timestamptz AND o.label = r.label) = 1"_s)
                     .section(u'\n', -1), // after the two SETs' tags
                 u"5"_s);
        model()->setWindowSize(300);
        model()->loadFirst();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        const QString byTime = u"SELECT string_agg(device || ' ' || (at AT TIME ZONE 'UTC') || '=' || label, ',' "
                               "ORDER BY device, at) FROM readings"_s;
        relabelAndSave(u"winter"_s, u"second 02:30"_s);
        relabelAndSave(u"a microsecond on"_s, u"edited"_s);
        QCOMPARE(sql(byTime),
                 u"1 2024-01-01 00:00:00=new year,1 2024-01-01 00:00:00.000001=edited,1 2024-10-27 00:30:00=summer,"
                 "1 2024-10-27 01:30:00=second 02:30,2 2024-10-27 00:30:00=other device"_s);
        deleteAndSave(rowOfLabel(u"summer"_s), 1);
        deleteAndSave(rowOfLabel(u"new year"_s), 1);
        QCOMPARE(sql(byTime),
                 u"1 2024-01-01 00:00:00.000001=edited,1 2024-10-27 01:30:00=second 02:30,"
                 "2 2024-10-27 00:30:00=other device"_s);

        openTable(u"days"_s);
        QVERIFY(!m_window->isReadOnly());
        QCOMPARE(keysByPaging(1).size(), 3);
        model()->setWindowSize(300);
        model()->loadFirst();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        relabelAndSave(u"ides"_s, u"edited"_s);
        QCOMPARE(sql(u"SELECT string_agg(day || '=' || label, ',' ORDER BY day) FROM days"_s),
                 u"0044-03-15 BC=edited,2024-02-29=leap,infinity=later"_s);
    }

    // A composite key's part starting with U+FEFF names its own row: Qt's JSON parser drops the
    // character even inside a string, so (U+FEFF 'a', 1) was read back as ('a', 1), another row.
    void aCompositeKeyKeepsAByteOrderMark()
    {
        QCOMPARE(openEditableAndPage(u"sites"_s, 1),
                 psqlLines(u"SELECT json_build_array(tenant, id::text)::text FROM sites ORDER BY tenant, id"_s));
        relabelAndSave(u"bom"_s, u"edited bom"_s);
        relabelAndSave(u"bom after"_s, u"edited after"_s);
        deleteAndSave(rowOfLabel(u"plain"_s), 2);
        QCOMPARE(sql(u"SELECT string_agg(format('[%s]', tenant) || '=' || label, '|' ORDER BY label) FROM sites"_s),
                 u"[a\ufeff]=edited after|[\ufeffa]=edited bom|[b]=other"_s);
    }

    // A citext key and an enum key, alone and in a composite key: each row is named by its key's
    // exact text (a leading U+FEFF kept), pages follow the key's own order (citext without case,
    // an enum by its labels' declared order), and an edit or a delete reaches the row picked only.
    void citextAndEnumKeysNameExactlyTheRowPicked()
    {
        QCOMPARE(openEditableAndPage(u"emails"_s, 1), psqlLines(u"SELECT email FROM emails ORDER BY email"_s));
        QCOMPARE(model()->rowCount(), 4);
        QVERIFY(rowOfKey(u"\ufeffcarol@example.org"_s) >= 0 && rowOfKey(u"Carol@example.org"_s) >= 0);
        relabelAndSave(u"bom carol"_s, u"edited"_s);
        deleteAndSave(rowOfLabel(u"carol"_s), 1);
        QCOMPARE(sql(u"SELECT string_agg(email || '=' || label, '|' ORDER BY label) FROM emails"_s),
                 u"alice@example.org=alice|Bob@Example.org=bob|\ufeffcarol@example.org=edited"_s);

        QCOMPARE(openEditableAndPage(u"stages"_s, 2),
                 (QStringList{ u"zebra"_s, u"apple"_s, u"it's"_s, u"a,b"_s, u"\ufeffapple"_s }));
        relabelAndSave(u"bom apple"_s, u"edited"_s);
        deleteAndSave(rowOfLabel(u"plain apple"_s), 1);
        relabelAndSave(u"quote"_s, u"edited quote"_s);
        QCOMPARE(sql(u"SELECT string_agg(stage || '=' || label, '|' ORDER BY stage) FROM stages"_s),
                 u"zebra=z|it's=edited quote|a,b=comma|\ufeffapple=edited"_s);

        const QStringList keys = openEditableAndPage(u"tasks"_s, 2);
        QCOMPARE(keys, psqlLines(u"SELECT json_build_array(state, id::text)::text FROM tasks ORDER BY state, id"_s));
        QCOMPARE(keys.size(), 6);
        relabelAndSave(u"bom a1"_s, u"edited"_s);
        deleteAndSave(rowOfLabel(u"a1"_s), 2);
        deleteAndSave(rowOfLabel(u"z10"_s), 2);
        QCOMPARE(sql(u"SELECT string_agg(state || ' ' || id || '=' || label, '|' ORDER BY state, id) FROM tasks"_s),
                 u"zebra 2=z2|it's 1=quote 1|a,b 1=comma 1|\ufeffapple 1=edited"_s);
    }

    // A char(n) key is read with its padding, as its cell is, and a leading U+FEFF kept: an edit
    // and a delete reach the row picked only, a new row typed in is found again by its key.
    void aPaddedKeyNamesExactlyTheRowPicked()
    {
        const QStringList keys = openEditableAndPage(u"padded"_s, 1);
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()),
                 (QSet<QString>{ u"ab  "_s, u"\ufeffab "_s, u"abcd"_s, u"a b "_s }));
        QCOMPARE(keys.size(), 4);
        QVERIFY(rowOfKey(u"ab  "_s) >= 0 && rowOfKey(u"\ufeffab "_s) >= 0);
        relabelAndSave(u"bom"_s, u"edited bom"_s);
        deleteAndSave(rowOfLabel(u"short"_s), 1);
        QCOMPARE(sql(u"SELECT string_agg(format('[%s]', code) || '=' || label, '|' ORDER BY label) FROM padded"_s),
                 u"[\ufeffab ]=edited bom|[abcd]=full|[a b ]=space"_s);

        // A new row whose key is typed shorter than n: saved, then named by its padded text.
        action("actionAddRow")->trigger();
        const int added = model()->rowCount() - 1;
        QVERIFY(model()->setData(model()->index(added, 0), u"xy"_s));
        QVERIFY(model()->setData(model()->index(added, 1), u"new"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QVERIFY(rowOfKey(u"xy  "_s) >= 0);
        relabelAndSave(u"new"_s, u"renamed"_s);
        QCOMPARE(sql(u"SELECT label FROM padded WHERE code = 'xy'"_s), u"renamed"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM padded"_s), u"4"_s);

        // U+FEFF 'xy' typed beside 'xy': saved as its own row and named by its own key, which the
        // edit that follows reaches; then the U+FEFF 'ab' row is deleted without a false conflict.
        action("actionAddRow")->trigger();
        const int bomRow = model()->rowCount() - 1;
        QVERIFY(model()->setData(model()->index(bomRow, 0), u"\ufeffxy"_s));
        QVERIFY(model()->setData(model()->index(bomRow, 1), u"bom new"_s));
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        QVERIFY(rowOfKey(u"\ufeffxy "_s) >= 0 && rowOfKey(u"\ufeffxy "_s) != rowOfKey(u"xy  "_s));
        QCOMPARE(model()->index(rowOfKey(u"\ufeffxy "_s), 1).data().toString(), u"bom new"_s);
        relabelAndSave(u"bom new"_s, u"bom renamed"_s);
        deleteAndSave(rowOfKey(u"\ufeffab "_s), 1);
        QCOMPARE(sql(u"SELECT string_agg(format('[%s]', code) || '=' || label, '|' ORDER BY label) FROM padded"_s),
                 u"[\ufeffxy ]=bom renamed|[abcd]=full|[xy  ]=renamed|[a b ]=space"_s);
    }

    // A key pgdesk cannot name exactly opens read-only, saying why: a float (a value and its text
    // need not meet), an interval (its text depends on IntervalStyle).
    void keysThatCannotNameARowOpenReadOnly()
    {
        const QList<std::pair<QString, QString>> tables{ { u"floats"_s, u"double precision"_s },
                                                         { u"spans"_s, u"interval"_s } };
        for (const auto& [table, type] : tables) {
            openTable(table);
            QVERIFY2(m_window->isReadOnly(), qPrintable(table));
            QCOMPARE(model()->rowCount(), 1);
            const QString message = m_window->statusBar()->currentMessage();
            QVERIFY2(message.contains(u" is "_s + type + u"; pgdesk edits rows by a key of type"_s),
                     qPrintable(message));
        }
    }

    // Live updates by polling follow another client's insert into a uuid-keyed table.
    void pollingFollowsAUuidTable()
    {
        QSettings().setValue(u"view/liveUpdates"_s, true);
        openTable(u"items"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->liveUpdates()->hasBaseline(), 8000); // as above
        // Fewer rows in view than the table has: the rows may scroll.
        m_window->resize(m_window->width(), 320);
        QTRY_VERIFY(view()->verticalScrollBar()->maximum() > 0);
        const int before = model()->rowCount();
        // The least uuid there is: a row that sorts before every row shown, at the start of the
        // table. (A random one did so about once in 24 runs, and the reload read from the row that
        // was first, so the new one never showed.)
        sql(u"INSERT INTO items(id, label) VALUES ('00000000-0000-0000-0000-000000000000', 'from psql')"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), before + 1, 8000);
        QCOMPARE(sql(u"SELECT count(*) FROM items"_s).toInt(), before + 1);
        const int label = model()->record().indexOf(u"label"_s);
        const QString key = sql(u"SELECT id FROM items WHERE label = 'from psql'"_s);
        QCOMPARE(rowOfKey(key), 0);
        QCOMPARE(model()->index(0, label).data().toString(), u"from psql"_s);
        // In view: the grid was at the top of the table and stays there.
        QCOMPARE(view()->verticalScrollBar()->value(), 0);
        QCOMPARE(view()->rowAt(0), 0);
    }
};

QTEST_MAIN(TestAnyKeys)
#include "tst_anykeys.moc"
