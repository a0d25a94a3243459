#pragma once

#include "config/ConnectionSettings.h"
#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}
class CellFile;
class GridClipboard;
class MatchingSelection;
class NameFilterBox;
class NetworkWait;
class QLineEdit;
class QTableView;
class SaveFlow;
class StatusBarPanel;
class TableBrowser;
class TableSwitcher;
class TransferActions;

// The window: it holds the session, the model bound to the grid, the connection watcher and the
// live updates, wires the actions to the parts that do the work (the grid in TableBrowser, the
// filter box, the clipboard, the save flow, import and export, the status bar), and enables each
// action for what is there.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Takes an open session whose table exists, binds the model to the view and reads the rows.
    void setSession(std::unique_ptr<DatabaseSession> session);
    // Another connection or table: the current table's column layout is saved first, and the
    // next connection dialog starts from the new session's table.
    void replaceSession(std::unique_ptr<DatabaseSession> session);
    // What the Connect action starts from.
    void setResolution(const ConnectionSettings::Resolution& resolution) { m_resolution = resolution; }
    const ConnectionSettings::Resolution& resolution() const { return m_resolution; }

    DatabaseSession* session() const { return m_session.get(); }
    TableModel* model() const { return m_model.get(); }
    QTableView* tableView() const;

    bool refresh();
    void applyFilterNow(); // what the search box's debounce timer runs
    bool isCreatingIndex() const;
    LiveUpdates* liveUpdates() const { return m_liveUpdates.get(); }
    ConnectionWatcher* connectionWatcher() const { return m_watcher; }
    MatchingSelection* matchingSelection() const { return m_matching; }
    // The role, the server or the table's shape allows no writes (the reasons are in the status bar).
    bool isReadOnly() const { return m_readOnly; }

    // Held while a flow waits in an event loop of its own with this window usable (connecting,
    // opening a table): the window manager's close still reaches the window then, and a window
    // deleted on close would be deleted inside that loop, under the flow. closeEvent() refuses.
    class CloseGuard
    {
    public:
        explicit CloseGuard(MainWindow* window)
            : m_window(window)
        {
            ++m_window->m_closeGuards;
        }
        ~CloseGuard() { --m_window->m_closeGuards; }
        CloseGuard(const CloseGuard&) = delete;
        CloseGuard& operator=(const CloseGuard&) = delete;

    private:
        MainWindow* m_window;
    };

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void setUpToolBar();
    void setUpActions();
    void bindModel();
    void changeConnection();
    void showAbout();
    void dropTable();
    void createTable();
    // Runs a catalog statement through m_wait and returns its outcome.
    bool refusedWhileOffline(const QString& title, const QString& outcome);
    void onLoadingChanged(bool loading);
    void onWindowLoaded();
    void onWindowFailed(const QString& message, bool cancelled);
    void setUpLiveUpdates();
    void installChangeTrigger();
    void updateLiveStatus();
    void updateConnectionState();
    void restoreAfterReconnect();
    void updateActions();
    void updateStatus();
    void saveViewSettings();
    void restoreViewSettings();

    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<DatabaseSession> m_session;
    std::unique_ptr<TableModel> m_model;
    ConnectionSettings::Resolution m_resolution;
    std::unique_ptr<LiveUpdates> m_liveUpdates;
    ConnectionWatcher* m_watcher = nullptr;
    bool m_readOnly = false;
    bool m_tableMissing = false;
    QLineEdit* m_searchLineEdit = nullptr;
    int m_closeGuards = 0; // CloseGuard
    NetworkWait* m_wait = nullptr; // a save, delete or drop on its own connection; see updateActions()
    StatusBarPanel* m_status = nullptr;
    TableBrowser* m_browser = nullptr;
    NameFilterBox* m_filterBox = nullptr;
    CellFile* m_cellFile = nullptr;
    GridClipboard* m_clipboard = nullptr;
    SaveFlow* m_saveFlow = nullptr;
    TransferActions* m_transfers = nullptr;
    MatchingSelection* m_matching = nullptr;
    TableSwitcher* m_tableSwitcher = nullptr;
};
