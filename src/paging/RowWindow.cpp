#include "paging/RowWindow.h"

namespace {
// Every statement of a keyed window leads with the key and the sort value.
constexpr int leadingColumns = 2;
// A Next in an order no index serves looks among the order's first rows up to this many: the
// server's top-N sort keeps them all in memory, and if they do not fit in work_mem (4 MB by
// default) it sorts the whole table on disk instead. A row is at most about 2 kB in the heap
// (longer values are TOASTed and sorted as pointers), so 2,000 fit. Past that the rows are found
// by the anchor's condition on every row.
constexpr qint64 mostRowsToPickFrom = 2000;

QList<KeysetQuery::Anchor> anchorsOf(const QList<QVariantList>& rows)
{
    QList<KeysetQuery::Anchor> anchors;
    anchors.reserve(rows.size());
    for (const QVariantList& row : rows)
        anchors << KeysetQuery::Anchor{ row.value(1), RowKey::fromValue(row.value(0)) };
    return anchors;
}
} // namespace

KeysetQuery::Anchor RowWindow::anchorAt(int index) const
{
    return m_anchors.at(qBound(0, index, static_cast<int>(m_anchors.size()) - 1));
}

RowWindow::Plan RowWindow::plan(Move move, const KeysetQuery& query, int overlapRows, const RowKey& aroundKey,
                                const std::optional<KeysetQuery::Anchor>& aroundAnchor, const QString& lookupSql) const
{
    if (m_anchors.isEmpty() && move != Move::Last && move != Move::Around && move != Move::AroundLookup)
        move = Move::First;
    Plan plan;
    plan.move = move;
    plan.aroundKey = aroundKey;
    plan.aheadEpoch = m_aheadEpoch;
    const int count = static_cast<int>(m_anchors.size());
    // An index gives the key order: a window there reads only its own rows, so nothing is gained.
    const int readAhead = query.sortsByKey() || m_readAheadLifetime == 0 ? 0 : m_size;
    switch (move) {
    case Move::First:
        plan.readAhead = readAhead;
        plan.statements << query.first(m_size + readAhead);
        break;
    case Move::Last:
        plan.statements << query.last(m_size);
        break;
    case Move::Next: {
        plan.overlap = qMax(0, count - 1 - overlapRows);
        // The rows after the anchor: the window's own past it, then those read ahead.
        const int following = count - 1 - plan.overlap + readAheadRows();
        if (readAheadRows() > 0 && (following >= m_size || m_aheadEndsTable)) {
            plan.fromReadAhead = true;
            break;
        }
        plan.readAhead = readAhead;
        // Where the anchor stands in the order is known while the window moved there from the
        // first rows. A quarter window more absorbs a few rows added before it meanwhile; more
        // than that, and the statement says so (Outcome::NextPlainly).
        const qint64 prefix = m_start + plan.overlap + 1 + m_size + readAhead + m_size / 4;
        if (query.picksRowsFirst() && m_placeCountedFromFirst && prefix <= mostRowsToPickFrom) {
            plan.prefixRows = prefix;
            plan.statements << query.afterAmongFirst(anchorAt(plan.overlap), m_size + readAhead, prefix);
            break;
        }
        plan.statements << query.after(anchorAt(plan.overlap), m_size + readAhead);
        break;
    }
    case Move::Previous:
        plan.overlap = qMin(overlapRows, count - 1);
        plan.statements << query.before(anchorAt(plan.overlap), m_size);
        break;
    case Move::Rest:
        plan.overlap = count;
        plan.statements << query.after(anchorAt(count - 1), qMax(1, m_size - count));
        break;
    case Move::Reload:
        // One row more than the window: whether the window still ends the table (F5 or a reconnect
        // at the last rows) cannot be told from a full window alone. At the start of the table the
        // rows another client added before the first one shown are the table's first now: read
        // from the start, not from that row (a uuid key's new row sorts anywhere).
        plan.statements << (m_atStart ? query.first(m_size + 1) : query.after(anchorAt(0), m_size + 1, true));
        break;
    case Move::Around:
    case Move::AroundLookup: {
        // In key order the key is its own sort value: nothing to look up (a key another client
        // deleted meanwhile anchors its neighbours). In another order its sort value anchors the
        // window, read first by primary key on the worker.
        std::optional<KeysetQuery::Anchor> anchor = aroundAnchor;
        if (!anchor && query.sortsByKey())
            anchor = KeysetQuery::Anchor{ aroundKey.bindValue(), aroundKey };
        if (!anchor) {
            plan.move = Move::AroundLookup;
            plan.statements << WorkerStatement{ lookupSql, query.key().bindValues(aroundKey), false };
            break;
        }
        plan.move = Move::Around;
        plan.aroundBefore = m_size / 2;
        // In key order both halves are short index range scans: one statement, one round trip.
        // In another order each half is a sort of every row, and one statement would add their
        // plan costs, past the thresholds where the server starts inlining and optimising its JIT
        // code: two statements there.
        if (query.sortsByKey())
            plan.statements << query.around(*anchor, plan.aroundBefore, m_size - plan.aroundBefore);
        else
            plan.statements << query.before(*anchor, plan.aroundBefore)
                            << query.after(*anchor, m_size - plan.aroundBefore, true);
        break;
    }
    }
    return plan;
}

