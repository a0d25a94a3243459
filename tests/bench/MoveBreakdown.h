#pragma once

#include "BenchSupport.h"
#include "PgdeskRig.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <array>
#include <optional>

namespace bench {

class ServerActivity;

// Where a move's time goes (issue 18: a move's own cost, everything but the server's statement,
// at most 3 ms), as the benchmark's breakdown of Open does for opening: the steps the model's
// signals mark on the GUI thread, and the worker statement's start and end as the server saw them
// (pg_stat_activity), per move and size.
class MoveBreakdown
{
public:
    // After a move measured by Rig::show(): asks the server for its statement and keeps the steps.
    // size is 0 (small) or 1 (large).
    void record(const QString& label, int size, const Timing& timing, ServerActivity& observer);

    // The Markdown table for one size: a row per move (label and its median to rows painted, in
    // the order given), medians of each step, and what the steps mean.
    QString report(int size, const QString& sizeName, const QList<QPair<QString, std::optional<double>>>& moves) const;
    bool hasRecorded(const QString& label) const { return m_parts[1].contains(label) || m_parts[0].contains(label); }
    // The verdict row of issue 18's goal at that size.
    QString goalRow(int size, const QString& sizeName) const;

private:
    std::array<QHash<QString, QHash<QString, Series>>, 2> m_parts; // per move label, per step
    std::array<int, 2> m_runs{ 0, 0 };
    std::array<int, 2> m_matched{ 0, 0 };
};

} // namespace bench
