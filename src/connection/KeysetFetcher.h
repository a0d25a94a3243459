#pragma once

#include "config/ConnectionSettings.h"
#include "connection/WorkerStatement.h"

#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QVariantList>

#include <functional>

class KeysetWorker;
class QThread;

// The long-lived pattern, a "worker connection": a thread of its own with an event loop, and one
// connection opened in that thread (at the first request, or connectAhead()) and kept for the
// next requests, which run in the order they were submitted. Each request is a list of statements
// (WorkerStatement) and its rows come back whole, as finished(), tagged with the request's
// generation so that a caller drops answers it no longer wants. cancelUpTo() skips queued requests
// and asks the server to stop the running one (libpq's cancel request, sent as a network job by
// ServerCancel), so Esc really ends the work instead of abandoning it. A request that fails
// because the connection was lost reconnects and runs once more.
//
// pgdesk has exactly two ways of running a statement off the GUI thread: this one, for statements
// that come again and again, and the one-shot network job (NetworkThreadPool) for everything that
// runs once. Worker connections: the window's rows on every move, filter, sort and reload
// (WindowLoader), the live view's poll (LiveUpdates), the liveness probe (ConnectionWatcher) and
// the counts (TableStatistics): each its own, so a slow count never holds up a move, and a probe
// never queues behind either.
//
// The name is historical: the window's keyset reads were its first use.
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
        // The statement with a search budget ran out of it: rows holds the first rows it found
        // (at least one), and more may follow them.
        bool cutShort = false;
        qint64 elapsedMilliseconds = 0;
    };

    explicit KeysetFetcher(const ConnectionSettings& settings, QObject* parent = nullptr);
    // Cancels everything and gives the thread half a second to end. A statement that does not end
    // by then (a dead network path: up to tcp_user_timeout, 15 s) is not waited for: the thread and
    // its connection end on their own once it returns, and its answer goes nowhere. So quitting
    // never waits on the network here either.
    ~KeysetFetcher() override;

    // What the worker knows of its connection while it runs a request.
    struct Context
    {
        // Esc reached this request (checked where the server's word alone cannot tell).
        std::function<bool()> cancelRequested;
        // False on a slow link, where a search's extra round trips (BEGIN, SET LOCAL, ROLLBACK)
        // would cost more than showing its first matches early saves.
        bool searchesWithinBudget = true;
    };

    // Runs a request in the calling thread on the given connection (small tables, tests, tools).
    static Result run(const QSqlDatabase& database, const Request& request);
    static Result run(const QSqlDatabase& database, const Request& request, const Context& context);

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
    QThread* m_thread; // deleted by the destructor, or once it finished when it was let go
    KeysetWorker* m_worker; // lives in m_thread, deleted when it finishes
};

Q_DECLARE_METATYPE(KeysetFetcher::Request)
Q_DECLARE_METATYPE(KeysetFetcher::Result)
