#include "ServerActivity.h"

#include "BenchSupport.h"
#include "connection/KeysetFetcher.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace bench {

bool ServerActivity::open(const ConnectionSettings& settings, QString* error)
{
    if (m_session.open(settings))
        return true;
    *error = m_session.lastError().fullText();
    return false;
}

std::optional<ServerActivity::Statement> ServerActivity::latestSince(double sinceMs)
{
    // Microseconds as exact integers: extract() is numeric since PostgreSQL 14, and a double of
    // seconds since 1970 would round away the last digit or two.
    QSqlQuery query(m_session.database());
    if (!query.exec(u"SELECT (extract(epoch FROM query_start) * 1000000)::bigint, "
                    "(extract(epoch FROM state_change) * 1000000)::bigint, state, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend' AND query_start IS NOT NULL "
                    "ORDER BY query_start DESC LIMIT 1"_s)
        || !query.next()) {
        return std::nullopt;
    }
    if (query.value(2).toString() != u"idle")
        return std::nullopt;
    Statement statement;
    statement.startedMs = wallClockToNowMs(query.value(0).toLongLong());
    statement.endedMs = wallClockToNowMs(query.value(1).toLongLong());
    statement.sql = query.value(3).toString();
    if (statement.startedMs < sinceMs || statement.endedMs < statement.startedMs)
        return std::nullopt;
    return statement;
}

std::optional<double> ServerActivity::runAsWorkerDoes(const QString& sql)
{
    KeysetFetcher::Request request;
    request.generation = 1;
    request.statements << WorkerStatement{ sql, {}, false };
    const double started = nowMs();
    const KeysetFetcher::Result result = KeysetFetcher::run(m_session.database(), request);
    const double ms = nowMs() - started;
    if (!result.error.isEmpty() || result.rows.isEmpty())
        return std::nullopt;
    return ms;
}

} // namespace bench
