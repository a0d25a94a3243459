// Past 600 lines because MainWindow still does every job of the window: actions, status bar,
// selection by key, window moves, save/delete/drop flows, live refresh, import/export. Issue 13
// splits it (StatusBarPanel, TableBrowser, the save and drop flows).
#include "gui/MainWindow.h"

#include "connection/NetworkThreadPool.h"
#include "connection/StatementControl.h"
#include "editing/TabSeparatedText.h"
#include "gui/CellDelegate.h"
#include "gui/ColumnStretch.h"
#include "gui/DropTableDialog.h"
#include "gui/ElidingLabel.h"
#include "gui/FileDialog.h"
#include "gui/MessageBox.h"
#include "gui/ShortcutsDialog.h"
#include "gui/StartupFlow.h"
#include "gui/TransferProgressDialog.h"
#include "table/TableCatalog.h"
#include "table/TableWriter.h"
#include "transfer/CsvExporter.h"
#include "transfer/CsvImporter.h"
#include "ui_MainWindow.h"

#include <QClipboard>
#include <QCloseEvent>
#include <QEventLoop>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSettings>
#include <QSqlError>
#include <QSqlRecord>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <set>

using namespace Qt::StringLiterals;

namespace {
constexpr int filterDebounceMilliseconds = 200;
// A query that answers within this shows no progress at all; past it, progress and Esc to cancel.
constexpr int progressDelayMilliseconds = 300;
// Below this many rows a filter without a trigram index is fast enough not to suggest one.
constexpr qint64 indexHintRowThreshold = 100000;

QString plural(int count, const QString& one, const QString& many)
{
    return count == 1 ? one : many.arg(count);
}

// Until the translations of issue 16 give English its plural forms, "%n row(s)" would show as it
// is written: plural() picks the form.
QString rowsText(int count)
{
    return plural(count, MainWindow::tr("1 row"), MainWindow::tr("%L1 rows"));
}

QString changesText(int count)
{
    return plural(count, MainWindow::tr("1 change"), MainWindow::tr("%L1 changes"));
}

const QString deleteImmediatelyKey = u"editing/deleteImmediately"_s;

QString countingMessage()
{
    return MainWindow::tr("Counting…");
}

bool isOffline(const ConnectionWatcher* watcher)
{
    return watcher && watcher->state() != ConnectionWatcher::State::Online;
}

// Offline, whatever writes to the server can only fail, and once the link dropped Qt 6.4's driver
// has no words for why ("Could not start a transaction: " and nothing more): say it plainly.
QString serverUnreachableText(const ConnectionWatcher& watcher, const QString& outcome)
{
    const QString reason = watcher.lastError().message();
    return outcome + u'\n'
        + MainWindow::tr("The server cannot be reached; pgdesk reconnects by itself, Ctrl+R tries at once.")
        + (reason.isEmpty() ? QString() : u'\n' + reason);
}

QString unsavedKeptText(int count)
{
    return plural(count, MainWindow::tr("Nothing was written; your change is still staged."),
                  MainWindow::tr("Nothing was written; your %1 changes are still staged."))
        + u' ' + MainWindow::tr("Save again once the server is back.");
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

    m_connectionLabel = new ElidingLabel(this);
    m_connectionLabel->setObjectName(u"connectionStatusLabel"_s);
    m_pendingLabel = new ElidingLabel(this);
    m_pendingLabel->setObjectName(u"pendingChangesLabel"_s);
    m_rowCountLabel = new ElidingLabel(this);
    m_rowCountLabel->setObjectName(u"rowCountStatusLabel"_s);
    statusBar()->addWidget(m_connectionLabel, 1);
    // First in the permanent area, so what a save waits for shows left of the other labels.
    m_wait = new NetworkWait(statusBar(), m_ui->tableView->viewport(), this);
    connect(m_wait, &NetworkWait::waitingChanged, this, &MainWindow::updateActions);
    m_progressBar = new QProgressBar(this);
    m_progressBar->setObjectName(u"loadingProgressBar"_s);
    m_progressBar->setRange(0, 0);
    m_progressBar->setMaximumWidth(120);
    m_progressBar->setToolTip(tr("The server is working; Esc cancels"));
    m_progressBar->hide();
    m_indexHintButton = new QPushButton(tr("Searching is slow without an index: create one…"), this);
    m_indexHintButton->setObjectName(u"indexHintButton"_s);
    m_indexHintButton->setFlat(true);
    m_indexHintButton->hide();
    m_deletedElsewhereLabel = new ElidingLabel(this);
    m_deletedElsewhereLabel->setObjectName(u"deletedElsewhereLabel"_s);
    m_deletedElsewhereLabel->setStyleSheet(u"color: #b00020;"_s);
    m_deletedElsewhereLabel->hide();
    m_readOnlyLabel = new QLabel(this);
    m_readOnlyLabel->setObjectName(u"readOnlyLabel"_s);
    m_readOnlyLabel->setStyleSheet(u"color: #8a5a00; font-weight: bold;"_s);
    m_readOnlyLabel->hide();
    statusBar()->addPermanentWidget(m_readOnlyLabel);
    m_offlineLabel = new ElidingLabel(this);
    m_offlineLabel->setObjectName(u"offlineLabel"_s);
    m_offlineLabel->setStyleSheet(u"color: #b00020; font-weight: bold;"_s);
    m_offlineLabel->hide();
    statusBar()->addPermanentWidget(m_offlineLabel);
    m_liveLabel = new ElidingLabel(this);
    m_liveLabel->setObjectName(u"liveStatusLabel"_s);
    statusBar()->addPermanentWidget(m_deletedElsewhereLabel);
    statusBar()->addPermanentWidget(m_indexHintButton);
    statusBar()->addPermanentWidget(m_progressBar);
    statusBar()->addPermanentWidget(m_pendingLabel);
    statusBar()->addPermanentWidget(m_rowCountLabel);
    statusBar()->addPermanentWidget(m_liveLabel);
    m_busyTimer.setSingleShot(true);
    m_busyTimer.setInterval(progressDelayMilliseconds);
    connect(&m_busyTimer, &QTimer::timeout, this, [this] {
        m_progressBar->show();
        statusBar()->showMessage(tr("Waiting for the server… Esc cancels."));
    });
    connect(m_indexHintButton, &QPushButton::clicked, this, &MainWindow::createTrigramIndex);

    QTableView* view = m_ui->tableView;
    // Fixed sections: a vertical header sized to contents costs time per row.
    QHeaderView* rows = view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 10);
    rows->hide();
    m_columnStretch = new ColumnStretch(view->horizontalHeader());
    view->horizontalHeader()->setSortIndicatorShown(true);
    view->setItemDelegate(new CellDelegate(view));
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->addActions({ m_ui->actionCopy, m_ui->actionPaste, m_ui->actionPasteAsNewRows, m_ui->actionSetNull,
                       m_ui->actionDeleteRows });

    setUpToolBar();
    setUpActions();

    m_filterDebounce.setSingleShot(true);
    m_filterDebounce.setInterval(filterDebounceMilliseconds);
    connect(&m_filterDebounce, &QTimer::timeout, this, &MainWindow::applyFilterNow);
    connect(m_ui->emptyStateButton, &QPushButton::clicked, this, &MainWindow::runEmptyStateAction);

