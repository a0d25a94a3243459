#include "paging/KeysetQuery.h"

#include <QStringList>

using namespace Qt::StringLiterals;

KeysetQuery::KeysetQuery(Order order)
    : m_order(std::move(order))
{
}

QString KeysetQuery::orderClause(bool forward, bool ofPickedRows) const
{
    const bool ascending = forward ? m_order.ascending : !m_order.ascending;
    const QString direction = ascending ? u"ASC"_s : u"DESC"_s;
    const KeyColumns key = ofPickedRows ? pickedKey() : m_order.key;
    if (sortsByKey())
        return key.orderSql(direction);
    // PostgreSQL's own default: NULLS LAST for ASC, NULLS FIRST for DESC; stated so it is explicit.
    const QString nulls = ascending ? u" NULLS LAST"_s : u" NULLS FIRST"_s;
    const QString sort = ofPickedRows ? pickedColumn(m_order.sortSql) : m_order.sortSql;
    return sort + u' ' + direction + nulls + u", "_s + key.orderSql(direction);
}

QString KeysetQuery::orderBy() const
{
    return u"ORDER BY "_s + orderClause(true);
}

QString KeysetQuery::afterCondition(const Anchor& anchor, bool forward, bool inclusive, QVariantList* values) const
{
    const bool ascending = forward ? m_order.ascending : !m_order.ascending;
    const QString compare = ascending ? (inclusive ? u">="_s : u">"_s) : (inclusive ? u"<="_s : u"<"_s);
    const KeyColumns& key = m_order.key;
    if (sortsByKey()) {
        *values << key.bindValues(anchor.key);
        return key.compareSql(compare);
    }
    const QString& sort = m_order.sortSql;
    const bool nullsLast = ascending;
    if (!m_order.sortNullable || !anchor.sortValue.isNull()) {
        *values << anchor.sortValue << key.bindValues(anchor.key);
        QString condition = u"("_s + sort + u", "_s + key.listSql() + u") "_s + compare + u" (?"_s
            + m_order.sortBindCast + u", "_s + key.placeholderListSql() + u')';
        if (m_order.sortNullable && nullsLast)
            condition = u"("_s + condition + u" OR "_s + sort + u" IS NULL)"_s;
        return condition;
    }
    // The anchor's sort value is NULL: among the NULLs only the key orders.
    *values << key.bindValues(anchor.key);
    QString condition = u"("_s + sort + u" IS NULL AND "_s + key.compareSql(compare) + u')';
    if (!nullsLast)
        condition = u"("_s + condition + u" OR "_s + sort + u" IS NOT NULL)"_s;
    return condition;
}

QString KeysetQuery::rowsSql(const QString& condition, bool forward, qint64 limit) const
{
    QStringList conditions;
    if (!m_order.filterSql.isEmpty())
        conditions << u"("_s + m_order.filterSql + u')';
    if (!condition.isEmpty())
        conditions << condition;
    QString rows = u" FROM "_s + m_order.tableSql;
    if (!conditions.isEmpty())
        rows += u" WHERE "_s + conditions.join(u" AND "_s);
    return rows + u" ORDER BY "_s + orderClause(forward) + u" LIMIT "_s + QString::number(limit);
}

QString KeysetQuery::pickedReadList() const
{
    return pickedKey().readSql() + u", "_s
        + (m_order.sortSelect.isEmpty() ? pickedColumn(m_order.sortSql) : m_order.sortSelect) + u", "_s
        + m_order.rowSelect;
}

KeysetQuery::Statement KeysetQuery::build(const QString& condition, const QVariantList& values, bool forward,
                                          int limit) const
{
    const QString rows = rowsSql(condition, forward, limit);
    const QString& sortSelect = sortSelectSql();
    if (!picksRowsFirst()) {
        QString sql = u"SELECT "_s + m_order.key.readSql() + u", "_s + sortSelect;
        if (!m_order.rowSelect.isEmpty())
            sql += u", "_s + m_order.rowSelect;
        return Statement{ sql + rows, values, !forward };
    }
    // A sort by any column but the key reads and sorts every row that passes the filter (a top-N
    // sort, parallel where the server can) unless an index gives the order. Select-list
    // expressions are computed before a sort: the row select's reading expressions (the U+FEFF
    // guard, ISO timestamps) would run on all 10M rows and double the sort's time, and JIT would
    // compile them for each parallel worker (issue 18; the plans are in docs/BENCHMARKS.md). So
    // the window's rows are picked whole, as psql's "SELECT * ... ORDER BY ... LIMIT" picks them,
    // and read only then. The outer query names the subquery's columns through its alias: the
    // table's name does not reach into it, and a bare "name" in ORDER BY would be the select
    // list's reading expression of that name.
    const QString sql = u"SELECT "_s + pickedReadList() + u" FROM (SELECT *"_s + rows + u") AS "_s + pickedAlias()
        + u" ORDER BY "_s + orderClause(forward, true);
    return Statement{ sql, values, !forward };
}

bool KeysetQuery::picksRowsFirst() const
{
    return !sortsByKey() && !m_order.rowSelect.isEmpty();
}

