// Just past 600 lines: the grid's whole behaviour around a window of rows (moves, where the grid
// stands after each load, selection and current cell kept by key, the empty state, column widths).
// The column layout (applyColumnLayout, fitColumnsToRows) is what to move out next if it grows.
#include "gui/TableBrowser.h"

#include "connection/ConnectionWatcher.h"
#include "gui/CellDelegate.h"
#include "gui/ColumnStretch.h"
#include "gui/MainWindow.h"
#include "gui/StatusBarPanel.h"
#include "gui/WholeTableScrollBar.h"
#include "model/TableModel.h"
#include "ui_MainWindow.h"

#include <QApplication>
#include <QHeaderView>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSignalBlocker>

#include <set>

using namespace Qt::StringLiterals;

namespace {
// Where a new row's typing goes: the tutorial's name, else the text column the search box
// filters, else the first column that is not the key (which the server numbers and nobody edits).
int firstColumnToType(const TableModel* model)
{
    if (model->nameColumn() >= 0)
        return model->nameColumn();
    if (model->filterColumn() >= 0 && !model->isFilterTyped())
        return model->filterColumn();
    // A key the server does not fill in (a composite key's tenant_id) must be typed before Save.
    for (int column : model->keyColumns()) {
        if (!model->hasServerDefault(column))
            return column;
    }
    for (int column = 0; column < model->columnCount(); ++column) {
        if (!model->isKeyColumn(column))
            return column;
    }
    return 0;
}
} // namespace

TableBrowser::TableBrowser(MainWindow* window, Ui::MainWindow& ui, StatusBarPanel* status)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
    , m_status(status)
{
    QTableView* view = m_ui.tableView;
    // Fixed sections: a vertical header sized to contents costs time per row.
    QHeaderView* rows = view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(window->fontMetrics().height() + 10);
    rows->hide();
    m_columnStretch = new ColumnStretch(view->horizontalHeader());
    view->horizontalHeader()->setSortIndicatorShown(true);
    // After QTableView's own connection (made by setSortingEnabled() in setupUi()), which has
    // asked the model to sort by then.
    connect(view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, &TableBrowser::refuseUnsortableColumn);
    auto* delegate = new CellDelegate(view);
    view->setItemDelegate(delegate);
    connect(delegate, &CellDelegate::textRefused, this, [this](const QString& reason) {
        emit statusMessage(reason + u' ' + tr("Esc leaves the cell as it was."), 15000);
    });
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->addActions(
        { m_ui.actionCopy, m_ui.actionPaste, m_ui.actionPasteAsNewRows, m_ui.actionSetNull, m_ui.actionDeleteRows });

    connect(m_ui.emptyStateButton, &QPushButton::clicked, this, &TableBrowser::runEmptyStateAction);
    // An edit in progress postpones a live refresh; it runs as soon as the editor closes.
    connect(view->itemDelegate(), &QAbstractItemDelegate::closeEditor, this, [this] {
        if (m_liveRefreshPending)
            QTimer::singleShot(0, this, &TableBrowser::liveRefresh);
    });
    m_scrollBar = new WholeTableScrollBar(view);
    view->setVerticalScrollBar(m_scrollBar);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, &TableBrowser::onScrolled);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, &TableBrowser::updateScrollBar);
    connect(m_scrollBar, &QScrollBar::rangeChanged, this, &TableBrowser::updateScrollBar);
    connect(m_scrollBar, &WholeTableScrollBar::thumbMoved, this, &TableBrowser::onThumbMoved);
    connect(m_scrollBar, &WholeTableScrollBar::thumbReleased, this, &TableBrowser::onThumbReleased);
}

void TableBrowser::updateScrollBar()
{
    const TableModel* model = m_window->model();
    if (!model || !model->hasKey()) {
        m_scrollBar->setWholeRange(-1, -1, false, true);
        return;
    }
    const qint64 start = model->windowStartPosition();
    const int topRow = qMax(0, m_ui.tableView->rowAt(0));
    const qint64 top = start < 0 ? -1 : start + qMin(topRow, qMax(0, model->serverRowCount() - 1));
    m_scrollBar->setWholeRange(model->orderRowCount(), top, model->isWindowStartEstimated(),
                               model->atStart() && model->atEnd());
}

