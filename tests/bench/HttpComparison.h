#pragma once

#include "BenchSupport.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <array>
#include <memory>
#include <optional>

namespace bench {

// Issue 18's HTTP goals: `pgdesk serve`'s /read and /write against pgbench running the same
// statement with the same number of clients (1 and 8), the tutorial's main.py beside them, and
// whether a slow /read holds up the others (fast requests per second while one client keeps
// asking for a read that scans the whole table, with one worker as pgdesk served before issue 18
// and with the default). Its own database, pgdesk_bench_http_<rows>: the tutorial's my_table with
// `rows` names and an index on name that leaves out the name 'slow', so /read?name=slow scans
// every row while every other name is found through the index. Rates, never asserted.
class HttpComparison
{
public:
    HttpComparison(const Server& server, qint64 rows, int seconds);

    // Every measurement in turn; what could not be taken is in failures().
    void run();
    QString report() const;
    const QStringList& failures() const { return m_failures; }

    static constexpr std::array<int, 2> clientCounts{ 1, 8 };

private:
    struct Rates
    {
        std::array<std::optional<double>, 2> read; // per clientCounts
        std::array<std::optional<double>, 2> write;
    };

    bool prepareDatabase(QString* error);
    void measurePgbench();
    void measurePgdesk();
    void measureMainPy();
    // /read and /write at each client count against a server already listening on port.
    // A peer's (main.py's) failures are remarks beside its figures, not failures of the run: the
    // tutorial's one-thread http.server sometimes leaves 8 clients unanswered for a whole second.
    enum class OnFailure { FailTheRun, Remark };
    void measureRates(const QString& server, const QString& shortName, quint16 port, Rates* rates, OnFailure onFailure);
    void measureSlowRequest();
    // Requests per second of `clients` clients asking for target on port, or nothing (noted).
    std::optional<double> httpRate(const QString& what, quint16 port, const QByteArray& target, int clients,
                                   OnFailure onFailure = OnFailure::FailTheRun, int expectedStatus = 200);
    void cleanUpWrites();
    void note(const QString& what, const QString& error);

    const Server m_server;
    const qint64 m_rows;
    const int m_seconds;
    QString m_database;
    std::unique_ptr<QTemporaryDir> m_envDirectory; // the .env of pgdesk serve
    QString m_fastName;
    QStringList m_plans; // EXPLAIN of a fast and of the slow /read
    Rates m_pgbench;
    Rates m_pgdesk;
    Rates m_mainPy;
    // pgdesk serve answering a path it has no route for (404) on its HTTP thread, no statement:
    // what the HTTP hop alone costs, per clientCounts.
    std::array<std::optional<double>, 2> m_httpAlone;
    // Per worker count (1, the default): fast /read per second alone and while a slow one runs.
    std::array<std::optional<double>, 2> m_fastAlone;
    std::array<std::optional<double>, 2> m_fastBesideSlow;
    std::array<std::optional<double>, 2> m_slowPerSecond;
    std::optional<double> m_slowMs;
    QStringList m_failures;
    QStringList m_remarks; // failed requests too few to void a figure
};

} // namespace bench
