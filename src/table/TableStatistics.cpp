#include "table/TableStatistics.h"

#include "connection/SqlLiteral.h"

#include <QSet>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {
// pg_class.reltuples answers in microseconds at any size; count(*) is exact but reads the whole
// table (half a second at 10 million rows), so it runs only where that is cheap.
constexpr qint64 exactCountLimit = 200000;
constexpr qint64 smallTableBytes = 16 * 1024 * 1024;
} // namespace

TableStatistics::TableStatistics(QObject* parent)
    : QObject(parent)
{
}

TableStatistics::~TableStatistics() = default;

void TableStatistics::attachWorker(const ConnectionSettings& settings)
{
    m_workerSettings = settings;
    m_worker.reset();
    m_handlers.clear();
}

void TableStatistics::bind(const QSqlDatabase& database, const TableName& table)
{
    m_database = database;
    m_table = table;
    m_matchingRowCount.reset();
    // Only pg_class here, on the window's connection: pg_relation_size() and count(*) wait for a
    // lock another client holds on the table, and the window must not. Nor one statement with the
    // count in a CASE: its plan costs past jit_above_cost at 10 million rows, and compiling it
    // stalled the open by about 90 ms (docs/BENCHMARKS.md, runs 7-11).
    QSqlQuery estimate(database);
    estimate.setForwardOnly(true);
    qint64 tuples = -1;
    if (SqlLiteral::exec(estimate, u"SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass"_s, { table.sql() })
        && estimate.next())
        tuples = estimate.value(0).toLongLong();
    m_totalRowCount = qMax<qint64>(0, tuples);
    m_totalExact = false;
    refreshIndexInfo();
    // Small, or never analyzed (-1): the exact count is cheap, or the size tells.
    if (tuples < exactCountLimit)
        refresh();
}

QString TableStatistics::statisticsStatement() const
{
    // The CASE runs its subquery only when the table is small (or never analyzed and small on disk).
    return u"SELECT c.reltuples::bigint, pg_relation_size(c.oid), CASE WHEN (c.reltuples >= 0 AND c.reltuples < %1) "
           "OR (c.reltuples < 0 AND pg_relation_size(c.oid) < %2) THEN (SELECT count(*) FROM %3) END "
           "FROM pg_class c WHERE c.oid = %4::regclass"_s.arg(exactCountLimit)
               .arg(smallTableBytes)
               .arg(m_table.sql(), SqlLiteral::literal(m_table.sql()));
}

void TableStatistics::applyStatistics(const QVariantList& row)
{
    const qint64 estimate = row.value(0).isNull() ? -1 : row.value(0).toLongLong();
    const qint64 bytes = row.value(1).toLongLong();
    if (!row.value(2).isNull()) {
        m_totalRowCount = row.value(2).toLongLong();
        m_totalExact = true;
        return;
    }
    // Never analyzed: guess from the size (about 50 bytes a row for this table's shape).
    m_totalRowCount = estimate >= 0 ? estimate : bytes / 50;
    m_totalExact = false;
}

void TableStatistics::refresh()
{
    KeysetFetcher::Request request;
    request.statements << WorkerStatement{ statisticsStatement(), {}, false };
    submit(request, [this](const KeysetFetcher::Result& result) {
        if (!result.error.isEmpty() || result.rows.isEmpty() || result.rows.constFirst().isEmpty())
            return; // the totals shown stay as they were; the next save or count refreshes them
        applyStatistics(result.rows.constFirst().constFirst());
        emit statisticsChanged();
    });
}

void TableStatistics::submit(KeysetFetcher::Request request, const Handler& apply, bool isCount)
{
    if (!m_workerSettings) {
        apply(KeysetFetcher::run(m_database, request));
        return;
    }
    // Its own worker connection, so a slow count never holds up moving the window.
    if (!m_worker) {
        m_worker = std::make_unique<KeysetFetcher>(*m_workerSettings);
        connect(m_worker.get(), &KeysetFetcher::finished, this, [this](const KeysetFetcher::Result& result) {
            // One worker runs the requests in order: any older one still listed was skipped.
            for (auto handler = m_handlers.begin(); handler != m_handlers.end();)
                handler = handler.key() < result.generation ? m_handlers.erase(handler) : std::next(handler);
            if (const Pending pending = m_handlers.take(result.generation); pending.apply)
                pending.apply(result);
        });
    }
    request.generation = ++m_generation;
    m_handlers.insert(request.generation, Pending{ apply, isCount });
    m_worker->submit(request);
}

