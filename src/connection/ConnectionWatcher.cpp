#include "connection/ConnectionWatcher.h"

#include "connection/DatabaseSession.h"
#include "connection/NetworkThreadPool.h"

#include <algorithm>

ConnectionWatcher::ConnectionWatcher(DatabaseSession* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    m_checkTimer.setInterval(defaultCheckIntervalMs);
    m_attemptTimer.setSingleShot(true);
    m_countdownTimer.setInterval(1000);
    connect(&m_checkTimer, &QTimer::timeout, this, &ConnectionWatcher::probeLiveness);
    m_livenessDeadline.setSingleShot(true);
    connect(&m_livenessDeadline, &QTimer::timeout, this, &ConnectionWatcher::onLivenessDeadline);
    connect(&m_attemptTimer, &QTimer::timeout, this, &ConnectionWatcher::startAttempt);
    connect(&m_countdownTimer, &QTimer::timeout, this, [this] { emit countdownChanged(secondsToNextAttempt()); });
    connect(m_session, &DatabaseSession::connectionLost, this, &ConnectionWatcher::onConnectionLost);
    connect(m_session, &DatabaseSession::reconnected, this, &ConnectionWatcher::onReconnected);
    connect(m_session, &DatabaseSession::opened, this, &ConnectionWatcher::onReconnected);
    connect(m_session, &DatabaseSession::closed, this, [this] {
        // A closed session is not lost: nothing to watch until it is opened again.
        m_attemptTimer.stop();
        m_failedAttempts = 0;
        m_lastError = ConnectionError();
        setState(State::Online);
    });
    m_heartbeat.setInterval(250);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] { m_watchdog.beat(); });
    m_heartbeat.start();
    m_watchedSession = m_session;
    m_session->setSocketWatchdog(&m_watchdog);
    if (m_session->isLost())
        onConnectionLost();
    else
        updateTimers();
}

ConnectionWatcher::~ConnectionWatcher()
{
    if (m_watchedSession)
        m_watchedSession->setSocketWatchdog(nullptr);
}

void ConnectionWatcher::setCheckInterval(int milliseconds)
{
    m_checkTimer.setInterval(std::max(0, milliseconds));
    updateTimers();
}

void ConnectionWatcher::setBackoff(int firstDelayMs, int maxDelayMs)
{
    m_firstDelayMs = std::max(1, firstDelayMs);
    m_maxDelayMs = std::max(m_firstDelayMs, maxDelayMs);
    if (m_failedAttempts == 0)
        m_delayMs = m_firstDelayMs;
}

int ConnectionWatcher::secondsToNextAttempt() const
{
    if (m_state != State::Offline || !m_attemptTimer.isActive())
        return -1;
    return (std::max(0, m_attemptTimer.remainingTime()) + 999) / 1000;
}

void ConnectionWatcher::setState(State state)
{
    const bool changed = state != m_state;
    m_state = state;
    updateTimers();
    if (changed)
        emit stateChanged(state);
}

void ConnectionWatcher::updateTimers()
{
    const bool watchOnline = m_state == State::Online && m_session->isOpen() && m_checkTimer.interval() > 0;
    if (watchOnline && !m_checkTimer.isActive())
        m_checkTimer.start();
    else if (!watchOnline)
        m_checkTimer.stop();
    if (m_state == State::Offline && !m_countdownTimer.isActive())
        m_countdownTimer.start();
    else if (m_state != State::Offline)
        m_countdownTimer.stop();
}

void ConnectionWatcher::check()
{
    if (m_state != State::Online || !m_session->isOpen())
        return;
    // A lost link arrives as connectionLost(), now if the server's goodbye already arrived, or
    // when the probe answers.
    if (m_session->checkWithoutWaiting())
        probeLiveness();
}

void ConnectionWatcher::probeLiveness()
{
    if (m_state != State::Online || !m_session->isOpen() || m_session->isLost())
        return;
    if (m_livenessDeadline.isActive())
        return; // one probe at a time: a second would queue behind one that waits
    if (!m_liveness) {
        m_liveness = std::make_unique<KeysetFetcher>(m_session->settings());
        connect(m_liveness.get(), &KeysetFetcher::finished, this, &ConnectionWatcher::onLivenessAnswer);
    }
    KeysetFetcher::Request request;
    request.generation = ++m_livenessGeneration;
    // Does the server still hold the session's own connection (a terminated backend, a restart)?
    // Asked here rather than by a ping on the session's connection: the path may die between this
    // answer and that ping, and then the GUI thread would wait on it. Behind a pooler the number
    // libpq knows is the pooler's, so there only the path is probed.
    m_livenessSessionPid = m_session->serverInfo().behindPooler ? 0 : m_session->backendPid();
    request.statements << WorkerStatement{
        m_livenessSessionPid > 0
            ? QStringLiteral("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = %1)").arg(m_livenessSessionPid)
            : QStringLiteral("SELECT true"),
        {},
        false
    };
    m_liveness->submit(request);
    m_livenessDeadline.start(m_livenessConnected ? livenessDeadlineMs : firstLivenessDeadlineMs);
}

