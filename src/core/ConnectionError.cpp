#include "ConnectionError.h"

#include "ConnectionSettings.h"

#include <QObject>

ConnectionError::ConnectionError(Kind kind, QString message, QString hint, QString details)
    : m_kind(kind)
    , m_message(std::move(message))
    , m_hint(std::move(hint))
    , m_details(std::move(details))
{
}

ConnectionError ConnectionError::driverMissing()
{
    return { Kind::DriverMissing, QObject::tr("Qt's PostgreSQL driver (QPSQL) is not installed."),
             QObject::tr("On Debian or Ubuntu install the package libqt6sql6-psql.") };
}

ConnectionError ConnectionError::fromSqlError(const QSqlError& error, const ConnectionSettings& settings)
{
    // libpq reports connection failures as free text; the phrases matched here are stable across
    // PostgreSQL 12-17 and are what psql prints too.
    const QString details = error.text().trimmed();
    const QString text = details.toLower();
    const QString where = settings.host().isEmpty()
        ? QObject::tr("the local socket")
        : QStringLiteral("%1:%2").arg(settings.host(), settings.text(ConnectionSettings::Field::Port));

    if (text.contains(u"server does not support ssl")) {
        return {
            Kind::SslNotSupported,
            QObject::tr("The server at %1 does not support SSL, but sslmode is \"%2\".").arg(where, settings.sslMode()),
            QObject::tr("Choose sslmode \"prefer\" or \"disable\" if this server is trusted and on a safe network, "
                        "or enable SSL on the server."),
            details
        };
    }
    if (text.contains(u"password authentication failed") || text.contains(u"no password supplied")
        || text.contains(u"fe_sendauth")) {
        return { Kind::WrongPassword,
                 QObject::tr("The server rejected the password for user \"%1\".").arg(settings.user()),
                 QObject::tr("Check PG_PASSWORD in the .env file, or type the password here."), details };
    }
    if (text.contains(u"role \"") && text.contains(u"does not exist")) {
        return { Kind::NoSuchRole, QObject::tr("The server has no user (role) named \"%1\".").arg(settings.user()),
                 QObject::tr("Check PG_USER."), details };
    }
    if (text.contains(u"database \"") && text.contains(u"does not exist")) {
        return { Kind::NoSuchDatabase,
                 QObject::tr("The database \"%1\" does not exist on %2.").arg(settings.database(), where),
                 QObject::tr("Check PG_DATABASE, or create the database (createdb %1).").arg(settings.database()),
                 details };
    }
    if (text.contains(u"could not translate host name") || text.contains(u"name or service not known")) {
        return { Kind::UnknownHost, QObject::tr("The host name \"%1\" could not be found.").arg(settings.host()),
                 QObject::tr("Check PG_HOST for a typo, or your network and DNS."), details };
    }
    if (text.contains(u"timeout expired")) {
        return { Kind::Timeout, QObject::tr("No answer from %1 within the connection timeout.").arg(where),
                 QObject::tr("A firewall may be dropping the connection, or the host is down."), details };
    }
    if (text.contains(u"connection refused") || text.contains(u"no such file or directory")
        || text.contains(u"could not connect to server")) {
        return { Kind::NoServer, QObject::tr("No PostgreSQL server is accepting connections at %1.").arg(where),
                 QObject::tr("Start the server, or check PG_HOST and PG_PORT."), details };
    }
    if (text.contains(u"certificate") || text.contains(u"root cert")) {
        return { Kind::SslCertificate, QObject::tr("The server's SSL certificate could not be verified."),
                 QObject::tr("Choose the root certificate that signed it (PG_SSLROOTCERT), or use sslmode \"require\", "
                             "which encrypts without checking who the server is."),
                 details };
    }
    return { Kind::Other, QObject::tr("Could not connect to %1.").arg(where), {}, details };
}

QString ConnectionError::fullText() const
{
    QString all = m_message;
    if (!m_hint.isEmpty())
        all += u'\n' + m_hint;
    if (!m_details.isEmpty() && m_details != m_message)
        all += u"\n\n" + QObject::tr("The server said: %1").arg(m_details);
    return all;
}
