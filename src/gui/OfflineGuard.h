#pragma once

#include <QCoreApplication>
#include <QString>

class ConnectionWatcher;
class QWidget;

// What every action that needs the server asks first: offline (the watcher has lost the link),
// it says what was not done and why instead of trying.
class OfflineGuard
{
    Q_DECLARE_TR_FUNCTIONS(OfflineGuard)

public:
    static bool isOffline(const ConnectionWatcher* watcher);
    // Offline, whatever writes to the server can only fail, and once the link dropped Qt 6.4's
    // driver has no words for why ("Could not start a transaction: " and nothing more): this says
    // it plainly, after outcome (what was not done).
    static QString serverUnreachableText(const ConnectionWatcher& watcher, const QString& outcome);
    // Offline, shows title and outcome with the reason and returns true; online, false.
    static bool refuses(QWidget* parent, const ConnectionWatcher* watcher, const QString& title,
                        const QString& outcome);
};
