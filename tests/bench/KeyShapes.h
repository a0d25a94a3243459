#pragma once

#include "BenchSupport.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <array>

namespace bench {

class Rig;

// Issue 20's figure: pgdesk on tables keyed by something else than the tutorial's bigserial, side
// by side with it in one run. Its own database, pgdesk_bench_keys_<rows>: my_table as the tutorial
// makes it, keyed_uuid (the same rows keyed by gen_random_uuid()) and keyed_pair (keyed by
// (tenant, id), a hundred tenants), each with `rows` rows. Each operation runs on the three tables
// in turn, `repeat` times; the report gives medians and each key's ratio to the bigserial's.
class KeyShapes
{
public:
    KeyShapes(const Server& server, qint64 rows, int repeat);

    void run();
    QString report() const;
    const QStringList& failures() const { return m_failures; }

    static constexpr std::array<const char*, 3> tables{ "my_table", "keyed_uuid", "keyed_pair" };

private:
    bool prepareDatabase(QString* error);
    void measure(int table, Rig& rig);
    void record(const QString& operation, int table, bool ok, double ms, const QString& error);

    const Server m_server;
    const qint64 m_rows;
    const int m_repeat;
    QString m_database;
    QStringList m_operations; // in the order first measured
    QMap<QString, std::array<Series, 3>> m_series;
    QStringList m_plans;
    QStringList m_failures;
};

} // namespace bench
