#pragma once

#include "config/ConnectionSettings.h"

#include <QObject>
#include <QString>

// Asks the server, on a connection of its own (a network job), who holds the lock a backend
// waits for: pg_blocking_pids() through TableCatalog::lockHolders(). One question at a time; the
// answer comes back as found(), "pid 4242 (psql)", or empty when it waits for no lock.
class LockHolderLookup : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Does nothing while a question is under way, or for pid 0 (not connected yet).
    void lookUp(const ConnectionSettings& settings, qint64 waitingPid);
    bool isLookingUp() const { return m_lookingUp; }

signals:
    // A failed question says nothing: asking is a courtesy, the wait goes on as it was.
    void found(const QString& holders);

private:
    bool m_lookingUp = false;
};
