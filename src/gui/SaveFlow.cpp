#include "gui/SaveFlow.h"

#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "connection/StatementControl.h"
#include "gui/MainWindow.h"
#include "gui/MatchingSelection.h"
#include "gui/MessageBox.h"
#include "gui/NetworkWait.h"
#include "gui/OfflineGuard.h"
#include "gui/StatusBarPanel.h"
#include "gui/TableBrowser.h"
#include "live/LiveUpdates.h"
#include "table/TableWriter.h"

#include <QApplication>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSqlRecord>
#include <QTableView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString rowsText(int count)
{
    return SaveFlow::tr("%Ln row(s)", nullptr, count);
}

QString changesText(int count)
{
    return SaveFlow::tr("%Ln change(s)", nullptr, count);
}

QString unsavedKeptText(int count)
{
    return SaveFlow::tr("Nothing was written; your %Ln change(s) are still staged.", nullptr, count) + u' '
        + SaveFlow::tr("Save again once the server is back.");
}
} // namespace

QString SaveFlow::deleteImmediatelyKey()
{
    return u"editing/deleteImmediately"_s;
}

SaveFlow::SaveFlow(MainWindow* window, NetworkWait* wait, TableBrowser* browser, StatusBarPanel* status)
    : QObject(window)
    , m_window(window)
    , m_wait(wait)
    , m_browser(browser)
    , m_status(status)
{
}

