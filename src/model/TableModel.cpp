// TableModel.cpp is past 600 lines: the model is still the one place where the window's rows,
// the staged edits and the save meet (the Qt model API needs all three for data() and setData()).
// Its parts already live in paging/, editing/, table/ and model/ helpers; what is left here is
// their wiring. Splitting the staging half into a class of its own is the next step (issue notes).
#include "model/TableModel.h"

#include "editing/AddRowCommand.h"
#include "editing/DeleteRowsCommand.h"
#include "editing/SavePlanner.h"
#include "editing/StageCellCommand.h"
#include "model/CellAppearance.h"
#include "table/ValueText.h"

#include "table/TableCatalog.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

TableModel::TableModel(const QSqlDatabase& database, QObject* parent)
    : QSqlTableModel(parent, database)
{
    setEditStrategy(QSqlTableModel::OnManualSubmit);
    m_scrollPlacesDelay.setSingleShot(true);
    m_scrollPlacesDelay.setInterval(scrollPlacesDelayMs);
    connect(&m_scrollPlacesDelay, &QTimer::timeout, this, &TableModel::prepareScrollPlaces);
    connect(&m_highlight, &ChangeHighlight::marksChanged, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                             { Qt::BackgroundRole, Qt::ForegroundRole });
    });
    connect(&m_loader, &WindowLoader::arrived, this, &TableModel::handleArrived);
    connect(&m_loader, &WindowLoader::failed, this, &TableModel::handleFailed);
    connect(&m_statistics, &TableStatistics::statisticsChanged, this, [this] {
        if (m_nameFilter.isEmpty() && isTotalExact())
            m_window.setTotalIfUnknown(totalRowCount()); // Last before the count could not tell its place
        emit statisticsChanged();
    });
    connect(&m_statistics, &TableStatistics::matchingRowCountReady, this, [this](qint64 count) {
        m_window.setTotalIfUnknown(count); // Last with a filter could not tell its place before
        emit matchingRowCountReady(count);
    });
    // The sample may be the first word on how many rows a filter matches.
    connect(&m_positions, &PositionLocator::sampleRead, this, &TableModel::statisticsChanged);
    connect(&m_positions, &PositionLocator::sampleFailed, this, [this](const QString& message) {
        setLoading(false);
        emit windowFailed(message, false);
    });
    connect(&m_statistics, &TableStatistics::missingKeysFound, this,
            [this](const QList<RowKey>& keys) { emit stagedKeysDeletedElsewhereFound(static_cast<int>(keys.size())); });
    connect(&m_undoStack, &QUndoStack::indexChanged, this,
            [this] { emit pendingChangesChanged(m_staged.changeCount()); });
}

bool TableModel::setTableName(const TableName& table)
{
    // A rebind after a reconnect keeps the filter by its column's name; if that column changed
    // between text and another type meanwhile, the same text would mean something else.
    const bool filterWasTyped = !m_nameFilter.isEmpty() && isFilterTyped();
    m_table = table;
    setTable(table.sql()); // empties the window too: see clear()
    const TableCatalog::ColumnTraits traits = TableCatalog::columnTraits(database(), table);
    m_columns = TableColumns(record(), primaryKey(), traits);
    // The undo history names cells by column number too: replayed after a shape change, it would
    // restage old edits into other columns. A rebind that could not read the table (the link
    // dropped again) says nothing of its shape.
    if (m_columns.count() > 0 && traits.read && m_staged.bindShape(columnShape()))
        m_undoStack.clear();
    m_sortColumn = hasKey() ? keyColumns().constFirst() : 0;
    m_sortOrder = Qt::AscendingOrder;
    m_positions.forget();
    if (m_columns.count() == 0)
        return false;
    if (!m_nameFilter.isEmpty()
        && (!m_columns.filterColumns().contains(m_columns.indexOf(m_filterColumnName))
            || isFilterTyped() != filterWasTyped)) {
        const QString gone = m_filterColumnName;
        const bool retyped = m_columns.indexOf(gone) >= 0;
        m_nameFilter = NameFilter();
        m_filterColumnName.clear();
        emit filterColumnGone(gone, retyped);
    }
    m_statistics.bind(database(), m_table);
    return true;
}

