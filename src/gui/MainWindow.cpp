// The window itself: the session, the model and the watcher it holds, the actions and what
// enables them, binding a table (read-only or not), reconnecting, live updates, dropping and
// creating the table, closing and changing the connection. The work of its parts lives beside it:
// the grid in TableBrowser, the filter box in NameFilterBox, copy and paste in GridClipboard,
// save, discard and delete in SaveFlow, import and export in TransferActions, Select all and the
// whole matching set in MatchingSelection, Open table in TableSwitcher, a cell's file in
// CellFile, the status bar in StatusBarPanel, the offline check in OfflineGuard. About 600 lines
// because what is left is the wiring between those parts and the session's lifetime (bind,
// rebind, drop, close), which must stay in one place to be read in order; the next split is the
// table lifecycle (issue notes).
#include "gui/MainWindow.h"

#include "gui/AboutDialog.h"
#include "gui/CellFile.h"
#include "gui/DropTableDialog.h"
#include "gui/GridClipboard.h"
#include "gui/LanguageMenu.h"
#include "gui/MatchingSelection.h"
#include "gui/MessageBox.h"
#include "gui/NameFilterBox.h"
#include "gui/NetworkWait.h"
#include "gui/OfflineGuard.h"
#include "gui/RowDetails.h"
#include "gui/SaveFlow.h"
#include "gui/ScreenFit.h"
#include "gui/ShortcutsDialog.h"
#include "gui/StartupFlow.h"
#include "gui/StatusBarPanel.h"
#include "gui/TableBrowser.h"
#include "gui/TableSwitcher.h"
#include "gui/ToolBarFit.h"
#include "gui/TransferActions.h"
#include "transfer/ImportTable.h"
#include "ui_MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QPointer>
#include <QSettings>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {
QString countingMessage()
{
    return MainWindow::tr("Counting…");
}
} // namespace

