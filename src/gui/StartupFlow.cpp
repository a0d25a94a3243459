#include "StartupFlow.h"

#include "ConnectionDialog.h"

#include <QApplication>
#include <QCursor>

StartupFlow::StartupFlow(ConnectionSettings::Resolution resolution)
    : m_resolution(std::move(resolution))
{
}

bool StartupFlow::openWithTable(DatabaseSession& session, const ConnectionSettings& settings)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = session.open(settings) && session.ensureTable();
    QApplication::restoreOverrideCursor();
    return ok;
}

std::unique_ptr<DatabaseSession> StartupFlow::connect(QWidget* parent, bool askFirst)
{
    auto session = std::make_unique<DatabaseSession>();
    ConnectionError lastError;
    const bool tryDirectly = !askFirst && !m_resolution.envFilePath.isEmpty() && m_resolution.usable();
    if (tryDirectly) {
        if (openWithTable(*session, m_resolution.settings))
            return session;
        lastError = session->lastError();
    }

    for (;;) {
        ConnectionDialog dialog(m_resolution, parent);
        dialog.setObjectName(QStringLiteral("connectionDialog"));
        if (lastError.isError())
            dialog.showError(lastError);
        if (dialog.exec() != QDialog::Accepted)
            return nullptr;
        // Whatever the user typed becomes the starting point of the next attempt, so a failed
        // attempt never throws their input away.
        m_resolution.settings = dialog.settings();
        m_resolution.envFileError.clear();
        m_resolution.envFileProblems.clear();
        if (openWithTable(*session, m_resolution.settings))
            return session;
        lastError = session->lastError();
    }
}