void TableBrowser::onThumbMoved(double fraction)
{
    m_draggedPlace = fraction;
    const TableModel* model = m_window->model();
    if (model && !model->isLoading())
        jumpToDraggedPlace();
}

void TableBrowser::onThumbReleased(double fraction)
{
    m_draggedPlace = fraction;
    jumpToDraggedPlace(); // even while a move runs: the place the user let go of wins
}

void TableBrowser::jumpToDraggedPlace()
{
    TableModel* model = m_window->model();
    if (!model || !m_draggedPlace)
        return;
    // The arriving rows reset the grid: an open editor gives its text to the model first (the
    // delegate commits on losing focus), so nothing typed is lost to the drag.
    if (isEditingCell())
        m_ui.tableView->setFocus();
    const double fraction = *std::exchange(m_draggedPlace, std::nullopt);
    m_afterLoad = fraction <= 0 ? AfterLoad::Top : fraction >= 1 ? AfterLoad::Bottom : AfterLoad::JumpPlace;
    model->loadAtFraction(fraction);
}

void TableBrowser::refuseUnsortableColumn(int column)
{
    const TableModel* model = m_window->model();
    if (!model || column < 0 || column >= model->columnCount() || model->isSortableColumn(column))
        return;
    // The model kept its order: the arrow goes back to it, without the view sorting again (which
    // would send the grid back to its first rows).
    QHeaderView* header = m_ui.tableView->horizontalHeader();
    {
        const QSignalBlocker quiet(header);
        header->setSortIndicator(model->sortColumn(), model->sortOrder());
    }
    header->viewport()->update();
    emit statusMessage(tr("Rows cannot be sorted by %1: its type, %2, has no order.")
                           .arg(model->headerData(column, Qt::Horizontal).toString(), model->columnTypeSql(column)),
                       8000);
}

void TableBrowser::forgetTable()
{
    m_rememberedCell.reset();
    m_rememberedSelection.clear();
    m_editAfterLoad.reset();
    m_liveGeneration.reset();
    m_status->hideDeletedElsewhere();
}

void TableBrowser::applyColumnLayout(const QByteArray& headerState)
{
    TableModel* model = m_window->model();
    QTableView* view = m_ui.tableView;
    // Before any width is set: a stretching last section would swallow the width given to it.
    m_columnStretch->setColumn(model->nameColumn());
    if (headerState.isEmpty() || !view->horizontalHeader()->restoreState(headerState)) {
        const QFontMetrics metrics = m_window->fontMetrics();
        view->resizeColumnToContents(0);
        view->setColumnWidth(0, qMax(view->columnWidth(0), metrics.horizontalAdvance(tr("default")) + 24));
        // Room for the tutorial's name, or for the first other text a row is read by; not for a
        // number that happens to stand second (a composite key's id).
        int wide = model->nameColumn();
        for (int column = 0; wide < 0 && column < model->columnCount(); ++column) {
            if (model->isTextColumn(column) && !model->isKeyColumn(column))
                wide = column;
        }
        if (wide >= 0)
            view->setColumnWidth(wide, qMax(view->columnWidth(wide), 260));
        // The name stretches now, not the last column: a timestamp column gets room for its value.
        const int timestampWidth = metrics.horizontalAdvance(u"0000-00-00 00:00:00.000000"_s) + 24;
        for (int column = 0; column < model->columnCount(); ++column) {
            if (model->isTimestampColumn(column))
                view->setColumnWidth(column, qMax(view->columnWidth(column), timestampWidth));
        }
        // The rows are not there yet (they come from a worker): the other columns fit them later.
        m_fitColumnsAfterLoad = true;
    }
    m_columnStretch->setColumn(model->nameColumn()); // again: restoreState() brings back old modes
}

