#pragma once

#include "config/ConnectionSettings.h"
#include "config/PasswordStore.h"
#include "connection/DatabaseSession.h"

#include <memory>

class QWidget;

// Gets from resolved settings to an open session with the table in place: connects directly
// when the settings are usable, otherwise (or when connecting fails) asks with the dialog,
// showing why, until it works or the user cancels.
//
// Passwords: when neither the .env nor $PGPASSWORD gives one, a password remembered in the
// system keychain is used (and shown in the dialog). After a successful connect from the dialog
// the password is stored in the keychain only if "Remember password" is ticked, and a remembered
// one is forgotten when the box was unticked. Nothing else about the password is kept anywhere.
//
// Every connection that opens is recorded in RecentConnections (without its password), so the
// dialog can offer it and a later start without a .env can reopen it.
class StartupFlow
{
public:
    explicit StartupFlow(ConnectionSettings::Resolution resolution);

    // nullptr when the user cancelled.
    std::unique_ptr<DatabaseSession> connect(QWidget* parent, bool askFirst = false);

    // When nothing named a connection (no .env, no PG* variables), starts from the last one that
    // worked and connects to it directly. True when there was one to reopen.
    bool reopenLastConnection();

    const ConnectionSettings::Resolution& resolution() const { return m_resolution; }

    // A sentence for the status bar when the keychain could not store or forget the password
    // during the last connect(); empty when it did or was not asked.
    QString keychainMessage() const { return m_keychainMessage; }

private:
    static bool openWithTable(DatabaseSession& session, const ConnectionSettings& settings);

    ConnectionSettings::Resolution m_resolution;
    PasswordStore m_passwords;
    QString m_keychainMessage;
    bool m_reopened = false;
};
