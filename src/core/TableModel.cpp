#include "TableModel.h"

#include "AddRowCommand.h"
#include "StageCellCommand.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QMetaType>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {
constexpr int deleteBatchSize = 500;
const QColor editedBackground(0xff, 0xf1, 0xb8);
const QColor newRowBackground(0xdc, 0xf3, 0xdc);
const QColor placeholderForeground(0x80, 0x80, 0x80);

QString shortened(const QString& text)
{
    constexpr int limit = 40;
    return text.size() > limit ? text.left(limit) + u'…' : text;
}
} // namespace

TableModel::TableModel(const QSqlDatabase& database, QObject* parent)
    : QSqlTableModel(parent, database)
{
    setEditStrategy(QSqlTableModel::OnManualSubmit);
    connect(&m_undoStack, &QUndoStack::indexChanged, this,
            [this] { emit pendingChangesChanged(m_staged.changeCount()); });
}

bool TableModel::setTableName(const TableName& table)
{
    m_table = table;
    setTable(table.sql());
    m_timestampColumns.clear();
    const QSqlRecord columns = record();
    for (int column = 0; column < columns.count(); ++column) {
        const int type = columns.field(column).metaType().id();
        if (type == QMetaType::QDateTime || type == QMetaType::QDate || type == QMetaType::QTime)
            m_timestampColumns << column;
    }
    // QPSQL leaves QSqlField::defaultValue() empty, so ask the catalog which columns have one.
    m_defaultColumns.clear();
    QSqlQuery defaults(database());
    defaults.setForwardOnly(true);
    defaults.prepare(u"SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND atthasdef "
                     "AND NOT attisdropped"_s);
    defaults.addBindValue(table.sql());
    if (defaults.exec()) {
        while (defaults.next())
            m_defaultColumns << columns.indexOf(defaults.value(0).toString());
    }
    const QSqlIndex key = primaryKey();
    m_keyColumn = key.count() == 1 ? columns.indexOf(key.fieldName(0)) : -1;
    m_nameColumn = columns.indexOf(u"name"_s);
    return columns.count() > 0;
}

bool TableModel::isTimestampColumn(int column) const
{
    return m_timestampColumns.contains(column);
}

QString TableModel::selectStatement() const
{
    const QSqlRecord columns = record();
    if (columns.isEmpty())
        return {};
    QStringList selectList;
    for (int column = 0; column < columns.count(); ++column) {
        const QString quoted = TableName::quoteIdentifier(columns.fieldName(column));
        selectList << (isTimestampColumn(column) ? quoted + u"::text AS "_s + quoted : quoted);
    }
    QString statement = u"SELECT "_s + selectList.join(u", "_s) + u" FROM "_s + m_table.sql();
    if (!filter().isEmpty())
        statement += u" WHERE ("_s + filter() + u')';
    const QString orderBy = orderByClause();
    if (!orderBy.isEmpty())
        statement += u' ' + orderBy;
    return statement;
}

bool TableModel::select()
{
    // QSqlTableModel::select() clears only its own cache; staged edits live in m_staged, keyed by
    // primary key, so they come through every refresh, filter and sort.
    const bool ok = QSqlTableModel::select();
    rebuildKeyIndex();
    m_totalRowCount = serverRowCount();
    if (ok && !filter().isEmpty()) {
        QSqlQuery count(database());
        count.setForwardOnly(true);
        if (count.exec(u"SELECT count(*) FROM "_s + m_table.sql()) && count.next())
            m_totalRowCount = count.value(0).toLongLong();
    }
    return ok;
}

int TableModel::serverRowCount() const
{
    return QSqlTableModel::rowCount(QModelIndex());
}

int TableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return serverRowCount() + m_staged.newRowCount();
}

void TableModel::rebuildKeyIndex()
{
    m_rowForKey.clear();
    if (m_keyColumn < 0)
        return;
    const int rows = serverRowCount();
    m_rowForKey.reserve(rows);
    for (int row = 0; row < rows; ++row) {
        if (const auto key = keyAt(row))
            m_rowForKey.insert(*key, row);
    }
}

int TableModel::rowForKey(qint64 key) const
{
    return m_rowForKey.value(key, -1);
}

std::optional<qint64> TableModel::keyAt(int row) const
{
    if (m_keyColumn < 0 || row < 0 || row >= serverRowCount())
        return std::nullopt;
    const QVariant key = QSqlTableModel::data(QSqlTableModel::index(row, m_keyColumn), Qt::EditRole);
    if (key.isNull())
        return std::nullopt;
    return key.toLongLong();
}

StagedEdits::Target TableModel::targetAt(int row) const
{
    if (isNewRow(row)) {
        const int position = row - serverRowCount();
        return StagedEdits::Target::newRow(m_staged.newRowAt(position).serial);
    }
    return StagedEdits::Target::existing(keyAt(row).value_or(0));
}