void TableModel::clear()
{
    // Inside the reset QSqlTableModel::clear() announces (QSqlQueryModel nests them into one), so
    // that the view still finds the rows' keys when the reset begins and remembers its selection.
    beginResetModel();
    m_window.clear();
    QSqlTableModel::clear();
    endResetModel();
}

bool TableModel::rebindKeepingPosition()
{
    const RowWindow window = m_window;
    const int sortColumn = m_sortColumn;
    const Qt::SortOrder sortOrder = m_sortOrder;
    if (!setTableName(m_table))
        return false;
    if (sortColumn >= 0 && sortColumn < columnCount()) {
        m_sortColumn = sortColumn;
        m_sortOrder = sortOrder;
    }
    m_window.restore(window.anchors(), window.atStart(), window.atEnd(), window.startPosition(),
                     window.isStartEstimated());
    reloadWindow();
    return true;
}

bool TableModel::select()
{
    // Never QSqlTableModel::select(): it would read on the GUI thread's connection. Staged edits
    // live in m_staged, keyed by primary key, so they come through every refresh, filter, sort and
    // window move.
    requestWindow(m_window.isLoaded() ? Move::Reload : Move::First);
    return lastError().type() == QSqlError::NoError;
}

QString TableModel::filterSql() const
{
    const int column = filterColumn();
    if (column < 0)
        return {};
    return m_nameFilter.whereClause(database().driver(), m_columns.quotedName(column), isFilterTyped());
}

int TableModel::filterColumn() const
{
    const int picked = m_columns.indexOf(m_filterColumnName);
    return m_columns.filterColumns().contains(picked) ? picked : m_columns.defaultFilterColumn();
}

bool TableModel::setFilterColumn(int column)
{
    if (!m_columns.filterColumns().contains(column))
        return false;
    const int before = filterColumn();
    m_filterColumnName = m_columns.name(column);
    if (column == before || m_nameFilter.isEmpty())
        return true;
    m_statistics.forgetMatchingRowCount();
    m_positions.forget();
    loadFirst();
    return lastError().type() == QSqlError::NoError;
}

bool TableModel::hasTrigramIndex() const
{
    const int column = filterColumn();
    return column >= 0 && m_statistics.hasTrigramIndex(m_columns.name(column));
}

KeysetQuery::Order TableModel::keysetOrder() const
{
    KeysetQuery::Order order;
    order.tableSql = m_table.sql();
    order.filterSql = filterSql();
    order.rowSelect = m_columns.rowSelectList();
    if (!hasKey())
        return order;
    // Qualified, so that ORDER BY sorts the stored column and not a select-list column of the same
    // name: the row select list reads "name" and "date" through expressions named after them. A
    // key must be read exactly: it names the row every edit, delete and anchor acts on.
    order.key = m_columns.key(m_table.sql());
    order.sortSql = m_table.sql() + u'.' + m_columns.quotedName(m_sortColumn);
    order.ascending = m_sortOrder == Qt::AscendingOrder;
    if (m_sortColumn != keyColumns().constFirst()) {
        order.sortNullable = m_columns.isNullable(m_sortColumn);
        // The anchor must be the stored value exactly, or the next window starts elsewhere.
        if (const QString read = m_columns.exactReadSql(m_sortColumn); read != m_columns.quotedName(m_sortColumn))
            order.sortSelect = read;
        // Read as text, the anchor is cast back to the column's type: compared as text, 10 would
        // sort before 9.5 and a time or a timestamptz would not parse as a timestamp.
        if (m_columns.isReadAsText(m_sortColumn) && !m_columns.typeSql(m_sortColumn).isEmpty())
            order.sortBindCast = u"::"_s + m_columns.typeSql(m_sortColumn);
    }
    return order;
}

void TableModel::attachFetcher(const ConnectionSettings& settings)
{
    m_statistics.attachWorker(settings);
    m_loader.attach(settings);
}

