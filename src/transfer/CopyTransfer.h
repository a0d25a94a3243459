#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "connection/ServerCancel.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

class DatabaseSession;
class QThread;
struct pg_conn;
struct pg_result;

// What CsvImporter and CsvExporter share: a COPY on a connection of its own, in a worker thread,
// that reports progress and can be cancelled from the GUI thread.
//
// Usage (the GUI thread):
//     auto* importer = new CsvImporter(settings, path, CsvImporter::Format::Auto, parent);
//     connect(importer, &CopyTransfer::progress, ...);    // queued, at most ~20 times a second
//     connect(importer, &CopyTransfer::finished, ...);    // queued, exactly once
//     importer->start();
//     ...  importer->cancel();                            // any time, any thread
// TransferProgressDialog::track() does the connecting. run() instead of start() does the same work
// in the calling thread (a command-line tool), blocking; the signals are emitted all the same.
//
// The connection is opened with DatabaseSession in the thread that runs the work, and closed
// there before finished() is emitted, because a QSqlDatabase may only be used in the thread that
// created it. The work itself talks to libpq directly (QPSQL has no COPY), through the PGconn*
// that QSqlDriver::handle() hands out.
class CopyTransfer : public QObject
{
    Q_OBJECT

public:
    ~CopyTransfer() override;

    // Runs the transfer on a worker thread of its own. A transfer runs once; a second start() is
    // ignored.
    void start();
    // Runs the transfer in the calling thread and returns when finished() has been emitted.
    void run();
    // Asks the transfer to stop: the worker notices between chunks, and a statement the server is
    // running now is cancelled on the server (libpq's cancel request, sent by ServerCancel without
    // waiting). Safe from any thread. finished(false, ...) follows, with a message that says it
    // was cancelled.
    void cancel();
    bool isCancelRequested() const { return m_cancelRequested.load(); }
    // True from start() until finished() was emitted.
    bool isRunning() const { return m_running.load(); }
    // Waits for the worker thread to end; true when it has (or never started).
    bool wait(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

signals:
    // done of total (total 0: unknown), and the rows transferred so far. The unit of done and
    // total is the transfer's: file bytes for an import, rows for an export.
    void progress(qint64 done, qint64 total, qint64 rows);
    // ok: the whole transfer is in place (committed, or the file renamed into place). Otherwise
    // nothing is: no row was written, no file left. message is a sentence for the user.
    void finished(bool ok, qint64 rowCount, const QString& message);

protected:
    struct Outcome
    {
        bool ok = false;
        qint64 rows = 0;
        QString message;
    };

    CopyTransfer(ConnectionSettings settings, QObject* parent);

    // The work, in the worker thread (or run()'s caller).
    virtual Outcome execute() = 0;
    // Subclasses call this first in their destructor: the worker thread runs execute(), which
    // must not outlive the subclass's members.
    void stopAndWait();

    // Opens the transfer's own connection. False with *error (a sentence) when it cannot.
    bool openConnection(QString* error);
    void closeConnection();
    pg_conn* connection() const { return m_connection; }
    TableName table() const { return m_table; }

    // Runs a statement that returns no rows (BEGIN, COMMIT, ROLLBACK).
    bool command(const char* sql, QString* error);
    // PostgreSQL's own sentence for a failed statement, with its hint when there is one.
    QString errorText(const pg_result* result) const;
    // The cancel request, from the worker thread: for a cancel() that came between the worker's
    // last check and the statement it then started.
    void cancelOnServer();

    // Emits progress() unless one was emitted less than 50 ms ago; force for the last one.
    void reportProgress(qint64 done, qint64 total, qint64 rows, bool force = false);

private:
    ConnectionSettings m_settings;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<DatabaseSession> m_session;
    pg_conn* m_connection = nullptr; // owned by m_session's QPSQL driver
    TableName m_table;

    ServerCancel m_cancel; // cancel() may run while the worker resets it

    std::atomic<bool> m_cancelRequested{ false };
    std::atomic<bool> m_running{ false };
    std::atomic<bool> m_started{ false };

    QElapsedTimer m_progressClock;
    qint64 m_lastProgressAt = 0;
};
