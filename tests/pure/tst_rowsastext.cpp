// The grid's cells as the Copy and Copy as commands write them (RowsAsText), with no window: the
// exact text of each format for values that trip formats up (tabs, quotes, commas, newlines,
// pipes, backslashes, unicode), NULL beside the empty string, and a bigint past 2^53.
#include "editing/RowsAsText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
// NULL as the model holds it: a null QVariant of the column's type.
QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

RowsAsText tutorialRows()
{
    return RowsAsText({ { u"id"_s, true }, { u"name"_s, false }, { u"date"_s, false } },
                      {
                          { QVariant(qulonglong(9007199254740993ULL)), u"alice"_s, u"2024-03-10 02:30:00.123456"_s },
                          { QVariant(qlonglong(-2)), nullText(), u"2024-05-01 10:00:00"_s },
                          { QVariant(qlonglong(3)), u""_s, QVariant() },
                          { QVariant(qlonglong(4)), u"a\tb, \"c\"\nd | e \\ f"_s, u"2024-05-03 10:00:00"_s },
                          { QVariant(qlonglong(5)), u"Zoë 🐘 O'Brien"_s, u"42"_s },
                      });
}
} // namespace

class TestRowsAsText : public QObject
{
    Q_OBJECT

private slots:
    void tabSeparated()
    {
        // NULL and '' are both an empty field: tab-separated text cannot tell them apart.
        const QString body = u"9007199254740993\talice\t2024-03-10 02:30:00.123456\n"
                             "-2\t\t2024-05-01 10:00:00\n"
                             "3\t\t\n"
                             "4\t\"a\tb, \"\"c\"\"\nd | e \\ f\"\t2024-05-03 10:00:00\n"
                             "5\tZoë 🐘 O'Brien\t42"_s;
        QCOMPARE(tutorialRows().tabSeparated(false), body);
        QCOMPARE(tutorialRows().tabSeparated(true), u"id\tname\tdate\n"_s + body);
    }

    void csv()
    {
        QCOMPARE(tutorialRows().csv(),
                 u"id,name,date\n"
                 "9007199254740993,alice,2024-03-10 02:30:00.123456\n"
                 "-2,,2024-05-01 10:00:00\n"
                 "3,\"\",\n"
                 "4,\"a\tb, \"\"c\"\"\nd | e \\ f\",2024-05-03 10:00:00\n"
                 "5,Zoë 🐘 O'Brien,42\n"_s);
    }

    void json()
    {
        const QString text = tutorialRows().json();
        QCOMPARE(text,
                 u"[\n"
                 "  {\"id\": 9007199254740993, \"name\": \"alice\", \"date\": \"2024-03-10 02:30:00.123456\"},\n"
                 "  {\"id\": -2, \"name\": null, \"date\": \"2024-05-01 10:00:00\"},\n"
                 "  {\"id\": 3, \"name\": \"\", \"date\": null},\n"
                 "  {\"id\": 4, \"name\": \"a\\tb, \\\"c\\\"\\nd | e \\\\ f\", \"date\": \"2024-05-03 10:00:00\"},\n"
                 "  {\"id\": 5, \"name\": \"Zoë 🐘 O'Brien\", \"date\": \"42\"}\n"
                 "]\n"_s);
        // A JSON reader takes it, with the values and nulls where they were.
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray rows = document.array();
        QCOMPARE(rows.size(), 5);
        QVERIFY(rows.at(1).toObject().value(u"name"_s).isNull());
        QCOMPARE(rows.at(2).toObject().value(u"name"_s).toString(), u""_s);
        QCOMPARE(rows.at(3).toObject().value(u"name"_s).toString(), u"a\tb, \"c\"\nd | e \\ f"_s);
        QCOMPARE(rows.at(4).toObject().value(u"name"_s).toString(), u"Zoë 🐘 O'Brien"_s);
        QCOMPARE(rows.at(4).toObject().value(u"date"_s).toString(), u"42"_s);
    }

    void sqlInsert()
    {
        // '' doubling, except where a backslash needs E'...' to read the same under any
        // standard_conforming_strings; the table and columns double-quoted.
        QCOMPARE(tutorialRows().sqlInsert(TableName(u"public"_s, u"my \"odd\" table"_s)),
                 u"INSERT INTO \"public\".\"my \"\"odd\"\" table\" (\"id\", \"name\", \"date\") VALUES "
                 "(9007199254740993, 'alice', '2024-03-10 02:30:00.123456');\n"
                 "INSERT INTO \"public\".\"my \"\"odd\"\" table\" (\"id\", \"name\", \"date\") VALUES "
                 "(-2, NULL, '2024-05-01 10:00:00');\n"
                 "INSERT INTO \"public\".\"my \"\"odd\"\" table\" (\"id\", \"name\", \"date\") VALUES "
                 "(3, '', NULL);\n"
                 "INSERT INTO \"public\".\"my \"\"odd\"\" table\" (\"id\", \"name\", \"date\") VALUES "
                 "(4, E'a\tb, \"c\"\nd | e \\\\ f', '2024-05-03 10:00:00');\n"
                 "INSERT INTO \"public\".\"my \"\"odd\"\" table\" (\"id\", \"name\", \"date\") VALUES "
                 "(5, 'Zoë 🐘 O''Brien', '42');\n"_s);
    }

