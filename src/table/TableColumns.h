#pragma once

#include "table/KeyColumns.h"
#include "table/TableCatalog.h"
#include "table/TableWriter.h"

#include <QHash>
#include <QList>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlRecord>
#include <QString>

// The bound table's columns as the model reads and writes them, worked out once at bind: which
// column is the key and which the tutorial's name, and how each value travels through QPSQL
// exactly. Built from what the catalog said (the record, the primary key, TableCatalog's traits),
// so it runs no statement and is tested without a server.
class TableColumns
{
public:
    TableColumns() = default;
    TableColumns(const QSqlRecord& record, const QSqlIndex& primaryKey, const TableCatalog::ColumnTraits& traits);

    int count() const { return m_record.count(); }
    QString name(int column) const { return m_record.fieldName(column); }
    // By the exact name: QSqlRecord::indexOf() ignores case, so "Email" and email would be one.
    int indexOf(const QString& name) const;
    QString quotedName(int column) const;
    QMetaType type(int column) const { return m_record.field(column).metaType(); }
    // The primary key's columns in the key's order; empty without a usable primary key (the
    // window cannot be paged or edited then).
    const QList<int>& keyColumns() const { return m_keyColumns; }
    bool hasKey() const { return !m_keyColumns.isEmpty(); }
    bool isKey(int column) const { return m_keyColumns.contains(column); }
    // A single smallint, integer or bigint key (the tutorial's serial id): new rows take the
    // greatest key, and the key's histogram places rows by arithmetic.
    bool isIntegerKey() const { return m_keyColumns.size() == 1 && isInteger(m_keyColumns.constFirst()); }
    // The key as SQL, each column qualified with `qualifier` (a table's SQL name) unless empty.
    KeyColumns key(const QString& qualifier = {}) const;
    // The tutorial's "name", only when it holds text: pasting names, importing names and the row
    // details' name editor write text into it. -1 otherwise.
    int nameColumn() const { return m_nameColumn; }
    // The columns the search box can filter on: every column, in the table's order. A string
    // column is searched as text; any other by comparison (NameFilter).
    QList<int> filterColumns() const;
    bool isString(int column) const { return m_stringColumns.contains(column); }
    // "name" when the table has a text name, else its first string column, else the first column
    // after the key; -1 when the key is all there is.
    int defaultFilterColumn() const;
    bool isTimestamp(int column) const { return m_timestampColumns.contains(column); }
    bool hasDefault(int column) const { return m_defaultColumns.contains(column); }
    // An identity or serial column: the server numbers new rows (TableCatalog::ColumnTraits).
    bool isNumbered(int column) const { return m_numberedColumns.contains(column); }
    // Whether the catalog's traits were read: without them defaults, generated and text columns
    // are all unknown.
    bool hasTraits() const { return m_hasTraits; }
    bool isNumber(int column) const;
    // smallint, integer or bigint (a domain over one too).
    bool isInteger(int column) const;
    bool isNullable(int column) const;
    // The values a cell of the column can take, for a drop-down editor: an enum's labels in its
    // order, or true and false; empty for any other type. NULL comes on top where isNullable().
    QStringList choices(int column) const;
    // Computed by the server (a generated column, an identity column GENERATED ALWAYS): read-only.
    bool isGenerated(int column) const { return m_generatedColumns.contains(column); }
    // Whether a trigram index can speed up the search box's ILIKE on the column.
    bool isTrigramIndexable(int column) const { return m_trigramIndexableColumns.contains(column); }
    // Whether ORDER BY can take the column (json, xml, point have no order).
    bool isSortable(int column) const
    {
        return column >= 0 && column < count() && !m_unsortableColumns.contains(column);
    }

    // The select-list expression that reads the column's value exactly through QPSQL.
    QString exactReadSql(int column) const;
    // The expression a save compares with the value as read ("unchanged since"), by
    // IS NOT DISTINCT FROM: the column itself where QPSQL reads it exactly as its own type, else
    // the text it was read as (timestamps, numeric, and types QPSQL hands over as their text, json,
    // xml and point among them, which have no '=').
    QString compareSql(int column) const;
    // The column's type as SQL names it; empty when the catalog did not say.
    QString typeSql(int column) const { return m_typeSql.value(column); }
    // Read as text that is not the column's own type: a value read must be cast back to typeSql()
    // to be compared in the column's order (a keyset anchor).
    bool isReadAsText(int column) const { return isTimestamp(column) || m_textFormColumns.contains(column); }
    // Every column, each read exactly, named after the column: a window's rows.
    QString rowSelectList() const;
    // Every column for COPY ... TO STDOUT (CSV export): each as the server's text, timestamps as
    // ISO text whatever the session's DateStyle, without rowSelectList()'s guard for QPSQL.
    QString exportSelectList() const;
    // What TableWriter needs of each column to write and compare it exactly.
    QList<TableWriter::Column> writerColumns() const;

private:
    // The column as its own text where QPSQL reads it as text (an enum, json, uuid), else itself.
    QString plainTextSql(int column) const;
    QSqlRecord m_record;
    QList<int> m_timestampColumns;
    QList<int> m_defaultColumns;
    QList<int> m_numberedColumns;
    bool m_hasTraits = false;
    QList<int> m_bomGuardedColumns; // text read through exactReadSql()'s U+FEFF guard
    QList<int> m_paddedColumns; // char(n) in a UTF8 database: a key of one is read guarded too
    QList<int> m_stringColumns; // any string type: a save compares them as themselves
    QList<int> m_textFormColumns; // read as their text: numeric, and what QPSQL reads as a string
    QHash<int, QString> m_typeSql;
    QList<int> m_unsortableColumns;
    QList<int> m_trigramIndexableColumns;
    QList<int> m_generatedColumns;
    QHash<int, QStringList> m_enumLabels;
    QList<int> m_keyColumns;
    int m_nameColumn = -1;
};
