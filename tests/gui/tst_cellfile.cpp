#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/CellFile.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QCryptographicHash>
#include <QFile>
#include <QMenu>
#include <QRandomGenerator>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// Issue 20, bytea "load from and save to a file": Edit > Load cell from file… stages a file's
// bytes in a bytea cell (its UTF-8 text in a text cell), Save writes them, and Save cell to file…
// writes a cell's value back; psql checks every byte the server holds.
class TestCellFile : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_cellfile"_s;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->findChild<QTableView*>(u"tableView"_s); }
    QAction* loadAction() { return m_window->findChild<QAction*>(u"actionLoadCellFromFile"_s); }
    QAction* saveAction() { return m_window->findChild<QAction*>(u"actionSaveCellToFile"_s); }
    QString path(const QString& name) { return m_dir.filePath(name); }

    void openTable(const QString& table)
    {
        QString error;
        m_window = openTableWindow(m_server.settings(m_database), table, &error);
        QVERIFY2(m_window, qPrintable(error));
    }
    // The current cell of the row with this id in this column.
    void goTo(qint64 id, const QString& column)
    {
        const int row = model()->rowForKey(id);
        QVERIFY(row >= 0);
        view()->setCurrentIndex(model()->index(row, model()->record().indexOf(column)));
    }
    QModelIndex cell(qint64 id, const QString& column)
    {
        return model()->index(model()->rowForKey(id), model()->record().indexOf(column));
    }
    void writeFile(const QString& name, const QByteArray& content)
    {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    }
    QByteArray readFile(const QString& name)
    {
        QFile file(path(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
    void load(const QString& name)
    {
        QVERIFY(loadAction()->isEnabled());
        FileDialog::answerNext(path(name));
        loadAction()->trigger();
    }
    void save()
    {
        m_window->findChild<QAction*>(u"actionSave"_s)->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QVERIFY(!model()->hasPendingChanges());
    }
    static QString md5(const QByteArray& bytes)
    {
        return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
    }
    // Every byte value, then random bytes: a megabyte no text encoding survives.
    static QByteArray binary(qsizetype size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (qsizetype at = 0; at < size; ++at)
            bytes[at] = char(at < 256 ? at : QRandomGenerator::global()->bounded(256));
        return bytes;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, false);
        QSettings().setValue(u"cellFile/directory"_s, m_dir.path());
    }

    void init()
    {
        sql(u"DROP TABLE IF EXISTS files, loose; "
            "CREATE TABLE files(id bigserial PRIMARY KEY, blob bytea, title text, doc jsonb, code varchar(5), "
            "n integer, made timestamp NOT NULL DEFAULT '2026-01-01 10:00'); "
            "INSERT INTO files(blob, title, doc, code, n) VALUES (NULL, 'first', '{}', 'a', 1), "
            "('\\x00ff41'::bytea, 'second', NULL, NULL, 2); "
            "CREATE TABLE loose(blob bytea, title text); INSERT INTO loose VALUES ('\\x01', 'x')"_s);
    }

    void cleanup()
    {
        m_window.reset();
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    // A megabyte of binary goes in byte for byte, the grid shows its start and size, undo takes
    // the load back, and Save Cell to File gives the server's bytes back.
    void aBinaryFileGoesInAndComesBackByteForByte()
    {
        const QByteArray content = binary(1024 * 1024);
        writeFile(u"in.bin"_s, content);
        openTable(u"files"_s);
        goTo(1, u"blob"_s);
        load(u"in.bin"_s);
        QVERIFY(model()->hasPendingChanges());
        QCOMPARE(cell(1, u"blob"_s).data(Qt::EditRole).toByteArray(), content);
        const QString shown = cell(1, u"blob"_s).data().toString();
        QVERIFY2(shown.startsWith(u"\\x000102"_s) && shown.contains(u"bytes)"_s), qPrintable(shown));
        QVERIFY(m_window->statusBar()->currentMessage().contains(u"in.bin"_s));

        m_window->findChild<QAction*>(u"actionUndo"_s)->trigger();
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY(cell(1, u"blob"_s).data(Qt::EditRole).isNull());
        m_window->findChild<QAction*>(u"actionRedo"_s)->trigger();
        save();
        QCOMPARE(sql(u"SELECT length(blob) || ' ' || md5(blob) FROM files WHERE id = 1"_s),
                 u"1048576 "_s + md5(content));
        QCOMPARE(sql(u"SELECT title FROM files WHERE id = 1"_s), u"first"_s); // only that cell

        m_window->findChild<QAction*>(u"actionRefresh"_s)->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        goTo(1, u"blob"_s);
        FileDialog::answerNext(path(u"out.bin"_s));
        saveAction()->trigger();
        QCOMPARE(readFile(u"out.bin"_s), content);
        QVERIFY(FileDialog::suggestedPaths().last().endsWith(u"files-blob-1.bin"_s));
    }

    // A text cell takes the file's UTF-8 exactly: a byte order mark, CRLF and no final newline
    // stay as they are, and the file saved from it has the same bytes.
    void aTextFileGoesInExactly()
    {
        const QByteArray content = "\xEF\xBB\xBFline one\r\nZ\xC3\xBCrich \xF0\x9F\x90\x98\r\nend";
        writeFile(u"note.txt"_s, content);
        openTable(u"files"_s);
        goTo(2, u"title"_s);
        load(u"note.txt"_s);
        save();
        QCOMPARE(sql(u"SELECT encode(convert_to(title, 'UTF8'), 'hex') FROM files WHERE id = 2"_s),
                 QString::fromLatin1(content.toHex()));
        goTo(2, u"title"_s);
        FileDialog::answerNext(path(u"note-out.txt"_s));
        saveAction()->trigger();
        QCOMPARE(readFile(u"note-out.txt"_s), content);
    }

    // What the column cannot hold is refused with the reason, and the cell stays as it was.
    void aFileTheColumnCannotHoldIsRefused_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not UTF-8") << u"title"_s << QByteArray("caf\xE9") << u"not UTF-8 text"_s;
        QTest::newRow("a zero byte") << u"title"_s << QByteArray("a\0b", 3) << u"zero byte"_s;
        QTest::newRow("not JSON") << u"doc"_s << QByteArray("{\"a\": }") << u"JSON"_s;
        QTest::newRow("too long") << u"code"_s << QByteArray("abcdef") << u"5 characters"_s;
    }
    void aFileTheColumnCannotHoldIsRefused()
    {
        QFETCH(QString, column);
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        writeFile(u"bad"_s, content);
        openTable(u"files"_s);
        goTo(1, column);
        MessageBox::answerNext(QMessageBox::Ok);
        load(u"bad"_s);
        const QString said = MessageBox::shownTexts().value(0);
        QVERIFY2(said.contains(reason) && said.contains(u"The cell was not changed"_s), qPrintable(said));
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY(!model()->isLoading());
    }

    void aFileTooLargeIsRefused()
    {
        QFile big(path(u"big.bin"_s));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(CellFile::maxLoadBytes + 1)); // sparse: no 64 MB written
        big.close();
        openTable(u"files"_s);
        goTo(1, u"blob"_s);
        MessageBox::answerNext(QMessageBox::Ok);
        load(u"big.bin"_s);
        QVERIFY2(MessageBox::shownTexts().value(0).contains(u"larger than"_s),
                 qPrintable(MessageBox::shownTexts().value(0)));
        QVERIFY(!model()->hasPendingChanges());
    }

    // Load is offered only where the cell is edited as bytes or text; Save Cell to File anywhere.
    void loadOnlyWhereTheCellTakesAFile()
    {
        openTable(u"files"_s);
        for (const QString& column : { u"id"_s, u"n"_s, u"made"_s }) {
            goTo(1, column);
            QVERIFY2(!loadAction()->isEnabled(), qPrintable(column));
            QVERIFY(saveAction()->isEnabled());
        }
        for (const QString& column : { u"blob"_s, u"title"_s, u"doc"_s, u"code"_s }) {
            goTo(1, column);
            QVERIFY2(loadAction()->isEnabled(), qPrintable(column));
        }
        QVERIFY(m_window->findChild<QMenu*>(u"editMenu"_s)->actions().contains(loadAction()));
        QVERIFY(view()->actions().contains(saveAction())); // the grid's context menu
        // A table without a primary key is read-only: nothing is loaded into it.
        openTable(u"loose"_s);
        view()->setCurrentIndex(model()->index(0, 0));
        QVERIFY(!loadAction()->isEnabled());
        QVERIFY(saveAction()->isEnabled());
    }

    // The grid reads its rows again while the file dialog is open (another client's insert, a
    // refresh): the file goes into the row that was picked, found by its key or, for a new row,
    // by its serial, and into no row when the picked one is gone.
    void aLoadGoesIntoTheRowPickedAfterAReload()
    {
        writeFile(u"moved.txt"_s, "for row 2");
        openTable(u"files"_s);
        goTo(2, u"title"_s);
        FileDialog::whileNextIsOpen([this] {
            sql(u"INSERT INTO files(id, title) VALUES (0, 'zero')"_s); // before row 2 in the grid
            m_window->findChild<QAction*>(u"actionRefresh"_s)->trigger();
            QVERIFY(waitUntilWindowLoaded(m_window.get()));
        });
        load(u"moved.txt"_s);
        QCOMPARE(cell(2, u"title"_s).data(Qt::EditRole).toString(), u"for row 2"_s);
        save();
        QCOMPARE(sql(u"SELECT string_agg(id || '=' || title, ',' ORDER BY id) FROM files"_s),
                 u"0=zero,1=first,2=for row 2"_s);

        // A new row moves down when another client's row comes into the grid before it.
        writeFile(u"new.txt"_s, "for the new row");
        m_window->findChild<QAction*>(u"actionAddRow"_s)->trigger();
        const int newRow = model()->rowCount() - 1;
        QVERIFY(model()->isNewRow(newRow));
        view()->setCurrentIndex(model()->index(newRow, model()->record().indexOf(u"title"_s)));
        const int serverRowsBefore = model()->serverRowCount();
        FileDialog::whileNextIsOpen([this] {
            sql(u"INSERT INTO files(id, title) VALUES (100, 'hundred')"_s);
            m_window->findChild<QAction*>(u"actionRefresh"_s)->trigger();
            QVERIFY(waitUntilWindowLoaded(m_window.get()));
        });
        load(u"new.txt"_s);
        QCOMPARE(model()->serverRowCount(), serverRowsBefore + 1); // the new row did move
        const int title = model()->record().indexOf(u"title"_s);
        QVERIFY(model()->isNewRow(model()->rowCount() - 1));
        QCOMPARE(model()->index(model()->rowCount() - 1, title).data(Qt::EditRole), u"for the new row"_s);
        QCOMPARE(cell(100, u"title"_s).data(Qt::EditRole), u"hundred"_s);
        save();
        QCOMPARE(sql(u"SELECT string_agg(title, ',' ORDER BY id) FROM files"_s),
                 u"zero,first,for row 2,for the new row,hundred"_s);

        // The row picked is deleted meanwhile: nothing is staged anywhere, and the user is told.
        goTo(1, u"title"_s);
        FileDialog::whileNextIsOpen([this] {
            sql(u"DELETE FROM files WHERE id = 1"_s);
            m_window->findChild<QAction*>(u"actionRefresh"_s)->trigger();
            QVERIFY(waitUntilWindowLoaded(m_window.get()));
        });
        load(u"moved.txt"_s);
        QVERIFY(!model()->hasPendingChanges());
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"no longer in the grid"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
    }

    // An empty file is an empty value, not NULL, in a bytea and in a text cell.
    void anEmptyFileIsAnEmptyValue()
    {
        writeFile(u"empty"_s, QByteArray());
        openTable(u"files"_s);
        goTo(2, u"blob"_s);
        load(u"empty"_s);
        goTo(2, u"title"_s);
        load(u"empty"_s);
        save();
        QCOMPARE(sql(u"SELECT concat_ws('|', length(blob), blob IS NULL, title = '') FROM files WHERE id = 2"_s),
                 u"0|f|t"_s);
    }

    // A device has no size to check and never ends: refused before it is read.
    void aDeviceIsRefused()
    {
        openTable(u"files"_s);
        goTo(1, u"blob"_s);
        MessageBox::answerNext(QMessageBox::Ok);
        FileDialog::answerNext(u"/dev/zero"_s);
        loadAction()->trigger();
        QVERIFY2(MessageBox::shownTexts().value(0).contains(u"not a regular file"_s),
                 qPrintable(MessageBox::shownTexts().value(0)));
        QVERIFY(!model()->hasPendingChanges());
    }

    // Hex typed into a bytea cell and not saved yet is written to the file exactly when the
    // server reads it, as the same bytes; what the server refuses is refused here too.
    void typedHexIsReadAsTheServerReadsIt_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::newRow("plain") << u"\\x00ff"_s;
        QTest::newRow("upper case") << u"\\xABcd"_s;
        QTest::newRow("spaces between pairs") << u"\\x 00\t7f\r\n80 "_s;
        QTest::newRow("empty") << u"\\x"_s;
        QTest::newRow("space inside a pair") << u"\\x0 0"_s;
        QTest::newRow("form feed") << u"\\x00\f41"_s;
        QTest::newRow("odd digits") << u"\\x001"_s;
        QTest::newRow("not hex") << u"\\x0g"_s;
        QTest::newRow("space before x") << u"\\ x00"_s;
    }
    void typedHexIsReadAsTheServerReadsIt()
    {
        QFETCH(QString, typed);
        bool serverTakes = false;
        QString literal = typed;
        literal.replace(u'\'', u"''"_s);
        const QString serverHex
            = m_server.psql(m_database, u"SELECT encode('"_s + literal + u"'::bytea, 'hex')"_s, &serverTakes);
        openTable(u"files"_s);
        QVERIFY(model()->setData(cell(1, u"blob"_s), typed));
        goTo(1, u"blob"_s);
        MessageBox::answerNext(QMessageBox::Ok);
        FileDialog::answerNext(path(u"typed.bin"_s));
        QFile::remove(path(u"typed.bin"_s));
        saveAction()->trigger();
        const bool written = QFile::exists(path(u"typed.bin"_s));
        if (typed.startsWith(u"\\x"_s)) {
            QCOMPARE(written, serverTakes);
            if (written)
                QCOMPARE(QString::fromLatin1(readFile(u"typed.bin"_s).toHex()), serverHex.trimmed());
        } else {
            QVERIFY(!written); // escape form: only the server reads it exactly
            QVERIFY(MessageBox::shownTexts().value(0).contains(u"escape form"_s));
        }
    }

    // A NULL has no file; hex typed in and not saved yet is written as its bytes; bytea's escape
    // form, which only the server reads exactly, is refused until it is saved.
    void savingWhatTheCellHoldsNow()
    {
        openTable(u"files"_s);
        goTo(1, u"blob"_s);
        saveAction()->trigger();
        QVERIFY(FileDialog::askedCaptions().isEmpty());
        QVERIFY(m_window->statusBar()->currentMessage().contains(u"NULL"_s));

        QVERIFY(model()->setData(cell(1, u"blob"_s), u"\\x 00 7f 80 ff"_s));
        FileDialog::answerNext(path(u"typed.bin"_s));
        saveAction()->trigger();
        QCOMPARE(readFile(u"typed.bin"_s), QByteArray("\x00\x7f\x80\xff", 4));

        QVERIFY(model()->setData(cell(1, u"blob"_s), u"abc\\000"_s));
        MessageBox::answerNext(QMessageBox::Ok);
        saveAction()->trigger();
        QVERIFY(MessageBox::shownTexts().value(0).contains(u"escape form"_s));
        QCOMPARE(FileDialog::askedCaptions().size(), 1); // no dialog for the refused one

        goTo(2, u"blob"_s); // as read from the server
        FileDialog::answerNext(path(u"read.bin"_s));
        saveAction()->trigger();
        QCOMPARE(readFile(u"read.bin"_s), QByteArray("\x00\xff\x41", 3));
    }
};

QTEST_MAIN(TestCellFile)
#include "tst_cellfile.moc"
