#include "config/TrustStore.h"

#include "config/ConnectionSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

using namespace Qt::StringLiterals;

QString TrustStore::systemBundle(const QProcessEnvironment& environment)
{
    const QString forTests = environment.value(u"PGDESK_SYSTEM_CA_BUNDLE"_s);
    if (!forTests.isEmpty())
        return forTests;
    static const QStringList candidates{ u"/etc/ssl/certs/ca-certificates.crt"_s, u"/etc/pki/tls/certs/ca-bundle.crt"_s,
                                         u"/etc/ssl/cert.pem"_s };
    for (const QString& candidate : candidates) {
        if (QFileInfo(candidate).isFile())
            return candidate;
    }
    return {};
}

QString TrustStore::libpqDefaultRootCertificate(const QProcessEnvironment& environment)
{
    const QString home = environment.value(u"HOME"_s, QDir::homePath());
    return QDir(home).filePath(u".postgresql/root.crt"_s);
}

QString TrustStore::rootCertificateFor(const ConnectionSettings& settings, const QProcessEnvironment& environment)
{
    if (!settings.sslRootCert().isEmpty())
        return settings.sslRootCert();
    if (settings.sslMode() != u"verify-ca" && settings.sslMode() != u"verify-full")
        return {};
    if (QFileInfo(libpqDefaultRootCertificate(environment)).isFile())
        return {};
    return systemBundle(environment);
}
