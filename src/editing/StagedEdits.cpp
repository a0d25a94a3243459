#include "editing/StagedEdits.h"

#include "table/ValueText.h"

bool StagedEdits::sameValue(const QVariant& a, const QVariant& b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() && b.isNull();
    // As the grid shows them: an editor closed on "NaN" has not changed a NaN read as a double.
    return ValueText::of(a) == ValueText::of(b);
}

std::optional<QVariant> StagedEdits::value(const Target& target, int column) const
{
    if (target.isNewRow) {
        const int position = newRowPosition(target.serial);
        if (position < 0 || !m_newRows.at(position).values.contains(column))
            return std::nullopt;
        return m_newRows.at(position).values.value(column);
    }
    const auto row = m_edits.constFind(target.key);
    if (row == m_edits.constEnd() || !row->contains(column))
        return std::nullopt;
    return row->value(column);
}

void StagedEdits::setValue(const Target& target, int column, const std::optional<QVariant>& value,
                           const std::optional<QVariant>& originalValue)
{
    if (target.isNewRow) {
        const int position = newRowPosition(target.serial);
        if (position < 0)
            return;
        Values& values = m_newRows[position].values;
        if (value)
            values.insert(column, *value);
        else
            values.remove(column);
        return;
    }
    if (value && originalValue && !sameValue(*value, *originalValue) && !original(target.key, column))
        m_originals[target.key].insert(column, *originalValue);
    if (!value || (originalValue && sameValue(*value, *originalValue))) {
        auto row = m_edits.find(target.key);
        if (row != m_edits.end()) {
            row->remove(column);
            if (row->isEmpty())
                m_edits.erase(row);
        }
        auto originals = m_originals.find(target.key);
        if (originals != m_originals.end()) {
            originals->remove(column);
            if (originals->isEmpty())
                m_originals.erase(originals);
        }
        return;
    }
    m_edits[target.key].insert(column, *value);
}

void StagedEdits::forgetKeys(const QList<RowKey>& keys)
{
    for (const RowKey& key : keys) {
        m_edits.remove(key);
        m_originals.remove(key);
        m_deleted.remove(key);
    }
}

std::optional<QVariant> StagedEdits::original(const RowKey& key, int column) const
{
    const auto row = m_originals.constFind(key);
    if (row == m_originals.constEnd() || !row->contains(column))
        return std::nullopt;
    return row->value(column);
}

int StagedEdits::newRowPosition(int serial) const
{
    for (int position = 0; position < m_newRows.size(); ++position) {
        if (m_newRows.at(position).serial == serial)
            return position;
    }
    return -1;
}

void StagedEdits::insertNewRow(int position, const NewRow& row)
{
    m_newRows.insert(qBound(0, position, newRowCount()), row);
}

StagedEdits::NewRow StagedEdits::takeNewRow(int position)
{
    return m_newRows.takeAt(position);
}

int StagedEdits::changeCount() const
{
    int count = newRowCount();
    for (auto row = m_edits.constBegin(); row != m_edits.constEnd(); ++row) {
        if (!m_deleted.contains(row.key()))
            count += static_cast<int>(row->size());
    }
    return count;
}

void StagedEdits::clear()
{
    m_edits.clear();
    m_originals.clear();
    m_newRows.clear();
    m_deleted.clear();
    m_stale = false;
}

bool StagedEdits::bindShape(const QStringList& shape)
{
    if (shape == m_shape)
        return false;
    m_stale = !isEmpty();
    m_shape = shape;
    return true;
}
