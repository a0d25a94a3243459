// The bound table's columns worked out from made-up catalog answers, no server: which column is
// the key and the name, how each is read exactly, what the writer is told; and the live view's
// change marks over made-up windows.
#include "connection/DateTimeText.h"
#include "model/ChangeHighlight.h"
#include "table/TableColumns.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QSqlField field(const QString& name, QMetaType::Type type, bool required = false)
{
    QSqlField result(name, QMetaType(type), u"my_table"_s);
    result.setRequiredStatus(required ? QSqlField::Required : QSqlField::Optional);
    return result;
}

// The tutorial's my_table(id BIGSERIAL PRIMARY KEY, name varchar, date TIMESTAMP NOT NULL DEFAULT
// current_timestamp), as QPSQL's record and primary index and TableCatalog's traits describe it.
TableColumns tutorialColumns(bool utf8Database = true)
{
    QSqlRecord record;
    record.append(field(u"id"_s, QMetaType::LongLong, true));
    record.append(field(u"name"_s, QMetaType::QString));
    record.append(field(u"date"_s, QMetaType::QDateTime, true));
    QSqlIndex key(u"my_table"_s, u"my_table_pkey"_s);
    key.append(record.field(0));
    TableCatalog::ColumnTraits traits;
    traits.withDefault = { u"id"_s, u"date"_s };
    if (utf8Database)
        traits.textWithBomGuard = { u"name"_s };
    traits.text = { u"name"_s };
    return TableColumns(record, key, traits);
}

QList<QVariantList> windowRows(const QList<QPair<qint64, QString>>& rows)
{
    QList<QVariantList> result;
    for (const auto& [key, name] : rows)
        result << QVariantList{ key, key, key, name };
    return result;
}

RowWindow windowOf(const QList<QPair<qint64, QString>>& rows)
{
    KeysetQuery::Order order;
    order.tableSql = u"t"_s;
    order.key = KeyColumns({ u"t.id"_s });
    order.sortSql = u"t.id"_s;
    const KeysetQuery query(order);
    RowWindow window(10);
    window.apply(window.plan(RowWindow::Move::First, query), { windowRows(rows) }, -1);
    return window;
}

} // namespace

class TestTableColumns : public QObject
{
    Q_OBJECT

private slots:
    // A key that is not an integer names its row only when read exactly, which takes the
    // catalog's traits: without them (the read failed) the table is not paged or edited by it.
    void aKeyThatIsNotAnIntegerNeedsTheTraits()
    {
        QSqlRecord record;
        record.append(field(u"price"_s, QMetaType::Double, true));
        record.append(field(u"label"_s, QMetaType::QString));
        QSqlIndex key(u"prices"_s, u"prices_pkey"_s);
        key.append(record.field(0));
        TableCatalog::ColumnTraits unread;
        unread.numeric = { u"price"_s };
        QVERIFY(!TableColumns(record, key, unread).hasKey());
        TableCatalog::ColumnTraits read = unread;
        read.read = true;
        read.primaryKey = { u"price"_s };
        const TableColumns columns(record, key, read);
        QCOMPARE(columns.keyColumns(), QList<int>{ 0 });
        QCOMPARE(columns.exactReadSql(0), u"(\"price\")::text"_s);
        QCOMPARE(columns.key().readSql(), u"(\"price\")::text"_s);
        QVERIFY(!columns.isInteger(0));
    }

    void theTutorialsTableHasItsKeyAndName()
    {
        const TableColumns columns = tutorialColumns();
        QCOMPARE(columns.count(), 3);
        QCOMPARE(columns.keyColumns(), QList<int>{ 0 });
        QVERIFY(columns.isIntegerKey());
        QCOMPARE(columns.key().readSql(), u"\"id\""_s);
        QCOMPARE(columns.key().equalsSql(), u"\"id\" = ?"_s);
        QCOMPARE(columns.nameColumn(), 1);
        QVERIFY(columns.isTimestamp(2));
        QVERIFY(!columns.isTimestamp(1));
        QVERIFY(columns.hasDefault(0));
        QVERIFY(!columns.hasDefault(1));
        QVERIFY(columns.hasDefault(2));
        QVERIFY(columns.isNumber(0));
        QVERIFY(!columns.isNumber(1));
        QVERIFY(columns.isNullable(1));
        QVERIFY(!columns.isNullable(2));
        QCOMPARE(columns.quotedName(1), u"\"name\""_s);
    }

