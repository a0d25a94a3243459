#include "KeyShapes.h"

#include "Peers.h"
#include "PgdeskRig.h"
#include "table/TableWriter.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace bench {

namespace {
constexpr int timeoutMs = 60000;
const char* const keyNames[] = { "bigserial id", "uuid", "(tenant, id)" };
} // namespace

KeyShapes::KeyShapes(const Server& server, qint64 rows, int repeat)
    : m_server(server)
    , m_rows(rows)
    , m_repeat(repeat)
    , m_database(u"pgdesk_bench_keys_"_s + QString::number(rows))
{
}

bool KeyShapes::prepareDatabase(QString* error)
{
    // Keys added after the rows: one index build instead of ten million random insertions.
    return ensureMarkedDatabase(m_server, m_database, u"keyed_pair"_s, u"pgdesk bench keys, %1 rows"_s.arg(m_rows),
                                u"CREATE TABLE my_table (id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
                                "date TIMESTAMP NOT NULL DEFAULT current_timestamp);\n"
                                "INSERT INTO my_table (name) SELECT 'name-' || g FROM generate_series(1, %1) g;\n"
                                "CREATE TABLE keyed_uuid (id uuid NOT NULL DEFAULT gen_random_uuid(), name varchar, "
                                "date TIMESTAMP NOT NULL DEFAULT current_timestamp);\n"
                                "INSERT INTO keyed_uuid (name, date) SELECT name, date FROM my_table;\n"
                                "ALTER TABLE keyed_uuid ADD PRIMARY KEY (id);\n"
                                "CREATE TABLE keyed_pair (tenant integer NOT NULL, id bigint NOT NULL, name varchar, "
                                "date TIMESTAMP NOT NULL DEFAULT current_timestamp);\n"
                                "INSERT INTO keyed_pair SELECT id % 100, id, name, date FROM my_table;\n"
                                "ALTER TABLE keyed_pair ADD PRIMARY KEY (tenant, id);\n"
                                "VACUUM ANALYZE;"_s.arg(m_rows),
                                error);
}

void KeyShapes::record(const QString& operation, int table, bool ok, double ms, const QString& error)
{
    if (!m_operations.contains(operation))
        m_operations << operation;
    Series& series = m_series[operation][table];
    if (ok) {
        series.add(ms);
    } else {
        series.fail(error);
        m_failures << u"%1 on %2: %3"_s.arg(operation, QString::fromLatin1(tables[table]), error);
    }
}

void KeyShapes::measure(int table, Rig& rig)
{
    TableModel* model = rig.model();
    auto step = [&](const QString& label, const std::function<void()>& start) {
        const Timing timing = rig.show(start, timeoutMs);
        record(label, table, timing.ok, timing.ms, timing.error);
    };
    step(u"First (Ctrl+Home)"_s, [&] { model->loadFirst(); });
    step(u"Next window @ start"_s, [&] { model->loadNext(); });
    step(u"Last (Ctrl+End)"_s, [&] { model->loadLast(); });
    step(u"Previous window @ end"_s, [&] { model->loadPrevious(); });
    step(u"Thumb drag to 50 %"_s, [&] { model->loadAtFraction(0.5); });
    step(u"Next window @ middle"_s, [&] { model->loadNext(); });
    step(u"Refresh (F5) @ middle"_s, [&] { model->reloadWindow(); });
    // One edited cell written by key, as Save writes it (the update and its "unchanged since"
    // check), on an open connection so that only the statement is timed.
    const int name = model->record().indexOf(u"name"_s);
    if (model->setData(model->index(model->serverRowCount() / 2, name),
                       QVariant(u"edited-"_s + QString::number(nowMs())))) {
        const std::optional<TableWriter::Plan> plan = model->savePlan();
        DatabaseSession session;
        if (!plan || !session.open(m_server.settings(m_database))) {
            record(u"Save one edited cell (by key)"_s, table, false, 0, u"no plan or no connection"_s);
        } else {
            const double started = nowMs();
            const TableWriter::Outcome outcome = TableWriter::write(session.database(), *plan);
            record(u"Save one edited cell (by key)"_s, table, outcome.succeeded(), nowMs() - started, outcome.error);
        }
        model->discardChanges();
    }
}

