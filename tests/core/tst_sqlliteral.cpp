#include "TestServer.h"

#include "connection/DatabaseSession.h"
#include "connection/DateTimeText.h"
#include "connection/SqlLiteral.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

// SqlLiteral writes values into statements instead of QPSQL's named PREPARE (which a transaction
// pooler breaks); each value must reach the server as exactly itself, whatever the server's
// string settings. DateTimeText must give what `::text` gives under DateStyle ISO, under any
// DateStyle.
class TestSqlLiteral : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    DatabaseSession m_session;

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY2(m_session.open(m_server.settings()), qPrintable(m_session.lastError().fullText()));
    }

    void placeholdersOutsideQuotesOnly()
    {
        QCOMPARE(SqlLiteral::bind(u"SELECT ?, '?', \"a?b\", ? -- ?\n, ?"_s, { 1, u"x"_s, QVariant() }),
                 u"SELECT 1, '?', \"a?b\", E'x' -- ?\n, NULL"_s);
        QCOMPARE(SqlLiteral::bind(u"SELECT 'it''s ?', ?"_s, { true }), u"SELECT 'it''s ?', true"_s);
        // NULL and '' stay apart, as QPSQL binds them.
        QCOMPARE(SqlLiteral::bind(u"SELECT ?, ?"_s, { QVariant(QString()), QVariant(QString::fromUtf8("")) }),
                 u"SELECT NULL, E''"_s);
    }

    void textArrivesAsItself_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quote") << u"O'Brien"_s;
        QTest::newRow("injection") << u"x'); DROP TABLE my_table; --"_s;
        QTest::newRow("backslash") << u"back\\slash\\' or 1=1 --"_s;
        QTest::newRow("dollar") << u"$$ $a$ ?"_s;
        QTest::newRow("question mark") << u"?"_s;
        QTest::newRow("unicode") << u"Zoë 🐘 \u00a0\u200b"_s;
        QTest::newRow("empty") << QString::fromUtf8("");
        QTest::newRow("newline") << u"a\nb\r\n--c"_s;
    }

    void textArrivesAsItself()
    {
        QFETCH(QString, text);
        for (const char* setting : { "on", "off" }) {
            QSqlQuery set(m_session.database());
            // With backslash escapes on, a plain '...' literal would read \' as a quote.
            QVERIFY(set.exec(u"SET standard_conforming_strings = "_s + QLatin1StringView(setting)));
            QSqlQuery query(m_session.database());
            QVERIFY2(SqlLiteral::exec(query, u"SELECT ?::text, length(?::text)"_s, { text, text }) && query.next(),
                     qPrintable(query.lastError().text()));
            QCOMPARE(query.value(0).toString(), text);
            QCOMPARE(query.value(1).toInt(),
                     text.size() - text.count(QRegularExpression(u"[\\x{10000}-\\x{10FFFF}]"_s)));
        }
        QSqlQuery reset(m_session.database());
        QVERIFY(reset.exec(u"RESET standard_conforming_strings"_s));
    }

    void aNulIsRefusedByTheServerNotCutShort()
    {
        QSqlQuery query(m_session.database());
        QVERIFY(!SqlLiteral::exec(query, u"SELECT ?::text, 'after'"_s,
                                  { QString(u"a"_s + QChar(0) + u"'; SELECT 1 --"_s) }));
        QVERIFY2(query.lastError().databaseText().contains(u"0x00"_s), qPrintable(query.lastError().text()));
    }

    void numbersAndNull()
    {
        QSqlQuery query(m_session.database());
        QVERIFY(SqlLiteral::exec(query, u"SELECT ?::bigint, ?::bigint, ?::float8, ? IS NULL, ?::bool"_s,
                                 { qint64(-9223372036854775807LL), quint64(42), 0.1, QVariant(), false })
                && query.next());
        QCOMPARE(query.value(0).toLongLong(), -9223372036854775807LL);
        QCOMPARE(query.value(1).toLongLong(), 42);
        QCOMPARE(query.value(2).toDouble(), 0.1);
        QCOMPARE(query.value(3).toBool(), true);
        QCOMPARE(query.value(4).toBool(), false);
    }

    void dateTimeTextIsIsoUnderAnyDateStyle()
    {
        const QString values
            = u"(VALUES ('2024-03-10 02:30:00.123456'::timestamp, '2024-03-10 02:30:00.1+05:30'::timestamptz, "
              "'2024-03-10'::date), ('2024-03-10 02:30:00', '2024-03-10 02:30:00+00', '0044-03-15 BC'), "
              "('0044-03-15 12:00:00.5 BC', '1900-01-01 00:00:00', 'infinity'), "
              "('infinity', '-infinity', '12345-01-01'), ('2024-01-01', '0044-03-15 10:00:00+00 BC', '2024-01-01')) "
              "v(a, b, c)"_s;
        QSqlQuery iso(m_session.database());
        // A whole-hour offset (UTC here) is printed "+00", also before a BC.
        QVERIFY(iso.exec(u"SET TimeZone = 'UTC'"_s));
        QVERIFY(iso.exec(u"SET DateStyle = 'ISO, MDY'"_s));
        QVERIFY(iso.exec(u"SELECT string_agg(concat_ws('|', a::text, b::text, c::text), ';') FROM "_s + values)
                && iso.next());
        const QString expected = iso.value(0).toString();
        QVERIFY(expected.contains(u"2024-03-10 02:30:00.123456"_s));
        QVERIFY2(expected.contains(u"0044-03-15 10:00:00+00 BC"_s), qPrintable(expected));
        for (const QString& style : { u"SQL, DMY"_s, u"Postgres, MDY"_s, u"German"_s, u"ISO, DMY"_s }) {
            QSqlQuery query(m_session.database());
            QVERIFY(query.exec(u"SET DateStyle = '%1'"_s.arg(style)));
            QVERIFY(query.exec(u"SELECT string_agg(concat_ws('|', "_s + DateTimeText::isoSql(u"a"_s) + u", "_s
                               + DateTimeText::isoSql(u"b"_s) + u", "_s + DateTimeText::isoSql(u"c"_s)
                               + u"), ';') FROM "_s + values)
                    && query.next());
            QCOMPARE(query.value(0).toString(), expected);
        }
        QSqlQuery other(m_session.database());
        QVERIFY(other.exec(u"SELECT "_s + DateTimeText::isoSql(u"'x''y'::text"_s) + u", "_s
                           + DateTimeText::isoSql(u"NULL::timestamp"_s) + u" IS NULL"_s)
                && other.next());
        QCOMPARE(other.value(0).toString(), u"x'y"_s);
        QCOMPARE(other.value(1).toBool(), true);
        QVERIFY(other.exec(u"RESET DateStyle"_s));
        QVERIFY(other.exec(u"RESET TimeZone"_s));
    }
};

QTEST_MAIN(TestSqlLiteral)
#include "tst_sqlliteral.moc"
