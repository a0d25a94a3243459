#include "ImportPreviewDriver.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "config/TableName.h"
#include "editing/TabSeparatedText.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/TransferProgressDialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

// The classic injection payloads through every way text gets into pgdesk (the filter box, the
// cell editor, paste, import, PG_TABLE), on the real window against the real fixture server.
// Each case checks with psql what the database holds: the exact text, nothing dropped, nothing
// created. Then the texts that cannot round-trip as typed (a NUL, invalid UTF-8) and a 1 MB name.
class TestInjection : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    const QString m_database = u"tst_injection"_s;
    std::unique_ptr<MainWindow> m_window;
    int m_seededRows = 0;
    qint64 m_lastSeededId = 0;

    static QList<std::pair<const char*, QString>> payloads()
    {
        return {
            { "quote, drop, comment", u"'; DROP TABLE my_table; --"_s },
            { "Bobby Tables", u"Robert'); DROP TABLE my_table;--"_s },
            { "or 1=1", u"' OR '1'='1"_s },
            { "percent", u"%"_s },
            { "underscore", u"_"_s },
            { "backslash", u"\\"_s },
            { "dollar quotes", u"$$"_s },
            { "escape string", u"E'\\\\x00'"_s },
            { "escape string, one backslash", u"E'\\x00'"_s },
            { "double quote, delete", u"\"; DELETE FROM my_table; --"_s },
            { "stacked sleep", u"1; SELECT pg_sleep(10)"_s },
            { "backslashes and quotes", u"\\\\'\\\"; --\\' OR ''='\" \\"_s },
            { "unicode quotes", u"‘’“”„‚＇＂′ OR ‘1’=‘1"_s },
            { "LIKE escape of the filter", u"!%_!"_s },
            { "Qt placeholders", u"? :name $1 ' ? '"_s },
            { "comment markers", u"*/ /* -- "_s },
        };
    }

    static void addPayloadColumn()
    {
        QTest::addColumn<QString>("payload");
        for (const auto& [tag, payload] : payloads())
            QTest::newRow(tag) << payload;
    }

    // The text as an SQL expression that needs no quoting of its own: nothing of the payload
    // reaches psql's command line except hex digits.
    static QString literal(const QString& text)
    {
        return u"convert_from(decode('%1', 'hex'), 'UTF8')"_s.arg(QString::fromLatin1(text.toUtf8().toHex()));
    }

    QString query(const QString& statement)
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, statement, &ok);
        [&] { QVERIFY2(ok, qPrintable(statement.left(300))); }();
        return output;
    }

    // Exactly the bytes the server holds, NULL as "NULL".
    QByteArray storedName(const QString& whereClause)
    {
        const QString hex = query(u"SELECT coalesce(encode(convert_to(name, 'UTF8'), 'hex'), 'NULL') FROM my_table "
                                  "WHERE "_s
                                  + whereClause);
        return hex == u"NULL"_s ? QByteArray("NULL") : QByteArray::fromHex(hex.toLatin1());
    }
    QByteArray storedName(qint64 id) { return storedName(u"id = "_s + QString::number(id)); }

    // The tables of the database with their row counts, to see that nothing was dropped,
    // created or emptied.
    QString tablesAndCounts()
    {
        return query(u"SELECT string_agg(format('%I.%I', schemaname, tablename), ', ' ORDER BY schemaname, tablename) "
                     "FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"_s)
            + u" / my_table "_s + query(u"SELECT count(*) FROM my_table"_s) + u" / bystander "_s
            + query(u"SELECT count(*) FROM bystander"_s);
    }
    QString expectedTables(int myTableRows) const
    {
        return u"public.bystander, public.my_table / my_table %1 / bystander 1"_s.arg(myTableRows);
    }

    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->tableView(); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    void waitForTheWindow() { QVERIFY(waitUntilWindowLoaded(m_window.get())); }

    void openWindow(const ConnectionSettings& settings)
    {
        QString windowError;
        m_window = openMainWindow(settings, &windowError);
        QVERIFY2(m_window, qPrintable(windowError));
    }

    int rowOfId(qint64 id)
    {
        waitForTheWindow();
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, 0).data(Qt::EditRole).toLongLong() == id)
                return row;
        }
        return -1;
    }
    qint64 idOf(const QString& name)
    {
        return query(u"SELECT id FROM my_table WHERE name = "_s + literal(name)).toLongLong();
    }
    QModelIndex nameCellOf(qint64 id) { return model()->index(rowOfId(id), 1); }

    QString shownIds()
    {
        waitForTheWindow();
        QList<qint64> ids;
        for (int row = 0; row < model()->rowCount(); ++row)
            ids << model()->index(row, 0).data(Qt::EditRole).toLongLong();
        std::sort(ids.begin(), ids.end());
        QStringList text;
        for (qint64 id : ids)
            text << QString::number(id);
        return text.join(u',');
    }

    // QTest::keyClicks() takes Latin-1 only; other characters arrive as a keyboard layout sends
    // them, as key events with text and no key code.
    static void typeText(QWidget* widget, const QString& text)
    {
        for (qsizetype i = 0; i < text.size(); ++i) {
            const qsizetype length = text.at(i).isHighSurrogate() ? 2 : 1;
            if (text.at(i).unicode() < 128)
                QTest::keyClick(widget, text.at(i).toLatin1());
            else
                QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, text.mid(i, length), Qt::NoModifier);
            i += length - 1;
        }
    }

    void filterBy(const QString& text)
    {
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QVERIFY(search);
        search->clear();
        typeText(search, text);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        waitForTheWindow();
    }

    // The open cell editor, as the user has it after F2 or Add row.
    QLineEdit* cellEditor()
    {
        QCoreApplication::processEvents();
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        return editor && editor->objectName() == u"cellLineEdit"_s ? editor : nullptr;
    }
    QLineEdit* openEditorOn(const QModelIndex& cell)
    {
        view()->setCurrentIndex(cell);
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F2);
        return cellEditor();
    }
    // Enter commits through a queued call of the delegate.
    static void pressEnterIn(QLineEdit* editor)
    {
        QTest::keyClick(editor, Qt::Key_Return);
        QCoreApplication::processEvents();
    }

    // What the user does with text from elsewhere: F2 on the cell, Ctrl+V into its editor, Enter.
    // Returns what the editor held.
    QString pasteIntoEditorOf(const QModelIndex& cell)
    {
        QLineEdit* editor = openEditorOn(cell);
        [&] { QVERIFY2(editor, "F2 opened no cell editor"); }();
        if (!editor)
            return {};
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_V, Qt::ControlModifier);
        const QString text = editor->text();
        pressEnterIn(editor);
        return text;
    }

    void saveWithoutAMessage()
    {
        action("actionSave")->trigger();
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QVERIFY(!model()->hasPendingChanges());
        waitForTheWindow();
    }

    // Import through the window's own path: the Import action, its file dialog (answered through
    // FileDialog), its progress dialog. A failed import leaves the progress dialog open with the
    // reason; the timer reads and closes it.
    QString importThroughTheWindow(const QString& path)
    {
        FileDialog::clearTestState();
        FileDialog::answerNext(path);
        QString failure;
        QTimer closeFailure;
        closeFailure.setInterval(20);
        connect(&closeFailure, &QTimer::timeout, this, [&] {
            if (auto* progress = qobject_cast<TransferProgressDialog*>(QApplication::activeModalWidget())) {
                auto* message = progress->findChild<QLabel*>(u"messageLabel"_s);
                if (message && message->isVisible()) {
                    failure = message->text();
                    progress->reject();
                }
            }
        });
        closeFailure.start();
        // The preview, as it opens: its defaults read the file as the import always did.
        const auto preview = std::make_shared<ImportPreviewRun>();
        QPointer<QTimer> answer = answerImportPreview(preview);
        action("actionImport")->trigger();
        delete answer.data();
        closeFailure.stop();
        [&] { QVERIFY2(preview->importEnabled, qPrintable(preview->message)); }();
        [&] { QCOMPARE(FileDialog::askedCaptions().size(), 1); }();
        [&] { QVERIFY2(failure.isEmpty(), qPrintable(failure)); }();
        waitForTheWindow();
        return m_window->statusBar()->currentMessage();
    }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        QFile file(m_dir.filePath(name));
        const bool written
            = file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
        [&] { QVERIFY2(written, qPrintable(file.fileName())); }();
        return file.fileName();
    }

    static QString csvField(const QString& text)
    {
        QString quoted = text;
        quoted.replace(u"\""_s, u"\"\""_s);
        return u'"' + quoted + u'"';
    }

    static QByteArray md5(const QString& text)
    {
        return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    // Every payload is a name in the table, alone and inside other text, beside decoys that
    // a wildcard or a broken quote would match too.
    void init()
    {
        MessageBox::clearTestState();
        QStringList values = { u"'alice'"_s,       u"'bob'"_s,      u"'snake_case'"_s, u"'100% sure'"_s,
                               u"'back\\slash'"_s, u"'O''Brien'"_s, u"NULL"_s,         u"''"_s };
        for (const auto& [tag, payload] : payloads())
            values << literal(payload) << literal(u"before "_s + payload + u" after"_s);
        m_seededRows = static_cast<int>(values.size());
        // Whatever a case created goes, so each starts with these two tables only.
        query(u"DROP SCHEMA IF EXISTS \"Inj Schema\" CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public"_s);
        query(u"CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY, name varchar, "
              "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
              "CREATE TABLE bystander(note text); INSERT INTO bystander VALUES ('still here'); "
              "INSERT INTO my_table(name) VALUES ("_s
              + values.join(u"), ("_s) + u')');
        m_lastSeededId = query(u"SELECT max(id) FROM my_table"_s).toLongLong();
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows));
        openWindow(m_server.settings(m_database));
        QVERIFY(m_window && model());
        QCOMPARE(model()->rowCount(), m_seededRows);
    }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void filterBoxMatchesThePayloadLiterally_data() { addPayloadColumn(); }
    void filterBoxMatchesThePayloadLiterally()
    {
        QFETCH(QString, payload);
        const QString containing = query(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM my_table "
                                         "WHERE strpos(lower(name), lower(%1)) > 0"_s.arg(literal(payload)));
        QVERIFY2(!containing.isEmpty(), "the payload is seeded, so something must match");
        QVERIFY(containing.count(u',') + 1 < m_seededRows);
        filterBy(payload);
        QCOMPARE(shownIds(), containing);

        action("actionExactMatch")->setChecked(true);
        m_window->applyFilterNow();
        waitForTheWindow();
        QCOMPARE(
            shownIds(),
            query(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM my_table WHERE name = "_s + literal(payload)));
        QCOMPARE(model()->rowCount(), 1);
        QVERIFY2(MessageBox::shownTexts().isEmpty(), qPrintable(MessageBox::shownTexts().join(u'\n')));
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows));
    }

    void cellEditorStoresThePayloadExactly_data() { addPayloadColumn(); }
    void cellEditorStoresThePayloadExactly()
    {
        QFETCH(QString, payload);
        const qint64 alice = idOf(u"alice"_s);
        QLineEdit* editor = openEditorOn(nameCellOf(alice));
        QVERIFY2(editor, "F2 opened no cell editor");
        editor->selectAll();
        typeText(editor, payload);
        pressEnterIn(editor);

        action("actionAddRow")->trigger(); // opens the new row's name editor
        editor = cellEditor();
        QVERIFY2(editor, "Add row opened no cell editor");
        typeText(editor, payload);
        pressEnterIn(editor);
        QCOMPARE(model()->pendingChangeCount(), 2);
        saveWithoutAMessage();

        QCOMPARE(storedName(alice), payload.toUtf8());
        QCOMPARE(storedName(u"id > %1"_s.arg(m_lastSeededId)), payload.toUtf8());
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows + 1));
    }

    void pasteStoresThePayloadExactly_data() { addPayloadColumn(); }
    void pasteStoresThePayloadExactly()
    {
        QFETCH(QString, payload);
        QClipboard* clipboard = QGuiApplication::clipboard();
        const qint64 alice = idOf(u"alice"_s);
        const qint64 bob = idOf(u"bob"_s);
        // As a spreadsheet puts it on the clipboard...
        clipboard->setText(TabSeparatedText::format({ { payload } }));
        view()->setCurrentIndex(nameCellOf(alice));
        action("actionPaste")->trigger();
        // ...and as plain text copied from anywhere.
        clipboard->setText(payload);
        view()->setCurrentIndex(nameCellOf(bob));
        action("actionPaste")->trigger();
        clipboard->setText(TabSeparatedText::format({ { payload }, { payload + u" again"_s } }));
        action("actionPasteAsNewRows")->trigger();
        QCOMPARE(model()->pendingChangeCount(), 4);
        saveWithoutAMessage();

        QCOMPARE(storedName(alice), payload.toUtf8());
        QCOMPARE(storedName(bob), payload.toUtf8());
        QCOMPARE(storedName(u"id = %1 + 1"_s.arg(m_lastSeededId)), payload.toUtf8());
        QCOMPARE(storedName(u"id = %1 + 2"_s.arg(m_lastSeededId)), (payload + u" again"_s).toUtf8());
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows + 2));
    }

    void importStoresThePayloadExactly_data() { addPayloadColumn(); }
    void importStoresThePayloadExactly()
    {
        QFETCH(QString, payload);
        const QString csv = writeFile(u"names.csv"_s, (u"name\n"_s + csvField(payload) + u'\n').toUtf8());
        QVERIFY2(importThroughTheWindow(csv).startsWith(u"Imported 1 row"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
        const QString text = writeFile(u"names.txt"_s, (payload + u'\n').toUtf8());
        QVERIFY2(importThroughTheWindow(text).startsWith(u"Imported 1 row"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));

        QCOMPARE(storedName(u"id = %1 + 1"_s.arg(m_lastSeededId)), payload.toUtf8());
        QCOMPARE(storedName(u"id = %1 + 2"_s.arg(m_lastSeededId)), payload.toUtf8());
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows + 2));
        // The window refreshed after each import and shows both rows.
        QVERIFY(rowOfId(m_lastSeededId + 1) >= 0);
        QVERIFY(rowOfId(m_lastSeededId + 2) >= 0);
    }

    // PG_TABLE is an identifier, not a value: pgdesk always double-quotes it (TableName::sql()),
    // and text that is not one or two identifiers is refused before connecting. Qt's QPSQL driver
    // is the weak spot: QSqlTableModel::setTable() has it look the table up with the name put
    // between single quotes unescaped, so a name holding one is refused too (it dropped bystander
    // before), and one holding a doubled double quote is created but cannot be read.
    void tableNames_data()
    {
        QTest::addColumn<QString>("pgTable");
        QTest::addColumn<QString>("created"); // as psql names it; empty: refused before connecting
        QTest::addColumn<bool>("opens");
        QTest::newRow("quoted mixed case") << u"\"Mixed Case\""_s << u"public.\"Mixed Case\""_s << true;
        QTest::newRow("schema-qualified") << u"\"Inj Schema\".People"_s << u"\"Inj Schema\".people"_s << true;
        QTest::newRow("hostile, unquoted")
            << u"my_table; DROP TABLE bystander; --"_s << u"public.\"my_table; drop table bystander; --\""_s << true;
        QTest::newRow("hostile, double quote inside")
            << u"\"x\"\"; DROP TABLE bystander; --\""_s << u"public.\"x\"\"; DROP TABLE bystander; --\""_s << false;
        QTest::newRow("single quote, drop") << u"\"x'; DROP TABLE bystander; --\""_s << QString() << false;
        QTest::newRow("single quote, Bobby") << u"\"'); DROP TABLE my_table; --\""_s << QString() << false;
        QTest::newRow("single quote, schema") << u"\"a'b\".my_table"_s << QString() << false;
        QTest::newRow("text after the closing quote") << u"\"x\"; DROP TABLE my_table; --"_s << QString() << false;
        QTest::newRow("quote inside a name") << u"my_table\"; DROP TABLE my_table; --\""_s << QString() << false;
        QTest::newRow("three parts") << u"public.my_table.x; DROP TABLE bystander"_s << QString() << false;
    }
    void tableNames()
    {
        QFETCH(QString, pgTable);
        QFETCH(QString, created);
        QFETCH(bool, opens);
        m_window.reset();
        query(u"CREATE SCHEMA \"Inj Schema\""_s);
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, pgTable);

        if (created.isEmpty()) {
            DatabaseSession session;
            QVERIFY(!session.open(settings));
            QCOMPARE(session.lastError().kind(), ConnectionError::Kind::InvalidSettings);
            QVERIFY2(session.lastError().message().startsWith(u"PG_TABLE"_s),
                     qPrintable(session.lastError().message()));
            QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows));
            return;
        }

        openWindow(settings);
        if (QTest::currentTestFailed())
            return;
        const QString name = m_window->session()->tableName().name();
        QCOMPARE(
            query(u"SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE tablename = "_s + literal(name)),
            created);
        if (opens) {
            // Write, filter and read through that table.
            QVERIFY(model());
            const QString payload = payloads().constFirst().second;
            action("actionAddRow")->trigger();
            QLineEdit* editor = cellEditor();
            QVERIFY2(editor, "Add row opened no cell editor");
            typeText(editor, payload);
            pressEnterIn(editor);
            saveWithoutAMessage();
            QCOMPARE(query(u"SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM "_s + created),
                     QString::fromLatin1(payload.toUtf8().toHex()));
            filterBy(payload);
            QCOMPARE(model()->rowCount(), 1);
        } else {
            QVERIFY(!model());
            auto* emptyState = m_window->findChild<QLabel*>(u"emptyStateLabel"_s);
            QVERIFY(emptyState);
            QVERIFY2(emptyState->text().contains(u"could not be read"_s), qPrintable(emptyState->text()));
        }
        m_window.reset();

        QString tables = tablesAndCounts();
        tables.remove(u", "_s + created).remove(created + u", "_s);
        QCOMPARE(tables, expectedTables(m_seededRows));
    }

    // PostgreSQL text cannot hold a NUL character. One reaches the grid only through the
    // clipboard (a key press cannot type it): pasted into a cell, as a new row, or into a cell
    // editor. Save refuses with a sentence naming the cell, writes nothing and keeps the edits.
    void aNulCharacterIsRefusedWithAMessage()
    {
        const QString withNul = u"before"_s + QChar(0) + u"after"_s;
        const qint64 alice = idOf(u"alice"_s);
        const qint64 bob = idOf(u"bob"_s);
        QGuiApplication::clipboard()->setText(withNul);
        view()->setCurrentIndex(nameCellOf(alice));
        action("actionPaste")->trigger();
        QCOMPARE(pasteIntoEditorOf(nameCellOf(bob)), withNul);
        action("actionPasteAsNewRows")->trigger();
        QCOMPARE(model()->pendingChangeCount(), 3);

        MessageBox::answerNext(QMessageBox::Ok);
        action("actionSave")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        const QString message = MessageBox::shownTexts().constFirst();
        QVERIFY2(message.contains(u"contains a NUL character"_s) && message.contains(u"Nothing was written"_s),
                 qPrintable(message));
        QCOMPARE(model()->pendingChangeCount(), 3);
        QCOMPARE(storedName(alice), QByteArray("alice"));
        QCOMPARE(storedName(bob), QByteArray("bob"));
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows));

        // Undo takes them back one paste or edit at a time; then there is nothing left to refuse.
        for (int step = 0; step < 3; ++step)
            action("actionUndo")->trigger();
        QVERIFY(!model()->hasPendingChanges());
    }

    // The clipboard hands pgdesk a QString. Invalid UTF-8 that another program put there is
    // decoded to U+FFFD (one per bad sequence) before pgdesk sees it; that is what the grid shows
    // and what is stored. A QString can also hold an unpaired UTF-16 surrogate, which Qt's UTF-8
    // encoder would store as '?' without a word: Save refuses that with a sentence instead.
    void invalidUtf8OnTheClipboard()
    {
        const QByteArray invalid("in\xff\xfevalid \xc3\x28 utf8");
        const QByteArray replaced("in\xef\xbf\xbd\xef\xbf\xbdvalid \xef\xbf\xbd( utf8");
        const qint64 alice = idOf(u"alice"_s);
        const qint64 bob = idOf(u"bob"_s);
        auto* mime = new QMimeData;
        mime->setData(u"text/plain"_s, invalid);
        QGuiApplication::clipboard()->setMimeData(mime);
        view()->setCurrentIndex(nameCellOf(alice));
        action("actionPaste")->trigger();
        QCOMPARE(pasteIntoEditorOf(nameCellOf(bob)), QString::fromUtf8(replaced));
        QCOMPARE(nameCellOf(alice).data(Qt::EditRole).toString(), QString::fromUtf8(replaced));
        saveWithoutAMessage();
        QCOMPARE(storedName(alice), replaced);
        QCOMPARE(storedName(bob), replaced);

        QGuiApplication::clipboard()->setText(u"lone "_s + QChar(0xD800) + u" surrogate"_s);
        view()->setCurrentIndex(nameCellOf(alice));
        action("actionPaste")->trigger();
        MessageBox::answerNext(QMessageBox::Ok);
        action("actionSave")->trigger();
        QCOMPARE(MessageBox::shownTexts().size(), 1);
        QVERIFY2(MessageBox::shownTexts().constFirst().contains(u"unpaired UTF-16 surrogate"_s),
                 qPrintable(MessageBox::shownTexts().constFirst()));
        QCOMPARE(storedName(alice), replaced);
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows));
    }

    // A 1 MB name with quotes and backslashes through the cell editor (pasted into it: typing a
    // million keys would take minutes), pasted into a cell and as a new row. QLineEdit's default
    // limit of 32767 characters used to cut it silently, even when an editor was only opened
    // and closed on it.
    void aOneMegabyteNameIsStoredIntact()
    {
        QString big;
        while (big.size() < 1'000'000)
            big += u"O'Brien \\ \"Zoë\" $$ %_ "_s;
        big.truncate(1'000'000);
        const QString expected = u"1000000 "_s + QString::fromLatin1(md5(big));
        const qint64 alice = idOf(u"alice"_s);
        const qint64 bob = idOf(u"bob"_s);
        QGuiApplication::clipboard()->setText(big);
        QCOMPARE(pasteIntoEditorOf(nameCellOf(alice)).size(), big.size());
        view()->setCurrentIndex(nameCellOf(bob));
        action("actionPaste")->trigger();
        action("actionPasteAsNewRows")->trigger();
        QCOMPARE(model()->pendingChangeCount(), 3);
        saveWithoutAMessage();
        const QString stored = u"SELECT length(name) || ' ' || md5(name) FROM my_table WHERE id = %1"_s;
        QCOMPARE(query(stored.arg(alice)), expected);
        QCOMPARE(query(stored.arg(bob)), expected);
        QCOMPARE(query(stored.arg(m_lastSeededId + 1)), expected);
        QCOMPARE(tablesAndCounts(), expectedTables(m_seededRows + 1));

        // Read back from the server, opened in the editor and closed with Enter: nothing changes.
        QVERIFY(m_window->refresh());
        waitForTheWindow();
        QCOMPARE(nameCellOf(alice).data(Qt::EditRole).toString(), big);
        QLineEdit* editor = openEditorOn(nameCellOf(alice));
        QVERIFY2(editor, "F2 opened no cell editor");
        QCOMPARE(editor->text().size(), big.size());
        pressEnterIn(editor);
        QVERIFY(!model()->hasPendingChanges());
        QCOMPARE(query(stored.arg(alice)), expected);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.psql(u"postgres"_s, u"DROP DATABASE IF EXISTS tst_injection WITH (FORCE)"_s);
    }
};

QTEST_MAIN(TestInjection)
#include "tst_injection.moc"
