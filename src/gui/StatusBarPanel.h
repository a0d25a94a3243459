#pragma once

#include "config/ConnectionSettings.h"
#include "gui/LockHolderLookup.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

class ConnectionWatcher;
class DatabaseSession;
class LiveUpdates;
class QLabel;
class QProgressBar;
class QPushButton;
class QStatusBar;
class QWidget;
struct ServerInfo;
class TableModel;

// The window's status bar: the connection, the unsaved changes, which rows are shown of how
// many, read-only, offline, live updates, staged edits of rows deleted elsewhere, the progress
// of a slow query and the hint to create a search index. The window and its parts tell it what
// holds and it words it; only it touches these labels (tests find them by object name).
class StatusBarPanel : public QObject
{
    Q_OBJECT

public:
    // A NetworkWait added to statusBar before this panel shows left of its labels.
    StatusBarPanel(QStatusBar* statusBar, QWidget* window);

    // The connection label, and what model holds (none: no counts).
    void showSession(const DatabaseSession* session, const TableModel* model);
    // Empty reasons: not read-only.
    void showReadOnly(const QStringList& reasons, const ServerInfo& server);
    void showConnectionState(const ConnectionWatcher* watcher);
    void showLiveMode(const LiveUpdates* liveUpdates, bool hasTable);
    void showDeletedElsewhere(int count); // 0 hides the label
    void hideDeletedElsewhere();
    void setIndexHintVisible(bool visible);
    // Rows are loading: past a short delay the progress bar shows, and Esc cancels. busyElsewhere
    // (a search index being created) keeps the bar once the rows are there.
    void setLoading(bool loading, bool busyElsewhere);
    // A search shows the matches it found first and reads on for the rest of the window.
    void showFirstMatches(int rows);
    // While rows load for longer than a second, ask every second who holds the lock the loading
    // backend (waitingPid(); 0 before it connects) waits for, and name them.
    void watchLocks(const ConnectionSettings& settings, const std::function<qint64()>& waitingPid);
    // A long job of the window's own, until endWork().
    void beginWork(const QString& message);
    void endWork();

signals:
    void indexHintClicked();

private:
    static QString rowCountText(const TableModel& model);

    QStatusBar* m_statusBar;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_pendingLabel = nullptr;
    QLabel* m_rowCountLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QPushButton* m_indexHintButton = nullptr;
    QLabel* m_deletedElsewhereLabel = nullptr;
    QLabel* m_readOnlyLabel = nullptr;
    QLabel* m_offlineLabel = nullptr;
    QLabel* m_liveLabel = nullptr;
    QTimer m_busyTimer;
    QTimer m_lockTimer;
    LockHolderLookup m_lockLookup;
    ConnectionSettings m_lockSettings;
    std::function<qint64()> m_waitingPid;
};
