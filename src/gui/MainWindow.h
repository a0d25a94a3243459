#pragma once

#include "config/ConnectionSettings.h"
#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "gui/NetworkWait.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"
#include "table/TableCatalog.h"

#include <QMainWindow>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace Ui {
class MainWindow;
}
class ColumnStretch;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Takes an open session whose table exists, binds the model to the view and reads the rows.
    void setSession(std::unique_ptr<DatabaseSession> session);
    // What the Connect action starts from.
    void setResolution(const ConnectionSettings::Resolution& resolution) { m_resolution = resolution; }

    DatabaseSession* session() const { return m_session.get(); }
    TableModel* model() const { return m_model.get(); }
    QTableView* tableView() const;

    bool refresh();
    void applyFilterNow(); // what the search box's debounce timer runs
    bool isCreatingIndex() const { return m_creatingIndex; }
    LiveUpdates* liveUpdates() const { return m_liveUpdates.get(); }
    ConnectionWatcher* connectionWatcher() const { return m_watcher; }

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class EmptyStateAction { None, CreateTable, ClearFilter, AddRow };
    enum class AfterLoad { KeepPosition, Top, Bottom };

    void setUpToolBar();
    void setUpActions();
    void bindModel();
    void changeConnection();
    void showAbout();
    void addRow();
    void save();
    void discard();
    void resolveConflict(const TableModel::SaveConflict& conflict);
    void deleteSelectedRows();
    void deleteSelectedRowsNow(const QList<int>& rows);
    void setSelectionToNull();
    void copySelection();
    void pasteIntoCells();
    void pasteAsNewRows();
    void dropTable();
    // Runs a catalog statement through m_wait and returns its outcome.
    TableCatalog::Outcome runCatalogJob(const QString& status, const std::function<TableCatalog::Outcome()>& job);
    // Writes the staged changes on a connection of their own through m_wait; false with the
    // model's lastSaveError() or lastConflict() when nothing was written.
    bool writeStagedChanges();
    // Offline (the watcher has lost the link), says what was not done and why, and returns true:
    // every action that needs the server checks this before asking anything.
    bool refusedWhileOffline(const QString& title, const QString& outcome);
    void createTable();
    void focusSearch();
    void onLoadingChanged(bool loading);
    void onWindowLoaded();
    void onWindowFailed(const QString& message, bool cancelled);
    void onScrolled(int value);
    void showFirstRows();
    void showLastRows();
    void showNextRows();
    void showPreviousRows();
    void rememberTopRow();
    void updateIndexHint();
    void createTrigramIndex();
    QString rowCountText() const;
    void setUpLiveUpdates();
    void liveRefresh();
    void installChangeTrigger();
    void updateLiveStatus();
    void updateConnectionState();
    void restoreAfterReconnect();
    void importNames();
    void exportCsv();
    void updateActions();
    void updateStatus();
    void updateViewOrEmptyState();
    void showEmptyState(const QString& text, EmptyStateAction action = EmptyStateAction::None);
    void runEmptyStateAction();
    // Returns false when the user cancelled; true when there was nothing pending, or it was saved
    // or discarded as the user chose.
    bool settlePendingChanges(const QString& reason);
    QList<int> selectedRows() const;
    bool isEditingCell() const; // a cell editor is open: reloads and window slides wait
    // The current cell and the selection, by primary key, across every reset of the model.
    void rememberSelection();
    void restoreSelection();
    void saveViewSettings();
    void restoreViewSettings();

    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<DatabaseSession> m_session;
    std::unique_ptr<TableModel> m_model;
    ConnectionSettings::Resolution m_resolution;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_pendingLabel = nullptr;
    QLabel* m_rowCountLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QPushButton* m_indexHintButton = nullptr;
    QTimer m_busyTimer;
    AfterLoad m_afterLoad = AfterLoad::KeepPosition;
    std::optional<StagedEdits::Target> m_topRow;
    bool m_creatingIndex = false;
    std::optional<qint64> m_selectKeyAfterLoad;
    std::unique_ptr<LiveUpdates> m_liveUpdates;
    ConnectionWatcher* m_watcher = nullptr;
    QLabel* m_offlineLabel = nullptr;
    QLabel* m_readOnlyLabel = nullptr;
    bool m_readOnly = false;
    QLabel* m_liveLabel = nullptr;
    QLabel* m_deletedElsewhereLabel = nullptr;
    ColumnStretch* m_columnStretch = nullptr;
    bool m_liveRefreshPending = false;
    std::optional<quint64> m_liveGeneration; // the live refresh's request, until its rows arrive
    QLineEdit* m_searchLineEdit = nullptr;
    QTimer m_filterDebounce;
    EmptyStateAction m_emptyStateAction = EmptyStateAction::None;
    bool m_tableMissing = false;
    struct CellPosition
    {
        StagedEdits::Target target;
        int column = 0;
    };
    std::optional<CellPosition> cellPositionOf(const QModelIndex& index) const;
    int rowOf(const StagedEdits::Target& target) const; // -1 when the row is not in the grid
    std::optional<CellPosition> m_rememberedCell;
    QList<CellPosition> m_rememberedSelection;
    std::optional<StagedEdits::Target> m_editAfterLoad;
    QList<int> m_widthsToRestore; // column widths from before a reconnect
    NetworkWait* m_wait = nullptr; // a save, delete or drop on its own connection; see updateActions()
    bool m_saveConfirmed = false; // within one Save: the user already agreed to delete rows
    bool m_scrollingByProgram = false; // onScrolled() slides the window only for the user's scrolls
};