void RowWindow::take(const QList<QVariantList>& rows)
{
    m_anchors = anchorsOf(rows);
    m_rows.clear();
    m_rows.reserve(rows.size());
    m_rowForKey.clear();
    m_rowForKey.reserve(rows.size());
    for (const QVariantList& row : rows) {
        m_rowForKey.insert(m_anchors.at(m_rows.size()).key, static_cast<int>(m_rows.size()));
        m_rows << row.mid(leadingColumns);
    }
}

void RowWindow::takeForward(const Plan& plan, const QList<QVariantList>& rows, bool endReached)
{
    take(rows.mid(0, m_size));
    m_atEnd = endReached && rows.size() <= m_size;
    // A change announced while the statement ran may be newer than its snapshot: its window
    // stands until the live refresh reads it again, but nothing is served from its extra rows.
    m_hasAhead = plan.fromReadAhead || (plan.readAhead > 0 && plan.aheadEpoch == m_aheadEpoch);
    m_ahead = m_hasAhead ? rows.mid(m_size) : QList<QVariantList>();
    m_aheadEndsTable = endReached;
    // Rows served from the read-ahead keep the age they were read at.
    if (m_hasAhead && !plan.fromReadAhead)
        m_aheadExpiry = QDeadlineTimer(m_readAheadLifetime);
}

void RowWindow::dropReadAhead()
{
    ++m_aheadEpoch;
    m_ahead.clear();
    m_hasAhead = false;
    m_aheadEndsTable = false;
}

void RowWindow::setReadAheadLifetime(int milliseconds)
{
    m_readAheadLifetime = qMax(0, milliseconds);
    if (m_readAheadLifetime == 0)
        dropReadAhead();
}

int RowWindow::readAheadRows() const
{
    return m_hasAhead && !m_aheadExpiry.hasExpired() ? static_cast<int>(m_ahead.size()) : 0;
}

QList<RowKey> RowWindow::readAheadKeys() const
{
    QList<RowKey> keys;
    if (readAheadRows() == 0)
        return keys;
    for (const KeysetQuery::Anchor& anchor : anchorsOf(m_ahead))
        keys << anchor.key;
    return keys;
}

QList<QVariantList> RowWindow::statementRowsFrom(int index) const
{
    QList<QVariantList> rows;
    for (int row = qMax(0, index); row < m_rows.size(); ++row) {
        const KeysetQuery::Anchor& anchor = m_anchors.at(row);
        rows << (QVariantList{ anchor.key.bindValue(), anchor.sortValue } + m_rows.at(row));
    }
    return rows;
}

std::optional<RowKey> RowWindow::keyAt(int row) const
{
    // After restore() the anchors are kept without their rows: only rows that arrived have keys.
    if (row < 0 || row >= m_rows.size() || m_anchors.size() != m_rows.size())
        return std::nullopt;
    return m_anchors.at(row).key;
}

RowWindow::Outcome RowWindow::outcomeOf(const Plan& plan, const QList<QList<QVariantList>>& results) const
{
    const bool none = results.value(0).isEmpty();
    if (plan.move == Move::Reload && none && !m_atStart)
        return Outcome::LoadFirst;
    if (plan.move == Move::AroundLookup)
        return none ? Outcome::KeyGone : Outcome::Anchored;
    if (plan.fromReadAhead && !m_hasAhead)
        return Outcome::ReadAheadGone;
    if (plan.prefixRows > 0 && results.value(0).isEmpty() && results.value(1).size() < m_size + plan.readAhead)
        return Outcome::NextPlainly;
    return Outcome::Moved;
}

int RowWindow::overlapOf(const Plan& plan) const
{
    if (plan.move == Move::Previous)
        return plan.overlap;
    return qMax(0, static_cast<int>(m_anchors.size()) - 1 - plan.overlap);
}

KeysetQuery::Anchor RowWindow::anchorOf(const Plan& plan, const QList<QList<QVariantList>>& results)
{
    return KeysetQuery::Anchor{ results.value(0).value(0).value(0), plan.aroundKey };
}

