#include "gui/StartupFlow.h"

#include "config/RecentConnections.h"
#include "connection/SessionOpener.h"
#include "gui/ConnectionDialog.h"

#include <QApplication>
#include <QCursor>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

StartupFlow::StartupFlow(ConnectionSettings::Resolution resolution)
    : m_resolution(std::move(resolution))
{
}

bool StartupFlow::reopenLastConnection()
{
    if (!RecentConnections::mayReopen(m_resolution))
        return false;
    const QList<ConnectionSettings> recent = RecentConnections().entries();
    if (recent.isEmpty())
        return false;
    m_resolution = RecentConnections::reopened(m_resolution, recent.first());
    m_reopened = true;
    return true;
}

bool StartupFlow::openWithTable(DatabaseSession& session, const ConnectionSettings& settings)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    // Off the GUI thread: a host that does not answer takes up to connect_timeout, and the
    // window (when changing connections) keeps painting meanwhile.
    const bool ok = SessionOpener::openWithTable(session, settings);
    QApplication::restoreOverrideCursor();
    return ok;
}

std::unique_ptr<DatabaseSession> StartupFlow::connect(QWidget* parent, bool askFirst)
{
    auto session = std::make_unique<DatabaseSession>();
    m_keychainMessage.clear();
    ConnectionError lastError;
    const bool tryDirectly = !askFirst && (!m_resolution.envFilePath.isEmpty() || m_reopened) && m_resolution.usable();
    if (tryDirectly) {
        ConnectionSettings direct = m_resolution.settings;
        if (direct.password().isEmpty()) {
            // Bounded: a keychain that does not answer costs at most a few seconds, once.
            const PasswordStore::Result stored = m_passwords.readAndWait(direct);
            if (stored.ok && stored.found)
                direct.set(Field::Password, stored.password, ConnectionSettings::Source::Entered, u"keychain"_s);
        }
        if (openWithTable(*session, direct)) {
            RecentConnections().record(direct);
            return session;
        }
        lastError = session->lastError();
    }

    for (;;) {
        ConnectionDialog dialog(m_resolution, parent);
        dialog.setObjectName(QStringLiteral("connectionDialog"));
        dialog.setPasswordStore(&m_passwords);
        if (lastError.isError())
            dialog.showError(lastError);
        if (dialog.exec() != QDialog::Accepted)
            return nullptr;
        // Whatever the user typed becomes the starting point of the next attempt, so a failed
        // attempt never throws their input away.
        m_resolution.settings = dialog.settings();
        m_resolution.envFileError.clear();
        m_resolution.envFileProblems.clear();
        if (openWithTable(*session, m_resolution.settings)) {
            const ConnectionSettings& used = m_resolution.settings;
            PasswordStore::Result stored;
            stored.ok = true;
            if (dialog.rememberPassword() && !used.password().isEmpty())
                stored = m_passwords.writeAndWait(used, used.password());
            else if (!dialog.rememberPassword() && dialog.foundRememberedPassword())
                stored = m_passwords.removeAndWait(used);
            if (!stored.ok)
                m_keychainMessage = stored.error;
            RecentConnections().record(used);
            return session;
        }
        lastError = session->lastError();
    }
}
