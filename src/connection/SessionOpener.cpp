#include "connection/SessionOpener.h"

#include "connection/DatabaseSession.h"
#include "connection/NetworkThreadPool.h"

#include <QFutureWatcher>
#include <QThread>

bool SessionOpener::openWithTable(DatabaseSession& session, const ConnectionSettings& settings,
                                  QEventLoop::ProcessEventsFlags flags)
{
    return open(session, settings, true, flags);
}

bool SessionOpener::openExistingTable(DatabaseSession& session, const ConnectionSettings& settings)
{
    return open(session, settings, false, QEventLoop::ExcludeUserInputEvents);
}

bool SessionOpener::open(DatabaseSession& session, const ConnectionSettings& settings, bool createMissingTable,
                         QEventLoop::ProcessEventsFlags flags)
{
    Q_ASSERT(session.thread() == QThread::currentThread() && !session.parent());
    // Closed here: the old connection's driver belongs to this thread.
    session.close();
    QThread* home = QThread::currentThread();
    // Which pool thread runs the job is known only once it runs, and moveToThread() can only push
    // an object away from its own thread. So the session lets go of this thread here, and the job
    // pulls it in (Qt allows that for an object of no thread), connects, and pushes the session and
    // the driver it made back before it ends.
    session.moveToThread(nullptr);
    QFutureWatcher<bool> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(NetworkThreadPool::run([&session, settings, home, createMissingTable] {
        session.moveToThread(QThread::currentThread());
        const bool ok = session.open(settings) && (createMissingTable ? session.ensureTable() : session.tableExists());
        session.moveToThreadWithConnection(home);
        return ok;
    }));
    if (!watcher.isFinished())
        loop.exec(flags);
    // The one network job that is waited for: it works on the caller's session, which must be back
    // in this thread before anyone here touches it. The loop ends early only when the application
    // quits, and a connect gives up after connect_timeout (10 s).
    watcher.waitForFinished();
    return watcher.result();
}
