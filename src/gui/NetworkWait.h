#pragma once

#include "config/ConnectionSettings.h"
#include "gui/LockHolderLookup.h"
#include "table/TableCatalog.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

class QEventLoop;
class QLabel;
class QPushButton;
class QStatusBar;
class QWidget;
class StatementControl;

// Waits for a one-shot job that runs statements on a connection of its own (a save, a delete, a
// drop) without making the GUI thread wait: the job runs on NetworkThreadPool, and run() spins an
// event loop meanwhile, so the window paints, scrolls, copies and takes the filter's typing, and
// the caller's flow (ask, write, report) still reads as one function.
//
// While it waits it says what for, beside a Cancel button (Esc too), with a busy cursor on the
// grid; once the job has waited a second it asks pg_blocking_pids(), on another connection, who
// holds the lock it waits for, and names them: "Waiting for a lock held by pid 4242 (psql)".
class NetworkWait : public QObject
{
    Q_OBJECT

public:
    NetworkWait(QStatusBar* statusBar, QWidget* busyWidget, QObject* parent = nullptr);

    // Runs job and returns once it has finished, true; false when the application is quitting
    // and the job may still be running (its result is then not to be read). settings and
    // control (both optional) let the wait name a lock holder and cancel on the server.
    bool run(const QString& status, const std::function<void()>& job,
             const std::shared_ptr<StatementControl>& control = {}, const ConnectionSettings& settings = {});
    // run() for a TableCatalog job (count, drop, create, trigger): its outcome, or "pgdesk is
    // closing." as the error when the application quit first (a DROP may still commit meanwhile).
    TableCatalog::Outcome runCatalogJob(const QString& status, const std::function<TableCatalog::Outcome()>& job);
    bool isWaiting() const { return m_loop != nullptr; }
    // Cancels the running job's statement on the server; the job then ends with its error.
    void cancel();
    // What the wait shows now, for tests and the accessible name of the status label.
    QString statusText() const;

signals:
    void waitingChanged(bool waiting);

private:
    void lookForLockHolders();
    void showStatus();

    QStatusBar* m_statusBar;
    QWidget* m_busyWidget;
    QLabel* m_label;
    QPushButton* m_cancelButton;
    QTimer m_lockTimer;
    QEventLoop* m_loop = nullptr;
    QString m_status;
    QString m_lockHolders;
    LockHolderLookup m_lockLookup;
    bool m_cancelRequested = false;
    std::shared_ptr<StatementControl> m_control;
    ConnectionSettings m_settings;
};