    restoreViewSettings();
    m_ui->actionLiveUpdates->setChecked(QSettings().value(u"view/liveUpdates"_s, true).toBool());
    showEmptyState(tr("Not connected."));
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

void MainWindow::setUpToolBar()
{
    QToolBar* toolBar = m_ui->mainToolBar;
    toolBar->addSeparator();
    m_searchLineEdit = new QLineEdit(toolBar);
    m_searchLineEdit->setObjectName(u"searchLineEdit"_s);
    m_searchLineEdit->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    m_searchLineEdit->setToolTip(tr("Shows rows whose name contains this text, ignoring case. "
                                    "%, _ and \\ mean themselves. Esc clears."));
    m_searchLineEdit->setClearButtonEnabled(true);
    m_searchLineEdit->addAction(QIcon(u":/icons/search.svg"_s), QLineEdit::LeadingPosition);
    m_searchLineEdit->setMinimumWidth(fontMetrics().horizontalAdvance(m_searchLineEdit->placeholderText()) + 60);
    m_searchLineEdit->setMaximumWidth(360);
    m_searchLineEdit->installEventFilter(this);
    toolBar->addWidget(m_searchLineEdit);
    toolBar->addAction(m_ui->actionExactMatch);
    auto* spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    toolBar->addAction(m_ui->actionDropTable);

    connect(m_searchLineEdit, &QLineEdit::textChanged, this, [this] { m_filterDebounce.start(); });

    // Short labels keep every tool visible in a 900-pixel window; menus keep the long ones.
    m_ui->actionDiscard->setIconText(tr("Discard"));
    m_ui->actionDeleteRows->setIconText(tr("Delete"));
    m_ui->actionDropTable->setIconText(tr("Drop table"));
    for (QAction* iconOnly : { m_ui->actionUndo, m_ui->actionRedo, m_ui->actionRefresh }) {
        if (auto* button = qobject_cast<QToolButton*>(toolBar->widgetForAction(iconOnly)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
}

void MainWindow::setUpActions()
{
    // Ctrl+Y is the redo users of other platforms' editors expect; the first key stays the one shown.
    m_ui->actionRedo->setShortcuts({ m_ui->actionRedo->shortcut(), QKeySequence(u"Ctrl+Y"_s) });
    // Tooltips name the shortcut, so the toolbar teaches the keyboard.
    const QList<QAction*> actions = findChildren<QAction*>();
    for (QAction* action : actions) {
        if (action->objectName().isEmpty())
            continue;
        const QString text = action->text().remove(u'&').remove(u'…');
        const QString shortcut = action->shortcut().toString(QKeySequence::NativeText);
        QString tip = shortcut.isEmpty() ? text : tr("%1 (%2)").arg(text, shortcut);
        if (!action->statusTip().isEmpty())
            tip += u'\n' + action->statusTip();
        action->setToolTip(tip);
    }
    // Delete and Ctrl+C must not fire while a cell editor or the search box has the focus.
    for (QAction* action : { m_ui->actionDeleteRows, m_ui->actionSetNull, m_ui->actionCopy, m_ui->actionPaste,
                             m_ui->actionPasteAsNewRows }) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_ui->tableView->addAction(action);
    }
    // An empty table shows a page instead of the grid: pasting a list of names into it is how a
    // new table gets its first rows.
    m_ui->emptyStatePage->addAction(m_ui->actionPasteAsNewRows);

    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui->actionConnect, &QAction::triggered, this, &MainWindow::changeConnection);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionKeyboardShortcuts, &QAction::triggered, this, [this] {
        ShortcutsDialog dialog(findChildren<QAction*>(), this);
        dialog.exec();
    });
    connect(m_ui->actionAddRow, &QAction::triggered, this, &MainWindow::addRow);
    connect(m_ui->actionSave, &QAction::triggered, this, &MainWindow::save);
    connect(m_ui->actionDiscard, &QAction::triggered, this, &MainWindow::discard);
    connect(m_ui->actionDeleteRows, &QAction::triggered, this, &MainWindow::deleteSelectedRows);
    connect(m_ui->actionSetNull, &QAction::triggered, this, &MainWindow::setSelectionToNull);
    connect(m_ui->actionCopy, &QAction::triggered, this, &MainWindow::copySelection);
    connect(m_ui->actionPaste, &QAction::triggered, this, &MainWindow::pasteIntoCells);
    connect(m_ui->actionPasteAsNewRows, &QAction::triggered, this, &MainWindow::pasteAsNewRows);
    connect(m_ui->actionDropTable, &QAction::triggered, this, &MainWindow::dropTable);
    connect(m_ui->actionCreateTable, &QAction::triggered, this, &MainWindow::createTable);
    connect(m_ui->actionFind, &QAction::triggered, this, &MainWindow::focusSearch);
    connect(m_ui->actionExactMatch, &QAction::toggled, this, &MainWindow::applyFilterNow);
    connect(m_ui->actionFirstRows, &QAction::triggered, this, &MainWindow::showFirstRows);
    connect(m_ui->actionLastRows, &QAction::triggered, this, &MainWindow::showLastRows);
    connect(m_ui->actionNextRows, &QAction::triggered, this, &MainWindow::showNextRows);
    connect(m_ui->actionPreviousRows, &QAction::triggered, this, &MainWindow::showPreviousRows);
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
    connect(m_ui->actionCreateTrigramIndex, &QAction::triggered, this, &MainWindow::createTrigramIndex);
    connect(m_ui->actionInstallChangeTrigger, &QAction::triggered, this, &MainWindow::installChangeTrigger);
    connect(m_ui->actionImport, &QAction::triggered, this, &MainWindow::importNames);
    connect(m_ui->actionExport, &QAction::triggered, this, &MainWindow::exportCsv);
    connect(m_ui->actionReconnect, &QAction::triggered, this, [this] {
        if (m_watcher)
            m_watcher->reconnectNow();
    });
    m_ui->actionDeleteImmediately->setChecked(QSettings().value(deleteImmediatelyKey, false).toBool());
    connect(m_ui->actionDeleteImmediately, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(deleteImmediatelyKey, on); });
    connect(m_ui->actionLiveUpdates, &QAction::toggled, this, [this](bool on) {
        QSettings().setValue(u"view/liveUpdates"_s, on);
        if (m_liveUpdates)
            m_liveUpdates->setEnabled(on);
        updateLiveStatus();
    });
    // An edit in progress postpones a live refresh; it runs as soon as the editor closes.
    connect(m_ui->tableView->itemDelegate(), &QAbstractItemDelegate::closeEditor, this, [this] {
        if (m_liveRefreshPending)
            QTimer::singleShot(0, this, &MainWindow::liveRefresh);
    });
    connect(m_ui->tableView->verticalScrollBar(), &QScrollBar::valueChanged, this, &MainWindow::onScrolled);
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
        showEmptyState(tr("Not connected."));
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
    // Nothing of another table or connection carries over: remembered cells name its keys.
    m_rememberedCell.reset();
    m_rememberedSelection.clear();
    m_editAfterLoad.reset();
    m_liveGeneration.reset();
    m_deletedElsewhereLabel->hide();
    m_ui->tableView->setModel(nullptr);
    m_model = std::make_unique<TableModel>(m_session->database());
    // Deciding which rows to show runs on a worker connection, so no query freezes the window.
    m_model->attachFetcher(m_session->settings());
    const TableName table = m_session->tableName();
    if (!m_model->setTableName(table)) {
        m_model.reset();
        m_tableMissing = !m_session->tableExists();
        if (m_tableMissing)
            showEmptyState(tr("The table %1 does not exist.").arg(table.display()), EmptyStateAction::CreateTable);
        else
            showEmptyState(tr("The table %1 could not be read.").arg(table.display()));
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
    m_readOnlyLabel->setVisible(m_readOnly);
    m_readOnlyLabel->setText(server.inRecovery              ? tr("This server is a read-only replica (hot standby)")
                                 : server.readOnlyByDefault ? tr("Read-only connection")
                                                            : tr("Read-only"));
    m_readOnlyLabel->setToolTip(readOnlyReasons.join(u'\n'));
    m_ui->tableView->setEditTriggers(m_readOnly ? QAbstractItemView::NoEditTriggers
                                                : QAbstractItemView::AnyKeyPressed | QAbstractItemView::DoubleClicked
                                             | QAbstractItemView::EditKeyPressed);
    if (m_readOnly)
        statusBar()->showMessage(tr("Read-only: %1").arg(readOnlyReasons.join(u' ')), 15000);
    QTableView* view = m_ui->tableView;
    view->setModel(m_model.get());
    view->horizontalHeader()->setSortIndicator(m_model->keyColumn() >= 0 ? m_model->keyColumn() : 0,
                                               Qt::AscendingOrder);

    connect(m_model.get(), &TableModel::pendingChangesChanged, this, [this] {
        // (Also emitted while the model is being destroyed, when m_model is already null.)
        if (!m_model || !m_model->hasPendingChanges())
            m_deletedElsewhereLabel->hide(); // discarded or undone: no staged edit is left to flag
        updateActions();
        updateStatus();
    });
    connect(m_model.get(), &QAbstractItemModel::modelAboutToBeReset, this, &MainWindow::rememberSelection);
    connect(m_model.get(), &QAbstractItemModel::modelReset, this, [this] {
        if (!m_widthsToRestore.isEmpty() && m_model->columnCount() == m_widthsToRestore.size()) {
            for (int column = 0; column < m_widthsToRestore.size(); ++column)
                m_ui->tableView->setColumnWidth(column, m_widthsToRestore.at(column));
            m_widthsToRestore.clear();
        }
        restoreSelection();
        updateViewOrEmptyState();
        updateActions();
        updateStatus();
    });
    connect(m_model.get(), &TableModel::loadingChanged, this, &MainWindow::onLoadingChanged);
    connect(m_model.get(), &TableModel::windowLoaded, this, &MainWindow::onWindowLoaded);
    connect(m_model.get(), &TableModel::windowFailed, this, &MainWindow::onWindowFailed);
    connect(m_model.get(), &TableModel::matchingRowCountReady, this, [this] {
        if (statusBar()->currentMessage() == countingMessage())
            statusBar()->clearMessage();
        updateStatus();
    });
    connect(m_model.get(), &TableModel::statisticsChanged, this, &MainWindow::updateStatus);
    connect(m_model->undoStack(), &QUndoStack::canUndoChanged, this, &MainWindow::updateActions);
    connect(m_model->undoStack(), &QUndoStack::canRedoChanged, this, &MainWindow::updateActions);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::updateActions);

