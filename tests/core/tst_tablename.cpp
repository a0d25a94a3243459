#include "config/TableName.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestTableName : public QObject
{
    Q_OBJECT

private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("display");
        QTest::newRow("plain") << u"my_table"_s << QString() << u"my_table"_s << u"\"my_table\""_s << u"my_table"_s;
        QTest::newRow("folds case") << u"My_Table"_s << QString() << u"my_table"_s << u"\"my_table\""_s
                                    << u"my_table"_s;
        QTest::newRow("schema") << u"public.my_table"_s << u"public"_s << u"my_table"_s << u"\"public\".\"my_table\""_s
                                << u"public.my_table"_s;
        QTest::newRow("quoted mixed case")
            << u"\"MyTable\""_s << QString() << u"MyTable"_s << u"\"MyTable\""_s << u"\"MyTable\""_s;
        QTest::newRow("quoted dot") << u"\"odd schema\".\"a.b\""_s << u"odd schema"_s << u"a.b"_s
                                    << u"\"odd schema\".\"a.b\""_s << u"\"odd schema\".\"a.b\""_s;
        QTest::newRow("embedded quote") << u"\"say \"\"hi\"\"\""_s << QString() << u"say \"hi\""_s
                                        << u"\"say \"\"hi\"\"\""_s << u"\"say \"\"hi\"\"\""_s;
        QTest::newRow("injection stays a name")
            << u"\"x\"\"; DROP TABLE t; --\""_s << QString() << u"x\"; DROP TABLE t; --"_s
            << u"\"x\"\"; DROP TABLE t; --\""_s << u"\"x\"\"; DROP TABLE t; --\""_s;
    }
    void parses()
    {
        QFETCH(QString, text);
        QFETCH(QString, schema);
        QFETCH(QString, name);
        QFETCH(QString, sql);
        QFETCH(QString, display);
        QString error;
        const TableName table = TableName::parse(text, &error);
        QVERIFY2(table.isValid(), qPrintable(error));
        QCOMPARE(table.schema(), schema);
        QCOMPARE(table.name(), name);
        QCOMPARE(table.sql(), sql);
        QCOMPARE(table.display(), display);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("three parts") << u"a.b.c"_s;
        QTest::newRow("unterminated") << u"\"abc"_s;
        QTest::newRow("empty part") << u"a."_s;
        QTest::newRow("text after quote") << u"\"a\"b"_s;
    }
    void rejects()
    {
        QFETCH(QString, text);
        QString error;
        QVERIFY(!TableName::parse(text, &error).isValid());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTableName)
#include "tst_tablename.moc"
