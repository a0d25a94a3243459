#include "IntegerKey.h"
#include "TestServer.h"
#include "connection/DatabaseSession.h"
#include "model/TableModel.h"
#include "table/TableWriter.h"
#include "table/ValueText.h"

#include <QLocale>
#include <QScopeGuard>
#include <QSqlRecord>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

// Issue 20, types: a save checks that nobody changed a cell since it was read by comparing the
// cell with its value as read. That compare must be exact for every type: json, xml and point
// have no '=', a numeric read as a double never equals its own text, a time is not a timestamp.
// Each of these once made every save of such a cell fail or report a conflict nobody caused, and
// paging sorted by a time column failed. Every value is checked with psql as the server's text.
class TestColumnTypes : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_columntypes"_s;
    std::unique_ptr<DatabaseSession> m_session;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }

    // The model over a table ("typed" unless named), its first window read.
    std::unique_ptr<TableModel> openModel(const QString& table = u"typed"_s)
    {
        auto model = std::make_unique<TableModel>(m_session->database());
        [&] {
            QVERIFY(model->setTableName(TableName(u"public"_s, table)));
            QVERIFY2(model->select(), qPrintable(model->lastError().text()));
        }();
        return model;
    }

    int rowOf(const TableModel& model, qint64 key)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.keyAt(row) == key)
                return row;
        }
        return -1;
    }

    // Save as the window does, but on this thread: plan, write, take the outcome.
    static TableWriter::Outcome save(TableModel& model, const QSqlDatabase& database)
    {
        const std::optional<TableWriter::Plan> plan = model.savePlan();
        TableWriter::Outcome outcome;
        [&] { QVERIFY2(plan, qPrintable(model.lastSaveError())); }();
        if (!plan)
            return outcome;
        outcome = TableWriter::write(database, *plan, nullptr);
        model.finishSave(outcome);
        return outcome;
    }

    static void typedRows_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("theirs");
        // A numeric a double cannot hold, and one whose shortest double text differs.
        QTest::newRow("numeric") << u"amount"_s << u"98765432109876543210.01234567890123456789"_s
                                 << u"98765432109876543210.01234567890123456789"_s << u"1"_s;
        QTest::newRow("json") << u"doc"_s << u"{\"c\":  [1, 2]}"_s << u"{\"c\":  [1, 2]}"_s << u"{}"_s;
        QTest::newRow("jsonb") << u"docb"_s << u"{\"b\": 2, \"a\": \"é\"}"_s << u"{\"a\": \"é\", \"b\": 2}"_s
                               << u"[]"_s;
        QTest::newRow("point") << u"spot"_s << u"(3.5,-4)"_s << u"(3.5,-4)"_s << u"(9,9)"_s;
        QTest::newRow("xml") << u"x"_s << u"<b c=\"1\"/>"_s << u"<b c=\"1\"/>"_s << u"<z/>"_s;
        QTest::newRow("time") << u"t"_s << u"01:02:03.5"_s << u"01:02:03.5"_s << u"23:59:59"_s;
        QTest::newRow("interval") << u"span"_s << u"2 hours"_s << u"02:00:00"_s << u"1 year"_s;
        QTest::newRow("uuid") << u"u"_s << u"6f1c1c9e-3b7a-4f5e-9a51-0d2c8b7e4a10"_s
                              << u"6f1c1c9e-3b7a-4f5e-9a51-0d2c8b7e4a10"_s << u"00000000-0000-0000-0000-000000000000"_s;
        QTest::newRow("array") << u"tags"_s << u"{c,NULL,\"d e\"}"_s << u"{c,NULL,\"d e\"}"_s << u"{z}"_s;
        QTest::newRow("real") << u"ratio"_s << u"0.25"_s << u"0.25"_s << u"7"_s;
        QTest::newRow("double") << u"big"_s << u"1e+300"_s << u"1e+300"_s << u"7"_s;
        QTest::newRow("date") << u"d"_s << u"2026-12-31"_s << u"2026-12-31"_s << u"2000-01-01"_s;
        QTest::newRow("enum") << u"mood"_s << u"sad"_s << u"sad"_s << u"meh"_s;
        QTest::newRow("timestamptz") << u"tz"_s << u"2026-10-25 02:30:00+01"_s << u"2026-10-25 01:30:00+00"_s
                                     << u"2000-01-01 00:00:00+00"_s;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        // The server's and this session's zone: what timestamptz text is compared in.
        sql(u"ALTER DATABASE tst_columntypes SET TimeZone = 'UTC'"_s);
        m_session = std::make_unique<DatabaseSession>();
        QVERIFY(m_session->open(m_server.settings(m_database)));
    }

    void init()
    {
        // Two rows of edge values, each unlike every "theirs" above; a numeric whose double is not
        // itself (12.34 is 12.339999999999999857891452847979962825775146484375 as a double).
        sql(u"DROP TABLE IF EXISTS typed; DROP TYPE IF EXISTS mood; CREATE TYPE mood AS ENUM ('ok', 'sad', 'meh'); "
            "CREATE TABLE typed(id bigserial PRIMARY KEY, label text, amount numeric(40,20), doc json, "
            "docb jsonb, spot point, x xml, t time, span interval, u uuid, tags text[], ratio real, "
            "big double precision, d date, mood mood, tz timestamptz); "
            "INSERT INTO typed(label, amount, doc, docb, spot, x, t, span, u, tags, ratio, big, d, mood, tz) "
            "VALUES ('one', 12.34, '{\"a\": 1,   \"b\": [1, 2]}', '{\"k\": \"\\u00e9\"}', '(1,2)', "
            "'<a>1</a>', '12:34:56.789', '1 day 02:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{a,NULL}', "
            "0.1, 0.1, '2024-02-29', 'ok', '2026-03-29 01:30:00+00'), "
            "('two', 0.30000000000000000001, '[]', 'null', '(0,0)', '<b/>', '00:00', '-1 mons', "
            "'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{}', 'NaN', '-Infinity', 'infinity', 'sad', "
            "'-infinity')"_s);
    }

    // Editing one typed cell saves exactly what was typed, with no conflict reported.
    void anEditSavesExactlyWithoutAConflict_data() { typedRows_data(); }
    void anEditSavesExactlyWithoutAConflict()
    {
        QFETCH(QString, column);
        QFETCH(QString, typed);
        QFETCH(QString, stored);
        auto model = openModel();
        const int index = model->record().indexOf(column);
        QVERIFY(index > 0);
        for (qint64 key : { 1, 2 }) {
            const int row = rowOf(*model, key);
            QVERIFY(row >= 0);
            QVERIFY(model->flags(model->index(row, index)) & Qt::ItemIsEditable);
            QVERIFY(model->setData(model->index(row, index), typed));
        }
        const TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(!outcome.conflict);
        QVERIFY(!model->hasPendingChanges());
        QCOMPARE(sql(u"SELECT string_agg(%1::text, '|' ORDER BY id) FROM typed"_s.arg(column)), stored + u'|' + stored);
        QCOMPARE(sql(u"SELECT count(*) FROM typed"_s), u"2"_s);
    }

    // Another client's change to a typed cell is caught, and the save writes nothing.
    void anotherClientsChangeIsAConflict_data() { typedRows_data(); }
    void anotherClientsChangeIsAConflict()
    {
        QFETCH(QString, column);
        QFETCH(QString, typed);
        QFETCH(QString, theirs);
        auto model = openModel();
        const int index = model->record().indexOf(column);
        const int row = rowOf(*model, 1);
        QVERIFY(model->setData(model->index(row, index), typed));
        QVERIFY(model->setData(model->index(row, 1), u"mine"_s));
        sql(u"UPDATE typed SET %1 = '%2' WHERE id = 1"_s.arg(column, theirs));
        const QString before = sql(u"SELECT typed::text FROM typed WHERE id = 1"_s);
        const TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY(outcome.conflict);
        QCOMPARE(outcome.conflict->key, 1);
        QVERIFY(outcome.conflict->columns.contains(index));
        QVERIFY(model->hasPendingChanges());
        QCOMPARE(sql(u"SELECT typed::text FROM typed WHERE id = 1"_s), before);
    }

    // Deleting a row compares every column as read: unchanged, it goes; changed by another client,
    // the user is asked first, whatever the column's type.
    void deletingComparesEveryTypedColumn_data() { typedRows_data(); }
    void deletingComparesEveryTypedColumn()
    {
        QFETCH(QString, column);
        QFETCH(QString, theirs);
        auto model = openModel();
        QCOMPARE(model->stageDeleteRows({ rowOf(*model, 1), rowOf(*model, 2) }), 2);
        sql(u"UPDATE typed SET %1 = '%2' WHERE id = 2"_s.arg(column, theirs));
        TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY(outcome.conflict);
        QVERIFY(outcome.conflict->deleting);
        QCOMPARE(outcome.conflict->key, 2);
        QCOMPARE(outcome.conflict->columns, QList<int>{ model->record().indexOf(column) });
        QCOMPARE(sql(u"SELECT count(*) FROM typed"_s), u"2"_s);
        // Keeping row 2: row 1, unchanged in every column, is deleted.
        model->resolveDeleteConflictKeepingRow(*outcome.conflict);
        outcome = save(*model, m_session->database());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QCOMPARE(sql(u"SELECT string_agg(id::text, ',') FROM typed"_s), u"2"_s);
    }

    // Messages name a row by the table's own key column and its text column, not "id" and "name".
    void messagesNameTheRowByItsOwnColumns()
    {
        sql(u"DROP TABLE IF EXISTS parts; CREATE TABLE parts(code integer PRIMARY KEY, title text, qty integer); "
            "INSERT INTO parts VALUES (5, 'bolt', 1)"_s);
        auto model = openModel(u"parts"_s);
        QCOMPARE(model->describeKey(5), u"the row with code 5"_s);
        QCOMPARE(model->describeRow(5), u"the row with code 5 (title \"bolt\")"_s);
        QVERIFY(model->setData(model->index(0, 2), u"2"_s));
        sql(u"UPDATE parts SET qty = 9"_s);
        const TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY2(outcome.error.contains(u"the row with code 5 (title \"bolt\")"_s), qPrintable(outcome.error));
        QCOMPARE(sql(u"SELECT qty FROM parts"_s), u"9"_s);
    }

    // Generated columns and identity columns GENERATED ALWAYS take no value but the server's: they
    // are read-only, in server rows and new rows alike, and a new row leaves them to the server.
    void generatedColumnsAreReadOnly()
    {
        sql(u"DROP TABLE IF EXISTS lines; CREATE TABLE lines(id bigserial PRIMARY KEY, qty integer, "
            "total integer GENERATED ALWAYS AS (qty * 2) STORED, serial_no integer GENERATED ALWAYS AS IDENTITY, "
            "ref integer GENERATED BY DEFAULT AS IDENTITY); INSERT INTO lines(qty) VALUES (3)"_s);
        auto model = openModel(u"lines"_s);
        const int qty = model->record().indexOf(u"qty"_s);
        const int total = model->record().indexOf(u"total"_s);
        const int serialNo = model->record().indexOf(u"serial_no"_s);
        const int ref = model->record().indexOf(u"ref"_s);
        for (int column : { total, serialNo }) {
            QVERIFY(!(model->flags(model->index(0, column)) & Qt::ItemIsEditable));
            QVERIFY(!model->setData(model->index(0, column), u"7"_s));
            QVERIFY(model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().contains(u"read-only"_s));
        }
        QVERIFY(model->flags(model->index(0, ref)) & Qt::ItemIsEditable); // BY DEFAULT takes a value
        QVERIFY(!model->headerData(ref, Qt::Horizontal, Qt::ToolTipRole).toString().contains(u"read-only"_s));
        QVERIFY(model->setData(model->index(0, qty), u"4"_s));
        const int added = model->addRow();
        QVERIFY(!(model->flags(model->index(added, total)) & Qt::ItemIsEditable));
        QVERIFY(model->setData(model->index(added, qty), u"10"_s));
        const TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QCOMPARE(sql(u"SELECT string_agg(concat_ws(':', qty, total, serial_no), ',' ORDER BY id) FROM lines"_s),
                 u"4:8:1,10:20:2"_s);
    }

    // json, point and xml have no order: the model keeps its order, and the header's tooltip says
    // why; every other type here sorts.
    void aColumnWithoutAnOrderIsNotSorted()
    {
        sql(u"ALTER TABLE typed ADD COLUMN docs json[], ADD COLUMN shape box, ADD COLUMN ratios real[]"_s);
        auto model = openModel();
        model->sort(model->record().indexOf(u"amount"_s), Qt::DescendingOrder);
        for (int column = 0; column < model->columnCount(); ++column) {
            const QString name = model->record().fieldName(column);
            const bool unordered = QStringList{ u"doc"_s, u"spot"_s, u"x"_s, u"docs"_s, u"shape"_s }.contains(name);
            QCOMPARE(model->isSortableColumn(column), !unordered);
            const QString tip = model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString();
            QVERIFY2(tip.startsWith(name + u", "_s), qPrintable(tip));
            QCOMPARE(tip.contains(u"Cannot be sorted"_s), unordered);
            if (!unordered)
                continue;
            model->sort(column, Qt::AscendingOrder);
            QCOMPARE(model->sortColumn(), model->record().indexOf(u"amount"_s));
            QCOMPARE(model->sortOrder(), Qt::DescendingOrder);
            QVERIFY2(model->lastError().text().trimmed().isEmpty(), qPrintable(model->lastError().text()));
        }
        QCOMPARE(model->headerData(model->record().indexOf(u"t"_s), Qt::Horizontal, Qt::ToolTipRole).toString(),
                 u"t, time without time zone"_s);
        QCOMPARE(model->rowCount(), 2);
    }

    // Floats as the server writes them, whatever the locale: NaN, -Infinity, shortest exact text.
    void floatsAreShownAsTheServerWritesThem()
    {
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        auto model = openModel();
        const int ratio = model->record().indexOf(u"ratio"_s);
        const int big = model->record().indexOf(u"big"_s);
        const auto shown = [&](qint64 key, int column) {
            return model->index(rowOf(*model, key), column).data(Qt::DisplayRole).toString();
        };
        QCOMPARE(shown(1, ratio), u"0.1"_s);
        QCOMPARE(shown(1, big), u"0.1"_s);
        QCOMPARE(shown(2, ratio), u"NaN"_s);
        QCOMPARE(shown(2, big), u"-Infinity"_s);
        QCOMPARE(sql(u"SELECT concat_ws(',', ratio, big) FROM typed WHERE id = 2"_s), u"NaN,-Infinity"_s);
    }

    // Bytes that read as the same text (two invalid UTF-8 sequences are one U+FFFD) still differ:
    // the conflict names the column, and "delete it anyway" then deletes.
    void aDeleteConflictOnBytesCanBeResolved()
    {
        sql(u"DROP TABLE IF EXISTS blobs; CREATE TABLE blobs(id serial PRIMARY KEY, data bytea); "
            "INSERT INTO blobs(data) VALUES ('\\x80')"_s);
        auto model = openModel(u"blobs"_s);
        QCOMPARE(model->stageDeleteRows({ 0 }), 1);
        sql(u"UPDATE blobs SET data = '\\x81'"_s);
        TableWriter::Outcome outcome = save(*model, m_session->database());
        QVERIFY(outcome.conflict);
        QCOMPARE(outcome.conflict->columns, QList<int>{ model->record().indexOf(u"data"_s) });
        QCOMPARE(sql(u"SELECT count(*) FROM blobs"_s), u"1"_s);
        model->resolveConflictKeepingMine(*outcome.conflict);
        outcome = save(*model, m_session->database());
        QVERIFY2(outcome.error.isEmpty() && !outcome.conflict, qPrintable(outcome.error));
        QCOMPARE(sql(u"SELECT count(*) FROM blobs"_s), u"0"_s);
    }

    // ValueText writes a double exactly as the server's float8out does, digit for digit.
    void doublesAreWrittenAsTheServerWritesThem()
    {
        const QList<double> values = { 0.1,
                                       1e14,
                                       1e15,
                                       1e-4,
                                       1e-5,
                                       -0.0,
                                       123.456,
                                       1e300,
                                       -2.5e-7,
                                       1.7976931348623157e308,
                                       5e-324,
                                       12345.678,
                                       100,
                                       0.30000000000000004,
                                       99999999999999.98,
                                       -1234567890123456.7 };
        QStringList literals;
        QStringList ours;
        for (double value : values) {
            // QString::number() drops the sign of -0; the server keeps it.
            const QString text = std::signbit(value) && value == 0 ? u"-0"_s : QString::number(value, 'g', 17);
            literals << u"'%1'::float8::text"_s.arg(text);
            ours << ValueText::of(QVariant(value));
        }
        QCOMPARE(sql(u"SELECT concat_ws('|', %1)"_s.arg(literals.join(u", "_s))), ours.join(u'|'));
        // Opening and closing an editor on NaN changes nothing.
        auto model = openModel();
        const int big = model->record().indexOf(u"big"_s);
        QVERIFY(model->setData(model->index(rowOf(*model, 2), big), u"-Infinity"_s));
        QVERIFY(!model->hasPendingChanges());
    }

    // A bit(n) or char(n)[] anchor is cast to the declared type, modifier included: bit alone is
    // bit(1), which would cut the anchor short and start the next window elsewhere.
    void pagingSortedByAModifiedTypeSeesEveryRowOnce()
    {
        sql(u"DROP TABLE IF EXISTS flags; CREATE TABLE flags(id serial PRIMARY KEY, b bit(5), c char(3)[]); "
            "INSERT INTO flags(b, c) SELECT (g % 32)::bit(5), ARRAY[lpad((g % 7)::text, 3, 'x')] "
            "FROM generate_series(1, 40) g"_s);
        for (const QString& column : { u"b"_s, u"c"_s }) {
            TableModel model(m_session->database());
            QVERIFY(model.setTableName(TableName(u"public"_s, u"flags"_s)));
            model.setWindowSize(6);
            model.sort(model.record().indexOf(column), Qt::AscendingOrder);
            QStringList seen;
            int guard = 0;
            do {
                for (int row = 0; row < model.serverRowCount(); ++row)
                    seen << QString::number(integerKey(model.keyAt(row)));
                model.loadNext();
            } while (!model.atEnd() && ++guard < 50);
            for (int row = 0; row < model.serverRowCount(); ++row)
                seen << QString::number(integerKey(model.keyAt(row)));
            seen.removeDuplicates();
            QCOMPARE(seen, sql(u"SELECT id FROM flags ORDER BY %1, id"_s.arg(column)).split(u'\n'));
        }
    }

    // Paging in the order of a typed column: every row once, in the server's order. The anchor of
    // the next window is the column's value as read, compared as the column's own type.
    void pagingSortedByATypedColumnSeesEveryRowOnce_data()
    {
        QTest::addColumn<QString>("column");
        for (const char* column : { "amount", "t", "tz", "span", "u", "big", "d", "mood" })
            QTest::newRow(column) << QString::fromLatin1(column);
    }
    void pagingSortedByATypedColumnSeesEveryRowOnce()
    {
        QFETCH(QString, column);
        // 60 rows, few distinct values, so ties straddle the window edges; values a double, a
        // timestamp or text order would put elsewhere.
        sql(u"INSERT INTO typed(amount, t, tz, span, u, big, d, mood) SELECT "
            "(ARRAY[0.30000000000000000001, 0.3, 10, 9.99999999999999999999])[1 + g % 4], "
            "(ARRAY['23:00', '09:00', '10:00:00.000001'])[1 + g % 3]::time, "
            "(ARRAY['2026-10-25 00:30+00', '2026-10-25 01:30+01', '2026-10-24 23:45-02'])[1 + g % 3]::timestamptz, "
            "(ARRAY['1 day', '25 hours', '1 mon', '-2 days'])[1 + g % 4]::interval, "
            "md5((g % 5)::text)::uuid, (ARRAY[0.1, 1e300, 'NaN', '-Infinity'])[1 + g % 4]::float8, "
            "date '2024-01-01' + (g % 7) * 40, (ARRAY['sad', 'ok'])[1 + g % 2]::mood "
            "FROM generate_series(1, 60) g"_s);
        const QStringList expected
            = sql(u"SELECT id FROM typed ORDER BY %1 ASC NULLS LAST, id ASC"_s.arg(column)).split(u'\n');
        QCOMPARE(expected.size(), 62);
        auto model = openModel();
        model->setWindowSize(7);
        const int index = model->record().indexOf(column);
        model->sort(index, Qt::AscendingOrder);
        QVERIFY2(model->lastError().text().trimmed().isEmpty(), qPrintable(model->lastError().text()));
        QStringList seen;
        const auto take = [&] {
            for (int row = 0; row < model->serverRowCount(); ++row)
                seen << QString::number(integerKey(model->keyAt(row)));
        };
        take();
        int guard = 0;
        while (!model->atEnd() && ++guard < 100) {
            const qint64 last = integerKey(model->keyAt(model->serverRowCount() - 1));
            model->loadNext();
            QVERIFY2(model->lastError().text().trimmed().isEmpty(), qPrintable(model->lastError().text()));
            if (model->keyAt(model->serverRowCount() - 1) == last)
                break;
            take();
        }
        QCOMPARE(seen, expected);
    }
};

QTEST_GUILESS_MAIN(TestColumnTypes)
#include "tst_columntypes.moc"
