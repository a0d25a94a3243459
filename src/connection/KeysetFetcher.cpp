#include "connection/KeysetFetcher.h"

#include "connection/SqlLiteral.h"

#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"
#include "connection/KeysetWorker.h"
#include "connection/NetworkThreadPool.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <functional>
#include <memory>

#include <libpq-fe.h>

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

// The connection's transaction ended (or never began): a ROLLBACK that was itself cancelled (a
// stale cancel, the statement_timeout still in force) would leave every later statement failing
// in an aborted transaction, which a ping takes for a live server.
void endTransaction(const QSqlDatabase& database)
{
    PGconn* connection = DatabaseSession::nativeConnectionOf(database);
    for (int attempt = 0; attempt < 3; ++attempt) {
        // Not forward-only: QPSQL then reads the answer to its end (ReadyForQuery), so libpq's
        // transaction status is the server's.
        QSqlQuery rollback(database);
        rollback.exec(QStringLiteral("ROLLBACK")); // read only: nothing to keep
        const PGTransactionStatusType status = connection ? PQtransactionStatus(connection) : PQTRANS_IDLE;
        if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR)
            return;
    }
}

// A search's first window, the first rows as soon as they are found. The server holds a
// statement's rows in its 8 kB send buffer until the statement ends, so a window of rare matches
// arrives only once the whole table was scanned, however early the first match was found. Under
// SET LOCAL statement_timeout the statement ends at the budget instead, and the rows it had sent
// by then reach the client before the error (libpq's single-row mode hands each over as it
// comes). Past the budget the rest is the plain statement's to read, in parallel again, after the
// last row found (TableModel plans it); nothing found by then, the plain statement runs from the
// start here.
Search searchWithinBudget(const QSqlDatabase& database, const WorkerStatement& statement,
                          const KeysetFetcher::Context& context, QList<QVariantList>* rows, QSqlError* error)
{
    QSqlQuery query(database);
    query.setForwardOnly(true);
    const auto cancelRequested = [&context] { return context.cancelRequested && context.cancelRequested(); };
    const auto end = [&](Search outcome) {
        query.finish(); // its rows are all read; the ROLLBACK follows on the same connection
        endTransaction(database);
        // Esc between two statements reaches an idle server and cancels nothing there; and a
        // cancel is told from the budget by its message, which the server may say in another language.
        if (outcome != Search::Complete && cancelRequested()) {
            *error
                = QSqlError(QStringLiteral("canceling statement due to user request"), {}, QSqlError::StatementError);
            return Search::Cancelled;
        }
        return outcome;
    };
    // Without parallel workers: a Gather Merge emits a row only once every worker has found one,
    // and a parallel sort none before its scan ends, so a rare match's first rows would wait for
    // the whole scan again. Alone, the plan is the key's index in order wherever the window's LIMIT
    // makes that the cheaper one, and its rows come as they are found. No JIT either: compiling
    // the filter costs tens of milliseconds of a budget that short. (SET LOCAL all three in one
    // round trip.)
    QSqlQuery settings(database);
    if (!query.exec(QStringLiteral("BEGIN"))
        || !settings.exec(QStringLiteral("SELECT set_config('statement_timeout', '%1', true), "
                                         "set_config('max_parallel_workers_per_gather', '0', true), "
                                         "set_config('jit', 'off', true)")
                              .arg(statement.searchBudgetMs)))
        return end(Search::RunPlain); // the plain statement reports a real error itself
    settings.finish();
    const bool executed = SqlLiteral::exec(query, statement.sql, statement.values);
    if (executed)
        *rows = readAllRows(query);
    const QSqlError failure = query.lastError();
    if (executed && !failure.isValid())
        return end(Search::Complete);
    if (isUserCancel(failure)) {
        *error = failure;
        query.finish();
        endTransaction(database);
        return Search::Cancelled;
    }
    // query_canceled that is not the user's: the budget ran out. Anything else (a division by
    // zero in row 5) is the plain statement's to report.
    const bool budgetSpent = failure.nativeErrorCode() == QLatin1String("57014");
    if (!budgetSpent || rows->isEmpty()) {
        rows->clear();
        return end(Search::RunPlain);
    }
    return end(Search::CutShort);
}
} // namespace

KeysetFetcher::Result KeysetFetcher::run(const QSqlDatabase& database, const Request& request)
{
    return run(database, request, Context());
}

KeysetFetcher::Result KeysetFetcher::run(const QSqlDatabase& database, const Request& request, const Context& context)
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
        // Never an empty error (ConnectionError::reasonOf): it would pass for an empty answer, a
        // window of no rows, and the worker would not reconnect.
        const auto fail = [&result](const QSqlError& error) {
            result.cancelled = isUserCancel(error);
            result.error = ConnectionError::reasonOf(error);
            result.rows.clear();
        };
        if (statement.searchBudgetMs > 0 && !statement.reversed && request.statements.size() == 1
            && context.searchesWithinBudget) {
            QList<QVariantList> found;
            QSqlError error;
            const Search outcome = searchWithinBudget(database, statement, context, &found, &error);
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
        if (statement.partsReversed.isEmpty()) {
            result.rows << rows;
            continue;
        }
        QList<QList<QVariantList>> parts(statement.partsReversed.size());
        for (QVariantList& row : rows) {
            const qsizetype part = row.isEmpty() ? -1 : row.takeFirst().toInt();
            if (part >= 0 && part < parts.size())
                parts[part] << std::move(row);
        }
        for (qsizetype part = 0; part < parts.size(); ++part) {
            if (statement.partsReversed.at(part))
                std::reverse(parts[part].begin(), parts[part].end());
            result.rows << parts.at(part);
        }
    }
    result.elapsedMilliseconds = timer.elapsed();
    return result;
}
