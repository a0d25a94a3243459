#include "gui/StatusBarPanel.h"

#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "gui/ElidingLabel.h"
#include "gui/LabelTone.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace {
// A query that answers within this shows no progress at all; past it, progress and Esc to cancel.
constexpr int progressDelayMilliseconds = 300;
// Past the progress delay, how often to ask who holds the lock a slow load waits for.
constexpr int lockLookupMilliseconds = 1000;

void makeBold(QLabel* label)
{
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
}
} // namespace

StatusBarPanel::StatusBarPanel(QStatusBar* statusBar, QWidget* window)
    : QObject(window)
    , m_statusBar(statusBar)
{
    m_connectionLabel = new ElidingLabel(window);
    m_connectionLabel->setObjectName(u"connectionStatusLabel"_s);
    m_pendingLabel = new ElidingLabel(window);
    m_pendingLabel->setObjectName(u"pendingChangesLabel"_s);
    // Labels keep their text as their accessible name; those without a tooltip say what it counts.
    m_pendingLabel->setAccessibleDescription(tr("Unsaved changes"));
    // Only ever shows unsaved changes, so it always has their tone.
    LabelTone::set(m_pendingLabel, LabelTone::Tone::Warning);
    makeBold(m_pendingLabel);
    m_rowCountLabel = new ElidingLabel(window);
    m_rowCountLabel->setObjectName(u"rowCountStatusLabel"_s);
    m_rowCountLabel->setAccessibleDescription(tr("Rows"));
    statusBar->addWidget(m_connectionLabel, 1);
    m_progressBar = new QProgressBar(window);
    m_progressBar->setObjectName(u"loadingProgressBar"_s);
    m_progressBar->setAccessibleName(tr("Waiting for the server"));
    m_progressBar->setRange(0, 0);
    m_progressBar->setMaximumWidth(120);
    m_progressBar->setToolTip(tr("The server is working; Esc cancels"));
    m_progressBar->hide();
    m_indexHintButton = new QPushButton(tr("Searching is slow without an index: create one…"), window);
    m_indexHintButton->setObjectName(u"indexHintButton"_s);
    m_indexHintButton->setAccessibleDescription(tr("Creates a trigram index so that filtering by name is fast"));
    m_indexHintButton->setFlat(true);
    m_indexHintButton->hide();
    m_deletedElsewhereLabel = new ElidingLabel(window);
    m_deletedElsewhereLabel->setObjectName(u"deletedElsewhereLabel"_s);
    m_deletedElsewhereLabel->setAccessibleDescription(tr("Rows deleted elsewhere"));
    LabelTone::set(m_deletedElsewhereLabel, LabelTone::Tone::Error);
    m_deletedElsewhereLabel->hide();
    m_readOnlyLabel = new QLabel(window);
    m_readOnlyLabel->setObjectName(u"readOnlyLabel"_s);
    LabelTone::set(m_readOnlyLabel, LabelTone::Tone::Warning);
    makeBold(m_readOnlyLabel);
    m_readOnlyLabel->hide();
    statusBar->addPermanentWidget(m_readOnlyLabel);
    m_offlineLabel = new ElidingLabel(window);
    m_offlineLabel->setObjectName(u"offlineLabel"_s);
    LabelTone::set(m_offlineLabel, LabelTone::Tone::Error);
    makeBold(m_offlineLabel);
    m_offlineLabel->hide();
    statusBar->addPermanentWidget(m_offlineLabel);
    m_liveLabel = new ElidingLabel(window);
    m_liveLabel->setObjectName(u"liveStatusLabel"_s);
    statusBar->addPermanentWidget(m_deletedElsewhereLabel);
    statusBar->addPermanentWidget(m_indexHintButton);
    statusBar->addPermanentWidget(m_progressBar);
    statusBar->addPermanentWidget(m_pendingLabel);
    statusBar->addPermanentWidget(m_rowCountLabel);
    statusBar->addPermanentWidget(m_liveLabel);
    m_busyTimer.setSingleShot(true);
    m_busyTimer.setInterval(progressDelayMilliseconds);
    connect(&m_busyTimer, &QTimer::timeout, this, [this] {
        m_progressBar->show();
        m_statusBar->showMessage(tr("Waiting for the server… Esc cancels."));
    });
    connect(m_indexHintButton, &QPushButton::clicked, this, &StatusBarPanel::indexHintClicked);
    m_lockTimer.setInterval(lockLookupMilliseconds);
    connect(&m_busyTimer, &QTimer::timeout, &m_lockTimer, qOverload<>(&QTimer::start));
    connect(&m_lockTimer, &QTimer::timeout, this, [this] {
        if (m_waitingPid)
            m_lockLookup.lookUp(m_lockSettings, m_waitingPid());
    });
    connect(&m_lockLookup, &LockHolderLookup::found, this, [this](const QString& holders) {
        if (!m_lockTimer.isActive() || holders.isEmpty())
            return; // the rows arrived meanwhile, or it waits for the server itself
        m_statusBar->showMessage(tr("Waiting for a lock held by %1… Esc cancels.").arg(holders));
    });
}

