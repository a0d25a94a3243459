#pragma once

#include "service/TutorialRow.h"

#include <QList>
#include <QSqlError>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>
#include <optional>

class DatabaseSession;
class QSqlDatabase;

// The tutorial's statements (guide.py and main.py): add, read, delete and drop, always with bound
// values and the session's quoted table name. The command line and the HTTP API both use it.
//
// QPSQL keeps isOpen() true after the server drops the connection, so a failed statement is
// followed by DatabaseSession::ping(); when the link is gone the session is reconnected
// (DatabaseSession::reconnect()) and the statement retried once.
class TutorialStore
{
public:
    struct Error
    {
        // ReadOnly: the server accepts no writes on this connection (a hot standby, a role whose
        // transactions are read-only); message says which.
        enum class Kind { None, InvalidInput, Unreachable, Database, ReadOnly };
        Kind kind = Kind::None;
        QString message; // one sentence for whoever runs pgdesk; may name the table or the server
        QString details; // the server's or libpq's own words, for a terminal or a log
    };

    explicit TutorialStore(DatabaseSession& session);

    DatabaseSession& session() const { return m_session; }

    // The tutorial's CREATE TABLE when the table is missing.
    bool ensureTable();

    // Inserts one row per name in one transaction and returns them as stored.
    std::optional<QList<TutorialRow>> add(const QStringList& names);
    std::optional<QList<TutorialRow>> readAll();
    std::optional<QList<TutorialRow>> readNamed(const QString& name);
    // Case-insensitive; % _ and the escape character in the fragment match only themselves.
    std::optional<QList<TutorialRow>> readContaining(const QString& fragment);
    // How many rows were deleted; 0 when there is no table.
    std::optional<int> remove(const QString& name);
    // Whether there was a table to drop.
    std::optional<bool> drop();
    std::optional<bool> tableExists();
    std::optional<qint64> rowCount();

    const Error& lastError() const { return m_lastError; }

    // '!' escapes LIKE's wildcards: unlike a backslash it means the same whatever
    // standard_conforming_strings says.
    static QString likePatternContaining(const QString& fragment);

private:
    enum class MissingTable { IsAnError, Create };
    // Runs one statement (or a few); returns false with the server's error in *error.
    using Attempt = std::function<bool(QSqlDatabase&, QSqlError*)>;

    // what: the verb for the error message, as in "Could not <what> my_table."
    bool run(const QString& what, const Attempt& attempt, MissingTable missingTable);
    // DatabaseSession::reconnect(), or open() when the session has no connection; sets
    // lastError() to Unreachable when that fails.
    bool reconnect();
    bool storable(const QStringList& texts);
    // False, with the server's read-only reason as the error, when the session cannot write.
    bool writable(const QString& what);
    std::optional<QList<TutorialRow>> select(const QString& condition, const QVariantList& values);
    bool fail(Error::Kind kind, const QString& message, const QString& details);

    DatabaseSession& m_session;
    Error m_lastError;
};
