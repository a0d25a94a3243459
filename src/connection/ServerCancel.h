#pragma once

#include <QMutex>

#include <memory>

struct pg_conn;
struct pg_cancel;

// libpq's cancel request for one connection, sent without making the caller wait.
//
// PQcancel() opens a new connection to the postmaster, sends the request and waits until the
// server closes that connection: 70-130 ms on a busy machine while the statement it cancels keeps
// both cores busy. Called on the GUI thread (Esc, or a new move replacing one still running) that
// froze the window for as long, so send() hands it to a NetworkThreadPool thread and returns at
// once.
// The PGcancel is shared with the request in flight, so reset() may free this object's copy
// while a send is still running.
class ServerCancel
{
public:
    ServerCancel() = default;
    ~ServerCancel() = default;
    ServerCancel(const ServerCancel&) = delete;
    ServerCancel& operator=(const ServerCancel&) = delete;

    // Prepares the cancel handle for this connection (PQgetCancel); nullptr forgets it. Call it
    // from the thread that owns the connection, right after connecting and before closing.
    void reset(pg_conn* connection);
    bool isReady() const;
    // Sends the request from a pooled thread; does nothing when no connection is set.
    void send();

private:
    class Handle;
    mutable QMutex m_mutex;
    std::shared_ptr<Handle> m_handle;
};