// Q_INIT_RESOURCE must be used outside any namespace. The resources live in this static library,
// whose unreferenced initializer the linker would otherwise drop.
static void initResources()
{
    Q_INIT_RESOURCE(pgdesk);
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    initResources();
    m_ui->setupUi(this);
    setWindowIcon(QIcon(u":/icons/pgdesk.svg"_s));

    // First in the permanent area, so what a save waits for shows left of the panel's labels.
    m_wait = new NetworkWait(statusBar(), m_ui->tableView->viewport(), this);
    connect(m_wait, &NetworkWait::waitingChanged, this, &MainWindow::updateActions);
    m_status = new StatusBarPanel(statusBar(), this);
    m_browser = new TableBrowser(this, *m_ui, m_status);
    m_clipboard = new GridClipboard(this, *m_ui);
    new RowDetails(this, *m_ui); // View > Row details; owned by the window
    auto* languageMenu = new LanguageMenu(this, m_ui->viewMenu); // View > Language
    m_saveFlow = new SaveFlow(this, m_wait, m_browser, m_status);
    m_transfers = new TransferActions(this);
    m_matching = new MatchingSelection(this, *m_ui, m_wait, m_saveFlow);
    m_tableSwitcher = new TableSwitcher(this, *m_ui, m_saveFlow);
    setUpToolBar(); // makes the filter box
    m_filterBox = new NameFilterBox(this, *m_ui, m_searchLineEdit, m_status, m_browser);
    // Each part asks for a message in the status bar rather than writing to it.
    connect(m_browser, &TableBrowser::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_clipboard, &GridClipboard::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_saveFlow, &SaveFlow::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_transfers, &TransferActions::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_matching, &MatchingSelection::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_tableSwitcher, &TableSwitcher::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_matching, &MatchingSelection::exportRequested, m_transfers, &TransferActions::exportCsv);
    connect(m_matching, &MatchingSelection::activeChanged, this, &MainWindow::updateActions);
    connect(m_filterBox, &NameFilterBox::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(languageMenu, &LanguageMenu::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_filterBox, &NameFilterBox::filterApplied, this, &MainWindow::updateStatus);
    connect(m_browser, &TableBrowser::createTableRequested, this, &MainWindow::createTable);
    connect(m_browser, &TableBrowser::clearFilterRequested, m_filterBox, &NameFilterBox::clear);

    setUpActions();
    // After setUpActions(), which orders the grid's context menu: the file actions end it.
    m_cellFile = new CellFile(this, *m_ui); // Edit > Load cell from file, Save cell to file

    restoreViewSettings();
    ScreenFit::keep(this); // the saved or designed size may not fit this screen at this scale
    m_ui->actionLiveUpdates->setChecked(QSettings().value(u"view/liveUpdates"_s, true).toBool());
    m_browser->showEmptyState(tr("Not connected."));
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    // The model holds queries on the session's connection: it must go before the connection.
    m_liveUpdates.reset();
    delete m_watcher; // it watches the session, so it goes first
    m_watcher = nullptr;
    m_ui->tableView->setModel(nullptr);
    m_model.reset();
}

QTableView* MainWindow::tableView() const
{
    return m_ui->tableView;
}

bool MainWindow::isCreatingIndex() const
{
    return m_filterBox->isCreatingIndex();
}

void MainWindow::applyFilterNow()
{
    m_filterBox->applyNow();
}

void MainWindow::setUpToolBar()
{
    QToolBar* toolBar = m_ui->mainToolBar;
    toolBar->addSeparator();
    m_searchLineEdit = new QLineEdit(toolBar);
    m_searchLineEdit->setObjectName(u"searchLineEdit"_s); // NameFilterBox sets up the rest
    toolBar->addWidget(m_searchLineEdit);
    // The filter box sits above the grid, so Tab goes from it down to the grid.
    setTabOrder(m_searchLineEdit, m_ui->tableView);
    setTabOrder(m_ui->tableView, m_ui->emptyStateButton);
    toolBar->addAction(m_ui->actionExactMatch);
    auto* spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    toolBar->addAction(m_ui->actionDropTable);

    // Short labels keep every tool visible in a 900-pixel window; menus keep the long ones.
    m_ui->actionDiscard->setIconText(tr("Discard"));
    m_ui->actionDeleteRows->setIconText(tr("Delete"));
    m_ui->actionDropTable->setIconText(tr("Drop table"));
    for (QAction* iconOnly : { m_ui->actionUndo, m_ui->actionRedo, m_ui->actionRefresh }) {
        if (auto* button = qobject_cast<QToolButton*>(toolBar->widgetForAction(iconOnly)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
    ToolBarFit::keep(toolBar); // a narrow window shows icons alone rather than hide the search box
}

void MainWindow::setUpActions()
{
    // Ctrl+Y is the redo users of other platforms' editors expect; the first key stays the one shown.
    m_ui->actionRedo->setShortcuts({ m_ui->actionRedo->shortcut(), QKeySequence(u"Ctrl+Y"_s) });
    ShortcutsDialog::nameShortcutsInToolTips(findChildren<QAction*>());
    // Delete and Ctrl+C must not fire while a cell editor or the search box has the focus.
    for (QAction* action : { m_ui->actionDeleteRows, m_ui->actionSetNull, m_ui->actionCopy, m_ui->actionPaste,
                             m_ui->actionPasteAsNewRows }) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_ui->tableView->addAction(action);
    }
    // An empty table shows a page instead of the grid: pasting a list of names into it is how a
    // new table gets its first rows.
    m_ui->emptyStatePage->addAction(m_ui->actionPasteAsNewRows);
    m_clipboard->setUpActions(); // after the loop above, which reorders the grid's context menu

    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui->actionConnect, &QAction::triggered, this, &MainWindow::changeConnection);
    connect(m_ui->actionCloseWindow, &QAction::triggered, this, &QWidget::close);
    // Every window, each asking about its own unsaved changes; a Cancel in one stops the quit there.
    connect(m_ui->actionQuit, &QAction::triggered, this, [] { QApplication::closeAllWindows(); });
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionKeyboardShortcuts, &QAction::triggered, this, [this] {
        ShortcutsDialog dialog(findChildren<QAction*>(), this);
        dialog.exec();
    });
    connect(m_ui->actionAddRow, &QAction::triggered, m_browser, &TableBrowser::addRow);
    connect(m_ui->actionSave, &QAction::triggered, m_saveFlow, &SaveFlow::save);
    connect(m_ui->actionDiscard, &QAction::triggered, m_saveFlow, &SaveFlow::discard);
    connect(m_ui->actionDeleteRows, &QAction::triggered, m_saveFlow, &SaveFlow::deleteSelectedRows);
    connect(m_ui->actionSetNull, &QAction::triggered, m_browser, &TableBrowser::setSelectionToNull);
    connect(m_ui->actionDropTable, &QAction::triggered, this, &MainWindow::dropTable);
    connect(m_ui->actionCreateTable, &QAction::triggered, this, &MainWindow::createTable);
    connect(m_ui->actionFind, &QAction::triggered, m_filterBox, &NameFilterBox::focus);
    connect(m_ui->actionExactMatch, &QAction::toggled, m_filterBox, &NameFilterBox::applyNow);
    connect(m_ui->actionFirstRows, &QAction::triggered, m_browser, &TableBrowser::showFirstRows);
    connect(m_ui->actionLastRows, &QAction::triggered, m_browser, &TableBrowser::showLastRows);
    connect(m_ui->actionNextRows, &QAction::triggered, m_browser, &TableBrowser::showNextRows);
    connect(m_ui->actionPreviousRows, &QAction::triggered, m_browser, &TableBrowser::showPreviousRows);
    connect(m_ui->actionCancelQuery, &QAction::triggered, this, [this] {
        if (m_wait->isWaiting())
            m_wait->cancel();
        else if (m_model)
            m_model->cancelLoading();
    });
    connect(m_ui->actionCountRows, &QAction::triggered, this, [this] {
        if (!m_model || refusedWhileOffline(tr("Count failed"), tr("Nothing was counted.")))
            return;
        statusBar()->showMessage(countingMessage());
        m_model->countMatchingRows();
    });
    connect(m_ui->actionCreateTrigramIndex, &QAction::triggered, m_filterBox, &NameFilterBox::createTrigramIndex);
    connect(m_ui->actionInstallChangeTrigger, &QAction::triggered, this, &MainWindow::installChangeTrigger);
    connect(m_ui->actionImport, &QAction::triggered, m_transfers, &TransferActions::importRows);
    connect(m_ui->actionExport, &QAction::triggered, m_transfers, &TransferActions::exportCsv);
    connect(m_ui->actionReconnect, &QAction::triggered, this, [this] {
        if (m_watcher)
            m_watcher->reconnectNow();
    });
    m_ui->actionDeleteImmediately->setChecked(QSettings().value(SaveFlow::deleteImmediatelyKey(), false).toBool());
    connect(m_ui->actionDeleteImmediately, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(SaveFlow::deleteImmediatelyKey(), on); });
    connect(m_ui->actionLiveUpdates, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(u"view/liveUpdates"_s, on);
        if (m_liveUpdates)
            m_liveUpdates->setEnabled(on);
        updateLiveStatus();
    });
    connect(m_ui->actionUndo, &QAction::triggered, this, [this] {
        if (m_model)
            m_model->undoStack()->undo();
    });
    connect(m_ui->actionRedo, &QAction::triggered, this, [this] {
        if (m_model)
            m_model->undoStack()->redo();
    });
}

