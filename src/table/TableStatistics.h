#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "connection/KeysetFetcher.h"
#include "table/KeyColumns.h"
#include "table/RowKey.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QSqlDatabase>

#include <functional>
#include <memory>
#include <optional>

// How many rows the table holds and how many match the filter, and whether a trigram index can
// serve the substring filter. Exact counts read the whole table (half a second at 10 million rows),
// so they run on a worker connection of their own, never in the way of the window's moves; what is
// read on the window's connection at bind touches only the catalog (pg_class, pg_index), which no
// lock on the table holds up.
class TableStatistics : public QObject
{
    Q_OBJECT

public:
    explicit TableStatistics(QObject* parent = nullptr);
    ~TableStatistics() override;

    // Counts go to a worker connection opened with these settings from now on; without them they
    // run on the bound connection, in the calling thread (tests and tools).
    void attachWorker(const ConnectionSettings& settings);
    // Reads the estimate and the index information for this table on this connection, and asks
    // the worker for the exact total where counting is cheap.
    void bind(const QSqlDatabase& database, const TableName& table);

    // The table's row count: exact for small tables or once counted, else pg_class's estimate.
    qint64 totalRowCount() const { return m_totalRowCount; }
    bool isTotalExact() const { return m_totalExact; }
    std::optional<qint64> matchingRowCount() const { return m_matchingRowCount; }
    // Also drops the answer of a count still running: it counted another filter.
    void forgetMatchingRowCount()
    {
        m_matchingRowCount.reset();
        ++m_matchCountGeneration;
    }
    // Whether a pg_trgm index on this column can serve a substring filter on it.
    bool hasTrigramIndex(const QString& column) const { return m_trigramColumns.contains(column); }

    // The total again, after writes; statisticsChanged() follows.
    void refresh();
    // Counts the rows that match whereSql (empty: all rows); matchingRowCountReady() follows. A
    // newer count cancels an older one still running.
    void countMatching(const QString& whereSql);
    void refreshIndexInfo();
    // Which of these keys the table no longer holds (another client deleted the rows);
    // missingKeysFound() follows. The keys are read back as the window reads them (key.readSql()).
    void findMissingKeys(const KeyColumns& key, const QList<RowKey>& keys);

    // Reads the planner's histogram of an integer column (pg_stats.histogram_bounds as text), only
    // when it describes every row: no NULLs, no most-common values kept apart from it.
    WorkerStatement histogramStatement(const QString& columnName) const;
    // Runs a statement reading rows of the table on the count worker (the scrollbar's sample of the
    // order, KeysetQuery::sample()): never in the way of the window's moves. done() gets its rows,
    // or the server's error; a request the table or the order left behind is the caller's to drop.
    void readRows(const WorkerStatement& statement,
                  const std::function<void(const QList<QVariantList>& rows, const QString& error)>& done);

signals:
    void statisticsChanged();
    void matchingRowCountReady(qint64 count);
    void missingKeysFound(const QList<RowKey>& keys);

private:
    using Handler = std::function<void(const KeysetFetcher::Result&)>;
    // The table's row count in one statement: the estimate, the size, and count(*) where cheap.
    QString statisticsStatement() const;
    void applyStatistics(const QVariantList& row);
    void submit(KeysetFetcher::Request request, const Handler& apply, bool isCount = false);

    QSqlDatabase m_database;
    TableName m_table;
    std::optional<ConnectionSettings> m_workerSettings;
    std::unique_ptr<KeysetFetcher> m_worker;
    quint64 m_generation = 0; // requests on m_worker, counts and statistics alike
    struct Pending
    {
        Handler apply;
        bool isCount = false; // countMatching()'s
    };
    QHash<quint64, Pending> m_handlers;
    quint64 m_matchCountGeneration = 0; // the newest countMatching(); older answers are dropped
    quint64 m_lastMatchCountRequest = 0; // its request on m_worker
    qint64 m_totalRowCount = 0;
    bool m_totalExact = true;
    std::optional<qint64> m_matchingRowCount;
    QSet<QString> m_trigramColumns;
};
