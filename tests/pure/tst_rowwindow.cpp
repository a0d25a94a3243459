// The window state machine fed with made-up results, no server: which statement each move asks
// for (anchored where), and where the window is after the rows come back. The statements' text is
// tst_keysetquery's business; here they are told apart by their bound values and direction.
#include "paging/RowWindow.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

KeysetQuery byKey()
{
    KeysetQuery::Order order;
    order.tableSql = u"t"_s;
    order.key = KeyColumns({ u"t.id"_s });
    order.sortSql = u"t.id"_s;
    order.rowSelect = u"id, name"_s;
    return KeysetQuery(order);
}

KeysetQuery byName()
{
    KeysetQuery::Order order;
    order.tableSql = u"t"_s;
    order.key = KeyColumns({ u"t.id"_s });
    order.sortSql = u"t.name"_s;
    order.rowSelect = u"id, name"_s;
    return KeysetQuery(order);
}

// Rows as a keyset statement in key order brings them: key, sort value, then the row's columns.
QList<QVariantList> rowsByKey(qint64 from, qint64 to)
{
    QList<QVariantList> rows;
    for (qint64 key = from; key <= to; ++key)
        rows << QVariantList{ key, key, key, u"person %1"_s.arg(key) };
    return rows;
}

// Rows as a statement in name order brings them: key, name (the sort value), then the columns.
QList<QVariantList> rowsByName(qint64 from, qint64 to)
{
    QList<QVariantList> rows;
    for (qint64 key = from; key <= to; ++key) {
        const QString name = u"name %1"_s.arg(key, 3, 10, QChar(u'0'));
        rows << QVariantList{ key, name, key, name };
    }
    return rows;
}

// The anchors of those rows, as a window remembers them.
QList<KeysetQuery::Anchor> anchorsByName(qint64 from, qint64 to)
{
    QList<KeysetQuery::Anchor> anchors;
    for (const QVariantList& row : rowsByName(from, to))
        anchors << KeysetQuery::Anchor{ row.value(1), RowKey::fromValue(row.value(0)) };
    return anchors;
}

QList<qint64> keysOf(const RowWindow& window)
{
    QList<qint64> keys;
    for (const QVariantList& row : window.rows())
        keys << row.value(0).toLongLong();
    return keys;
}

// The keys of the rows read ahead, as numbers.
QList<qint64> aheadKeysOf(const RowWindow& window)
{
    QList<qint64> keys;
    for (const RowKey& key : window.readAheadKeys())
        keys << key.bindValue().toLongLong();
    return keys;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> keys;
    for (qint64 key = from; key <= to; ++key)
        keys << key;
    return keys;
}

} // namespace

class TestRowWindow : public QObject
{
    Q_OBJECT

private slots:
    void anEmptyWindowStartsAtTheFirstRows()
    {
        RowWindow window(4);
        QVERIFY(!window.isLoaded());
        const RowWindow::Plan plan = window.plan(RowWindow::Move::Next, byKey());
        QCOMPARE(plan.move, RowWindow::Move::First);
        QCOMPARE(plan.statements.size(), 1);
        QVERIFY(plan.statements.constFirst().sql.startsWith(u"SELECT t.id, t.id, id, name FROM t"_s));
        QVERIFY(plan.statements.constFirst().values.isEmpty());
    }

    void theFirstRowsStartTheTable()
    {
        RowWindow window(4);
        const RowWindow::Plan plan = window.plan(RowWindow::Move::First, byKey());
        QCOMPARE(window.apply(plan, { rowsByKey(1, 4) }, 10), RowWindow::Outcome::Moved);
        QVERIFY(window.isLoaded());
        QCOMPARE(keysOf(window), range(1, 4));
        // The statement's leading key and sort value are not among the row's columns.
        QCOMPARE(window.rows().constFirst(), (QVariantList{ 1, u"person 1"_s }));
        QCOMPARE(window.anchors().constLast().key, 4);
        QVERIFY(window.atStart());
        QVERIFY(!window.atEnd());
        QCOMPARE(window.startPosition(), 0);
    }

