#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <type_traits>
#include <utility>

class QThreadPool;

// The one-shot pattern, a "network job": a function that runs once on a thread of this pool, opens
// what it needs there (a connection of its own, or libpq's cancel request) and closes it before it
// returns, or hands it over (below). pgdesk has exactly two ways of running a statement off the
// GUI thread: this one, and the long-lived worker connection (KeysetFetcher) for statements that
// come again and again on the same connection and in order. Everything that waits on the network
// once uses this one: a save, a delete or a drop (gui/NetworkWait), who holds a lock
// (TableCatalog::lockHolders), a cancel request (ServerCancel), the dialog's Test and the
// watcher's reconnect probe (DatabaseSession::probe), connecting a session (SessionOpener),
// CREATE INDEX CONCURRENTLY, and an import or export (CopyTransfer, which reports progress on the
// way).
//
// The rules of a job:
//   - it owns what it uses: captures by value, or shares its state (a std::shared_ptr) with the
//     object that started it, so that object may be gone before the job ends. Nothing blocks on a
//     job without a bound: a destroyed CopyTransfer gives its cancelled job a second; only
//     SessionOpener waits for its job to end (at most the connect timeout), because the job works
//     on the caller's session;
//   - its answer comes back as a signal of that state, or through run(context, job, done), which
//     drops the answer when the context is gone; a caller that must have the answer before it goes
//     on (a modal flow) spins an event loop on run()'s future (NetworkWait, SessionOpener) instead
//     of blocking on it;
//   - a QSqlDatabase it opens is opened, used and closed inside the job (Qt binds it to the thread
//     whose driver made it); a session that must outlive the job is handed over with
//     DatabaseSession::moveToThreadWithConnection() (SessionOpener).
//
// Why a pool of its own rather than QThreadPool::globalInstance(): Qt itself uses the global pool:
// the raster paint engine splits some drawing across its threads and waits for them on the GUI
// thread. On a dead network path PQcancel() blocks until TCP gives up (minutes), and a few such
// jobs filled the global pool and froze the window in the middle of painting a progress bar. This
// pool is never destroyed, so never waited for at exit either: a job stuck on a dead path must not
// hold up quitting (see idle()). It holds 8 threads; a ninth job waits for one of them.
namespace NetworkThreadPool {
QThreadPool* instance();

// Starts job and forgets it: it reports through signals or state of its own, if at all.
void start(std::function<void()> job);

// Worker connections' threads (KeysetFetcher) count themselves here from start to end, so that
// quitting can tell whether anything still waits on the network.
void workerThreadStarted();
void workerThreadEnded();
// True when no job runs and no worker connection's thread is left. A process must not run its
// static destructors before that: a job stuck on a dead path would go on using what they destroy
// (QtSql's connection registry, a function's static QRegularExpression) and crash the exit.
bool idle();
// How long QCoreApplication's destructor waits for idle() (10 s unless set): a program that returns
// from main() must not destroy what a job still uses. The window sets 0: its main() waits itself.
void setExitWait(int milliseconds);
// Waits (blocking, without an event loop) up to milliseconds for idle(); for main() once the
// window is gone, which then leaves with std::_Exit() rather than wait out a dead path.
bool waitUntilIdle(int milliseconds);

// Starts job; the future tells when it ended and what it returned. For a caller that runs an event
// loop until then (watch it with a QFutureWatcher); never waitForFinished() on the GUI thread.
template <typename Job> auto run(Job&& job)
{
    return QtConcurrent::run(instance(), std::forward<Job>(job));
}

// Starts job and calls done with its result (nothing for a void job) on context's thread once it
// ended, unless context was destroyed first: then the result is dropped and the job ends unwatched.
// Call it from context's thread.
template <typename Job, typename Done> void run(QObject* context, Job&& job, Done&& done)
{
    using Result = std::invoke_result_t<std::decay_t<Job>>;
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::forward<Done>(done)]() mutable {
                         watcher->deleteLater();
                         if constexpr (std::is_void_v<Result>)
                             done();
                         else
                             done(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(instance(), std::forward<Job>(job)));
}
} // namespace NetworkThreadPool
