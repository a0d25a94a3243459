#pragma once

#include "connection/WorkerStatement.h"
#include "paging/KeysetQuery.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QVariantList>

#include <optional>

// The window state machine: which rows of the table the grid holds, whether they start or end
// the table, and how far into it they are. It runs no statement. plan() says which statements a
// move needs (KeysetQuery builds them; a worker runs them); apply() takes their rows and moves the
// window. So the model's moves can be tested with made-up results, no server needed.
//
// Every row a statement brings is (key, sort value, the row's columns...): the worker reads the
// whole window in one statement, and nothing is read again on the GUI thread.
//
// Read-ahead: in an order no index serves (another column than the key), every window statement
// scans and sorts the whole table, however few rows it keeps, and the next window's statement
// costs more than the first (its anchor is compared on every row as well). With read-ahead on,
// First and Next read a second window's rows in the same statement, and the Next that follows is
// served from them without a statement. Rows read ahead are only as fresh as the window on screen,
// so the model turns it on only while the live view watches them (its change trigger, or its poll
// hashing them with the window's) and drops them when they changed; any other move drops them
// too, and so does their age (readAheadLifetime()).
class RowWindow
{
public:
    enum class Move {
        First,
        Last,
        Next,
        Previous,
        Reload,
        // Around a key: in key order at once; in another order AroundLookup first reads the key's
        // sort value, and Around then anchors on it.
        Around,
        AroundLookup,
        // After a First whose search was cut short (its rows are the first matches found within
        // the worker's budget): the rest of the window, read after them, is added to them.
        Rest,
    };

    struct Plan
    {
        Move move = Move::First;
        int overlap = 0; // Next/Previous: the window rows kept, counted from the anchor; Rest: the rows held
        int readAhead = 0; // First/Next: rows the statement reads past the window, kept for the next Next
        bool fromReadAhead = false; // Next: served from the rows read ahead; no statement
        quint64 aheadEpoch = 0; // dropReadAhead() calls before it was planned
        // Next: looked for among the order's first prefixRows rows (KeysetQuery::afterAmongFirst),
        // 0 when the statement is the plain after().
        qint64 prefixRows = 0;
        int aroundBefore = 0; // Around: how many rows before the anchor
        RowKey aroundKey;
        // Around: the anchor's estimated place in the order (a thumb dragged there), -1 when unknown.
        qint64 aroundPosition = -1;
        QList<WorkerStatement> statements;
    };

    // What a plan's rows mean for the window.
    enum class Outcome {
        Moved, // apply() moves the window to them (possibly the same rows, or none)
        LoadFirst, // a reload found nothing from where the window was: go to the first rows
        Anchored, // AroundLookup found the key's sort value: plan Around with anchorOf()
        KeyGone, // AroundLookup: the key is not in the table (any more)
        // A Next planned from the rows read ahead, which another client's change dropped before
        // it was applied: plan the Next again (overlapOf() rows kept), now with a statement.
        ReadAheadGone,
        // A Next looked for among the order's first rows found fewer than a window there, which
        // proves nothing (rows added before the window since its place was counted): call
        // readNextPlainly() and plan the Next again (overlapOf() rows kept).
        NextPlainly,
    };

    explicit RowWindow(int size = 300)
        : m_size(qMax(2, size))
    {
    }

    int size() const { return m_size; }
    void setSize(int rows) { m_size = qMax(2, rows); }
    // How long rows read ahead may stand in for a statement; 0 (the default) reads none ahead.
    int readAheadLifetime() const { return m_readAheadLifetime; }
    void setReadAheadLifetime(int milliseconds);
    // Rows held past the window for the next Next (0 when none are, or they are too old).
    int readAheadRows() const;
    // Their keys, in order (none when readAheadRows() is 0).
    QList<RowKey> readAheadKeys() const;
    // Another client changed the table: the rows read ahead may no longer be what it holds.
    void dropReadAhead();
    // After Outcome::NextPlainly: rows were added before the window, so its counted place is off;
    // every Next is planned with the plain after() until First counts it again.
    void readNextPlainly() { m_placeCountedFromFirst = false; }

    // The statements for a move from where the window is now. An empty window moves to the first
    // rows (Last and Around excepted). lookupSql is the statement reading the sort value of the
    // row whose key is bound to its one placeholder (AroundLookup only).
    Plan plan(Move move, const KeysetQuery& query, int overlapRows = 0, const RowKey& aroundKey = {},
              const std::optional<KeysetQuery::Anchor>& aroundAnchor = std::nullopt,
              const QString& lookupSql = {}) const;

