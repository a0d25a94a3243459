#pragma once

#include <QSqlError>
#include <QString>

class ConnectionSettings;

// Turns libpq's connection failures into one sentence a user can act on, plus a hint.
class ConnectionError
{
public:
    enum class Kind {
        None,
        InvalidSettings,
        NoServer,
        UnknownHost,
        WrongPassword,
        NoSuchRole,
        NoSuchDatabase,
        SslNotSupported,
        SslCertificate,
        Timeout,
        DriverMissing,
        Other
    };

    ConnectionError() = default;
    ConnectionError(Kind kind, QString message, QString hint = {}, QString details = {});

    static ConnectionError fromSqlError(const QSqlError& error, const ConnectionSettings& settings);
    static ConnectionError driverMissing();

    bool isError() const { return m_kind != Kind::None; }
    Kind kind() const { return m_kind; }
    QString message() const { return m_message; }
    QString hint() const { return m_hint; }
    QString details() const { return m_details; } // libpq's own words, for a "details" section
    QString fullText() const; // message, hint and details in one block

private:
    Kind m_kind = Kind::None;
    QString m_message;
    QString m_hint;
    QString m_details;
};