void TableStatistics::refreshIndexInfo()
{
    m_trigramColumns.clear();
    QSqlQuery indexes(m_database);
    indexes.setForwardOnly(true);
    // An index serves "column ILIKE ..." only when the column is its first key with a trigram
    // operator class; one on another column, or on an expression, does not. Nor does an invalid
    // one (a CREATE INDEX CONCURRENTLY that failed leaves it behind), which would never be offered again.
    if (!SqlLiteral::exec(indexes,
                          u"SELECT DISTINCT a.attname FROM pg_index i "
                          "JOIN pg_opclass c ON c.oid = i.indclass[0] "
                          "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                          "WHERE i.indrelid = ?::regclass AND i.indisvalid "
                          "AND c.opcname IN ('gin_trgm_ops', 'gist_trgm_ops')"_s,
                          { m_table.sql() }))
        return;
    while (indexes.next())
        m_trigramColumns.insert(indexes.value(0).toString());
}

void TableStatistics::findMissingKeys(const KeyColumns& keyColumns, const QList<RowKey>& keys)
{
    if (keys.isEmpty())
        return;
    KeysetFetcher::Request request;
    request.statements << WorkerStatement{ u"SELECT "_s + keyColumns.readSql() + u" FROM "_s + m_table.sql()
                                               + u" WHERE "_s + keyColumns.inSql(keys),
                                           {},
                                           false };
    submit(request, [this, keys](const KeysetFetcher::Result& result) {
        if (!result.error.isEmpty() || result.rows.isEmpty())
            return; // unknown: nothing is flagged
        QSet<RowKey> present;
        for (const QVariantList& row : result.rows.constFirst())
            present.insert(RowKey::fromValue(row.value(0)));
        QList<RowKey> missing;
        for (const RowKey& key : keys) {
            if (!present.contains(key))
                missing << key;
        }
        emit missingKeysFound(missing);
    });
}

void TableStatistics::countMatching(const QString& whereSql)
{
    KeysetFetcher::Request request;
    const QString countAll = u"SELECT count(*) FROM "_s + m_table.sql();
    request.statements << WorkerStatement{ countAll + (whereSql.isEmpty() ? QString() : u" WHERE "_s + whereSql),
                                           {},
                                           false };
    // A small table's total is exact and cheap: count it again beside the matches, so that the
    // "N of M rows" never shows a total from before other clients' changes.
    if (!whereSql.isEmpty() && m_totalExact)
        request.statements << WorkerStatement{ countAll, {}, false };
    const quint64 generation = ++m_matchCountGeneration;
    const bool all = whereSql.isEmpty();
    auto apply = [this, generation, all](const KeysetFetcher::Result& result) {
        if (generation != m_matchCountGeneration || !result.error.isEmpty() || result.rows.isEmpty()
            || result.rows.constFirst().isEmpty())
            return;
        m_matchingRowCount = result.rows.constFirst().constFirst().value(0).toLongLong();
        if (all) {
            m_totalRowCount = *m_matchingRowCount;
            m_totalExact = true;
        } else if (result.rows.size() > 1 && !result.rows.at(1).isEmpty()) {
            m_totalRowCount = result.rows.at(1).constFirst().value(0).toLongLong();
            m_totalExact = true;
        }
        emit matchingRowCountReady(*m_matchingRowCount);
    };
    // A newer count makes an older one still running pointless (the filter changed). But a cancel
    // reaches every request up to that one on this worker: while a sample of the order or a
    // statistics read queued before it is still pending, the old count runs on and its answer is
    // dropped. Cancelled, the sample read failed the window and ended a Ctrl+A selection.
    if (m_worker && m_handlers.contains(m_lastMatchCountRequest)) {
        bool onlyCountsBefore = true;
        for (auto pending = m_handlers.cbegin(); pending != m_handlers.cend(); ++pending)
            onlyCountsBefore = onlyCountsBefore && (pending.key() > m_lastMatchCountRequest || pending->isCount);
        if (onlyCountsBefore)
            m_worker->cancelUpTo(m_lastMatchCountRequest);
    }
    submit(request, apply, true);
    m_lastMatchCountRequest = m_generation;
}

void TableStatistics::readRows(const WorkerStatement& statement,
                               const std::function<void(const QList<QVariantList>&, const QString&)>& done)
{
    KeysetFetcher::Request request;
    request.statements << statement;
    submit(request, [done](const KeysetFetcher::Result& result) { done(result.rows.value(0), result.error); });
}

WorkerStatement TableStatistics::histogramStatement(const QString& columnName) const
{
    return WorkerStatement{ u"SELECT s.histogram_bounds::text FROM pg_stats s JOIN pg_class c ON c.relname = "
                            "s.tablename JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = "
                            "s.schemaname WHERE c.oid = ?::regclass AND s.attname = ? AND NOT s.inherited "
                            "AND s.null_frac = 0 AND s.most_common_vals IS NULL"_s,
                            { m_table.sql(), columnName },
                            false };
}
