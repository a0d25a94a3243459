#pragma once

#include "config/ConnectionSettings.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

// Writes connection settings as the tutorial's .env (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD,
// PG_DATABASE, then PG_TABLE, PG_SSLMODE and the other keys only where they differ from the
// defaults), quoted so that EnvFile and python-dotenv read back exactly the values written.
class EnvFileWriter
{
public:
    // The file's text. Keys whose value no .env can carry exactly are left out and named in
    // `unwritable`: python-dotenv expands "${NAME}" in every value, quoted or not, and a quoted
    // value ending in a backslash escapes its own closing quote.
    static QByteArray format(const ConnectionSettings& settings, bool includePassword,
                             QStringList* unwritable = nullptr);

    // Writes the file atomically, readable and writable by its owner only (0600) from the first
    // byte on. False with a sentence in `error` when it could not.
    static bool write(const QString& path, const QByteArray& content, QString* error);

    // The value as it goes after "KEY=" (bare when nothing in it needs quoting).
    static QString quoted(const QString& value);
    static bool canWriteExactly(const QString& value);
};