    void eachColumnIsReadExactly()
    {
        const TableColumns columns = tutorialColumns();
        QCOMPARE(columns.exactReadSql(0), u"\"id\""_s);
        // U+FEFF doubled where it leads, since QPSQL's fromUtf8() drops one.
        QCOMPARE(columns.exactReadSql(1),
                 u"CASE WHEN left(\"name\", 1) = chr(65279) THEN chr(65279) || \"name\" ELSE \"name\" END"_s);
        QVERIFY(columns.exactReadSql(2).contains(u"\"date\""_s));
        QVERIFY(columns.exactReadSql(2) != u"\"date\""_s); // timestamps travel as ISO text
        const QString select = columns.rowSelectList();
        QVERIFY(select.startsWith(u"\"id\", CASE WHEN"_s));
        QVERIFY(select.contains(u" AS \"name\", "_s));
        QVERIFY(select.endsWith(u" AS \"date\""_s));
    }

    void withoutUtf8TextIsReadAsItself() { QCOMPARE(tutorialColumns(false).exactReadSql(1), u"\"name\""_s); }

    void theWriterHearsHowToCompareEachColumn()
    {
        const QList<TableWriter::Column> written = tutorialColumns().writerColumns();
        QCOMPARE(written.size(), 3);
        QCOMPARE(written.at(1).name, u"name"_s);
        // The name as itself, though read through the U+FEFF guard; the date as the text read.
        QCOMPARE(written.at(1).compareSql, u"\"name\""_s);
        QCOMPARE(written.at(0).compareSql, u"\"id\""_s);
        QCOMPARE(written.at(2).readSql, tutorialColumns().exactReadSql(2));
        QCOMPARE(written.at(2).compareSql, written.at(2).readSql);
    }

    // numeric is read as a double by QPSQL, json as its text: both are read as text and compared
    // as that text, and cast back to their own type to be compared in their order.
    void numbersAndOtherTypesAreReadAsTheirText()
    {
        QSqlRecord record;
        record.append(field(u"id"_s, QMetaType::Int, true));
        record.append(field(u"amount"_s, QMetaType::Double));
        record.append(field(u"doc"_s, QMetaType::QString));
        record.append(field(u"ratio"_s, QMetaType::Double));
        record.append(field(u"label"_s, QMetaType::QString));
        QSqlIndex key(u"t"_s, u"t_pkey"_s);
        key.append(record.field(0));
        TableCatalog::ColumnTraits traits;
        traits.text = { u"label"_s };
        traits.numeric = { u"amount"_s };
        traits.typeSql = { { u"amount"_s, u"numeric"_s }, { u"doc"_s, u"json"_s }, { u"ratio"_s, u"real"_s } };
        const TableColumns columns(record, key, traits);
        QCOMPARE(columns.exactReadSql(1), u"(\"amount\")::text"_s);
        QCOMPARE(columns.exactReadSql(2), u"(\"doc\")::text"_s);
        QCOMPARE(columns.exactReadSql(3), u"\"ratio\""_s);
        QCOMPARE(columns.exactReadSql(4), u"\"label\""_s);
        QCOMPARE(columns.compareSql(1), columns.exactReadSql(1));
        QCOMPARE(columns.compareSql(2), columns.exactReadSql(2));
        QCOMPARE(columns.compareSql(3), u"\"ratio\""_s);
        QVERIFY(columns.isReadAsText(1) && columns.isReadAsText(2));
        QVERIFY(!columns.isReadAsText(3) && !columns.isReadAsText(4));
        QCOMPARE(columns.typeSql(2), u"json"_s);
        QVERIFY(columns.isNumber(1)); // still aligned and copied as a number
        // Every column can be filtered; only the string one is searched as text.
        QCOMPARE(columns.filterColumns(), (QList<int>{ 0, 1, 2, 3, 4 }));
        QVERIFY(columns.isString(4) && !columns.isString(1) && !columns.isString(2));
    }