void ConnectionWatcher::onLivenessAnswer(const KeysetFetcher::Result& result)
{
    if (result.generation != m_livenessGeneration || !m_livenessDeadline.isActive())
        return; // answered after its deadline: the loss was reported already
    m_livenessDeadline.stop();
    if (m_state != State::Online)
        return;
    if (!result.error.isEmpty()) {
        m_session->reportLost(ConnectionError::connectionLost(m_session->settings(), result.error));
        return;
    }
    m_livenessConnected = true;
    const bool sessionServed = !result.rows.isEmpty() && !result.rows.first().isEmpty()
        && !result.rows.first().first().isEmpty() && result.rows.first().first().first().toBool();
    if (!sessionServed && m_livenessSessionPid > 0 && m_livenessSessionPid == m_session->backendPid()) {
        m_session->reportLost(ConnectionError::connectionLost(
            m_session->settings(),
            tr("The server no longer serves this connection (process %1).").arg(m_livenessSessionPid)));
        return;
    }
    m_session->checkWithoutWaiting(); // a pooler that closed the session's link
}

void ConnectionWatcher::onLivenessDeadline()
{
    if (m_state != State::Online)
        return;
    // No answer in time: the path is dead or the server stopped answering. The probe's worker may
    // go on waiting for TCP's own timeout (its destructor would give it half a second of the GUI
    // thread first), so it is let go and deletes itself once its statement ends; the next probe
    // gets a fresh connection.
    KeysetFetcher* abandoned = m_liveness.release();
    disconnect(abandoned, nullptr, this, nullptr);
    connect(abandoned, &KeysetFetcher::finished, abandoned, &QObject::deleteLater);
    // No cancel request: on a dead path it would block as long as the probe itself.
    m_livenessConnected = false;
    m_session->reportLost(ConnectionError::connectionLost(
        m_session->settings(), tr("The server did not answer within %1 s.").arg(livenessDeadlineMs / 1000.0)));
}

void ConnectionWatcher::reconnectNow()
{
    if (m_state == State::Reconnecting || !m_session->isOpen())
        return;
    if (m_state == State::Online) {
        // Online as far as anyone knows: ask the probe, which reconnects if the link is gone.
        probeLiveness();
        return;
    }
    m_attemptTimer.stop();
    startAttempt();
}

void ConnectionWatcher::onConnectionLost()
{
    if (m_reopening || m_state != State::Online)
        return; // our own attempt failing is handled in finishAttempt()
    m_lastError = m_session->lastError();
    m_failedAttempts = 0;
    m_delayMs = m_firstDelayMs;
    scheduleAttempt();
}

void ConnectionWatcher::onReconnected()
{
    if (m_reopening)
        return; // finishAttempt() reports it
    // Someone else reopened the session (or opened it anew): stop trying.
    m_attemptTimer.stop();
    m_failedAttempts = 0;
    m_delayMs = m_firstDelayMs;
    m_lastError = ConnectionError();
    setState(State::Online);
}

void ConnectionWatcher::scheduleAttempt()
{
    m_attemptTimer.start(m_delayMs);
    setState(State::Offline);
    emit countdownChanged(secondsToNextAttempt());
}

void ConnectionWatcher::startAttempt()
{
    if (m_attempting || !m_session->isOpen())
        return;
    setState(State::Reconnecting);
    m_attempting = true;
    const ConnectionSettings settings = m_session->settings();
    NetworkThreadPool::run(
        this, [settings] { return DatabaseSession::probe(settings).error; },
        [this](const ConnectionError& probeError) { finishAttempt(probeError); });
}

void ConnectionWatcher::finishAttempt(const ConnectionError& probeError)
{
    m_attempting = false;
    if (!m_session->isOpen()) // closed meanwhile; nothing to reconnect
        return;

    bool ok = false;
    if (probeError.isError()) {
        m_lastError = probeError;
    } else {
        m_reopening = true;
        ok = m_session->reconnect();
        m_reopening = false;
        if (!ok)
            m_lastError = m_session->lastError();
    }
    if (ok) {
        m_failedAttempts = 0;
        m_delayMs = m_firstDelayMs;
        m_lastError = ConnectionError();
        setState(State::Online);
        emit reconnected();
        return;
    }
    ++m_failedAttempts;
    m_delayMs = std::min(m_maxDelayMs, m_delayMs * 2);
    emit attemptFailed(m_lastError);
    scheduleAttempt();
}
