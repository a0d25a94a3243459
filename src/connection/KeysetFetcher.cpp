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

namespace {
bool isUserCancel(const QSqlError& error)
{
    return error.text().contains(QStringLiteral("canceling statement due to user request"));
}

// Every value of every row the query has left, in order.
QList<QVariantList> readAllRows(QSqlQuery& query)
{
    QList<QVariantList> rows;
    const int columns = query.record().count();
    while (query.next()) {
        QVariantList row;
        row.reserve(columns);
        for (int column = 0; column < columns; ++column)
            row << query.value(column);
        rows << row;
    }
    return rows;
}

enum class Search { Complete, CutShort, RunPlain, Cancelled };

// A search's first window, the first rows as soon as they are found. The server holds a plain
// statement's rows in its 8 kB send buffer until the statement ends, so a window of rare matches
// arrives only once the whole table was scanned, however early the first match was found. A
// cursor's FETCH ends with the rows it asked for, so FETCH 1, 2, 4, ... hand over the matches in
// order as they turn up, until the budget is spent. A cursor is never planned in parallel, so
// past the budget the rest is the plain statement's to read (TableModel plans it after the rows
// found): at most the budget is spent scanning alone.
Search searchWithinBudget(const QSqlDatabase& database, const WorkerStatement& statement, QList<QVariantList>* rows,
                          QSqlError* error)
{
    QElapsedTimer clock;
    clock.start();
    QSqlQuery query(database);
    query.setForwardOnly(true);
    const auto end = [&query](Search outcome) {
        query.exec(QStringLiteral("ROLLBACK")); // read only: nothing to keep
        return outcome;
    };
    // Why a step failed: Esc (a cancel that lands on any step is Esc's), the budget spent in the
    // middle of a FETCH (query_canceled that is not the user's), or anything else, which the plain
    // statement reports itself (a division by zero in row 5; a pooler that allows no transaction).
    const auto failed = [&](bool mayBeBudget) {
        const QSqlError failure = query.lastError();
        if (isUserCancel(failure)) {
            *error = failure;
            return end(Search::Cancelled);
        }
        const bool budgetSpent = mayBeBudget && failure.nativeErrorCode() == QLatin1String("57014");
        return end(budgetSpent && !rows->isEmpty() ? Search::CutShort : Search::RunPlain);
    };
    if (!query.exec(QStringLiteral("BEGIN")))
        return failed(false);
    // cursor_tuple_fraction 1: the cursor gets the plain statement's plan (an index scan in the
    // key order where that is the plain plan), not one chosen for the first tenth of its rows.
    if (!query.exec(QStringLiteral("SET LOCAL cursor_tuple_fraction = 1"))
        || !query.exec(QStringLiteral("DECLARE pgdesk_search NO SCROLL CURSOR FOR ")
                       + SqlLiteral::bind(statement.sql, statement.values)))
        return failed(false);
    for (int wanted = 1;; wanted = qMin(wanted * 2, 1 << 20)) {
        const qint64 left = statement.searchBudgetMs - clock.elapsed();
        if (left <= 0)
            return end(rows->isEmpty() ? Search::RunPlain : Search::CutShort);
        if (!query.exec(QStringLiteral("SET LOCAL statement_timeout = %1").arg(left)))
            return failed(false);
        query.setForwardOnly(true);
        const bool fetched = query.exec(QStringLiteral("FETCH FORWARD %1 FROM pgdesk_search").arg(wanted));
        const QList<QVariantList> found = fetched ? readAllRows(query) : QList<QVariantList>();
        if (query.lastError().isValid())
            return failed(true);
        *rows += found;
        if (found.size() < wanted)
            return end(Search::Complete); // the statement's own LIMIT, or the last match
    }
}
} // namespace

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
            result.cancelled = isUserCancel(error);
            result.error = error.databaseText().isEmpty() ? error.text() : error.databaseText();
            result.rows.clear();
        };
        if (statement.searchBudgetMs > 0 && !statement.reversed && request.statements.size() == 1) {
            QList<QVariantList> found;
            QSqlError error;
            const Search outcome = searchWithinBudget(database, statement, &found, &error);
            if (outcome == Search::Cancelled) {
                fail(error);
                break;
            }
            if (outcome != Search::RunPlain) {
                result.rows << found;
                result.cutShort = outcome == Search::CutShort;
                continue;
            }
        }
        if (!SqlLiteral::exec(query, statement.sql, statement.values)) {
            fail(query.lastError());
            break;
        }
        QList<QVariantList> rows = readAllRows(query);
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