void TableBrowser::reloadKeepingPosition()
{
    m_afterLoad = AfterLoad::KeepPosition;
    // Scrolled to the very top of the table, the view stays there: a row another client added
    // before the first one then shows, instead of sitting just above the rows in view.
    if (m_window->model()->atStart() && m_ui.tableView->verticalScrollBar()->value() == 0)
        m_topRow.reset();
    else
        rememberTopRow();
    m_window->model()->reloadWindow();
}

void TableBrowser::rebindKeepingLayout()
{
    // A reopened connection has lost the model's prepared statements and, if a select failed
    // while offline, its record: bind the table again. Staged edits stay in the model.
    // The user's layout stays as it was: column widths, sort, filter, the rows in view and the
    // current cell (rebinding resets the header, which forgets its widths).
    // QSqlTableModel::setTable() empties the model, so the header forgets its sections and their
    // widths; they are put back once the rows are there (one by one: QHeaderView::restoreState()
    // would announce the sort indicator again, and the view would sort, back to the first rows).
    TableModel* model = m_window->model();
    if (!model)
        return;
    m_widthsToRestore.clear();
    for (int column = 0; column < model->columnCount(); ++column)
        m_widthsToRestore << m_ui.tableView->columnWidth(column);
    m_afterLoad = AfterLoad::KeepPosition;
    rememberTopRow();
    model->rebindKeepingPosition();
}

void TableBrowser::liveRefresh()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    // Never under the user's hands: an open editor or a running load postpones the refresh.
    if (isEditingCell() || model->isLoading()) {
        m_liveRefreshPending = true;
        if (model->isLoading())
            QTimer::singleShot(200, this, &TableBrowser::liveRefresh);
        return;
    }
    m_liveRefreshPending = false;
    model->snapshotWindow();
    // Only this request's window is the live reload: a sort, filter or move that replaces it
    // brings other rows, which must not flash as changed elsewhere. (The request about to be made
    // takes the next generation.)
    m_liveGeneration = model->requestGeneration() + 1;
    m_window->refresh();
}

void TableBrowser::rememberTopRow()
{
    TableModel* model = m_window->model();
    const int top = m_ui.tableView->rowAt(0);
    if (model && top >= 0 && top < model->rowCount())
        m_topRow = model->targetAt(top);
    else
        m_topRow.reset();
}

void TableBrowser::showFirstRows()
{
    if (!m_window->model())
        return;
    m_afterLoad = AfterLoad::Top;
    m_window->model()->loadFirst();
}

void TableBrowser::showLastRows()
{
    if (!m_window->model())
        return;
    m_afterLoad = AfterLoad::Bottom;
    m_window->model()->loadLast();
}

void TableBrowser::showNextRows()
{
    TableModel* model = m_window->model();
    if (!model || model->atEnd())
        return;
    m_afterLoad = AfterLoad::Top;
    model->loadNext();
}

void TableBrowser::showPreviousRows()
{
    TableModel* model = m_window->model();
    if (!model || model->atStart())
        return;
    m_afterLoad = AfterLoad::Bottom;
    model->loadPrevious();
}

void TableBrowser::onScrolled(int value)
{
    // Reaching either end of the window slides it by half, keeping the rows in view where they
    // are: the grid scrolls on through any number of rows while holding only one window.
    TableModel* model = m_window->model();
    if (!model || model->isLoading() || m_scrollingByProgram || isEditingCell())
        return;
    const QScrollBar* bar = m_ui.tableView->verticalScrollBar();
    const int half = model->windowSize() / 2;
    if (value == bar->maximum() && bar->maximum() > 0 && !model->atEnd()) {
        m_afterLoad = AfterLoad::KeepPosition;
        rememberTopRow();
        model->loadNext(half);
    } else if (value == bar->minimum() && !model->atStart()) {
        m_afterLoad = AfterLoad::KeepPosition;
        rememberTopRow();
        model->loadPrevious(half);
    }
}

