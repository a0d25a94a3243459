// Past 600 lines because import and export share one fixture (a server database, files, the
// progress dialog driven as a user does) and each case checks the file and the table both.
#include "ImportPreviewDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TransferProgressDialog.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSqlError>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

// Import (Ctrl+I) and Export (Ctrl+E) driven through the real main window: the file is chosen
// through FileDialog's test answers, the progress dialog is watched and cancelled by object name
// while it runs modal, and what the database holds is checked with psql (or a second client).
class TestTransfers : public QObject
{
    Q_OBJECT

private:
    // What the transfer dialog showed. It lives on importRows()'s stack and runs modal, so it is
    // read, and clicked, from a timer while the action's trigger() has not returned yet.
    struct DialogRun
    {
        bool shown = false;
        QString objectName;
        QString description;
        bool cancelClicked = false;
        int barWhenCancelled = -1;
        QStringList filesWhenCancelled; // the export's folder at that moment
        qint64 partialBytesWhenCancelled = -1; // in files being written there then
        bool stayedOpenFinished = false; // a failure: the dialog waits for Close
        bool messageVisible = false;
        QString failureText;
        QString closeButtonText;
        bool gaveUp = false; // the test's own limit: the transfer never ended
    };
    // Asked on each poll while the transfer runs; true clicks Cancel (once).
    using CancelWhen = std::function<bool(TransferProgressDialog*)>;

    static constexpr int fixtureRows = 10;
    static constexpr int importRows = 100000;

    TestServer m_server;
    const QString m_database = u"tst_transfers"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QList<QByteArray> m_csvNames; // what names.csv holds, in file order

    QSqlDatabase check() const { return QSqlDatabase::database(u"check"_s); }

    // A second client, for quick checks and for setting tables up.
    QString sql(const QString& statement)
    {
        QSqlQuery query(check());
        const bool ok = query.exec(statement);
        [&] { QVERIFY2(ok, qPrintable(statement + u": "_s + query.lastError().text())); }();
        return query.next() ? query.value(0).toString() : QString();
    }

