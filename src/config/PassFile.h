#pragma once

#include <QProcessEnvironment>
#include <QString>

// ~/.pgpass (or $PGPASSFILE), read only to tell the user that libpq will take the password from
// it: pgdesk never reads the password out of it, libpq does when pgdesk passes none.
class PassFile
{
public:
    static QString path(const QProcessEnvironment& environment);
    // Whether a line matches as libpq matches it: "*" fields, '\' escapes, "localhost" for a
    // socket, 5432 for no port, the login name for no user and the user for no database. Any
    // host of a comma list may match. A file others may read counts as none, as for libpq.
    static bool hasEntryFor(const QString& path, const QString& host, const QString& port, const QString& database,
                            const QString& user, const QString& loginName);
};
