#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "connection/ServerCancel.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <memory>

class CopyTransfer;
class DatabaseSession;
struct pg_conn;
struct pg_result;

// The work of one CopyTransfer and everything it uses: the settings, its own connection, the
// cancel request, the subclass's file and counters. It is shared (std::shared_ptr) by the
// CopyTransfer the caller holds and by the network job that runs it (NetworkThreadPool), so that
// the transfer can be destroyed while the job still runs (the application quits during an export
// on a dead path): the job then ends on its own, with its own state, and its signals go nowhere.
//
// A subclass (CsvImporter's and CsvExporter's Job) implements execute() with the helpers below,
// all for the job's thread. The connection is opened with DatabaseSession in that thread and
// closed there before finished() is emitted, because a QSqlDatabase may only be used in the thread
// that created it. The work itself talks to libpq directly (QPSQL has no COPY), through the
// PGconn* that QSqlDriver::handle() hands out.
class CopyJob
{
    Q_DECLARE_TR_FUNCTIONS(CopyTransfer)

public:
    struct Outcome
    {
        bool ok = false;
        qint64 rows = 0;
        QString message;
    };

    explicit CopyJob(ConnectionSettings settings);
    virtual ~CopyJob();
    CopyJob(const CopyJob&) = delete;
    CopyJob& operator=(const CopyJob&) = delete;

    // What CopyTransfer calls. The transfer's signals are emitted through front until detach().
    void attach(CopyTransfer* front);
    // Returns once no signal is being emitted through the front, and none will be again. A
    // receiver connected directly (in the job's thread) must not destroy the transfer.
    void detach();
    // Marks the job as started and running; false when it was started before (a job runs once).
    bool begin();
    // execute(), then closes the connection and emits finished(). In the thread that runs the job.
    void run();
    // Any thread: see CopyTransfer::cancel().
    void cancel();
    bool isCancelRequested() const { return m_cancelRequested.load(); }
    bool isRunning() const { return m_running.load(); }
    // True once run() has emitted finished(), or at once when the job never began.
    bool waitUntilDone(QDeadlineTimer deadline);

protected:
    // The work, in the job's thread.
    virtual Outcome execute() = 0;

    // Opens the transfer's own connection. False with *error (a sentence) when it cannot.
    bool openConnection(QString* error);
    void closeConnection();
    pg_conn* connection() const { return m_connection; }
    TableName table() const { return m_table; }

    // Runs a statement that returns no rows (BEGIN, COMMIT, ROLLBACK).
    bool command(const char* sql, QString* error);
    // PostgreSQL's own sentence for a failed statement, with its hint when there is one.
    QString errorText(const pg_result* result) const;
    // The cancel request, from the job's thread: for a cancel() that came between the job's last
    // check and the statement it then started.
    void cancelOnServer();

    // Emits progress() unless one was emitted less than 50 ms ago; force for the last one.
    void reportProgress(qint64 done, qint64 total, qint64 rows, bool force = false);

private:
    ConnectionSettings m_settings;
    std::unique_ptr<DatabaseSession> m_session; // made, used and closed in the job's thread
    pg_conn* m_connection = nullptr; // owned by m_session's QPSQL driver
    TableName m_table;

    ServerCancel m_cancel; // cancel() may run while the job resets it

    std::atomic<bool> m_cancelRequested{ false };
    std::atomic<bool> m_running{ false };
    std::atomic<bool> m_started{ false };

    QMutex m_frontMutex; // held while a signal is emitted through m_front
    CopyTransfer* m_front = nullptr;
    QMutex m_doneMutex;
    QWaitCondition m_doneCondition;
    bool m_done = false;

    QElapsedTimer m_progressClock;
    qint64 m_lastProgressAt = 0;
};
