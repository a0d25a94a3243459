#include "gui/GridClipboard.h"

#include "editing/TabSeparatedText.h"
#include "gui/MainWindow.h"
#include "gui/MatchingSelection.h"
#include "model/TableModel.h"
#include "table/ValueText.h"
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

void GridClipboard::setUpActions()
{
    connect(m_ui.actionCopy, &QAction::triggered, this, &GridClipboard::copySelection);
    connect(m_ui.actionPaste, &QAction::triggered, this, &GridClipboard::pasteIntoCells);
    connect(m_ui.actionPasteAsNewRows, &QAction::triggered, this, &GridClipboard::pasteAsNewRows);
    const std::pair<QAction*, Format> copyAs[] = {
        { m_ui.actionCopyWithHeader, Format::TabSeparatedWithHeader },
        { m_ui.actionCopyAsCsv, Format::Csv },
        { m_ui.actionCopyAsJson, Format::Json },
        { m_ui.actionCopyAsSql, Format::SqlInsert },
        { m_ui.actionCopyAsMarkdown, Format::Markdown },
    };
    for (const auto& [action, format] : copyAs)
        connect(action, &QAction::triggered, this, [this, format = format] { copySelectionAs(format); });

    // Copy decides when there is something to copy; the other copy commands follow it.
    const auto followCopy = [this](bool enabled) {
        m_ui.actionCopyWithHeader->setEnabled(enabled);
        m_ui.copyAsMenu->menuAction()->setEnabled(enabled);
        for (QAction* action : m_ui.copyAsMenu->actions())
            action->setEnabled(enabled);
    };
    connect(m_ui.actionCopy, &QAction::enabledChanged, this, followCopy);
    followCopy(m_ui.actionCopy->isEnabled());

    // Like Ctrl+C, Ctrl+Shift+C belongs to the grid: in the search box it is not a copy of cells.
    m_ui.actionCopyWithHeader->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_ui.tableView->insertActions(m_ui.actionPaste, { m_ui.actionCopyWithHeader, m_ui.copyAsMenu->menuAction() });
}

void GridClipboard::copySelection()
{
    if (MatchingSelection* matching = m_window->matchingSelection(); matching && matching->isActive()) {
        matching->copyAll(Format::TabSeparated);
        return;
    }
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
        rows.last() << ValueText::of(index.data(Qt::EditRole));
    }
    QGuiApplication::clipboard()->setText(TabSeparatedText::format(rows));
    emit statusMessage(tr("Copied %Ln cell(s).", nullptr, static_cast<int>(indexes.size())), 3000);
}

std::optional<RowsAsText> GridClipboard::selectedBlock() const
{
    const TableModel* model = m_window->model();
    const QItemSelectionModel* selection = m_ui.tableView->selectionModel();
    if (!model || !selection)
        return std::nullopt;
    std::set<int> rows;
    std::set<int> columns;
    for (const QModelIndex& index : selection->selectedIndexes()) {
        rows.insert(index.row());
        columns.insert(index.column());
    }
    if (rows.empty())
        return std::nullopt;
    QList<RowsAsText::Column> header;
    for (const int column : columns)
        header.append({ model->record().fieldName(column), model->isNumberColumn(column) });
    QList<QVariantList> values;
    for (const int row : rows) {
        QVariantList cells;
        for (const int column : columns)
            cells << (model->isServerDefault(row, column) ? RowsAsText::serverDefault()
                                                          : model->index(row, column).data(Qt::EditRole));
        values << cells;
    }
    return RowsAsText(header, values);
}

void GridClipboard::copySelectionAs(Format format)
{
    if (MatchingSelection* matching = m_window->matchingSelection(); matching && matching->isActive()) {
        matching->copyAll(format);
        return;
    }
    const std::optional<RowsAsText> block = selectedBlock();
    if (!block)
        return;
    const Rendered rendered = render(*block, format, m_window->model()->tableName());
    QGuiApplication::clipboard()->setText(rendered.text);
    emit statusMessage(rendered.message, 3000);
}

GridClipboard::Rendered GridClipboard::render(const RowsAsText& block, Format format, const TableName& table)
{
    const int rows = block.rowCount();
    switch (format) {
    case Format::TabSeparated:
        return { block.tabSeparated(false), tr("Copied %Ln row(s).", nullptr, rows) };
    case Format::TabSeparatedWithHeader:
        return { block.tabSeparated(true), tr("Copied %Ln row(s) with the header line.", nullptr, rows) };
    case Format::Csv:
        return { block.csv(), tr("Copied %Ln row(s) as CSV.", nullptr, rows) };
    case Format::Json:
        return { block.json(), tr("Copied %Ln row(s) as JSON.", nullptr, rows) };
    case Format::SqlInsert:
        return { block.sqlInsert(table), tr("Copied %Ln row(s) as SQL INSERT statement(s).", nullptr, rows) };
    case Format::Markdown:
        return { block.markdown(), tr("Copied %Ln row(s) as a Markdown table.", nullptr, rows) };
    }
    return {};
}

void GridClipboard::pasteIntoCells()
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    const QModelIndex current = m_ui.tableView->currentIndex();
    if (!current.isValid())
        return;
    const TabSeparatedText::Pasted pasted = TabSeparatedText::parsePasted(QGuiApplication::clipboard()->text());
    const QList<QStringList>& rows = pasted.rows;
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
    // Which reading was taken, so that text read as CSV by mistake is noticed (and undone).
    if (pasted.csv)
        emit statusMessage(tr("Pasted %Ln row(s) of CSV.", nullptr, static_cast<int>(rows.size())), 5000);
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
    emit statusMessage(tr("Pasted %Ln new row(s); Save writes them.", nullptr, static_cast<int>(rows.size())), 5000);
}
