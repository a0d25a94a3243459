// The scrollbar's places, no server: which sampled row a fraction of the order lands on and where
// it says that row stands, from a whole sample (exact), a sample of pages (scaled), and a key
// histogram (interpolated); the sample statement's shape (thinned on the server, never OFFSET);
// and a window placed by a drag carrying its estimated start.
#include "paging/KeysetQuery.h"
#include "paging/PositionSample.h"
#include "paging/RowWindow.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// As KeysetQuery::sample() brings them: key, sort value, place in the sample from 1, sample rows.
QList<QVariantList> sampleRows(const QList<qint64>& keys, const QList<qint64>& places, qint64 sampleSize)
{
    QList<QVariantList> rows;
    for (int i = 0; i < keys.size(); ++i)
        rows << QVariantList{ keys.at(i), u"name %1"_s.arg(keys.at(i)), places.at(i), sampleSize };
    return rows;
}

KeysetQuery byName(const QString& filter = {})
{
    KeysetQuery::Order order;
    order.tableSql = u"t"_s;
    order.key = KeyColumns({ u"t.id"_s });
    order.sortSql = u"t.name"_s;
    order.sortNullable = true;
    order.filterSql = filter;
    order.rowSelect = u"id, name"_s;
    return KeysetQuery(order);
}

} // namespace

class TestPositionSample : public QObject
{
    Q_OBJECT

private slots:
    void aWholeSampleGivesExactPlaces()
    {
        // 1001 rows thinned to every 100th (and the last): places 0, 100, ..., 1000.
        QList<qint64> keys;
        QList<qint64> places;
        for (int i = 0; i <= 10; ++i) {
            keys << 5000 + i;
            places << i * 100 + 1;
        }
        const PositionSample sample = PositionSample::fromSample(sampleRows(keys, places, 1001), 100);
        QVERIFY(sample.isExact());
        QCOMPARE(sample.estimatedRows().value(), 1001);
        const auto middle = sample.placeAt(0.5, 123456); // a whole sample knows better than any total
        QVERIFY(middle.has_value());
        QCOMPARE(middle->anchor.key, 5005);
        QCOMPARE(middle->anchor.sortValue.toString(), u"name 5005"_s);
        QCOMPARE(middle->position, 500);
        QCOMPARE(sample.placeAt(0, -1)->position, 0);
        QCOMPARE(sample.placeAt(1, -1)->anchor.key, 5010);
        QCOMPARE(sample.placeAt(1, -1)->position, 1000);
        // Out of range and NaN stay on the order's ends.
        QCOMPARE(sample.placeAt(7.5, -1)->anchor.key, 5010);
        QCOMPARE(sample.placeAt(-1, -1)->anchor.key, 5000);
        QCOMPARE(sample.placeAt(std::numeric_limits<double>::quiet_NaN(), -1)->anchor.key, 5000);
    }

    void aSampleOfPagesScalesItsPlacesToTheTotal()
    {
        // 2 % of the pages held 401 rows: they stand for about 20,050, and the middle row of the
        // sample stands in the middle of the 1,000,000 rows the statistics count.
        QList<qint64> keys;
        QList<qint64> places;
        for (int i = 0; i <= 4; ++i) {
            keys << i * 250000;
            places << i * 100 + 1;
        }
        const PositionSample sample = PositionSample::fromSample(sampleRows(keys, places, 401), 2);
        QVERIFY(!sample.isExact());
        QCOMPARE(sample.estimatedRows().value(), 20050);
        QCOMPARE(sample.placeAt(0.5, 1000000)->anchor.key, 500000);
        QCOMPARE(sample.placeAt(0.5, 1000000)->position, 500000); // half of 999,999, rounded up
        QCOMPARE(sample.placeAt(0.25, -1)->position, std::llround(0.25 * 20049)); // its own estimate
    }

    void aKeyHistogramIsInterpolatedWithinItsBuckets()
    {
        const auto bounds = PositionSample::parseIntegerArray(u"{1,1000,2000,10000,10001}"_s);
        QVERIFY(bounds.has_value());
        const PositionSample histogram = PositionSample::fromKeyHistogram(*bounds);
        QVERIFY(!histogram.isExact());
        QVERIFY(!histogram.estimatedRows().has_value()); // it says where, not how many
        // Four buckets: 0.125 is half way through the first, 0.625 half way through the third.
        QCOMPARE(histogram.placeAt(0.125, 4000)->anchor.key, 1 + std::llround(999 * 0.5));
        QCOMPARE(histogram.placeAt(0.625, 4000)->anchor.key, 6000);
        QCOMPARE(histogram.placeAt(0.625, 4000)->anchor.sortValue.toLongLong(), 6000);
        QCOMPARE(histogram.placeAt(0.625, 4001)->position, 2500);
        QCOMPARE(histogram.placeAt(1, 4000)->anchor.key, 10001);
        QCOMPARE(histogram.placeAt(0, 4000)->anchor.key, 1);
    }