bool SaveFlow::writeStagedChanges()
{
    TableModel* const model = m_window->model();
    std::optional<TableWriter::Plan> plan = model->savePlan();
    if (!plan)
        return false;
    const ConnectionSettings settings = m_window->session()->settings();
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

void SaveFlow::save()
{
    TableModel* model = m_window->model();
    if (!model || !model->hasPendingChanges() || m_wait->isWaiting())
        return;
    // Commit an open editor first, so what the user sees typed is what gets saved.
    if (QWidget* editor = QApplication::focusWidget(); editor && m_window->tableView()->isAncestorOf(editor))
        m_window->tableView()->setFocus();
    const int count = model->pendingChangeCount();
    const int deletes = model->pendingDeleteCount();
    ConnectionWatcher* watcher = m_window->connectionWatcher();
    if (OfflineGuard::isOffline(watcher)) {
        emit statusMessage(tr("Offline: nothing was written; your changes are still staged."), 8000);
        MessageBox::warn(m_window, tr("Save failed"),
                         OfflineGuard::serverUnreachableText(*watcher, unsavedKeptText(count)));
        return;
    }
    if (deletes > 0 && !m_saveConfirmed) {
        const QString question = count == 0
            ? tr("Delete %1 from %2?").arg(rowsText(deletes), model->tableName().display())
            : tr("Save %1 and delete %2 from %3?")
                  .arg(changesText(count), rowsText(deletes), model->tableName().display());
        const auto answer = MessageBox::ask(
            m_window, tr("Save and delete"), question + u' ' + tr("Deleted rows cannot be brought back after saving."),
            QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel,
            { { QMessageBox::Save, deletes == 1 ? tr("Delete row") : tr("Delete rows") } });
        if (answer != QMessageBox::Save) {
            emit statusMessage(tr("Not saved; your changes are still staged."), 8000);
            return;
        }
    }
    // A conflict answered by the user saves again; the rows to delete were confirmed already.
    const QScopedValueRollback confirmed(m_saveConfirmed, true);
    if (writeStagedChanges()) {
        if (LiveUpdates* liveUpdates = m_window->liveUpdates())
            liveUpdates->notifyOwnWrite();
        m_status->hideDeletedElsewhere();
        emit statusMessage(deletes == 0     ? tr("Saved %Ln change(s).", nullptr, count)
                               : count == 0 ? tr("Deleted %1.").arg(rowsText(deletes))
                                            : tr("Saved %1 and deleted %2.").arg(changesText(count), rowsText(deletes)),
                           5000);
        const QList<RowKey> inserted = model->lastInsertedKeys();
        if (!inserted.isEmpty())
            m_browser->selectKeyAfterLoad(inserted.constLast()); // the window reloads around it
    } else if (const auto conflict = model->lastConflict()) {
        resolveConflict(*conflict);
    } else {
        watcher = m_window->connectionWatcher();
        if (watcher)
            watcher->check();
        emit statusMessage(tr("Save failed; nothing was written."), 8000);
        MessageBox::warn(m_window, tr("Save failed"),
                         OfflineGuard::isOffline(watcher)
                             ? OfflineGuard::serverUnreachableText(*watcher, unsavedKeptText(count))
                             : model->lastSaveError());
    }
}

void SaveFlow::resolveConflict(const TableModel::SaveConflict& conflict)
{
    TableModel* model = m_window->model();
    auto shown = [](const QVariant& value) {
        return value.isNull() ? u"NULL"_s : tr("“%1”", "a value, quoted").arg(value.toString().left(80));
    };
    QString details;
    for (int i = 0; i < conflict.columns.size(); ++i) {
        const QString column = model->headerData(conflict.columns.at(i), Qt::Horizontal).toString();
        details += conflict.deleting ? tr("\n%1: when you read it %2, now %3")
                                           .arg(column, shown(conflict.whenRead.at(i)), shown(conflict.theirs.at(i)))
                                     : tr("\n%1: when you read it %2, now %3, yours %4")
                                           .arg(column, shown(conflict.whenRead.at(i)), shown(conflict.theirs.at(i)),
                                                shown(conflict.mine.at(i)));
    }
    if (conflict.deleting) {
        const auto answer
            = MessageBox::ask(m_window, tr("Changed by someone else"),
                              tr("Another client changed %1 after you marked it for deletion. Nothing was saved yet.")
                                      .arg(model->describeKey(conflict.key))
                                  + details,
                              QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Cancel,
                              { { QMessageBox::Yes, tr("Delete it anyway") },
                                { QMessageBox::No, tr("Keep the row") },
                                { QMessageBox::Cancel, tr("Skip") } });
        if (answer == QMessageBox::Yes) {
            model->resolveConflictKeepingMine(conflict);
            save();
        } else if (answer == QMessageBox::No) {
            model->resolveDeleteConflictKeepingRow(conflict);
            if (model->hasPendingChanges())
                save();
        } else {
            emit statusMessage(tr("Not saved; your changes are still staged."), 8000);
        }
        return;
    }
    const auto answer = MessageBox::ask(
        m_window, tr("Changed by someone else"),
        tr("Another client changed %1 after you read it. Nothing was saved yet.").arg(model->describeKey(conflict.key))
            + details,
        QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Cancel,
        { { QMessageBox::Yes, tr("Keep mine") },
          { QMessageBox::No, tr("Take theirs") },
          { QMessageBox::Cancel, tr("Skip") } });
    if (answer == QMessageBox::Yes) {
        model->resolveConflictKeepingMine(conflict);
        save();
    } else if (answer == QMessageBox::No) {
        model->resolveConflictTakingTheirs(conflict);
        if (model->hasPendingChanges())
            save();
    } else {
        emit statusMessage(tr("Not saved; your changes are still staged."), 8000);
    }
}

void SaveFlow::discard()
{
    TableModel* model = m_window->model();
    if (!model || !model->hasPendingChanges())
        return;
    const int count = model->pendingChangeCount();
    const int deletes = model->pendingDeleteCount();
    const QString question = deletes == 0 ? tr("Discard %Ln unsaved change(s)?", nullptr, count)
        : count == 0                      ? tr("Keep the %1 marked for deletion?").arg(rowsText(deletes))
                     : tr("Discard %1 and keep the %2 marked for deletion?").arg(changesText(count), rowsText(deletes));
    const auto answer
        = MessageBox::ask(m_window, tr("Discard changes"), question + u' ' + tr("The database keeps what it has."),
                          QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard)
        return;
    model->discardChanges();
}

void SaveFlow::deleteSelectedRows()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    // "Select all N matching rows": the rows the window never loaded too, by the filter's SQL.
    if (MatchingSelection* matching = m_window->matchingSelection(); matching && matching->isActive()) {
        matching->deleteAll();
        return;
    }
    const QList<int> rows = m_browser->selectedRows();
    if (rows.isEmpty())
        return;
    if (QSettings().value(deleteImmediatelyKey(), false).toBool()) {
        deleteSelectedRowsNow(rows);
        return;
    }
    // Staged like an edit: nothing is asked here because Undo brings the rows back; Save asks.
    const int count = model->stageDeleteRows(rows);
    if (count > 0)
        emit statusMessage(
            tr("Marked %Ln row(s) for deletion: Save deletes them, Ctrl+Z brings them back.", nullptr, count), 8000);
}

