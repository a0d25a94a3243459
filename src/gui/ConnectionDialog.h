#pragma once

#include "config/ConnectionSettings.h"
#include "config/PasswordStore.h"
#include "config/RecentConnections.h"
#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"

#include <QDialog>
#include <QHash>

#include <optional>

#include <memory>

namespace Ui {
class ConnectionDialog;
}
class QLabel;
class QLineEdit;

// Collects connection values, prefilled from the resolved .env/environment, and lets the user
// test them. It never opens the connection the application uses: StartupFlow does that.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectionDialog(const ConnectionSettings::Resolution& resolution, QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    ConnectionSettings settings() const;
    void showError(const ConnectionError& error);
    void showMessages(const QStringList& messages);

    bool isTesting() const { return m_testing; }

    // "Remember password in the system keychain". Given a store, the dialog asks it for a
    // remembered password when the fields hold none and fills it in (ticking the box) unless the
    // user typed one meanwhile; a keychain that does not work is explained beside the box. The
    // caller stores or forgets the password after connecting (StartupFlow does).
    void setPasswordStore(PasswordStore* store);
    bool rememberPassword() const;
    // The keychain had a password for these settings (so unticking the box should forget it).
    bool foundRememberedPassword() const { return !m_keychainPassword.isNull(); }

signals:
    void testFinished(bool ok);
    // After "Save as .env…": the file written, or empty when nothing was written.
    void envFileSaved(const QString& path);

private:
    void fillFields();
    void updateSourceLabels();
    void updateSslModeHint();
    void startTest();
    void showTestResult(const DatabaseSession::ProbeResult& result);
    void chooseRootCertificate();
    void chooseFile(QLineEdit* edit, const QString& caption);
    // A pasted postgres:// URI (in the URI field or the host field) is split into the fields.
    void splitUri(const QString& text);
    void keychainAnswered(const PasswordStore::Result& result);
    void askKeychain();
    void fillRecentList();
    void chooseRecent(int index);
    void forgetRecent();
    void saveEnvFile();
    void updateKeychainStatus();
    bool passwordFromKeychain() const;
    QLineEdit* lineEditFor(ConnectionSettings::Field field) const;
    QLabel* sourceLabelFor(ConnectionSettings::Field field) const;
    QString fieldText(ConnectionSettings::Field field) const;

    std::unique_ptr<Ui::ConnectionDialog> m_ui;
    ConnectionSettings::Resolution m_resolution;
    bool m_testing = false; // the Test button's probe runs (a network job)
    QString m_keychainKey; // the entry asked for; answers for other keys are ignored
    QString m_keychainPassword; // null unless the keychain returned one
    QString m_keychainError;
    bool m_noKeychain = false; // the error says there is no keychain at all
    PasswordStore* m_store = nullptr;
    RecentConnections m_recent;
    QList<ConnectionSettings> m_recentEntries; // as listed in recentConnectionsCombo
    // Values a chosen recent connection put in the fields, shown as such while unchanged.
    QHash<ConnectionSettings::Field, QString> m_recalled;
    // Values a pasted URI put in the fields, shown as "from the pasted URI" while unchanged.
    QHash<ConnectionSettings::Field, QString> m_pasted;
    std::optional<ConnectionSettings::Extra> m_pastedExtra;
};
