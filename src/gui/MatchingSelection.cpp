#include "gui/MatchingSelection.h"

#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "connection/StatementControl.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/NetworkWait.h"
#include "gui/OfflineGuard.h"
#include "gui/SaveFlow.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"
#include "transfer/MatchingRows.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QClipboard>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSqlRecord>
#include <QTimer>

#include <climits>

using namespace Qt::StringLiterals;

namespace {
// %Ln takes an int; tables past two billion rows still get a number, if a rounded one.
int plural(qint64 count)
{
    return static_cast<int>(std::min<qint64>(count, INT_MAX));
}
} // namespace

MatchingSelection::MatchingSelection(MainWindow* window, Ui::MainWindow& ui, NetworkWait* wait, SaveFlow* saveFlow)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
    , m_wait(wait)
    , m_saveFlow(saveFlow)
{
    m_selectAllAction = new QAction(tr("Se&lect all"), window);
    m_selectAllAction->setObjectName(u"actionSelectAll"_s);
    m_selectAllAction->setShortcut(QKeySequence::SelectAll);
    m_selectAllAction->setToolTip(
        tr("Select every row in view; press again to select all rows that match the filter (%1)")
            .arg(QKeySequence(QKeySequence::SelectAll).toString(QKeySequence::NativeText)));
    // Ctrl+A in the search box or a cell editor selects their text: a QLineEdit claims the key
    // before a window shortcut sees it.
    m_ui.editMenu->insertAction(m_ui.actionCopy, m_selectAllAction);
    m_ui.editMenu->insertSeparator(m_ui.actionCopy);
    connect(m_selectAllAction, &QAction::triggered, this, &MatchingSelection::selectAll);
    // Without an active window (no window manager, another application in front) a window
    // shortcut does not fire and the grid would run its own select-all, which offers nothing.
    m_filteredView = m_ui.tableView;
    m_ui.tableView->installEventFilter(this);

    m_bar = new QFrame(m_ui.centralWidget);
    m_bar->setObjectName(u"matchingSelectionBar"_s);
    m_bar->setFrameShape(QFrame::StyledPanel);
    m_bar->setAutoFillBackground(true);
    m_bar->setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(m_bar);
    layout->setContentsMargins(8, 4, 8, 4);
    m_barLabel = new QLabel(m_bar);
    m_barLabel->setObjectName(u"matchingSelectionLabel"_s);
    m_barLabel->setWordWrap(true);
    m_barButton = new QPushButton(m_bar);
    m_barButton->setObjectName(u"matchingSelectionButton"_s);
    layout->addWidget(m_barLabel, 1);
    layout->addWidget(m_barButton);
    m_bar->hide();
    m_ui.centralLayout->insertWidget(0, m_bar);
    connect(m_barButton, &QPushButton::clicked, this, [this] {
        if (m_state == State::AllMatching)
            clear();
        else
            selectAllMatching();
    });
}