void TableModel::cancelLoading()
{
    if (m_positions.isWaiting()) {
        m_positions.dropWaitingJump();
        setLoading(false);
        emit windowFailed(tr("Cancelled"), true);
        return;
    }
    if (m_loading)
        m_loader.cancel();
}

void TableModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void TableModel::requestWindow(Move move, int overlapRows, const RowKey& aroundKey,
                               const std::optional<KeysetQuery::Anchor>& aroundAnchor, qint64 aroundPosition)
{
    m_scrollPlacesDelay.stop(); // this move comes first
    // A failure (or Esc) was the previous move's outcome: select(), setNameFilter() and
    // setFilterColumn() answer for this one, which fails here only without a worker. Every
    // window is loaded from here, so this is the one place the error is cleared.
    setLastError(QSqlError());
    // Rows read ahead follow the window in its current order and filter; any other move (a new
    // sort or filter asks for First) ends that, even before its answer comes: a Next meanwhile
    // must not be served from them.
    if (move != Move::Next)
        m_window.dropReadAhead();
    if (move != Move::Rest)
        m_firstMatchesOnly = false; // what is shown from now on is a whole window again, or the rows from before
    m_jumped = aroundPosition >= 0;
    RowWindow::Plan plan;
    const KeysetQuery::Order order = keysetOrder();
    if (!hasKey()) {
        plan.statements << KeysetQuery::unkeyedFirst(order, windowSize()); // read-only, no paging
    } else {
        const QString lookup = move == Move::Around && !KeysetQuery(order).sortsByKey() && !aroundAnchor
            ? u"SELECT "_s + m_columns.exactReadSql(m_sortColumn) + u" FROM "_s + m_table.sql() + u" WHERE "_s
                + m_columns.key().equalsSql()
            : QString();
        plan = m_window.plan(move, KeysetQuery(order), overlapRows, aroundKey, aroundAnchor, lookup);
        plan.aroundPosition = aroundPosition;
        // A filter in an order an index gives: the index is scanned in the order, so the first
        // matches can be shown as they are found (not in another order: every match is sorted first).
        // Not an exact name: the planner knows how common a name is (pg_stats), so a common one is
        // read in key order until the window is full anyway, and a rare one by a parallel scan of
        // the table that a search in key order first spent its budget on in vain (issue 18: 635 ms
        // against psql's 461 at 10M rows).
        if (plan.move == Move::First && plan.statements.size() == 1 && !m_nameFilter.isEmpty()
            && m_nameFilter.mode() != NameFilter::Mode::Exact && KeysetQuery(order).sortsByKey()
            && m_loader.hasWorker())
            plan.statements.first().searchBudgetMs = m_searchBudgetMs;
    }
    // The first window in key order with no filter is an index range scan: WindowLoader may serve it
    // on this connection while its worker connects.
    const bool mayServeHere = hasKey() && m_sortColumn == keyColumns().constFirst() && m_nameFilter.isEmpty()
        && (plan.move == Move::First || plan.move == Move::Last);
    if (m_loader.hasWorker())
        setLoading(true);
    m_loader.load(plan, database(), mayServeHere);
}

void TableModel::handleFailed(const QString& message, bool cancelled)
{
    setLoading(false);
    setLastError(QSqlError(message, {}, QSqlError::StatementError));
    emit windowFailed(message, cancelled); // the rows on screen stay as they were
}