void MainWindow::setSession(std::unique_ptr<DatabaseSession> session)
{
    delete m_watcher;
    m_watcher = nullptr;
    m_liveUpdates.reset();
    m_ui->tableView->setModel(nullptr);
    m_model.reset();
    m_session = std::move(session);
    m_tableMissing = false;
    if (!m_session || !m_session->isOpen()) {
        m_browser->showEmptyState(tr("Not connected."));
        updateActions();
        updateStatus();
        return;
    }
    const TableName table = m_session->tableName();
    setWindowTitle(tr("%1 — %2 — pgdesk").arg(table.display(), m_session->settings().displayTarget()));
    // Notices a dropped connection and reconnects with backoff; staged edits live in the model
    // and are untouched meanwhile.
    m_watcher = new ConnectionWatcher(m_session.get(), this);
    connect(m_watcher, &ConnectionWatcher::stateChanged, this, &MainWindow::updateConnectionState);
    connect(m_watcher, &ConnectionWatcher::countdownChanged, this, &MainWindow::updateConnectionState);
    connect(m_watcher, &ConnectionWatcher::reconnected, this, &MainWindow::restoreAfterReconnect);
    updateConnectionState();
    bindModel();
}

void MainWindow::bindModel()
{
    m_liveUpdates.reset();
    m_browser->forgetTable();
    m_ui->tableView->setModel(nullptr);
    m_model = std::make_unique<TableModel>(m_session->database());
    m_status->watchLocks(m_session->settings(), [model = QPointer<TableModel>(m_model.get())] {
        return model ? model->loadingBackendPid() : 0;
    });
    // Deciding which rows to show runs on a worker connection, so no query freezes the window.
    m_model->attachFetcher(m_session->settings());
    const TableName table = m_session->tableName();
    if (!m_model->setTableName(table)) {
        m_model.reset();
        // A lookup that failed (a link that dropped unnoticed) is no answer: the table may well be there.
        QString lookupError;
        m_tableMissing = !m_session->tableExists(&lookupError) && lookupError.isEmpty();
        if (m_tableMissing)
            m_browser->showEmptyState(tr("The table %1 does not exist.").arg(table.display()),
                                      TableBrowser::EmptyStateAction::CreateTable);
        else if (!lookupError.isEmpty())
            m_browser->showEmptyState(tr("The table %1 could not be read:\n%2").arg(table.display(), lookupError));
        else
            m_browser->showEmptyState(tr("The table %1 could not be read.").arg(table.display()));
        updateActions();
        updateStatus();
        return;
    }
    // A role that may only read, or a table that is not shaped like the tutorial's, opens
    // read-only with the reason rather than failing on the first save.
    // A hot standby or a role whose transactions are read-only by default refuses every write,
    // whatever the privileges say: the server's reason comes first.
    const ServerInfo& server = m_session->serverInfo();
    QStringList readOnlyReasons;
    if (const QString reason = server.readOnlyReason(); !reason.isEmpty())
        readOnlyReasons << reason;
    readOnlyReasons += m_session->tableShapeProblems();
    const DatabaseSession::TablePrivileges privileges = m_session->tablePrivileges();
    if (privileges.isReadOnly())
        readOnlyReasons += privileges.reasons;
    m_readOnly = !readOnlyReasons.isEmpty();
    m_status->showReadOnly(readOnlyReasons, server);
    m_ui->tableView->setEditTriggers(m_readOnly ? QAbstractItemView::NoEditTriggers
                                                : QAbstractItemView::AnyKeyPressed | QAbstractItemView::DoubleClicked
                                             | QAbstractItemView::EditKeyPressed);
    if (m_readOnly)
        statusBar()->showMessage(tr("Read-only: %1").arg(readOnlyReasons.join(u' ')), 15000);
    QTableView* view = m_ui->tableView;
    view->setModel(m_model.get());
    view->horizontalHeader()->setSortIndicator(m_model->sortColumn(), Qt::AscendingOrder);

    connect(m_model.get(), &TableModel::pendingChangesChanged, this, [this] {
        // (Also emitted while the model is being destroyed, when m_model is already null.)
        if (!m_model || !m_model->hasPendingChanges())
            m_status->hideDeletedElsewhere(); // discarded or undone: no staged edit is left to flag
        updateActions();
        updateStatus();
    });
    connect(m_model.get(), &TableModel::rowsAboutToBeReplaced, m_browser, &TableBrowser::commitOpenEditors);
    connect(m_model.get(), &QAbstractItemModel::modelAboutToBeReset, m_browser, &TableBrowser::rememberSelection);
    connect(m_model.get(), &QAbstractItemModel::modelReset, this, [this] {
        m_browser->onModelReset();
        updateActions();
        updateStatus();
    });
    connect(m_model.get(), &TableModel::loadingChanged, this, &MainWindow::onLoadingChanged);
    connect(m_model.get(), &TableModel::firstMatchesShown, this, [this](int rows) {
        m_browser->onFirstMatchesShown();
        m_status->showFirstMatches(rows);
        updateStatus();
    });
    connect(m_model.get(), &TableModel::windowLoaded, this, &MainWindow::onWindowLoaded);
    connect(m_model.get(), &TableModel::windowFailed, this, &MainWindow::onWindowFailed);
    connect(m_model.get(), &TableModel::matchingRowCountReady, this, [this] {
        if (statusBar()->currentMessage() == countingMessage())
            statusBar()->clearMessage();
        updateStatus();
    });
    connect(m_model.get(), &TableModel::statisticsChanged, this, &MainWindow::updateStatus);
    connect(m_model.get(), &TableModel::stagedKeysDeletedElsewhereFound, m_status,
            &StatusBarPanel::showDeletedElsewhere);
    connect(m_model->undoStack(), &QUndoStack::canUndoChanged, this, &MainWindow::updateActions);
    connect(m_model->undoStack(), &QUndoStack::canRedoChanged, this, &MainWindow::updateActions);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::updateActions);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, m_browser,
            &TableBrowser::followSelectedCell);
    m_matching->bindModel(m_model.get(), view->selectionModel()); // after the handlers above

    // Text typed for another table, which this one has no text column to search in, goes (on
    // a column of another type it would be read as a comparison).
    if (m_model->filterColumn() < 0 || m_model->isFilterTyped())
        m_filterBox->clear();
    if (!m_filterBox->isEmpty())
        m_filterBox->applyNow();
    else
        m_model->loadFirst();
    connect(m_model.get(), &TableModel::filterColumnGone, m_filterBox, &NameFilterBox::dropFilter);
    setUpLiveUpdates();

    m_browser->applyColumnLayout(
        QSettings()
            .value(u"table/"_s + m_session->settings().viewSettingsGroup(table.display()) + u"/header"_s)
            .toByteArray());
}