    // psql -At, the way a user checks what the table holds.
    QString psql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }

    // psql's raw output, byte for byte (DateStyle ISO, as pgdesk pins it), for COPY ... TO STDOUT.
    QByteArray psqlBytes(const QString& statement)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PGPASSWORD"_s, m_server.password());
        environment.insert(u"PGSSLMODE"_s, u"require"_s);
        environment.insert(u"PGDATESTYLE"_s, u"ISO"_s);
        process.setProcessEnvironment(environment);
        process.start(u"psql"_s,
                      { u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-h"_s, m_server.host(), u"-p"_s,
                        QString::number(m_server.port()), u"-U"_s, m_server.user(), u"-d"_s, m_database, u"-c"_s,
                        statement });
        const bool ok
            = process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        const QByteArray output = process.readAllStandardOutput();
        [&] { QVERIFY2(ok, qPrintable(statement + u": "_s + QString::fromUtf8(process.readAllStandardError()))); }();
        return output;
    }

    // Everything the table holds, as one value: equal before and after means nothing was written.
    QString tableDigest()
    {
        return sql(u"SELECT count(*) || ' rows, max id ' || coalesce(max(id), 0) || ', md5 ' "
                   "|| coalesce(md5(string_agg(t::text, chr(10) ORDER BY id)), '-') FROM my_table t"_s);
    }

    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->tableView(); }
    QString statusText(const char* name) { return m_window->findChild<QLabel*>(QString::fromLatin1(name))->text(); }
    QString statusMessage() { return m_window->statusBar()->currentMessage(); }
    void waitUntilLoaded() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }

    QStringList namesInWindow()
    {
        QStringList names;
        for (int row = 0; row < model()->rowCount(); ++row)
            names << model()->index(row, 1).data(Qt::EditRole).toString();
        return names;
    }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        [&] { QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path)); }();
        file.write(content);
        return path;
    }

    // Runs an import or export the way a user does: the action (or its shortcut), a file chosen in
    // the file dialog, the modal progress dialog until it closes. A failure stays open with its
    // message; this reads it and presses Close, as the user would.
    DialogRun runTransfer(const std::function<void()>& trigger, const CancelWhen& cancelWhen = {},
                          const QString& folderToList = {})
    {
        DialogRun run;
        QElapsedTimer clock;
        clock.start();
        QTimer poll;
        poll.setInterval(5);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* dialog = m_window->findChild<TransferProgressDialog*>();
            if (!dialog || !dialog->isVisible())
                return;
            auto* bar = dialog->findChild<QProgressBar*>(u"progressBar"_s);
            auto* button = dialog->findChild<QPushButton*>(u"cancelButton"_s);
            if (!bar || !button)
                return;
            run.shown = true;
            run.objectName = dialog->objectName();
            run.description = dialog->findChild<QLabel*>(u"descriptionLabel"_s)->text();
            if (dialog->isFinished()) {
                if (button->isEnabled()) { // a success closes by itself; a failure waits for Close
                    auto* message = dialog->findChild<QLabel*>(u"messageLabel"_s);
                    run.stayedOpenFinished = true;
                    run.messageVisible = message->isVisible();
                    run.failureText = message->text();
                    run.closeButtonText = button->text();
                    QTest::mouseClick(button, Qt::LeftButton);
                }
                return;
            }
            if (run.cancelClicked)
                return;
            const bool giveUp = clock.elapsed() > 60000;
            if (giveUp || (cancelWhen && cancelWhen(dialog))) {
                run.gaveUp = giveUp;
                run.cancelClicked = true;
                run.barWhenCancelled = bar->value();
                if (!folderToList.isEmpty()) {
                    run.filesWhenCancelled = QDir(folderToList).entryList(QDir::Files | QDir::Hidden, QDir::Name);
                    run.partialBytesWhenCancelled = partialFileBytes(folderToList);
                }
                QTest::mouseClick(button, Qt::LeftButton);
            }
        });
        poll.start();
        trigger();
        poll.stop();
        return run;
    }

    // The preview (ImportPreviewDialog) is accepted as it opens: the defaults read the file as
    // the import did before the preview existed. When it refuses the file, it is cancelled and
    // preview->message says why.
    DialogRun importFile(const QString& path, const CancelWhen& cancelWhen = {},
                         const std::shared_ptr<ImportPreviewRun>& preview = std::make_shared<ImportPreviewRun>())
    {
        FileDialog::answerNext(path);
        QPointer<QTimer> answer = answerImportPreview(preview);
        const DialogRun run = runTransfer([this] { action("actionImport")->trigger(); }, cancelWhen);
        delete answer.data();
        return run;
    }

    DialogRun exportTo(const QString& path, const CancelWhen& cancelWhen = {})
    {
        FileDialog::answerNext(path);
        return runTransfer([this] { action("actionExport")->trigger(); }, cancelWhen, QFileInfo(path).absolutePath());
    }

    // Bytes written so far to the files this process has open in folder. QSaveFile writes to an
    // unnamed O_TMPFILE on Linux, which no folder listing shows; /proc/self/fd does.
    static qint64 partialFileBytes(const QString& folder)
    {
        const QString prefix = QDir(folder).canonicalPath() + u'/';
        qint64 bytes = 0;
        const QDir descriptors(u"/proc/self/fd"_s);
        const QStringList entries = descriptors.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
        for (const QString& entry : entries) {
            const QByteArray link = QFile::encodeName(descriptors.filePath(entry));
            char target[4096];
            const ssize_t length = ::readlink(link.constData(), target, sizeof target - 1);
            struct stat status;
            if (length > 0 && QString::fromLocal8Bit(target, length).startsWith(prefix)
                && ::stat(link.constData(), &status) == 0 && S_ISREG(status.st_mode))
                bytes += status.st_size;
        }
        return bytes;
    }

    static QByteArray csvField(const QByteArray& value)
    {
        const bool quote = value.isEmpty() || value.contains(',') || value.contains('"') || value.contains('\n')
            || value.contains('\r');
        if (!quote)
            return value;
        QByteArray quoted = value;
        quoted.replace("\"", "\"\"");
        return '"' + quoted + '"';
    }

    // The names each line of "ids" holds, hex-encoded by the server, so no byte can hide.
    QString namesAsHex(const QList<qint64>& ids)
    {
        QStringList list;
        for (qint64 id : ids)
            list << QString::number(id);
        return psql(u"SELECT string_agg(id || ':' || coalesce(encode(convert_to(name, 'UTF8'), 'hex'), 'NULL'), ',' "
                    "ORDER BY id) FROM my_table WHERE id IN (%1)"_s.arg(list.join(u',')));
    }

    static QString expectedHex(const QList<qint64>& ids, const QList<QByteArray>& names)
    {
        QStringList parts;
        for (int i = 0; i < ids.size(); ++i)
            parts << QString::number(ids.at(i)) + u':' + QString::fromLatin1(names.at(i).toHex());
        return parts.join(u',');
    }

    // Names that break naive CSV and COPY handling; the text file variant has no line breaks.
    static QList<QByteArray> awkwardCsvNames()
    {
        return { "Smith, John",  "say \"hi\"",   "\"quoted\" at the start",
                 "two\nlines",   "crlf\r\nkept", "Zoë 🐘",
                 "日本語の名前", "tab\there",    "back\\slash",
                 "\\N",          "NULL",         "",
                 "  spaced  ",   "O'Brien",      "trailing,",
                 ",leading",     "a,\"b\",c",    "name" };
    }

    static QList<QByteArray> awkwardTextNames()
    {
        return { "name,date", "Smith, John", "say \"hi\"", "\"quoted\"", "tab\there", "back\\slash",   "\\N",
                 "Zoë 🐘",     "日本語",      "  spaced  ", "O'Brien",    "a,\"b\",c", "#not a comment" };
    }

    // One poll condition for "the transfer is well under way": a tenth of the bar, not the end.
    static CancelWhen atBar(int step)
    {
        return [step](TransferProgressDialog* dialog) {
            const int value = dialog->findChild<QProgressBar*>(u"progressBar"_s)->value();
            return value >= step && value < 1000;
        };
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_server.openConnection(u"check"_s, m_database).isOpen());

        // names.csv: 100,000 names, the awkward ones spread through it (first and last line too).
        const QList<QByteArray> awkward = awkwardCsvNames();
        m_csvNames.reserve(importRows);
        for (int i = 0; i < importRows; ++i)
            m_csvNames << "name " + QByteArray::number(i).rightJustified(6, '0');
        for (int k = 0; k < awkward.size(); ++k)
            m_csvNames[k * (importRows / awkward.size())] = awkward.at(k);
        m_csvNames.last() = "last one, with a comma";
        QByteArray csv = "name\r\n";
        for (const QByteArray& name : std::as_const(m_csvNames))
            csv += csvField(name) + '\n';
        writeFile(u"names.csv"_s, csv);
    }

    void init()
    {
        MessageBox::clearTestState();
        FileDialog::clearTestState();
        sql(u"DROP TABLE IF EXISTS my_table"_s);
        sql(u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp)"_s);
        sql(u"INSERT INTO my_table(name, date) VALUES ('alice', '2024-03-10 02:30:00.123456'), "
            "('bob', '2024-05-01 10:00:00'), ('O''Brien', '2024-05-02 10:00:00'), "
            "('Smith, John', '2024-05-03 10:00:00'), ('say \"hi\"', '2024-05-04 10:00:00'), "
            "('two' || chr(10) || 'lines', '2024-05-05 10:00:00.000001'), ('Zoë 🐘', '2024-05-06 10:00:00'), "
            "(NULL, '2024-05-07 10:00:00'), ('', '2024-05-08 10:00:00'), ('back\\slash', '2024-05-09 10:00:00')"_s);
        QString windowError;
        m_window = openMainWindow(m_server.settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), fixtureRows);
        QVERIFY(action("actionImport")->isEnabled());
        QVERIFY(action("actionExport")->isEnabled());
    }

    void cleanup()
    {
        m_window.reset();
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    void actionsHaveTheirShortcuts()
    {
        QCOMPARE(action("actionImport")->shortcut(), QKeySequence(u"Ctrl+I"_s));
        QCOMPARE(action("actionExport")->shortcut(), QKeySequence(u"Ctrl+E"_s));
    }

    void importOf100kCsvNames()
    {
        const QString digestBefore = tableDigest();
        QElapsedTimer clock;
        clock.start();
        FileDialog::answerNext(m_dir.filePath(u"names.csv"_s));
        const auto preview = std::make_shared<ImportPreviewRun>();
        QPointer<QTimer> answer = answerImportPreview(preview);
        const DialogRun run = runTransfer([this] { QTest::keyClick(view(), Qt::Key_I, Qt::ControlModifier); });
        delete answer.data();
        QVERIFY(preview->shown);
        QCOMPARE(preview->countedRows, qint64(importRows));
        qInfo("imported %d rows through the window in %lld ms", importRows, clock.elapsed());
        QCOMPARE(FileDialog::askedCaptions(), QStringList{ u"Import rows"_s });
        QVERIFY(run.shown);
        QCOMPARE(run.objectName, u"importProgressDialog"_s);
        QCOMPARE(run.description, u"Importing names.csv"_s);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QVERIFY(!run.cancelClicked);
        QCOMPARE(statusMessage(), u"Imported %1 rows from names.csv."_s.arg(QLocale().toString(importRows)));
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));

        // The database: every name, in file order, byte for byte, after the rows that were there.
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows + importRows));
        QCOMPARE(psql(u"SELECT min(id) || '-' || max(id) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
                 u"%1-%2"_s.arg(fixtureRows + 1).arg(fixtureRows + importRows));
        QCryptographicHash hash(QCryptographicHash::Md5);
        for (int i = 0; i < m_csvNames.size(); ++i) {
            if (i > 0)
                hash.addData("\x1f");
            hash.addData(m_csvNames.at(i));
        }
        QCOMPARE(
            psql(u"SELECT md5(string_agg(name, chr(31) ORDER BY id)) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
            QString::fromLatin1(hash.result().toHex()));
        QList<qint64> sampleIds;
        QList<QByteArray> sampleNames;
        const int step = importRows / awkwardCsvNames().size();
        for (int k = 0; k < awkwardCsvNames().size(); ++k) {
            sampleIds << fixtureRows + 1 + k * step;
            sampleNames << awkwardCsvNames().at(k);
        }
        sampleIds << fixtureRows + importRows;
        sampleNames << m_csvNames.last();
        QCOMPARE(namesAsHex(sampleIds), expectedHex(sampleIds, sampleNames));
        QCOMPARE(psql(u"SELECT count(*) FROM my_table WHERE id > %1 AND name IS NULL"_s.arg(fixtureRows)), u"0"_s);
        // One transaction: current_timestamp is the transaction's start, the same for every row.
        QCOMPARE(psql(u"SELECT count(DISTINCT date) FROM my_table WHERE id > %1"_s.arg(fixtureRows)), u"1"_s);
        QCOMPARE(psql(u"SELECT md5(string_agg(t::text, chr(10) ORDER BY id)) FROM my_table t WHERE id <= %1"_s.arg(
                     fixtureRows)),
                 digestBefore.section(u"md5 "_s, 1));

        // The window: the first rows are still there, and the count knows about the new ones.
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), model()->windowSize(), 15000);
        waitUntilLoaded();
        QCOMPARE(namesInWindow().mid(0, 3), (QStringList{ u"alice"_s, u"bob"_s, u"O'Brien"_s }));
        QCOMPARE(namesInWindow().at(fixtureRows), QString::fromUtf8(m_csvNames.first()));
        QTRY_COMPARE_WITH_TIMEOUT(
            statusText("rowCountStatusLabel"),
            u"rows 1–%1 of %2"_s.arg(model()->windowSize()).arg(QLocale().toString(fixtureRows + importRows)), 10000);
        QCOMPARE(statusMessage(), u"Imported %1 rows from names.csv."_s.arg(QLocale().toString(importRows)));
        action("actionLastRows")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(model()->atEnd() && !model()->isLoading(), 15000);
        const int last = model()->rowCount() - 1;
        QCOMPARE(model()->index(last, 0).data(Qt::EditRole).toLongLong(), fixtureRows + importRows);
        QCOMPARE(model()->index(last, 1).data(Qt::EditRole).toString(), QString::fromUtf8(m_csvNames.last()));
    }

    void importOfATextFile()
    {
        // BOM, CRLF, blank lines; every line a name exactly as written (commas, quotes included).
        const QList<QByteArray> awkward = awkwardTextNames();
        QList<QByteArray> names;
        for (int i = 0; i < 30; ++i)
            names << "person " + QByteArray::number(i);
        for (int k = 0; k < awkward.size(); ++k)
            names.insert(k * 2, awkward.at(k));
        QByteArray text = "\xEF\xBB\xBF";
        for (int i = 0; i < names.size(); ++i)
            text += names.at(i) + (i == 5 ? "\r\n\r\n" : "\r\n");
        text += "\r\n";
        const QString path = writeFile(u"names.txt"_s, text);

        const DialogRun run = importFile(path);
        QVERIFY(run.shown);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(), u"Imported %1 rows from names.txt."_s.arg(names.size()));

        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows + names.size()));
        QList<qint64> ids;
        for (int i = 0; i < names.size(); ++i)
            ids << fixtureRows + 1 + i;
        QCOMPARE(namesAsHex(ids), expectedHex(ids, names));

        // The whole table fits the window: every new name is on screen, and counted.
        QTRY_COMPARE_WITH_TIMEOUT(model()->rowCount(), fixtureRows + int(names.size()), 15000);
        waitUntilLoaded();
        const QStringList shown = namesInWindow();
        for (int i = 0; i < names.size(); ++i)
            QCOMPARE(shown.at(fixtureRows + i), QString::fromUtf8(names.at(i)));
        QCOMPARE(statusText("rowCountStatusLabel"), u"%1 rows"_s.arg(fixtureRows + names.size()));
    }

    void aBadLineWritesNothing_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("messageStart");
        QTest::addColumn<bool>("previewRefuses"); // the preview reads the whole file and finds it

        // Long enough that rows have reached the server before the bad line: the transaction, not
        // the parser, is what keeps them out.
        auto manyLines = [](int count, const QByteArray& header = {}) {
            QByteArray lines = header;
            for (int i = 0; i < count; ++i)
                lines += "row " + QByteArray::number(i) + '\n';
            return lines;
        };
        const int before = 90000;
        QTest::newRow("invalid UTF-8 in a text file")
            << u"bad-utf8.txt"_s << manyLines(before) + "caf\xE9 latin-1\n" + manyLines(100)
            << u"Line %1 is not valid UTF-8"_s.arg(before + 1) << true;
        QTest::newRow("NUL byte") << u"nul.txt"_s << manyLines(before) + QByteArray("a\0b\n", 4) + manyLines(10)
                                  << u"Line %1 contains a NUL byte"_s.arg(before + 1) << true;
        QTest::newRow("quote inside an unquoted CSV field")
            << u"quote.csv"_s << manyLines(before, "name\n") + "ab\"c\n" + manyLines(10)
            << u"Line %1 has a quote (\") inside a field"_s.arg(before + 2) << true;
        QTest::newRow("CSV quote never closed")
            << u"unclosed.csv"_s << manyLines(before, "name\n") + "\"never closed\n" + manyLines(10)
            << u"Line %1 opens a quoted field that is never closed"_s.arg(before + 2) << true;
        QTest::newRow("CSV line with an extra field")
            << u"fields.csv"_s << manyLines(before, "name\n") + "Smith, John\n" + manyLines(10)
            << u"Line %1 has 2 fields, but the header names 1 (name)."_s.arg(before + 2) << true;
        QByteArray dated = "name,date\n";
        for (int i = 0; i < before; ++i)
            dated += "row " + QByteArray::number(i) + ",2024-01-01 00:00:00\n";
        QTest::newRow("a date the server refuses")
            << u"dates.csv"_s << dated + "bad,not a date\nafter,2024-01-01\n"
            << u"Line %1: invalid input syntax for type timestamp"_s.arg(before + 2) << false;
        // A column pgdesk does not import (email) is now shown in the preview as ignored:
        // tst_importpreview checks that.
    }

    void aBadLineWritesNothing()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, messageStart);
        QFETCH(bool, previewRefuses);
        const QString digestBefore = tableDigest();
        const auto preview = std::make_shared<ImportPreviewRun>();
        const DialogRun run = importFile(writeFile(fileName, content), {}, preview);

        QVERIFY(preview->shown);
        if (previewRefuses) {
            // Import stays disabled with the reason; nothing reaches the server.
            QVERIFY(!preview->importEnabled);
            QVERIFY2(preview->message.startsWith(messageStart), qPrintable(preview->message));
            QVERIFY(!run.shown);
            QCOMPARE(tableDigest(), digestBefore);
            return;
        }
        QVERIFY(preview->importEnabled);
        QVERIFY(run.shown);
        QVERIFY2(run.stayedOpenFinished, "a failed import must stay open with its message until Close");
        QVERIFY(run.messageVisible);
        QVERIFY2(run.failureText.startsWith(messageStart), qPrintable(run.failureText));
        QVERIFY2(run.failureText.endsWith(u"Nothing was imported."_s), qPrintable(run.failureText));
        QCOMPARE(run.closeButtonText, u"Close"_s);
        QCOMPARE(statusMessage(), run.failureText);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(tableDigest(), digestBefore);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows));
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), fixtureRows);
    }

    void aFileThatCannotBeReadOrWritten()
    {
        const QString digestBefore = tableDigest();
        const QString missing = m_dir.filePath(u"gone/names.txt"_s);
        const auto preview = std::make_shared<ImportPreviewRun>();
        DialogRun run = importFile(missing, {}, preview);
        // The preview is the first to read the file: it says so and keeps Import disabled.
        QVERIFY(preview->shown);
        QVERIFY(!preview->importEnabled);
        QVERIFY2(preview->message.startsWith(u"Cannot read %1: "_s.arg(missing)), qPrintable(preview->message));
        QVERIFY(!run.shown);
        QCOMPARE(tableDigest(), digestBefore);

        run = exportTo(missing);
        QVERIFY(run.stayedOpenFinished);
        QVERIFY2(run.failureText.startsWith(u"Cannot write %1: "_s.arg(missing)), qPrintable(run.failureText));
        QVERIFY2(run.failureText.endsWith(u"No file was written."_s), qPrintable(run.failureText));
        QCOMPARE(run.closeButtonText, u"Close"_s);
        QVERIFY(!QFileInfo::exists(QFileInfo(missing).absolutePath()));
        QVERIFY(MessageBox::shownTexts().isEmpty());
    }

    void cancelInTheMiddleOfAnImportWritesNothing()
    {
        QByteArray text;
        text.reserve(12 * 1000 * 1000);
        for (int i = 0; i < 1000000; ++i)
            text += "cancel " + QByteArray::number(i) + '\n';
        const QString path = writeFile(u"big.txt"_s, text);
        const QString digestBefore = tableDigest();
        const qint64 sizeBefore = sql(u"SELECT pg_relation_size('my_table')"_s).toLongLong();

        const DialogRun run = importFile(path, atBar(100));
        QVERIFY(run.shown);
        QVERIFY(run.cancelClicked);
        QVERIFY(!run.gaveUp);
        QVERIFY2(run.barWhenCancelled >= 100 && run.barWhenCancelled < 1000,
                 qPrintable(QString::number(run.barWhenCancelled)));
        QVERIFY(!run.stayedOpenFinished); // a cancel closes the dialog once the import has stopped
        QCOMPARE(statusMessage(), u"Import cancelled: nothing was written."_s);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        // Rows did reach the server (the table's file grew), and none of them is visible.
        QVERIFY(sql(u"SELECT pg_relation_size('my_table')"_s).toLongLong() > sizeBefore);
        QCOMPARE(tableDigest(), digestBefore);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows));
        QCOMPARE(psql(u"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND query LIKE 'COPY%'"_s),
                 u"0"_s);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), fixtureRows);
        QVERIFY(action("actionImport")->isEnabled());
    }

    void cancellingTheFileDialogDoesNothing()
    {
        const QString digestBefore = tableDigest();
        const DialogRun importRun = importFile(QString());
        const DialogRun exportRun = exportTo(QString());
        QVERIFY(!importRun.shown);
        QVERIFY(!exportRun.shown);
        QCOMPARE(FileDialog::askedCaptions(), (QStringList{ u"Import rows"_s, u"Export to CSV"_s }));
        QCOMPARE(tableDigest(), digestBefore);
        QVERIFY(MessageBox::shownTexts().isEmpty());
    }

    void exportOfTheWholeTableMatchesPsql()
    {
        sql(u"INSERT INTO my_table(name, date) SELECT 'row ' || g, "
            "timestamp '2024-01-01' + g * interval '1.000001 second' FROM generate_series(1, 100000) g"_s);
        const QString path = m_dir.filePath(u"export/whole.csv"_s);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        FileDialog::answerNext(path);
        QElapsedTimer clock;
        clock.start();
        const DialogRun run = runTransfer([this] { QTest::keyClick(view(), Qt::Key_E, Qt::ControlModifier); });
        qInfo("exported %d rows through the window in %lld ms", fixtureRows + 100000, clock.elapsed());
        QCOMPARE(FileDialog::askedCaptions(), QStringList{ u"Export to CSV"_s });
        QCOMPARE(FileDialog::suggestedPaths(), QStringList{ u"my_table.csv"_s });
        QVERIFY(run.shown);
        QCOMPARE(run.objectName, u"exportProgressDialog"_s);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(),
                 u"Exported %1 rows to whole.csv. Rows in the grid's order: by ID, ascending."_s.arg(
                     QLocale().toString(fixtureRows + 100000)));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray exported = file.readAll();
        const QByteArray expected
            = psqlBytes(u"COPY (SELECT * FROM my_table ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)"_s);
        QCOMPARE(expected.count('\n'), qsizetype(fixtureRows + 100000 + 2)); // header, rows, one inner newline
        QVERIFY(exported.startsWith("id,name,date\n1,alice,2024-03-10 02:30:00.123456\n"));
        QVERIFY(exported.contains("\n6,\"two\nlines\",2024-05-05 10:00:00.000001\n"));
        QVERIFY(exported.contains("\n8,,2024-05-07 10:00:00\n9,\"\",2024-05-08 10:00:00\n"));
        if (exported != expected) {
            const QList<QByteArray> ours = exported.split('\n');
            const QList<QByteArray> theirs = expected.split('\n');
            for (qsizetype i = 0; i < qMin(ours.size(), theirs.size()); ++i)
                QCOMPARE(ours.at(i), theirs.at(i));
            QCOMPARE(ours.size(), theirs.size());
        }
        QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{ u"whole.csv"_s });
    }

    void exportWritesOnlyTheFilteredRows()
    {
        sql(u"INSERT INTO my_table(name) SELECT 'row ' || g FROM generate_series(1, 20000) g"_s);
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QTest::keyClicks(search, u"ROW 1234"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), u"ROW 1234"_s, 3000);
        waitUntilLoaded();
        const QString path = m_dir.filePath(u"filtered.csv"_s);
        const DialogRun run = exportTo(path);
        QVERIFY(run.shown);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(), // row 1234, row 12340 … 12349
                 u"Exported 11 rows to filtered.csv. Rows in the grid's order: by ID, ascending; only names "
                 "containing “ROW 1234”."_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(),
                 psqlBytes(u"COPY (SELECT * FROM my_table WHERE name ILIKE '%row 1234%' ORDER BY id) "
                           "TO STDOUT WITH (FORMAT csv, HEADER)"_s));
    }

    void exportFollowsTheGridsSortAndFilter()
    {
        // Names with ties, rows moved in storage by an update: neither the file order of the table
        // nor its ids give the order the grid shows.
        sql(u"INSERT INTO my_table(name, date) SELECT 'item ' || (g % 7), "
            "timestamp '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 50) g"_s);
        sql(u"UPDATE my_table SET date = date + interval '1 second' WHERE id % 3 = 0"_s);
        view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        waitUntilLoaded();
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QTest::keyClicks(search, u"Item"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), u"Item"_s, 3000);
        waitUntilLoaded();
        QCOMPARE(model()->rowCount(), 50);
        QCOMPARE(namesInWindow().first(), u"item 6"_s);

        const QString path = m_dir.filePath(u"sorted-filtered.csv"_s);
        DialogRun run = exportTo(path);
        QVERIFY(run.shown);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray exported = file.readAll();
        QCOMPARE(exported,
                 psqlBytes(u"COPY (SELECT * FROM my_table WHERE name ILIKE '%item%' ORDER BY name DESC, id DESC) "
                           "TO STDOUT WITH (FORMAT csv, HEADER)"_s));
        QVERIFY(exported
                != psqlBytes(u"COPY (SELECT * FROM my_table WHERE name ILIKE '%item%') "
                             "TO STDOUT WITH (FORMAT csv, HEADER)"_s));
        QCOMPARE(run.description,
                 u"Exporting to sorted-filtered.csv, in the grid's order: by Name, descending; only names "
                 "containing “Item”"_s);
        QCOMPARE(statusMessage(),
                 u"Exported 50 rows to sorted-filtered.csv. Rows in the grid's order: by Name, descending; only "
                 "names containing “Item”."_s);
        file.close();

        // Without the filter: the NULL name first, as the grid shows it when descending.
        search->clear();
        QTRY_VERIFY_WITH_TIMEOUT(model()->nameFilter().isEmpty(), 3000);
        waitUntilLoaded();
        run = exportTo(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray whole = file.readAll();
        QVERIFY(whole.startsWith("id,name,date\n8,,2024-05-07 10:00:00\n"));
        QCOMPARE(whole,
                 psqlBytes(u"COPY (SELECT * FROM my_table ORDER BY name DESC NULLS FIRST, id DESC) "
                           "TO STDOUT WITH (FORMAT csv, HEADER)"_s));
        QCOMPARE(statusMessage(),
                 u"Exported 60 rows to sorted-filtered.csv. Rows in the grid's order: by Name, descending."_s);
    }

    void cancelInTheMiddleOfAnExportLeavesTheOldFile()
    {
        sql(u"INSERT INTO my_table(name) SELECT 'exported row ' || g FROM generate_series(1, 1000000) g"_s);
        sql(u"ANALYZE my_table"_s); // a known total, so the bar moves
        QTemporaryDir folder(m_dir.filePath(u"cancel-XXXXXX"_s));
        const QString path = folder.filePath(u"table.csv"_s);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("what the user had before\n");
        old.close();

        const DialogRun run = exportTo(path, atBar(50));
        QVERIFY(run.shown);
        QVERIFY(run.cancelClicked);
        QVERIFY(!run.gaveUp);
        QVERIFY2(run.barWhenCancelled >= 50 && run.barWhenCancelled < 1000,
                 qPrintable(QString::number(run.barWhenCancelled)));
        // Mid-way the rows went to a temporary file beside the target, more than a first block
        // (1 MiB) of them, while the target itself was still the user's...
        QVERIFY2(run.partialBytesWhenCancelled >= 1024 * 1024,
                 qPrintable(QString::number(run.partialBytesWhenCancelled)));
        QVERIFY2(run.filesWhenCancelled.contains(u"table.csv"_s), qPrintable(run.filesWhenCancelled.join(u' ')));
        QVERIFY(!run.stayedOpenFinished);
        QCOMPARE(statusMessage(), u"Export cancelled: no file was written."_s);
        // ...which is gone now, and the file the user had is untouched.
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden), QStringList{ u"table.csv"_s });
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("what the user had before\n"));
        QVERIFY(MessageBox::shownTexts().isEmpty());
    }

    void exportedFileImportsBack()
    {
        const QString path = m_dir.filePath(u"roundtrip.csv"_s);
        DialogRun run = exportTo(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        run = importFile(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(), u"Imported 10 rows from roundtrip.csv."_s);
        // Every row again, under a new id: the same name (NULL and '' kept apart) and date.
        QCOMPARE(psql(u"SELECT count(*) FROM my_table a JOIN my_table b ON b.id = a.id + %1 "
                      "AND a.name IS NOT DISTINCT FROM b.name AND a.date = b.date"_s.arg(fixtureRows)),
                 QString::number(fixtureRows));
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(2 * fixtureRows));
    }

    // Issue 20: a composite text-and-integer key exports as psql's COPY does, in the key's order
    // (tenants that need quotes, look like numbers or are empty), and the file imports back whole
    // into the emptied table: every column, the key included, by the header's names.
    void aCompositeKeyTableExportsAsPsqlAndImportsBack()
    {
        sql(u"DROP TABLE IF EXISTS shared"_s);
        sql(u"CREATE TABLE shared(tenant text, id integer, note text, amount numeric, PRIMARY KEY (tenant, id))"_s);
        sql(u"INSERT INTO shared SELECT (ARRAY['a', 'b,c', '\"q\"', '7', '007', ''])[1 + g % 6], g, "
            "CASE WHEN g % 5 = 0 THEN NULL WHEN g % 7 = 0 THEN '' ELSE 'note ' || g END, g / 7.0 "
            "FROM generate_series(1, 5000) g"_s);
        const QString copy = u"COPY (SELECT * FROM shared ORDER BY tenant, id) TO STDOUT WITH (FORMAT csv, HEADER)"_s;
        const QByteArray expected = psqlBytes(copy);
        m_window.reset();
        QString windowError;
        m_window = openTableWindow(m_server.settings(m_database), u"shared"_s, &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        const QString path = m_dir.filePath(u"shared.csv"_s);
        DialogRun run = exportTo(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), expected);

        sql(u"TRUNCATE shared"_s);
        run = importFile(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(), u"Imported %1 rows from shared.csv."_s.arg(QLocale().toString(5000)));
        QCOMPARE(psqlBytes(copy), expected);
    }

    void stagedEditsStayStagedThroughImportAndExport()
    {
        // An edited cell and a new row, not saved.
        const int bob = namesInWindow().indexOf(u"bob"_s);
        QVERIFY(bob >= 0);
        QVERIFY(model()->setData(model()->index(bob, 1), u"robert (unsaved)"_s));
        action("actionAddRow")->trigger();
        QTest::keyClicks(QApplication::focusWidget(), u"carol (unsaved)"_s);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCoreApplication::processEvents();
        QCOMPARE(model()->pendingChangeCount(), 2);

        // Import: its own connection and transaction; it neither asks nor touches the staged edits.
        const QString path = writeFile(u"staged.txt"_s, "dave\nerin\n");
        DialogRun run = importFile(path);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(), u"Imported 2 rows from staged.txt."_s);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
                 u"dave,erin"_s);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table WHERE name LIKE '%(unsaved)'"_s), u"0"_s);
        QTRY_COMPARE_WITH_TIMEOUT(namesInWindow().count(u"erin"_s), 1, 15000);
        waitUntilLoaded();
        QCOMPARE(model()->pendingChangeCount(), 2);
        QVERIFY(namesInWindow().contains(u"robert (unsaved)"_s));
        QVERIFY(namesInWindow().contains(u"carol (unsaved)"_s));

        // Export: what the database holds, not the staged values, which stay staged.
        const QString exportPath = m_dir.filePath(u"staged.csv"_s);
        run = exportTo(exportPath);
        QVERIFY2(!run.stayedOpenFinished, qPrintable(run.failureText));
        QCOMPARE(statusMessage(),
                 u"Exported 12 rows to staged.csv. Rows in the grid's order: by ID, ascending. Unsaved changes are "
                 "not in the file."_s);
        QFile file(exportPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray exported = file.readAll();
        QVERIFY(exported.contains("\n2,bob,"));
        QVERIFY(!exported.contains("unsaved"));
        QCOMPARE(model()->pendingChangeCount(), 2);

        // And they still save, next to the imported rows.
        action("actionSave")->trigger();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(psql(u"SELECT name FROM my_table WHERE id = 2"_s), u"robert (unsaved)"_s);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table WHERE name IN ('carol (unsaved)', 'dave', 'erin')"_s), u"3"_s);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows + 3));
    }
};

QTEST_MAIN(TestTransfers)
#include "tst_transfers.moc"
