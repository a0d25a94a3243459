#pragma once

#include <QObject>
#include <QString>

// What the connection turned out to be, read from the server right after connecting.
struct ServerInfo
{
    QString serverVersion; // SHOW server_version, e.g. "15.18 (Debian 15.18-0+deb12u1)"
    bool sslInUse = false;
    QString sslProtocol; // e.g. "TLSv1.3" when sslInUse
    QString timeZone; // the session's TimeZone: what DEFAULT current_timestamp is evaluated in
    QString user;
    QString database;
    // Something between pgdesk and the server hands its statements to server connections of its
    // own (PgBouncer, a cloud proxy): LISTEN cannot be relied on, nor any session state between
    // transactions. Detected at connect (DatabaseSession::readServerInfo).
    bool behindPooler = false;
    // pg_is_in_recovery(): a hot standby (a streaming replica), which refuses every write and LISTEN.
    bool inRecovery = false;
    // default_transaction_read_only is on for this session (ALTER ROLE/DATABASE ... SET): every
    // transaction is read-only unless pgdesk said otherwise, which it does not.
    bool readOnlyByDefault = false;

    // Why no write can succeed on this connection, as a sentence for a banner or an error
    // message; empty when writes are possible.
    QString readOnlyReason() const
    {
        if (inRecovery)
            return QObject::tr("This server is a read-only replica (hot standby): it refuses every change. "
                               "Connect to the primary server to edit.");
        if (readOnlyByDefault)
            return QObject::tr("This connection is read-only: default_transaction_read_only is on for the role "
                               "\"%1\" or the database \"%2\".")
                .arg(user, database);
        return {};
    }
};
