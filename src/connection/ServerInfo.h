#pragma once

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
};
