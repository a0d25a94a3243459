#include "TestServer.h"
#include "connection/DatabaseSession.h"
#include "gui/TransferProgressDialog.h"
#include "transfer/CsvExporter.h"
#include "transfer/CsvImporter.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The dialog the window shows during an import or export, driven by object name against real
// transfers. Cancel is tested where only the server can let go: another client holds a lock on
// the table, so the transfer waits inside its COPY until the dialog's Cancel sends libpq's cancel
// request from the GUI thread.
class TestTransferProgressDialog : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_transferprogressdialog"_s;
    QTemporaryDir m_dir;

    QSqlDatabase check() const { return QSqlDatabase::database(u"check"_s); }

    QString sql(const QString& statement)
    {
        QSqlQuery query(check());
        const bool ok = query.exec(statement) && query.next();
        [&] { QVERIFY2(ok, qPrintable(statement + u": "_s + query.lastError().text())); }();
        return query.value(0).toString();
    }

    ConnectionSettings settingsFor(const QString& table) const
    {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, table);
        return settings;
    }

    template <typename T> static T* child(QObject& parent, const char* name)
    {
        T* found = parent.findChild<T*>(QString::fromLatin1(name));
        [&] { QVERIFY2(found, name); }();
        return found;
    }

    // Another client takes the table; the transfer's COPY then waits for it on the server.
    void lockTable(const QString& table)
    {
        QVERIFY(check().transaction());
        QSqlQuery query(check());
        QVERIFY2(query.exec(u"LOCK TABLE "_s + table + u" IN ACCESS EXCLUSIVE MODE"_s),
                 qPrintable(query.lastError().text()));
    }

    void waitUntilBlockedOn(const QString& table)
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            sql(u"SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '%1'::regclass"_s.arg(table)), u"1"_s,
            20000);
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_server.openConnection(u"check"_s, m_database).isOpen());
        QSqlQuery query(check());
        QVERIFY(query.exec(DatabaseSession::createTableStatement(TableName(QString(), u"rows"_s))));
        QVERIFY(query.exec(u"INSERT INTO rows (name) SELECT 'name ' || g FROM generate_series(1, 200000) g"_s));
        QVERIFY(query.exec(u"ANALYZE rows"_s));
        QVERIFY(query.exec(DatabaseSession::createTableStatement(TableName(QString(), u"target"_s))));
    }

    void showsProgressAndClosesOnSuccess()
    {
        const QString path = m_dir.filePath(u"rows.csv"_s);
        CsvExporter exporter(settingsFor(u"rows"_s), path);
        TransferProgressDialog dialog(u"Exporting rows"_s);
        auto* bar = child<QProgressBar>(dialog, "progressBar");
        auto* rate = child<QLabel>(dialog, "rateLabel");
        QCOMPARE(child<QLabel>(dialog, "descriptionLabel")->text(), u"Exporting rows"_s);
        QVERIFY(dialog.isModal());
        dialog.track(&exporter);
        exporter.start();
        dialog.open();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 30000);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.succeeded());
        QCOMPARE(dialog.rowCount(), 200000);
        QCOMPARE(dialog.message(), u"Exported %1 rows to rows.csv."_s.arg(QLocale().toString(200000)));
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY2(rate->text().startsWith(QLocale().toString(200000) + u" rows"_s), qPrintable(rate->text()));
        QVERIFY(QFile::exists(path));
    }

    void rateAndBusyBar()
    {
        // Driven directly: the bar follows done of total, and runs busy when the total is unknown.
        TransferProgressDialog dialog(u"x"_s);
        auto* bar = child<QProgressBar>(dialog, "progressBar");
        dialog.setProgress(250, 1000, 10);
        QCOMPARE(bar->value() * 4, bar->maximum());
        dialog.setProgress(5000, 1000, 10); // an estimate the export ran past
        QCOMPARE(bar->value(), bar->maximum());
        dialog.setProgress(10, 0, 10);
        QCOMPARE(bar->maximum(), 0);
        QTest::qWait(250);
        dialog.setProgress(10, 0, 1000);
        QVERIFY2(child<QLabel>(dialog, "rateLabel")->text().contains(u"rows/s"_s),
                 qPrintable(child<QLabel>(dialog, "rateLabel")->text()));
    }

    void cancelStopsTheServerAndWritesNothing()
    {
        QByteArray content;
        for (int row = 0; row < 50000; ++row)
            content += "waiting " + QByteArray::number(row) + '\n';
        const QString path = m_dir.filePath(u"wait.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();

        lockTable(u"target"_s);
        CsvImporter importer(settingsFor(u"target"_s), path);
        TransferProgressDialog dialog(u"Importing wait.txt"_s);
        bool cancelSignalled = false;
        connect(&dialog, &TransferProgressDialog::cancelRequested, this, [&] { cancelSignalled = true; });
        dialog.track(&importer);
        importer.start();
        dialog.open();
        waitUntilBlockedOn(u"target"_s);

        auto* cancel = child<QPushButton>(dialog, "cancelButton");
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(cancelSignalled);
        QVERIFY(!cancel->isEnabled()); // until the transfer has really stopped
        // Only the cancel request can end the wait: the lock is still held.
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.succeeded());
        QCOMPARE(dialog.message(), u"Import cancelled: nothing was written."_s);
        QVERIFY(check().rollback());
        QCOMPARE(sql(u"SELECT count(*) FROM target"_s), u"0"_s);
    }

    void escapeCancelsAnExport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"never.csv"_s);
        lockTable(u"rows"_s);
        CsvExporter exporter(settingsFor(u"rows"_s), path);
        TransferProgressDialog dialog(u"Exporting rows"_s);
        dialog.track(&exporter);
        exporter.start();
        dialog.open();
        waitUntilBlockedOn(u"rows"_s);
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(dialog.isVisible()); // Esc asks; the dialog closes when the transfer has stopped
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.message(), u"Export cancelled: no file was written."_s);
        QVERIFY(check().rollback());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }

    void failureStaysOpenWithTheMessage()
    {
        const QString path = m_dir.filePath(u"bad.csv"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("name,date\nok,2024-01-01\n\"broken,2024-01-01\n");
        file.close();
        CsvImporter importer(settingsFor(u"target"_s), path);
        TransferProgressDialog dialog(u"Importing bad.csv"_s);
        dialog.track(&importer);
        importer.start();
        dialog.open();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isFinished(), 20000);
        QVERIFY(dialog.isVisible());
        auto* message = child<QLabel>(dialog, "messageLabel");
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().startsWith(u"Line 3 "_s), qPrintable(message->text()));
        auto* close = child<QPushButton>(dialog, "cancelButton");
        QCOMPARE(close->text(), u"Close"_s);
        QTest::mouseClick(close, Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(sql(u"SELECT count(*) FROM target"_s), u"0"_s);
    }
};

QTEST_MAIN(TestTransferProgressDialog)
#include "tst_transferprogressdialog.moc"
