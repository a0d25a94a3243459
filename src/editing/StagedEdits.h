#pragma once

#include "table/RowKey.h"

#include <QHash>
#include <QList>
#include <QStringList>
#include <QVariant>

#include <optional>

// Changes the user made that are not in the database yet, keyed by primary key rather than by
// row number: a select() (refresh, filter, sort) renumbers rows but leaves these untouched.
// New rows have no key until they are inserted; they are told apart by a serial number.
class StagedEdits
{
public:
    using Values = QHash<int, QVariant>; // column -> value

    struct NewRow
    {
        int serial = 0;
        Values values;
    };

    // Where a cell lives: an existing row (by key) or a new row (by serial).
    struct Target
    {
        bool isNewRow = false;
        RowKey key;
        int serial = 0;

        static Target existing(const RowKey& key) { return { false, key, 0 }; }
        static Target newRow(int serial) { return { true, {}, serial }; }
    };

    // NULL and the empty string are different values; QVariant's operator== says they are equal.
    static bool sameValue(const QVariant& a, const QVariant& b);

    // The staged value of a cell, or nothing when the cell shows what the server has.
    std::optional<QVariant> value(const Target& target, int column) const;
    // Stages (or, with nullopt, unstages) a cell. For an existing row, staging the value the
    // server has (originalValue, when known) removes the edit instead.
    void setValue(const Target& target, int column, const std::optional<QVariant>& value,
                  const std::optional<QVariant>& originalValue = std::nullopt);

    // What the server held when the user first edited the cell: the save only overwrites a row
    // still holding these, so another client's change in between is never silently lost.
    std::optional<QVariant> original(const RowKey& key, int column) const;
    void setOriginal(const RowKey& key, int column, const QVariant& value) { m_originals[key].insert(column, value); }

    // Rows marked for deletion: Save deletes them in the same transaction as the edits, and only
    // while the row still holds what the user saw when marking it (whenRead), so a row another
    // client changed meanwhile is never deleted without asking.
    void markDeleted(const RowKey& key, const Values& whenRead) { m_deleted.insert(key, whenRead); }
    void unmarkDeleted(const RowKey& key) { m_deleted.remove(key); }
    bool isDeleted(const RowKey& key) const { return m_deleted.contains(key); }
    QList<RowKey> deletedKeys() const { return m_deleted.keys(); }
    Values deletedRowWhenRead(const RowKey& key) const { return m_deleted.value(key); }
    void setDeletedRowWhenRead(const RowKey& key, const Values& values) { m_deleted.insert(key, values); }
    int deletedCount() const { return static_cast<int>(m_deleted.size()); }

    QList<RowKey> editedKeys() const { return m_edits.keys(); }
    Values edits(const RowKey& key) const { return m_edits.value(key); }
    void forgetKeys(const QList<RowKey>& keys);

    int newRowCount() const { return static_cast<int>(m_newRows.size()); }
    const NewRow& newRowAt(int position) const { return m_newRows.at(position); }
    int newRowPosition(int serial) const; // -1 when there is no such row
    int nextSerial() { return ++m_lastSerial; }
    void insertNewRow(int position, const NewRow& row);
    NewRow takeNewRow(int position);

    // What the status bar counts as changes: edited cells plus new rows (rows marked for deletion
    // are counted apart, by deletedCount()). Edits of a row marked for deletion are not counted:
    // Save deletes that row instead.
    int changeCount() const;
    bool isEmpty() const { return m_edits.isEmpty() && m_newRows.isEmpty() && m_deleted.isEmpty(); }
    void clear();

    // Column numbers and key texts mean what they meant in the table's shape (each column's name
    // and type, the key's columns) when the edits were made. A rebind that finds another shape
    // (another client dropped a column and added it again, or redefined the key) leaves the edits
    // made before it stale: they stay shown, but saving them could write other cells or rows.
    // They stay stale until clear() (Discard): even once each is gone, an undo could bring one
    // back, and edits made since cannot be told apart. A shape change that finds no edits starts
    // afresh (the caller clears the undo history on every change). Returns whether it changed.
    bool bindShape(const QStringList& shape);
    bool isStale() const { return m_stale && !isEmpty(); }

private:
    QHash<RowKey, Values> m_edits;
    QHash<RowKey, Values> m_originals;
    QList<NewRow> m_newRows;
    QHash<RowKey, Values> m_deleted; // key -> the row's values when it was marked
    int m_lastSerial = 0;
    QStringList m_shape;
    bool m_stale = false;
};
