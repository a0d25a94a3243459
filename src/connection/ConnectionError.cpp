#include "connection/ConnectionError.h"

#include "config/ConnectionSettings.h"

#include <QObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

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

std::optional<ConnectionError::MismatchedServer> ConnectionError::mismatchedServer(const QString& libpqText)
{
    // 'connection to server at "localhost" (127.0.0.1), port 5432 failed: server certificate for
    // ... does not match host name "localhost"'; without the parenthesis when the host is an address.
    static const QRegularExpression pattern(
        uR"re(connection to server at "([^"]*)"(?: \(([^)]*)\))?, port (\d+) failed: server certificate for "[^"]*"(?: \(and \d+ other names?\))? does not match host name "([^"]*)")re"_s);
    const QRegularExpressionMatch match = pattern.match(libpqText);
    if (!match.hasMatch())
        return std::nullopt;
    return MismatchedServer{ match.captured(2).isEmpty() ? match.captured(1) : match.captured(2),
                             match.captured(3).toInt(), match.captured(4) };
}

ConnectionError ConnectionError::fromSqlError(const QSqlError& error, const ConnectionSettings& settings,
                                              const QStringList& certificateNames)
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
    if (text.contains(u"no password supplied")) {
        return { Kind::NoPassword,
                 settings.user().isEmpty()
                     ? QObject::tr("The server asks for a password, and none was given.")
                     : QObject::tr("The server asks for a password for user \"%1\", and none was given.")
                           .arg(settings.user()),
                 QObject::tr("Put it in PG_PASSWORD in the .env file (or in $PGPASSWORD or ~/.pgpass), or type it "
                             "in pgdesk's connection dialog, which can remember it in the system keychain."),
                 details };
    }
    if (text.contains(u"password authentication failed")) {
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
    // libpq names the certificate's first name and counts the others: 'server certificate for
    // "db.example.com" (and 1 other name) does not match host name "localhost"'.
    static const QRegularExpression mismatch(
        uR"re(server certificate for "([^"]*)"( \(and \d+ other names?\))? does not match host name "([^"]*)")re"_s);
    if (const QRegularExpressionMatch match = mismatch.match(details); match.hasMatch()) {
        QString names = u'"' + match.captured(1) + u'"';
        if (!certificateNames.isEmpty())
            names = u'"' + certificateNames.join(u"\", \""_s) + u'"';
        else if (!match.captured(2).isEmpty())
            names += u' ' + match.captured(2).trimmed();
        return { Kind::SslCertificate,
                 QObject::tr("The server's certificate is for %1, not for \"%2\", the host pgdesk connected to.")
                     .arg(names, match.captured(3)),
                 QObject::tr("Connect with a host name the certificate names (PG_HOST or the URI's host); "
                             "sslmode verify-ca checks who signed the certificate without the name."),
                 details };
    }
    if (text.contains(u"requires a valid client certificate")) {
        return { Kind::SslCertificate,
                 QObject::tr("The server at %1 admits user \"%2\" only with a client certificate.")
                     .arg(where, settings.user()),
                 QObject::tr("Give the certificate and its key (PG_SSLCERT and PG_SSLKEY, or the dialog's Client "
                             "certificate and Client key)."),
                 details };
    }
    if (text.contains(u"private key file") && text.contains(u"group or world access")) {
        return { Kind::SslCertificate, QObject::tr("The client key %1 is readable by others.").arg(settings.sslKey()),
                 QObject::tr("libpq refuses such a key: make it readable by you alone (chmod 600)."), details };
    }
    if (text.contains(u"certificate") || text.contains(u"root cert")) {
        const QString message = settings.sslRootCert().isEmpty()
            ? QObject::tr("The server's SSL certificate could not be verified against this system's trusted "
                          "certificate authorities.")
            : QObject::tr("The server's SSL certificate could not be verified.");
        return { Kind::SslCertificate, message,
                 QObject::tr("Choose the root certificate that signed it (PG_SSLROOTCERT), or use sslmode \"require\", "
                             "which encrypts without checking who the server is."),
                 details };
    }
    return { Kind::Other, QObject::tr("Could not connect to %1.").arg(where), {}, details };
}

ConnectionError ConnectionError::connectionLost(const ConnectionSettings& settings, const QString& details)
{
    return { Kind::ConnectionLost, QObject::tr("The connection to %1 was lost.").arg(settings.displayTarget()),
             QObject::tr("pgdesk reconnects on its own when the server answers again."), details.trimmed() };
}

QString ConnectionError::reasonOf(const QSqlError& error)
{
    if (const QString server = error.databaseText().trimmed(); !server.isEmpty())
        return server;
    if (const QString driver = error.text().trimmed(); !driver.isEmpty())
        return driver;
    return QObject::tr("The connection to the server was lost.");
}

ConnectionError ConnectionError::fromStatementError(const QSqlError& error, const QString& doing)
{
    const QString code = error.nativeErrorCode();
    const QString details
        = error.databaseText().trimmed().isEmpty() ? error.text().trimmed() : error.databaseText().trimmed();
    const QString text = details.toLower();
    // After the link drops QPSQL reports the first failure with libpq's words and every later one
    // with no text at all; both mean the same thing here.
    const bool lost = code.startsWith(u"08"_s) || code == u"57P01" || code == u"57P02" || code == u"57P03"
        || text.contains(u"server closed the connection") || text.contains(u"no connection to the server")
        || text.contains(u"terminating connection") || text.contains(u"connection to server was lost")
        || text.contains(u"could not receive data") || text.contains(u"could not send data") || details.isEmpty();
    if (lost) {
        return { Kind::ConnectionLost, QObject::tr("The connection to the server was lost while %1.").arg(doing),
                 QObject::tr("pgdesk reconnects on its own when the server answers again."), details };
    }
    // 57014 is also a cancel the user asked for (PQcancel): "due to user request".
    if (code == u"57014" && !text.contains(u"user request")) {
        return { Kind::StatementTimeout,
                 QObject::tr("The server cancelled %1: it took longer than the statement_timeout set for this role "
                             "or database.")
                     .arg(doing),
                 QObject::tr("Ask the database owner to raise it (ALTER ROLE ... SET statement_timeout), or try "
                             "again when the server is less busy."),
                 details };
    }
    if (code == u"42501") {
        return { Kind::PermissionDenied, QObject::tr("The server refused %1: permission denied.").arg(doing),
                 QObject::tr("Ask the table's owner to GRANT the privilege to this role."), details };
    }
    return { Kind::Other, QObject::tr("The server reported an error while %1.").arg(doing), {}, details };
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