    void histogramTextThatIsNotIntegersIsRefused()
    {
        QVERIFY(!PositionSample::parseIntegerArray(u"{a,b}"_s).has_value());
        QVERIFY(!PositionSample::parseIntegerArray(u"1,2"_s).has_value());
        QVERIFY(!PositionSample::parseIntegerArray(u"{1.5,2}"_s).has_value());
        QCOMPARE(PositionSample::parseIntegerArray(u"{}"_s)->size(), 0);
        QCOMPARE(PositionSample::parseIntegerArray(u"{-9223372036854775808,9223372036854775807}"_s)->constLast(),
                 std::numeric_limits<qint64>::max());
        QVERIFY(PositionSample().isEmpty());
        QVERIFY(!PositionSample().placeAt(0.5, 10).has_value());
    }

    void theShareOfPagesShrinksWithTheTable()
    {
        QCOMPARE(PositionSample::pagePercentFor(PositionSample::sampledRows), 100.0);
        QCOMPARE(PositionSample::pagePercentFor(10), 100.0);
        QCOMPARE(PositionSample::pagePercentFor(10 * PositionSample::sampledRows), 10.0);
    }

    void theSampleIsThinnedOnTheServerInTheWindowsOrder()
    {
        const WorkerStatement whole = byName(u"t.name ILIKE '%7%'"_s).sample(100, 4000);
        QVERIFY(!whole.sql.contains(u"TABLESAMPLE"_s));
        QVERIFY(!whole.sql.contains(u"OFFSET"_s, Qt::CaseInsensitive));
        QVERIFY(whole.sql.contains(u"row_number() OVER (ORDER BY t.name ASC NULLS LAST, t.id ASC)"_s));
        QVERIFY(whole.sql.contains(u"WHERE (t.name ILIKE '%7%')"_s));
        QVERIFY(whole.sql.contains(u"% greatest(1, n / 4000) = 0 OR r = n ORDER BY r"_s));
        const WorkerStatement pages = byName().sample(2.5, 4000); // no filter
        QVERIFY(pages.sql.contains(u"FROM t TABLESAMPLE SYSTEM (2.5000) REPEATABLE (0)"_s));
        QVERIFY(!pages.sql.contains(u"ILIKE"_s)); // no filter, no condition on the rows
    }

    void aWindowPlacedByADragCarriesItsEstimatedStart()
    {
        RowWindow window(10);
        const KeysetQuery query = byName();
        RowWindow::Plan plan
            = window.plan(RowWindow::Move::Around, query, 0, 500, KeysetQuery::Anchor{ u"name 500"_s, 500 });
        plan.aroundPosition = 4000;
        QList<QVariantList> before;
        QList<QVariantList> after;
        for (int i = 0; i < 5; ++i)
            before << QVariantList{ 495 + i, u"name %1"_s.arg(495 + i), 495 + i, u"x"_s };
        for (int i = 0; i < 5; ++i)
            after << QVariantList{ 500 + i, u"name %1"_s.arg(500 + i), 500 + i, u"x"_s };
        QCOMPARE(window.apply(plan, { before, after }, 10000), RowWindow::Outcome::Moved);
        QVERIFY(window.isStartEstimated());
        QCOMPARE(window.startPosition(), 3995); // five rows before the anchor's place
        QCOMPARE(window.aroundRow(), 5);
        QCOMPARE(window.keyAt(window.aroundRow()).value(), 500);
        // Moving on keeps it an estimate; going back to the first rows makes it exact again.
        RowWindow::Plan next = window.plan(RowWindow::Move::Next, query, 0);
        QList<QVariantList> more;
        for (int i = 0; i < 10; ++i)
            more << QVariantList{ 505 + i, u"name %1"_s.arg(505 + i), 505 + i, u"x"_s };
        window.apply(next, { more }, 10000);
        QVERIFY(window.isStartEstimated());
        QCOMPARE(window.aroundRow(), -1);
        QCOMPARE(window.startPosition(), 3995 + 10);
        window.apply(window.plan(RowWindow::Move::First, query), { after }, 10000);
        QVERIFY(!window.isStartEstimated());
        QCOMPARE(window.startPosition(), 0);
        // A jump to a key (no place known) is unknown, not an estimate.
        RowWindow::Plan toKey
            = window.plan(RowWindow::Move::Around, query, 0, 500, KeysetQuery::Anchor{ u"name 500"_s, 500 });
        window.apply(toKey, { before, after }, 10000);
        QVERIFY(!window.isStartEstimated());
        QCOMPARE(window.startPosition(), -1);
    }
};

QTEST_APPLESS_MAIN(TestPositionSample)
#include "tst_positionsample.moc"