void TableBrowser::onModelReset()
{
    TableModel* model = m_window->model();
    if (!m_widthsToRestore.isEmpty() && model->columnCount() == m_widthsToRestore.size()) {
        for (int column = 0; column < m_widthsToRestore.size(); ++column)
            m_ui.tableView->setColumnWidth(column, m_widthsToRestore.at(column));
        m_widthsToRestore.clear();
    }
    restoreSelection();
    updateViewOrEmptyState();
}

void TableBrowser::fitColumnsToRows()
{
    const TableModel* model = m_window->model();
    QTableView* view = m_ui.tableView;
    // Wide enough for the values in view (an exact numeric, a uuid), within a limit, so one long
    // json value does not push every other column out of sight; never narrower than it was.
    // Measured in digits, which are wider than the font's average character: 40 average ones cut
    // a uuid's last characters.
    const int widest = m_window->fontMetrics().horizontalAdvance(QString(44, u'0'));
    // A uuid, text or timestamp key is what tells its rows apart, so it is shown whole (two
    // readings a microsecond apart); a serial id keeps its narrow column.
    const bool fitKey = model->hasKey() && !model->isIntegerKey();
    for (int column = 0; column < model->columnCount(); ++column) {
        const bool key = model->isKeyColumn(column);
        if ((column == 0 && !(fitKey && key)) || column == model->nameColumn() || (key && !fitKey)
            || (model->isTimestampColumn(column) && !key))
            continue;
        const int before = view->columnWidth(column);
        view->resizeColumnToContents(column);
        view->setColumnWidth(column, qBound(before, view->columnWidth(column), qMax(before, widest)));
    }
}

void TableBrowser::onWindowLoaded()
{
    TableModel* model = m_window->model();
    if (std::exchange(m_fitColumnsAfterLoad, false))
        fitColumnsToRows();
    placeAfterLoad(true);
    if (m_liveGeneration && *m_liveGeneration == model->requestGeneration()) {
        m_liveGeneration.reset();
        model->highlightChangesSinceSnapshot();
        // Other clients may have added or removed rows: a small table's exact total is counted
        // again (on the worker), so the status bar never passes an old count off as exact.
        if (model->isTotalExact())
            model->countMatchingRows();
        model->checkStagedKeysDeletedElsewhere(); // the status bar hears back by signal
    }
    updateViewOrEmptyState();
    updateScrollBar();
    if (m_draggedPlace)
        jumpToDraggedPlace(); // the thumb moved on while these rows were read
}

void TableBrowser::onFirstMatchesShown()
{
    // What follows a reset of the grid happens now, not when the rest of the window arrives
    // below: by then the user may have picked or be editing one of the first matches, and
    // moving the current cell (or reopening an editor elsewhere) would pick another.
    placeAfterLoad(false);
    updateViewOrEmptyState();
    updateScrollBar();
    // A live refresh that came back as a search's first matches ends with the rest, which is the
    // next request.
    TableModel* model = m_window->model();
    if (m_liveGeneration && *m_liveGeneration == model->requestGeneration())
        ++*m_liveGeneration;
}