void StatusBarPanel::watchLocks(const ConnectionSettings& settings, const std::function<qint64()>& waitingPid)
{
    m_lockSettings = settings;
    m_waitingPid = waitingPid;
}

void StatusBarPanel::showSession(const DatabaseSession* session, const TableModel* model)
{
    const bool connected = session && session->isOpen();
    if (!connected) {
        m_connectionLabel->setText(tr("Not connected"));
        m_rowCountLabel->clear();
        m_pendingLabel->clear();
        return;
    }
    const ServerInfo& server = session->serverInfo();
    const QString ssl = server.sslInUse ? tr("SSL %1").arg(server.sslProtocol) : tr("no SSL");
    m_connectionLabel->setText(
        tr("%1  ·  %2  ·  PostgreSQL %3  ·  time zone %4")
            .arg(session->settings().displayTarget(), ssl, server.serverVersion.section(u' ', 0, 0), server.timeZone));
    m_connectionLabel->setToolTip(
        tr("Server %1\nDatabase %2 as %3\n%4\nTimestamps are shown exactly as stored; "
           "new rows get the time in the session's zone, %5.")
            .arg(server.serverVersion, server.database, server.user,
                 server.sslInUse ? tr("Encrypted with %1").arg(server.sslProtocol) : tr("Not encrypted"),
                 server.timeZone));
    if (!model) {
        m_rowCountLabel->clear();
        m_pendingLabel->clear();
        return;
    }
    const int pending = model->pendingChangeCount();
    const int deletes = model->pendingDeleteCount();
    QStringList unsaved;
    if (pending > 0)
        unsaved << tr("%Ln unsaved change(s)", nullptr, pending);
    if (deletes > 0)
        unsaved << tr("%Ln row(s) to delete", nullptr, deletes);
    m_pendingLabel->setText(unsaved.join(u" · "_s));
    m_rowCountLabel->setText(rowCountText(*model));
}

QString StatusBarPanel::rowCountText(const TableModel& model)
{
    const int shown = model.serverRowCount();
    const QString total
        = model.isTotalExact() ? tr("%L1").arg(model.totalRowCount()) : tr("about %L1").arg(model.totalRowCount());
    const bool whole = model.atStart() && model.atEnd();
    if (model.nameFilter().isEmpty()) {
        if (whole)
            return tr("%Ln row(s)", nullptr, shown);
        if (model.windowStartPosition() < 0) // after a jump to a row: where it stands is not counted
            return tr("%L1 rows shown of %2").arg(shown).arg(total);
        if (model.isWindowStartEstimated()) // placed by a drag of the scrollbar, from a sample
            return tr("about rows %L1–%L2 of %3")
                .arg(model.windowStartPosition() + 1)
                .arg(model.windowStartPosition() + shown)
                .arg(total);
        return tr("rows %L1–%L2 of %3")
            .arg(model.windowStartPosition() + 1)
            .arg(model.windowStartPosition() + shown)
            .arg(total);
    }
    if (whole) {
        // A table never analyzed says 0 rows in pg_class until the count worker has counted it:
        // "11 of about 0 rows" would be wrong, and the window already holds every match.
        if (!model.isTotalExact() && model.totalRowCount() <= 0)
            return tr("%Ln matching row(s)", nullptr, shown);
        return tr("%L1 of %2 rows").arg(shown).arg(total);
    }
    // More matches than the window holds: which of them are shown, how many match once counted
    // (Count rows), and the table's size apart, so the two totals are never confused.
    const qint64 start = model.windowStartPosition();
    const QString shownMatches = start >= 0 && model.isWindowStartEstimated()
        ? tr("about matching rows %L1–%L2").arg(start + 1).arg(start + shown)
        : start >= 0    ? tr("matching rows %L1–%L2").arg(start + 1).arg(start + shown)
        : model.atEnd() ? tr("the last %L1 matching rows").arg(shown)
                        : tr("%L1 matching rows").arg(shown);
    const QString inTable = tr("%1 in the table").arg(total);
    if (const auto matching = model.matchingRowCount())
        return tr("%1 of %L2 · %3").arg(shownMatches).arg(*matching).arg(inTable);
    return tr("%1 · %2").arg(shownMatches, inTable);
}

