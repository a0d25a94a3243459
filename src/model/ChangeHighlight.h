#pragma once

#include "paging/RowWindow.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

// The live view's marks on rows another client changed: before a reload it remembers what each
// row in the window held, after it the rows that differ (or are new) stay highlighted for a
// moment. Keyed by primary key, so rows that moved within the window are not marked.
class ChangeHighlight : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    void remember(const RowWindow& window);
    // Marks the rows that differ from what remember() saw, for `milliseconds`, and forgets that.
    void markChangedSince(const RowWindow& window, int milliseconds);
    bool isEmpty() const { return m_highlighted.isEmpty(); }
    bool contains(const RowKey& key) const { return m_highlighted.contains(key); }

signals:
    // Rows were marked or their marks ran out: their background changes.
    void marksChanged();

private:
    QHash<RowKey, QString> m_remembered;
    QSet<RowKey> m_highlighted;
};