void TableModel::handleArrived(const RowWindow::Plan& plan, const KeysetFetcher::Result& result)
{
    if (hasKey()) {
        // Follow-ups keep the loading state on: the move is not over.
        switch (m_window.outcomeOf(plan, result.rows)) {
        case RowWindow::Outcome::Moved:
            break;
        case RowWindow::Outcome::LoadFirst:
            requestWindow(Move::First);
            return;
        case RowWindow::Outcome::Anchored:
            requestWindow(Move::Around, 0, plan.aroundKey, RowWindow::anchorOf(plan, result.rows));
            return;
        case RowWindow::Outcome::ReadAheadGone:
            requestWindow(Move::Next, m_window.overlapOf(plan));
            return;
        case RowWindow::Outcome::NextPlainly:
            m_window.readNextPlainly();
            requestWindow(Move::Next, m_window.overlapOf(plan));
            return;
        case RowWindow::Outcome::KeyGone:
            requestWindow(Move::Reload);
            return;
        }
    }
    const qint64 knownTotal = m_nameFilter.isEmpty() ? totalRowCount() : matchingRowCount().value_or(-1);
    if (plan.move == Move::Rest) {
        // Planned after the rows found first; were they gone meanwhile, the window is read again.
        if (m_window.rows().size() != plan.overlap) {
            requestWindow(Move::Reload);
            return;
        }
        // The rows found first stay as they are (a selection or an open editor on them too);
        // the rest is added below them.
        const int first = serverRowCount();
        const int added = static_cast<int>(qMin<qsizetype>(result.rows.value(0).size(), windowSize() - first));
        if (added > 0)
            beginInsertRows({}, first, first + added - 1);
        m_window.apply(plan, result.rows, knownTotal);
        m_firstMatchesOnly = false;
        if (added > 0)
            endInsertRows();
        setLoading(false);
        windowComplete();
        return;
    }
    emit rowsAboutToBeReplaced(plan.move == Move::Reload && m_shownFilterSql == filterSql());
    m_lastWindowWasReadAhead = plan.fromReadAhead;
    if (!result.cutShort)
        setLoading(false);
    m_shownFilterSql = filterSql();
    beginResetModel();
    if (!hasKey())
        m_window.showUnkeyed(result.rows.value(0));
    else
        m_window.apply(plan, result.rows, knownTotal, result.cutShort);
    m_firstMatchesOnly = result.cutShort && hasKey();
    endResetModel();
    if (m_firstMatchesOnly) {
        emit firstMatchesShown(serverRowCount());
        requestWindow(Move::Rest);
        return;
    }
    windowComplete();
}

void TableModel::windowComplete()
{
    m_scrollPlacesDelay.start();
    emit windowLoaded();
}

void TableModel::sort(int column, Qt::SortOrder order)
{
    if (!isSortableColumn(column))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    m_positions.forget();
    loadFirst();
}

WorkerStatement TableModel::keyHistogramStatement() const
{
    // In ascending key order over the whole table, the planner's histogram of the key places rows
    // without reading any; otherwise PositionLocator samples the order.
    // Only an integer key: between two bounds the locator places rows by arithmetic on keys.
    if (!isIntegerKey() || m_sortColumn != keyColumns().constFirst() || m_sortOrder != Qt::AscendingOrder
        || !m_nameFilter.isEmpty())
        return {};
    return m_statistics.histogramStatement(record().fieldName(keyColumns().constFirst()));
}

qint64 TableModel::rowsToSample() const
{
    const qint64 rows = orderRowCount();
    return rows >= 0 ? rows : totalRowCount();
}

void TableModel::prepareScrollPlaces()
{
    if (hasKey() && m_loader.hasWorker() && !(atStart() && atEnd()))
        m_positions.prepare(KeysetQuery(keysetOrder()), keyHistogramStatement(), rowsToSample());
}

qint64 TableModel::orderRowCount() const
{
    if (m_nameFilter.isEmpty())
        return totalRowCount();
    if (const auto matching = matchingRowCount())
        return *matching;
    return m_positions.estimatedRows().value_or(-1);
}

void TableModel::loadAtFraction(double fraction)
{
    if (!hasKey())
        return;
    // The ends are exact moves of their own; in between, a sampled row anchors a keyset window.
    if (fraction <= 0) {
        loadFirst();
        return;
    }
    if (fraction >= 1) {
        loadLast();
        return;
    }
    // Reading the sample first is part of the move: the window says it is loading meanwhile.
    if (!m_positions.hasSample() && m_loader.hasWorker())
        setLoading(true);
    m_positions.locate(fraction, KeysetQuery(keysetOrder()), keyHistogramStatement(), rowsToSample(), orderRowCount(),
                       [this](const PositionSample::Place& place) {
                           requestWindow(Move::Around, 0, place.anchor.key, place.anchor, place.position);
                       });
}

