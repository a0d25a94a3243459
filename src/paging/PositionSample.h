#pragma once

#include "paging/KeysetQuery.h"

#include <QList>
#include <QVariantList>

#include <optional>

// Where the rows of an order stand, known without counting them, so the scrollbar can span the
// whole table (or the filter's matches): a thumb dragged to 40 % anchors a keyset window on the
// row found at the 40th percentile, never on OFFSET. Two sources:
// - In key order without a filter, the planner's histogram of the key (pg_stats, from ANALYZE's
//   row sample): integer keys are interpolated within its buckets, so a place is a key.
// - Otherwise a sample of the order read by KeysetQuery::sample(): every row of a small table or
//   filter (places exact), or a share of the table's pages (places to about a percent, the pages
//   being the sample's unit).
class PositionSample
{
public:
    // Rows read from the pages sampled: enough pages for places to about a percent, and a sort
    // the server does in a blink. Tables and filters up to this size are read whole, exactly.
    static constexpr qint64 sampledRows = 200000;
    // Rows kept of the sample: a place for every pixel of the tallest scrollbar.
    static constexpr int keptRows = 4000;

    struct Place
    {
        KeysetQuery::Anchor anchor;
        qint64 position = 0; // rows before the anchor in the order, estimated unless isExact()
    };

    PositionSample() = default;
    // rows: (key, sort value, place in the sample from 1, rows in the sample), as
    // KeysetQuery::sample(pagePercent, …) read them.
    static PositionSample fromSample(const QList<QVariantList>& rows, double pagePercent);
    // The histogram_bounds of an integer key, ascending.
    static PositionSample fromKeyHistogram(const QList<qint64>& bounds);
    // Parses pg_stats' text form of an integer array ("{1,2,3}"); nothing when it is not one.
    static std::optional<QList<qint64>> parseIntegerArray(const QString& text);

    // The share of the table's pages to sample for about sampledRows of `rows` rows; 100 or more
    // reads them all.
    static double pagePercentFor(qint64 rows);

    bool isEmpty() const { return m_anchors.isEmpty(); }
    int size() const { return static_cast<int>(m_anchors.size()); }
    // Every row of the order was read: places are exact.
    bool isExact() const { return !m_fromHistogram && m_pagePercent >= 100; }
    // How many rows of the order the sample stands for; nothing for a histogram (it says where,
    // not how many).
    std::optional<qint64> estimatedRows() const;

    // The row at this fraction (0 to 1) of the order, with its place among `total` rows (the
    // sample's own estimate when total is below 0). Nothing when the sample is empty.
    std::optional<Place> placeAt(double fraction, qint64 total) const;

private:
    QList<KeysetQuery::Anchor> m_anchors;
    QList<qint64> m_places; // each anchor's place in the sample, from 0
    qint64 m_sampleRows = 0; // rows the sample held before it was thinned
    double m_pagePercent = 100;
    bool m_fromHistogram = false;
};
