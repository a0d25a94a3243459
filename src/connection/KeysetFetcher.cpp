#include "connection/KeysetFetcher.h"

#include "connection/SqlLiteral.h"

#include "connection/KeysetWorker.h"
#include "connection/NetworkThreadPool.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <functional>
#include <memory>

#include <algorithm>
#include <limits>

namespace {
// How long a destroyed fetcher waits for its thread; see the destructor's comment.
constexpr int stopGraceMilliseconds = 500;
} // namespace

KeysetFetcher::KeysetFetcher(const ConnectionSettings& settings, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new KeysetWorker(settings))
{
    qRegisterMetaType<KeysetFetcher::Request>();
    qRegisterMetaType<KeysetFetcher::Result>();
    m_thread->setObjectName(QStringLiteral("pgdesk-keyset"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // For a thread that was let go (see the destructor); deleting it first drops this call.
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    connect(m_worker, &KeysetWorker::finished, this, &KeysetFetcher::finished);
    // Counted from the thread itself as it ends: a thread that was let go may end after every
    // event loop did.
    NetworkThreadPool::workerThreadStarted();
    connect(m_thread, &QThread::finished, m_thread, &NetworkThreadPool::workerThreadEnded, Qt::DirectConnection);
    m_thread->start();
}

KeysetFetcher::~KeysetFetcher()
{
    // On a live path the cancel ends a running statement within a few hundred milliseconds at most.
    m_worker->cancelUpTo(std::numeric_limits<quint64>::max());
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(stopGraceMilliseconds)))
        delete m_thread;
    // Otherwise the statement waits on a dead path; the worker's answer can no longer reach this
    // object, and the thread deletes itself once it finished (when an event loop runs here again).
}

qint64 KeysetFetcher::backendPid() const
{
    return m_worker->backendPid();
}

void KeysetFetcher::submit(const Request& request)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, request] { worker->execute(request); }, Qt::QueuedConnection);
}

void KeysetFetcher::connectAhead()
{
    QMetaObject::invokeMethod(m_worker, &KeysetWorker::connectAhead, Qt::QueuedConnection);
}

namespace {
// Re-sends the cancel every 200 ms while the worker still runs `generation`, at most `retriesLeft`
// times. Each timer holds a copy of its own small lambda, nothing refers back to it: no cycle.
void retryCancel(QObject* context, KeysetWorker* worker, quint64 generation, int retriesLeft)
{
    QTimer::singleShot(200, context, [context, worker, generation, retriesLeft] {
        if (retriesLeft <= 0 || !worker->isRunningUpTo(generation))
            return;
        worker->cancelUpTo(generation);
        retryCancel(context, worker, generation, retriesLeft - 1);
    });
}
} // namespace

void KeysetFetcher::cancelUpTo(quint64 generation)
{
    // A cancel request that reaches the server before the statement does cancels nothing, so it
    // is repeated until the worker has moved past this generation.
    m_worker->cancelUpTo(generation);
    retryCancel(this, m_worker, generation, 50);
}

KeysetFetcher::Result KeysetFetcher::run(const QSqlDatabase& database, const Request& request)
{
    Result result;
    result.generation = request.generation;
    QElapsedTimer timer;
    timer.start();
    for (const WorkerStatement& statement : request.statements) {
        QSqlQuery query(database);
        // Forward-only: libpq's single-row mode, no second copy of the result in Qt.
        query.setForwardOnly(true);
        // Values written in as literals, not a named PREPARE (see SqlLiteral: poolers).
        const auto fail = [&result](const QSqlError& error) {
            result.cancelled = error.text().contains(QStringLiteral("canceling statement due to user request"));
            result.error = error.databaseText().isEmpty() ? error.text() : error.databaseText();
            result.rows.clear();
        };
        if (!SqlLiteral::exec(query, statement.sql, statement.values)) {
            fail(query.lastError());
            break;
        }
        QList<QVariantList> rows;
        const int columns = query.record().count();
        while (query.next()) {
            QVariantList row;
            row.reserve(columns);
            for (int column = 0; column < columns; ++column)
                row << query.value(column);
            rows << row;
        }
        // In single-row mode an error can come after some rows (a cancel meant for the previous
        // request, a lost link, a division by zero in row 5): next() just returns false. The rows
        // so far are not the answer; taken as one, 53 of 150 rows before a key read as "at the start".
        if (query.lastError().isValid()) {
            fail(query.lastError());
            break;
        }
        if (statement.reversed)
            std::reverse(rows.begin(), rows.end());
        result.rows << rows;
    }
    result.elapsedMilliseconds = timer.elapsed();
    return result;
}