RowWindow::Outcome RowWindow::apply(const Plan& plan, const QList<QList<QVariantList>>& results, qint64 knownTotal,
                                    bool cutShort)
{
    if (const Outcome outcome = outcomeOf(plan, results); outcome != Outcome::Moved)
        return outcome;
    // A Next among the first rows: its rows are in one of the two parts (see afterAmongFirst()).
    const QList<QVariantList> rows = plan.prefixRows > 0 ? results.value(0) + results.value(1) : results.value(0);
    const int count = static_cast<int>(rows.size());
    m_aroundRow = plan.move == Move::Around && !results.value(1).isEmpty() ? count : -1;
    // Rows read ahead follow the window only as First and Next leave it.
    if (plan.move != Move::First && plan.move != Move::Next)
        dropReadAhead();
    switch (plan.move) {
    case Move::First:
        takeForward(plan, rows, !cutShort && count < m_size + plan.readAhead);
        m_atStart = true;
        m_start = 0;
        m_startEstimated = false;
        m_placeCountedFromFirst = true;
        break;
    case Move::Last:
        m_placeCountedFromFirst = false;
        take(rows);
        m_atEnd = true;
        m_atStart = count < m_size;
        // Counted back from the total: the table's, or with a filter the number of matches once
        // counted; before that the position is unknown (-1), never the table's size passed off as
        // the matches'. A total below the rows at hand is no total either (a table never analyzed
        // estimates 0 until its exact count arrives): counted back from it, the last rows would
        // read as the first.
        m_start = m_atStart ? 0 : knownTotal >= count ? knownTotal - count : -1;
        m_startEstimated = false;
        break;
    case Move::Next: {
        const QList<QVariantList> following = plan.fromReadAhead ? statementRowsFrom(plan.overlap + 1) + m_ahead : rows;
        const bool endReached = plan.fromReadAhead ? m_aheadEndsTable : count < m_size + plan.readAhead;
        if (following.isEmpty()) {
            m_atEnd = true;
            dropReadAhead();
            break;
        }
        if (m_start >= 0)
            m_start += plan.overlap + 1;
        takeForward(plan, following, endReached);
        m_atStart = false;
        break;
    }
    case Move::Previous:
        if (count == 0) {
            m_atStart = true;
            m_start = 0;
            m_startEstimated = false;
            m_placeCountedFromFirst = true;
            break;
        }
        take(rows);
        m_atEnd = false;
        m_atStart = count < m_size;
        m_start = m_atStart ? 0 : m_start >= 0 ? qMax<qint64>(0, m_start + plan.overlap - count) : -1;
        m_startEstimated = m_startEstimated && !m_atStart;
        break;
    case Move::Rest:
        take((statementRowsFrom(0) + rows).mid(0, m_size));
        m_atEnd = count < qMax(1, m_size - plan.overlap); // as many as plan() asked for
        break;
    case Move::Reload:
        take(rows.mid(0, m_size));
        m_atEnd = count <= m_size;
        break;
    case Move::AroundLookup:
        break; // never Moved: outcomeOf() answered
    case Move::Around: {
        m_placeCountedFromFirst = false;
        const QList<QVariantList> after = results.value(1);
        take(rows + after);
        m_atStart = count < plan.aroundBefore;
        m_atEnd = after.size() < m_size - plan.aroundBefore;
        // How many rows come before a key's neighbours is not known without counting them: unknown
        // (-1) rather than the position of the window the jump left; after a thumb drag, the place
        // the sample located, marked as an estimate.
        m_startEstimated = !m_atStart && plan.aroundPosition >= 0;
        m_start = m_atStart ? 0 : m_startEstimated ? qMax<qint64>(0, plan.aroundPosition - count) : -1;
        break;
    }
    }
    m_loaded = true;
    return Outcome::Moved;
}

void RowWindow::showUnkeyed(const QList<QVariantList>& rows)
{
    dropReadAhead();
    m_anchors.clear();
    m_rows = rows;
    m_rowForKey.clear();
    m_atStart = true;
    m_atEnd = true;
    m_start = 0;
    m_startEstimated = false;
    m_loaded = true;
}

void RowWindow::clear()
{
    dropReadAhead();
    m_anchors.clear();
    m_rows.clear();
    m_rowForKey.clear();
    m_aroundRow = -1;
    m_loaded = false;
    m_atStart = true;
    m_atEnd = true;
    m_start = 0;
    m_startEstimated = false;
    m_placeCountedFromFirst = false;
}

void RowWindow::restore(const QList<KeysetQuery::Anchor>& anchors, bool atStart, bool atEnd, qint64 start,
                        bool startEstimated)
{
    dropReadAhead();
    m_anchors = anchors;
    m_rows.clear();
    m_rowForKey.clear();
    m_atStart = atStart;
    m_atEnd = atEnd;
    m_start = start;
    m_startEstimated = startEstimated;
    m_placeCountedFromFirst = false; // rows may have been added before it while the link was down
    m_loaded = !anchors.isEmpty();
}

void RowWindow::setTotalIfUnknown(qint64 total)
{
    if (m_start < 0 && m_atEnd)
        m_start = qMax<qint64>(0, total - m_rows.size());
}
