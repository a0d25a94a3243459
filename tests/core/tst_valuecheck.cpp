#include "TestServer.h"
#include "table/ValueCheck.h"

#include <QTest>

using namespace Qt::StringLiterals;

// Issue 20, types: the editor refuses a uuid, a json or a too long varchar before the server
// does. A check that refused what the server takes would stop a user from saving a good value,
// so every verdict is compared with the server's own: the same text cast to the same type.
class TestValueCheck : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_valuecheck"_s;

    struct Case
    {
        QString type;
        QString text;
    };

    // The server's verdict on each case, by one statement: whether the text casts to the type.
    QList<bool> serverTakes(const QList<Case>& cases)
    {
        QStringList rows;
        for (qsizetype i = 0; i < cases.size(); ++i) {
            [&] { QVERIFY2(!cases.at(i).text.contains(u"$v$"_s), "a case may not hold the quote"); }();
            rows << u"(%1, $v$%2$v$, '%3')"_s.arg(i).arg(cases.at(i).text, cases.at(i).type);
        }
        // As a save writes it: the text as an untyped literal into a column of the type, where an
        // explicit cast would cut a too long varchar without a word.
        const QString answer
            = m_server
                  .checkedPsql(
                      m_database,
                      u"CREATE FUNCTION pg_temp.takes(t text, ty text) RETURNS boolean AS $f$ "
                      "BEGIN EXECUTE format('CREATE TEMP TABLE IF NOT EXISTS %I (v %s)', 'p' || md5(ty), ty); "
                      "EXECUTE format('INSERT INTO %I VALUES (%L)', 'p' || md5(ty), t); RETURN true; "
                      "EXCEPTION WHEN others THEN RETURN false; END $f$ LANGUAGE plpgsql; "
                      "SELECT string_agg(pg_temp.takes(t, ty)::text, ',' ORDER BY n) FROM (VALUES %1) v(n, t, ty)"_s
                          .arg(rows.join(u", "_s)))
                  .split(u'\n')
                  .last(); // after CREATE FUNCTION's tag
        QList<bool> verdicts;
        for (const QString& verdict : answer.split(u','))
            verdicts << (verdict == u"true");
        return verdicts;
    }

    // Each case's verdict here must be the server's; returns how many the server took.
    int compareWithServer(const QList<Case>& cases)
    {
        const QList<bool> server = serverTakes(cases);
        [&] { QCOMPARE(server.size(), cases.size()); }();
        int taken = 0;
        QStringList disagreements;
        for (qsizetype i = 0; i < cases.size() && i < server.size(); ++i) {
            const QString problem = ValueCheck(cases.at(i).type).problem(cases.at(i).text);
            if (problem.isEmpty() != server.at(i))
                disagreements << u"%1 '%2': server %3, check says \"%4\""_s.arg(
                    cases.at(i).type, cases.at(i).text, server.at(i) ? u"takes it"_s : u"refuses it"_s, problem);
            taken += server.at(i) ? 1 : 0;
        }
        [&] { QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(u"\n"_s))); }();
        return taken;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void uuidAsTheServerReadsIt()
    {
        const QStringList texts{
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"_s,
            u"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"_s,
            u"a0eebc999c0b4ef8bb6d6bb9bd380a11"_s,
            u"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"_s,
            u"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"_s,
            u""_s,
            u" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 "_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g"_s,
            u"a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-"_s,
            u"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"_s,
            u"{}"_s,
            u"not a uuid"_s,
            u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1１"_s, // a full-width digit
        };
        QList<Case> cases;
        for (const QString& text : texts)
            cases << Case{ u"uuid"_s, text };
        QCOMPARE(compareWithServer(cases), 6);
    }

    void jsonAsTheServerParsesIt()
    {
        const QStringList texts{
            u"1"_s,
            u" \"a\" "_s,
            u"1e400"_s,
            u"-0"_s,
            u"-0.5E+3"_s,
            u"{\"a\": 1, \"a\": 2}"_s,
            u"[]"_s,
            u"{}"_s,
            u"\n[true, false, null]\r\n"_s,
            u"\"\\ud83d\\ude00\""_s,
            u"\"\\u00e9\\/\\b\\f\\n\\r\\t\\\\\\\"\""_s,
            u"\"é ✓ 😀\""_s,
            u"\"\\u0000\""_s,
            u"\"\\ud800\""_s,
            u"\"\\ude00\""_s,
            u"\"\\ud83d\\u0041\""_s,
            u"\"\\ud83dx\""_s,
            u"[1,]"_s,
            u"{\"a\" 1}"_s,
            u"{a: 1}"_s,
            u"tru"_s,
            u"True"_s,
            u"nulls"_s,
            u"01"_s,
            u"1."_s,
            u".5"_s,
            u"1e"_s,
            u"+1"_s,
            u"1abc"_s,
            u"NaN"_s,
            u"[1] x"_s,
            u""_s,
            u"  "_s,
            u"\"a\tb\""_s,
            u"\"unclosed"_s,
            u"\"\\x\""_s,
            u"\"\\u12\""_s,
            u"\"\\u0x12\""_s,
            u"\"\\u+123\""_s,
            u"[1 2]"_s,
            u"{\"a\":1,}"_s,
            u"\u00a0 1"_s,
            u"[[[[[]]]]]"_s,
            u"{\"k\": {\"l\": [1, {\"m\": null}]}}"_s,
        };
        QList<Case> cases;
        for (const QString& type : { u"json"_s, u"jsonb"_s }) {
            for (const QString& text : texts)
                cases << Case{ type, text };
        }
        // jsonb takes 14 of them; json those, \u0000 and the four unpaired surrogates (it keeps the
        // text as typed and checks only each escape's form).
        QCOMPARE(compareWithServer(cases), 14 + 5 + 14);
    }

    void charactersUpToTheLimit()
    {
        QList<Case> cases;
        for (const QString& type : { u"character varying(3)"_s, u"character(3)"_s }) {
            for (const QString& text :
                 { u""_s, u"abc"_s, u"abcd"_s, u"abc   "_s, u"ab c"_s, u"😀😀😀"_s, u"😀😀😀😀"_s, u"é́ab"_s, u"a\tb c"_s })
                cases << Case{ type, text };
        }
        QCOMPARE(compareWithServer(cases), 2 * 4);
    }

    // An array's braces, commas and quotes, and its elements by their own type's rule.
    void arraysAsTheServerReadsThem()
    {
        const QStringList shapes{ u"{}"_s,
                                  u" { } "_s,
                                  u"{a,b}"_s,
                                  u"{ a , b }"_s,
                                  u"{\"a, b\",NULL,\"\",\"NULL\"}"_s,
                                  u"{\"c\\\"d\",e\\,f}"_s,
                                  u"{{a,b},{c,d}}"_s,
                                  u"{{{{{{a}}}}}}"_s,
                                  u"{{{{{{{a}}}}}}}"_s,
                                  u"a,b"_s,
                                  u""_s,
                                  u"{a,b"_s,
                                  u"{a,b}}"_s,
                                  u"{a,b} x"_s,
                                  u"{a,,b}"_s,
                                  u"{,}"_s,
                                  u"{a,}"_s,
                                  u"{\"a}"_s,
                                  u"{a\\"_s,
                                  u"{{a},{b}}x"_s,
                                  u"{{a} {b}}"_s,
                                  u"{a{b}}"_s };
        QList<Case> cases;
        for (const QString& text : shapes)
            cases << Case{ u"text[]"_s, text };
        const QString uuid = u"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"_s;
        for (const QString& text : { u"{%1, NULL}"_s.arg(uuid), u"{\"%1\"}"_s.arg(uuid), u"{%1x}"_s.arg(uuid),
                                     u"{\"\"}"_s, u"{{%1},{nope}}"_s.arg(uuid) })
            cases << Case{ u"uuid[]"_s, text };
        for (const QString& text : { u"{abc,\"ab \"}"_s, u"{abcd}"_s, u"{\"a,bc\"}"_s, u"{ abc  }"_s, u"{\"abc  \"}"_s,
                                     u"{\"abcd  \"}"_s, u"{\"😀😀😀\"}"_s })
            cases << Case{ u"character varying(3)[]"_s, text };
        for (const QString& text : { u"{1,2,NULL}"_s, u"{{1},{2}}"_s })
            cases << Case{ u"integer[]"_s, text };
        QCOMPARE(compareWithServer(cases), 8 + 2 + 4 + 2);
        // Left to the server: what releases read differently, dimension decorations, elements of
        // types not checked here.
        QVERIFY(ValueCheck(u"integer[]"_s).problem(u"{1 2}"_s).isEmpty());
        QVERIFY(ValueCheck(u"text[]"_s).problem(u"{a\"b,c\"d}"_s).isEmpty());
        QVERIFY(ValueCheck(u"integer[]"_s).problem(u"[0:1]={1,2}"_s).isEmpty());
        QVERIFY(ValueCheck(u"text[]"_s).problem(u"{a,b"_s).contains(u"not closed"_s));
        QVERIFY(ValueCheck(u"uuid[]"_s).problem(u"{x}"_s).startsWith(u"Element 1 of the array: Not a UUID."_s));
        QVERIFY(!ValueCheck(u"box[]"_s).checks());
        // A type of its own may split its arrays by another character (PostGIS's geometry by ':').
        QVERIFY(!ValueCheck(u"geometry[]"_s).checks());
        QVERIFY(!ValueCheck(u"mood[]"_s).checks());
        for (const QString& type : { u"numeric(10,2)[]"_s, u"timestamp(3) with time zone[]"_s, u"\"char\"[]"_s,
                                     u"interval year to month[]"_s, u"bit varying(4)[]"_s })
            QVERIFY2(ValueCheck(type).checks(), qPrintable(type));
    }

    // The words a user reads, and types left to the server.
    void saysWhyAndLeavesOtherTypesAlone()
    {
        QVERIFY(ValueCheck(u"json"_s).problem(u"[1,]"_s).contains(u"at character 4:"_s));
        // On several lines: the line, and the character within it.
        QCOMPARE(ValueCheck(u"json"_s).problem(u"{\n  \"a\": tru\n}"_s),
                 u"Not valid JSON at line 2, character 8: only true, false and null are written without quotes."_s);
        QVERIFY(ValueCheck(u"json"_s).problem(u"[\"😀\", x]"_s).contains(u"at character 7:"_s)); // not 8
        QVERIFY(ValueCheck(u"json"_s).problem(u"[1,\n"_s).startsWith(u"Not valid JSON at line 2, character 1:"_s));
        // Without the English plural forms this suite does not load: "character(s)".
        const QString tooLong = ValueCheck(u"character varying(3)"_s).problem(u"abcdé"_s);
        QVERIFY2(tooLong.startsWith(u"Too long for character varying(3): it takes at most 3 "_s)
                     && tooLong.endsWith(u", this has 5."_s),
                 qPrintable(tooLong));
        QVERIFY(ValueCheck(u"character varying(40)"_s).hint().startsWith(u"At most 40 "_s));
        QVERIFY(ValueCheck(u"uuid"_s).problem(u"x"_s).startsWith(u"Not a UUID."_s));
        for (const QString& type : { u"text"_s, u"integer"_s, u"character varying"_s, u"box[]"_s, u"my_domain"_s }) {
            const ValueCheck check(type);
            QVERIFY2(!check.checks(), qPrintable(type));
            QVERIFY(check.hint().isEmpty());
            QVERIFY(check.problem(u"{not [anything"_s).isEmpty());
        }
        // A megabyte of '[' is left to the server, not a crash here.
        QVERIFY(ValueCheck(u"json"_s).problem(QString(1 << 20, u'[')).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestValueCheck)
#include "tst_valuecheck.moc"