void TableBrowser::placeAfterLoad(bool complete)
{
    TableModel* model = m_window->model();
    QTableView* view = m_ui.tableView;
    if (m_afterLoad == AfterLoad::Top) {
        view->scrollToTop();
        view->setCurrentIndex(model->index(0, view->currentIndex().isValid() ? view->currentIndex().column() : 1));
    } else if (m_afterLoad == AfterLoad::Bottom) {
        view->scrollToBottom();
        const int last = model->rowCount() - 1;
        view->setCurrentIndex(model->index(last, view->currentIndex().isValid() ? view->currentIndex().column() : 1));
    } else if (m_afterLoad == AfterLoad::JumpPlace) {
        // The row the thumb's place was found for goes to the top, so the first row in view is
        // the one the drag's tooltip named.
        if (const int row = model->rowAtJumpPlace(); row >= 0) {
            const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
            view->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtTop);
        }
    } else if (m_topRow) {
        int row = -1;
        if (m_topRow->isNewRow) {
            const int position = model->stagedEdits().newRowPosition(m_topRow->serial);
            row = position < 0 ? -1 : model->serverRowCount() + position;
        } else {
            row = model->rowForKey(m_topRow->key);
        }
        if (row >= 0) {
            const QSignalBlocker blocker(view->verticalScrollBar()); // not a user scroll
            view->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtTop);
            m_topRow.reset();
        }
    }
    if (m_editAfterLoad) {
        if (const int row = rowOf(m_editAfterLoad->target); row >= 0) {
            const QModelIndex index = model->index(row, m_editAfterLoad->column);
            const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
            view->setCurrentIndex(index);
            view->scrollTo(index);
            view->edit(index);
        }
        m_editAfterLoad.reset();
    }
    if (m_selectKeyAfterLoad) {
        const int row = model->rowForKey(*m_selectKeyAfterLoad);
        if (row >= 0) {
            const int column = firstColumnToType(model);
            view->setCurrentIndex(model->index(row, column));
            view->scrollTo(model->index(row, column));
        }
        // Not among a search's first matches: maybe in the rest.
        if (row >= 0 || complete)
            m_selectKeyAfterLoad.reset();
    }
    m_afterLoad = AfterLoad::KeepPosition;
    if (complete)
        m_topRow.reset();
}

void TableBrowser::onWindowFailed(const QString& message, bool cancelled)
{
    m_draggedPlace.reset();
    m_editAfterLoad.reset(); // the rows stay: an open editor stays open too
    m_afterLoad = AfterLoad::KeepPosition;
    m_topRow.reset();
    updateScrollBar(); // the rows shown may be a search's first matches now
    if (cancelled && m_window->model()->showsFirstMatchesOnly()) {
        emit statusMessage(tr("Search stopped: the %n match(es) found so far are shown; the next page searches on.",
                              nullptr, m_window->model()->serverRowCount()),
                           8000);
        return;
    }
    if (cancelled) {
        emit statusMessage(tr("Cancelled on the server; the rows shown are from before."), 8000);
        return;
    }
    if (ConnectionWatcher* watcher = m_window->connectionWatcher())
        watcher->check(); // maybe the connection is gone: the watcher takes over from here
    emit statusMessage(tr("Reading rows failed: %1").arg(message.section(u'\n', 0, 0)), 15000);
    if (m_window->model()->rowCount() == 0)
        showEmptyState(tr("The rows could not be read:\n%1").arg(message));
}

void TableBrowser::updateViewOrEmptyState()
{
    const TableModel* model = m_window->model();
    if (!model)
        return;
    if (model->rowCount() == 0 && !model->nameFilter().isEmpty() && model->filterColumn() >= 0) {
        const QString shown = model->nameFilter().text().left(200);
        const QString column = model->record().fieldName(model->filterColumn());
        const bool exact = model->nameFilter().mode() == NameFilter::Mode::Exact;
        const std::optional<NameFilter::Comparison> comparison
            = model->isFilterTyped() ? model->nameFilter().comparison() : std::nullopt;
        const QString text = comparison
            ? tr("No row where %1 %2.")
                  .arg(column, QString(comparison->op + u' ' + comparison->value.left(200)).trimmed())
            : column == u"name"
            ? (exact ? tr("No row has the name “%1”.") : tr("No name contains “%1”.")).arg(shown)
            : (exact ? tr("No row has “%2” in %1.") : tr("No %1 contains “%2”.")).arg(column, shown);
        showEmptyState(text, EmptyStateAction::ClearFilter);
        return;
    }
    if (model->rowCount() == 0 && !model->isLoading()) {
        const bool editable = model->hasKey() && !m_window->isReadOnly();
        QString text = tr("The table %1 has no rows.").arg(model->tableName().display());
        if (editable)
            text += u'\n'
                + tr("Add row (%1) adds one.").arg(m_ui.actionAddRow->shortcut().toString(QKeySequence::NativeText));
        showEmptyState(text, editable ? EmptyStateAction::AddRow : EmptyStateAction::None);
        return;
    }
    m_ui.viewStack->setCurrentWidget(m_ui.tableView);
}