bool MainWindow::refresh()
{
    if (!m_model)
        return false;
    m_browser->reloadKeepingPosition();
    return true;
}

void MainWindow::onLoadingChanged(bool loading)
{
    m_ui->actionCancelQuery->setEnabled(loading || m_wait->isWaiting());
    m_status->setLoading(loading, m_filterBox->isCreatingIndex());
}

void MainWindow::onWindowLoaded()
{
    m_browser->onWindowLoaded();
    m_filterBox->updateIndexHint();
    updateActions();
    updateStatus();
}

void MainWindow::onWindowFailed(const QString& message, bool cancelled)
{
    m_browser->onWindowFailed(message, cancelled);
    updateActions();
    updateStatus();
}

void MainWindow::updateConnectionState()
{
    const bool offline = OfflineGuard::isOffline(m_watcher);
    if (m_liveUpdates)
        m_liveUpdates->setPaused(offline);
    m_ui->actionReconnect->setEnabled(offline);
    m_status->showConnectionState(m_watcher);
}

void MainWindow::restoreAfterReconnect()
{
    m_browser->rebindKeepingLayout();
    if (m_liveUpdates)
        m_liveUpdates->resubscribe();
    statusBar()->showMessage(tr("Connected again."), 5000);
    updateConnectionState();
    updateStatus();
}

