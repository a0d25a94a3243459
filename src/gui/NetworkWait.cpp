#include "gui/NetworkWait.h"

#include "connection/NetworkThreadPool.h"
#include "connection/StatementControl.h"
#include "table/TableCatalog.h"

#include <QEventLoop>
#include <QFutureWatcher>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace {
constexpr int lockLookupIntervalMs = 1000;
}

NetworkWait::NetworkWait(QStatusBar* statusBar, QWidget* busyWidget, QObject* parent)
    : QObject(parent)
    , m_statusBar(statusBar)
    , m_busyWidget(busyWidget)
    , m_label(new QLabel(statusBar))
    , m_cancelButton(new QPushButton(tr("Cancel"), statusBar))
{
    m_label->setObjectName(u"networkWaitLabel"_s);
    m_label->hide();
    m_cancelButton->setObjectName(u"networkWaitCancelButton"_s);
    m_cancelButton->setToolTip(tr("Cancel the statement on the server (Esc). Nothing is written."));
    m_cancelButton->setFlat(true);
    m_cancelButton->hide();
    // Permanent widgets: a temporary status message (the live view's, a copy's) would hide
    // ordinary ones while the wait goes on.
    statusBar->addPermanentWidget(m_label);
    statusBar->addPermanentWidget(m_cancelButton);
    connect(m_cancelButton, &QPushButton::clicked, this, &NetworkWait::cancel);
    m_lockTimer.setInterval(lockLookupIntervalMs);
    connect(&m_lockTimer, &QTimer::timeout, this, &NetworkWait::lookForLockHolders);
    connect(&m_lockLookup, &LockHolderLookup::found, this, [this](const QString& holders) {
        if (!m_loop)
            return; // the wait is over; an answer about it would be stale
        m_lockHolders = holders;
        showStatus();
    });
}

bool NetworkWait::run(const QString& status, const std::function<void()>& job,
                      const std::shared_ptr<StatementControl>& control, const ConnectionSettings& settings)
{
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    m_loop = &loop;
    m_status = status;
    m_lockHolders.clear();
    m_cancelRequested = false;
    m_control = control;
    m_settings = settings;
    m_busyWidget->setCursor(Qt::BusyCursor);
    m_cancelButton->setVisible(control != nullptr);
    m_cancelButton->setEnabled(true);
    showStatus();
    m_label->show();
    if (control && !settings.host().isEmpty())
        m_lockTimer.start();
    const auto done = qScopeGuard([this] {
        m_lockTimer.stop();
        m_loop = nullptr;
        m_control.reset();
        m_busyWidget->unsetCursor();
        m_label->hide();
        m_cancelButton->hide();
        emit waitingChanged(false);
    });
    emit waitingChanged(true);
    watcher.setFuture(NetworkThreadPool::run(job));
    if (!watcher.isFinished())
        loop.exec();
    // Not finished: the application is quitting (exit() ends every event loop); the job keeps
    // its own copies and ends on its own, never waited for (see NetworkThreadPool).
    return watcher.isFinished();
}

TableCatalog::Outcome NetworkWait::runCatalogJob(const QString& status,
                                                 const std::function<TableCatalog::Outcome()>& job)
{
    auto outcome = std::make_shared<TableCatalog::Outcome>();
    if (!run(status, [job, outcome] { *outcome = job(); }))
        return { tr("pgdesk is closing."), -1, {} };
    return *outcome;
}

void NetworkWait::cancel()
{
    if (!m_loop || !m_control || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_control->cancel();
    m_cancelButton->setEnabled(false);
    showStatus();
}

QString NetworkWait::statusText() const
{
    return m_label->text();
}

void NetworkWait::showStatus()
{
    QString text = m_status;
    if (!m_lockHolders.isEmpty())
        text = tr("%1 Waiting for a lock held by %2.").arg(m_status, m_lockHolders);
    if (m_cancelRequested)
        text += u' ' + tr("Cancelling…");
    m_label->setText(text);
    m_label->setToolTip(m_lockHolders.isEmpty()
                            ? QString()
                            : tr("Another session holds a lock on the rows or the table. pgdesk waits until it "
                                 "commits or rolls back; Cancel stops waiting, and nothing is written."));
}

void NetworkWait::lookForLockHolders()
{
    m_lockLookup.lookUp(m_settings, m_control ? m_control->backendPid() : 0);
}
