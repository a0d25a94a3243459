#pragma once

#include "BenchSupport.h"

#include <QString>
#include <QStringList>

#include <memory>

class MainWindow;
class QTemporaryDir;

namespace bench {

// How long each phase of a situation lasts. The figures are the worst stall in a phase, so a
// phase only has to be long enough for the live poll (1.5 s) and the liveness probe (every 1.5 s,
// a 3.5 s deadline) to fire a few times.
struct StallPhases
{
    int deadIdleMs = 8000; // long enough for Offline (promised within 5 s) to show
    int deadWorkingMs = 6000; // F5, then a filter typed
    int lockIdleMs = 7000;
    int lockWorkingMs = 5000; // F5, a filter, Count rows, Save; the lock ends after it
};

// What the real window did in one situation of issue 13.
struct StallSituation
{
    bool ok = false; // every step could be taken and the staged row was written
    QString error;
    double idleStallMs = -1; // the longest event-loop stall while idle
    double workingStallMs = -1; // ... while the user worked (until the lock ended, for a lock)
    double recoveryStallMs = -1; // dead path: from the thaw to the staged row saved (not a goal)
    double offlineAfterMs = -1; // dead path: freeze to "Offline" shown; -1: not within the idle phase
    double onlineAfterMs = -1; // dead path: thaw to online again
    bool stagedRowSaved = false; // Save wrote the staged row, checked with psql
    bool workDone = false; // F5, the filter (and the count) took effect once the server answered
    QString waitStatus; // lock: what the status bar said while Save waited
    QStringList boxes; // message boxes the window showed (closed at once, as a user would)
};

// The window of issue 13 (MainWindow, with its live view and liveness probe, as pgdesk runs) on a
// small table of its own (database pgdesk_bench_stalls, made for the run and dropped after), in
// two situations: the network path dies without a reset (tests/support/freezable-relay.py between
// the window and the server, frozen), and another client holds LOCK TABLE … IN ACCESS EXCLUSIVE
// MODE. Each starts with an edit staged and the window idle, then the user presses F5 and types a
// filter (with a lock also Count rows and Save); a 5 ms timer measures the event loop meanwhile.
class StallScenarios
{
public:
    StallScenarios(Server server, qint64 rows, StallPhases phases);
    ~StallScenarios();
    StallScenarios(const StallScenarios&) = delete;
    StallScenarios& operator=(const StallScenarios&) = delete;

    // Makes the database; false with the reason when that fails.
    bool prepare(QString* error);
    StallSituation deadPath();
    StallSituation heldLock();
    const StallPhases& phases() const { return m_phases; }

    // The situations as a Markdown section, and the rows of issue 13's goals they decide.
    static QString report(const StallPhases& phases, qint64 rows, const StallSituation& dead,
                          const StallSituation& lock);
    static QStringList goalRows(const StallSituation& dead, const StallSituation& lock);

private:
    std::unique_ptr<MainWindow> openWindow(const ConnectionSettings& settings, QString* error);
    // Stages a new name on the row with this key; false when the row is not shown.
    bool stageEdit(MainWindow& window, qint64 key, const QString& name);
    bool rowHolds(qint64 key, const QString& name);

    Server m_server;
    qint64 m_rows;
    StallPhases m_phases;
    QString m_database = QStringLiteral("pgdesk_bench_stalls");
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    bool m_prepared = false;
};

} // namespace bench