bool MatchingSelection::eventFilter(QObject* watched, QEvent* event)
{
    // m_filteredView, not m_ui.tableView: while ~QWidget closes the window it still sends the view
    // events, and the window's Ui struct is gone by then (ASan: heap-use-after-free).
    if (watched == m_filteredView && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->matches(QKeySequence::SelectAll)) {
        selectAll();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void MatchingSelection::bindModel(TableModel* model, QItemSelectionModel* selection)
{
    setState(State::None);
    m_model = model;
    if (!model || !selection)
        return;
    // Connected after the window's own handlers, which put back the remembered selection and the
    // current cell first.
    connect(model, &QAbstractItemModel::modelReset, this, &MatchingSelection::onReloaded);
    connect(model, &TableModel::windowLoaded, this, &MatchingSelection::onReloaded);
    // A load that failed or was cancelled leaves rows of another filter, or none: the set is over.
    connect(model, &TableModel::windowFailed, this, [this] { setState(State::None); });
    connect(model, &TableModel::loadingChanged, this, [this](bool loading) {
        if (loading && m_state == State::Offered)
            setState(State::None);
    });
    connect(model, &TableModel::matchingRowCountReady, this, &MatchingSelection::updateBar);
    connect(model, &TableModel::statisticsChanged, this, &MatchingSelection::updateBar);
    connect(selection, &QItemSelectionModel::selectionChanged, this, &MatchingSelection::onSelectionChanged);
}

bool MatchingSelection::isActive() const
{
    return m_state == State::AllMatching && m_model && m_model == m_window->model() && showsChosenSet()
        && everyLoadedRowSelected();
}

bool MatchingSelection::stillChosen()
{
    // After a question, a count or a save: a reload of the same rows may be under way (it selects
    // every row again when it lands), but the grid must still show the chosen filter's rows.
    const TableModel* model = m_window->model();
    const bool chosen = m_state == State::AllMatching && m_model && m_model == model
        && model->shownFilterSql() == m_filterSql && model->keysetOrder().filterSql == m_filterSql;
    if (!chosen)
        emit statusMessage(tr("The selection changed meanwhile: nothing was done."), 8000);
    return chosen;
}

bool MatchingSelection::showsChosenSet() const
{
    // The grid shows rows of the chosen filter, and no other filter is on its way: a new filter
    // applies at once to what the server would be asked, while its rows come later or not at all.
    const TableModel* model = m_window->model();
    return model && !model->isLoading() && model->shownFilterSql() == m_filterSql
        && model->keysetOrder().filterSql == m_filterSql;
}

bool MatchingSelection::everyLoadedRowSelected() const
{
    const QItemSelectionModel* selection = m_ui.tableView->selectionModel();
    const TableModel* model = m_window->model();
    if (!selection || !model || model->rowCount() == 0)
        return false;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (!selection->isRowSelected(row, QModelIndex()))
            return false;
    }
    return true;
}

bool MatchingSelection::holdsEveryMatch() const
{
    const TableModel* model = m_window->model();
    return model && model->atStart() && model->atEnd();
}

void MatchingSelection::selectAll()
{
    TableModel* model = m_window->model();
    if (!model || m_ui.viewStack->currentWidget() != m_ui.tableView)
        return;
    // The second Ctrl+A takes the offer the first one made.
    if (m_state == State::Offered && everyLoadedRowSelected()) {
        selectAllMatching();
        return;
    }
    {
        const QScopedValueRollback selecting(m_selecting, true);
        m_ui.tableView->selectAll();
    }
    m_ui.tableView->setFocus();
    // Only a keyed table is read as one set; without a key nothing is paged either.
    setState(holdsEveryMatch() || !model->hasKey() || model->isLoading() ? State::None : State::Offered);
}

void MatchingSelection::selectAllMatching()
{
    TableModel* model = m_window->model();
    if (!model || !model->hasKey())
        return;
    // Only the set the grid shows: not while rows load, nor when the last filter's rows never came.
    const std::optional<QString> shown = model->shownFilterSql();
    if (model->isLoading() || !shown || *shown != model->keysetOrder().filterSql) {
        setState(State::None);
        emit statusMessage(tr("The rows of the current filter are not shown yet: select all again once they are."),
                           8000);
        return;
    }
    m_model = model;
    m_filterSql = *shown;
    {
        const QScopedValueRollback selecting(m_selecting, true);
        m_ui.tableView->selectAll();
    }
    setState(State::AllMatching);
    emit statusMessage(tr("All matching rows are selected: Delete, Copy and Export act on every one of them."), 5000);
}

void MatchingSelection::clear()
{
    const bool wasMatching = m_state == State::AllMatching;
    setState(State::None);
    if (wasMatching) {
        const QScopedValueRollback selecting(m_selecting, true);
        m_ui.tableView->clearSelection();
    }
}

void MatchingSelection::setState(State state)
{
    const bool wasActive = m_state == State::AllMatching;
    m_state = state;
    // A filter's matches get counted on the count worker, so the bar can name them.
    if (state != State::None && m_window->model() && !m_window->model()->nameFilter().isEmpty()
        && !m_window->model()->matchingRowCount())
        m_window->model()->countMatchingRows();
    updateBar();
    if (wasActive != (state == State::AllMatching))
        emit activeChanged();
}

std::pair<qint64, bool> MatchingSelection::knownCount() const
{
    const TableModel* model = m_window->model();
    if (!model)
        return { -1, false };
    if (model->nameFilter().isEmpty())
        return { model->totalRowCount(), model->isTotalExact() };
    if (const std::optional<qint64> counted = model->matchingRowCount())
        return { *counted, true };
    return { model->orderRowCount(), false };
}

QString MatchingSelection::setDescription(qint64 count) const
{
    return m_window->model()->nameFilter().isEmpty()
        ? tr("all %Ln row(s) of the table", nullptr, plural(count))
        : tr("all %Ln row(s) that match the filter", nullptr, plural(count));
}

void MatchingSelection::updateBar()
{
    if (m_state == State::None || !m_window->model()) {
        m_bar->hide();
        return;
    }
    const auto [count, exact] = knownCount();
    const int inView = m_window->model()->rowCount();
    if (m_state == State::Offered) {
        m_barLabel->setText(tr("All %Ln row(s) in view are selected.", nullptr, inView));
        m_barButton->setText(count < 0   ? tr("Select all matching rows")
                                 : exact ? tr("Select all %Ln matching row(s)", nullptr, plural(count))
                                         : tr("Select all matching rows (about %L1)").arg(count));
        m_barButton->setToolTip(tr("Delete, Copy and Export then act on every matching row, also those not "
                                   "loaded; each asks first and names the exact count (%1 again)")
                                    .arg(m_selectAllAction->shortcut().toString(QKeySequence::NativeText)));
    } else {
        m_barLabel->setText((count < 0   ? tr("All matching rows are selected.")
                                 : exact ? tr("All %Ln matching row(s) are selected.", nullptr, plural(count))
                                         : tr("All matching rows (about %L1) are selected.").arg(count))
                            + u' ' + tr("Delete, Copy and Export act on every one of them."));
        m_barButton->setText(tr("Clear selection"));
        m_barButton->setToolTip(tr("Select only the rows you pick in the grid again"));
    }
    m_bar->setAccessibleName(m_barLabel->text());
    m_barButton->setAccessibleName(m_barButton->text());
    m_bar->show();
}

void MatchingSelection::onSelectionChanged()
{
    if (m_selecting || m_state == State::None || m_checkPending)
        return;
    // Looked at once the current event is handled: a reload changes the selection on its way (the
    // remembered cells, then the current one) before onReloaded() selects every row again.
    m_checkPending = true;
    QTimer::singleShot(0, this, [this] {
        m_checkPending = false;
        // The user picked other cells: what the grid shows selected is what actions take now.
        if (m_state != State::None && !everyLoadedRowSelected())
            setState(State::None);
    });
}

void MatchingSelection::onReloaded()
{
    if (m_state == State::None)
        return;
    TableModel* model = m_window->model();
    if (m_state == State::Offered || !model || model != m_model || model->shownFilterSql() != m_filterSql
        || model->keysetOrder().filterSql != m_filterSql || (!model->isLoading() && model->rowCount() == 0)) {
        // A new window, filter or table: the offer was about other rows.
        setState(State::None);
        return;
    }
    // A reset while a load is on its way (a count renumbering the rows): the load's own arrival
    // selects its rows. isActive() stays false meanwhile.
    if (model->isLoading())
        return;
    // The window moved (scroll, sort, a live change): its rows are part of the whole set too.
    const QScopedValueRollback selecting(m_selecting, true);
    m_ui.tableView->selectAll();
    updateBar();
}

std::optional<qint64> MatchingSelection::countNow(const QString& failureTitle, const QString& outcome)
{
    const MatchingRows rows(m_window->model()->keysetOrder());
    const ConnectionSettings settings = m_window->session()->settings();
    auto control = std::make_shared<StatementControl>();
    auto result = std::make_shared<MatchingRows::Outcome>();
    if (!m_wait->run(
            tr("Counting the matching rows…"), [=] { *result = rows.count(settings, control); }, control, settings))
        return std::nullopt; // quitting
    if (!result->succeeded()) {
        if (!result->cancelled)
            MessageBox::warn(m_window, failureTitle,
                             tr("Counting the matching rows failed: %1").arg(result->error) + u'\n' + outcome);
        return std::nullopt;
    }
    return result->rows;
}

void MatchingSelection::deleteAll()
{
    // One network job at a time: a second wait would take over the first one's Cancel.
    if (!isActive() || m_wait->isWaiting() || m_window->isReadOnly())
        return;
    if (OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Delete failed"), tr("Nothing was deleted.")))
        return;
    // The delete runs on the server at once; staged edits to rows it takes would be left dangling.
    if (!m_saveFlow->settlePendingChanges(tr("Deleting all matching rows needs them saved or discarded first."))
        || !stillChosen())
        return;
    const std::optional<qint64> count = countNow(tr("Delete failed"), tr("Nothing was deleted."));
    if (!count || !stillChosen())
        return;
    if (*count == 0) {
        clear();
        emit statusMessage(tr("No rows match any more: nothing was deleted."), 8000);
        return;
    }
    const QString tableName = m_window->model()->tableName().display();
    const auto answer = MessageBox::ask(m_window, tr("Delete rows"),
                                        tr("Delete %1 from %2?").arg(setDescription(*count), tableName) + u' '
                                            + tr("They are deleted on the server at once; this cannot be undone."),
                                        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
                                        { { QMessageBox::Yes, tr("Delete %Ln row(s)", nullptr, plural(*count)) } });
    if (answer != QMessageBox::Yes || !stillChosen()) // the question ran an event loop
        return;
    const MatchingRows rows(m_window->model()->keysetOrder());
    const ConnectionSettings settings = m_window->session()->settings();
    auto control = std::make_shared<StatementControl>();
    auto result = std::make_shared<MatchingRows::Outcome>();
    const qint64 confirmed = *count;
    if (!m_wait->run(
            tr("Deleting %Ln row(s)…", nullptr, plural(confirmed)),
            [=] { *result = rows.deleteAll(settings, confirmed, control); }, control, settings))
        return; // quitting
    if (!result->succeeded()) {
        if (result->cancelled) {
            emit statusMessage(tr("Deleting was cancelled: nothing was deleted."), 8000);
            return;
        }
        MessageBox::warn(m_window, tr("Delete failed"),
                         result->countChanged
                             ? tr("Nothing was deleted: %Ln row(s) match now, not the %1 you confirmed. Another "
                                  "client changed the table meanwhile; select all matching rows again to see them.",
                                  nullptr, plural(result->rows))
                                   .arg(QLocale().toString(confirmed))
                             : tr("Nothing was deleted: %1").arg(result->error));
        return;
    }
    clear();
    if (LiveUpdates* liveUpdates = m_window->liveUpdates())
        liveUpdates->notifyOwnWrite();
    m_window->refresh();
    if (TableModel* model = m_window->model())
        model->countMatchingRows();
    emit statusMessage(tr("Deleted %Ln row(s).", nullptr, plural(result->rows)), 8000);
}

void MatchingSelection::copyAll(GridClipboard::Format format)
{
    if (!isActive() || m_wait->isWaiting())
        return;
    if (OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Copy failed"), tr("Nothing was copied.")))
        return;
    const std::optional<qint64> count = countNow(tr("Copy failed"), tr("Nothing was copied."));
    if (!count || !stillChosen())
        return;
    if (*count > clipboardRowLimit) {
        const auto answer = MessageBox::ask(
            m_window, tr("Copy rows"),
            tr("%Ln row(s) match: too many for the clipboard, which takes at most %1. Export writes them to a "
               "CSV file instead.",
               nullptr, plural(*count))
                .arg(QLocale().toString(clipboardRowLimit)),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes, { { QMessageBox::Yes, tr("Export…") } });
        if (answer == QMessageBox::Yes)
            emit exportRequested();
        return;
    }
    const auto answer
        = MessageBox::ask(m_window, tr("Copy rows"), tr("Copy %1 to the clipboard?").arg(setDescription(*count)),
                          QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes,
                          { { QMessageBox::Yes, tr("Copy %Ln row(s)", nullptr, plural(*count)) } });
    if (answer != QMessageBox::Yes || !stillChosen())
        return;
    TableModel* model = m_window->model();
    const MatchingRows rows(model->keysetOrder());
    const ConnectionSettings settings = m_window->session()->settings();
    auto control = std::make_shared<StatementControl>();
    auto result = std::make_shared<MatchingRows::Outcome>();
    if (!m_wait->run(
            tr("Reading %Ln row(s) for the clipboard…", nullptr, plural(*count)),
            [=] { *result = rows.read(settings, static_cast<int>(clipboardRowLimit), control); }, control, settings))
        return;
    model = m_window->model();
    if (!model)
        return;
    if (!result->succeeded()) {
        if (result->cancelled)
            emit statusMessage(tr("Copying was cancelled: the clipboard is as it was."), 8000);
        else
            MessageBox::warn(m_window, tr("Copy failed"), tr("Nothing was copied: %1").arg(result->error));
        return;
    }
    QList<RowsAsText::Column> columns;
    const QSqlRecord record = model->record();
    for (int column = 0; column < record.count(); ++column)
        columns.append({ record.fieldName(column), model->isNumberColumn(column) });
    const GridClipboard::Rendered rendered
        = GridClipboard::render(RowsAsText(columns, result->values), format, model->tableName());
    QGuiApplication::clipboard()->setText(rendered.text);
    // The rows come from the server: edits not saved yet are not in them.
    emit statusMessage(model->hasPendingChanges() ? rendered.message + u' ' + tr("Unsaved changes are not in the copy.")
                                                  : rendered.message,
                       8000);
}
