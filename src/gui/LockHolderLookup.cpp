#include "gui/LockHolderLookup.h"

#include "connection/NetworkThreadPool.h"
#include "table/TableCatalog.h"

void LockHolderLookup::lookUp(const ConnectionSettings& settings, qint64 waitingPid)
{
    if (m_lookingUp || waitingPid == 0)
        return;
    m_lookingUp = true;
    NetworkThreadPool::run(
        this, [settings, waitingPid] { return TableCatalog::lockHolders(settings, waitingPid); },
        [this](const TableCatalog::Outcome& outcome) {
            m_lookingUp = false;
            if (outcome.error.isEmpty())
                emit found(outcome.text);
        });
}
