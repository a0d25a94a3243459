#pragma once

#include <QString>
#include <QStringList>

// The names a PostgreSQL server's certificate is issued for (its subjectAltName DNS names and IP
// addresses, or its common name when it has none), read with a TLS handshake of pgdesk's own:
// libpq's mismatch message names only the first and counts the others. The handshake verifies
// nothing and sends nothing but PostgreSQL's SSLRequest; it is made only after libpq refused a
// certificate, from the thread that was connecting (never the GUI thread).
class CertificateNames
{
public:
    // address: a host name or IP address as libpq reported it; empty on any failure (no answer
    // within timeoutMs, no TLS, no certificate).
    static QStringList read(const QString& address, int port, const QString& serverName, int timeoutMs = 3000);
};
