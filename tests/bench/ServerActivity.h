#pragma once

#include "config/ConnectionSettings.h"
#include "connection/DatabaseSession.h"

#include <QString>

#include <optional>

namespace bench {

// Where a move's time goes on the server, read from outside pgdesk: pg_stat_activity on a
// connection of the benchmark's own says when the last statement of another connection to the
// same database started and when that backend went idle again (PostgreSQL's timestamps, on this
// machine's clock). pgdesk's worker connection has no hook to ask (see docs/BENCHMARKS.md).
class ServerActivity
{
public:
    struct Statement
    {
        double startedMs = 0; // on nowMs()'s clock
        double endedMs = 0; // the backend went idle: the rows were sent
        QString sql;
    };

    bool open(const ConnectionSettings& settings, QString* error);
    bool isOpen() const { return m_session.isOpen(); }
    // The most recent statement another client backend on this database ran, if it started after
    // sinceMs and has ended.
    std::optional<Statement> latestSince(double sinceMs);
    // Runs the statement as the worker does (KeysetFetcher::run: forward-only, every value read
    // into a QVariantList), here on the calling thread: the statement and reading its rows without
    // the threads. The time in ms, or nothing when it failed (a text pg_stat_activity cut off).
    std::optional<double> runAsWorkerDoes(const QString& sql);

private:
    DatabaseSession m_session;
};

} // namespace bench
