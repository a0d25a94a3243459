#pragma once

#include "BenchSupport.h"
#include "connection/DatabaseSession.h"
#include "model/TableModel.h"

#include <QMap>

#include <functional>
#include <memory>

namespace bench {

// One measured operation: from starting it to its rows painted in the view.
struct Timing
{
    bool ok = false;
    QString error;
    double ms = 0; // start to rows painted (or to the answer, for a count)
    double stallMs = 0; // the longest event-loop stall meanwhile
    // A search that showed its first matches before the rest (TableModel::firstMatchesShown()):
    // start to those painted. 0 when every row came at once.
    double firstRowsMs = 0;
    QMap<QString, double> parts; // where the time went, for Open

    // For a window change, when each step ended, on nowMs()'s clock (0: it did not happen).
    struct Steps
    {
        double started = 0;
        double returned = 0; // the call returned: the plan was made and handed to the worker
        double arrived = 0; // the rows are back on the GUI thread (loadingChanged(false))
        double applied = 0; // the model holds them (modelReset, before the view hears of it)
        double loaded = 0; // the view has reset too (windowLoaded)
        double paintBegun = 0;
        double painted = 0;
    } steps;
};

// What a cancelled operation showed.
struct Cancellation
{
    bool ok = false; // measured without errors
    bool cancelled = false; // windowFailed(cancelled) arrived; false when the query finished first
    bool rowsKept = false; // the rows shown before (or the first matches a search showed) are still shown
    QString error;
    double latencyMs = 0; // cancelLoading() to windowFailed(…, true)
    double callMs = 0; // how long the cancelLoading() call itself held the GUI thread
    double stallMs = 0;
};

// pgdesk's way, as MainWindow::bindModel() sets it up: a DatabaseSession opened on the GUI thread,
// a TableModel with a KeysetFetcher attached (a worker thread with its own connection), sorted by
// the key, in a QTableView with fixed row heights, shown offscreen at a window's size.
class Rig
{
public:
    explicit Rig(ConnectionSettings settings);
    ~Rig();
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    // Connect, read the table's shape and estimate, ask for the first window, paint it.
    Timing open(int timeoutMs);
    // Starts a window change (loadNext, sort, setNameFilter, …) and waits until its rows are painted.
    Timing show(const std::function<void()>& start, int timeoutMs);
    // countMatchingRows() until matchingRowCountReady().
    Timing count(int timeoutMs);
    // Starts a window change, cancels it after `afterMs` (as Esc does) and waits for the outcome.
    Cancellation cancelAfter(const std::function<void()>& start, int afterMs, int timeoutMs);

    TableModel* model() const { return m_model.get(); }
    PaintTimedView* view() const { return m_view.get(); }
    QList<qint64> windowKeys() const;
    bool isOpen() const { return m_opened; } // open() succeeded

private:
    void resetSignals();

    ConnectionSettings m_settings;
    std::unique_ptr<PaintTimedView> m_view;
    std::unique_ptr<DatabaseSession> m_session;
    std::unique_ptr<TableModel> m_model;
    double m_loadedMs = -1;
    bool m_firstMatchesShown = false;
    QList<qint64> m_firstMatchesKeys; // the window's keys when they were shown
    double m_arrivedMs = -1;
    double m_appliedMs = -1;
    int m_paintsAtLoad = 0;
    double m_failedMs = -1;
    bool m_failedCancelled = false;
    QString m_failure;
    double m_countedMs = -1;
    bool m_opened = false;
};

} // namespace bench
