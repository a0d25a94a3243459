#pragma once

#include "table/RowKey.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>

// The primary key's columns as SQL: how a row's key is read into one RowKey, matched, compared
// for keyset paging and ordered. A single-column key is read as itself (or as its exact reading,
// TableColumns::exactReadSql()). A composite key such as (tenant_id, id) is read as one JSON array
// of its columns' texts, so every row is still named by one RowKey, and each part is bound back as
// a literal of unknown type that the server reads as its column's type. Rows are matched and
// compared as a row of the key's columns, "(tenant_id, id) > (?, ?)", which the key's index serves
// in either direction; comparing the JSON text instead would read every row.
class KeyColumns
{
public:
    KeyColumns() = default;
    // columnsSql: each key column as SQL (quoted, qualified or not), in the key's order.
    // singleReadSql: how a single-column key is read exactly, when the column itself would not be.
    explicit KeyColumns(QStringList columnsSql, QString singleReadSql = {});

    bool isEmpty() const { return m_columns.isEmpty(); }
    bool isComposite() const { return m_columns.size() > 1; }
    const QStringList& columns() const { return m_columns; }
    // The same key with each column written another way (through a subquery's alias, a table
    // alias); a single key's exact reading is kept, as it names the bare column.
    KeyColumns mapped(const std::function<QString(const QString&)>& column) const;

    // The select-list expression whose value RowKey::fromValue() turns into the row's key.
    QString readSql() const;
    // "k = ?" or "(a, b) = (?, ?)", bound with bindValues().
    QString equalsSql() const { return compareSql(QStringLiteral("=")); }
    // "k > ?" or "(a, b) > (?, ?)": rows after (or before) a key in key order.
    QString compareSql(const QString& comparison) const;
    // The key's columns as a list, to lead or follow other items of a row comparison.
    QString listSql() const { return m_columns.join(QStringLiteral(", ")); }
    QString placeholderListSql() const;
    // "a ASC, b ASC".
    QString orderSql(const QString& direction) const;
    // "k IN (7, 8)" or "(a, b) IN (('1', '7'), ('1', '8'))", the keys written as literals.
    QString inSql(const QList<RowKey>& keys) const;
    // What a statement binds for the key: one value per key column.
    QVariantList bindValues(const RowKey& key) const;
    // The key's parts as texts, one per column (a single key's text).
    QStringList parts(const RowKey& key) const;

private:
    QString tupleSql(const QString& inside) const;

    QStringList m_columns;
    QString m_singleReadSql;
};
