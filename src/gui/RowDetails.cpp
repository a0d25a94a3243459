#include "gui/RowDetails.h"

#include "gui/MainWindow.h"
#include "gui/RowDetailsDialog.h"
#include "model/TableModel.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QPointer>
#include <QStatusBar>

using namespace Qt::StringLiterals;

RowDetails::RowDetails(MainWindow* window, Ui::MainWindow& ui)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
    , m_action(new QAction(tr("Row &details…"), window))
{
    m_action->setObjectName(u"actionRowDetails"_s);
    // No other action of the window uses Ctrl+Shift+D (forms/MainWindow.ui, MainWindow.cpp).
    m_action->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    m_action->setStatusTip(tr("Show every column of the current row in full, and edit it"));
    m_ui.viewMenu->addSeparator();
    m_ui.viewMenu->addAction(m_action);
    connect(m_action, &QAction::triggered, this, &RowDetails::showCurrentRow);
}

void RowDetails::showCurrentRow()
{
    TableModel* model = m_window->model();
    const QModelIndex current = m_ui.tableView->currentIndex();
    if (!model)
        return;
    if (!current.isValid()) {
        m_window->statusBar()->showMessage(tr("Row details shows the current row: click a cell first."), 5000);
        return;
    }
    const int row = current.row();
    // Live updates may read the window again while the dialog is open: find the row by its key,
    // a new row by its serial (its place moves when the server's rows change).
    const StagedEdits::Target target = model->targetAt(row);
    auto* dialog = new RowDetailsDialog(*model, row, m_window->isReadOnly(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<TableModel> guarded(model);
    connect(dialog, &QDialog::accepted, this, [this, dialog, guarded, target] {
        const QHash<int, QVariant> values = dialog->editedValues();
        if (values.isEmpty() || guarded != m_window->model())
            return;
        const int at = guarded->rowOfTarget(target);
        if (at < 0 || at >= guarded->rowCount()) {
            // Another client deleted the row, or the grid moved on meanwhile: never stage the edit
            // on whatever row now stands at that place; say that nothing was changed.
            m_window->statusBar()->showMessage(
                tr("The row is no longer in the grid, so nothing was changed. Open Row details on it again."), 10000);
            return;
        }
        // One undo step for the dialog's edits, as they were made together.
        guarded->undoStack()->beginMacro(tr("Edit row details"));
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            guarded->setData(guarded->index(at, it.key()), it.value(), Qt::EditRole);
        guarded->undoStack()->endMacro();
    });
    dialog->open();
}