    void markdown()
    {
        QCOMPARE(tutorialRows().markdown(),
                 u"| id | name | date |\n"
                 "| ---: | --- | --- |\n"
                 "| 9007199254740993 | alice | 2024-03-10 02:30:00.123456 |\n"
                 "| -2 | *NULL* | 2024-05-01 10:00:00 |\n"
                 "| 3 |  | *NULL* |\n"
                 "| 4 | a\tb, \"c\"<br>d \\| e \\\\ f | 2024-05-03 10:00:00 |\n"
                 "| 5 | Zoë 🐘 O'Brien | 42 |\n"_s);
        // The text "*NULL*" and line breaks of every kind.
        const RowsAsText odd({ { u"a|b"_s, false } }, { { u"*NULL*"_s }, { u"x\r\ny\rz"_s } });
        QCOMPARE(odd.markdown(), u"| a\\|b |\n| --- |\n| \\*NULL\\* |\n| x<br>y<br>z |\n"_s);
    }

    void numbersOnlyWhereTheColumnIsANumber()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const RowsAsText rows(
            { { u"n"_s, true }, { u"t"_s, false }, { u"b"_s, false } },
            { { QVariant(1.5), u"007"_s, QVariant(true) },
              { QVariant(nan), u"-1"_s, QVariant(false) },
              { QVariant(QMetaType::fromType<double>()), u"1e3"_s, QVariant(QMetaType::fromType<bool>()) } });
        // A number column's NaN is no JSON number, and text that looks like one stays text.
        QCOMPARE(rows.json(),
                 u"[\n"
                 "  {\"n\": 1.5, \"t\": \"007\", \"b\": true},\n"
                 "  {\"n\": \"NaN\", \"t\": \"-1\", \"b\": false},\n"
                 "  {\"n\": null, \"t\": \"1e3\", \"b\": null}\n"
                 "]\n"_s);
        QCOMPARE(rows.sqlInsert(TableName(QString(), u"t"_s)),
                 u"INSERT INTO \"t\" (\"n\", \"t\", \"b\") VALUES (1.5, '007', true);\n"
                 "INSERT INTO \"t\" (\"n\", \"t\", \"b\") VALUES ('NaN', '-1', false);\n"
                 "INSERT INTO \"t\" (\"n\", \"t\", \"b\") VALUES (NULL, '1e3', NULL);\n"_s);
    }

    void jsonEscapesControlCharacters()
    {
        const RowsAsText rows({ { u"k\"ey"_s, false } }, { { QString(u"\x01\b\f\r"_s + QChar(0x2028) + u"/"_s) } });
        QCOMPARE(rows.json(), u"[\n  {\"k\\\"ey\": \"\\u0001\\b\\f\\r\\u2028/\"}\n]\n"_s);
        QCOMPARE(RowsAsText({ { u"a"_s, false } }, {}).json(), u"[]\n"_s);
    }

    void csvQuotesOnlyWhatNeedsIt()
    {
        const RowsAsText rows({ { u"a,b"_s, false }, { u"c"_s, false } },
                              { { u" spaced "_s, u"\\."_s }, { u"cr\rhere"_s, u"x\"y"_s } });
        QCOMPARE(rows.csv(), u"\"a,b\",c\n spaced ,\"\\.\"\n\"cr\rhere\",\"x\"\"y\"\n"_s);
    }

    // An unsaved new row's id and date are the server's to fill in: NULL would fail the NOT NULL
    // date, so SQL says DEFAULT, JSON leaves them out, and Markdown names them.
    void serverDefaultsStayTheServers()
    {
        const RowsAsText rows({ { u"id"_s, true }, { u"name"_s, false }, { u"date"_s, false } },
                              { { RowsAsText::serverDefault(), u"new"_s, RowsAsText::serverDefault() },
                                { QVariant(qlonglong(7)), nullText(), u"2024-05-01 10:00:00"_s } });
        QVERIFY(RowsAsText::isServerDefault(RowsAsText::serverDefault()));
        QVERIFY(!RowsAsText::isServerDefault(nullText()));
        QCOMPARE(
            rows.sqlInsert(TableName(u"public"_s, u"my_table"_s)),
            u"INSERT INTO \"public\".\"my_table\" (\"id\", \"name\", \"date\") VALUES (DEFAULT, 'new', DEFAULT);\n"
            "INSERT INTO \"public\".\"my_table\" (\"id\", \"name\", \"date\") VALUES (7, NULL, '2024-05-01 10:00:00');\n"_s);
        QCOMPARE(rows.json(),
                 u"[\n  {\"name\": \"new\"},\n  {\"id\": 7, \"name\": null, \"date\": \"2024-05-01 10:00:00\"}\n]\n"_s);
        QVERIFY(rows.markdown().contains(u"| *default* | new | *default* |"_s));
        QCOMPARE(rows.tabSeparated(false), u"\tnew\t\n7\t\t2024-05-01 10:00:00"_s);
    }
};

QTEST_GUILESS_MAIN(TestRowsAsText)
#include "tst_rowsastext.moc"