void StatusBarPanel::showReadOnly(const QStringList& reasons, const ServerInfo& server)
{
    m_readOnlyLabel->setVisible(!reasons.isEmpty());
    m_readOnlyLabel->setText(server.inRecovery              ? tr("This server is a read-only replica (hot standby)")
                                 : server.readOnlyByDefault ? tr("Read-only connection")
                                                            : tr("Read-only"));
    m_readOnlyLabel->setToolTip(reasons.join(u'\n'));
}

void StatusBarPanel::showConnectionState(const ConnectionWatcher* watcher)
{
    const bool offline = watcher && watcher->state() != ConnectionWatcher::State::Online;
    m_offlineLabel->setVisible(offline);
    if (!offline)
        return;
    const int seconds = watcher->secondsToNextAttempt();
    m_offlineLabel->setText(watcher->state() == ConnectionWatcher::State::Reconnecting
                                ? tr("Offline: reconnecting…")
                                : tr("Offline: next attempt in %1 s (Ctrl+R now)").arg(seconds));
    m_offlineLabel->setToolTip(tr("The connection to the server was lost. Your unsaved changes are kept; Save "
                                  "works again once the server is back."));
}

void StatusBarPanel::showLiveMode(const LiveUpdates* liveUpdates, bool hasTable)
{
    const LiveUpdates::Mode mode = liveUpdates ? liveUpdates->mode() : LiveUpdates::Mode::Off;
    switch (mode) {
    case LiveUpdates::Mode::Trigger:
        m_liveLabel->setText(tr("Live"));
        m_liveLabel->setToolTip(tr("Other clients' changes appear at once (the table's change trigger notifies "
                                   "pgdesk)."));
        break;
    case LiveUpdates::Mode::Polling:
        if (!liveUpdates->pollingReason().isEmpty()) {
            m_liveLabel->setText(tr("Live (polling: no notifications)"));
            m_liveLabel->setToolTip(tr("pgdesk checks for other clients' changes every 1.5 seconds: %1.")
                                        .arg(liveUpdates->pollingReason()));
            break;
        }
        m_liveLabel->setText(tr("Live (polling)"));
        m_liveLabel->setToolTip(tr("pgdesk checks for other clients' changes every 1.5 seconds. Table ▸ Install "
                                   "change trigger makes them appear at once."));
        break;
    case LiveUpdates::Mode::Off:
        m_liveLabel->setText(hasTable ? tr("Live off") : QString());
        m_liveLabel->setToolTip(tr("View ▸ Live updates turns it on; F5 refreshes by hand."));
        break;
    }
}

void StatusBarPanel::showDeletedElsewhere(int count)
{
    m_deletedElsewhereLabel->setVisible(count > 0);
    m_deletedElsewhereLabel->setText(tr("%Ln unsaved edit(s) for rows another client deleted", nullptr, count));
}

void StatusBarPanel::hideDeletedElsewhere()
{
    m_deletedElsewhereLabel->hide();
}

void StatusBarPanel::setIndexHintVisible(bool visible)
{
    m_indexHintButton->setVisible(visible);
}

void StatusBarPanel::setLoading(bool loading, bool busyElsewhere)
{
    if (loading) {
        m_busyTimer.start();
        return;
    }
    m_busyTimer.stop();
    m_lockTimer.stop();
    if (m_progressBar->isVisible() && !busyElsewhere) {
        m_progressBar->hide();
        m_statusBar->clearMessage();
    }
}

void StatusBarPanel::showFirstMatches(int rows)
{
    // Said at once, not after the busy delay: rows are on screen and more may come below them.
    m_busyTimer.stop();
    m_progressBar->show();
    m_statusBar->showMessage(tr("Showing the first %n match(es); searching for more… Esc stops.", nullptr, rows));
    m_lockTimer.start();
}

void StatusBarPanel::beginWork(const QString& message)
{
    m_progressBar->show();
    m_statusBar->showMessage(message);
}

void StatusBarPanel::endWork()
{
    m_progressBar->hide();
    m_statusBar->clearMessage();
}