void SaveFlow::deleteSelectedRowsNow(const QList<int>& rows)
{
    TableModel* model = m_window->model();
    // Deleting acts on the server at once (only new, unsaved rows go without it).
    const bool serverRows = std::any_of(rows.begin(), rows.end(), [model](int row) { return !model->isNewRow(row); });
    if (serverRows
        && OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Delete failed"),
                                 tr("Nothing was deleted.")))
        return;
    QList<StagedEdits::Target> targets;
    for (int row : rows)
        targets << model->targetAt(row);
    const auto answer = MessageBox::ask(
        m_window, tr("Delete rows"),
        tr("Delete %Ln row(s) from %1?", nullptr, static_cast<int>(rows.size())).arg(model->tableName().display())
            + u' ' + tr("This cannot be undone."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    model = m_window->model(); // the question ran an event loop
    if (answer != QMessageBox::Yes || !model)
        return;
    // The question ran an event loop: a live refresh may have renumbered the rows meanwhile, so
    // the rows to delete are found again by key (new rows by serial); vanished ones are skipped.
    QList<int> rowsNow;
    for (const StagedEdits::Target& target : std::as_const(targets)) {
        if (const int row = m_browser->rowOf(target); row >= 0)
            rowsNow << row;
    }
    const QList<RowKey> keys = model->takeRowsToDeleteNow(rowsNow);
    if (!keys.isEmpty()) {
        const ConnectionSettings settings = m_window->session()->settings();
        const TableName table = model->tableName();
        const KeyColumns key = model->key();
        auto control = std::make_shared<StatementControl>();
        auto outcome = std::make_shared<TableWriter::Outcome>();
        if (!m_wait->run(
                tr("Deleting %Ln row(s)…", nullptr, static_cast<int>(keys.size())),
                [=] { *outcome = TableWriter::deleteNow(settings, table, key, keys, control); }, control, settings))
            return; // quitting
        if (!outcome->succeeded()) {
            ConnectionWatcher* watcher = m_window->connectionWatcher();
            if (watcher)
                watcher->check(); // a dropped link not noticed yet: say that rather than the driver's nothing
            MessageBox::warn(m_window, tr("Delete failed"),
                             OfflineGuard::isOffline(watcher)
                                 ? OfflineGuard::serverUnreachableText(*watcher, tr("Nothing was deleted."))
                                 : tr("Nothing was deleted: %1").arg(outcome->error));
            return;
        }
        model->finishDeleteNow(keys);
        if (LiveUpdates* liveUpdates = m_window->liveUpdates())
            liveUpdates->notifyOwnWrite();
    }
    emit statusMessage(tr("Deleted %Ln row(s).", nullptr, static_cast<int>(rowsNow.size())), 5000);
}

bool SaveFlow::settlePendingChanges(const QString& reason)
{
    TableModel* model = m_window->model();
    if (!model || !model->hasPendingChanges())
        return true;
    const int count = model->pendingChangeCount();
    const auto answer = MessageBox::ask(
        m_window, tr("Unsaved changes"),
        (model->pendingDeleteCount() == 0 ? tr("You have %Ln unsaved change(s).", nullptr, count)
                                          : tr("You have %1 unsaved and %2 marked for deletion.")
                                                .arg(changesText(count), rowsText(model->pendingDeleteCount())))
            + u' ' + reason,
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) {
        if (!OfflineGuard::isOffline(m_window->connectionWatcher()) && writeStagedChanges())
            return true;
        ConnectionWatcher* watcher = m_window->connectionWatcher();
        if (watcher)
            watcher->check();
        MessageBox::warn(m_window, tr("Save failed"),
                         OfflineGuard::isOffline(watcher)
                             ? OfflineGuard::serverUnreachableText(*watcher, unsavedKeptText(count))
                             : model->lastSaveError());
        return false;
    }
    if (answer == QMessageBox::Discard) {
        model->discardChanges();
        return true;
    }
    return false;
}
