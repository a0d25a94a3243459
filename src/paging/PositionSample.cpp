#include "paging/PositionSample.h"

#include <algorithm>
#include <cmath>

PositionSample PositionSample::fromSample(const QList<QVariantList>& rows, double pagePercent)
{
    PositionSample sample;
    sample.m_pagePercent = pagePercent;
    sample.m_anchors.reserve(rows.size());
    sample.m_places.reserve(rows.size());
    for (const QVariantList& row : rows) {
        sample.m_anchors << KeysetQuery::Anchor{ row.value(1), RowKey::fromValue(row.value(0)) };
        sample.m_places << row.value(2).toLongLong() - 1;
        sample.m_sampleRows = row.value(3).toLongLong();
    }
    return sample;
}

PositionSample PositionSample::fromKeyHistogram(const QList<qint64>& bounds)
{
    PositionSample sample;
    sample.m_fromHistogram = true;
    for (qint64 bound : bounds) {
        sample.m_places << sample.m_anchors.size();
        sample.m_anchors << KeysetQuery::Anchor{ QVariant::fromValue(bound), bound };
    }
    sample.m_sampleRows = bounds.size();
    return sample;
}

std::optional<QList<qint64>> PositionSample::parseIntegerArray(const QString& text)
{
    if (!text.startsWith(u'{') || !text.endsWith(u'}'))
        return std::nullopt;
    QList<qint64> values;
    const QString inner = text.mid(1, text.size() - 2);
    if (inner.isEmpty())
        return values;
    for (const QStringView part : QStringView(inner).split(u',')) {
        bool ok = false;
        const qint64 value = part.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        values << value;
    }
    return values;
}

double PositionSample::pagePercentFor(qint64 rows)
{
    if (rows <= sampledRows)
        return 100;
    return 100.0 * static_cast<double>(sampledRows) / static_cast<double>(rows);
}

std::optional<qint64> PositionSample::estimatedRows() const
{
    if (m_fromHistogram)
        return std::nullopt;
    if (isExact())
        return m_sampleRows;
    return std::llround(static_cast<double>(m_sampleRows) * 100.0 / m_pagePercent);
}

std::optional<PositionSample::Place> PositionSample::placeAt(double fraction, qint64 total) const
{
    if (m_anchors.isEmpty())
        return std::nullopt;
    const double clamped = std::clamp(std::isnan(fraction) ? 0.0 : fraction, 0.0, 1.0);
    const int last = size() - 1;
    const qint64 rows = total >= 0 ? total : estimatedRows().value_or(0);
    if (m_fromHistogram) {
        // Between two bounds the keys are taken as evenly spread: a serial key nearly is.
        const double at = clamped * last;
        const int index = std::min(static_cast<int>(at), std::max(0, last - 1));
        // Built by fromKeyHistogram(): every key is an integer.
        const qint64 low = m_anchors.at(index).key.integer().value_or(0);
        const qint64 high = m_anchors.at(std::min(index + 1, last)).key.integer().value_or(low);
        const qint64 key = low + std::llround(static_cast<double>(high - low) * (at - index));
        return Place{ { QVariant::fromValue(key), RowKey(key) },
                      std::llround(clamped * static_cast<double>(qMax<qint64>(0, rows - 1))) };
    }
    const int index = static_cast<int>(std::lround(clamped * last));
    Place place{ m_anchors.at(index), m_places.at(index) };
    if (!isExact()) {
        // The sampled row's share of the sample, over the rows of the order.
        const double share
            = m_sampleRows > 1 ? static_cast<double>(m_places.at(index)) / static_cast<double>(m_sampleRows - 1) : 0;
        place.position = std::llround(share * static_cast<double>(qMax<qint64>(0, rows - 1)));
    }
    return place;
}
