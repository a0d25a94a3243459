#include "TestServer.h"
#include "connection/DatabaseSession.h"
#include "transfer/CsvImporter.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

// CsvImporter against the real server: what lands in the table, byte for byte; that a bad line,
// a cancel or a refused header leaves the table as it was; and the line numbers in messages.
class TestCsvImporter : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        bool finished = false;
        bool ok = false;
        qint64 rows = 0;
        QString message;
        int progressSignals = 0;
        qint64 lastDone = -1;
        qint64 lastTotal = -1;
        qint64 milliseconds = 0;
    };

    TestServer m_server;
    const QString m_database = u"tst_csvimporter"_s;
    QTemporaryDir m_dir;

    // psql, the way a user checks what the table holds: for the exact contents.
    QString psql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }

    // A second client's connection, for the many quick checks (a psql process costs ~0.25 s).
    QString sql(const QString& statement)
    {
        QSqlQuery query(QSqlDatabase::database(u"check"_s));
        const bool ok = query.exec(statement) && query.next();
        [&] { QVERIFY2(ok, qPrintable(statement + u": "_s + query.lastError().text())); }();
        return query.value(0).toString();
    }

    void createTable(const QString& name)
    {
        QSqlQuery query(QSqlDatabase::database(u"check"_s));
        QVERIFY2(query.exec(u"DROP TABLE IF EXISTS "_s + TableName(QString(), name).sql()),
                 qPrintable(query.lastError().text()));
        QVERIFY2(query.exec(DatabaseSession::createTableStatement(TableName(QString(), name))),
                 qPrintable(query.lastError().text()));
    }

    qint64 count(const QString& table)
    {
        return sql(u"SELECT count(*) FROM "_s + TableName(QString(), table).sql()).toLongLong();
    }

    ConnectionSettings settingsFor(const QString& table) const
    {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, TableName(QString(), table).sql());
        return settings;
    }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        [&] { QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate)); }();
        file.write(content);
        return path;
    }

    // Runs an import on its worker thread, as the window does, and waits for finished().
    Run import(const QString& table, const QString& path, CsvImporter::Format format = CsvImporter::Format::Auto,
               const std::function<void(CsvImporter&)>& beforeStart = {})
    {
        Run run;
        CsvImporter importer(settingsFor(table), path, format);
        connect(&importer, &CopyTransfer::progress, this, [&](qint64 done, qint64 total, qint64) {
            ++run.progressSignals;
            run.lastDone = done;
            run.lastTotal = total;
        });
        connect(&importer, &CopyTransfer::finished, this, [&](bool ok, qint64 rows, const QString& message) {
            run.finished = true;
            run.ok = ok;
            run.rows = rows;
            run.message = message;
        });
        if (beforeStart)
            beforeStart(importer);
        QElapsedTimer timer;
        timer.start();
        importer.start();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(run.finished, 60000); }();
        run.milliseconds = timer.elapsed();
        return run;
    }

    // One name per row, each special in its own way, then ordinary ones.
    static QList<std::optional<QByteArray>> specialNames()
    {
        return { "Anna"_ba,
                 "O\"Brien, Jr."_ba,
                 "line one\nline two"_ba,
                 "crlf\r\ninside"_ba,
                 "😀 émoji ✓ 中文"_ba,
                 std::nullopt,
                 ""_ba,
                 "  spaces  "_ba,
                 "back\\slash\ttab"_ba,
                 "\"quoted\""_ba,
                 "\\N"_ba, // a name that is backslash-N, not NULL
                 "name); DROP TABLE my_table; --"_ba };
    }

    static QByteArray csvField(const std::optional<QByteArray>& value)
    {
        if (!value)
            return {};
        const bool needsQuotes = value->isEmpty() || value->contains(',') || value->contains('"')
            || value->contains('\n') || value->contains('\r');
        if (!needsQuotes)
            return *value;
        QByteArray quoted = *value;
        quoted.replace('"', "\"\"");
        return '"' + quoted + '"';
    }

    static QByteArray dateFor(int row)
    {
        // Microseconds ending in 1, so date::text prints all six digits back.
        return QStringLiteral("2024-03-%1 %2:30:00.%3")
            .arg(1 + row % 28, 2, 10, QLatin1Char('0'))
            .arg(row % 24, 2, 10, QLatin1Char('0'))
            .arg((row % 99999) * 10 + 1, 6, 10, QLatin1Char('0'))
            .toLatin1();
    }

    // A file of `lines` physical lines, header first, with a name spanning three lines at line 100
    // and an empty line at 200, so file lines and COPY rows differ; `bad` replaces line 50001.
    static QByteArray fileWithLineAt50001(const QByteArray& bad)
    {
        QByteArray content = "name,date\n";
        content.reserve(4 * 1024 * 1024);
        for (int line = 2; line <= 100000; ++line) {
            if (line == 100) {
                content += "\"three\nline\nname\",2024-01-01 00:00:00\n";
                line += 2;
            } else if (line == 200) {
                content += '\n';
            } else if (line == 50001) {
                content += bad + '\n';
            } else {
                content += "name-" + QByteArray::number(line) + ",2024-01-01 00:00:00\n";
            }
        }
        return content;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_server.openConnection(u"check"_s, m_database).isOpen());
    }

    void importsHundredThousandCsvRows()
    {
        createTable(u"csv_rows"_s);
        const QList<std::optional<QByteArray>> special = specialNames();
        const int rowCount = 100000;
        // What the table must hold, in the form the checksum query below prints it.
        QCryptographicHash expected(QCryptographicHash::Md5);
        // CRLF and a byte order mark, as a spreadsheet on Windows saves it.
        QByteArray content = "\xEF\xBB\xBF"
                             "name,date\r\n";
        for (int row = 1; row <= rowCount; ++row) {
            const std::optional<QByteArray> name = row <= special.size()
                ? special.at(row - 1)
                : std::optional<QByteArray>("person " + QByteArray::number(row));
            content += csvField(name) + ',' + dateFor(row) + "\r\n";
            const QByteArray shown = name ? QByteArray('"' + *name + '"') : "NULL"_ba;
            const QByteArray line = (row > 1 ? "\n"_ba : QByteArray()) + shown + '|' + dateFor(row);
            expected.addData(line);
        }
        const QString path = writeFile(u"names.csv"_s, content);

        const Run run = import(u"csv_rows"_s, path);
        QVERIFY2(run.ok, qPrintable(run.message));
        QCOMPARE(run.rows, rowCount);
        QCOMPARE(run.message, u"Imported %1 rows from names.csv."_s.arg(QLocale().toString(rowCount)));
        qInfo("imported %d rows (%.1f MB) in %lld ms: %.0f rows/s", rowCount, content.size() / 1e6,
              static_cast<long long>(run.milliseconds), rowCount * 1000.0 / std::max<qint64>(run.milliseconds, 1));

        QCOMPARE(count(u"csv_rows"_s), rowCount);
        // The special names, exactly: hex of their UTF-8 bytes, NULL as NULL.
        QStringList expectedHex;
        for (const std::optional<QByteArray>& name : special)
            expectedHex << (name ? QString::fromLatin1(name->toHex()) : u"NULL"_s);
        QCOMPARE(psql(u"SELECT string_agg(coalesce(encode(convert_to(name, 'UTF8'), 'hex'), 'NULL'), ',' ORDER BY id) "
                      "FROM (SELECT id, name FROM csv_rows ORDER BY id LIMIT %1) s"_s.arg(special.size())),
                 expectedHex.join(u','));
        QCOMPARE(sql(u"SELECT count(*) FILTER (WHERE name IS NULL) || ' ' || count(*) FILTER (WHERE name = '') "
                     "FROM csv_rows"_s),
                 u"1 1"_s);
        QCOMPARE(psql(u"SELECT md5(string_agg(coalesce('\"' || name || '\"', 'NULL') || '|' || date::text, E'\\n' "
                      "ORDER BY id)) FROM csv_rows"_s),
                 QString::fromLatin1(expected.result().toHex()));

        // Progress: file bytes of the file's size, the last one complete, at most ~20 a second.
        QVERIFY(run.progressSignals >= 2);
        QCOMPARE(run.lastTotal, content.size());
        QCOMPARE(run.lastDone, content.size());
        QVERIFY2(run.progressSignals <= 3 + run.milliseconds / 50, qPrintable(QString::number(run.progressSignals)));
    }

    void importsTextLines()
    {
        createTable(u"text_rows"_s);
        // Taken exactly as written: quotes, commas, tabs, backslashes; empty lines skipped.
        const QByteArray content = "plain\n\"quoted\", with comma\ntab\there\r\n\nback\\slash \\N\n😀\n   \nlast";
        const QString path = writeFile(u"names.txt"_s, content);
        const Run run = import(u"text_rows"_s, path);
        QVERIFY2(run.ok, qPrintable(run.message));
        QCOMPARE(run.rows, 7);
        const QList<QByteArray> names
            = { "plain", "\"quoted\", with comma", "tab\there", "back\\slash \\N", "😀", "   ", "last" };
        QStringList hex;
        for (const QByteArray& name : names)
            hex << QString::fromLatin1(name.toHex());
        QCOMPARE(psql(u"SELECT string_agg(encode(convert_to(name, 'UTF8'), 'hex'), ',' ORDER BY id) FROM text_rows"_s),
                 hex.join(u','));
        // No date column in the file: the server's default fills it.
        QCOMPARE(sql(u"SELECT count(*) FROM text_rows WHERE date > now() - interval '1 hour'"_s), u"7"_s);

        // The format can be forced: the same file read as CSV has a header "plain".
        const Run asCsv = import(u"text_rows"_s, path, CsvImporter::Format::Csv);
        QVERIFY(!asCsv.ok);
        QVERIFY2(asCsv.message.contains(u"\"plain\""_s), qPrintable(asCsv.message));
    }

    void badLineWritesNothing_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("why");
        QTest::newRow("unterminated quote") << "\"never closed,2024-01-01"_ba << u"never closed"_s;
        QTest::newRow("too many fields") << "a,2024-01-01,extra"_ba << u"has 3 fields"_s;
        QTest::newRow("too few fields") << "lonely"_ba << u"has 1 field, but the header names 2 (name, date)"_s;
        QTest::newRow("invalid UTF-8") << "caf\xE9,2024-01-01"_ba << u"UTF-8"_s;
        QTest::newRow("NUL byte") << QByteArray("a\0b,2024-01-01", 14) << u"NUL"_s;
        QTest::newRow("text after quote") << "\"a\"b,2024-01-01"_ba << u"after the closing quote"_s;
        QTest::newRow("quote in field") << "a\"b,2024-01-01"_ba << u"quote"_s;
        // Found by the server, many rows after the client sent them; mapped back to the file line
        // past the multi-line name and the empty line.
        QTest::newRow("server: bad date") << "Zed,not a date"_ba << u"not a date"_s;
        QTest::newRow("server: NULL date") << "Zed,"_ba << u"null value"_s;
    }

    void badLineWritesNothing()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, why);
        createTable(u"bad_line"_s);
        const QString path = writeFile(u"bad.csv"_s, fileWithLineAt50001(line));
        const Run run = import(u"bad_line"_s, path);
        QVERIFY(!run.ok);
        QCOMPARE(run.rows, 0);
        QVERIFY2(run.message.startsWith(u"Line 50001"_s), qPrintable(run.message));
        QVERIFY2(run.message.contains(why), qPrintable(run.message));
        QVERIFY2(run.message.endsWith(u"Nothing was imported."_s), qPrintable(run.message));
        QCOMPARE(count(u"bad_line"_s), 0);
        // Rows before the bad line had reached the server (the file is sent 256 KiB at a time) and
        // drawn ids from the sequence, which a rollback does not rewind: it is the transaction that
        // kept them out.
        QVERIFY2(sql(u"SELECT last_value FROM bad_line_id_seq"_s).toLongLong() > 10000,
                 qPrintable(sql(u"SELECT last_value FROM bad_line_id_seq"_s)));
    }

    void serverErrorLineSurvivesOddTableName()
    {
        // The server's context reads "COPY <table>, line N"; a table whose name itself says
        // ", line 7" must not mislead the mapping.
        const QString table = u"odd, line 7 \"t\""_s;
        createTable(table);
        const QString path
            = writeFile(u"odd.csv"_s, "name,date\nok,2024-01-01\n\n\"two\nlines\",2024-01-01\nbad,xyz\n");
        const Run run = import(table, path);
        QVERIFY(!run.ok);
        QVERIFY2(run.message.startsWith(u"Line 6: "_s), qPrintable(run.message));
        QCOMPARE(count(table), 0);
    }

    void cancelMidImportWritesNothing()
    {
        createTable(u"cancelled"_s);
        QByteArray content;
        for (int row = 0; row < 300000; ++row)
            content += "cancelled name " + QByteArray::number(row) + '\n';
        const QString path = writeFile(u"cancel.txt"_s, content);
        qint64 doneAtCancel = -1;
        const Run run = import(u"cancelled"_s, path, CsvImporter::Format::Auto, [&](CsvImporter& importer) {
            // Direct: runs in the worker thread at once, so the cancel lands mid-file every time.
            connect(
                &importer, &CopyTransfer::progress, &importer,
                [&](qint64 done, qint64, qint64) {
                    if (doneAtCancel < 0 && done >= 1024 * 1024) {
                        doneAtCancel = done;
                        importer.cancel();
                    }
                },
                Qt::DirectConnection);
        });
        QVERIFY(doneAtCancel > 0);
        QVERIFY(doneAtCancel < content.size());
        QVERIFY(!run.ok);
        QCOMPARE(run.message, u"Import cancelled: nothing was written."_s);
        QCOMPARE(count(u"cancelled"_s), 0);
        // The connection is gone: nothing of the import is left open on the server.
        QTRY_COMPARE_WITH_TIMEOUT(sql(u"SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' "
                                      "AND application_name = 'pgdesk'"_s.arg(m_database)),
                                  u"0"_s, 10000);
    }

    void headerNeverReachesSql_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("one field") << "name); DROP TABLE my_table; --"_ba;
        QTest::newRow("second field") << "name,\"date\"\"); DROP TABLE my_table; --\""_ba;
        QTest::newRow("quoted quote") << "\"name\"\"); DROP TABLE my_table; --\""_ba;
        QTest::newRow("no name column") << "date"_ba;
        QTest::newRow("twice") << "name,NAME"_ba;
        QTest::newRow("empty column") << "name,"_ba;
    }

    void headerNeverReachesSql()
    {
        QFETCH(QByteArray, header);
        createTable(u"my_table"_s);
        const QString path = writeFile(u"evil.csv"_s, header + "\nAlice,2024-01-01\n");
        const Run run = import(u"my_table"_s, path);
        QVERIFY(!run.ok);
        QVERIFY2(run.message.startsWith(u"Line 1: "_s), qPrintable(run.message));
        QVERIFY2(run.message.contains(u"header"_s), qPrintable(run.message));
        QCOMPARE(sql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"true"_s);
        QCOMPARE(count(u"my_table"_s), 0);
    }

    void emptyFiles()
    {
        createTable(u"empty_files"_s);
        Run run = import(u"empty_files"_s, writeFile(u"header-only.csv"_s, "\xEF\xBB\xBFName , Date\r\n"));
        QVERIFY2(run.ok, qPrintable(run.message));
        QCOMPARE(run.rows, 0);

        run = import(u"empty_files"_s, writeFile(u"empty.txt"_s, "\n\n"));
        QVERIFY2(run.ok, qPrintable(run.message));
        QCOMPARE(run.rows, 0);

        run = import(u"empty_files"_s, writeFile(u"empty.csv"_s, QByteArray()));
        QVERIFY(!run.ok);
        QVERIFY2(run.message.contains(u"empty"_s), qPrintable(run.message));

        run = import(u"empty_files"_s, m_dir.filePath(u"missing.csv"_s));
        QVERIFY(!run.ok);
        QVERIFY2(run.message.contains(u"missing.csv"_s), qPrintable(run.message));
        QCOMPARE(count(u"empty_files"_s), 0);
    }

    void idColumnIsIgnored()
    {
        createTable(u"with_id"_s);
        const Run run
            = import(u"with_id"_s,
                     writeFile(u"ids.csv"_s, "id,name,date\n900,a,2024-01-01 00:00:00\n901,b,2024-01-02 00:00:00\n"));
        QVERIFY2(run.ok, qPrintable(run.message));
        QCOMPARE(sql(u"SELECT string_agg(id || ':' || name || ':' || date, ',' ORDER BY id) FROM with_id"_s),
                 u"1:a:2024-01-01 00:00:00,2:b:2024-01-02 00:00:00"_s);
    }

    // The preview's options: the columns mapped by hand, ';' as delimiter, rows whose name is in the
    // table skipped through a temporary table; a refused value still names its file line.
    void optionsWithSkipExisting()
    {
        createTable(u"skips"_s);
        QSqlQuery setup(QSqlDatabase::database(u"check"_s));
        QVERIFY(setup.exec(u"INSERT INTO skips(name, date) VALUES ('a', '2020-01-01'), (NULL, '2020-01-01')"_s));
        ImportOptions options;
        options.delimiter = ';';
        options.mapping = { u"date"_s, u""_s, u"name"_s };
        options.skipExisting = true;
        const auto runWith = [&](const QByteArray& content, QString* message) {
            CsvImporter importer(settingsFor(u"skips"_s), writeFile(u"skips.csv"_s, content), options);
            bool ok = false;
            connect(&importer, &CopyTransfer::finished, this, [&](bool done, qint64, const QString& text) {
                ok = done;
                *message = text;
            });
            importer.run();
            return ok;
        };
        QString message;
        QVERIFY(!runWith("d;x;n\n2024-01-01;1;b\n\n2024-01-02;2;a\nxyz;3;c\n", &message));
        QVERIFY2(message.startsWith(u"Line 5: "_s), qPrintable(message));
        QCOMPARE(count(u"skips"_s), qint64(2));

        QVERIFY(
            runWith("d;x;n\n2024-01-03;1;c\n2024-01-01;1;a\n2024-01-02;;\n2024-01-04;2;b\n2024-01-05;3;A\n", &message));
        QCOMPARE(message, u"Imported 3 rows from skips.csv. Skipped 2 rows whose name was already in the table."_s);
        QCOMPARE(sql(u"SELECT string_agg(name || ':' || date::date, ',' ORDER BY id) FROM skips WHERE id > 2"_s),
                 u"c:2024-01-03,b:2024-01-04,A:2024-01-05"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM pg_class WHERE relname = 'pgdesk_import_staging'"_s), u"0"_s);
    }

    void runsInTheCallingThreadToo()
    {
        createTable(u"blocking"_s);
        CsvImporter importer(settingsFor(u"blocking"_s), writeFile(u"few.txt"_s, "x\ny\n"));
        bool finished = false;
        connect(&importer, &CopyTransfer::finished, this, [&](bool ok, qint64 rows) { finished = ok && rows == 2; });
        importer.run();
        QVERIFY(finished);
        QCOMPARE(count(u"blocking"_s), 2);
    }
};

QTEST_GUILESS_MAIN(TestCsvImporter)
#include "tst_csvimporter.moc"