    // A composite key keeps the key's own column order (its index's), which need not be the
    // table's: a row comparison in any other order would not be served by the index. The catalog
    // names the key's columns: QPSQL's primary index lists INCLUDE columns too, in the table's
    // order, and keeps a renamed column's old name.
    void aCompositeKeyIsReadAsOneTextAndMatchedAsARow()
    {
        QSqlRecord record;
        record.append(field(u"id"_s, QMetaType::LongLong, true));
        record.append(field(u"tenant"_s, QMetaType::QString, true));
        record.append(field(u"note"_s, QMetaType::QString));
        QSqlIndex key(u"t"_s, u"t_pkey"_s);
        key.append(record.field(0));
        key.append(record.field(1));
        key.append(record.field(2)); // PRIMARY KEY (tenant, id) INCLUDE (note)
        TableCatalog::ColumnTraits traits;
        traits.read = true;
        traits.primaryKey = { u"tenant"_s, u"id"_s };
        const TableColumns columns(record, key, traits);
        QCOMPARE(columns.keyColumns(), (QList<int>{ 1, 0 }));
        // Without the catalog only a single-column index is taken as the key.
        QVERIFY(!TableColumns(record, key, TableCatalog::ColumnTraits()).hasKey());
        QVERIFY(columns.isKey(0) && columns.isKey(1));
        QVERIFY(!columns.isIntegerKey());
        const KeyColumns sql = columns.key(u"\"t\""_s);
        QVERIFY(sql.isComposite());
        // Each part as ISO text whatever the DateStyle (dates and timestamps), else as its ::text.
        QCOMPARE(sql.readSql(),
                 u"json_build_array("_s + DateTimeText::isoSql(u"\"t\".\"tenant\""_s) + u", "_s
                     + DateTimeText::isoSql(u"\"t\".\"id\""_s) + u")::text"_s);
        QCOMPARE(sql.equalsSql(), u"(\"t\".\"tenant\", \"t\".\"id\") = (?, ?)"_s);
        QCOMPARE(sql.compareSql(u"<"_s), u"(\"t\".\"tenant\", \"t\".\"id\") < (?, ?)"_s);
        QCOMPARE(sql.orderSql(u"DESC"_s), u"\"t\".\"tenant\" DESC, \"t\".\"id\" DESC"_s);
        // The server's JSON text of a row's key, parts with a quote, a comma and a character
        // outside the BMP, taken apart again exactly and written back as literals.
        const RowKey row = RowKey::fromValue(QVariant(u"[\"a\\\"b, c\u00e9\U0001F600\", \"42\"]"_s));
        QCOMPARE(sql.parts(row), (QStringList{ u"a\"b, c\u00e9\U0001F600"_s, u"42"_s }));
        QCOMPARE(sql.bindValues(row), (QVariantList{ u"a\"b, c\u00e9\U0001F600"_s, u"42"_s }));
        QCOMPARE(sql.inSql({ row }), u"(\"t\".\"tenant\", \"t\".\"id\") IN ((E'a\"b, c\u00e9\U0001F600', E'42'))"_s);
        // An empty key is no row's: it binds NULLs, which match nothing.
        QCOMPARE(sql.bindValues(RowKey()), (QVariantList{ QVariant(), QVariant() }));
    }

    void aKeyColumnTheRecordLacksIsNoKey()
    {
        QSqlRecord record;
        record.append(field(u"a"_s, QMetaType::Int, true));
        record.append(field(u"b"_s, QMetaType::Int, true));
        QSqlIndex key(u"t"_s, u"t_pkey"_s);
        key.append(record.field(0));
        key.append(field(u"dropped_meanwhile"_s, QMetaType::Int, true));
        TableCatalog::ColumnTraits traits;
        traits.read = true;
        traits.primaryKey = { u"a"_s, u"dropped_meanwhile"_s };
        traits.withDefault = { u"dropped_meanwhile"_s }; // a trait naming no column is left out
        const TableColumns columns(record, key, traits);
        QVERIFY(!columns.hasKey());
        QVERIFY(columns.key().isEmpty());
        QCOMPARE(columns.nameColumn(), -1);
        QVERIFY(!columns.hasDefault(-1));
        QVERIFY(!columns.hasDefault(0));
    }

    void changedAndNewRowsAreMarkedThenTheMarksRunOut()
    {
        ChangeHighlight highlight;
        QSignalSpy marks(&highlight, &ChangeHighlight::marksChanged);
        highlight.remember(windowOf({ { 1, u"ann"_s }, { 2, u"bob"_s }, { 3, u"cy"_s } }));
        // Row 1 left the window, 2 changed, 3 stayed, 4 is new.
        highlight.markChangedSince(windowOf({ { 2, u"bobby"_s }, { 3, u"cy"_s }, { 4, u"dee"_s } }), 50);
        QCOMPARE(marks.size(), 1);
        QVERIFY(highlight.contains(2));
        QVERIFY(!highlight.contains(3));
        QVERIFY(highlight.contains(4));
        QVERIFY(!highlight.contains(1));
        QTRY_VERIFY(highlight.isEmpty());
        QCOMPARE(marks.size(), 2);
    }

    void nothingChangedMarksNothing()
    {
        ChangeHighlight highlight;
        QSignalSpy marks(&highlight, &ChangeHighlight::marksChanged);
        const RowWindow window = windowOf({ { 1, u"ann"_s }, { 2, QString() } });
        highlight.remember(window);
        highlight.markChangedSince(window, 50);
        QVERIFY(highlight.isEmpty());
        QCOMPARE(marks.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTableColumns)
#include "tst_tablecolumns.moc"
