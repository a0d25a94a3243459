#include "gui/OfflineGuard.h"

#include "connection/ConnectionWatcher.h"
#include "gui/MessageBox.h"

bool OfflineGuard::isOffline(const ConnectionWatcher* watcher)
{
    return watcher && watcher->state() != ConnectionWatcher::State::Online;
}

QString OfflineGuard::serverUnreachableText(const ConnectionWatcher& watcher, const QString& outcome)
{
    const QString reason = watcher.lastError().message();
    return outcome + u'\n' + tr("The server cannot be reached; pgdesk reconnects by itself, Ctrl+R tries at once.")
        + (reason.isEmpty() ? QString() : u'\n' + reason);
}

bool OfflineGuard::refuses(QWidget* parent, const ConnectionWatcher* watcher, const QString& title,
                           const QString& outcome)
{
    if (!isOffline(watcher))
        return false;
    MessageBox::warn(parent, title, serverUnreachableText(*watcher, outcome));
    return true;
}
