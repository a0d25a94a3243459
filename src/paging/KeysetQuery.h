#pragma once

#include "connection/WorkerStatement.h"
#include "table/KeyColumns.h"
#include "table/RowKey.h"

#include <QString>
#include <QVariantList>

// Builds the statements that find which rows belong in a window of the table, by keyset
// ("rows after this sort value and key"), never by OFFSET: the cost stays the same at any depth.
// Rows are ordered by the sort column and then the primary key, so ties never repeat or skip
// rows at window edges; a composite key takes part as a row of its columns. A nullable sort column
// keeps PostgreSQL's NULL placement (last when ascending, first when descending), which plain row
// comparison cannot express.
class KeysetQuery
{
public:
    struct Order
    {
        QString tableSql; // quoted, e.g. "public"."my_table"
        // The primary key's columns, qualified with the table. A single key's exact reading (a text
        // key starting with U+FEFF, a numeric key) names the bare column: it also reads the picked
        // rows of a sort by another column.
        KeyColumns key;
        // Quoted sort column, qualified like the key's; equal to the key's first column when sorting
        // by key (a composite key is then ordered by all its columns, as its index is).
        QString sortSql;
        bool sortNullable = false;
        // How the sort value is read, when plain sortSql would not read it exactly; empty for
        // sortSql. TIMESTAMP sort values travel as text (ISO text selected, see DateTimeText; "::timestamp" bound)
        // because QPSQL would shift them by the client's time zone and cut them to milliseconds;
        // text that starts with U+FEFF would lose it (see TableColumns::exactReadSql()).
        QString sortSelect;
        QString sortBindCast;
        bool ascending = true;
        QString filterSql; // an already escaped boolean expression, or empty
        // More select-list items after the key and the sort value, e.g. the whole row, so that one
        // statement on the worker brings what the window shows; empty for keys and sort values only.
        QString rowSelect;
    };

    // A row position in the order: the sort column's value and the key.
    struct Anchor
    {
        QVariant sortValue;
        RowKey key;
    };

    using Statement = WorkerStatement;

    explicit KeysetQuery(Order order);

    // Each statement selects (key, sort value[, rowSelect...]) rows, at most `limit`.
    Statement first(int limit) const;
    Statement last(int limit) const;
    Statement after(const Anchor& anchor, int limit, bool inclusive = false) const;
    Statement before(const Anchor& anchor, int limit) const;
    // before(anchor, beforeLimit) and after(anchor, afterLimit, inclusive) as one statement, its
    // two parts in WorkerStatement::partsReversed.
    Statement around(const Anchor& anchor, int beforeLimit, int afterLimit) const;
    // after(anchor, limit) looked for only among the order's first prefixRows rows, for a sort no
    // index serves (picksRowsFirst()): the server's top-N sort compares a row with the heap's
    // worst, by abbreviated keys, while after()'s anchor condition compares every row of the table
    // in full, and that made a Next cost 1.28 times the First (issue 18). Those rows are after()'s
    // answer when they are `limit` rows, or when the prefix held every row of the order; each row
    // leads with its part number to tell: 0 when the prefix held every row, 1 when it was full
    // (WorkerStatement::partsReversed). Fewer than `limit` rows in part 1 (rows added before the
    // anchor since its place was counted) prove nothing: read after() instead.
    Statement afterAmongFirst(const Anchor& anchor, int limit, qint64 prefixRows) const;

    // Rows of the order spread evenly over it, as (key, sort value, place in the sample counted
    // from 1, rows in the sample), at most about `keep` of them: where the scrollbar's thumb finds
    // its anchors (PositionSample). The sample is a share of the table's pages (TABLESAMPLE
    // SYSTEM, the same pages every time while the table stays as it is), or every row when
    // pagePercent is 100 or more; the server sorts it and keeps every n-th row, so only `keep`
    // rows travel. Filtered like the window, so it samples the matches.
    Statement sample(double pagePercent, int keep) const;

    // A table without a usable primary key cannot be paged: its first rows in no particular order,
    // the filter's if any, rowSelect alone.
    static Statement unkeyedFirst(const Order& order, int limit);

    // ORDER BY for showing the selected rows in window order.
    QString orderBy() const;
    // The same order without the keywords, for a statement that adds its own (CsvExporter).
    QString orderTerms() const { return orderClause(true); }
    const KeyColumns& key() const { return m_order.key; }
    bool sortsByKey() const { return m_order.sortSql == m_order.key.columns().value(0); }
    // Whether a statement picks its window's rows whole in a subquery before reading them with
    // rowSelect (see build()): when it sorts by another column than the key and reads whole rows.
    bool picksRowsFirst() const;

private:
    Statement build(const QString& condition, const QVariantList& values, bool forward, int limit) const;
    // " FROM <table> WHERE <filter> AND <condition> ORDER BY <order> LIMIT <limit>".
    QString rowsSql(const QString& condition, bool forward, qint64 limit) const;
    // What a statement reads from the rows picked whole (picksRowsFirst()): key, sort value, row.
    QString pickedReadList() const;
    QString orderClause(bool forward, bool ofPickedRows = false) const;
    // A column of the order (qualified with the table or bare) as the subquery's column.
    QString pickedColumn(const QString& columnSql) const;
    KeyColumns pickedKey() const;
    static QString pickedAlias() { return QStringLiteral("keyset_window"); }
    // How the sort value is selected: sortSelect when it reads more exactly, else the column.
    const QString& sortSelectSql() const { return m_order.sortSelect.isEmpty() ? m_order.sortSql : m_order.sortSelect; }
    // Rows strictly after the anchor in the order going `forward` (or backward), as SQL.
    QString afterCondition(const Anchor& anchor, bool forward, bool inclusive, QVariantList* values) const;

    Order m_order;
};