    // Whether the rows the plan's statements selected (one list per statement) move the window,
    // or call for another plan first. Changes nothing, so a caller can decide before it tells the
    // view that the rows change.
    Outcome outcomeOf(const Plan& plan, const QList<QList<QVariantList>>& rows) const;
    // The overlapRows a Next or Previous plan was made with.
    int overlapOf(const Plan& plan) const;
    // After Outcome::Anchored: the key's place in the order.
    static KeysetQuery::Anchor anchorOf(const Plan& plan, const QList<QList<QVariantList>>& rows);
    // Moves the window to the rows when outcomeOf() says Moved; otherwise changes nothing.
    // knownTotal is the number of rows the order runs over (the table's, or the filter's matches),
    // -1 when unknown; Last counts the window's position back from it. cutShort: a First's rows are
    // only the first found, and the window does not end the order (a Rest is to follow).
    Outcome apply(const Plan& plan, const QList<QList<QVariantList>>& rows, qint64 knownTotal, bool cutShort = false);

    // A table without a usable primary key cannot be paged: its first rows only, columns alone.
    void showUnkeyed(const QList<QVariantList>& rows);

    // Forgets everything (another table, or bound again): the next move is First.
    void clear();
    // Back to a window remembered before a rebind; its rows are read again by a Reload.
    void restore(const QList<KeysetQuery::Anchor>& anchors, bool atStart, bool atEnd, qint64 start,
                 bool startEstimated = false);

    bool isLoaded() const { return m_loaded; }
    const QList<KeysetQuery::Anchor>& anchors() const { return m_anchors; }
    // The rows' columns, in window order (without the key and sort value the statements lead with).
    const QList<QVariantList>& rows() const { return m_rows; }
    // The key of a row (nothing in an unkeyed window or past its rows), and the row showing a key
    // (-1 when the window does not hold it).
    std::optional<RowKey> keyAt(int row) const;
    int rowForKey(const RowKey& key) const { return m_rowForKey.value(key, -1); }
    bool atStart() const { return m_atStart; }
    bool atEnd() const { return m_atEnd; }
    // Rows before the window: exact while moving from the first window, counted back from the
    // total after Last; -1 when that total is not known yet, and after a jump to a key.
    qint64 startPosition() const { return m_start; }
    // Whether startPosition() is an estimate: the window was reached by dragging the scrollbar to
    // a place located from a sample, and has moved from there since.
    bool isStartEstimated() const { return m_startEstimated; }
    // After Around: the first row at or after the anchor (the row a jump was for), else -1.
    int aroundRow() const { return m_aroundRow; }
    // A count of the order's rows arrived: a window at the end whose position was unknown gets it.
    void setTotalIfUnknown(qint64 total);

private:
    KeysetQuery::Anchor anchorAt(int index) const;
    void take(const QList<QVariantList>& rows);
    // Takes a forward statement's rows (or the read-ahead's): the first size() become the window,
    // the rest are kept ahead when the plan read ahead. endReached: no row of the order follows.
    void takeForward(const Plan& plan, const QList<QVariantList>& rows, bool endReached);
    // The window's rows as a statement brings them, from index on: key and sort value leading.
    QList<QVariantList> statementRowsFrom(int index) const;

    int m_size;
    QList<KeysetQuery::Anchor> m_anchors;
    QList<QVariantList> m_rows;
    QHash<RowKey, int> m_rowForKey;
    bool m_loaded = false;
    bool m_atStart = true;
    bool m_atEnd = true;
    qint64 m_start = 0;
    bool m_startEstimated = false;
    // m_start was counted moving from the first rows (First, then Next and Previous), not from a
    // total that may be an estimate (Last), a jump, or a place remembered across a reconnect.
    bool m_placeCountedFromFirst = false;
    int m_aroundRow = -1;
    int m_readAheadLifetime = 0;
    // Rows read ahead, as the statement brought them; valid until m_aheadExpiry.
    QList<QVariantList> m_ahead;
    bool m_hasAhead = false;
    bool m_aheadEndsTable = false; // nothing follows m_ahead's last row
    QDeadlineTimer m_aheadExpiry;
    // Counts dropReadAhead() calls: rows a statement read ahead are kept only if none came after
    // it was planned, since its snapshot may predate the change announced.
    quint64 m_aheadEpoch = 0;
};
