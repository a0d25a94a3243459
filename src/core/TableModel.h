#pragma once

#include "NameFilter.h"
#include "StagedEdits.h"
#include "TableName.h"

#include <QSqlTableModel>
#include <QUndoStack>

// The QSqlTableModel the window binds to the table. It reads through QSqlTableModel (select,
// filter, sort) but stages edits itself, because Qt 6.4's QPSQL and QSqlTableModel get several
// things wrong for this table (see docs/ARCHITECTURE.md):
// - select() throws away QSqlTableModel's own pending changes; StagedEdits is keyed by primary
//   key and survives every select(), so refresh, filter and sort keep the user's edits.
// - QPSQL never marks BIGSERIAL as auto-value, so a plain model shows a blank "!" row after an
//   insert; saveChanges() inserts with RETURNING and reads the rows back.
// - TIMESTAMP columns are selected and written as text: QPSQL reads them as client-local time and
//   writes them as UTC with milliseconds, which moves stored values and drops microseconds.
class TableModel : public QSqlTableModel
{
    Q_OBJECT

public:
    enum Role { CellStateRole = Qt::UserRole + 1 };
    enum class CellState { Clean, Edited, NewRow };

    explicit TableModel(const QSqlDatabase& database, QObject* parent = nullptr);

    // Binds the model to the table and gives the tutorial's columns readable headers. Returns false
    // when the table cannot be read (missing, no permission).
    bool setTableName(const TableName& table);
    TableName tableName() const { return m_table; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool select() override;

    bool isTimestampColumn(int column) const;
    int keyColumn() const { return m_keyColumn; }
    int nameColumn() const { return m_nameColumn; }
    bool isNewRow(int row) const { return row >= serverRowCount(); }
    int serverRowCount() const;
    // The row showing this key, or -1 when it is not among the selected rows.
    int rowForKey(qint64 key) const;
    std::optional<qint64> keyAt(int row) const;

    // Staged editing. Every change goes through the undo stack.
    QUndoStack* undoStack() { return &m_undoStack; }
    int addRow(); // returns the new row's index
    bool setNull(const QModelIndex& index);
    bool hasPendingChanges() const { return !m_staged.isEmpty(); }
    int pendingChangeCount() const { return m_staged.changeCount(); }
    const StagedEdits& stagedEdits() const { return m_staged; }

    // Writes every staged change in one transaction. On failure nothing is written, the edits stay
    // staged, and lastSaveError() names the row.
    bool saveChanges();
    void discardChanges();
    QString lastSaveError() const { return m_lastSaveError; }
    QList<qint64> lastInsertedKeys() const { return m_lastInsertedKeys; }

    // Deletes these rows now, in one transaction (new, unsaved rows are just dropped).
    bool deleteRows(const QList<int>& rows, QString* error);

    // The search box. Keeps staged edits; returns false when the select failed.
    bool setNameFilter(const NameFilter& filter);
    NameFilter nameFilter() const { return m_nameFilter; }
    // Rows in the table regardless of the filter (counted only while a filter is on).
    qint64 totalRowCount() const { return m_totalRowCount; }

    // Used by the undo commands; they own the before/after state.
    void applyStagedValue(const StagedEdits::Target& target, int column, const std::optional<QVariant>& value);
    void insertNewRow(int position, const StagedEdits::NewRow& row);
    StagedEdits::NewRow removeNewRow(int position);
    StagedEdits::Target targetAt(int row) const;
    QVariant serverValue(int row, int column) const;

signals:
    void pendingChangesChanged(int count);

protected:
    QString selectStatement() const override;

private:
    QVariant displayValue(int row, int column) const;
    void rebuildKeyIndex();
    void notifyRowChanged(int row);
    bool execBound(QSqlQuery& query, const QString& statement, const QVariantList& values);
    QString describeRow(qint64 key) const;

    TableName m_table;
    QList<int> m_timestampColumns;
    QList<int> m_defaultColumns;
    int m_keyColumn = -1;
    int m_nameColumn = -1;
    StagedEdits m_staged;
    QUndoStack m_undoStack;
    QHash<qint64, int> m_rowForKey;
    QString m_lastSaveError;
    QList<qint64> m_lastInsertedKeys;
    NameFilter m_nameFilter;
    qint64 m_totalRowCount = 0;
};
