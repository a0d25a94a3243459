#include "gui/TablePickerDialog.h"

#include "connection/NetworkThreadPool.h"
#include "gui/ScreenFit.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int tableColumn = 0;
constexpr int kindColumn = 1;
constexpr int rowsColumn = 2;
constexpr int keyColumn = 3;
constexpr int tableNameRole = Qt::UserRole + 1;
} // namespace

TablePickerDialog::TablePickerDialog(const ConnectionSettings& settings, const TableName& current, QWidget* parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QTableWidget(this))
    , m_state(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this))
    , m_newWindow(m_buttons->addButton(tr("Open in &new window"), QDialogButtonBox::ActionRole))
    , m_current(current)
{
    setObjectName(u"tablePickerDialog"_s);
    setWindowTitle(tr("Open table"));
    m_search->setObjectName(u"tableSearchLineEdit"_s);
    m_search->setPlaceholderText(tr("Search tables and views"));
    m_search->setAccessibleName(tr("Search tables"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(u"tableList"_s);
    m_list->setAccessibleName(tr("Tables and views"));
    m_list->setColumnCount(4);
    m_list->setHorizontalHeaderLabels({ tr("Table"), tr("Kind"), tr("Rows"), tr("Primary key") });
    m_list->verticalHeader()->hide();
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->horizontalHeader()->setSectionResizeMode(tableColumn, QHeaderView::Stretch);
    for (int column : { kindColumn, rowsColumn, keyColumn })
        m_list->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_state->setObjectName(u"tableListState"_s);
    m_state->setWordWrap(true);
    m_state->setText(tr("Reading the database's tables…"));
    m_buttons->setObjectName(u"tablePickerButtons"_s);
    m_buttons->button(QDialogButtonBox::Open)->setObjectName(u"openTableButton"_s);
    m_buttons->button(QDialogButtonBox::Open)
        ->setToolTip(tr("Open the table in this window, in place of %1").arg(current.display()));
    m_newWindow->setObjectName(u"openInNewWindowButton"_s);
    m_newWindow->setToolTip(tr("Open the table in a window of its own, beside this one (Ctrl+Enter)"));
    auto* newWindowShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    newWindowShortcut->setObjectName(u"openInNewWindowShortcut"_s);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_state);
    layout->addWidget(m_buttons);
    resize(560, 420);

    connect(m_search, &QLineEdit::textChanged, this, &TablePickerDialog::applySearch);
    connect(m_list, &QTableWidget::itemSelectionChanged, this, &TablePickerDialog::updateButtons);
    connect(m_list, &QTableWidget::cellDoubleClicked, this, [this] {
        if (chosenTable().isValid())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    const auto acceptInNewWindow = [this] {
        if (!chosenTable().isValid())
            return;
        m_inNewWindow = true;
        accept();
    };
    connect(m_newWindow, &QPushButton::clicked, this, acceptInNewWindow);
    connect(newWindowShortcut, &QShortcut::activated, this, acceptInNewWindow);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter in the search box opens the one table left, or the selected one.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (chosenTable().isValid())
            accept();
    });
    updateButtons();
    m_search->setFocus();

    NetworkThreadPool::run(
        this, [settings] { return TableList::read(settings); },
        [this](const TableList::Outcome& outcome) { showList(outcome); });
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

void TablePickerDialog::showList(const TableList::Outcome& outcome)
{
    m_read = true;
    if (!outcome.succeeded()) {
        m_state->setText(tr("The tables could not be read: %1").arg(outcome.error));
        return;
    }
    const auto kindText = [](TableList::Kind kind) {
        switch (kind) {
        case TableList::Kind::Table:
            return tr("table");
        case TableList::Kind::PartitionedTable:
            return tr("partitioned table");
        case TableList::Kind::View:
            return tr("view");
        case TableList::Kind::MaterializedView:
            return tr("materialized view");
        case TableList::Kind::ForeignTable:
            return tr("foreign table");
        }
        return QString();
    };
    m_list->setRowCount(int(outcome.entries.size()));
    int currentRow = -1;
    for (int row = 0; row < outcome.entries.size(); ++row) {
        const TableList::Entry& entry = outcome.entries.at(row);
        auto* name = new QTableWidgetItem(entry.table.display());
        name->setData(tableNameRole, QStringList{ entry.table.schema(), entry.table.name() });
        m_list->setItem(row, tableColumn, name);
        m_list->setItem(row, kindColumn, new QTableWidgetItem(kindText(entry.kind)));
        auto* rows = new QTableWidgetItem(entry.estimatedRows < 0 ? tr("not known")
                                                                  : tr("about %L1").arg(entry.estimatedRows));
        rows->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_list->setItem(row, rowsColumn, rows);
        auto* key = new QTableWidgetItem(entry.hasPrimaryKey ? tr("yes") : tr("none: opens read-only"));
        if (!entry.hasPrimaryKey)
            key->setToolTip(tr("Without a primary key a row cannot be told apart from an identical one, so "
                               "pgdesk does not edit it"));
        m_list->setItem(row, keyColumn, key);
        if (entry.table.sql() == m_current.sql())
            currentRow = row;
    }
    m_state->setText(outcome.entries.isEmpty() ? tr("This database has no table or view you may read.")
                                               : tr("%Ln table(s) and view(s). Row counts are the server's "
                                                    "estimates.",
                                                    nullptr, int(outcome.entries.size())));
    if (currentRow >= 0)
        m_list->selectRow(currentRow);
    applySearch();
}

void TablePickerDialog::applySearch()
{
    const QString text = m_search->text().trimmed();
    int visible = 0;
    int lastVisible = -1;
    for (int row = 0; row < m_list->rowCount(); ++row) {
        const bool match = text.isEmpty() || m_list->item(row, tableColumn)->text().contains(text, Qt::CaseInsensitive);
        m_list->setRowHidden(row, !match);
        if (match) {
            ++visible;
            lastVisible = row;
        }
    }
    // One table left: it is the one Enter opens.
    const QList<QTableWidgetItem*> selected = m_list->selectedItems();
    if (visible == 1 && (selected.isEmpty() || m_list->isRowHidden(selected.constFirst()->row())))
        m_list->selectRow(lastVisible);
    else if (!selected.isEmpty() && m_list->isRowHidden(selected.constFirst()->row()))
        m_list->clearSelection();
    updateButtons();
}

void TablePickerDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(chosenTable().isValid());
    m_newWindow->setEnabled(chosenTable().isValid());
}

TableName TablePickerDialog::chosenTable() const
{
    const QList<QTableWidgetItem*> selected = m_list->selectedItems();
    if (selected.isEmpty() || m_list->isRowHidden(selected.constFirst()->row()))
        return {};
    const QStringList parts
        = m_list->item(selected.constFirst()->row(), tableColumn)->data(tableNameRole).toStringList();
    return parts.size() == 2 ? TableName(parts.at(0), parts.at(1)) : TableName();
}
