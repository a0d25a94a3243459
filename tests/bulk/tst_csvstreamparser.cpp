#include "transfer/CsvStreamParser.h"

#include <QTest>

using namespace Qt::StringLiterals;

// The file formats CsvImporter reads, with no server: every case is fed whole, byte by byte and
// in odd-sized chunks, because the importer reads the file in chunks whose edges fall anywhere
// (inside a quoted field, between a CR and its LF, inside the byte order mark or a UTF-8
// character).
class TestCsvStreamParser : public QObject
{
    Q_OBJECT

private:
    struct Parsed
    {
        QStringList records; // "L<line>: field|field", NULL as ∅, CR and LF shown as \r \n
        bool ok = false;
        qint64 errorLine = 0;
        QString error;
    };

    static QString show(const CsvStreamParser::Record& record)
    {
        QStringList fields;
        for (int i = 0; i < record.size(); ++i) {
            QString text = record.isNull(i) ? u"∅"_s : QString::fromUtf8(record.field(i));
            text.replace(u'\r', u"\\r"_s).replace(u'\n', u"\\n"_s);
            fields << text;
        }
        return u"L"_s + QString::number(record.line()) + u": "_s + fields.join(u'|');
    }

    static Parsed parse(CsvStreamParser::Mode mode, const QByteArray& input, qsizetype chunkSize)
    {
        Parsed parsed;
        CsvStreamParser parser(mode, [&](const CsvStreamParser::Record& record) {
            parsed.records << show(record);
            return true;
        });
        bool ok = true;
        for (qsizetype at = 0; ok && at < input.size(); at += chunkSize)
            ok = parser.feed(QByteArrayView(input).sliced(at, std::min(chunkSize, input.size() - at)));
        parsed.ok = ok && parser.finish();
        parsed.errorLine = parser.errorLine();
        parsed.error = parser.errorMessage();
        return parsed;
    }

    // Every way of cutting the input gives the same records and the same error.
    static void check(CsvStreamParser::Mode mode, const QByteArray& input, const QStringList& expected,
                      qint64 expectedErrorLine)
    {
        const qsizetype chunkSizes[] = { std::max<qsizetype>(input.size(), 1), 1, 2, 3, 5, 7 };
        for (const qsizetype chunkSize : chunkSizes) {
            const Parsed parsed = parse(mode, input, chunkSize);
            const QByteArray where = "chunks of " + QByteArray::number(chunkSize);
            const QByteArray difference = where + ": got\n" + parsed.records.join(u'\n').toUtf8() + "\nexpected\n"
                + expected.join(u'\n').toUtf8();
            QVERIFY2(parsed.records == expected, difference.constData());
            if (expectedErrorLine == 0) {
                const QByteArray why = where + ": " + parsed.error.toUtf8();
                QVERIFY2(parsed.ok, why.constData());
            } else {
                QVERIFY2(!parsed.ok, where.constData());
                QCOMPARE(parsed.errorLine, expectedErrorLine);
                QVERIFY2(parsed.error.startsWith(u"Line "_s + QString::number(expectedErrorLine) + u' '),
                         qPrintable(parsed.error));
            }
        }
    }

private slots:
    void csv_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("records");
        QTest::addColumn<qint64>("errorLine"); // 0: no error

        QTest::newRow("plain") << "name,date\nAnna,2024-01-02\n"_ba
                               << QStringList{ u"L1: name|date"_s, u"L2: Anna|2024-01-02"_s } << qint64(0);
        QTest::newRow("no final newline")
            << "name\nAnna"_ba << QStringList{ u"L1: name"_s, u"L2: Anna"_s } << qint64(0);
        QTest::newRow("quoting") << "name\n\"O\"\"Brien, Jr.\"\n\"a,b\"\n"_ba
                                 << QStringList{ u"L1: name"_s, u"L2: O\"Brien, Jr."_s, u"L3: a,b"_s } << qint64(0);
        QTest::newRow("null vs empty") << "a,b,c\n,\"\",x\n\"\",,\n"_ba
                                       << QStringList{ u"L1: a|b|c"_s, u"L2: ∅||x"_s, u"L3: |∅|∅"_s } << qint64(0);
        QTest::newRow("line breaks inside quotes")
            << "name,n\n\"one\ntwo\",1\n\"three\r\nfour\",2\nlast,3\n"_ba
            << QStringList{ u"L1: name|n"_s, u"L2: one\\ntwo|1"_s, u"L4: three\\r\\nfour|2"_s, u"L6: last|3"_s }
            << qint64(0);
        QTest::newRow("CRLF and BOM") << "\xEF\xBB\xBFname,date\r\nAnna,x\r\nBob,y\r\n"_ba
                                      << QStringList{ u"L1: name|date"_s, u"L2: Anna|x"_s, u"L3: Bob|y"_s }
                                      << qint64(0);
        QTest::newRow("lone CR") << "name\rAnna\rBob"_ba << QStringList{ u"L1: name"_s, u"L2: Anna"_s, u"L3: Bob"_s }
                                 << qint64(0);
        QTest::newRow("empty lines skipped") << "\n\nname\n\nAnna\r\n\r\n\"\"\n"_ba
                                             << QStringList{ u"L3: name"_s, u"L5: Anna"_s, u"L7: "_s } << qint64(0);
        QTest::newRow("spaces kept") << "name\n  a b  \n\" c \"\n"_ba
                                     << QStringList{ u"L1: name"_s, u"L2:   a b  "_s, u"L3:  c "_s } << qint64(0);
        QTest::newRow("utf-8") << "name\n😀 émoji ✓\n\xF4\x8F\xBF\xBF\n\xEF\xBF\xBF\n"_ba
                               << QStringList{ u"L1: name"_s, u"L2: 😀 émoji ✓"_s, u"L3: \U0010FFFF"_s, u"L4: \uFFFF"_s }
                               << qint64(0);
        QTest::newRow("a BOM only at the start") << "\xEF\xBB"_ba << QStringList() << qint64(1);

