#include "gui/LockHolderLookup.h"

#include "connection/NetworkThreadPool.h"
#include "table/TableCatalog.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

void LockHolderLookup::lookUp(const ConnectionSettings& settings, qint64 waitingPid)
{
    if (m_lookingUp || waitingPid == 0)
        return;
    m_lookingUp = true;
    auto* watcher = new QFutureWatcher<TableCatalog::Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_lookingUp = false;
        const TableCatalog::Outcome outcome = watcher->result();
        if (outcome.error.isEmpty())
            emit found(outcome.text);
    });
    // The job keeps its own copies: an owner gone meanwhile is never waited for.
    watcher->setFuture(QtConcurrent::run(NetworkThreadPool::instance(), [settings, waitingPid] {
        return TableCatalog::lockHolders(settings, waitingPid);
    }));
}
