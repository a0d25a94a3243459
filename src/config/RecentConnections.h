#pragma once

#include "config/ConnectionSettings.h"

#include <QList>
#include <QString>

class QSettings;

// The connections that worked, most recent first, kept in the user's QSettings file so the
// dialog can offer them and a start without a .env can reopen the last one. Everything but
// secrets is kept: a password (and a URI's sslpassword) never reaches the file; a password the
// user asked to remember lives in the system keychain (PasswordStore) under the same server key.
class RecentConnections
{
public:
    static constexpr int maxEntries = 10;

    // The application's QSettings (organization and application name) unless a path is given.
    explicit RecentConnections(const QString& settingsPath = {});
    ~RecentConnections();
    RecentConnections(const RecentConnections&) = delete;
    RecentConnections& operator=(const RecentConnections&) = delete;

    QList<ConnectionSettings> entries() const;
    // Puts `settings` first (without its password), dropping an older entry for the same
    // connection and the oldest entries beyond maxEntries.
    void record(const ConnectionSettings& settings);
    void forget(int index);

    // What the dialog's list shows: "user@host:port/database, table my_table".
    static QString label(const ConnectionSettings& settings);
    // Two entries are one connection when every kept value is equal.
    static bool sameConnection(const ConnectionSettings& a, const ConnectionSettings& b);
    // The copy that is stored: no password, no secret URI keywords.
    static ConnectionSettings withoutSecrets(const ConnectionSettings& settings);

    // A start may reopen the last connection only when nothing named one: no .env was found (or
    // named with --env and missing), and neither the environment nor a URI or service gave any
    // value but the password. $PGPASSWORD is kept for the reopened connection.
    static bool mayReopen(const ConnectionSettings::Resolution& resolution);
    // `resolution` with `recent`'s values, each marked as coming from the last connection.
    static ConnectionSettings::Resolution reopened(const ConnectionSettings::Resolution& resolution,
                                                   const ConnectionSettings& recent);

private:
    void write(const QList<ConnectionSettings>& entries);

    QSettings* m_settings;
};
