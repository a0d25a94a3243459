#pragma once

#include <QSqlError>
#include <QString>
#include <QStringList>

#include <optional>

class ConnectionSettings;

// Turns libpq's connection failures into one sentence a user can act on, plus a hint. No text
// it holds is made from the password, and libpq's own texts never contain it; nothing is masked,
// since hiding every copy of the password's characters garbles ports and names and gives it away.
class ConnectionError
{
public:
    enum class Kind {
        None,
        InvalidSettings,
        NoServer,
        UnknownHost,
        WrongPassword,
        NoPassword, // the server asks for one and none was given (libpq: "no password supplied")
        NoSuchRole,
        NoSuchDatabase,
        SslNotSupported,
        SslCertificate,
        Timeout,
        DriverMissing,
        ConnectionLost, // the link dropped after it was open (restart, crash, terminated session)
        StatementTimeout, // the server cancelled a statement (statement_timeout, 57014)
        PermissionDenied, // insufficient_privilege (42501)
        Other
    };

    ConnectionError() = default;
    ConnectionError(Kind kind, QString message, QString hint = {}, QString details = {});

    // A failure to connect (QSqlDatabase::open()). certificateNames: every name of a server
    // certificate libpq refused for its name (CertificateNames), to list them all.
    static ConnectionError fromSqlError(const QSqlError& error, const ConnectionSettings& settings,
                                        const QStringList& certificateNames = {});
    // Where the server whose certificate did not match the host name was reached, read from
    // libpq's text: the address (or name) and port, and the host name checked.
    struct MismatchedServer
    {
        QString address;
        int port = 0;
        QString hostName;
    };
    static std::optional<MismatchedServer> mismatchedServer(const QString& libpqText);
    // A statement that failed on an open connection; `doing` completes "... while %1", e.g.
    // tr("reading the server's version"). Recognises a lost link (also QPSQL's empty errors after
    // one), a statement timeout and a missing privilege by SQLSTATE.
    static ConnectionError fromStatementError(const QSqlError& error, const QString& doing);
    // Why a statement failed, in the server's or libpq's words. Never empty: after a dropped link
    // QPSQL closes the connection and fails every later statement with no text at all, and an
    // empty reason must not pass for success where "no error" is an empty string.
    static QString reasonOf(const QSqlError& error);
    // The link to the server dropped; details are libpq's words when there are any.
    static ConnectionError connectionLost(const ConnectionSettings& settings, const QString& details = {});
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
