#pragma once

#include "paging/KeysetQuery.h"
#include "paging/PositionSample.h"

#include <QObject>

#include <functional>
#include <optional>

class TableStatistics;

// The whole-table scrollbar's half of the model: finds the row at a fraction of the order (the
// table's rows, or the filter's matches) from a PositionSample, read once per order and filter on
// the count worker and kept until they change. A jump needs no statement of its own beyond the
// keyset window at the place found, so dragging the thumb costs what any window move costs.
class PositionLocator : public QObject
{
    Q_OBJECT

public:
    using Jump = std::function<void(const PositionSample::Place& place)>;

    explicit PositionLocator(TableStatistics& statistics, QObject* parent = nullptr);

    // The order, the filter or the table changed: the sample no longer describes it.
    void forget();
    // Calls jump with the place at this fraction, at once when the sample is at hand, else once it
    // has been read (only for the newest request: a drag asks many times while the sample is read).
    // histogramSql reads the key's pg_stats histogram_bounds as text, in ascending key order with
    // no filter (empty otherwise, or to sample); without a usable histogram the order is sampled,
    // sized by rowsInOrder. total is what the places count in (-1: the sample's estimate).
    void locate(double fraction, const KeysetQuery& query, const WorkerStatement& histogram, qint64 rowsInOrder,
                qint64 total, const Jump& jump);
    // Reads the sample ahead of any drag (once per order and filter), so the first drag is as
    // quick as the next and a filter's matches have a size before they are counted.
    void prepare(const KeysetQuery& query, const WorkerStatement& histogram, qint64 rowsInOrder);
    bool hasSample() const { return m_sample.has_value(); }
    // A drag waits for the sample to arrive (the model counts as loading meanwhile).
    bool isWaiting() const { return m_pendingJump != nullptr; }
    // Esc while waiting: the sample is still read, but nothing jumps when it arrives.
    void dropWaitingJump() { m_pendingJump = nullptr; }
    // The rows the sample stands for (the filter's matches before they are counted).
    std::optional<qint64> estimatedRows() const { return m_sample ? m_sample->estimatedRows() : std::nullopt; }

signals:
    // A sample arrived: estimatedRows() may tell the scrollbar a size it did not know.
    void sampleRead();
    // Reading the sample a drag waits for failed (one read ahead fails silently).
    void sampleFailed(const QString& message);

private:
    void readHistogram(const KeysetQuery& query, const WorkerStatement& histogram, qint64 rowsInOrder);
    void readSample(const KeysetQuery& query, double pagePercent, bool mayWiden);
    void arrived(const PositionSample& sample);

    TableStatistics& m_statistics;
    std::optional<PositionSample> m_sample;
    quint64 m_generation = 0; // forget() and each read: older samples arriving are dropped
    bool m_reading = false;
    double m_pendingFraction = 0;
    qint64 m_pendingTotal = -1;
    Jump m_pendingJump;
};
