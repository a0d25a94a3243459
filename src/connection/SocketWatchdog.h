#pragma once

#include <QDeadlineTimer>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

// The last line of defence for the rule that the GUI thread never waits on the network. A few
// statements still run on the session's own connection on the GUI thread (LISTEN, the catalog
// reads at bind, the first window at open, the reconnect itself; see docs/ARCHITECTURE.md), and
// QPSQL waits for their answer in a blocking libpq call. On a path that died a moment before
// (a relay or a half-dead NAT that still acknowledges) nothing ends that wait: not
// tcp_user_timeout, not keepalives. So the thread that waits beats a heartbeat, and a thread of
// this class, which waits on nothing but a clock, shuts the watched socket down when the
// heartbeat stopped for 15 s: libpq's read then ends with "server closed the connection",
// the statement fails, and the ConnectionWatcher reconnects as after any loss. A thread stalled
// that long for another reason costs only a reconnect; staged edits are not on the connection.
//
// Before it cuts, the socket's local address must still be the one watched: the number of a
// socket libpq closed may meanwhile belong to another connection.
class SocketWatchdog
{
public:
    // As long as tcp_user_timeout, which ends such a wait on a path that does not acknowledge.
    static constexpr int defaultCutAfterMs = 15000;

    SocketWatchdog();
    ~SocketWatchdog();
    SocketWatchdog(const SocketWatchdog&) = delete;
    SocketWatchdog& operator=(const SocketWatchdog&) = delete;

    // Watches socket (libpq's PQsocket()); -1 watches nothing.
    void watch(int socket);
    // From the watched thread, often (a few times a second).
    void beat();
    // For tests: how long the heartbeat may stop before the socket is cut.
    void setCutAfter(int milliseconds) { m_cutAfterMs = milliseconds; }
    // How many times a socket was cut since construction.
    int cuts() const { return m_cuts.load(); }

private:
    void run();

    std::atomic<int> m_cutAfterMs{ defaultCutAfterMs };
    std::atomic<qint64> m_lastBeatMs;
    std::mutex m_mutex; // guards the socket, its address and m_stopping
    std::condition_variable m_wake;
    int m_socket = -1;
    QByteArray m_localAddress;
    bool m_stopping = false;
    std::atomic<int> m_cuts{ 0 };
    std::thread m_thread;
};