void TableModel::countMatchingRows()
{
    m_statistics.countMatching(filterSql());
}

int TableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return serverRowCount() + m_staged.newRowCount();
}

bool TableModel::isServerDefault(int row, int column) const
{
    return row < rowCount() && isNewRow(row) && m_columns.hasDefault(column)
        && !m_staged.value(targetAt(row), column).has_value();
}

int TableModel::rowOfTarget(const StagedEdits::Target& target) const
{
    if (!target.isNewRow)
        return rowForKey(target.key);
    const int position = m_staged.newRowPosition(target.serial);
    return position < 0 ? -1 : serverRowCount() + position;
}

StagedEdits::Target TableModel::targetAt(int row) const
{
    if (isNewRow(row)) {
        // During a reset the view may still ask about a new row that was just discarded.
        const int position = row - serverRowCount();
        if (position >= m_staged.newRowCount())
            return StagedEdits::Target::newRow(-1);
        return StagedEdits::Target::newRow(m_staged.newRowAt(position).serial);
    }
    return StagedEdits::Target::existing(keyAt(row).value_or(RowKey()));
}

QVariant TableModel::serverValue(int row, int column) const
{
    if (row < 0 || isNewRow(row))
        return {};
    return m_window.rows().at(row).value(column);
}

QVariant TableModel::displayValue(int row, int column) const
{
    if (!isNewRow(row) && !hasKey())
        return serverValue(row, column);
    if (const auto staged = m_staged.value(targetAt(row), column))
        return *staged;
    return serverValue(row, column);
}

QVariant TableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const int row = index.row();
    const int column = index.column();
    const bool newRow = isNewRow(row);
    const bool staged = (newRow || hasKey()) && m_staged.value(targetAt(row), column).has_value();
    const bool serverDefault = newRow && !staged && m_columns.hasDefault(column);
    const bool deleted = !newRow && isMarkedDeleted(row);

    switch (role) {
    case Qt::DisplayRole: {
        if (serverDefault)
            return tr("default");
        const QVariant value = displayValue(row, column);
        if (value.isNull())
            return u"NULL"_s;
        const int type = value.metaType().id();
        return type == QMetaType::Double || type == QMetaType::QByteArray ? QVariant(ValueText::shown(value)) : value;
    }
    case Qt::EditRole:
        return serverDefault ? QVariant() : displayValue(row, column);
    case CellStateRole:
        if (newRow)
            return static_cast<int>(CellState::NewRow);
        if (deleted)
            return static_cast<int>(CellState::Deleted);
        return static_cast<int>(staged ? CellState::Edited : CellState::Clean);
    case Qt::FontRole:
    case Qt::ForegroundRole:
    case Qt::BackgroundRole:
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
    case Qt::TextAlignmentRole: {
        CellAppearance cell;
        cell.newRow = newRow;
        cell.deleted = deleted;
        cell.staged = staged;
        cell.serverDefault = serverDefault;
        // Only what this role reads: data() runs for every visible cell and role at each paint.
        const bool spoken = role == Qt::AccessibleDescriptionRole; // a screen reader's words for the colours
        if (role == Qt::FontRole || role == Qt::ForegroundRole || spoken)
            cell.isNull = displayValue(row, column).isNull();
        if ((role == Qt::BackgroundRole || role == Qt::ForegroundRole || spoken) && !m_highlight.isEmpty()) {
            const auto key = keyAt(row);
            cell.changedElsewhere = key && m_highlight.contains(*key);
        }
        if (role == Qt::TextAlignmentRole)
            cell.numberColumn = m_columns.isNumber(column);
        if (role == Qt::ToolTipRole || spoken)
            cell.setToolTipValues(displayValue(row, column), staged && !newRow ? serverValue(row, column) : QVariant());
        return cell.forRole(role);
    }
    default:
        return {};
    }
}

