#pragma once

#include "connection/ConnectionError.h"
#include "connection/KeysetFetcher.h"
#include "connection/SocketWatchdog.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class DatabaseSession;

// Keeps a DatabaseSession connected: while online, a liveness probe asks every 1.5 s, on a
// worker connection of its own and under a deadline, whether the server still runs the session's
// backend (pg_stat_activity), so a dead network path (no reset, packets just stop) shows as Offline
// within 5 s, and a terminated backend or a restart within 1.5 s, without the GUI thread ever
// sending anything on the session's connection to find out. When the link is lost it tries
// again after 0.5 s, 1 s, 2 s ... up to 15 s between attempts, or at once on reconnectNow().
// A status bar shows state() and secondsToNextAttempt(), updated by the signals.
//
// Each attempt first connects in a network job (DatabaseSession::probe() on NetworkThreadPool, a
// connection of its own), so an unreachable host costs the GUI thread nothing; only when the
// server answered is the session's own connection reopened, on the session's thread (QSqlDatabase
// requires that). The liveness probe is a worker connection (KeysetFetcher): one connection asked
// again every 1.5 s. A SocketWatchdog cuts the session's socket should the GUI thread still wait
// in one of the few statements it runs there for 15 s (a path that died a moment before, behind
// something that still acknowledges).
//
// Wiring (see DatabaseSession for what a reconnect cannot restore): on reconnected(), call
// TableModel::rebindKeepingPosition(); prepare queries again; staged edits are not
// touched by any of this. Anyone may call check() after a failed statement (or session->ping() off the GUI thread): the
// watcher hears connectionLost() and starts reconnecting.
class ConnectionWatcher : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Online, // the last probe or reconnect worked
        Offline, // the link is lost; an attempt is scheduled in secondsToNextAttempt()
        Reconnecting // an attempt is running
    };
    Q_ENUM(State)

    static constexpr int defaultCheckIntervalMs = 1500;
    // How long the probe may take before the path counts as dead; the first one also connects
    // (TLS, authentication), so it gets libpq's connect timeout instead.
    static constexpr int livenessDeadlineMs = 3500;
    static constexpr int firstLivenessDeadlineMs = 10000;
    static constexpr int defaultFirstDelayMs = 500;
    static constexpr int defaultMaxDelayMs = 15000;

    // The session must outlive the watcher (or be destroyed together with it).
    explicit ConnectionWatcher(DatabaseSession* session, QObject* parent = nullptr);
    // Never waits on the network: a running attempt's probe ends on its own and its answer is
    // dropped, and the liveness probe's worker connection gets half a second (KeysetFetcher).
    ~ConnectionWatcher() override;

    // How long the GUI thread may wait in a statement on the session's connection before its
    // socket is cut (SocketWatchdog); for tests.
    void setSocketCutAfter(int milliseconds) { m_watchdog.setCutAfter(milliseconds); }
    int socketCuts() const { return m_watchdog.cuts(); }
    // How often to probe while online; 0 probes only when probeLiveness() is called.
    void setCheckInterval(int milliseconds);
    // The delay before the first attempt after a loss and the most it grows to (doubling).
    void setBackoff(int firstDelayMs, int maxDelayMs);

    State state() const { return m_state; }
    // Whole seconds (rounded up) until the next attempt; -1 unless Offline.
    int secondsToNextAttempt() const;
    // The delay the current or next wait was scheduled with, in milliseconds.
    int currentDelayMs() const { return m_delayMs; }
    // Attempts that failed since the link was lost; 0 while online.
    int failedAttempts() const { return m_failedAttempts; }
    // Why the link was lost, or why the last attempt failed; no error while online.
    ConnectionError lastError() const { return m_lastError; }

public slots:
    // For right after a statement failed: reads what the server already sent on the session's
    // connection (DatabaseSession::checkWithoutWaiting) and asks the liveness probe at once; a
    // lost link starts the backoff, now or when the probe answers. Never waits on the network.
    void check();
    // Asks the liveness probe; its answer (or its deadline passing) arrives later.
    void probeLiveness();
    // Attempts at once, without waiting for the countdown. Online, it asks the probe first and reopens
    // only when the link turns out lost. Does nothing while an attempt runs.
    void reconnectNow();

signals:
    void stateChanged(ConnectionWatcher::State state);
    // Once a second while Offline, with secondsToNextAttempt().
    void countdownChanged(int seconds);
    void attemptFailed(const ConnectionError& error);
    // The session is open again; the caller restores what a reopen loses.
    void reconnected();

private:
    void setState(State state);
    void onConnectionLost();
    void onReconnected();
    void scheduleAttempt();
    void startAttempt();
    void finishAttempt(const ConnectionError& probeError);
    void onLivenessAnswer(const KeysetFetcher::Result& result);
    void onLivenessDeadline();
    void updateTimers();

    DatabaseSession* m_session;
    State m_state = State::Online;
    QTimer m_checkTimer;
    QTimer m_attemptTimer;
    QTimer m_countdownTimer;
    int m_firstDelayMs = defaultFirstDelayMs;
    int m_maxDelayMs = defaultMaxDelayMs;
    int m_delayMs = defaultFirstDelayMs;
    int m_failedAttempts = 0;
    ConnectionError m_lastError;
    bool m_attempting = false; // an attempt's probe runs (a network job)
    bool m_reopening = false; // our own session->reconnect() is running
    std::unique_ptr<KeysetFetcher> m_liveness;
    SocketWatchdog m_watchdog;
    QTimer m_heartbeat; // tells m_watchdog that the GUI thread runs its event loop
    QPointer<DatabaseSession> m_watchedSession; // to let go of in the destructor, if still there
    QTimer m_livenessDeadline;
    quint64 m_livenessGeneration = 0;
    bool m_livenessConnected = false; // the probe's connection answered once
    qint64 m_livenessSessionPid = 0; // the session's backend the current probe asks about
};