    if (!m_searchLineEdit->text().isEmpty())
        applyFilterNow();
    else
        m_model->loadFirst();
    setUpLiveUpdates();

    // Before any width is set: a stretching last section would swallow the width given to it.
    m_columnStretch->setColumn(m_model->nameColumn());
    QSettings settings;
    const QByteArray headerState
        = settings.value(u"table/"_s + m_session->settings().viewSettingsGroup(table.display()) + u"/header"_s)
              .toByteArray();
    if (headerState.isEmpty() || !view->horizontalHeader()->restoreState(headerState)) {
        view->resizeColumnToContents(0);
        view->setColumnWidth(0, qMax(view->columnWidth(0), fontMetrics().horizontalAdvance(tr("default")) + 24));
        view->setColumnWidth(1, qMax(view->columnWidth(1), 260));
        // The name stretches now, not the last column: a timestamp column gets room for its value.
        const int timestampWidth = fontMetrics().horizontalAdvance(u"0000-00-00 00:00:00.000000"_s) + 24;
        for (int column = 0; column < m_model->columnCount(); ++column) {
            if (m_model->isTimestampColumn(column))
                view->setColumnWidth(column, qMax(view->columnWidth(column), timestampWidth));
        }
    }
    m_columnStretch->setColumn(m_model->nameColumn()); // again: restoreState() brings back old modes
}

bool MainWindow::refresh()
{
    if (!m_model)
        return false;
    m_afterLoad = AfterLoad::KeepPosition;
    rememberTopRow();
    m_model->reloadWindow();
    return true;
}

void MainWindow::updateConnectionState()
{
    const bool offline = m_watcher && m_watcher->state() != ConnectionWatcher::State::Online;
    if (m_liveUpdates)
        m_liveUpdates->setPaused(offline);
    m_ui->actionReconnect->setEnabled(offline);
    m_offlineLabel->setVisible(offline);
    if (!offline)
        return;
    const int seconds = m_watcher->secondsToNextAttempt();
    m_offlineLabel->setText(m_watcher->state() == ConnectionWatcher::State::Reconnecting
                                ? tr("Offline: reconnecting…")
                                : tr("Offline: next attempt in %1 s (Ctrl+R now)").arg(seconds));
    m_offlineLabel->setToolTip(tr("The connection to the server was lost. Your unsaved changes are kept; Save "
                                  "works again once the server is back."));
}

void MainWindow::restoreAfterReconnect()
{
    // A reopened connection has lost the model's prepared statements and, if a select failed
    // while offline, its record: bind the table again. Staged edits stay in the model.
    // The user's layout stays as it was: column widths, sort, filter, the rows in view and the
    // current cell (rebinding resets the header, which forgets its widths).
    // QSqlTableModel::setTable() empties the model, so the header forgets its sections and their
    // widths; they are put back once the rows are there (one by one: QHeaderView::restoreState()
    // would announce the sort indicator again, and the view would sort, back to the first rows).
    if (m_model) {
        m_widthsToRestore.clear();
        for (int column = 0; column < m_model->columnCount(); ++column)
            m_widthsToRestore << m_ui->tableView->columnWidth(column);
        m_afterLoad = AfterLoad::KeepPosition;
        rememberTopRow();
        m_model->rebindKeepingPosition();
    }
    if (m_liveUpdates)
        m_liveUpdates->resubscribe();
    statusBar()->showMessage(tr("Connected again."), 5000);
    updateConnectionState();
    updateStatus();
}