Qt::ItemFlags TableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    // A row marked for deletion is read-only until Undo brings it back: Save would delete it.
    // While a save runs nothing is editable: it clears exactly what it wrote.
    // A key column is typed only into a new row, and only when the server has no default for it
    // (the serial id takes its own): a row's key is how every later edit finds it.
    const bool keyCell
        = isKeyColumn(index.column()) && !(isNewRow(index.row()) && !m_columns.hasDefault(index.column()));
    if (hasKey() && !keyCell && !m_columns.isGenerated(index.column()) && !isMarkedDeleted(index.row()) && !m_saving)
        result |= Qt::ItemIsEditable;
    return result;
}

bool TableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const QVariant newValue = value.isNull() ? QVariant(m_columns.type(index.column())) : value;
    if (StagedEdits::sameValue(data(index, Qt::EditRole), newValue))
        return true; // nothing changes; no undo step for it
    const StagedEdits::Target target = targetAt(index.row());
    m_undoStack.push(
        new StageCellCommand(this, target, index.column(), m_staged.value(target, index.column()), newValue));
    return true;
}

bool TableModel::setNull(const QModelIndex& index)
{
    return setData(index, QVariant(m_columns.type(index.column())));
}

void TableModel::applyStagedValue(const StagedEdits::Target& target, int column, const std::optional<QVariant>& value)
{
    const int row = rowOfTarget(target);
    // An existing row filtered out of view has no server value to compare with: keep the edit.
    std::optional<QVariant> original;
    if (row >= 0 && !target.isNewRow)
        original = serverValue(row, column);
    m_staged.setValue(target, column, value, original);
    if (row >= 0)
        notifyRowChanged(row);
    emit pendingChangesChanged(m_staged.changeCount());
}

QString TableModel::columnTitle(int column) const
{
    return headerData(column, Qt::Horizontal).toString();
}

bool TableModel::isMarkedDeleted(int row) const
{
    if (m_staged.deletedCount() == 0)
        return false;
    const auto key = keyAt(row);
    return key && m_staged.isDeleted(*key);
}

int TableModel::stageDeleteRows(const QList<int>& rows)
{
    QHash<RowKey, StagedEdits::Values> serverRows;
    QList<int> newRowSerials;
    for (int row : rows) {
        if (isNewRow(row)) {
            const StagedEdits::Target target = targetAt(row);
            if (target.serial >= 0)
                newRowSerials << target.serial;
            continue;
        }
        const auto key = keyAt(row);
        if (!key || m_staged.isDeleted(*key))
            continue;
        // What the user saw of the row from the server, not their staged edits: the save deletes
        // it only while the server still holds exactly this.
        StagedEdits::Values whenRead;
        for (int column = 0; column < columnCount(); ++column) {
            if (!isKeyColumn(column))
                whenRead.insert(column, serverValue(row, column));
        }
        serverRows.insert(*key, whenRead);
    }
    if (serverRows.isEmpty() && newRowSerials.isEmpty())
        return 0;
    m_undoStack.push(new DeleteRowsCommand(this, serverRows, newRowSerials));
    return static_cast<int>(serverRows.size() + newRowSerials.size());
}

void TableModel::markRowsDeleted(const QHash<RowKey, StagedEdits::Values>& rows, bool deleted)
{
    for (auto row = rows.constBegin(); row != rows.constEnd(); ++row) {
        if (deleted)
            m_staged.markDeleted(row.key(), row.value());
        else
            m_staged.unmarkDeleted(row.key());
        if (const int shown = rowForKey(row.key()); shown >= 0)
            notifyRowChanged(shown);
    }
    emit pendingChangesChanged(m_staged.changeCount());
}

void TableModel::notifyRowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

int TableModel::addRow()
{
    const int serial = m_staged.nextSerial();
    m_undoStack.push(new AddRowCommand(this, serial));
    return serverRowCount() + m_staged.newRowPosition(serial);
}

void TableModel::insertNewRow(int position, const StagedEdits::NewRow& row)
{
    const int clamped = qBound(0, position, m_staged.newRowCount());
    beginInsertRows(QModelIndex(), serverRowCount() + clamped, serverRowCount() + clamped);
    m_staged.insertNewRow(clamped, row);
    endInsertRows();
    emit pendingChangesChanged(m_staged.changeCount());
}