KeyColumns KeysetQuery::pickedKey() const
{
    return m_order.key.mapped([this](const QString& column) { return pickedColumn(column); });
}

QString KeysetQuery::pickedColumn(const QString& columnSql) const
{
    const QString qualifier = m_order.tableSql + u'.';
    const QString column = columnSql.startsWith(qualifier) ? columnSql.mid(qualifier.size()) : columnSql;
    return pickedAlias() + u'.' + column;
}

KeysetQuery::Statement KeysetQuery::unkeyedFirst(const Order& order, int limit)
{
    QString sql = u"SELECT "_s + order.rowSelect + u" FROM "_s + order.tableSql;
    if (!order.filterSql.isEmpty())
        sql += u" WHERE "_s + order.filterSql;
    return { sql + u" LIMIT "_s + QString::number(limit), {}, false };
}

KeysetQuery::Statement KeysetQuery::first(int limit) const
{
    return build({}, {}, true, limit);
}

KeysetQuery::Statement KeysetQuery::last(int limit) const
{
    return build({}, {}, false, limit);
}

KeysetQuery::Statement KeysetQuery::after(const Anchor& anchor, int limit, bool inclusive) const
{
    QVariantList values;
    const QString condition = afterCondition(anchor, true, inclusive, &values);
    return build(condition, values, true, limit);
}

KeysetQuery::Statement KeysetQuery::before(const Anchor& anchor, int limit) const
{
    QVariantList values;
    const QString condition = afterCondition(anchor, false, false, &values);
    return build(condition, values, false, limit);
}

KeysetQuery::Statement KeysetQuery::around(const Anchor& anchor, int beforeLimit, int afterLimit) const
{
    // One round trip instead of two, and both halves from one snapshot. Each branch keeps its own
    // ORDER BY ... LIMIT inside a subquery; UNION ALL appends them without sorting, and a row's
    // part number, not its place in the answer, says which half it belongs to (a parallel append
    // may interleave the branches, never reorder one).
    const Statement preceding = before(anchor, beforeLimit);
    const Statement following = after(anchor, afterLimit, true);
    Statement statement;
    statement.sql = u"SELECT 0, preceding.* FROM ("_s + preceding.sql
        + u") AS preceding UNION ALL SELECT 1, following.* FROM ("_s + following.sql + u") AS following"_s;
    statement.values = preceding.values + following.values;
    statement.partsReversed = { preceding.reversed, following.reversed };
    return statement;
}

KeysetQuery::Statement KeysetQuery::afterAmongFirst(const Anchor& anchor, int limit, qint64 prefixRows) const
{
    if (!picksRowsFirst())
        return after(anchor, limit);
    // The anchor's condition on the picked rows' columns: the same order, read through the alias.
    Order ofPicked = m_order;
    ofPicked.sortSql = pickedColumn(m_order.sortSql);
    ofPicked.key = pickedKey();
    ofPicked.filterSql.clear();
    Statement statement;
    const QString condition = KeysetQuery(ofPicked).afterCondition(anchor, true, false, &statement.values);
    // Referenced twice, so the server computes the CTE once (without the MATERIALIZED keyword,
    // which servers before 12 do not know, and which they do anyway); the count is an InitPlan.
    statement.sql = u"WITH picked AS (SELECT *"_s + rowsSql({}, true, prefixRows)
        + u") SELECT CASE WHEN (SELECT count(*) FROM picked) < "_s + QString::number(prefixRows)
        + u" THEN 0 ELSE 1 END, "_s + pickedReadList() + u" FROM picked AS "_s + pickedAlias() + u" WHERE "_s
        + condition + u" ORDER BY "_s + orderClause(true, true) + u" LIMIT "_s + QString::number(limit);
    statement.partsReversed = { false, false };
    return statement;
}

KeysetQuery::Statement KeysetQuery::sample(double pagePercent, int keep) const
{
    const QString& sortSelect = sortSelectSql();
    QString inner = u"SELECT "_s + m_order.key.readSql() + u" AS k, "_s + sortSelect
        + u" AS s, row_number() OVER (ORDER BY "_s + orderClause(true) + u") AS r, count(*) OVER () AS n FROM "_s
        + m_order.tableSql;
    // REPEATABLE: a drag to the same place twice lands on the same rows.
    if (pagePercent < 100)
        inner
            += u" TABLESAMPLE SYSTEM ("_s + QString::number(qMax(pagePercent, 0.0001), 'f', 4) + u") REPEATABLE (0)"_s;
    if (!m_order.filterSql.isEmpty())
        inner += u" WHERE ("_s + m_order.filterSql + u')';
    const QString every = u"greatest(1, n / "_s + QString::number(qMax(1, keep)) + u')';
    // The last row too, so a drag to the end of the sample reaches the end of the order.
    return Statement{ u"SELECT k, s, r, n FROM ("_s + inner + u") AS sample WHERE (r - 1) % "_s + every
                          + u" = 0 OR r = n ORDER BY r"_s,
                      {},
                      false };
}
