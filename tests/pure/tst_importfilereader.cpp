#include "transfer/ImportFileReader.h"
#include "transfer/ImportPreview.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The import's file reading without a server: delimiters, encodings, the header rule, and what
// the preview reads of a file (its first rows and the whole file's count).
class TestImportFileReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        [&] { QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate)); }();
        file.write(content);
        return path;
    }

    // Every record's fields ("<null>" for NULL), fed one byte at a time so that a split sequence
    // or delimiter is exercised too.
    static QList<QStringList> records(const ImportOptions& options, const QByteArray& bytes, QString* error = nullptr)
    {
        QList<QStringList> out;
        ImportFileReader reader(options, [&](const CsvStreamParser::Record& record) {
            QStringList fields;
            for (int i = 0; i < record.size(); ++i)
                fields << (record.isNull(i) ? u"<null>"_s : QString::fromUtf8(record.field(i)));
            out << fields;
            return true;
        });
        bool ok = true;
        for (char byte : bytes)
            ok = ok && reader.feed(QByteArrayView(&byte, 1));
        ok = ok && reader.finish();
        if (error)
            *error = ok ? QString() : reader.errorMessage();
        return out;
    }

private slots:
    void delimiters_data()
    {
        QTest::addColumn<char>("delimiter");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QList<QStringList>>("expected");
        QTest::newRow("semicolon") << ';' << QByteArray("a;\"b;c\";\r\nd,e;f;g\n")
                                   << QList<QStringList>{ { u"a"_s, u"b;c"_s, u"<null>"_s },
                                                          { u"d,e"_s, u"f"_s, u"g"_s } };
        QTest::newRow("tab") << '\t' << QByteArray("a\tb c\n\"x\ty\"\t\"\"\n")
                             << QList<QStringList>{ { u"a"_s, u"b c"_s }, { u"x\ty"_s, u""_s } };
        QTest::newRow("pipe") << '|' << QByteArray("a|b,c\n") << QList<QStringList>{ { u"a"_s, u"b,c"_s } };
    }

    void delimiters()
    {
        QFETCH(char, delimiter);
        QFETCH(QByteArray, bytes);
        QFETCH(QList<QStringList>, expected);
        ImportOptions options;
        options.delimiter = delimiter;
        QString error;
        QCOMPARE(records(options, bytes, &error), expected);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void encodings()
    {
        ImportOptions options;
        options.lines = true;
        QString error;
        options.encoding = ImportOptions::Encoding::Latin1;
        QCOMPARE(records(options, "Zo\xEB\n\xC3\xA9\n", &error), (QList<QStringList>{ { u"Zoë"_s }, { u"Ã©"_s } }));
        options.encoding = ImportOptions::Encoding::Windows1252;
        QCOMPARE(records(options, "\x80 \x93q\x94\n", &error), (QList<QStringList>{ { u"€ “q”"_s } }));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        options.encoding = ImportOptions::Encoding::Utf8;
        records(options, "ok\nZo\xEB\n", &error);
        QVERIFY2(error.startsWith(u"Line 2 is not valid UTF-8"_s), qPrintable(error));
    }

    void optionProblems()
    {
        ImportOptions options;
        QVERIFY(options.problem().isEmpty()); // mapping from the header, as before the preview
        options.mapping = { u""_s, u""_s };
        QCOMPARE(options.problem(), u"No column of the file goes to a column of the table: choose one."_s);
        options.mapping = { u"name"_s, u"name"_s };
        QCOMPARE(options.problem(), u"Two columns of the file go to name: choose one."_s);
        options.mapping = { u"date"_s, u""_s };
        QVERIFY(options.problem().isEmpty()); // any table column will do
        // A skip compares columns the file fills: name here, as on the tutorial's table.
        options.skipExisting = true;
        QCOMPARE(options.problem(), u"To skip rows already in the table, a column of the file must go to name."_s);
        options.matchColumns = { u"tenant"_s, u"id"_s };
        options.mapping = { u"tenant"_s, u"id"_s };
        QVERIFY(options.problem().isEmpty());
        options.matchColumns = {};
        QVERIFY(!options.problem().isEmpty());
        options.skipExisting = false;
        options.mapping = { u"name"_s, u"date"_s };
        QVERIFY(options.problem().isEmpty());
        options.delimiter = '"';
        QVERIFY(!options.problem().isEmpty());
        options.lines = true; // no delimiter then
        QVERIFY(options.problem().isEmpty());
        QCOMPARE(options.targetColumns(), QStringList{ u"name"_s });
        options.lineColumn.clear(); // a table no file can fill
        QCOMPARE(options.problem(), u"The table has no column a file can fill."_s);
    }

    void previewReadsTheFirstRowsAndCountsAll()
    {
        QVERIFY(m_dir.isValid());
        QByteArray csv = "name;date\n";
        for (int i = 0; i < 1000; ++i)
            csv += "n" + QByteArray::number(i) + ";\n";
        const QString path = writeFile(u"rows.csv"_s, csv);
        ImportOptions options;
        options.delimiter = ';';
        const ImportPreview preview = ImportPreview::read(path, options, 20);
        QVERIFY2(preview.error.isEmpty(), qPrintable(preview.error));
        QCOMPARE(preview.headerNames, (QStringList{ u"name"_s, u"date"_s }));
        QCOMPARE(preview.columnCount, 2);
        QCOMPARE(preview.rows.size(), qsizetype(20));
        QVERIFY(!preview.wholeFile);
        QCOMPARE(preview.rows.at(3).at(0), std::optional<QString>(u"n3"_s));
        QCOMPARE(preview.rows.at(3).at(1), std::optional<QString>());
        std::atomic<bool> cancel{ false };
        const ImportPreview::Count count = ImportPreview::count(path, options, cancel);
        QCOMPARE(count.rows, qint64(1000));
        QVERIFY(count.error.isEmpty());
        options.header = false;
        QCOMPARE(ImportPreview::count(path, options, cancel).rows, qint64(1001));
        cancel = true;
        QVERIFY(ImportPreview::count(path, options, cancel).cancelled);
    }

    void previewFindsBadLines()
    {
        const QString path = writeFile(u"bad.csv"_s, "name,date\na,b\nc\n");
        ImportOptions options;
        const ImportPreview preview = ImportPreview::read(path, options, 20);
        QCOMPARE(preview.error, u"Line 3 has 1 field, but the header names 2 (name, date)."_s);
        std::atomic<bool> cancel{ false };
        QCOMPARE(ImportPreview::count(path, options, cancel).error, preview.error);
        QVERIFY(ImportPreview::read(m_dir.filePath(u"missing.csv"_s), options, 20).error.startsWith(u"Cannot read"_s));
        QCOMPARE(ImportPreview::read(writeFile(u"empty.csv"_s, {}), options, 20).error, u"The file is empty."_s);
    }

    void textFileWithHeaderLine()
    {
        const QString path = writeFile(u"names.txt"_s, "names\nann\nbo, b\n");
        ImportOptions options;
        options.lines = true;
        options.header = true;
        const ImportPreview preview = ImportPreview::read(path, options, 20);
        QCOMPARE(preview.rows.size(), qsizetype(2));
        QCOMPARE(preview.rows.at(1).at(0), std::optional<QString>(u"bo, b"_s));
        QVERIFY(preview.wholeFile);
    }
};

QTEST_GUILESS_MAIN(TestImportFileReader)
#include "tst_importfilereader.moc"