StagedEdits::NewRow TableModel::removeNewRow(int position)
{
    beginRemoveRows(QModelIndex(), serverRowCount() + position, serverRowCount() + position);
    StagedEdits::NewRow row = m_staged.takeNewRow(position);
    endRemoveRows();
    emit pendingChangesChanged(m_staged.changeCount());
    return row;
}

QString TableModel::describeKey(const RowKey& key) const
{
    // The column's own name, never translated: it is what the user sees in psql ("id" in the
    // tutorial's table). One arg() call: a name holding "%2" stays as it is.
    return tr("the row with %1 %2").arg(keyName(), keyText(key));
}

QStringList TableModel::columnShape() const
{
    QStringList shape;
    for (int column = 0; column < m_columns.count(); ++column)
        shape << m_columns.name(column) + u' ' + m_columns.typeSql(column);
    for (int column : keyColumns())
        shape << u"key "_s + m_columns.name(column);
    return shape;
}

QString TableModel::keyName() const
{
    if (!hasKey())
        return u"id"_s;
    QStringList names;
    for (int column : keyColumns())
        names << m_columns.name(column);
    // A composite key as psql writes a row: "(tenant_id, id) (1, 42)".
    return names.size() == 1 ? names.constFirst() : u'(' + names.join(u", "_s) + u')';
}

QString TableModel::keyText(const RowKey& key) const
{
    // A number as it is (the tutorial's "id 7"); any other key quoted, so "code a b" reads as one.
    if (key.integer())
        return key.text();
    const KeyColumns columns = m_columns.key();
    if (!columns.isComposite())
        return u'"' + CellAppearance::shortened(key.text()) + u'"';
    QStringList parts;
    const QStringList texts = columns.parts(key);
    for (qsizetype part = 0; part < texts.size(); ++part) {
        const bool number = m_columns.isInteger(keyColumns().value(part));
        parts << (number ? texts.at(part) : u'"' + CellAppearance::shortened(texts.at(part)) + u'"');
    }
    return u'(' + parts.join(u", "_s) + u')';
}

QString TableModel::describeRow(const RowKey& key) const
{
    const int row = rowForKey(key);
    // The tutorial's name, else the column the search box filters on: what the user knows it by.
    const int label = nameColumn() >= 0 ? nameColumn() : filterColumn();
    if (row >= 0 && label >= 0 && hasKey()) {
        const QVariant value = displayValue(row, label);
        if (!value.isNull())
            return tr("the row with %1 %2 (%3 \"%4\")")
                .arg(keyName(), keyText(key), m_columns.name(label), CellAppearance::shortened(value.toString()));
    }
    return describeKey(key);
}

std::optional<TableWriter::Plan> TableModel::savePlan()
{
    m_lastSaveError.clear();
    m_lastConflict.reset();
    m_lastInsertedKeys.clear();
    if (!hasKey()) {
        m_lastSaveError = tr("The table has no primary key pgdesk can use, so rows cannot be saved.");
        return std::nullopt;
    }
    if (m_staged.isStale()) {
        m_lastSaveError = tr("Another client changed the columns or the primary key of the table after you edited it, "
                             "so your changes could land in other cells or rows. Nothing was written: discard them "
                             "and edit again.");
        return std::nullopt;
    }
    SavePlanner::Table table{ m_table, keyColumns(), m_columns.writerColumns(), {}, [this](const RowKey& key) {
                                 return describeRow(key);
                             } };
    for (int column = 0; column < m_columns.count(); ++column)
        table.titles << columnTitle(column);
    if (const QString problem = SavePlanner::unstorableText(m_staged, table); !problem.isEmpty()) {
        m_lastSaveError = problem + u'\n'
            + tr("Edit or undo it and save again. Nothing was written; your changes are still staged.");
        return std::nullopt;
    }
    m_saving = true;
    return SavePlanner::plan(m_staged, table);
}

