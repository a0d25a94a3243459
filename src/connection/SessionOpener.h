#pragma once

#include "config/ConnectionSettings.h"

#include <QEventLoop>

class DatabaseSession;

// Opens a DatabaseSession and makes sure its table exists without freezing the thread that asks.
//
// Connecting is a TCP and TLS handshake, SCRAM, a backend start and a few catalog reads: 30-80 ms
// on a good day, up to connect_timeout (10 s) when the host does not answer. QPSQL only connects
// blocking, and a QSqlDatabase is bound to the thread whose driver made it, so the connect is a
// network job (NetworkThreadPool): the session moves to the job's thread, connects there (its
// driver is made there), and is handed back with its driver before anyone on the asking thread
// touches it. Meanwhile the asking thread runs a local event loop: the window repaints, timers
// fire. Unlike other network jobs this one is waited for when the loop ends early (the application
// quits): it works on the caller's session.
class SessionOpener
{
public:
    // The session must live in the calling thread and have no parent. Returns what
    // open() && ensureTable() returned; the session's lastError() says why not.
    // ExcludeUserInputEvents keeps clicks and keys for after the connect, so nothing the user does
    // meanwhile runs against a half-made state.
    static bool openWithTable(DatabaseSession& session, const ConnectionSettings& settings,
                              QEventLoop::ProcessEventsFlags flags = QEventLoop::ExcludeUserInputEvents);
    // The same for a table the user picked from the database's list (TableList): a missing one is
    // never created in the tutorial's shape under that name. False with the session open when the
    // table is gone.
    static bool openExistingTable(DatabaseSession& session, const ConnectionSettings& settings);

private:
    static bool open(DatabaseSession& session, const ConnectionSettings& settings, bool createMissingTable,
                     QEventLoop::ProcessEventsFlags flags);
};
