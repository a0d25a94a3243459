#include "connection/KeysetWorker.h"

#include "connection/DatabaseSession.h"

#include <QElapsedTimer>
#include <QSqlQuery>

#include <libpq-fe.h>

#include <limits>

KeysetWorker::KeysetWorker(ConnectionSettings settings)
    : m_settings(std::move(settings))
{
}

KeysetWorker::~KeysetWorker() = default;

void KeysetWorker::connectAhead()
{
    QString ignored; // a failure here is met again, and reported, by the first request
    ensureConnected(&ignored);
}

bool KeysetWorker::ensureConnected(QString* error)
{
    if (m_session && m_session->isOpen())
        return true;
    m_cancel.reset(nullptr);
    m_backendPid = 0;
    m_session = std::make_unique<DatabaseSession>();
    if (!m_session->open(m_settings)) {
        *error = m_session->lastError().fullText();
        m_session.reset();
        return false;
    }
    m_cancel.reset(m_session->nativeConnection());
    m_backendPid = PQbackendPID(m_session->nativeConnection());
    // A round trip timed (the fastest of three, so one busy moment does not decide): a search's
    // budget pays for three more (KeysetFetcher::Context).
    qint64 fastest = std::numeric_limits<qint64>::max();
    for (int probe = 0; probe < 3; ++probe) {
        QElapsedTimer roundTrip;
        roundTrip.start();
        QSqlQuery(m_session->database()).exec(QStringLiteral("SELECT 1"));
        fastest = qMin(fastest, roundTrip.elapsed());
    }
    m_fastLink = fastest < slowRoundTripMilliseconds;
    return true;
}

void KeysetWorker::execute(const KeysetFetcher::Request& request)
{
    KeysetFetcher::Result result;
    result.generation = request.generation;
    // Marked running before the cancel check: a concurrent cancelUpTo() sees one or the other.
    m_running = request.generation;
    if (m_cancelledGeneration.load() >= request.generation) {
        m_running = 0;
        result.cancelled = true; // cancelled while it waited in the queue
        emit finished(result);
        return;
    }
    QString error;
    if (!ensureConnected(&error)) {
        m_running = 0;
        result.error = error;
        emit finished(result);
        return;
    }
    KeysetFetcher::Context context;
    context.cancelRequested
        = [this, generation = request.generation] { return m_cancelledGeneration.load() >= generation; };
    context.searchesWithinBudget = m_fastLink;
    result = KeysetFetcher::run(m_session->database(), request, context);
    // A cancel request travels on a connection of its own and stops whatever statement runs when
    // it arrives: one meant for the previous request (a retry still on its way when that request
    // ended) can stop this one. Only a cancel of this generation counts; otherwise run it again.
    for (int again = 0; again < 3 && result.cancelled && m_cancelledGeneration.load() < request.generation; ++again)
        result = KeysetFetcher::run(m_session->database(), request, context);
    if (!result.error.isEmpty() && !result.cancelled && !m_session->ping()) {
        // The worker's connection died (server restart, terminated backend): reconnect and try
        // once more, so a lost link costs one retry rather than an error on screen.
        m_session.reset();
        if (ensureConnected(&error)) {
            context.searchesWithinBudget = m_fastLink;
            result = KeysetFetcher::run(m_session->database(), request, context);
        }
    }
    m_running = 0;
    emit finished(result);
}

void KeysetWorker::cancelUpTo(quint64 generation)
{
    // Requests still waiting in the queue are skipped when their turn comes.
    quint64 highest = m_cancelledGeneration.load();
    while (highest < generation && !m_cancelledGeneration.compare_exchange_weak(highest, generation))
        ;
    const quint64 running = m_running.load();
    if (running == 0 || running > generation)
        return;
    m_cancel.send();
}