void TableBrowser::showEmptyState(const QString& text, EmptyStateAction action)
{
    m_emptyStateAction = action;
    m_ui.emptyStateLabel->setText(text);
    m_ui.emptyStateButton->setVisible(action != EmptyStateAction::None);
    if (action == EmptyStateAction::CreateTable)
        m_ui.emptyStateButton->setText(tr("Create table"));
    else if (action == EmptyStateAction::ClearFilter)
        m_ui.emptyStateButton->setText(tr("Clear filter"));
    else if (action == EmptyStateAction::AddRow)
        m_ui.emptyStateButton->setText(tr("Add row"));
    const bool gridHadFocus = m_ui.tableView->hasFocus();
    m_ui.viewStack->setCurrentWidget(m_ui.emptyStatePage);
    if (gridHadFocus && action != EmptyStateAction::None)
        m_ui.emptyStateButton->setFocus(); // keys (Ctrl+Shift+V, Enter) keep working on the page
}

void TableBrowser::runEmptyStateAction()
{
    if (m_emptyStateAction == EmptyStateAction::CreateTable)
        emit createTableRequested();
    else if (m_emptyStateAction == EmptyStateAction::ClearFilter)
        emit clearFilterRequested();
    else if (m_emptyStateAction == EmptyStateAction::AddRow)
        addRow();
}

void TableBrowser::commitOpenEditors(bool inPlace)
{
    // Every editor the view holds is a child of its viewport, focused or not (a date editor whose
    // inner field lost the focus to the search box stays open).
    std::optional<CellPosition> reopen;
    for (QWidget* editor : m_ui.tableView->viewport()->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
        if (!editor->property(CellDelegate::cellEditorProperty).toBool() || !editor->isVisible())
            continue; // not an editor, or one closed and waiting for deleteLater()
        // What the view does when an editor loses its focus; the delegate's signals are the
        // view's only public way in, and the view stages on the index it opened the editor for.
        // A text the cell's check would refuse is staged too: Save then says what the server
        // refused, and the text is not lost.
        const QModelIndex index = m_ui.tableView->indexAt(editor->geometry().center());
        QAbstractItemDelegate* delegate = m_ui.tableView->itemDelegateForIndex(index);
        emit delegate->commitData(editor);
        emit delegate->closeEditor(editor, QAbstractItemDelegate::NoHint);
        if (const auto cell = cellPositionOf(index); cell && (inPlace || cell->target.isNewRow))
            reopen = cell;
    }
    // Also forgets a reopen planned by addRow() for an editor the user has closed since.
    m_editAfterLoad = reopen;
}

bool TableBrowser::isEditingCell() const
{
    const QWidget* focus = QApplication::focusWidget();
    return focus && focus != m_ui.tableView && m_ui.tableView->isAncestorOf(focus);
}

QList<int> TableBrowser::selectedRows() const
{
    std::set<int> rows;
    if (!m_ui.tableView->selectionModel())
        return {};
    const QModelIndexList indexes = m_ui.tableView->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : indexes)
        rows.insert(index.row());
    return QList<int>(rows.begin(), rows.end());
}

std::optional<TableBrowser::CellPosition> TableBrowser::cellPositionOf(const QModelIndex& index) const
{
    const TableModel* model = m_window->model();
    if (!model || !index.isValid() || (!model->hasKey() && !model->isNewRow(index.row())))
        return std::nullopt;
    const StagedEdits::Target target = model->targetAt(index.row());
    if (target.isNewRow && target.serial < 0)
        return std::nullopt;
    return CellPosition{ target, index.column() };
}

int TableBrowser::rowOf(const StagedEdits::Target& target) const
{
    const TableModel* model = m_window->model();
    if (!target.isNewRow)
        return model->rowForKey(target.key);
    const int position = model->stagedEdits().newRowPosition(target.serial);
    return position < 0 ? -1 : model->serverRowCount() + position;
}

