#include "ImportPreviewDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TransferProgressDialog.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// File ▸ Import rows' preview (issue 15, "Import with a preview") driven through the real main
// window by object name: the delimiter, header line, encoding and column mapping chosen in the
// dialog, the row count it announces, skipping names the table holds, and Cancel. What landed is
// read back with psql.
class TestImportPreview : public QObject
{
    Q_OBJECT

private:
    static constexpr int fixtureRows = 4;
    using Step = std::function<void(ImportPreviewDialog*)>;

    struct Result
    {
        std::shared_ptr<ImportPreviewRun> preview = std::make_shared<ImportPreviewRun>();
        bool progressShown = false;
        QString description; // the progress dialog's
        QString failure; // the progress dialog stayed open with this
    };

    TestServer m_server;
    const QString m_database = u"tst_importpreview"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    QString psql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QString digest()
    {
        return psql(u"SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, chr(10) ORDER BY id)), '-') "
                    "FROM my_table t"_s);
    }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        [&] { QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate)); }();
        file.write(content);
        return path;
    }

    static Step choose(const char* comboName, const QVariant& data)
    {
        return [name = QString::fromLatin1(comboName), data](ImportPreviewDialog* dialog) {
            auto* combo = dialog->findChild<QComboBox*>(name);
            QVERIFY2(combo, qPrintable(name));
            combo->setCurrentIndex(combo->findData(data));
        };
    }
    static Step check(const char* boxName, bool on)
    {
        return [name = QString::fromLatin1(boxName), on](ImportPreviewDialog* dialog) {
            auto* box = dialog->findChild<QCheckBox*>(name);
            QVERIFY2(box, qPrintable(name));
            box->setChecked(on);
        };
    }

    // Import rows with the file chosen, the preview adjusted by steps then answered, and the
    // progress dialog watched: cancelled once its bar reaches cancelAtBar (if >= 0), closed when
    // it stays open on a failure.
    Result runImport(const QString& path, const QList<Step>& steps, bool pressImport = true, int cancelAtBar = -1)
    {
        Result result;
        FileDialog::answerNext(path);
        QPointer<QTimer> answer = answerImportPreview(result.preview, steps, pressImport);
        QTimer poll;
        bool cancelled = false;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* dialog = m_window->findChild<TransferProgressDialog*>();
            if (!dialog || !dialog->isVisible())
                return;
            result.progressShown = true;
            result.description = dialog->findChild<QLabel*>(u"descriptionLabel"_s)->text();
            auto* button = dialog->findChild<QPushButton*>(u"cancelButton"_s);
            if (dialog->isFinished()) {
                if (button->isEnabled()) {
                    result.failure = dialog->message();
                    QTest::mouseClick(button, Qt::LeftButton);
                }
                return;
            }
            if (cancelAtBar >= 0 && !cancelled && dialog->findChild<QProgressBar*>()->value() >= cancelAtBar) {
                cancelled = true;
                QTest::mouseClick(button, Qt::LeftButton);
            }
        });
        poll.start(5);
        action("actionImport")->trigger();
        poll.stop();
        delete answer.data();
        return result;
    }

    QString statusMessage() { return m_window->statusBar()->currentMessage(); }

    // The window on another table of the database, in place of the tutorial's.
    void openOn(const QString& table)
    {
        m_window.reset();
        QString error;
        m_window = openTableWindow(m_server.settings(m_database), table, &error);
        QVERIFY2(m_window, qPrintable(error));
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        FileDialog::clearTestState();
        psql(u"DROP TABLE IF EXISTS my_table"_s);
        psql(u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
             "date TIMESTAMP NOT NULL DEFAULT current_timestamp)"_s);
        psql(u"INSERT INTO my_table(name, date) VALUES ('alice', '2024-03-10 02:30:00'), "
             "('Zoë', '2024-05-01 10:00:00'), (NULL, '2024-05-07 10:00:00'), ('', '2024-05-08 10:00:00')"_s);
        QString windowError;
        m_window = openMainWindow(m_server.settings(m_database), &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    void semicolonFileWithHeader()
    {
        const QString path
            = writeFile(u"semi.csv"_s, "name;date\r\nAnn;2024-01-02 03:04:05\r\n\"Lee; Bo\";2024-02-03 00:00:00\r\n");
        // Read with commas first (the default for .csv): one column, which goes nowhere.
        const Result refused = runImport(path, {}, false);
        QVERIFY(refused.preview->shown);
        QVERIFY(!refused.preview->importEnabled);
        // ("Lee; Bo" is quoted, so read with commas its line is malformed, and said so.)
        QCOMPARE(
            refused.preview->message,
            u"Line 3 has text after the closing quote of a field. Inside a quoted field, write a quote twice (\"\")."_s);
        QVERIFY(!refused.progressShown);

        const Result result = runImport(path, { choose("delimiterCombo", 1 /* semicolon */) });
        QVERIFY(result.preview->importEnabled);
        QCOMPARE(result.preview->countedRows, qint64(2));
        QCOMPARE(
            result.preview->grid,
            (QList<QStringList>{ { u"Ann"_s, u"2024-01-02 03:04:05"_s }, { u"Lee; Bo"_s, u"2024-02-03 00:00:00"_s } }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(name || '|' || date, ',' ORDER BY id) FROM my_table WHERE id > %1"_s.arg(
                     fixtureRows)),
                 u"Ann|2024-01-02 03:04:05,Lee; Bo|2024-02-03 00:00:00"_s);
        QCOMPARE(statusMessage(), u"Imported 2 rows from semi.csv."_s);
    }

    void fileWithoutHeaderMappedByHand()
    {
        const QString path = writeFile(u"plain.csv"_s, "2024-01-01 10:00:00,Carl,x\n2024-01-02 10:00:00,,y\n");
        const Result result = runImport(
            path,
            { check("headerCheck", false), choose("mappingCombo0", u"date"_s), choose("mappingCombo1", u"name"_s) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->countedRows, qint64(2));
        // An unquoted empty field is NULL, shown as the grid shows it.
        QCOMPARE(
            result.preview->grid,
            (QList<QStringList>{ { u"Carl"_s, u"2024-01-01 10:00:00"_s }, { u"NULL"_s, u"2024-01-02 10:00:00"_s } }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(coalesce(name, '<null>') || '|' || date, ',' ORDER BY id) FROM my_table "
                      "WHERE id > %1"_s.arg(fixtureRows)),
                 u"Carl|2024-01-01 10:00:00,<null>|2024-01-02 10:00:00"_s);
    }

    void mappingWithoutNameKeepsImportDisabled()
    {
        const QString before = digest();
        const QString path = writeFile(u"email.csv"_s, "name,email\nann,ann@example.org\n");
        // A column pgdesk does not import starts as ignored; taking name away leaves nothing to write.
        const Result result = runImport(path, { choose("mappingCombo0", QString()) });
        QVERIFY(!result.preview->importEnabled);
        QCOMPARE(result.preview->message, u"No column of the file goes to a column of the table: choose one."_s);
        QVERIFY(!result.progressShown);
        QCOMPARE(digest(), before);

        const Result imported = runImport(path, {});
        QVERIFY(imported.preview->importEnabled);
        QCOMPARE(imported.preview->grid, (QList<QStringList>{ { u"ann"_s, u"default"_s } }));
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table WHERE id > %1"_s.arg(fixtureRows)), u"ann"_s);
    }

    void latin1FileWithZoe()
    {
        const QString path = writeFile(u"latin1.csv"_s, "name\nZo\xEB\nRen\xE9\n");
        // As UTF-8 the bytes cannot be read: Import stays disabled with the reason.
        const Result refused = runImport(path, {}, false);
        QVERIFY(!refused.preview->importEnabled);
        QVERIFY2(refused.preview->message.startsWith(u"Line 2 is not valid UTF-8"_s),
                 qPrintable(refused.preview->message));

        const Result result = runImport(path, { choose("encodingCombo", int(ImportOptions::Encoding::Latin1)) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->grid.value(0).value(0), u"Zoë"_s);
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(encode(convert_to(name, 'UTF8'), 'hex'), ',' ORDER BY id) FROM my_table "
                      "WHERE id > %1"_s.arg(fixtureRows)),
                 u"5a6fc3ab,52656ec3a9"_s);
    }

    void windows1252File()
    {
        // 0x80 is the euro sign in Windows-1252 and a control character in Latin-1.
        const QString path = writeFile(u"cp1252.txt"_s, "5 \x80\n");
        const Result result = runImport(path, { choose("encodingCombo", int(ImportOptions::Encoding::Windows1252)) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(psql(u"SELECT name FROM my_table WHERE id > %1"_s.arg(fixtureRows)), u"5 €"_s);
    }

    void reimportOfOwnExportWithSkipChangesNothing()
    {
        const QString path = m_dir.filePath(u"own.csv"_s);
        FileDialog::answerNext(path);
        action("actionExport")->trigger();
        QTRY_VERIFY(QFile::exists(path));
        const QString before = digest();
        const Result result = runImport(path, { check("skipExistingCheck", true) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->countedRows, qint64(fixtureRows));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        // The rows shown were checked against the table (a network job): all four are there.
        QCOMPARE(result.preview->struckThrough, QList<bool>(fixtureRows, true));
        QVERIFY2(result.preview->rowCountText.endsWith(u"4 of the 4 rows shown are there already (struck through)."_s),
                 qPrintable(result.preview->rowCountText));
        QCOMPARE(result.description, u"Importing own.csv, skipping rows whose name is already in the table"_s);
        QCOMPARE(digest(), before);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), QString::number(fixtureRows));
        QCOMPARE(statusMessage(),
                 u"Imported 0 rows from own.csv. Skipped 4 rows whose name was already in the table."_s);

        // Only the new names land, in file order; names compare exactly (zoë is not Zoë).
        const QString mixed = writeFile(u"mixed.csv"_s, "name\nalice\nzoë\n\nnew one\n\"\"\nZoë\n");
        const Result second = runImport(mixed, { check("skipExistingCheck", true) });
        // alice, "" and Zoë are in the table; zoë (another case) and "new one" are not.
        QCOMPARE(second.preview->struckThrough, (QList<bool>{ true, false, false, true, true }));
        QVERIFY2(second.failure.isEmpty(), qPrintable(second.failure));
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
                 u"zoë,new one"_s);
        QCOMPARE(statusMessage(),
                 u"Imported 2 rows from mixed.csv. Skipped 3 rows whose name was already in the table."_s);
    }

    void cancelWritesNothing()
    {
        QByteArray text;
        for (int i = 0; i < 1000000; ++i)
            text += "cancel " + QByteArray::number(i) + '\n';
        const QString path = writeFile(u"big.txt"_s, text);
        const QString before = digest();

        // Cancel in the preview: no progress dialog, nothing sent.
        const Result atPreview = runImport(path, {}, false);
        QVERIFY(atPreview.preview->shown);
        QVERIFY(!atPreview.progressShown);
        QCOMPARE(digest(), before);

        // Cancel while the rows go through the temporary table of "skip existing".
        const Result during = runImport(path, { check("skipExistingCheck", true) }, true, 100);
        QVERIFY(during.progressShown);
        QCOMPARE(statusMessage(), u"Import cancelled: nothing was written."_s);
        QCOMPARE(digest(), before);
    }

    void previewCountEqualsWhatLands()
    {
        // Blank lines, a quoted field over two lines, CRLF: the count is rows, not lines.
        QByteArray csv = "id,name,date\r\n";
        for (int i = 0; i < 5000; ++i) {
            csv += ",\"row " + QByteArray::number(i) + (i % 7 == 0 ? "\nsecond line\"" : "\"") + ",2024-01-01\r\n";
            if (i % 100 == 0)
                csv += "\r\n";
        }
        const QString path = writeFile(u"count.csv"_s, csv);
        const Result result = runImport(path, {});
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->grid.size(), qsizetype(ImportPreviewDialog::previewRows));
        QCOMPARE(result.preview->rowCountText, u"%1 rows will be written."_s.arg(QLocale().toString(5000)));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT count(*) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
                 QString::number(result.preview->countedRows));
    }

    // A text file read as one name per line, then switched to commas without a header line: the
    // column choices are made for the comma-separated reading, so the first line is a row too.
    void aTextFileReadWithCommasMapsItsColumn()
    {
        const QString path = writeFile(u"names.txt"_s, "name\nbob\n");
        const Result result = runImport(path, { choose("delimiterCombo", 0 /* comma */) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->grid, (QList<QStringList>{ { u"name"_s, u"default"_s }, { u"bob"_s, u"default"_s } }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table WHERE id > %1"_s.arg(fixtureRows)),
                 u"name,bob"_s);
    }

    // Issue 20: a table of another shape imports by its header's names (any case, any order), the
    // server converting each value to its column's type; a generated column is not offered, a
    // column the table lacks is ignored, and "skip" compares the whole composite key.
    void aTableOfAnotherShapeImportsByItsHeader()
    {
        psql(u"DROP TABLE IF EXISTS accounts"_s);
        psql(u"CREATE TABLE accounts(tenant text, id integer, email varchar(40), active boolean, "
             "balance numeric(12,2), tags text[], born date, "
             "doubled numeric GENERATED ALWAYS AS (balance * 2) STORED, PRIMARY KEY (tenant, id))"_s);
        psql(u"INSERT INTO accounts(tenant, id, email, balance) VALUES ('a', 1, 'old@example.org', 1.5)"_s);
        openOn(u"accounts"_s);
        QVERIFY(action("actionImport")->isEnabled());
        const auto rows = [this] {
            return psql(u"SELECT string_agg(concat_ws('|', tenant, id, coalesce(email, '<null>'), "
                        "coalesce(active::text, '<null>'), coalesce(balance::text, '<null>'), "
                        "coalesce(tags::text, '<null>'), coalesce(born::text, '<null>'), "
                        "coalesce(doubled::text, '<null>')), ';' ORDER BY tenant, id) FROM accounts"_s);
        };
        const QString path = writeFile(u"accounts.csv"_s,
                                       "ID,Tenant,email,active,balance,tags,born,notes\n"
                                       "2,a,ann@example.org,true,10.25,\"{x,\"\"y z\"\"}\",2001-02-03,ignored\n"
                                       "1,\"b,c\",,f,,{},,\n");
        const Result result = runImport(path, {});
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        const QStringList fillable{ u"tenant"_s, u"id"_s, u"email"_s, u"active"_s, u"balance"_s, u"tags"_s, u"born"_s };
        QCOMPARE(result.preview->gridColumns, fillable);
        QCOMPARE(result.preview->firstColumnChoices, QStringList{ u"ignore"_s } + fillable);
        QVERIFY(result.preview->skipOffered);
        QCOMPARE(result.preview->skipText, u"&Skip rows whose (tenant, id) already exists in the table"_s);
        QCOMPARE(result.preview->grid.value(0),
                 (QStringList{ u"a"_s, u"2"_s, u"ann@example.org"_s, u"true"_s, u"10.25"_s, u"{x,\"y z\"}"_s,
                               u"2001-02-03"_s }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(statusMessage(), u"Imported 2 rows from accounts.csv."_s);
        QCOMPARE(rows(),
                 u"a|1|old@example.org|<null>|1.50|<null>|<null>|3.00;"
                 "a|2|ann@example.org|true|10.25|{x,\"y z\"}|2001-02-03|20.50;"
                 "b,c|1|<null>|false|<null>|{}|<null>|<null>"_s);

        // Skip by the whole key: (a, 1) and ("b,c", 1) are there; (A, 1) differs in case.
        const QString before = rows();
        const QString again
            = writeFile(u"again.csv"_s, "tenant,id,email\na,1,dup\nA,1,new@example.org\n\"b,c\",1,dup\n");
        const Result second = runImport(again, { check("skipExistingCheck", true) });
        QVERIFY2(second.preview->importEnabled, qPrintable(second.preview->message));
        QCOMPARE(second.preview->struckThrough, (QList<bool>{ true, false, true }));
        QCOMPARE(second.description,
                 u"Importing again.csv, skipping rows whose (tenant, id) is already in the table"_s);
        QVERIFY2(second.failure.isEmpty(), qPrintable(second.failure));
        QCOMPARE(statusMessage(),
                 u"Imported 1 row from again.csv. Skipped 2 rows whose (tenant, id) was already in the table."_s);
        QCOMPARE(rows(), u"A|1|new@example.org|<null>|<null>|<null>|<null>|<null>;"_s + before);
    }

    // A uuid key is compared as a uuid (capitals find the row), and a value its column's type
    // cannot read stops the import on its file line with nothing written. With a default
    // (gen_random_uuid()), which is not numbering, the file's keys are still offered; rows are then
    // not matched by a key the file may leave to that default.
    void aUuidKeyIsComparedAsAUuid()
    {
        psql(u"DROP TABLE IF EXISTS tokens"_s);
        psql(u"CREATE TABLE tokens(id uuid PRIMARY KEY, amount integer)"_s);
        psql(u"INSERT INTO tokens VALUES ('0e6a3c2c-7b5d-4f4e-9a51-6b2d8f1c9e01', 5)"_s);
        openOn(u"tokens"_s);
        const QString path = writeFile(u"tokens.csv"_s,
                                       "id,amount\n0E6A3C2C-7B5D-4F4E-9A51-6B2D8F1C9E01,6\n"
                                       "11111111-2222-3333-4444-555555555555,7\n");
        const Result result = runImport(path, { check("skipExistingCheck", true) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->struckThrough, (QList<bool>{ true, false }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(statusMessage(),
                 u"Imported 1 row from tokens.csv. Skipped 1 row whose id was already in the table."_s);
        const auto rows
            = [this] { return psql(u"SELECT string_agg(id || ':' || amount, ',' ORDER BY id) FROM tokens"_s); };
        QCOMPARE(rows(), u"0e6a3c2c-7b5d-4f4e-9a51-6b2d8f1c9e01:5,11111111-2222-3333-4444-555555555555:7"_s);

        const QString before = rows();
        const QString bad = writeFile(u"bad.csv"_s,
                                      "id,amount\n22222222-2222-2222-2222-222222222222,8\n"
                                      "33333333-3333-3333-3333-333333333333,eight\n");
        const Result refused = runImport(bad, {});
        QVERIFY2(refused.failure.startsWith(u"Line 3: "_s), qPrintable(refused.failure));
        QVERIFY2(refused.failure.endsWith(u"Nothing was imported."_s), qPrintable(refused.failure));
        QCOMPARE(rows(), before);

        psql(u"ALTER TABLE tokens ALTER COLUMN id SET DEFAULT gen_random_uuid()"_s);
        openOn(u"tokens"_s);
        // With a default the key is still offered, and a file that fills it (an export read back)
        // is matched by it; a file that leaves it to the default has nothing to match by here.
        const Result withDefault = runImport(path, {}, false);
        QCOMPARE(withDefault.preview->firstColumnChoices, (QStringList{ u"ignore"_s, u"id"_s, u"amount"_s }));
        QCOMPARE(withDefault.preview->grid.value(0).value(0), u"0E6A3C2C-7B5D-4F4E-9A51-6B2D8F1C9E01"_s);
        QVERIFY(withDefault.preview->skipOffered);
        QVERIFY2(withDefault.preview->skipText.contains(u"id"_s), qPrintable(withDefault.preview->skipText));
        const Result keyLeftOut = runImport(path, { choose("mappingCombo0", QString()) }, false);
        QVERIFY(!keyLeftOut.preview->skipOffered);
        QCOMPARE(rows(), before);
    }

    // A key with a default (a reading's now()) that the file fills is what tells its rows apart,
    // not the name: the first row's key is in the table (its name is not), the second's name is
    // (its key is not). A file that leaves the time to its default is matched by name.
    void aKeyTheFileFillsIsMatchedThoughItHasADefault()
    {
        psql(u"DROP TABLE IF EXISTS samples"_s);
        psql(u"CREATE TABLE samples(device integer, at timestamptz DEFAULT now(), name text, value integer, "
             "PRIMARY KEY (device, at))"_s);
        psql(u"INSERT INTO samples VALUES (1, '2024-01-01 00:00:00+00', 'a', 1)"_s);
        openOn(u"samples"_s);
        const QString path = writeFile(u"samples.csv"_s,
                                       "device,at,name,value\n1,2024-01-01 00:00:00+00,b,5\n"
                                       "1,2024-01-02 00:00:00+00,a,6\n");
        const Result result = runImport(path, { check("skipExistingCheck", true) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QVERIFY2(result.preview->skipText.contains(u"device"_s) && result.preview->skipText.contains(u"at"_s),
                 qPrintable(result.preview->skipText));
        QCOMPARE(result.preview->struckThrough, (QList<bool>{ true, false }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(name || ':' || value, ',' ORDER BY at) FROM samples"_s), u"a:1,a:6"_s);

        const QString named = writeFile(u"named.csv"_s, "device,name,value\n2,a,7\n2,c,8\n");
        const Result byName = runImport(named, { check("skipExistingCheck", true) });
        QVERIFY2(byName.preview->skipText.contains(u"name"_s), qPrintable(byName.preview->skipText));
        QCOMPARE(byName.preview->struckThrough, (QList<bool>{ true, false }));
        QVERIFY2(byName.failure.isEmpty(), qPrintable(byName.failure));
        QCOMPARE(psql(u"SELECT string_agg(name || ':' || value, ',' ORDER BY value) FROM samples"_s), u"a:1,a:6,c:8"_s);
    }

    // A citext or char(n) key is matched as its type: the table's 'Bob@Example.org' is the file's
    // 'bob@example.org', its 'ab' the file's 'ab  ', so those rows are skipped, not refused as
    // duplicate keys (which failed the whole import).
    void aKeyIsMatchedAsItsOwnType()
    {
        psql(u"CREATE EXTENSION IF NOT EXISTS citext"_s);
        psql(u"DROP TABLE IF EXISTS people, codes"_s);
        psql(u"CREATE TABLE people(email citext PRIMARY KEY, name text); "
             "INSERT INTO people VALUES ('Bob@Example.org', 'bob')"_s);
        openOn(u"people"_s);
        const QString path
            = writeFile(u"people.csv"_s, "email,name\nbob@example.org,bob again\ncarol@example.org,carol\n");
        const Result result = runImport(path, { check("skipExistingCheck", true) });
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->struckThrough, (QList<bool>{ true, false }));
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT string_agg(email || ':' || name, ',' ORDER BY name) FROM people"_s),
                 u"Bob@Example.org:bob,carol@example.org:carol"_s);

        psql(u"CREATE TABLE codes(code char(4) PRIMARY KEY, name text); INSERT INTO codes VALUES ('ab', 'old')"_s);
        openOn(u"codes"_s);
        const QString codes = writeFile(u"codes.csv"_s, "code,name\nab  ,again\nabc,new\n");
        const Result padded = runImport(codes, { check("skipExistingCheck", true) });
        QCOMPARE(padded.preview->struckThrough, (QList<bool>{ true, false }));
        QVERIFY2(padded.failure.isEmpty(), qPrintable(padded.failure));
        QCOMPARE(psql(u"SELECT string_agg(format('[%s]', code) || name, ',' ORDER BY code) FROM codes"_s),
                 u"[ab  ]old,[abc ]new"_s);
    }

    // A serial key is the server's to number, as Add row leaves it: a file's id is not offered.
    // Without a key the file can fill or a text name, no skip is offered. A table whose every
    // column the server fills cannot import at all.
    void aSerialKeyIsNumberedByTheServer()
    {
        psql(u"DROP TABLE IF EXISTS readings"_s);
        psql(u"CREATE TABLE readings(id bigserial PRIMARY KEY, at timestamptz NOT NULL, value double precision)"_s);
        openOn(u"readings"_s);
        const QString path = writeFile(u"readings.csv"_s, "id,at,value\n99,2024-01-01 00:00:00+00,1.5\n");
        const Result result = runImport(path, {});
        QVERIFY2(result.preview->importEnabled, qPrintable(result.preview->message));
        QCOMPARE(result.preview->gridColumns, (QStringList{ u"at"_s, u"value"_s }));
        QCOMPARE(result.preview->firstColumnChoices, (QStringList{ u"ignore"_s, u"at"_s, u"value"_s }));
        QVERIFY(!result.preview->skipOffered);
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(psql(u"SELECT id || '|' || (at AT TIME ZONE 'UTC') || '|' || value FROM readings"_s),
                 u"1|2024-01-01 00:00:00|1.5"_s);

        // A default that wraps nextval() in a cast numbers rows as a serial's does.
        psql(u"DROP TABLE IF EXISTS tickets"_s);
        psql(u"CREATE SEQUENCE IF NOT EXISTS ticket_numbers"_s);
        psql(u"CREATE TABLE tickets(id integer PRIMARY KEY DEFAULT (nextval('ticket_numbers') % 1000000)::integer, "
             "title text)"_s);
        openOn(u"tickets"_s);
        const Result wrapped = runImport(writeFile(u"tickets.csv"_s, "id,title\n7,printer\n"), {}, false);
        QCOMPARE(wrapped.preview->gridColumns, (QStringList{ u"title"_s }));

        psql(u"DROP TABLE IF EXISTS counters"_s);
        psql(u"CREATE TABLE counters(id bigserial PRIMARY KEY)"_s);
        openOn(u"counters"_s);
        QVERIFY(!action("actionImport")->isEnabled());
    }
};

QTEST_MAIN(TestImportPreview)
#include "tst_importpreview.moc"
