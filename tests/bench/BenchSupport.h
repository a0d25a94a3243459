#pragma once

#include "config/ConnectionSettings.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTableView>
#include <QTimer>

#include <functional>
#include <optional>

// What every part of the benchmark shares: the server it talks to, the data set, psql, a clock,
// the event-loop stall meter, a view that says when it has painted, and the process's memory.
namespace bench {

// Milliseconds since the program started, with nanosecond resolution.
double nowMs();
// A wall-clock time in microseconds since the epoch (as PostgreSQL's timestamps on this machine)
// on nowMs()'s clock, converted at the moment of the call so that clock adjustments do not add up.
double wallClockToNowMs(qint64 epochMicros);

void say(const QString& line);
void sayError(const QString& line);

// One measurement repeated: its samples and whether any of them failed.
struct Series
{
    QList<double> values;
    QStringList errors;

    void add(double value) { values << value; }
    void fail(const QString& error) { errors << error; }
    bool ok() const { return errors.isEmpty() && !values.isEmpty(); }
    std::optional<double> median() const;
    std::optional<double> max() const;
};

// Formats a value in milliseconds for a table: "0.42", "12.3", "7 012".
QString formatMs(std::optional<double> ms);
QString formatRatio(std::optional<double> numerator, std::optional<double> denominator);
QString formatCount(qint64 value);
// A Markdown table's row, its header (with the rule under it), and a goal's verdict.
QString markdownRow(const QStringList& cells);
QString markdownHeader(const QStringList& cells);
QString verdict(bool met);

// The server from a server.env as tests/support/pg-cluster.sh writes it.
struct Server
{
    QString host;
    int port = 0;
    QString user;
    QString password;
    QString envFile;

    bool load(const QString& path, QString* error);
    ConnectionSettings settings(const QString& database) const;
    // PGPASSWORD and PGSSLMODE=require, so psql and psycopg2 connect as pgdesk does.
    QProcessEnvironment clientEnvironment() const;
    QStringList psqlConnectionArguments(const QString& database) const;
};

struct ProcessResult
{
    bool ok = false;
    QString out;
    QString err;
    double elapsedMs = 0;
};

// Runs a program to its end (timeoutMs < 0: no limit) and says whether it exited with 0.
ProcessResult runProcess(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment,
                         int timeoutMs = -1, const QByteArray& input = {});

// psql -X -At -q -v ON_ERROR_STOP=1 on one database, with sql as -c or, with asScript, on stdin.
ProcessResult runPsql(const Server& server, const QString& database, const QString& sql, bool asScript = false,
                      int timeoutMs = -1);

// The throwaway cluster the benchmark starts with tests/support/pg-cluster.sh, unless it is told to
// use an existing server. A cluster still running from an earlier run with --keep is reused, with
// its data.
class Cluster
{
public:
    bool startOrReuse(const QString& directory, QString* error);
    void stop();
    QString envFile() const;
    bool reused() const { return m_reused; }

private:
    QString m_directory;
    bool m_reused = false;
};

// my_table with the tutorial's DDL and `rows` rows in database pgdesk_bench_<rows> (with a pg_trgm
// index on name) and an identical copy without it in pgdesk_bench_<rows>_noindex. Names are
// 'name-' || g, every tenth row repeats an earlier name, one row in a thousand is NULL, and exactly
// 94 rows carry the rare token "zebra". Built once; a database whose table comment names the same
// layout and row count is reused.
struct DataSet
{
    qint64 rows = 0;
    QString database;
    QString noIndexDatabase;
    QString rareToken;
    qint64 rareMatches = 0; // rows whose name contains rareToken: 94
    QString singleName; // a name held by one row, for the tutorial's WHERE name = %s
    qint64 singleNameMatches = 0;
    qint64 middleKey = 0;
    bool reused = false;
    double buildSeconds = 0;
};
bool ensureDataSet(const Server& server, qint64 rows, DataSet* dataSet, QString* error);

// A database of its own for one comparison, built by `script` and reused while `markedTable`'s
// comment is `marker` (the script's last step sets it, so a build cut short is built again).
bool ensureMarkedDatabase(const Server& server, const QString& database, const QString& markedTable,
                          const QString& marker, const QString& script, QString* error);

// A field of /proc/self/status in kB (VmHWM is the peak resident set, VmRSS the current one).
qint64 procStatusKb(const char* field);
QString describeMachine(const Server& server, const QString& database);
// /proc/loadavg's 1, 5 and 15 minute averages: how busy the machine was with other work.
QString loadAverage();

// The longest time the GUI thread's event loop went without running a 5 ms timer while it was
// armed: how long the window would have been frozen.
class StallMeter : public QObject
{
    Q_OBJECT

public:
    StallMeter();
    void start();
    double stopMs(); // the longest gap in milliseconds, including the one up to now

private:
    void tick();

    QTimer m_timer;
    double m_lastMs = 0;
    double m_longestMs = 0;
};

// A QTableView that notes when it has painted its rows (after paintEvent, so drawing the visible
// cells, and thus reading them from the model, is included).
class PaintTimedView : public QTableView
{
    Q_OBJECT

public:
    explicit PaintTimedView(QWidget* parent = nullptr);
    int paintCount() const { return m_paintCount; }
    double lastPaintMs() const { return m_lastPaintMs; } // when the last paintEvent() ended
    double lastPaintStartMs() const { return m_lastPaintStartMs; }
    // The end of the first paint after awaitPaint() was called (-1 until there is one).
    void awaitPaint()
    {
        m_awaitedPaintMs = -1;
        m_awaitingPaint = true;
    }
    double awaitedPaintMs() const { return m_awaitedPaintMs; }
    // Shows the view offscreen at a window's size and waits until it has painted once.
    bool showAndWait();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_paintCount = 0;
    double m_lastPaintMs = 0;
    double m_lastPaintStartMs = 0;
    bool m_awaitingPaint = false;
    double m_awaitedPaintMs = -1;
};

// Runs the event loop until done() or the timeout; false on timeout.
bool waitUntil(const std::function<bool()>& done, int timeoutMs);
// Runs the event loop for this long.
void spin(int milliseconds);

} // namespace bench
