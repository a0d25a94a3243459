#pragma once

#include <QProcessEnvironment>
#include <QString>

class ConnectionSettings;

// Which root certificates verify-ca and verify-full check against when the user named none.
// libpq 15 then reads ~/.postgresql/root.crt and refuses to connect without it (sslrootcert=system
// arrived in libpq 16). Cloud servers carry publicly signed certificates, so pgdesk uses that file
// when it exists, as psql does, and the system's CA bundle otherwise.
class TrustStore
{
public:
    // The bundle of the system's trusted CAs: $PGDESK_SYSTEM_CA_BUNDLE (for tests, never the
    // machine's real store) or the first existing of Debian's, Fedora's and the BSDs' paths.
    static QString systemBundle(const QProcessEnvironment& environment);
    // libpq's default root certificate file: ~/.postgresql/root.crt.
    static QString libpqDefaultRootCertificate(const QProcessEnvironment& environment);
    // The sslrootcert pgdesk passes: the one given, else (for verify-ca/verify-full) libpq's
    // default file when it exists, else the system bundle. Empty to pass none.
    static QString rootCertificateFor(const ConnectionSettings& settings, const QProcessEnvironment& environment);
};