QVariant TableModel::serverValue(int row, int column) const
{
    if (isNewRow(row))
        return {};
    return QSqlTableModel::data(QSqlTableModel::index(row, column), Qt::EditRole);
}

QVariant TableModel::displayValue(int row, int column) const
{
    if (!isNewRow(row) && m_keyColumn < 0)
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
    const bool staged = (newRow || m_keyColumn >= 0) && m_staged.value(targetAt(row), column).has_value();
    const bool serverDefault = newRow && !staged && m_defaultColumns.contains(column);

    switch (role) {
    case Qt::DisplayRole: {
        if (serverDefault)
            return tr("default");
        const QVariant value = displayValue(row, column);
        return value.isNull() ? u"NULL"_s : value;
    }
    case Qt::EditRole:
        return serverDefault ? QVariant() : displayValue(row, column);
    case Qt::FontRole:
        if (serverDefault || displayValue(row, column).isNull()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::ForegroundRole:
        if (serverDefault || displayValue(row, column).isNull())
            return QBrush(placeholderForeground);
        return {};
    case Qt::BackgroundRole:
        if (newRow)
            return QBrush(newRowBackground);
        if (staged)
            return QBrush(editedBackground);
        return {};
    case Qt::ToolTipRole:
        if (serverDefault)
            return tr("The server fills this in when the row is saved.");
        if (staged && !newRow) {
            const QVariant before = serverValue(row, column);
            return tr("Changed, not saved yet. The database holds: %1")
                .arg(before.isNull() ? u"NULL"_s : shortened(before.toString()));
        }
        if (newRow)
            return tr("New row, not saved yet.");
        return {};
    case CellStateRole:
        if (newRow)
            return static_cast<int>(CellState::NewRow);
        return static_cast<int>(staged ? CellState::Edited : CellState::Clean);
    default:
        if (newRow)
            return {};
        return QSqlTableModel::data(index, role);
    }
}

Qt::ItemFlags TableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (m_keyColumn >= 0 && index.column() != m_keyColumn)
        result |= Qt::ItemIsEditable;
    return result;
}

bool TableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const QVariant newValue = value.isNull() ? QVariant(record().field(index.column()).metaType()) : value;
    if (StagedEdits::sameValue(data(index, Qt::EditRole), newValue))
        return true; // nothing changes; no undo step for it
    const StagedEdits::Target target = targetAt(index.row());
    m_undoStack.push(
        new StageCellCommand(this, target, index.column(), m_staged.value(target, index.column()), newValue));
    return true;
}

bool TableModel::setNull(const QModelIndex& index)
{
    return setData(index, QVariant(record().field(index.column()).metaType()));
}