void MainWindow::setUpLiveUpdates()
{
    m_liveUpdates = std::make_unique<LiveUpdates>(m_model.get(), m_session->database(), m_session->settings());
    connect(m_liveUpdates.get(), &LiveUpdates::tableChanged, m_browser, &TableBrowser::liveRefresh);
    connect(m_liveUpdates.get(), &LiveUpdates::modeChanged, this, &MainWindow::updateLiveStatus);
    connect(m_liveUpdates.get(), &LiveUpdates::traitsRead, this, &MainWindow::updateLiveStatus);
    const ServerInfo& server = m_session->serverInfo();
    if (server.inRecovery)
        m_liveUpdates->setNotificationsUnavailable(tr("a read-only replica cannot LISTEN for notifications"));
    else if (server.behindPooler)
        m_liveUpdates->setNotificationsUnavailable(
            tr("a connection pooler sits between pgdesk and the server, so notifications cannot reach pgdesk"));
    m_liveUpdates->setEnabled(m_ui->actionLiveUpdates->isChecked());
    updateLiveStatus();
}

void MainWindow::updateLiveStatus()
{
    m_status->showLiveMode(m_liveUpdates.get(), m_model != nullptr);
    const LiveUpdates::Mode mode = m_liveUpdates ? m_liveUpdates->mode() : LiveUpdates::Mode::Off;
    m_ui->actionInstallChangeTrigger->setEnabled(
        mode == LiveUpdates::Mode::Polling && m_session->serverInfo().readOnlyReason().isEmpty()
        && m_liveUpdates->triggerWouldHelp() && m_liveUpdates->canInstallTrigger());
}

