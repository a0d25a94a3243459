#include "AnyTableSuite.h"
#include "table/RowKey.h"

#include <QItemSelectionModel>

using namespace Qt::StringLiterals;

// Issue 20, tables keyed by something else than an integer: a text key (whose values may differ
// only by leading zeros or a leading U+FEFF), a uuid key the server makes, a numeric key. Each row
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
        sql(u"DROP TABLE IF EXISTS codes, items, prices, pairs, moments; "
            "CREATE TABLE codes(code text PRIMARY KEY, label text, n integer); "
            "INSERT INTO codes VALUES ('7', 'seven', 1), ('007', 'agent', 1), (chr(65279) || 'a', 'bom a', 2), "
            "('a', 'plain a', 2), ('it''s', 'quote', 3), ('a b', 'space', 3), ('10', 'ten', 3), ('9', 'nine', 1); "
            "CREATE TABLE items(id uuid PRIMARY KEY DEFAULT gen_random_uuid(), label text, n integer); "
            "INSERT INTO items(label, n) SELECT 'item ' || g, g % 4 FROM generate_series(1, 23) g; "
            "CREATE TABLE prices(id numeric PRIMARY KEY, label text); "
            "INSERT INTO prices VALUES (1, 'one'), (1.5, 'one and a half'), (1.50000000000000000001, 'just over'), "
            "(10, 'ten'); "
            "CREATE TABLE pairs(a integer, b integer, label text, PRIMARY KEY (a, b)); "
            "INSERT INTO pairs VALUES (1, 1, 'x'); "
            "CREATE TABLE moments(at time PRIMARY KEY, label text); "
            "INSERT INTO moments VALUES ('10:00:00.123456', 'x')"_s);
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

    int rowOfKey(const QString& key) { return model()->rowForKey(RowKey::fromText(key)); }

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
        view()->setFocus();
        view()->selectionModel()->select(model()->index(quoted, 1),
                                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVERIFY(action("actionDeleteRows")->isEnabled());
        action("actionDeleteRows")->trigger();
        QCOMPARE(model()->pendingDeleteCount(), 1);
        MessageBox::answerNext(QMessageBox::Save); // "Delete 1 row?"
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
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

    // A composite key and a key pgdesk cannot read exactly (time: milliseconds only) open
    // read-only, saying why.
    void keysThatCannotNameARowOpenReadOnly()
    {
        openTable(u"pairs"_s);
        QVERIFY(m_window->isReadOnly());
        QVERIFY(!action("actionAddRow")->isEnabled());
        openTable(u"moments"_s);
        QVERIFY(m_window->isReadOnly());
        QCOMPARE(model()->rowCount(), 1);
    }

    // Live updates by polling follow another client's insert into a uuid-keyed table.
    void pollingFollowsAUuidTable()
    {
        QSettings().setValue(u"view/liveUpdates"_s, true);
        openTable(u"items"_s);
        const int before = model()->rowCount();
        sql(u"INSERT INTO items(label) VALUES ('from psql')"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), before + 1, 8000);
        const int label = model()->record().indexOf(u"label"_s);
        const QString key = sql(u"SELECT id FROM items WHERE label = 'from psql'"_s);
        QCOMPARE(model()->index(rowOfKey(key), label).data().toString(), u"from psql"_s);
    }
};

QTEST_MAIN(TestAnyKeys)
#include "tst_anykeys.moc"
