// Clipboard text as the grid copies and pastes it (TabSeparatedText), with no window: the exact
// text written, what is read back from text other programs put on the clipboard, and round trips.
#include "editing/TabSeparatedText.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

using Rows = QList<QStringList>;

class TestTabSeparatedText : public QObject
{
    Q_OBJECT

private slots:
    void format_data()
    {
        QTest::addColumn<Rows>("rows");
        QTest::addColumn<QString>("text");

        QTest::newRow("grid") << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } } << u"a\tb\nc\td"_s;
        QTest::newRow("no trailing newline") << Rows{ { u"a"_s } } << u"a"_s;
        QTest::newRow("ragged rows") << Rows{ { u"a"_s }, { u"b"_s, u"c"_s, u"d"_s } } << u"a\nb\tc\td"_s;
        QTest::newRow("empty fields") << Rows{ { u""_s, u"x"_s, u""_s } } << u"\tx\t"_s;
        QTest::newRow("spaces kept") << Rows{ { u" a "_s } } << u" a "_s;
        // Only fields that would be misread are quoted.
        QTest::newRow("tab quoted") << Rows{ { u"a\tb"_s } } << u"\"a\tb\""_s;
        QTest::newRow("newline quoted") << Rows{ { u"a\nb"_s } } << u"\"a\nb\""_s;
        QTest::newRow("CR quoted") << Rows{ { u"a\rb"_s } } << u"\"a\rb\""_s;
        QTest::newRow("quotes doubled inside quotes")
            << Rows{ { u"say \"hi\"\tthere"_s } } << u"\"say \"\"hi\"\"\tthere\""_s;
        QTest::newRow("leading quote quoted") << Rows{ { u"\"q"_s } } << u"\"\"\"q\""_s;
        QTest::newRow("inner quote left alone") << Rows{ { u"5\" disk"_s } } << u"5\" disk"_s;
        QTest::newRow("unicode") << Rows{ { u"Zoë"_s, u"日本"_s } } << u"Zoë\t日本"_s;
        QTest::newRow("nothing") << Rows{} << QString();
    }

    void format()
    {
        QFETCH(Rows, rows);
        QFETCH(QString, text);
        QCOMPARE(TabSeparatedText::format(rows), text);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Rows>("rows");

        QTest::newRow("grid") << u"a\tb\nc\td"_s << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        // Spreadsheets end the last row with a newline; it does not add an empty row.
        QTest::newRow("trailing newline") << u"a\tb\nc\td\n"_s << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        QTest::newRow("CRLF") << u"a\tb\r\nc\td\r\n"_s << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        QTest::newRow("lone CR") << u"a\rb"_s << Rows{ { u"a"_s }, { u"b"_s } };
        QTest::newRow("blank line in the middle") << u"a\n\nb"_s << Rows{ { u"a"_s }, { u""_s }, { u"b"_s } };
        QTest::newRow("ragged rows") << u"a\nb\tc\td"_s << Rows{ { u"a"_s }, { u"b"_s, u"c"_s, u"d"_s } };
        QTest::newRow("trailing tab") << u"a\t"_s << Rows{ { u"a"_s, u""_s } };
        QTest::newRow("only a tab") << u"\t"_s << Rows{ { u""_s, u""_s } };
        QTest::newRow("only a newline") << u"\n"_s << Rows{ { u""_s } };
        QTest::newRow("nothing") << QString() << Rows{};
        QTest::newRow("spaces kept") << u" a \t b "_s << Rows{ { u" a "_s, u" b "_s } };
        // Quoted fields keep tabs, newlines (CRLF too) and doubled quotes.
        QTest::newRow("quoted tab and newline") << u"\"a\tb\nc\"\td"_s << Rows{ { u"a\tb\nc"_s, u"d"_s } };
        QTest::newRow("quoted CRLF kept") << u"\"a\r\nb\"\r\nc"_s << Rows{ { u"a\r\nb"_s }, { u"c"_s } };
        QTest::newRow("doubled quotes") << u"\"say \"\"hi\"\"\""_s << Rows{ { u"say \"hi\""_s } };
        QTest::newRow("quoted empty field") << u"\"\""_s << Rows{ { u""_s } };
        QTest::newRow("quoted empty field, trailing newline") << u"\"\"\n"_s << Rows{ { u""_s } };
        // A quote that does not start a field is a character.
        QTest::newRow("inner quote") << u"5\" disk\tx"_s << Rows{ { u"5\" disk"_s, u"x"_s } };
        // Text right after a closing quote joins the field.
        QTest::newRow("text after closing quote") << u"\"a\"b\tc"_s << Rows{ { u"ab"_s, u"c"_s } };
        // A quote that never closes opened nothing: the text is taken as it is, never dropped.
        QTest::newRow("unterminated quote") << u"\"; DELETE FROM t"_s << Rows{ { u"\"; DELETE FROM t"_s } };
        QTest::newRow("unterminated quote after whole rows")
            << u"a\tb\n\"c\td\ne"_s << Rows{ { u"a"_s, u"b"_s }, { u"\"c"_s, u"d"_s }, { u"e"_s } };
        QTest::newRow("unterminated quote after a quoted field")
            << u"\"x\ty\"\t\"z"_s << Rows{ { u"x\ty"_s, u"\"z"_s } };
        QTest::newRow("unterminated quote with doubled quotes") << u"\"a\"\"b"_s << Rows{ { u"\"a\"\"b"_s } };
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(Rows, rows);
        QCOMPARE(TabSeparatedText::parse(text), rows);
    }

    void parseCsv_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Rows>("rows");

        QTest::newRow("grid") << u"a,b\nc,d\n"_s << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        QTest::newRow("CRLF") << u"a,b\r\nc,d\r\n"_s << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        QTest::newRow("quoted comma, newline and quote")
            << u"\"Smith, John\",\"two\nlines\",\"say \"\"hi\"\"\"\n"_s
            << Rows{ { u"Smith, John"_s, u"two\nlines"_s, u"say \"hi\""_s } };
        QTest::newRow("tab is a character") << u"a\tb,c"_s << Rows{ { u"a\tb"_s, u"c"_s } };
        QTest::newRow("empty and quoted empty") << u",\"\",x"_s << Rows{ { u""_s, u""_s, u"x"_s } };
        QTest::newRow("unterminated quote") << u"\"a,b"_s << Rows{ { u"\"a"_s, u"b"_s } };
    }

    void parseCsv()
    {
        QFETCH(QString, text);
        QFETCH(Rows, rows);
        QCOMPARE(TabSeparatedText::parseCsv(text), rows);
    }

    void parsePasted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("csv");
        QTest::addColumn<Rows>("rows");

        // Spreadsheets copy tab-separated text, quoting fields that hold a newline ("a""b").
        QTest::newRow("spreadsheet cells") << u"\"two\nlines\"\t\"say \"\"hi\"\"\"\nx, y\tz"_s << false
                                           << Rows{ { u"two\nlines"_s, u"say \"hi\""_s }, { u"x, y"_s, u"z"_s } };
        QTest::newRow("CSV with a quoted field")
            << u"\"Smith, John\",\"a\nb\""_s << true << Rows{ { u"Smith, John"_s, u"a\nb"_s } };
        QTest::newRow("CSV lines of equal width")
            << u"1,alice\n2,bob\n"_s << true << Rows{ { u"1"_s, u"alice"_s }, { u"2"_s, u"bob"_s } };
        // A line of text with a comma is a name, not two cells.
        QTest::newRow("one line with a comma") << u"Smith, John"_s << false << Rows{ { u"Smith, John"_s } };
        QTest::newRow("lines of unequal width")
            << u"Smith, John\nDoe"_s << false << Rows{ { u"Smith, John"_s }, { u"Doe"_s } };
        QTest::newRow("plain list") << u"alice\nbob"_s << false << Rows{ { u"alice"_s }, { u"bob"_s } };
        QTest::newRow("unterminated quote is no CSV") << u"\"a, b"_s << false << Rows{ { u"\"a, b"_s } };
        QTest::newRow("nothing") << QString() << false << Rows{};
    }

    void parsePasted()
    {
        QFETCH(QString, text);
        QFETCH(bool, csv);
        QFETCH(Rows, rows);
        const TabSeparatedText::Pasted pasted = TabSeparatedText::parsePasted(text);
        QCOMPARE(pasted.csv, csv);
        QCOMPARE(pasted.rows, rows);
    }

    void roundTrip_data()
    {
        QTest::addColumn<Rows>("rows");

        QTest::newRow("grid") << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } };
        QTest::newRow("every special character") << Rows{
            { u"tab\there"_s, u"line\nbreak"_s, u"cr\rlf\r\n"_s, u"\"leading"_s, u"inner\"quote"_s, u"\""_s },
            { u"\"\""_s, u"\t"_s, u"\n"_s, u"  spaces  "_s, u"Zoë 日本"_s, u"'; DROP TABLE t; --"_s },
        };
        QTest::newRow("ragged") << Rows{ { u"a"_s }, { u"b"_s, u"c"_s }, { u"d"_s, u"e"_s, u"f"_s } };
        QTest::newRow("empty fields inside a row") << Rows{ { u""_s, u"x"_s, u""_s }, { u""_s, u""_s } };
        QTest::newRow("empty row in the middle") << Rows{ { u"a"_s }, { u""_s }, { u"b"_s } };
        // The text cannot tell one empty field from no field, nor a final empty row from the newline
        // that ends the row before it: copying one empty cell, or a column whose last cell is empty,
        // pastes one row less (see the report on issue 13).
        QTest::newRow("one empty cell") << Rows{ { u""_s } };
        QTest::newRow("last row one empty cell") << Rows{ { u"a"_s }, { u""_s } };
    }

    void roundTrip()
    {
        QFETCH(Rows, rows);
        QCOMPARE(TabSeparatedText::parse(TabSeparatedText::format(rows)), rows);
    }

    void nullAndEmpty()
    {
        // The clipboard text has no NULL: the grid copies NULL as its text, the empty string
        // (GridClipboard::copySelection() takes QVariant::toString()), and a pasted empty field
        // stages an empty string.
        QCOMPARE(TabSeparatedText::format({ { QString(), u""_s, u"x"_s } }), u"\t\tx"_s);
        const Rows rows = TabSeparatedText::parse(u"\t\"\"\tx"_s);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.at(0).size(), 3);
        QVERIFY(rows.at(0).at(0).isEmpty());
        QVERIFY(rows.at(0).at(1).isEmpty());
        // The empty fields come back as empty, not null, QStrings: QtSql binds a null QString as
        // NULL (tst_editing checks what the server stores).
        QVERIFY(!rows.at(0).at(0).isNull());
        QVERIFY(!rows.at(0).at(1).isNull());
    }

    void largeInput()
    {
        // 20k rows of 5 fields, some quoted, there and back.
        Rows rows;
        rows.reserve(20000);
        for (int i = 0; i < 20000; ++i) {
            rows.append({ QString::number(i), u"name %1"_s.arg(i), i % 7 == 0 ? u"with\ttab"_s : u"plain"_s,
                          i % 11 == 0 ? u"two\nlines"_s : QString(), u"say \"%1\""_s.arg(i) });
        }
        const QString text = TabSeparatedText::format(rows);
        QCOMPARE(TabSeparatedText::parse(text), rows);

        // One field of 1 MB in quotes, and the same without its closing quote.
        const QString big(1024 * 1024, u'x');
        QCOMPARE(TabSeparatedText::parse(u'"' + big + u"\t\n\""_s), Rows{ { big + u"\t\n"_s } });
        const Rows unterminated = TabSeparatedText::parse(u'"' + big + u"\tend"_s);
        QCOMPARE(unterminated, (Rows{ { u'"' + big, u"end"_s } }));
    }

    void hostileInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expectedRows");

        const int n = 50000;
        QTest::newRow("quotes only") << QString(n, u'"') << 1;
        QTest::newRow("tab-quote pairs") << u"\t\""_s.repeated(n) << 1;
        QTest::newRow("quote-newline pairs") << u"\"\n"_s.repeated(n) << n / 2;
        QTest::newRow("unclosed quote per row") << u"\"x\t"_s.repeated(n) << 1;
        QTest::newRow("quote after a literal quote") << u"\"\t\"\""_s.repeated(n) << 1;
        QString random;
        random.reserve(n);
        QRandomGenerator generator(20240613);
        const QString alphabet = u"\"\"\t\n\rab"_s;
        for (int i = 0; i < n; ++i)
            random += alphabet.at(generator.bounded(alphabet.size()));
        QTest::newRow("random quotes, tabs and breaks") << random << -1;
    }

    void hostileInput()
    {
        // Finishes (a rescan per unclosed quote must not turn quadratic) and loses no text: every
        // character comes back except the quoting and the breaks between fields.
        QFETCH(QString, text);
        QFETCH(int, expectedRows);
        const Rows rows = TabSeparatedText::parse(text);
        if (expectedRows >= 0)
            QCOMPARE(rows.size(), expectedRows);
        qsizetype letters = 0;
        for (const QStringList& row : rows) {
            for (const QString& field : row)
                letters += field.count(u'a') + field.count(u'b') + field.count(u'x');
        }
        QCOMPARE(letters, text.count(u'a') + text.count(u'b') + text.count(u'x'));
    }
};

QTEST_GUILESS_MAIN(TestTabSeparatedText)
#include "tst_tabseparatedtext.moc"
