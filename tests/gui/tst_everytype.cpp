#include "AnyTableSuite.h"
#include "table/RowKey.h"
#include "table/ValueText.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
// Every column of the fixture but the key, the generated one and the identity.
const QStringList typedColumns{ u"i"_s,  u"bi"_s,   u"si"_s,   u"num"_s, u"r"_s,  u"d"_s,  u"b"_s,  u"t"_s,
                                u"vc"_s, u"dt"_s,   u"tm"_s,   u"ts"_s,  u"tz"_s, u"iv"_s, u"u"_s,  u"j"_s,
                                u"jb"_s, u"blob"_s, u"ints"_s, u"txt"_s, u"m"_s,  u"p"_s,  u"odd"_s };
} // namespace

// Issue 20's fixture: one column of every built-in type the issue names (and an enum, a domain, an
// extension-like type shown as text, a generated and an identity column), rows of edge values
// (NaN, ±Infinity, -0, numeric of 1000 digits, empty arrays and arrays of NULL, jsonb with unicode
// escapes, json with duplicate keys, a 1 MB bytea, both sides of a DST change in the session's
// zone, the integer limits) and a row of NULLs. Each cell reads exactly as psql's ::text; each is
// written through the grid from another row's text and psql then holds that row's value, compared
// as text and, for floats and bytea, as bytes.
class TestEveryType : public AnyTableSuite
{
    Q_OBJECT

public:
    TestEveryType()
        : AnyTableSuite(u"tst_everytype"_s)
    {
    }

private:
    void createFixture()
    {
        // The session's zone has a DST change, so timestamptz values on both sides of it (and the
        // hour that happens twice) must keep their offsets through the grid.
        sql(u"ALTER DATABASE tst_everytype SET TimeZone = 'Europe/Berlin'"_s);
        sql(u"DROP TABLE IF EXISTS every_type; DROP TYPE IF EXISTS mood; DROP DOMAIN IF EXISTS posint; "
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); "
            "CREATE DOMAIN posint AS integer CHECK (VALUE > 0); "
            "CREATE TABLE every_type(id integer PRIMARY KEY, i integer, bi bigint, si smallint, num numeric, "
            "r real, d double precision, b boolean, t text, vc varchar(10), dt date, tm time, ts timestamp, "
            "tz timestamptz, iv interval, u uuid, j json, jb jsonb, blob bytea, ints integer[], txt text[], "
            "m mood, p posint, odd point, g bigint GENERATED ALWAYS AS (i::bigint * 2) STORED, "
            "ident bigint GENERATED ALWAYS AS IDENTITY); "
            "INSERT INTO every_type(id, i, bi, si, num, r, d, b, t, vc, dt, tm, ts, tz, iv, u, j, jb, blob, ints, "
            "txt, m, p, odd) VALUES "
            "(1, -2147483648, 9223372036854775807, -32768, repeat('9', 1000)::numeric, 'NaN', 'Infinity', "
            "false, E'\\u00fcn\\u00efcode \\u2713 \\U0001D11E\\ttab\\nline', '0123456789', '2024-02-29', "
            "'23:59:59.999999', '1999-12-31 23:59:59.999999', '2026-10-25 02:30:00+02', "
            "'1 year 2 mons -3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
            "'{\"a\":  [1, 2.50, \"\\u00e9\"], \"a\": 2}', '{\"e\": \"\\u00e9\\ud83d\\ude00\", \"n\": 1e400}', "
            "decode(repeat('00ff41c3', 262144), 'hex'), '{}', '{NULL,NULL}', 'happy', 1, '(1.5,-2)'), "
            "(2, 2147483647, -9223372036854775808, 32767, ('-0.' || repeat('0', 998) || '1')::numeric, "
            "'-Infinity', '-0', true, '', '', '0044-03-15 BC', '00:00:00', '2026-03-29 02:30:00', "
            "'2026-10-25 02:30:00+01', '-00:00:00.000001', '00000000-0000-0000-0000-000000000000', '[]', "
            "'{\"deep\": [[[[[\"x\"]]]]], \"big\": 123456789012345678901234567890.5}', '\\x', "
            "'{NULL,1,-2}', '{\"a,b\",\"c\\\"d\",\"\",NULL}', 'sad', 2147483647, '(0,0)'), "
            "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"_s);
    }

    // psql's text of each cell of a row, "NULL" for NULL (no fixture value is that text); with
    // `asBytes`, the bytes behind it where text could hide a difference (a float's binary form, a
    // bytea's digest) and the text's digest for every other type. One psql call per row: JSON keeps
    // tabs, newlines and NULLs apart.
    QHash<QString, QString> serverRow(int id, const QStringList& columns, bool asBytes = false)
    {
        QStringList cells;
        for (const QString& column : columns) {
            cells << (!asBytes                  ? column + u"::text"_s
                          : column == u"r"_s    ? u"encode(float4send(r), 'hex')"_s
                          : column == u"d"_s    ? u"encode(float8send(d), 'hex')"_s
                          : column == u"blob"_s ? u"md5(blob)"_s
                                                : u"md5(%1::text)"_s.arg(column));
        }
        const QByteArray json
            = sql(u"SELECT json_build_array(%1) FROM every_type WHERE id = %2"_s.arg(cells.join(u", "_s)).arg(id))
                  .toUtf8();
        const QJsonArray values = QJsonDocument::fromJson(json).array();
        QHash<QString, QString> row;
        for (int i = 0; i < columns.size(); ++i)
            row.insert(columns.at(i), values.at(i).isNull() ? u"NULL"_s : values.at(i).toString());
        return row;
    }

    QString gridText(int id, const QString& column)
    {
        const QVariant value = model()->index(rowOfId(id), model()->record().indexOf(column)).data(Qt::EditRole);
        return value.isNull() ? u"NULL"_s : ValueText::of(value);
    }

    int rowOfId(int id) { return model()->rowForKey(RowKey(id)); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        setUpDatabase();
    }

    void init() { createFixture(); }

    void cleanup() { closeWindow(); }

    // Every cell the grid holds is psql's text of it, to the character.
    void everyCellReadsAsTheServerWritesIt()
    {
        openTable(u"every_type"_s);
        QVERIFY(!m_window->isReadOnly());
        QCOMPARE(model()->serverRowCount(), 3);
        const QStringList columns = typedColumns + QStringList{ u"g"_s, u"ident"_s };
        for (int id = 1; id <= 3; ++id) {
            const QHash<QString, QString> expected = serverRow(id, columns);
            QCOMPARE(expected.size(), columns.size());
            for (const QString& column : columns) {
                QVERIFY2(gridText(id, column) == expected.value(column),
                         qPrintable(u"row %1, %2: grid %3, psql %4"_s.arg(id).arg(
                             column, gridText(id, column).left(200), expected.value(column).left(200))));
            }
        }
    }

    // Each typed cell of row 1 takes row 2's text, and of row 2 row 1's, as typed into an editor;
    // row 3's NULLs take row 1's. After one save psql holds the swapped values, as text and as
    // bytes; the generated column follows, the identity column is not editable.
    void everyCellRoundTripsThroughTheGrid()
    {
        QList<QHash<QString, QString>> before; // rows 1, 2, 3
        QList<QHash<QString, QString>> bytesBefore;
        for (int id = 1; id <= 3; ++id) {
            before << serverRow(id, typedColumns);
            bytesBefore << serverRow(id, typedColumns, true);
        }
        openTable(u"every_type"_s);
        const int generated = model()->record().indexOf(u"g"_s);
        const int identity = model()->record().indexOf(u"ident"_s);
        QVERIFY(!(model()->flags(model()->index(0, generated)) & Qt::ItemIsEditable));
        QVERIFY(!(model()->flags(model()->index(0, identity)) & Qt::ItemIsEditable));
        for (const QString& column : typedColumns) {
            const int index = model()->record().indexOf(column);
            const auto put = [&](int id, const QString& text) {
                const QModelIndex cell = model()->index(rowOfId(id), index);
                QVERIFY2(model()->flags(cell) & Qt::ItemIsEditable, qPrintable(column));
                QVERIFY2(model()->setData(cell, text == u"NULL"_s ? QVariant() : QVariant(text)),
                         qPrintable(u"%1 of row %2: %3"_s.arg(column).arg(id).arg(model()->lastSaveError())));
            };
            put(1, before.at(1).value(column));
            put(2, before.at(0).value(column));
            put(3, before.at(0).value(column));
        }
        action("actionSave")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY2(!model()->hasPendingChanges(), qPrintable(model()->lastSaveError()));
        const QList<int> sources{ 1, 0, 0 }; // whose values rows 1, 2 and 3 took
        for (int id = 1; id <= 3; ++id) {
            const QHash<QString, QString> text = serverRow(id, typedColumns);
            const QHash<QString, QString> bytes = serverRow(id, typedColumns, true);
            for (const QString& column : typedColumns) {
                QVERIFY2(text.value(column) == before.at(sources.at(id - 1)).value(column),
                         qPrintable(u"row %1, %2: %3"_s.arg(id).arg(column, text.value(column).left(200))));
                QVERIFY2(bytes.value(column) == bytesBefore.at(sources.at(id - 1)).value(column),
                         qPrintable(u"row %1, %2 as bytes"_s.arg(id).arg(column)));
            }
        }
        QCOMPARE(sql(u"SELECT string_agg(g::text, ',' ORDER BY id) FROM every_type"_s),
                 u"4294967294,-4294967296,-4294967296"_s);
        // What the grid shows after the save's reload is what the server holds.
        for (int id = 1; id <= 3; ++id) {
            const QHash<QString, QString> text = serverRow(id, typedColumns);
            for (const QString& column : typedColumns)
                QVERIFY2(gridText(id, column) == text.value(column), qPrintable(column));
        }
    }
};

QTEST_MAIN(TestEveryType)
#include "tst_everytype.moc"
