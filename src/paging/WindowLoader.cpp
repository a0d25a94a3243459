#include "paging/WindowLoader.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

WindowLoader::WindowLoader(QObject* parent)
    : QObject(parent)
{
}

WindowLoader::~WindowLoader() = default;

void WindowLoader::attach(const ConnectionSettings& settings)
{
    m_workerAsked = false;
    m_fetcher = std::make_unique<KeysetFetcher>(settings);
    connect(m_fetcher.get(), &KeysetFetcher::finished, this, &WindowLoader::deliver);
}

quint64 WindowLoader::load(const RowWindow::Plan& plan, const QSqlDatabase& here, bool mayServeHere)
{
    m_plan = plan;
    KeysetFetcher::Request request;
    request.statements = plan.statements;
    request.generation = ++m_generation;
    if (request.statements.isEmpty()) {
        // Served from rows already read (RowWindow's read-ahead): answered at once without a
        // worker, else queued as the worker's answers are, and older wishes are cancelled as ever.
        KeysetFetcher::Result served;
        served.generation = request.generation;
        if (!m_fetcher) {
            deliver(served);
            return request.generation;
        }
        m_fetcher->cancelUpTo(request.generation - 1);
        QMetaObject::invokeMethod(
            this, [this, served] { deliver(served); }, Qt::QueuedConnection);
        return request.generation;
    }
    if (!m_fetcher) {
        deliver(KeysetFetcher::run(here, request));
        return request.generation;
    }
    m_fetcher->cancelUpTo(request.generation - 1); // a newer wish replaces an older one
    // Only before the worker connected: its connect (TLS, SCRAM, a backend start: 30-80 ms) would
    // be most of the time to the first rows, and an index range scan of one window takes a fraction
    // of a millisecond at any table size.
    if (mayServeHere && !m_workerAsked) {
        // Queued, so the caller gets back to the event loop first, as with the worker.
        QMetaObject::invokeMethod(
            this, [this, request, here] { serveHereOrOnWorker(request, here); }, Qt::QueuedConnection);
        return request.generation;
    }
    m_workerAsked = true;
    m_fetcher->submit(request);
    return request.generation;
}

void WindowLoader::serveHereOrOnWorker(const KeysetFetcher::Request& request, const QSqlDatabase& here)
{
    if (request.generation != m_generation)
        return; // superseded while queued
    m_workerAsked = true;
    // Even an index range scan waits for a lock another session holds (ALTER TABLE, TRUNCATE,
    // VACUUM FULL): the time limit keeps that wait off the GUI thread, and the worker, whose
    // waits Esc can cancel, takes the request over.
    QSqlDatabase connection = here;
    std::optional<KeysetFetcher::Result> result;
    if (connection.transaction()) {
        QSqlQuery limit(connection);
        if (limit.exec(u"SET LOCAL statement_timeout = 200"_s))
            result = KeysetFetcher::run(connection, request);
        connection.commit();
    }
    if (!result || !result->error.isEmpty()) {
        m_fetcher->submit(request);
        return;
    }
    m_fetcher->connectAhead(); // for the moves that follow
    deliver(*result);
}

void WindowLoader::cancel()
{
    if (m_fetcher)
        m_fetcher->cancelUpTo(m_generation);
}

void WindowLoader::deliver(const KeysetFetcher::Result& result)
{
    if (result.generation != m_generation)
        return; // superseded by a newer plan
    if (!result.error.isEmpty() || result.cancelled) {
        emit failed(result.cancelled ? tr("Cancelled.") : result.error, result.cancelled);
        return;
    }
    emit arrived(m_plan, result);
}
