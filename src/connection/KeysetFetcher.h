#pragma once

#include "config/ConnectionSettings.h"
#include "connection/WorkerStatement.h"

#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QThread>
#include <QVariantList>

class KeysetWorker;

// Runs the statements that decide which rows a window shows, off the GUI thread, on a connection
// of its own: a filter or sort with no index to help can keep the server busy for seconds, and the
// window must stay responsive meanwhile. cancel() asks the server to stop (libpq's cancel request),
// so Esc really ends the work instead of abandoning it.
class KeysetFetcher : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        quint64 generation = 0;
        QList<WorkerStatement> statements;
    };
    struct Result
    {
        quint64 generation = 0;
        QList<QList<QVariantList>> rows; // per statement, per row, the selected values
        QString error;
        bool cancelled = false;
        qint64 elapsedMilliseconds = 0;
    };

    explicit KeysetFetcher(const ConnectionSettings& settings, QObject* parent = nullptr);
    ~KeysetFetcher() override;

    // Runs a request in the calling thread on the given connection (small tables, tests, tools).
    static Result run(const QSqlDatabase& database, const Request& request);

    void submit(const Request& request);
    // Connects the worker now rather than on the first request, off the critical path of
    // whatever needs its first answer soon.
    void connectAhead();
    // Cancels every request up to this generation, on the server when it is running.
    void cancelUpTo(quint64 generation);
    // The worker connection's server process (0 before it connects), to ask who holds the lock
    // a request waits for.
    qint64 backendPid() const;

signals:
    void finished(const KeysetFetcher::Result& result);

private:
    QThread m_thread;
    KeysetWorker* m_worker; // lives in m_thread, deleted when it finishes
};

Q_DECLARE_METATYPE(KeysetFetcher::Request)
Q_DECLARE_METATYPE(KeysetFetcher::Result)