        QTest::newRow("unterminated quote")
            << "name\nok\n\"never\nclosed\nat all\n"_ba << QStringList{ u"L1: name"_s, u"L2: ok"_s } << qint64(3);
        QTest::newRow("quote inside unquoted") << "name\nab\"c\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("text after closing quote") << "name\n\"ab\"c\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("line after a multi-line field")
            << "name\n\"a\nb\nc\"\nx\"y\n"_ba << QStringList{ u"L1: name"_s, u"L2: a\\nb\\nc"_s } << qint64(5);
        QTest::newRow("invalid byte") << "name\nok\nbad \xFF here\n"_ba << QStringList{ u"L1: name"_s, u"L2: ok"_s }
                                      << qint64(3);
        QTest::newRow("latin-1") << "name\ncaf\xE9\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("overlong") << "name\n\xC0\x80\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("surrogate") << "name\n\xED\xA0\x80\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("past U+10FFFF") << "name\n\xF4\x90\x80\x80\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("cut character") << "name\n\xE2\x82x\n"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("cut at the end") << "name\nx\xE2\x82"_ba << QStringList{ u"L1: name"_s } << qint64(2);
        QTest::newRow("NUL") << "name\nok\na\0b\n"_ba << QStringList{ u"L1: name"_s, u"L2: ok"_s } << qint64(3);
        QTest::newRow("UTF-16") << "\xFF\xFEn\0a\0"_ba << QStringList() << qint64(1);
    }

    void csv()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, records);
        QFETCH(qint64, errorLine);
        check(CsvStreamParser::Mode::Csv, input, records, errorLine);
    }

    void lines_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("records");
        QTest::addColumn<qint64>("errorLine");

        QTest::newRow("verbatim") << "\xEF\xBB\xBF\"quoted\", comma\r\ntab\there\\n\n\n  spaced  \n"_ba
                                  << QStringList{ u"L1: \"quoted\", comma"_s, u"L2: tab\there\\n"_s,
                                                  u"L4:   spaced  "_s }
                                  << qint64(0);
        QTest::newRow("no final newline") << "a\nb"_ba << QStringList{ u"L1: a"_s, u"L2: b"_s } << qint64(0);
        QTest::newRow("empty") << QByteArray() << QStringList() << qint64(0);
        QTest::newRow("invalid UTF-8") << "a\nb\xC3\n"_ba << QStringList{ u"L1: a"_s } << qint64(2);
        QTest::newRow("NUL") << "a\n\0\n"_ba << QStringList{ u"L1: a"_s } << qint64(2);
    }

    void lines()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, records);
        QFETCH(qint64, errorLine);
        check(CsvStreamParser::Mode::Lines, input, records, errorLine);
    }

    void handlerStops()
    {
        int seen = 0;
        CsvStreamParser parser(CsvStreamParser::Mode::Csv, [&](const CsvStreamParser::Record&) { return ++seen < 2; });
        QVERIFY(!parser.feed("a\nb\nc\n"));
        QCOMPARE(seen, 2);
        QVERIFY(!parser.hasError()); // the handler knows why it stopped
        QVERIFY(!parser.feed("d\n"));
        QVERIFY(!parser.finish());
        QCOMPARE(seen, 2);
    }

    void speed()
    {
        // Not asserted (the benchmark is elsewhere): shows the parser is far from the bottleneck.
        QByteArray input = "name,date\n";
        for (int i = 0; i < 200000; ++i)
            input += "\"name " + QByteArray::number(i) + ", quoted\",2024-01-01 00:00:00\n";
        qint64 records = 0;
        QElapsedTimer timer;
        timer.start();
        CsvStreamParser parser(CsvStreamParser::Mode::Csv, [&](const CsvStreamParser::Record&) {
            ++records;
            return true;
        });
        for (qsizetype at = 0; at < input.size(); at += 256 * 1024)
            QVERIFY(parser.feed(QByteArrayView(input).sliced(at, std::min<qsizetype>(256 * 1024, input.size() - at))));
        QVERIFY(parser.finish());
        QCOMPARE(records, 200001);
        qInfo("parsed %lld records (%.1f MB) in %lld ms", records, input.size() / 1e6,
              static_cast<long long>(timer.elapsed()));
    }
};

QTEST_GUILESS_MAIN(TestCsvStreamParser)
#include "tst_csvstreamparser.moc"