void MainWindow::installChangeTrigger()
{
    if (!m_liveUpdates || refusedWhileOffline(tr("Trigger not installed"), tr("The trigger was not installed.")))
        return;
    const auto answer = MessageBox::ask(
        this, tr("Install change trigger"),
        tr("Install a statement trigger on %1 so that every insert, update and delete, from any client, "
           "notifies pgdesk at once?\n\nIt creates the function pgdesk_notify_change() and the trigger "
           "pgdesk_notify_change on the table. Each writing statement then sends one notification, however many "
           "rows it touches. Drop the trigger to remove it.")
            .arg(m_model->tableName().display()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return;
    const ConnectionSettings settings = m_session->settings();
    const TableName table = m_model->tableName();
    LiveUpdates* liveUpdates = m_liveUpdates.get();
    const TableCatalog::Outcome installed
        = m_wait->runCatalogJob(tr("Installing the change trigger on %1…").arg(table.display()),
                                [settings, table] { return TableCatalog::installChangeTrigger(settings, table); });
    if (m_liveUpdates.get() != liveUpdates)
        return; // the connection or the table changed meanwhile
    if (!installed.error.isEmpty())
        MessageBox::warn(this, tr("Install change trigger"),
                         tr("The trigger was not installed: %1").arg(installed.error));
    else
        m_liveUpdates->triggerWasInstalled();
    updateLiveStatus();
}

void MainWindow::updateActions()
{
    const bool connected = m_session && m_session->isOpen();
    const bool hasModel = connected && m_model;
    // While a save, delete or drop runs on its own connection the user reads, scrolls and filters,
    // but stages nothing: the save clears exactly what it wrote.
    const bool waiting = m_wait->isWaiting();
    const bool editable = hasModel && m_model->hasKey() && !m_readOnly && !waiting;
    const bool pending = hasModel && m_model->hasPendingChanges() && !waiting;
    const bool hasSelection
        = hasModel && m_ui->tableView->selectionModel() && m_ui->tableView->selectionModel()->hasSelection();
    const bool hasCurrent = hasModel && m_ui->tableView->currentIndex().isValid();

    m_ui->actionRefresh->setEnabled(hasModel);
    m_ui->actionAddRow->setEnabled(editable);
    m_ui->actionSave->setEnabled(pending);
    m_ui->actionDiscard->setEnabled(pending);
    m_ui->actionDeleteRows->setEnabled(editable && hasSelection);
    // Set to NULL stages cells in view: with all matching rows selected it would take only those.
    m_ui->actionSetNull->setEnabled(editable && hasSelection && !(m_matching && m_matching->isActive()));
    m_ui->actionCopy->setEnabled(hasSelection);
    m_ui->actionPaste->setEnabled(editable && hasCurrent);
    // New rows are pasted as names, one per line: only where the tutorial's text name is.
    m_ui->actionPasteAsNewRows->setEnabled(editable && m_model->nameColumn() >= 0);
    m_ui->actionUndo->setEnabled(hasModel && !waiting && m_model->undoStack()->canUndo());
    m_ui->actionRedo->setEnabled(hasModel && !waiting && m_model->undoStack()->canRedo());
    m_ui->actionDropTable->setEnabled(hasModel && !m_readOnly && !waiting);
    m_ui->actionConnect->setEnabled(!waiting);
    // Any table a file can fill a column of; the server numbers a serial key, as Add row leaves it.
    m_ui->actionImport->setEnabled(editable && !ImportTable::fromColumns(m_model->columns()).columns.isEmpty());
    m_ui->actionCreateTable->setEnabled(connected && m_tableMissing && !waiting);
    m_ui->actionFind->setEnabled(hasModel);
    m_ui->actionFirstRows->setEnabled(hasModel);
    m_ui->actionLastRows->setEnabled(hasModel);
    m_ui->actionNextRows->setEnabled(hasModel && !m_model->atEnd());
    m_ui->actionPreviousRows->setEnabled(hasModel && !m_model->atStart());
    m_ui->actionCountRows->setEnabled(hasModel);
    m_ui->actionExport->setEnabled(hasModel);
    m_ui->actionCancelQuery->setEnabled(waiting || (hasModel && m_model->isLoading()));
    m_filterBox->setEnabled(hasModel && m_model->filterColumn() >= 0);
    if (m_cellFile) // made after setUpActions()
        m_cellFile->updateActions(editable);
}

void MainWindow::updateStatus()
{
    m_status->showSession(m_session.get(), m_model.get());
    m_browser->updateScrollBar(); // the rows the scrollbar spans may have been counted
}

bool MainWindow::refusedWhileOffline(const QString& title, const QString& outcome)
{
    return OfflineGuard::refuses(this, m_watcher, title, outcome);
}

void MainWindow::dropTable()
{
    if (!m_model || !m_session || m_wait->isWaiting())
        return;
    if (refusedWhileOffline(tr("Drop failed"), tr("The table was not dropped.")))
        return;
    const TableName table = m_model->tableName();
    const ConnectionSettings settings = m_session->settings();
    const DatabaseSession* const session = m_session.get();
    const TableModel* const model = m_model.get();
    const TableCatalog::Outcome counted
        = m_wait->runCatalogJob(tr("Counting the rows of %1…").arg(table.display()),
                                [settings, table] { return TableCatalog::countRows(settings, table); });
    if (m_model.get() != model || m_session.get() != session)
        return; // the connection or the table changed while counting: this drop is void
    const qint64 rowCount = counted.rows >= 0 ? counted.rows : m_model->totalRowCount();
    DropTableDialog dialog(table.display(), rowCount, m_model->pendingChangeCount(), this);
    dialog.setObjectName(u"dropTableDialog"_s);
    if (dialog.exec() != QDialog::Accepted || m_model.get() != model || m_session.get() != session)
        return;
    const TableCatalog::Outcome dropped
        = m_wait->runCatalogJob(tr("Dropping %1…").arg(table.display()),
                                [settings, table] { return TableCatalog::dropTable(settings, table); });
    if (!dropped.error.isEmpty()) {
        MessageBox::warn(this, tr("Drop failed"), tr("The table was not dropped: %1").arg(dropped.error));
        return;
    }
    if (m_model.get() != model || m_session.get() != session)
        return;
    if (m_liveUpdates)
        m_liveUpdates->notifyOwnWrite();
    m_liveUpdates.reset();
    m_ui->tableView->setModel(nullptr);
    m_model.reset();
    m_tableMissing = true;
    m_browser->showEmptyState(tr("The table %1 was dropped.").arg(table.display()),
                              TableBrowser::EmptyStateAction::CreateTable);
    updateActions();
    updateStatus();
}

void MainWindow::createTable()
{
    if (!m_session || refusedWhileOffline(tr("Table not created"), tr("The table was not created.")))
        return;
    const ConnectionSettings settings = m_session->settings();
    DatabaseSession* session = m_session.get();
    const TableCatalog::Outcome created
        = m_wait->runCatalogJob(tr("Creating %1…").arg(m_session->tableName().display()),
                                [settings] { return TableCatalog::createTable(settings); });
    if (m_session.get() != session)
        return; // another connection meanwhile
    if (!created.error.isEmpty()) {
        MessageBox::warn(this, tr("Create table failed"), created.error);
        return;
    }
    m_tableMissing = false;
    bindModel();
    updateActions();
    updateStatus();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_wait->isWaiting()) {
        // The wait's event loop runs inside the save (or delete, or drop) that is under way; the
        // window cannot go from under it. Say how to end it instead.
        event->ignore();
        statusBar()->showMessage(tr("Still waiting for the server: press Esc to cancel, then close."), 8000);
        return;
    }
    if (m_closeGuards > 0) {
        event->ignore();
        statusBar()->showMessage(tr("Still connecting or opening a table: close the window once that has finished."),
                                 8000);
        return;
    }
    if (!m_saveFlow->settlePendingChanges(tr("Save them before closing?"))) {
        event->ignore();
        return;
    }
    saveViewSettings();
    event->accept();
}

void MainWindow::changeConnection()
{
    if (!m_saveFlow->settlePendingChanges(tr("Save them before changing the connection?")))
        return;
    StartupFlow flow(m_resolution);
    std::unique_ptr<DatabaseSession> session;
    {
        const CloseGuard guard(this);
        session = flow.connect(this, true);
    }
    if (!session)
        return;
    m_resolution = flow.resolution();
    replaceSession(std::move(session));
}

void MainWindow::replaceSession(std::unique_ptr<DatabaseSession> session)
{
    saveViewSettings();
    if (session)
        m_resolution.settings.set(ConnectionSettings::Field::Table, session->settings().table(),
                                  session->settings().source(ConnectionSettings::Field::Table));
    setSession(std::move(session));
}

void MainWindow::saveViewSettings()
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    if (m_model && m_session)
        settings.setValue(u"table/"_s + m_session->settings().viewSettingsGroup(m_model->tableName().display())
                              + u"/header"_s,
                          m_ui->tableView->horizontalHeader()->saveState());
}

void MainWindow::restoreViewSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
}

void MainWindow::showAbout()
{
    AboutDialog about(this);
    about.exec();
}