bool TableModel::finishSave(const TableWriter::Outcome& outcome)
{
    m_saving = false;
    if (!outcome.succeeded()) {
        m_lastSaveError = outcome.error;
        m_lastConflict = outcome.conflict;
        return false;
    }
    m_lastInsertedKeys = outcome.insertedKeys;
    m_staged.clear();
    m_undoStack.clear();
    m_statistics.refresh();
    // Show the saved rows as the server has them now, ids and defaults included.
    if (!m_lastInsertedKeys.isEmpty())
        loadAround(m_lastInsertedKeys.constLast());
    else
        select();
    emit pendingChangesChanged(0);
    return true;
}

void TableModel::resolveDeleteConflictKeepingRow(const SaveConflict& conflict)
{
    markRowsDeleted({ { conflict.key, {} } }, false);
    m_lastConflict.reset();
    reloadWindow();
}

void TableModel::resolveConflictKeepingMine(const SaveConflict& conflict)
{
    SavePlanner::keepMine(m_staged, conflict);
    m_lastConflict.reset();
}

void TableModel::resolveConflictTakingTheirs(const SaveConflict& conflict)
{
    m_undoStack.beginMacro(tr("Take the other client's values"));
    for (int column : conflict.columns) {
        const StagedEdits::Target target = StagedEdits::Target::existing(conflict.key);
        m_undoStack.push(new StageCellCommand(this, target, column, m_staged.value(target, column), std::nullopt));
    }
    m_undoStack.endMacro();
    m_lastConflict.reset();
    reloadWindow();
}

void TableModel::discardChanges()
{
    m_staged.clear();
    m_undoStack.clear();
    select();
    emit pendingChangesChanged(0);
}

QList<RowKey> TableModel::takeRowsToDeleteNow(const QList<int>& rows)
{
    QList<RowKey> keys;
    QList<int> newRowPositions;
    for (int row : rows) {
        if (isNewRow(row))
            newRowPositions << row - serverRowCount();
        else if (const auto key = keyAt(row))
            keys << *key;
    }
    if (!newRowPositions.isEmpty()) {
        std::sort(newRowPositions.begin(), newRowPositions.end(), std::greater<int>());
        for (int position : newRowPositions)
            removeNewRow(position);
        // The undo history refers to rows that are gone now.
        m_undoStack.clear();
        emit pendingChangesChanged(m_staged.changeCount());
    }
    return keys;
}

void TableModel::finishDeleteNow(const QList<RowKey>& deletedKeys)
{
    if (deletedKeys.isEmpty())
        return;
    m_staged.forgetKeys(deletedKeys);
    m_statistics.refresh();
    reloadWindow();
    emit pendingChangesChanged(m_staged.changeCount());
}

bool TableModel::setNameFilter(const NameFilter& nameFilter)
{
    if (filterColumn() < 0)
        return false;
    const bool same = nameFilter.text() == m_nameFilter.text() && nameFilter.mode() == m_nameFilter.mode();
    m_nameFilter = nameFilter;
    m_filterColumnName = m_columns.name(filterColumn());
    if (same && m_window.isLoaded())
        return true;
    m_statistics.forgetMatchingRowCount();
    m_positions.forget();
    loadFirst();
    return lastError().type() == QSqlError::NoError;
}

void TableModel::checkStagedKeysDeletedElsewhere()
{
    const QList<RowKey> keys = m_staged.editedKeys();
    if (keys.isEmpty() || !hasKey()) {
        emit stagedKeysDeletedElsewhereFound(0);
        return;
    }
    m_statistics.findMissingKeys(m_columns.key(), keys);
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        const QString field = m_columns.name(section);
        if (field == u"id")
            return tr("ID");
        if (field == u"name")
            return tr("Name");
        if (field == u"date")
            return tr("Date");
    }
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section >= 0 && section < m_columns.count()
        && !m_columns.typeSql(section).isEmpty()) {
        // The column's real name and type: the header may show a translated title.
        QString tip = tr("%1, %2").arg(m_columns.name(section), m_columns.typeSql(section));
        if (m_columns.isGenerated(section))
            tip += u'\n' + tr("Computed by the server: read-only.");
        if (!m_columns.isSortable(section))
            tip += u'\n' + tr("Cannot be sorted: this type has no order.");
        return tip;
    }
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1;
    return QSqlTableModel::headerData(section, orientation, role);
}