void MainWindow::importNames()
{
    if (!m_model || !m_session || refusedWhileOffline(tr("Import failed"), tr("Nothing was imported.")))
        return;
    const QString path = FileDialog::getOpenFileName(this, tr("Import names"), QString(),
                                                     tr("CSV or text (*.csv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    // COPY on a connection of its own, in one transaction: cancelled or failed writes nothing.
    CsvImporter importer(m_session->settings(), path);
    TransferProgressDialog dialog(tr("Importing %1").arg(QFileInfo(path).fileName()), this);
    dialog.setObjectName(u"importProgressDialog"_s);
    dialog.track(&importer);
    importer.start();
    dialog.exec();
    statusBar()->showMessage(dialog.message(), 8000);
    if (dialog.succeeded()) {
        if (m_liveUpdates)
            m_liveUpdates->notifyOwnWrite();
        refresh();
        // Reloading the window does not read the table's size again, so the status bar would go on
        // showing the count from before the import ("rows 1-300 of 10"): count again, on the
        // worker. The count's arrival clears the status message; the import's is shown again then.
        connect(
            m_model.get(), &TableModel::matchingRowCountReady, this,
            [this, message = dialog.message()] { statusBar()->showMessage(message, 8000); }, Qt::SingleShotConnection);
        m_model->countMatchingRows();
    }
}

void MainWindow::exportCsv()
{
    if (!m_model || !m_session || refusedWhileOffline(tr("Export failed"), tr("Nothing was exported.")))
        return;
    const QString path = FileDialog::getSaveFileName(this, tr("Export to CSV"), m_model->tableName().name() + u".csv"_s,
                                                     tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    const QString where
        = m_model->nameFilter().whereClause(m_session->database().driver(), TableName::quoteIdentifier(u"name"_s));
    // The file lists the rows as the grid does: KeysetQuery's order, so NULLs and ties fall where
    // the grid puts them. The columns are qualified because the export selects "date"::text AS
    // "date", and a bare "date" in ORDER BY would sort that text rather than the timestamp. A
    // table without a key has no order in the grid either.
    QString orderBy;
    QString orderText;
    if (m_model->keyColumn() >= 0) {
        const QSqlRecord columns = m_model->record();
        // QString, not auto: a QStringBuilder would outlive the temporaries it points to.
        const auto qualified = [&](int column) -> QString {
            return m_model->tableName().sql() + u'.' + TableName::quoteIdentifier(columns.fieldName(column));
        };
        KeysetQuery::Order order;
        order.keySql = qualified(m_model->keyColumn());
        order.sortSql = qualified(m_model->sortColumn());
        order.ascending = m_model->sortOrder() == Qt::AscendingOrder;
        orderBy = KeysetQuery(order).orderTerms();
        const QString column = m_model->headerData(m_model->sortColumn(), Qt::Horizontal).toString();
        orderText = order.ascending ? tr("in the grid's order: by %1, ascending").arg(column)
                                    : tr("in the grid's order: by %1, descending").arg(column);
    }
    const NameFilter filter = m_model->nameFilter();
    if (!filter.isEmpty()) {
        const QString shown = filter.text().left(200);
        orderText += (orderText.isEmpty() ? QString() : u"; "_s)
            + (filter.mode() == NameFilter::Mode::Exact ? tr("only rows named “%1”").arg(shown)
                                                        : tr("only names containing “%1”").arg(shown));
    }
    CsvExporter exporter(m_session->settings(), path, where, orderBy);
    const QString fileName = QFileInfo(path).fileName();
    TransferProgressDialog dialog(orderText.isEmpty() ? tr("Exporting to %1").arg(fileName)
                                                      : tr("Exporting to %1, %2").arg(fileName, orderText),
                                  this);
    dialog.setObjectName(u"exportProgressDialog"_s);
    dialog.track(&exporter);
    exporter.start();
    dialog.exec();
    // The export reads the server's rows on a connection of its own; staged edits are not in it.
    const bool unsavedLeftOut = dialog.succeeded() && m_model->hasPendingChanges();
    QString message = dialog.message();
    if (dialog.succeeded() && !orderText.isEmpty())
        message += u' ' + tr("Rows %1.").arg(orderText);
    if (unsavedLeftOut)
        message += u' ' + tr("Unsaved changes are not in the file.");
    statusBar()->showMessage(message, 8000);
}

void MainWindow::setUpLiveUpdates()
{
    m_liveUpdates = std::make_unique<LiveUpdates>(m_model.get(), m_session->database(), m_session->settings());
    connect(m_liveUpdates.get(), &LiveUpdates::tableChanged, this, &MainWindow::liveRefresh);
    connect(m_liveUpdates.get(), &LiveUpdates::modeChanged, this, &MainWindow::updateLiveStatus);
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
    const LiveUpdates::Mode mode = m_liveUpdates ? m_liveUpdates->mode() : LiveUpdates::Mode::Off;
    switch (mode) {
    case LiveUpdates::Mode::Trigger:
        m_liveLabel->setText(tr("Live"));
        m_liveLabel->setToolTip(tr("Other clients' changes appear at once (the table's change trigger notifies "
                                   "pgdesk)."));
        break;
    case LiveUpdates::Mode::Polling:
        if (!m_liveUpdates->pollingReason().isEmpty()) {
            m_liveLabel->setText(tr("Live (polling: no notifications)"));
            m_liveLabel->setToolTip(tr("pgdesk checks for other clients' changes every 1.5 seconds: %1.")
                                        .arg(m_liveUpdates->pollingReason()));
            break;
        }
        m_liveLabel->setText(tr("Live (polling)"));
        m_liveLabel->setToolTip(tr("pgdesk checks for other clients' changes every 1.5 seconds. Table ▸ Install "
                                   "change trigger makes them appear at once."));
        break;
    case LiveUpdates::Mode::Off:
        m_liveLabel->setText(m_model ? tr("Live off") : QString());
        m_liveLabel->setToolTip(tr("View ▸ Live updates turns it on; F5 refreshes by hand."));
        break;
    }
    m_ui->actionInstallChangeTrigger->setEnabled(
        mode == LiveUpdates::Mode::Polling && m_session->serverInfo().readOnlyReason().isEmpty()
        && m_liveUpdates->triggerWouldHelp() && m_liveUpdates->canInstallTrigger());
}

void MainWindow::liveRefresh()
{
    if (!m_model)
        return;
    // Never under the user's hands: an open editor or a running load postpones the refresh.
    if (isEditingCell() || m_model->isLoading()) {
        m_liveRefreshPending = true;
        if (m_model->isLoading())
            QTimer::singleShot(200, this, &MainWindow::liveRefresh);
        return;
    }
    m_liveRefreshPending = false;
    m_model->snapshotWindow();
    // Only this request's window is the live reload: a sort, filter or move that replaces it
    // brings other rows, which must not flash as changed elsewhere. (The request about to be made
    // takes the next generation.)
    m_liveGeneration = m_model->requestGeneration() + 1;
    refresh();
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
    QString error;
    if (!m_liveUpdates->installTrigger(&error))
        MessageBox::warn(this, tr("Install change trigger"), tr("The trigger was not installed: %1").arg(error));
    updateLiveStatus();
}

void MainWindow::rememberTopRow()
{
    const int top = m_ui->tableView->rowAt(0);
    if (m_model && top >= 0 && top < m_model->rowCount())
        m_topRow = m_model->targetAt(top);
    else
        m_topRow.reset();
}

void MainWindow::showFirstRows()
{
    if (!m_model)
        return;
    m_afterLoad = AfterLoad::Top;
    m_model->loadFirst();
}

void MainWindow::showLastRows()
{
    if (!m_model)
        return;
    m_afterLoad = AfterLoad::Bottom;
    m_model->loadLast();
}

void MainWindow::showNextRows()
{
    if (!m_model || m_model->atEnd())
        return;
    m_afterLoad = AfterLoad::Top;
    m_model->loadNext();
}

void MainWindow::showPreviousRows()
{
    if (!m_model || m_model->atStart())
        return;
    m_afterLoad = AfterLoad::Bottom;
    m_model->loadPrevious();
}

void MainWindow::onScrolled(int value)
{
    // Reaching either end of the window slides it by half, keeping the rows in view where they
    // are: the grid scrolls on through any number of rows while holding only one window.
    if (!m_model || m_model->isLoading() || m_scrollingByProgram || isEditingCell())
        return;
    const QScrollBar* bar = m_ui->tableView->verticalScrollBar();
    const int half = m_model->windowSize() / 2;
    if (value == bar->maximum() && bar->maximum() > 0 && !m_model->atEnd()) {
        m_afterLoad = AfterLoad::KeepPosition;
        rememberTopRow();
        m_model->loadNext(half);
    } else if (value == bar->minimum() && !m_model->atStart()) {
        m_afterLoad = AfterLoad::KeepPosition;
        rememberTopRow();
        m_model->loadPrevious(half);
    }
}

void MainWindow::onLoadingChanged(bool loading)
{
    m_ui->actionCancelQuery->setEnabled(loading || m_wait->isWaiting());
    if (loading) {
        m_busyTimer.start();
        return;
    }
    m_busyTimer.stop();
    if (m_progressBar->isVisible() && !m_creatingIndex) {
        m_progressBar->hide();
        statusBar()->clearMessage();
    }
}

void MainWindow::onWindowLoaded()
{
    QTableView* view = m_ui->tableView;
    if (m_afterLoad == AfterLoad::Top) {
        view->scrollToTop();
        view->setCurrentIndex(m_model->index(0, view->currentIndex().isValid() ? view->currentIndex().column() : 1));
    } else if (m_afterLoad == AfterLoad::Bottom) {
        view->scrollToBottom();
        const int last = m_model->rowCount() - 1;
        view->setCurrentIndex(m_model->index(last, view->currentIndex().isValid() ? view->currentIndex().column() : 1));
    } else if (m_topRow) {
        int row = -1;
        if (m_topRow->isNewRow) {
            const int position = m_model->stagedEdits().newRowPosition(m_topRow->serial);
            row = position < 0 ? -1 : m_model->serverRowCount() + position;
        } else {
            row = m_model->rowForKey(m_topRow->key);
        }
        if (row >= 0) {
            const QSignalBlocker blocker(view->verticalScrollBar()); // not a user scroll
            view->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtTop);
        }
    }
    if (m_liveGeneration && *m_liveGeneration == m_model->requestGeneration()) {
        m_liveGeneration.reset();
        m_model->highlightChangesSinceSnapshot();
        // Other clients may have added or removed rows: a small table's exact total is counted
        // again (on the worker), so the status bar never passes an old count off as exact.
        if (m_model->isTotalExact())
            m_model->countMatchingRows();
        const QList<qint64> deleted = m_model->stagedKeysDeletedElsewhere();
        m_deletedElsewhereLabel->setVisible(!deleted.isEmpty());
        m_deletedElsewhereLabel->setText(plural(static_cast<int>(deleted.size()),
                                                tr("1 unsaved edit is for a row another client deleted"),
                                                tr("%1 unsaved edits are for rows another client deleted")));
    }
    if (m_editAfterLoad) {
        if (const int row = rowOf(*m_editAfterLoad); row >= 0) {
            const QModelIndex index = m_model->index(row, m_model->nameColumn() >= 0 ? m_model->nameColumn() : 0);
            const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
            view->setCurrentIndex(index);
            view->scrollTo(index);
            view->edit(index);
        }
        m_editAfterLoad.reset();
    }
    if (m_selectKeyAfterLoad) {
        const int row = m_model->rowForKey(*m_selectKeyAfterLoad);
        if (row >= 0) {
            const int column = m_model->nameColumn() >= 0 ? m_model->nameColumn() : 0;
            view->setCurrentIndex(m_model->index(row, column));
            view->scrollTo(m_model->index(row, column));
        }
        m_selectKeyAfterLoad.reset();
    }
    m_afterLoad = AfterLoad::KeepPosition;
    m_topRow.reset();
    updateViewOrEmptyState();
    updateIndexHint();
    updateActions();
    updateStatus();
}

void MainWindow::onWindowFailed(const QString& message, bool cancelled)
{
    m_afterLoad = AfterLoad::KeepPosition;
    m_topRow.reset();
    if (cancelled) {
        statusBar()->showMessage(tr("Cancelled on the server; the rows shown are from before."), 8000);
    } else {
        if (m_watcher)
            m_watcher->check(); // maybe the connection is gone: the watcher takes over from here
        statusBar()->showMessage(tr("Reading rows failed: %1").arg(message.section(u'\n', 0, 0)), 15000);
        if (m_model->rowCount() == 0)
            showEmptyState(tr("The rows could not be read:\n%1").arg(message));
    }
    updateActions();
    updateStatus();
}

void MainWindow::updateIndexHint()
{
    const bool slowSearch = m_model && !m_model->nameFilter().isEmpty()
        && m_model->nameFilter().mode() == NameFilter::Mode::Contains && !m_model->hasTrigramIndex()
        && m_model->totalRowCount() >= indexHintRowThreshold;
    // A replica or a read-only role cannot create the index: do not offer it.
    const bool serverWritable = !m_session || m_session->serverInfo().readOnlyReason().isEmpty();
    m_indexHintButton->setVisible(slowSearch && !m_creatingIndex && serverWritable);
    m_ui->actionCreateTrigramIndex->setEnabled(m_model && m_model->nameColumn() >= 0 && !m_model->hasTrigramIndex()
                                               && !m_creatingIndex && serverWritable);
}

void MainWindow::createTrigramIndex()
{
    if (!m_model || !m_session || m_creatingIndex
        || refusedWhileOffline(tr("Search index not created"), tr("The index was not created.")))
        return;
    const TableName table = m_model->tableName();
    const qint64 rows = m_model->totalRowCount();
    const auto answer = MessageBox::ask(
        this, tr("Create search index"),
        tr("Create a trigram index (pg_trgm) on the name column of %1?\n\n"
           "It reads all %2%L3 rows once: roughly a second per million rows on a local server, and an index "
           "about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). "
           "Afterwards, searching by name takes milliseconds at any size (for text of 3 characters or more).")
            .arg(table.display(), m_model->isTotalExact() ? QString() : tr("about "))
            .arg(rows),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return;
    m_creatingIndex = true;
    m_progressBar->show();
    statusBar()->showMessage(tr("Creating the search index…"));
    updateIndexHint();
    const ConnectionSettings settings = m_session->settings();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        const QString error = watcher->result();
        watcher->deleteLater();
        m_creatingIndex = false;
        m_progressBar->hide();
        statusBar()->clearMessage();
        if (!m_model)
            return;
        if (!error.isEmpty()) {
            MessageBox::warn(this, tr("Create search index"), tr("The index was not created: %1").arg(error));
        } else {
            statusBar()->showMessage(tr("Search index created."), 5000);
            m_model->refreshIndexInfo();
        }
        updateIndexHint();
    });
    // Its own connection: CREATE INDEX CONCURRENTLY cannot run inside a transaction block and
    // takes a while; the window's connection stays free.
    watcher->setFuture(QtConcurrent::run(NetworkThreadPool::instance(), [settings, table]() -> QString {
        return TableCatalog::createTrigramIndex(settings, table).error;
    }));
}

void MainWindow::applyFilterNow()
{
    m_filterDebounce.stop();
    if (!m_model)
        return;
    const NameFilter filter(m_searchLineEdit->text(),
                            m_ui->actionExactMatch->isChecked() ? NameFilter::Mode::Exact : NameFilter::Mode::Contains);
    if (!filter.problem().isEmpty())
        statusBar()->showMessage(filter.problem(), 5000);
    if (!m_model->setNameFilter(filter))
        showEmptyState(tr("Filtering failed:\n%1").arg(m_model->lastError().text()));
    updateViewOrEmptyState();
    updateStatus();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_searchLineEdit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            m_searchLineEdit->clear();
            applyFilterNow();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            applyFilterNow();
            m_ui->tableView->setFocus();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::focusSearch()
{
    m_searchLineEdit->setFocus(Qt::ShortcutFocusReason);
    m_searchLineEdit->selectAll();
}

void MainWindow::updateViewOrEmptyState()
{
    if (!m_model)
        return;
    if (m_model->rowCount() == 0 && !m_model->nameFilter().isEmpty()) {
        const QString text = m_model->nameFilter().mode() == NameFilter::Mode::Exact ? tr("No row has the name “%1”.")
                                                                                     : tr("No name contains “%1”.");
        showEmptyState(text.arg(m_model->nameFilter().text().left(200)), EmptyStateAction::ClearFilter);
        return;
    }
    if (m_model->rowCount() == 0 && !m_model->isLoading()) {
        const bool editable = m_model->keyColumn() >= 0 && !m_readOnly;
        QString text = tr("The table %1 has no rows.").arg(m_model->tableName().display());
        if (editable)
            text += u'\n'
                + tr("Add row (%1) adds one.").arg(m_ui->actionAddRow->shortcut().toString(QKeySequence::NativeText));
        showEmptyState(text, editable ? EmptyStateAction::AddRow : EmptyStateAction::None);
        return;
    }
    m_ui->viewStack->setCurrentWidget(m_ui->tableView);
}

void MainWindow::showEmptyState(const QString& text, EmptyStateAction action)
{
    m_emptyStateAction = action;
    m_ui->emptyStateLabel->setText(text);
    m_ui->emptyStateButton->setVisible(action != EmptyStateAction::None);
    if (action == EmptyStateAction::CreateTable)
        m_ui->emptyStateButton->setText(tr("Create table"));
    else if (action == EmptyStateAction::ClearFilter)
        m_ui->emptyStateButton->setText(tr("Clear filter"));
    else if (action == EmptyStateAction::AddRow)
        m_ui->emptyStateButton->setText(tr("Add row"));
    const bool gridHadFocus = m_ui->tableView->hasFocus();
    m_ui->viewStack->setCurrentWidget(m_ui->emptyStatePage);
    if (gridHadFocus && action != EmptyStateAction::None)
        m_ui->emptyStateButton->setFocus(); // keys (Ctrl+Shift+V, Enter) keep working on the page
}

void MainWindow::runEmptyStateAction()
{
    if (m_emptyStateAction == EmptyStateAction::CreateTable) {
        createTable();
    } else if (m_emptyStateAction == EmptyStateAction::ClearFilter) {
        m_searchLineEdit->clear();
        applyFilterNow();
    } else if (m_emptyStateAction == EmptyStateAction::AddRow) {
        addRow();
    }
}

bool MainWindow::isEditingCell() const
{
    const QWidget* focus = QApplication::focusWidget();
    return focus && focus != m_ui->tableView && m_ui->tableView->isAncestorOf(focus);
}

QList<int> MainWindow::selectedRows() const
{
    std::set<int> rows;
    if (!m_ui->tableView->selectionModel())
        return {};
    const QModelIndexList indexes = m_ui->tableView->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : indexes)
        rows.insert(index.row());
    return QList<int>(rows.begin(), rows.end());
}

void MainWindow::updateActions()
{
    const bool connected = m_session && m_session->isOpen();
    const bool hasModel = connected && m_model;
    // While a save, delete or drop runs on its own connection the user reads, scrolls and filters,
    // but stages nothing: the save clears exactly what it wrote.
    const bool waiting = m_wait->isWaiting();
    const bool editable = hasModel && m_model->keyColumn() >= 0 && !m_readOnly && !waiting;
    const bool pending = hasModel && m_model->hasPendingChanges() && !waiting;
    const bool hasSelection
        = hasModel && m_ui->tableView->selectionModel() && m_ui->tableView->selectionModel()->hasSelection();
    const bool hasCurrent = hasModel && m_ui->tableView->currentIndex().isValid();

    m_ui->actionRefresh->setEnabled(hasModel);
    m_ui->actionAddRow->setEnabled(editable);
    m_ui->actionSave->setEnabled(pending);
    m_ui->actionDiscard->setEnabled(pending);
    m_ui->actionDeleteRows->setEnabled(editable && hasSelection);
    m_ui->actionSetNull->setEnabled(editable && hasSelection);
    m_ui->actionCopy->setEnabled(hasSelection);
    m_ui->actionPaste->setEnabled(editable && hasCurrent);
    m_ui->actionPasteAsNewRows->setEnabled(editable);
    m_ui->actionUndo->setEnabled(hasModel && !waiting && m_model->undoStack()->canUndo());
    m_ui->actionRedo->setEnabled(hasModel && !waiting && m_model->undoStack()->canRedo());
    m_ui->actionDropTable->setEnabled(hasModel && !m_readOnly && !waiting);
    m_ui->actionConnect->setEnabled(!waiting);
    m_ui->actionImport->setEnabled(editable && m_model->nameColumn() >= 0);
    m_ui->actionCreateTable->setEnabled(connected && m_tableMissing && !waiting);
    m_ui->actionFind->setEnabled(hasModel);
    m_ui->actionFirstRows->setEnabled(hasModel);
    m_ui->actionLastRows->setEnabled(hasModel);
    m_ui->actionNextRows->setEnabled(hasModel && !m_model->atEnd());
    m_ui->actionPreviousRows->setEnabled(hasModel && !m_model->atStart());
    m_ui->actionCountRows->setEnabled(hasModel);
    m_ui->actionExport->setEnabled(hasModel);
    m_ui->actionCancelQuery->setEnabled(waiting || (hasModel && m_model->isLoading()));
    m_searchLineEdit->setEnabled(hasModel && m_model->nameColumn() >= 0);
    m_ui->actionExactMatch->setEnabled(hasModel && m_model->nameColumn() >= 0);
}

void MainWindow::updateStatus()
{
    const bool connected = m_session && m_session->isOpen();
    if (!connected) {
        m_connectionLabel->setText(tr("Not connected"));
        m_rowCountLabel->clear();
        m_pendingLabel->clear();
        return;
    }
    const ServerInfo& server = m_session->serverInfo();
    const QString ssl = server.sslInUse ? tr("SSL %1").arg(server.sslProtocol) : tr("no SSL");
    m_connectionLabel->setText(tr("%1  ·  %2  ·  PostgreSQL %3  ·  time zone %4")
                                   .arg(m_session->settings().displayTarget(), ssl,
                                        server.serverVersion.section(u' ', 0, 0), server.timeZone));
    m_connectionLabel->setToolTip(
        tr("Server %1\nDatabase %2 as %3\n%4\nTimestamps are shown exactly as stored; "
           "new rows get the time in the session's zone, %5.")
            .arg(server.serverVersion, server.database, server.user,
                 server.sslInUse ? tr("Encrypted with %1").arg(server.sslProtocol) : tr("Not encrypted"),
                 server.timeZone));
    if (!m_model) {
        m_rowCountLabel->clear();
        m_pendingLabel->clear();
        return;
    }
    const int pending = m_model->pendingChangeCount();
    const int deletes = m_model->pendingDeleteCount();
    QStringList unsaved;
    if (pending > 0)
        unsaved << plural(pending, tr("1 unsaved change"), tr("%1 unsaved changes"));
    if (deletes > 0)
        unsaved << plural(deletes, tr("1 row to delete"), tr("%L1 rows to delete"));
    m_pendingLabel->setText(unsaved.join(u" · "_s));
    m_pendingLabel->setStyleSheet(unsaved.isEmpty() ? QString() : u"color: #8a5a00; font-weight: bold;"_s);
    m_rowCountLabel->setText(rowCountText());
}

QString MainWindow::rowCountText() const
{
    const int shown = m_model->serverRowCount();
    const QString total = m_model->isTotalExact() ? tr("%L1").arg(m_model->totalRowCount())
                                                  : tr("about %L1").arg(m_model->totalRowCount());
    const bool whole = m_model->atStart() && m_model->atEnd();
    if (m_model->nameFilter().isEmpty()) {
        if (whole)
            return plural(shown, tr("1 row"), tr("%1 rows"));
        return tr("rows %L1–%L2 of %3")
            .arg(m_model->windowStartPosition() + 1)
            .arg(m_model->windowStartPosition() + shown)
            .arg(total);
    }
    if (whole)
        return tr("%L1 of %2 rows").arg(shown).arg(total);
    // More matches than the window holds: which of them are shown, how many match once counted
    // (Count rows), and the table's size apart, so the two totals are never confused.
    const qint64 start = m_model->windowStartPosition();
    const QString shownMatches = start >= 0 ? tr("matching rows %L1–%L2").arg(start + 1).arg(start + shown)
        : m_model->atEnd()                  ? tr("the last %L1 matching rows").arg(shown)
                                            : tr("%L1 matching rows").arg(shown);
    const QString inTable = tr("%1 in the table").arg(total);
    if (const auto matching = m_model->matchingRowCount())
        return tr("%1 of %L2 · %3").arg(shownMatches).arg(*matching).arg(inTable);
    return tr("%1 · %2").arg(shownMatches, inTable);
}

std::optional<MainWindow::CellPosition> MainWindow::cellPositionOf(const QModelIndex& index) const
{
    if (!m_model || !index.isValid() || (m_model->keyColumn() < 0 && !m_model->isNewRow(index.row())))
        return std::nullopt;
    const StagedEdits::Target target = m_model->targetAt(index.row());
    if (target.isNewRow && target.serial < 0)
        return std::nullopt;
    return CellPosition{ target, index.column() };
}

int MainWindow::rowOf(const StagedEdits::Target& target) const
{
    if (!target.isNewRow)
        return m_model->rowForKey(target.key);
    const int position = m_model->stagedEdits().newRowPosition(target.serial);
    return position < 0 ? -1 : m_model->serverRowCount() + position;
}

void MainWindow::rememberSelection()
{
    // By primary key (or a new row's serial), never by row number: a reload renumbers the rows
    // whenever another client inserted or deleted one above, and the grid must go on acting on
    // exactly the rows the user picked. A reset to no rows at all (QSqlTableModel::setTable()
    // clears the model before a rebind) carries what was remembered on to the next one.
    if (m_model && (m_model->rowCount() == 0 || m_model->columnCount() == 0)
        && (m_rememberedCell || !m_rememberedSelection.isEmpty()))
        return;
    m_rememberedCell = cellPositionOf(m_ui->tableView->currentIndex());
    m_rememberedSelection.clear();
    if (const QItemSelectionModel* selection = m_ui->tableView->selectionModel()) {
        const QModelIndexList indexes = selection->selectedIndexes();
        for (const QModelIndex& index : indexes) {
            if (const auto position = cellPositionOf(index))
                m_rememberedSelection.append(*position);
        }
    }
}

void MainWindow::restoreSelection()
{
    QItemSelectionModel* selectionModel = m_ui->tableView->selectionModel();
    // setTable() resets to no columns (and, with unsaved new rows, not to no rows): wait for the
    // reset that brings the rows back.
    if (!m_model || !selectionModel || m_model->rowCount() == 0 || m_model->columnCount() == 0)
        return;
    QItemSelection selection;
    for (const CellPosition& position : std::as_const(m_rememberedSelection)) {
        const int row = rowOf(position.target);
        if (row >= 0) {
            const QModelIndex index = m_model->index(row, position.column);
            selection.select(index, index);
        }
    }
    m_rememberedSelection.clear();
    // Not a user scroll: the rows in view are put back by onWindowLoaded().
    const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    if (m_rememberedCell) {
        if (const int row = rowOf(m_rememberedCell->target); row >= 0)
            selectionModel->setCurrentIndex(m_model->index(row, m_rememberedCell->column),
                                            QItemSelectionModel::NoUpdate);
    }
    m_rememberedCell.reset();
}

void MainWindow::addRow()
{
    if (!m_model)
        return;
    if (m_ui->viewStack->currentWidget() != m_ui->tableView)
        m_ui->viewStack->setCurrentWidget(m_ui->tableView);
    const int row = m_model->addRow();
    const int column = m_model->nameColumn() >= 0 ? m_model->nameColumn() : 0;
    const QModelIndex index = m_model->index(row, column);
    {
        // New rows follow the window's rows, so bringing one into view reaches the end of the
        // scroll range, which would slide the window: that reload would close the editor and
        // the user's typing would go nowhere. onScrolled() leaves an open editor alone too.
        const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
        m_ui->tableView->setCurrentIndex(index);
        m_ui->tableView->scrollTo(index);
    }
    m_ui->tableView->setFocus();
    m_ui->tableView->edit(index);
    if (m_model->isLoading())
        m_editAfterLoad = m_model->targetAt(row); // the arriving rows reset the grid and its editor
}

bool MainWindow::writeStagedChanges()
{
    TableModel* const model = m_model.get();
    std::optional<TableWriter::Plan> plan = model->savePlan();
    if (!plan)
        return false;
    const ConnectionSettings settings = m_session->settings();
    auto control = std::make_shared<StatementControl>();
    auto outcome = std::make_shared<TableWriter::Outcome>();
    const bool finished = m_wait->run(
        tr("Saving %1…").arg(model->tableName().display()),
        [settings, plan = *plan, control, outcome] { *outcome = TableWriter::save(settings, plan, control); }, control,
        settings);
    if (!finished)
        outcome->error = tr("pgdesk is closing; the save may not have finished.");
    // The model outlives a wait: only setSession() and a drop replace it, and both are disabled
    // while one runs.
    return model->finishSave(*outcome);
}

void MainWindow::save()
{
    if (!m_model || !m_model->hasPendingChanges() || m_wait->isWaiting())
        return;
    // Commit an open editor first, so what the user sees typed is what gets saved.
    if (QWidget* editor = QApplication::focusWidget(); editor && m_ui->tableView->isAncestorOf(editor))
        m_ui->tableView->setFocus();
    const int count = m_model->pendingChangeCount();
    const int deletes = m_model->pendingDeleteCount();
    if (isOffline(m_watcher)) {
        statusBar()->showMessage(tr("Offline: nothing was written; your changes are still staged."), 8000);
        MessageBox::warn(this, tr("Save failed"), serverUnreachableText(*m_watcher, unsavedKeptText(count)));
        return;
    }
    if (deletes > 0 && !m_saveConfirmed) {
        const QString question = count == 0
            ? tr("Delete %1 from %2?").arg(rowsText(deletes), m_model->tableName().display())
            : tr("Save %1 and delete %2 from %3?")
                  .arg(changesText(count), rowsText(deletes), m_model->tableName().display());
        const auto answer = MessageBox::ask(
            this, tr("Save and delete"), question + u' ' + tr("Deleted rows cannot be brought back after saving."),
            QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel,
            { { QMessageBox::Save, deletes == 1 ? tr("Delete row") : tr("Delete rows") } });
        if (answer != QMessageBox::Save) {
            statusBar()->showMessage(tr("Not saved; your changes are still staged."), 8000);
            return;
        }
    }
    // A conflict answered by the user saves again; the rows to delete were confirmed already.
    const QScopedValueRollback confirmed(m_saveConfirmed, true);
    if (writeStagedChanges()) {
        if (m_liveUpdates)
            m_liveUpdates->notifyOwnWrite();
        m_deletedElsewhereLabel->hide();
        statusBar()->showMessage(deletes == 0 ? plural(count, tr("Saved 1 change."), tr("Saved %1 changes."))
                                     : count == 0
                                     ? tr("Deleted %1.").arg(rowsText(deletes))
                                     : tr("Saved %1 and deleted %2.").arg(changesText(count), rowsText(deletes)),
                                 5000);
        const QList<qint64> inserted = m_model->lastInsertedKeys();
        if (!inserted.isEmpty())
            m_selectKeyAfterLoad = inserted.constLast(); // the window reloads around it
    } else if (const auto conflict = m_model->lastConflict()) {
        resolveConflict(*conflict);
    } else {
        if (m_watcher)
            m_watcher->check();
        statusBar()->showMessage(tr("Save failed; nothing was written."), 8000);
        MessageBox::warn(this, tr("Save failed"),
                         isOffline(m_watcher) ? serverUnreachableText(*m_watcher, unsavedKeptText(count))
                                              : m_model->lastSaveError());
    }
}

void MainWindow::resolveConflict(const TableModel::SaveConflict& conflict)
{
    auto shown = [](const QVariant& value) {
        return value.isNull() ? u"NULL"_s : u"“"_s + value.toString().left(80) + u"”"_s;
    };
    QString details;
    for (int i = 0; i < conflict.columns.size(); ++i) {
        const QString column = m_model->headerData(conflict.columns.at(i), Qt::Horizontal).toString();
        details += conflict.deleting ? tr("\n%1: when you read it %2, now %3")
                                           .arg(column, shown(conflict.whenRead.at(i)), shown(conflict.theirs.at(i)))
                                     : tr("\n%1: when you read it %2, now %3, yours %4")
                                           .arg(column, shown(conflict.whenRead.at(i)), shown(conflict.theirs.at(i)),
                                                shown(conflict.mine.at(i)));
    }
    if (conflict.deleting) {
        const auto answer = MessageBox::ask(
            this, tr("Changed by someone else"),
            tr("Another client changed the row with id %1 after you marked it for deletion. Nothing was saved yet.")
                    .arg(conflict.key)
                + details,
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Cancel,
            { { QMessageBox::Yes, tr("Delete it anyway") },
              { QMessageBox::No, tr("Keep the row") },
              { QMessageBox::Cancel, tr("Skip") } });
        if (answer == QMessageBox::Yes) {
            m_model->resolveConflictKeepingMine(conflict);
            save();
        } else if (answer == QMessageBox::No) {
            m_model->resolveDeleteConflictKeepingRow(conflict);
            if (m_model->hasPendingChanges())
                save();
        } else {
            statusBar()->showMessage(tr("Not saved; your changes are still staged."), 8000);
        }
        return;
    }
    const auto answer = MessageBox::ask(
        this, tr("Changed by someone else"),
        tr("Another client changed the row with id %1 after you read it. Nothing was saved yet.").arg(conflict.key)
            + details,
        QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Cancel,
        { { QMessageBox::Yes, tr("Keep mine") },
          { QMessageBox::No, tr("Take theirs") },
          { QMessageBox::Cancel, tr("Skip") } });
    if (answer == QMessageBox::Yes) {
        m_model->resolveConflictKeepingMine(conflict);
        save();
    } else if (answer == QMessageBox::No) {
        m_model->resolveConflictTakingTheirs(conflict);
        if (m_model->hasPendingChanges())
            save();
    } else {
        statusBar()->showMessage(tr("Not saved; your changes are still staged."), 8000);
    }
}

void MainWindow::discard()
{
    if (!m_model || !m_model->hasPendingChanges())
        return;
    const int count = m_model->pendingChangeCount();
    const int deletes = m_model->pendingDeleteCount();
    const QString question = deletes == 0
        ? plural(count, tr("Discard 1 unsaved change?"), tr("Discard %1 unsaved changes?"))
        : count == 0 ? tr("Keep the %1 marked for deletion?").arg(rowsText(deletes))
                     : tr("Discard %1 and keep the %2 marked for deletion?").arg(changesText(count), rowsText(deletes));
    const auto answer
        = MessageBox::ask(this, tr("Discard changes"), question + u' ' + tr("The database keeps what it has."),
                          QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard)
        return;
    m_model->discardChanges();
}

void MainWindow::deleteSelectedRows()
{
    if (!m_model)
        return;
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    if (QSettings().value(deleteImmediatelyKey, false).toBool()) {
        deleteSelectedRowsNow(rows);
        return;
    }
    // Staged like an edit: nothing is asked here because Undo brings the rows back; Save asks.
    const int count = m_model->stageDeleteRows(rows);
    if (count > 0)
        statusBar()->showMessage(plural(count, tr("Marked 1 row for deletion: Save deletes it, Ctrl+Z brings it back."),
                                        tr("Marked %1 rows for deletion: Save deletes them, Ctrl+Z brings them back.")),
                                 8000);
}

void MainWindow::deleteSelectedRowsNow(const QList<int>& rows)
{
    // Deleting acts on the server at once (only new, unsaved rows go without it).
    const bool serverRows = std::any_of(rows.begin(), rows.end(), [this](int row) { return !m_model->isNewRow(row); });
    if (serverRows && refusedWhileOffline(tr("Delete failed"), tr("Nothing was deleted.")))
        return;
    QList<StagedEdits::Target> targets;
    for (int row : rows)
        targets << m_model->targetAt(row);
    const auto answer = MessageBox::ask(
        this, tr("Delete rows"),
        plural(static_cast<int>(rows.size()), tr("Delete 1 row from %2?"), tr("Delete %1 rows from %2?"))
                .arg(m_model->tableName().display())
            + u' ' + tr("This cannot be undone."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes || !m_model)
        return;
    // The question ran an event loop: a live refresh may have renumbered the rows meanwhile, so
    // the rows to delete are found again by key (new rows by serial); vanished ones are skipped.
    QList<int> rowsNow;
    for (const StagedEdits::Target& target : std::as_const(targets)) {
        if (const int row = rowOf(target); row >= 0)
            rowsNow << row;
    }
    const QList<qint64> keys = m_model->takeRowsToDeleteNow(rowsNow);
    if (!keys.isEmpty()) {
        TableModel* const model = m_model.get();
        const ConnectionSettings settings = m_session->settings();
        const TableName table = model->tableName();
        const QString keyColumn = model->record().fieldName(model->keyColumn());
        auto control = std::make_shared<StatementControl>();
        auto outcome = std::make_shared<TableWriter::Outcome>();
        if (!m_wait->run(
                plural(static_cast<int>(keys.size()), tr("Deleting 1 row…"), tr("Deleting %1 rows…")),
                [=] { *outcome = TableWriter::deleteNow(settings, table, keyColumn, keys, control); }, control,
                settings))
            return; // quitting
        if (!outcome->succeeded()) {
            if (m_watcher)
                m_watcher->check(); // a dropped link not noticed yet: say that rather than the driver's nothing
            MessageBox::warn(this, tr("Delete failed"),
                             isOffline(m_watcher) ? serverUnreachableText(*m_watcher, tr("Nothing was deleted."))
                                                  : tr("Nothing was deleted: %1").arg(outcome->error));
            return;
        }
        model->finishDeleteNow(keys);
        if (m_liveUpdates)
            m_liveUpdates->notifyOwnWrite();
    }
    statusBar()->showMessage(plural(static_cast<int>(rowsNow.size()), tr("Deleted 1 row."), tr("Deleted %1 rows.")),
                             5000);
}

void MainWindow::setSelectionToNull()
{
    if (!m_model)
        return;
    const QModelIndexList indexes = m_ui->tableView->selectionModel()->selectedIndexes();
    m_model->undoStack()->beginMacro(tr("Set to NULL"));
    for (const QModelIndex& index : indexes) {
        if (m_model->flags(index) & Qt::ItemIsEditable)
            m_model->setNull(index);
    }
    m_model->undoStack()->endMacro();
}

void MainWindow::copySelection()
{
    if (!m_model || !m_ui->tableView->selectionModel())
        return;
    QModelIndexList indexes = m_ui->tableView->selectionModel()->selectedIndexes();
    if (indexes.isEmpty())
        return;
    std::sort(indexes.begin(), indexes.end());
    std::set<int> columns;
    for (const QModelIndex& index : indexes)
        columns.insert(index.column());
    QList<QStringList> rows;
    int lastRow = -1;
    for (const QModelIndex& index : indexes) {
        if (index.row() != lastRow) {
            rows.append(QStringList());
            lastRow = index.row();
        }
        rows.last() << index.data(Qt::EditRole).toString();
    }
    QGuiApplication::clipboard()->setText(TabSeparatedText::format(rows));
    statusBar()->showMessage(plural(static_cast<int>(indexes.size()), tr("Copied 1 cell."), tr("Copied %1 cells.")),
                             3000);
}

void MainWindow::pasteIntoCells()
{
    if (!m_model)
        return;
    const QModelIndex current = m_ui->tableView->currentIndex();
    if (!current.isValid())
        return;
    const QList<QStringList> rows = TabSeparatedText::parse(QGuiApplication::clipboard()->text());
    if (rows.isEmpty())
        return;
    m_model->undoStack()->beginMacro(tr("Paste"));
    for (int offset = 0; offset < rows.size(); ++offset) {
        int row = current.row() + offset;
        while (row >= m_model->rowCount())
            m_model->addRow();
        const QStringList& fields = rows.at(offset);
        for (int field = 0; field < fields.size(); ++field) {
            const QModelIndex target = m_model->index(row, current.column() + field);
            if (target.isValid() && (m_model->flags(target) & Qt::ItemIsEditable))
                m_model->setData(target, fields.at(field));
        }
    }
    m_model->undoStack()->endMacro();
}

void MainWindow::pasteAsNewRows()
{
    if (!m_model || m_model->nameColumn() < 0)
        return;
    const QList<QStringList> rows = TabSeparatedText::parse(QGuiApplication::clipboard()->text());
    if (rows.isEmpty())
        return;
    m_model->undoStack()->beginMacro(tr("Paste as new rows"));
    int row = -1;
    for (const QStringList& fields : rows) {
        row = m_model->addRow();
        m_model->setData(m_model->index(row, m_model->nameColumn()), fields.value(0));
    }
    m_model->undoStack()->endMacro();
    m_ui->viewStack->setCurrentWidget(m_ui->tableView);
    m_ui->tableView->scrollTo(m_model->index(row, m_model->nameColumn()));
    statusBar()->showMessage(plural(static_cast<int>(rows.size()), tr("Pasted 1 new row; Save writes it."),
                                    tr("Pasted %1 new rows; Save writes them.")),
                             5000);
}

bool MainWindow::refusedWhileOffline(const QString& title, const QString& outcome)
{
    if (!isOffline(m_watcher))
        return false;
    MessageBox::warn(this, title, serverUnreachableText(*m_watcher, outcome));
    return true;
}

TableCatalog::Outcome MainWindow::runCatalogJob(const QString& status,
                                                const std::function<TableCatalog::Outcome()>& job)
{
    auto outcome = std::make_shared<TableCatalog::Outcome>();
    if (!m_wait->run(status, [job, outcome] { *outcome = job(); }))
        return { tr("pgdesk is closing."), -1, {} }; // a DROP may still commit meanwhile
    return *outcome;
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
        = runCatalogJob(tr("Counting the rows of %1…").arg(table.display()),
                        [settings, table] { return TableCatalog::countRows(settings, table); });
    if (m_model.get() != model || m_session.get() != session)
        return; // the connection or the table changed while counting: this drop is void
    const qint64 rowCount = counted.rows >= 0 ? counted.rows : m_model->totalRowCount();
    DropTableDialog dialog(table.display(), rowCount, m_model->pendingChangeCount(), this);
    dialog.setObjectName(u"dropTableDialog"_s);
    if (dialog.exec() != QDialog::Accepted || m_model.get() != model || m_session.get() != session)
        return;
    const TableCatalog::Outcome dropped = runCatalogJob(tr("Dropping %1…").arg(table.display()), [settings, table] {
        return TableCatalog::dropTable(settings, table);
    });
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
    showEmptyState(tr("The table %1 was dropped.").arg(table.display()), EmptyStateAction::CreateTable);
    updateActions();
    updateStatus();
}

void MainWindow::createTable()
{
    if (!m_session)
        return;
    if (!m_session->ensureTable()) {
        MessageBox::warn(this, tr("Create table failed"), m_session->lastError().fullText());
        return;
    }
    m_tableMissing = false;
    bindModel();
    updateActions();
    updateStatus();
}

bool MainWindow::settlePendingChanges(const QString& reason)
{
    if (!m_model || !m_model->hasPendingChanges())
        return true;
    const int count = m_model->pendingChangeCount();
    const auto answer
        = MessageBox::ask(this, tr("Unsaved changes"),
                          (m_model->pendingDeleteCount() == 0
                               ? plural(count, tr("You have 1 unsaved change."), tr("You have %1 unsaved changes."))
                               : tr("You have %1 unsaved and %2 marked for deletion.")
                                     .arg(changesText(count), rowsText(m_model->pendingDeleteCount())))
                              + u' ' + reason,
                          QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        if (!isOffline(m_watcher) && writeStagedChanges())
            return true;
        if (m_watcher)
            m_watcher->check();
        MessageBox::warn(this, tr("Save failed"),
                         isOffline(m_watcher) ? serverUnreachableText(*m_watcher, unsavedKeptText(count))
                                              : m_model->lastSaveError());
        return false;
    }
    if (answer == QMessageBox::Discard) {
        m_model->discardChanges();
        return true;
    }
    return false;
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
    if (!settlePendingChanges(tr("Save them before closing?"))) {
        event->ignore();
        return;
    }
    saveViewSettings();
    event->accept();
}

void MainWindow::changeConnection()
{
    if (!settlePendingChanges(tr("Save them before changing the connection?")))
        return;
    StartupFlow flow(m_resolution);
    std::unique_ptr<DatabaseSession> session = flow.connect(this, true);
    if (!session)
        return;
    saveViewSettings();
    m_resolution = flow.resolution();
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
    QMessageBox::about(this, tr("About pgdesk"),
                       tr("<b>pgdesk %1</b><p>A desktop editor for one PostgreSQL table, configured from a "
                          ".env file.</p>")
                           .arg(QStringLiteral(PGDESK_VERSION)));
}
