#include "model/PositionLocator.h"

#include "table/TableStatistics.h"

PositionLocator::PositionLocator(TableStatistics& statistics, QObject* parent)
    : QObject(parent)
    , m_statistics(statistics)
{
}

void PositionLocator::forget()
{
    m_sample.reset();
    m_reading = false;
    m_pendingJump = nullptr;
    ++m_generation;
}

void PositionLocator::locate(double fraction, const KeysetQuery& query, const WorkerStatement& histogram,
                             qint64 rowsInOrder, qint64 total, const Jump& jump)
{
    if (m_sample) {
        if (const auto place = m_sample->placeAt(fraction, total))
            jump(*place);
        return;
    }
    m_pendingFraction = fraction;
    m_pendingTotal = total;
    m_pendingJump = jump;
    prepare(query, histogram, rowsInOrder);
}

void PositionLocator::prepare(const KeysetQuery& query, const WorkerStatement& histogram, qint64 rowsInOrder)
{
    if (m_reading || m_sample)
        return;
    if (!histogram.sql.isEmpty())
        readHistogram(query, histogram, rowsInOrder);
    else
        readSample(query, PositionSample::pagePercentFor(rowsInOrder), true);
}

void PositionLocator::readHistogram(const KeysetQuery& query, const WorkerStatement& histogram, qint64 rowsInOrder)
{
    m_reading = true;
    const quint64 generation = ++m_generation;
    m_statistics.readRows(
        histogram, [this, generation, query, rowsInOrder](const QList<QVariantList>& rows, const QString& error) {
            if (generation != m_generation)
                return;
            m_reading = false;
            // No statistics yet (never analyzed), or not a plain integer histogram: sample instead.
            const auto bounds = error.isEmpty() && !rows.isEmpty()
                ? PositionSample::parseIntegerArray(rows.constFirst().value(0).toString())
                : std::nullopt;
            if (!bounds || bounds->size() < 2) {
                readSample(query, PositionSample::pagePercentFor(rowsInOrder), true);
                return;
            }
            arrived(PositionSample::fromKeyHistogram(*bounds));
        });
}

void PositionLocator::readSample(const KeysetQuery& query, double pagePercent, bool mayWiden)
{
    m_reading = true;
    const quint64 generation = ++m_generation;
    m_statistics.readRows(
        query.sample(pagePercent, PositionSample::keptRows),
        [this, generation, query, pagePercent, mayWiden](const QList<QVariantList>& rows, const QString& error) {
            if (generation != m_generation)
                return;
            m_reading = false;
            if (!error.isEmpty()) {
                m_pendingJump = nullptr;
                emit sampleFailed(error);
                return;
            }
            const PositionSample sample = PositionSample::fromSample(rows, pagePercent);
            // Sized from the table's rows, a sample of a rare filter's matches can
            // come back nearly empty: once, read a share of pages as much larger
            // as the matches were rarer.
            const qint64 sampled = sample.isEmpty() ? 0 : rows.constLast().value(3).toLongLong();
            if (mayWiden && pagePercent < 100 && sampled < PositionSample::sampledRows / 100) {
                const double widened = pagePercent * static_cast<double>(PositionSample::sampledRows)
                    / static_cast<double>(qMax<qint64>(1, sampled));
                readSample(query, qMin(100.0, widened), false);
                return;
            }
            arrived(sample);
        });
}

void PositionLocator::arrived(const PositionSample& sample)
{
    m_sample = sample;
    emit sampleRead();
    if (m_pendingJump) {
        const Jump jump = std::exchange(m_pendingJump, nullptr);
        if (const auto place = m_sample->placeAt(m_pendingFraction, m_pendingTotal))
            jump(*place);
    }
}
