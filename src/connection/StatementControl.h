#pragma once

#include "connection/ServerCancel.h"

#include <atomic>

class DatabaseSession;

// Shared between a one-shot job that runs statements on a connection of its own (a save, a drop)
// and the window that waits for it: the job attaches its connection once it is open, the window
// reads which backend it is (to ask pg_blocking_pids() who holds the lock it waits for) and can
// cancel it. A cancel that comes before the job has connected is remembered, and the job stops
// before its first statement.
class StatementControl
{
public:
    StatementControl() = default;
    StatementControl(const StatementControl&) = delete;
    StatementControl& operator=(const StatementControl&) = delete;

    // From the job's thread, right after connecting and before closing.
    void attach(const DatabaseSession& session);
    void detach();

    // The server process running the job's statements; 0 before it connected or after it closed.
    qint64 backendPid() const { return m_backendPid.load(); }
    // Sends a cancel request to the server (from a pooled thread) and marks the job cancelled.
    void cancel();
    bool isCancelled() const { return m_cancelled.load(); }

private:
    ServerCancel m_serverCancel;
    std::atomic<qint64> m_backendPid{ 0 };
    std::atomic<bool> m_cancelled{ false };
};