    void nextAnchorsOnTheOverlapAndCountsOn()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 10);
        // Keep one row of the old window: the next one starts after its third row.
        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byKey(), 1);
        QCOMPARE(next.overlap, 2);
        QCOMPARE(next.statements.constFirst().values, QVariantList{ 3 });
        QVERIFY(!next.statements.constFirst().reversed);
        window.apply(next, { rowsByKey(4, 7) }, 10);
        QCOMPARE(keysOf(window), range(4, 7));
        QCOMPARE(window.startPosition(), 3);
        QVERIFY(!window.atStart());
        QVERIFY(!window.atEnd());
        // A short answer ends the table.
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(8, 10) }, 10);
        QCOMPARE(keysOf(window), range(8, 10));
        QCOMPARE(window.startPosition(), 7);
        QVERIFY(window.atEnd());
    }

    // A search cut short: its first rows are a window that does not end the order, and Rest reads
    // the remainder after the last of them and adds it below, counting from the start still.
    void theRestOfASearchCutShortFollowsItsFirstRows()
    {
        RowWindow window(6);
        const RowWindow::Plan first = window.plan(RowWindow::Move::First, byKey());
        QCOMPARE(window.apply(first, { rowsByKey(1, 2) }, -1, true), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(1, 2));
        QVERIFY(window.atStart());
        QVERIFY(!window.atEnd()); // two rows of six, yet more may follow
        const RowWindow::Plan rest = window.plan(RowWindow::Move::Rest, byKey());
        QCOMPARE(rest.move, RowWindow::Move::Rest);
        QCOMPARE(rest.overlap, 2);
        QCOMPARE(rest.statements.size(), 1);
        QCOMPARE(rest.statements.constFirst().values, QVariantList{ 2 });
        QVERIFY(rest.statements.constFirst().sql.endsWith(u"LIMIT 4"_s));
        QVERIFY(!rest.statements.constFirst().reversed);
        window.apply(rest, { rowsByKey(3, 6) }, -1);
        QCOMPARE(keysOf(window), range(1, 6));
        QCOMPARE(window.rowForKey(RowKey(5)), 4);
        QVERIFY(window.atStart());
        QVERIFY(!window.atEnd()); // the rest filled the window
        QCOMPARE(window.startPosition(), 0);

        // A rest shorter than asked for ends the order.
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 3) }, -1, true);
        window.apply(window.plan(RowWindow::Move::Rest, byKey()), { rowsByKey(4, 5) }, -1);
        QCOMPARE(keysOf(window), range(1, 5));
        QVERIFY(window.atEnd());
        // Cut short with the window full already: the rest asks for one row, only to tell the end.
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 6) }, -1, true);
        const RowWindow::Plan tell = window.plan(RowWindow::Move::Rest, byKey());
        QVERIFY(tell.statements.constFirst().sql.endsWith(u"LIMIT 1"_s));
        window.apply(tell, { rowsByKey(7, 7) }, -1);
        QCOMPARE(keysOf(window), range(1, 6));
        QVERIFY(!window.atEnd());
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 6) }, -1, true);
        window.apply(window.plan(RowWindow::Move::Rest, byKey()), { {} }, -1);
        QCOMPARE(keysOf(window), range(1, 6));
        QVERIFY(window.atEnd());
        // Not cut short, a short First ends it at once.
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 3) }, -1);
        QVERIFY(window.atEnd());
    }

    void nextWithNothingLeftKeepsTheRows()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 4);
        QCOMPARE(window.apply(window.plan(RowWindow::Move::Next, byKey()), { {} }, 4), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(1, 4));
        QVERIFY(window.atEnd());
        QCOMPARE(window.startPosition(), 0);
    }

    void previousBackToTheStart()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 10);
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(5, 8) }, 10);
        QCOMPARE(window.startPosition(), 4);
        const RowWindow::Plan previous = window.plan(RowWindow::Move::Previous, byKey());
        QCOMPARE(previous.statements.constFirst().values, QVariantList{ 5 });
        QVERIFY(previous.statements.constFirst().reversed);
        // Fewer rows than a window: the start of the table.
        window.apply(previous, { rowsByKey(2, 4) }, 10);
        QVERIFY(window.atStart());
        QCOMPARE(window.startPosition(), 0);
        QVERIFY(!window.atEnd());
    }

    void lastCountsBackFromTheTotalWhenKnown()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::Last, byKey()), { rowsByKey(7, 10) }, 10);
        QVERIFY(window.atEnd());
        QVERIFY(!window.atStart());
        QCOMPARE(window.startPosition(), 6);

        RowWindow filtered(4);
        filtered.apply(filtered.plan(RowWindow::Move::Last, byKey()), { rowsByKey(7, 10) }, -1);
        QCOMPARE(filtered.startPosition(), -1); // the matches are not counted yet
        filtered.setTotalIfUnknown(25);
        QCOMPARE(filtered.startPosition(), 21);
        filtered.setTotalIfUnknown(99); // known now: a later count does not move it
        QCOMPARE(filtered.startPosition(), 21);

        // A table never analyzed estimates 0 rows until its exact count arrives.
        RowWindow unanalyzed(4);
        unanalyzed.apply(unanalyzed.plan(RowWindow::Move::Last, byKey()), { rowsByKey(7, 10) }, 0);
        QCOMPARE(unanalyzed.startPosition(), -1); // not 0: these are the last rows, not the first
        unanalyzed.setTotalIfUnknown(10);
        QCOMPARE(unanalyzed.startPosition(), 6);
    }

    void reloadReadsOneMoreRowToTellTheEnd()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::Last, byKey()), { rowsByKey(7, 10) }, 10);
        const RowWindow::Plan reload = window.plan(RowWindow::Move::Reload, byKey());
        QCOMPARE(reload.statements.constFirst().values, QVariantList{ 7 });
        QVERIFY(reload.statements.constFirst().sql.endsWith(u"LIMIT 5"_s));
        // Another client added rows after the last one: the window no longer ends the table.
        window.apply(reload, { rowsByKey(7, 11) }, 10);
        QCOMPARE(keysOf(window), range(7, 10));
        QVERIFY(!window.atEnd());
    }

    // In an order no index serves, a Next from a window whose place was counted from the first
    // rows looks among the order's first rows: as many as hold the anchor, a window and a quarter
    // more. Too few rows there means rows were added before it: plainly from then on, until First.
    void aSortedNextLooksAmongTheFirstRows()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 4) }, 100);
        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName());
        QCOMPARE(next.prefixRows, 4 + 4 + 1); // the anchor is the 4th row; a window; a quarter
        QCOMPARE(next.statements.size(), 1);
        QCOMPARE(next.statements.constFirst().partsReversed, (QList<bool>{ false, false }));
        QCOMPARE(next.statements.constFirst().values.constFirst(), QVariant(u"name 004"_s));
        // Every row was in the prefix (part 0): fewer than a window is the end of the order.
        QCOMPARE(window.outcomeOf(next, { rowsByName(5, 6), {} }), RowWindow::Outcome::Moved);
        // The prefix was full (part 1) but held fewer than a window after the anchor, or nothing
        // came back at all (which cannot tell the end of the order).
        QCOMPARE(window.outcomeOf(next, { {}, rowsByName(5, 6) }), RowWindow::Outcome::NextPlainly);
        QCOMPARE(window.outcomeOf(next, { {}, {} }), RowWindow::Outcome::NextPlainly);
        QCOMPARE(window.apply(next, { {}, rowsByName(5, 6) }, 100), RowWindow::Outcome::NextPlainly);
        QCOMPARE(keysOf(window), range(1, 4)); // unchanged
        window.readNextPlainly();
        const RowWindow::Plan plain = window.plan(RowWindow::Move::Next, byName());
        QCOMPARE(plain.prefixRows, 0);
        QVERIFY(plain.statements.constFirst().partsReversed.isEmpty());
        QCOMPARE(window.apply(plain, { rowsByName(5, 8) }, 100), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(5, 8));
        QVERIFY(!window.atEnd());
        // The counted place is off by the rows added: plainly again, until First counts anew.
        QCOMPARE(window.plan(RowWindow::Move::Next, byName()).prefixRows, 0);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 4) }, 100);
        const RowWindow::Plan counted = window.plan(RowWindow::Move::Next, byName());
        QCOMPARE(counted.prefixRows, 9);
        QCOMPARE(window.apply(counted, { {}, rowsByName(5, 8) }, 100), RowWindow::Outcome::Moved);
        QCOMPARE(window.plan(RowWindow::Move::Next, byName()).prefixRows, 4 + 4 + 4 + 1);
        // In key order an index gives the rows: never.
        RowWindow byKeyWindow(4);
        byKeyWindow.apply(byKeyWindow.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 100);
        QCOMPARE(byKeyWindow.plan(RowWindow::Move::Next, byKey()).prefixRows, 0);
        // After a jump, or Last (counted back from a total that may be an estimate): plainly.
        RowWindow jumped(4);
        jumped.apply(jumped.plan(RowWindow::Move::Around, byName(), 0, 50, KeysetQuery::Anchor{ u"name 050"_s, 50 }),
                     { rowsByName(48, 49), rowsByName(50, 51) }, 100);
        QCOMPARE(jumped.plan(RowWindow::Move::Next, byName()).prefixRows, 0);
        RowWindow last(4);
        last.apply(last.plan(RowWindow::Move::Last, byName()), { rowsByName(97, 100) }, 100);
        last.apply(last.plan(RowWindow::Move::Previous, byName()), { rowsByName(93, 96) }, 100);
        QCOMPARE(last.startPosition(), 92);
        QCOMPARE(last.plan(RowWindow::Move::Next, byName()).prefixRows, 0);
        // Nor after a rebind: rows may have been added while the link was down.
        RowWindow restored(4);
        restored.restore(anchorsByName(5, 8), false, false, 4);
        QCOMPARE(restored.plan(RowWindow::Move::Next, byName()).prefixRows, 0);
    }

    // The rows read ahead come with the window in either part, and the prefix holds them too.
    void aSortedNextAmongTheFirstRowsReadsAhead()
    {
        RowWindow window(4);
        window.setReadAheadLifetime(30000);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 100);
        const RowWindow::Plan served = window.plan(RowWindow::Move::Next, byName());
        QVERIFY(served.fromReadAhead);
        window.apply(served, {}, 100);
        QCOMPARE(keysOf(window), range(5, 8));
        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName());
        QCOMPARE(next.readAhead, 4);
        QCOMPARE(next.prefixRows, 4 + 4 + 8 + 1);
        QVERIFY2(next.statements.constFirst().sql.endsWith(u"LIMIT 8"_s), qPrintable(next.statements.constFirst().sql));
        // A full window and its read-ahead is an answer; a window without all of it is not.
        QCOMPARE(window.outcomeOf(next, { {}, rowsByName(9, 14) }), RowWindow::Outcome::NextPlainly);
        QCOMPARE(window.apply(next, { {}, rowsByName(9, 16) }, 100), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(9, 12));
        QCOMPARE(aheadKeysOf(window), range(13, 16));
        QCOMPARE(window.startPosition(), 8);
    }

    // Deep in the order the prefix would not fit in the server's sort memory: the plain statement.
    void aDeepSortedNextReadsPlainly()
    {
        RowWindow window(300);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 300) }, 10000);
        for (qint64 start = 300; start <= 1800; start += 300) {
            const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName());
            // The anchor at start - 1, a window and a quarter: up to 2,000 rows.
            const qint64 prefix = start + 300 + 75;
            QCOMPARE(next.prefixRows, prefix <= 2000 ? prefix : 0);
            const QList<QVariantList> rows = rowsByName(start + 1, start + 300);
            QCOMPARE(window.apply(next,
                                  next.prefixRows > 0 ? QList<QList<QVariantList>>{ {}, rows }
                                                      : QList<QList<QVariantList>>{ rows },
                                  10000),
                     RowWindow::Outcome::Moved);
            QCOMPARE(window.startPosition(), start);
        }
    }

    // At the start of the table, a row another client added before the first one shown (a uuid key
    // sorts anywhere) is the table's first row now: the reload reads from the start, not from the
    // row that was first.
    void reloadAtTheStartReadsFromTheStart()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(5, 8) }, 10);
        QVERIFY(window.atStart());
        const RowWindow::Plan reload = window.plan(RowWindow::Move::Reload, byKey());
        QCOMPARE(reload.statements.size(), 1);
        QCOMPARE(reload.statements.constFirst().sql, byKey().first(5).sql);
        QVERIFY(reload.statements.constFirst().values.isEmpty());
        QCOMPARE(window.apply(reload, { rowsByKey(1, 5) }, 12), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(1, 4));
        QVERIFY(window.atStart());
        QCOMPARE(window.startPosition(), 0);
        QVERIFY(!window.atEnd());
    }

    void reloadFindingNothingAsksForTheFirstRows()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 10);
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(5, 8) }, 10);
        const RowWindow::Plan reload = window.plan(RowWindow::Move::Reload, byKey());
        QCOMPARE(window.outcomeOf(reload, { {} }), RowWindow::Outcome::LoadFirst);
        QCOMPARE(window.apply(reload, { {} }, 10), RowWindow::Outcome::LoadFirst);
        QCOMPARE(keysOf(window), range(5, 8)); // unchanged until the first rows come
    }

    void aroundAKeyInKeyOrderNeedsNoLookup()
    {
        RowWindow window(4);
        const RowWindow::Plan around = window.plan(RowWindow::Move::Around, byKey(), 0, 50);
        QCOMPARE(around.move, RowWindow::Move::Around);
        // One statement, both halves: the rows before the key (read backwards) and from it on.
        QCOMPARE(around.statements.size(), 1);
        QCOMPARE(around.aroundBefore, 2);
        QCOMPARE(around.statements.at(0).values, (QVariantList{ 50, 50 }));
        QVERIFY(!around.statements.at(0).reversed);
        QCOMPARE(around.statements.at(0).partsReversed, (QList<bool>{ true, false }));
        window.apply(around, { rowsByKey(48, 49), rowsByKey(50, 51) }, 100);
        QCOMPARE(keysOf(window), range(48, 51));
        QVERIFY(!window.atStart());
        QVERIFY(!window.atEnd());
        QCOMPARE(window.startPosition(), -1); // not counted: never the old window's place
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(52, 55) }, 100);
        QCOMPARE(window.startPosition(), -1);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 100);
        QCOMPARE(window.startPosition(), 0);
    }

    void aroundAKeyInAnotherOrderLooksItsSortValueUpFirst()
    {
        RowWindow window(4);
        const QString lookup = u"SELECT name FROM t WHERE id = ?"_s;
        const RowWindow::Plan first = window.plan(RowWindow::Move::Around, byName(), 0, 50, std::nullopt, lookup);
        QCOMPARE(first.move, RowWindow::Move::AroundLookup);
        QCOMPARE(first.statements.size(), 1);
        QCOMPARE(first.statements.constFirst().sql, lookup);
        QCOMPARE(first.statements.constFirst().values, QVariantList{ 50 });

        const QList<QList<QVariantList>> found{ { QVariantList{ u"mia"_s } } };
        QCOMPARE(window.outcomeOf(first, found), RowWindow::Outcome::Anchored);
        QCOMPARE(window.apply(first, found, 100), RowWindow::Outcome::Anchored);
        QVERIFY(!window.isLoaded()); // a lookup moves nothing
        const KeysetQuery::Anchor anchor = RowWindow::anchorOf(first, found);
        QCOMPARE(anchor.sortValue, QVariant(u"mia"_s));
        QCOMPARE(anchor.key, 50);

        const RowWindow::Plan second = window.plan(RowWindow::Move::Around, byName(), 0, 50, anchor, lookup);
        QCOMPARE(second.move, RowWindow::Move::Around);
        // Two statements in another order: each half sorts the table (their plan costs added up
        // would make the server optimise its JIT code).
        QCOMPARE(second.statements.size(), 2);
        QCOMPARE(second.statements.at(1).values, (QVariantList{ u"mia"_s, 50 }));
        QVERIFY(second.statements.at(0).reversed);
        QVERIFY(second.statements.at(0).partsReversed.isEmpty());

        QCOMPARE(window.outcomeOf(first, { {} }), RowWindow::Outcome::KeyGone);
    }

    void aTableWithoutAKeyShowsItsFirstRows()
    {
        RowWindow window(4);
        window.showUnkeyed({ { 1, u"a"_s }, { 2, u"b"_s } });
        QVERIFY(window.isLoaded());
        QCOMPARE(window.rows().size(), 2);
        QVERIFY(window.anchors().isEmpty());
        QVERIFY(window.atStart());
        QVERIFY(window.atEnd());
        QVERIFY(!window.keyAt(0)); // no key: nothing can be edited or selected by key
        QCOMPARE(window.rowForKey(1), -1);
    }

    void keysFindTheirRowsAndRowsTheirKeys()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 10);
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(4, 7) }, 10);
        QCOMPARE(window.keyAt(0), std::optional<qint64>(4));
        QCOMPARE(window.keyAt(3), std::optional<qint64>(7));
        QVERIFY(!window.keyAt(4));
        QVERIFY(!window.keyAt(-1));
        QCOMPARE(window.rowForKey(6), 2);
        QCOMPARE(window.rowForKey(1), -1); // moved out of the window
        window.clear();
        QCOMPARE(window.rowForKey(6), -1);
        QVERIFY(!window.keyAt(0));
    }

    void restoreKeepsThePlaceButNotTheRows()
    {
        RowWindow window(4);
        window.apply(window.plan(RowWindow::Move::First, byKey()), { rowsByKey(1, 4) }, 10);
        window.apply(window.plan(RowWindow::Move::Next, byKey()), { rowsByKey(5, 8) }, 10);
        const RowWindow before = window;
        window.clear();
        QVERIFY(!window.isLoaded());
        QVERIFY(window.rows().isEmpty());
        window.restore(before.anchors(), before.atStart(), before.atEnd(), before.startPosition());
        QVERIFY(window.isLoaded());
        QVERIFY(window.rows().isEmpty()); // read again by the Reload that follows a rebind
        QVERIFY(!window.keyAt(0)); // the anchors stay, but no row is shown for them yet
        QCOMPARE(window.rowForKey(5), -1);
        QCOMPARE(window.startPosition(), 4);
        QCOMPARE(window.plan(RowWindow::Move::Reload, byKey()).statements.constFirst().values, QVariantList{ 5 });
    }

    // Read-ahead on, in an order no index serves: First reads a second window ahead; the Next
    // after it is served from those rows without a statement, and the Next after that reads again.
    void aSortedWindowReadsTheNextOneAhead()
    {
        RowWindow window(4);
        window.setReadAheadLifetime(30000);
        const RowWindow::Plan first = window.plan(RowWindow::Move::First, byName());
        QCOMPARE(first.readAhead, 4);
        QVERIFY2(first.statements.constFirst().sql.contains(u"LIMIT 8"_s),
                 qPrintable(first.statements.constFirst().sql));
        window.apply(first, { rowsByName(1, 8) }, 20);
        QCOMPARE(keysOf(window), range(1, 4));
        QCOMPARE(window.readAheadRows(), 4);
        QCOMPARE(aheadKeysOf(window), range(5, 8)); // what the live view's poll watches with the window
        QVERIFY(!window.atEnd());

        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName());
        QVERIFY(next.fromReadAhead);
        QVERIFY(next.statements.isEmpty());
        QCOMPARE(window.apply(next, {}, 20), RowWindow::Outcome::Moved);
        QCOMPARE(keysOf(window), range(5, 8));
        QCOMPARE(window.rows().constFirst(), (QVariantList{ 5, u"name 005"_s }));
        QCOMPARE(window.anchors().constFirst().sortValue, QVariant(u"name 005"_s));
        QCOMPARE(window.startPosition(), 4);
        QVERIFY(!window.atEnd());
        QCOMPARE(window.readAheadRows(), 0);
        QVERIFY(window.readAheadKeys().isEmpty());

        const RowWindow::Plan after = window.plan(RowWindow::Move::Next, byName());
        QVERIFY(!after.fromReadAhead);
        QCOMPARE(after.statements.size(), 1);
        QCOMPARE(after.statements.constFirst().values, (QVariantList{ u"name 008"_s, 8 }));
        window.apply(after, { rowsByName(9, 11) }, 20);
        QCOMPARE(keysOf(window), range(9, 11));
        QCOMPARE(window.startPosition(), 8);
        QVERIFY(window.atEnd());
    }

    // A Next that keeps rows of the old window takes them, then the rows read ahead, and keeps
    // what is left of those for the Next after it.
    void aNextKeepingRowsTakesTheRestFromAhead()
    {
        RowWindow window(4);
        window.setReadAheadLifetime(30000);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 20);
        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName(), 1);
        QVERIFY(next.fromReadAhead);
        QCOMPARE(next.overlap, 2);
        window.apply(next, {}, 20);
        QCOMPARE(keysOf(window), range(4, 7));
        QCOMPARE(window.startPosition(), 3);
        QCOMPARE(window.readAheadRows(), 1);
        // One row ahead is not a window, and more rows follow it: read again.
        QVERIFY(!window.plan(RowWindow::Move::Next, byName()).fromReadAhead);
    }

    // Rows read ahead that reach the end of the table serve the last, short window and say it ends.
    void theEndOfTheTableInsideTheRowsAhead()
    {
        RowWindow window(4);
        window.setReadAheadLifetime(30000);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 6) }, 6);
        QVERIFY(!window.atEnd());
        const RowWindow::Plan next = window.plan(RowWindow::Move::Next, byName());
        QVERIFY(next.fromReadAhead);
        window.apply(next, {}, 6);
        QCOMPARE(keysOf(window), range(5, 6));
        QVERIFY(window.atEnd());
        // A table of exactly one window: the end is known at once.
        RowWindow whole(4);
        whole.setReadAheadLifetime(30000);
        whole.apply(whole.plan(RowWindow::Move::First, byName()), { rowsByName(1, 4) }, 4);
        QVERIFY(whole.atEnd());
    }

    // Off unless asked for; key order reads no rows ahead (an index serves each window); any move
    // but Next drops them, and so do their age and dropReadAhead() (another client's change).
    void rowsAheadOnlyWhereTheyHelpAndWhileFresh()
    {
        RowWindow off(4);
        QCOMPARE(off.plan(RowWindow::Move::First, byName()).readAhead, 0);

        RowWindow byKeyWindow(4);
        byKeyWindow.setReadAheadLifetime(30000);
        const RowWindow::Plan first = byKeyWindow.plan(RowWindow::Move::First, byKey());
        QCOMPARE(first.readAhead, 0);
        QVERIFY(first.statements.constFirst().sql.contains(u"LIMIT 4"_s));

        RowWindow window(4);
        window.setReadAheadLifetime(30000);
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 20);
        const RowWindow::Plan reload = window.plan(RowWindow::Move::Reload, byName());
        window.apply(reload, { rowsByName(1, 5) }, 20);
        QCOMPARE(window.readAheadRows(), 0);
        QVERIFY(!window.plan(RowWindow::Move::Next, byName()).fromReadAhead);

        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 20);
        QCOMPARE(window.readAheadRows(), 4);
        window.dropReadAhead();
        QVERIFY(!window.plan(RowWindow::Move::Next, byName()).fromReadAhead);

        // Dropped between a Next's plan and its (queued) answer: the Next is planned again.
        window.apply(window.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 20);
        const RowWindow::Plan served = window.plan(RowWindow::Move::Next, byName(), 1);
        QVERIFY(served.fromReadAhead);
        window.dropReadAhead();
        QCOMPARE(window.outcomeOf(served, {}), RowWindow::Outcome::ReadAheadGone);
        QCOMPARE(window.apply(served, {}, 20), RowWindow::Outcome::ReadAheadGone);
        QCOMPARE(keysOf(window), range(1, 4)); // unmoved
        QCOMPARE(window.overlapOf(served), 1);
        const RowWindow::Plan again = window.plan(RowWindow::Move::Next, byName(), window.overlapOf(served));
        QVERIFY(!again.fromReadAhead);
        QCOMPARE(again.overlap, served.overlap);

        // A change announced while a statement that reads ahead runs: its window is taken, its
        // extra rows (perhaps older than the change) are not.
        const RowWindow::Plan reading = window.plan(RowWindow::Move::First, byName());
        window.dropReadAhead();
        window.apply(reading, { rowsByName(1, 8) }, 20);
        QCOMPARE(keysOf(window), range(1, 4));
        QVERIFY(!window.atEnd());
        QCOMPARE(window.readAheadRows(), 0);
        QVERIFY(!window.plan(RowWindow::Move::Next, byName()).fromReadAhead);

        RowWindow aging(4);
        aging.setReadAheadLifetime(1);
        aging.apply(aging.plan(RowWindow::Move::First, byName()), { rowsByName(1, 8) }, 20);
        QTest::qSleep(20);
        QCOMPARE(aging.readAheadRows(), 0);
        const RowWindow::Plan afresh = aging.plan(RowWindow::Move::Next, byName());
        QVERIFY(!afresh.fromReadAhead);
        QCOMPARE(afresh.statements.size(), 1);
    }
};

QTEST_APPLESS_MAIN(TestRowWindow)
#include "tst_rowwindow.moc"
