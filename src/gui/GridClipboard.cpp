#include "gui/GridClipboard.h"

#include "editing/TabSeparatedText.h"
#include "gui/MainWindow.h"
#include "gui/PluralText.h"
#include "model/TableModel.h"
#include "ui_MainWindow.h"

#include <QClipboard>
#include <QGuiApplication>

#include <algorithm>
#include <set>

GridClipboard::GridClipboard(MainWindow* window, Ui::MainWindow& ui)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
{
}

void GridClipboard::copySelection()
{
    if (!m_window->model() || !m_ui.tableView->selectionModel())
        return;
    QModelIndexList indexes = m_ui.tableView->selectionModel()->selectedIndexes();
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
    emit statusMessage(plural(static_cast<int>(indexes.size()), tr("Copied 1 cell."), tr("Copied %1 cells.")), 3000);
}

void GridClipboard::pasteIntoCells()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    const QModelIndex current = m_ui.tableView->currentIndex();
    if (!current.isValid())
        return;
    const QList<QStringList> rows = TabSeparatedText::parse(QGuiApplication::clipboard()->text());
    if (rows.isEmpty())
        return;
    model->undoStack()->beginMacro(tr("Paste"));
    for (int offset = 0; offset < rows.size(); ++offset) {
        int row = current.row() + offset;
        while (row >= model->rowCount())
            model->addRow();
        const QStringList& fields = rows.at(offset);
        for (int field = 0; field < fields.size(); ++field) {
            const QModelIndex target = model->index(row, current.column() + field);
            if (target.isValid() && (model->flags(target) & Qt::ItemIsEditable))
                model->setData(target, fields.at(field));
        }
    }
    model->undoStack()->endMacro();
}

void GridClipboard::pasteAsNewRows()
{
    TableModel* model = m_window->model();
    if (!model || model->nameColumn() < 0)
        return;
    const QList<QStringList> rows = TabSeparatedText::parse(QGuiApplication::clipboard()->text());
    if (rows.isEmpty())
        return;
    model->undoStack()->beginMacro(tr("Paste as new rows"));
    int row = -1;
    for (const QStringList& fields : rows) {
        row = model->addRow();
        model->setData(model->index(row, model->nameColumn()), fields.value(0));
    }
    model->undoStack()->endMacro();
    m_ui.viewStack->setCurrentWidget(m_ui.tableView);
    m_ui.tableView->scrollTo(model->index(row, model->nameColumn()));
    emit statusMessage(plural(static_cast<int>(rows.size()), tr("Pasted 1 new row; Save writes it."),
                              tr("Pasted %1 new rows; Save writes them.")),
                       5000);
}
