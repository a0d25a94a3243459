#pragma once

#include "ConnectionSettings.h"
#include "DatabaseSession.h"

#include <memory>

class QWidget;

// Gets from resolved settings to an open session with the table in place: connects directly
// when the settings are usable, otherwise (or when connecting fails) asks with the dialog,
// showing why, until it works or the user cancels.
class StartupFlow
{
public:
    explicit StartupFlow(ConnectionSettings::Resolution resolution);

    // nullptr when the user cancelled.
    std::unique_ptr<DatabaseSession> connect(QWidget* parent, bool askFirst = false);

    const ConnectionSettings::Resolution& resolution() const { return m_resolution; }

private:
    static bool openWithTable(DatabaseSession& session, const ConnectionSettings& settings);

    ConnectionSettings::Resolution m_resolution;
};
