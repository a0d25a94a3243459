#include "MoveBreakdown.h"

#include "ServerActivity.h"

using namespace Qt::StringLiterals;

namespace bench {

namespace {
constexpr double ownCostGoalMs = 3;

// The steps in order; together they make the time to rows painted.
const QStringList steps{ u"plan"_s,  u"to server"_s,  u"server"_s,      u"back"_s,
                         u"apply"_s, u"view reset"_s, u"until paint"_s, u"paint"_s };
} // namespace

void MoveBreakdown::record(const QString& label, int size, const Timing& timing, ServerActivity& observer)
{
    const Timing::Steps& at = timing.steps;
    const auto statement = observer.isOpen() ? observer.latestSince(at.started) : std::nullopt;
    ++m_runs[size];
    // Every window's statement ends in LIMIT; anything else is another connection's (a count).
    if (!statement || !statement->sql.contains(u" LIMIT "_s) || at.arrived <= 0 || at.applied <= 0)
        return;
    ++m_matched[size];
    const double server = statement->endedMs - statement->startedMs;
    QHash<QString, Series>& parts = m_parts[size][label];
    parts[u"plan"_s].add(at.returned - at.started);
    parts[u"to server"_s].add(statement->startedMs - at.returned);
    parts[u"server"_s].add(server);
    parts[u"back"_s].add(at.arrived - statement->endedMs);
    parts[u"apply"_s].add(at.applied - at.arrived);
    parts[u"view reset"_s].add(at.loaded - at.applied);
    parts[u"until paint"_s].add(at.paintBegun - at.loaded);
    parts[u"paint"_s].add(at.painted - at.paintBegun);
    parts[u"own"_s].add(timing.ms - server);
    // The same statement once more as the worker runs it, without the threads: what reading the
    // rows into QVariants costs beside the server's part.
    if (const auto replay = observer.runAsWorkerDoes(statement->sql))
        parts[u"replay"_s].add(*replay);
}

QString MoveBreakdown::report(int size, const QString& sizeName,
                              const QList<QPair<QString, std::optional<double>>>& moves) const
{
    QStringList out;
    out << u"\nA move at %1, where the time goes (medians, ms; %2 of %3 moves matched to their statement in "
           "pg_stat_activity):\n"_s.arg(sizeName)
               .arg(m_matched[size])
               .arg(m_runs[size]);
    out << markdownHeader({ u"move"_s, u"to rows painted"_s, u"plan, hand to the worker"_s, u"to the server"_s,
                            u"the server's statement"_s, u"back on the GUI thread"_s, u"apply rows, key index"_s,
                            u"view reset"_s, u"until paint"_s, u"paint"_s, u"own cost (all but the statement)"_s,
                            u"same statement, KeysetFetcher::run, no threads"_s });
    for (const auto& [label, ms] : moves) {
        const QHash<QString, Series> parts = m_parts[size].value(label);
        QStringList cells{ label, formatMs(ms) };
        for (const QString& step : steps)
            cells << formatMs(parts.value(step).median());
        cells << formatMs(parts.value(u"own"_s).median()) << formatMs(parts.value(u"replay"_s).median());
        out << markdownRow(cells);
    }
    out << u"\nplan = the call (RowWindow's plan, the statement built, handed to KeysetFetcher); to the server = "
           "the queued call reaching the worker thread and the statement reaching the server "
           "(pg_stat_activity.query_start); the server's statement = query_start to the backend going idle "
           "(state_change: executed and the rows sent); back = the worker reading the rows into QVariants, and "
           "the queued signal reaching the GUI thread (loadingChanged(false)); apply = RowWindow::apply and the "
           "model's key index (to modelReset); view reset = QTableView's reset (to windowLoaded()); until paint = "
           "the event loop reaching the view's paintEvent; paint = drawing the visible cells. Each column is a "
           "median of its own, so they need not add up to the first. The last column runs the statement "
           "pg_stat_activity shows once more through KeysetFetcher::run on a connection of the benchmark's own, "
           "on one thread: the statement and reading its rows as the worker does."_s;
    return out.join(u'\n');
}

QString MoveBreakdown::goalRow(int size, const QString& sizeName) const
{
    // The move whose median own cost is largest.
    double worst = -1;
    QString worstLabel;
    std::optional<double> serverLow;
    std::optional<double> serverHigh;
    for (auto move = m_parts[size].cbegin(); move != m_parts[size].cend(); ++move) {
        const auto own = move.value().value(u"own"_s).median();
        if (own && *own > worst) {
            worst = *own;
            worstLabel = move.key();
        }
        if (const auto server = move.value().value(u"server"_s).median()) {
            serverLow = serverLow ? std::min(*serverLow, *server) : *server;
            serverHigh = serverHigh ? std::max(*serverHigh, *server) : *server;
        }
    }
    return markdownRow({ u"A move's own cost (all but the server's statement) ≤ 3 ms, at %1"_s.arg(sizeName),
                         worst < 0 ? u"not measured"_s
                                   : u"largest median %1 ms (%2); the server's statement %3–%4 ms"_s.arg(
                                       formatMs(worst), worstLabel, formatMs(serverLow), formatMs(serverHigh)),
                         verdict(worst >= 0 && worst <= ownCostGoalMs) });
}

} // namespace bench
