#include "connection/StatementControl.h"

#include "connection/DatabaseSession.h"

#include <libpq-fe.h>

void StatementControl::attach(const DatabaseSession& session)
{
    pg_conn* connection = session.nativeConnection();
    m_serverCancel.reset(connection);
    m_backendPid.store(connection ? PQbackendPID(connection) : 0);
    // A cancel pressed while the job was still connecting found no connection to cancel.
    if (m_cancelled.load())
        m_serverCancel.send();
}

void StatementControl::detach()
{
    m_backendPid.store(0);
    m_serverCancel.reset(nullptr);
}

void StatementControl::cancel()
{
    m_cancelled.store(true);
    m_serverCancel.send();
}