void TableModel::applyStagedValue(const StagedEdits::Target& target, int column, const std::optional<QVariant>& value)
{
    int row = -1;
    if (target.isNewRow) {
        const int position = m_staged.newRowPosition(target.serial);
        row = position < 0 ? -1 : serverRowCount() + position;
    } else {
        row = rowForKey(target.key);
    }
    // An existing row filtered out of view has no server value to compare with: keep the edit.
    std::optional<QVariant> original;
    if (row >= 0 && !target.isNewRow)
        original = serverValue(row, column);
    m_staged.setValue(target, column, value, original);
    if (row >= 0)
        notifyRowChanged(row);
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

bool TableModel::execBound(QSqlQuery& query, const QString& statement, const QVariantList& values)
{
    if (!query.prepare(statement))
        return false;
    for (const QVariant& value : values)
        query.addBindValue(value);
    return query.exec();
}

QString TableModel::describeRow(qint64 key) const
{
    const int row = rowForKey(key);
    if (row >= 0 && m_nameColumn >= 0) {
        const QVariant name = displayValue(row, m_nameColumn);
        if (!name.isNull())
            return tr("the row with id %1 (name \"%2\")").arg(key).arg(shortened(name.toString()));
    }
    return tr("the row with id %1").arg(key);
}

bool TableModel::saveChanges()
{
    m_lastSaveError.clear();
    m_lastInsertedKeys.clear();
    if (m_staged.isEmpty())
        return true;
    if (m_keyColumn < 0) {
        m_lastSaveError = tr("The table has no single-column primary key, so rows cannot be saved.");
        return false;
    }
    QSqlDatabase db = database();
    if (!db.transaction()) {
        m_lastSaveError = tr("Could not start a transaction: %1").arg(db.lastError().text());
        return false;
    }
    const QSqlRecord columns = record();
    const QString keySql = TableName::quoteIdentifier(columns.fieldName(m_keyColumn));
    auto fail = [&](const QString& message) {
        db.rollback();
        m_lastSaveError = message + u'\n' + tr("Nothing was written; your changes are still staged.");
        return false;
    };

    QList<qint64> keys = m_staged.editedKeys();
    std::sort(keys.begin(), keys.end());
    for (qint64 key : keys) {
        const StagedEdits::Values edits = m_staged.edits(key);
        QList<int> editedColumns = edits.keys();
        std::sort(editedColumns.begin(), editedColumns.end());
        QStringList assignments;
        QVariantList values;
        for (int column : editedColumns) {
            assignments << TableName::quoteIdentifier(columns.fieldName(column)) + u" = ?"_s;
            values << edits.value(column);
        }
        values << key;
        QSqlQuery update(db);
        const QString statement
            = u"UPDATE "_s + m_table.sql() + u" SET "_s + assignments.join(u", "_s) + u" WHERE "_s + keySql + u" = ?"_s;
        if (!execBound(update, statement, values))
            return fail(tr("Saving %1 failed: %2").arg(describeRow(key), update.lastError().databaseText()));
        if (update.numRowsAffected() == 0)
            return fail(
                tr("Saving %1 failed: the row no longer exists (another client deleted it).").arg(describeRow(key)));
    }

    for (int position = 0; position < m_staged.newRowCount(); ++position) {
        const StagedEdits::NewRow& row = m_staged.newRowAt(position);
        QList<int> editedColumns = row.values.keys();
        std::sort(editedColumns.begin(), editedColumns.end());
        QStringList names;
        QStringList placeholders;
        QVariantList values;
        for (int column : editedColumns) {
            names << TableName::quoteIdentifier(columns.fieldName(column));
            placeholders << u"?"_s;
            values << row.values.value(column);
        }
        // Columns the user left alone are omitted so the server's DEFAULTs apply (id, date).
        const QString statement = names.isEmpty()
            ? QString(u"INSERT INTO "_s + m_table.sql() + u" DEFAULT VALUES RETURNING "_s + keySql)
            : u"INSERT INTO "_s + m_table.sql() + u" ("_s + names.join(u", "_s) + u") VALUES ("_s
                + placeholders.join(u", "_s) + u") RETURNING "_s + keySql;
        QSqlQuery insert(db);
        if (!execBound(insert, statement, values) || !insert.next())
            return fail(tr("Saving new row %1 failed: %2").arg(position + 1).arg(insert.lastError().databaseText()));
        m_lastInsertedKeys << insert.value(0).toLongLong();
    }

    if (!db.commit())
        return fail(tr("Committing failed: %1").arg(db.lastError().text()));

    m_staged.clear();
    m_undoStack.clear();
    select();
    emit pendingChangesChanged(0);
    return true;
}

void TableModel::discardChanges()
{
    m_staged.clear();
    m_undoStack.clear();
    select();
    emit pendingChangesChanged(0);
}

bool TableModel::deleteRows(const QList<int>& rows, QString* error)
{
    QList<qint64> keys;
    QList<int> newRowPositions;
    for (int row : rows) {
        if (isNewRow(row))
            newRowPositions << row - serverRowCount();
        else if (const auto key = keyAt(row))
            keys << *key;
    }
    if (!keys.isEmpty()) {
        QSqlDatabase db = database();
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        const QString keySql = TableName::quoteIdentifier(record().fieldName(m_keyColumn));
        for (qsizetype start = 0; start < keys.size(); start += deleteBatchSize) {
            const QList<qint64> batch = keys.mid(start, deleteBatchSize);
            QStringList placeholders;
            QVariantList values;
            for (qint64 key : batch) {
                placeholders << u"?"_s;
                values << key;
            }
            QSqlQuery remove(db);
            if (!execBound(remove,
                           u"DELETE FROM "_s + m_table.sql() + u" WHERE "_s + keySql + u" IN ("_s
                               + placeholders.join(u", "_s) + u')',
                           values)) {
                *error = remove.lastError().databaseText();
                db.rollback();
                return false;
            }
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            db.rollback();
            return false;
        }
        m_staged.forgetKeys(keys);
    }
    if (!newRowPositions.isEmpty()) {
        std::sort(newRowPositions.begin(), newRowPositions.end(), std::greater<int>());
        for (int position : newRowPositions)
            removeNewRow(position);
        // The undo history refers to rows that are gone now.
        m_undoStack.clear();
    }
    if (!keys.isEmpty())
        select();
    emit pendingChangesChanged(m_staged.changeCount());
    return true;
}

bool TableModel::setNameFilter(const NameFilter& nameFilter)
{
    m_nameFilter = nameFilter;
    if (m_nameColumn < 0)
        return false;
    const QString clause = nameFilter.whereClause(database().driver(), TableName::quoteIdentifier(u"name"_s));
    if (clause == filter())
        return true;
    setFilter(clause); // QSqlTableModel::setFilter() selects again when a query is active
    if (!query().isActive())
        return select();
    return lastError().type() == QSqlError::NoError;
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        const QString field = record().fieldName(section);
        if (field == u"id")
            return tr("ID");
        if (field == u"name")
            return tr("Name");
        if (field == u"date")
            return tr("Date");
    }
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1;
    return QSqlTableModel::headerData(section, orientation, role);
}