void KeyShapes::run()
{
    QString error;
    if (!prepareDatabase(&error)) {
        m_failures << u"key shapes: the tables could not be built: "_s + error.trimmed();
        return;
    }
    for (const char* table : tables) {
        const ProcessResult plan = runPsql(
            m_server, m_database,
            u"EXPLAIN (COSTS OFF) SELECT * FROM %1 ORDER BY %2 LIMIT 300"_s.arg(
                QString::fromLatin1(table), QString::fromLatin1(table) == u"keyed_pair"_s ? u"tenant, id"_s : u"id"_s));
        m_plans << u"`%1`: %2"_s.arg(QString::fromLatin1(table), plan.out.simplified());
    }
    say(u"Measuring pgdesk on a bigserial, a uuid and a (tenant, id) key (%1 rows, %2 runs) …"_s
            .arg(formatCount(m_rows))
            .arg(m_repeat));
    std::array<std::unique_ptr<Rig>, 3> rigs;
    for (int table = 0; table < 3; ++table) {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, QString::fromLatin1(tables[table]));
        for (int run = 0; run < m_repeat; ++run) {
            Rig opening(settings);
            const Timing open = opening.open(timeoutMs);
            record(u"Open: connect → first rows painted"_s, table, open.ok, open.ms, open.error);
        }
        rigs[table] = std::make_unique<Rig>(settings);
        const Timing open = rigs[table]->open(timeoutMs);
        if (!open.ok) {
            m_failures << u"key shapes: %1 did not open: %2"_s.arg(QString::fromLatin1(tables[table]), open.error);
            return;
        }
    }
    // psql's round trip for a window in key order: what the server's side of each key costs.
    const QStringList middle{ u"id > %1"_s.arg(m_rows / 2), u"id > '80000000-0000-0000-0000-000000000000'"_s,
                              u"(tenant, id) > (50, %1)"_s.arg(m_rows / 2) };
    for (int table = 0; table < 3; ++table) {
        const QString name = QString::fromLatin1(tables[table]);
        const QString order = table == 2 ? u"tenant, id"_s : u"id"_s;
        QList<PsqlQuery> queries{
            { u"psql: first window in key order"_s,
              u"SELECT * FROM %1 ORDER BY %2 LIMIT 300"_s.arg(name, order),
              m_repeat,
              {} },
            { u"psql: next window @ middle"_s,
              u"SELECT * FROM %1 WHERE %2 ORDER BY %3 LIMIT 300"_s.arg(name, middle.at(table), order),
              m_repeat,
              {} },
        };
        QString psqlError;
        const bool ok = runPsqlTimings(m_server, m_database, &queries, &psqlError);
        for (const PsqlQuery& query : std::as_const(queries)) {
            for (double ms : query.ms.values)
                record(query.label, table, ok, ms, psqlError);
            if (!ok || query.ms.values.isEmpty())
                record(query.label, table, false, 0, psqlError.isEmpty() ? u"no timing"_s : psqlError);
        }
    }
    // The tables in turn within each run, so a busy moment of the machine falls on all three.
    for (int run = 0; run < m_repeat; ++run) {
        for (int table = 0; table < 3; ++table)
            measure(table, *rigs[table]);
    }
}

QString KeyShapes::report() const
{
    QString text = u"\n## Any primary key (issue 20): %1 rows\n\n"_s.arg(formatCount(m_rows));
    text += u"Medians of %1 runs, in ms, each key's table measured in turn with the others in the same run; "
            "the ratio is to the bigserial id's median.\n\n"_s.arg(m_repeat);
    text += markdownHeader({ u"Operation"_s, QString::fromLatin1(keyNames[0]), QString::fromLatin1(keyNames[1]),
                             u"ratio"_s, QString::fromLatin1(keyNames[2]), u"ratio"_s })
        + u'\n';
    for (const QString& operation : m_operations) {
        const std::array<Series, 3>& series = m_series.value(operation);
        text += markdownRow({ operation, formatMs(series[0].median()), formatMs(series[1].median()),
                              formatRatio(series[1].median(), series[0].median()), formatMs(series[2].median()),
                              formatRatio(series[2].median(), series[0].median()) })
            + u'\n';
    }
    text += u"\nFirst window's plan in key order:\n\n"_s;
    for (const QString& plan : m_plans)
        text += u"- "_s + plan + u'\n';
    return text;
}

} // namespace bench