void TableBrowser::rememberSelection()
{
    // By primary key (or a new row's serial), never by row number: a reload renumbers the rows
    // whenever another client inserted or deleted one above, and the grid must go on acting on
    // exactly the rows the user picked. A reset to no rows at all (QSqlTableModel::setTable()
    // clears the model before a rebind) carries what was remembered on to the next one.
    const TableModel* model = m_window->model();
    if (model && (model->rowCount() == 0 || model->columnCount() == 0)
        && (m_rememberedCell || !m_rememberedSelection.isEmpty()))
        return;
    m_rememberedCell = cellPositionOf(m_ui.tableView->currentIndex());
    m_rememberedSelection.clear();
    if (const QItemSelectionModel* selection = m_ui.tableView->selectionModel()) {
        const QModelIndexList indexes = selection->selectedIndexes();
        for (const QModelIndex& index : indexes) {
            if (const auto position = cellPositionOf(index))
                m_rememberedSelection.append(*position);
        }
    }
}

void TableBrowser::restoreSelection()
{
    const TableModel* model = m_window->model();
    QItemSelectionModel* selectionModel = m_ui.tableView->selectionModel();
    // setTable() resets to no columns (and, with unsaved new rows, not to no rows): wait for the
    // reset that brings the rows back.
    if (!model || !selectionModel || model->rowCount() == 0 || model->columnCount() == 0)
        return;
    QItemSelection selection;
    for (const CellPosition& position : std::as_const(m_rememberedSelection)) {
        const int row = rowOf(position.target);
        if (row >= 0) {
            const QModelIndex index = model->index(row, position.column);
            selection.select(index, index);
        }
    }
    m_rememberedSelection.clear();
    // Not a user scroll: the rows in view are put back by onWindowLoaded().
    const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    if (m_rememberedCell) {
        if (const int row = rowOf(m_rememberedCell->target); row >= 0)
            selectionModel->setCurrentIndex(model->index(row, m_rememberedCell->column), QItemSelectionModel::NoUpdate);
    }
    m_rememberedCell.reset();
}

void TableBrowser::addRow()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    if (m_ui.viewStack->currentWidget() != m_ui.tableView)
        m_ui.viewStack->setCurrentWidget(m_ui.tableView);
    const int row = model->addRow();
    const int column = firstColumnToType(model);
    const QModelIndex index = model->index(row, column);
    {
        // New rows follow the window's rows, so bringing one into view reaches the end of the
        // scroll range, which would slide the window: that reload would close the editor and
        // the user's typing would go nowhere. onScrolled() leaves an open editor alone too.
        const QScopedValueRollback notAUserScroll(m_scrollingByProgram, true);
        m_ui.tableView->setCurrentIndex(index);
        m_ui.tableView->scrollTo(index);
    }
    m_ui.tableView->setFocus();
    m_ui.tableView->edit(index);
    // The arriving rows reset the grid; not the rest of a search's window, which is added below.
    if (model->isLoading() && !model->showsFirstMatchesOnly())
        m_editAfterLoad = CellPosition{ model->targetAt(row), column };
}

void TableBrowser::setSelectionToNull()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    const QModelIndexList indexes = m_ui.tableView->selectionModel()->selectedIndexes();
    model->undoStack()->beginMacro(tr("Set to NULL"));
    for (const QModelIndex& index : indexes) {
        if (model->flags(index) & Qt::ItemIsEditable)
            model->setNull(index);
    }
    model->undoStack()->endMacro();
}

void TableBrowser::followSelectedCell(const QItemSelection& selected)
{
    QItemSelectionModel* selection = m_ui.tableView->selectionModel();
    const QModelIndexList cells = selected.indexes();
    // Mouse and keyboard selections always hold the current cell; only a programmatic one does not.
    if (cells.size() == 1 && !selection->isSelected(m_ui.tableView->currentIndex()))
        selection->setCurrentIndex(cells.first(), QItemSelectionModel::NoUpdate);
}
