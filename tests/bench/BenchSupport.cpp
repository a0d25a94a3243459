#include "BenchSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace bench {

namespace {
// The layout of the data set; a change to the build statements below must change it, so that a
// kept cluster rebuilds instead of reusing different data.
const QString dataLayout = u"pgdesk-bench layout 1"_s;
const QString rareToken = u"zebra"_s;
constexpr qint64 rareRows = 94;

QElapsedTimer& programClock()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return clock;
}

QString readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString firstValue(const QString& text, const QString& key)
{
    for (const QString& line : text.split(u'\n')) {
        if (line.startsWith(key)) {
            const qsizetype colon = line.indexOf(u':');
            if (colon > 0)
                return line.mid(colon + 1).trimmed();
        }
    }
    return {};
}

QString buildStatements(qint64 rows, const QString& marker)
{
    // The tutorial's DDL; the primary key is dropped while loading and added back afterwards,
    // which builds the same index once instead of row by row.
    const qint64 step = rows / rareRows;
    return uR"(CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar,
    date TIMESTAMP NOT NULL DEFAULT current_timestamp);
ALTER TABLE my_table DROP CONSTRAINT my_table_pkey;
INSERT INTO my_table(id, name, date)
SELECT g,
       CASE WHEN g % %2 = 0 AND g / %2 BETWEEN 1 AND %3 THEN 'name-%4-' || g
            WHEN g % 1000 = 999 THEN NULL
            WHEN g % 10 = 0 THEN 'name-' || (g / 10)
            ELSE 'name-' || g END,
       timestamp '2020-01-01 00:00:00' + g * interval '7 seconds' + (g % 1000) * interval '1 microsecond'
FROM generate_series(1, %1) AS g;
ALTER TABLE my_table ADD PRIMARY KEY (id);
SELECT setval(pg_get_serial_sequence('my_table', 'id'), %1);
VACUUM ANALYZE my_table;
COMMENT ON TABLE my_table IS '%5';
)"_s.arg(rows)
        .arg(step)
        .arg(rareRows)
        .arg(rareToken, marker);
}
} // namespace

double nowMs()
{
    return static_cast<double>(programClock().nsecsElapsed()) / 1e6;
}

double wallClockToNowMs(qint64 epochMicros)
{
    const double now = nowMs();
    const qint64 wallNow
        = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    return now - static_cast<double>(wallNow - epochMicros) / 1000;
}

void say(const QString& line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void sayError(const QString& line)
{
    std::fputs(line.toUtf8().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

std::optional<double> Series::median() const
{
    if (values.isEmpty())
        return std::nullopt;
    QList<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.at(middle) : (sorted.at(middle - 1) + sorted.at(middle)) / 2;
}

std::optional<double> Series::max() const
{
    if (values.isEmpty())
        return std::nullopt;
    return *std::max_element(values.begin(), values.end());
}

QString formatMs(std::optional<double> ms)
{
    if (!ms)
        return u"–"_s;
    const double value = *ms;
    if (value < 10)
        return QString::number(value, 'f', 2);
    if (value < 100)
        return QString::number(value, 'f', 1);
    return QLocale(QLocale::English).toString(value, 'f', 0);
}

QString formatRatio(std::optional<double> numerator, std::optional<double> denominator)
{
    if (!numerator || !denominator || *denominator <= 0)
        return u"–"_s;
    const double ratio = *numerator / *denominator;
    return ratio < 10 ? QString::number(ratio, 'f', 2) : QLocale(QLocale::English).toString(ratio, 'f', 0);
}

QString formatCount(qint64 value)
{
    return QLocale(QLocale::English).toString(value);
}

QString markdownRow(const QStringList& cells)
{
    return u"| "_s + cells.join(u" | "_s) + u" |"_s;
}

QString markdownHeader(const QStringList& cells)
{
    QStringList rule;
    for (qsizetype i = 0; i < cells.size(); ++i)
        rule << u"---"_s;
    return markdownRow(cells) + u'\n' + markdownRow(rule);
}

QString verdict(bool met)
{
    return met ? u"**met**"_s : u"**not met**"_s;
}

bool Server::load(const QString& path, QString* error)
{
    envFile = QFileInfo(path).absoluteFilePath();
    const QString text = readFile(path);
    if (text.isEmpty()) {
        *error = u"cannot read "_s + path;
        return false;
    }
    for (const QString& line : text.split(u'\n')) {
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0)
            continue;
        const QString key = line.left(equals);
        const QString value = line.mid(equals + 1);
        if (key == u"PG_HOST")
            host = value;
        else if (key == u"PG_PORT")
            port = value.toInt();
        else if (key == u"PG_USER")
            user = value;
        else if (key == u"PG_PASSWORD")
            password = value;
    }
    if (host.isEmpty() || port <= 0 || user.isEmpty()) {
        *error = path + u" lacks PG_HOST, PG_PORT or PG_USER"_s;
        return false;
    }
    return true;
}

ConnectionSettings Server::settings(const QString& database) const
{
    using Field = ConnectionSettings::Field;
    using Source = ConnectionSettings::Source;
    ConnectionSettings result; // sslmode=require and my_table, the tutorial's defaults
    result.set(Field::Host, host, Source::EnvFile, envFile);
    result.set(Field::Port, QString::number(port), Source::EnvFile, envFile);
    result.set(Field::User, user, Source::EnvFile, envFile);
    result.set(Field::Password, password, Source::EnvFile, envFile);
    result.set(Field::Database, database, Source::EnvFile, envFile);
    return result;
}

QProcessEnvironment Server::clientEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PGPASSWORD"_s, password);
    environment.insert(u"PGSSLMODE"_s, u"require"_s);
    environment.remove(u"PGSERVICE"_s);
    return environment;
}

QStringList Server::psqlConnectionArguments(const QString& database) const
{
    return { u"-h"_s, host, u"-p"_s, QString::number(port), u"-U"_s, user, u"-d"_s, database };
}

ProcessResult runProcess(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment,
                         int timeoutMs, const QByteArray& input)
{
    ProcessResult result;
    QProcess process;
    process.setProcessEnvironment(environment);
    const double started = nowMs();
    process.start(program, arguments);
    if (!process.waitForStarted(30000)) {
        result.err = program + u": "_s + process.errorString();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    const bool finished = process.waitForFinished(timeoutMs);
    result.elapsedMs = nowMs() - started;
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
        result.err = program + u" did not finish in time"_s;
        return result;
    }
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err += QString::fromUtf8(process.readAllStandardError());
    result.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    return result;
}

ProcessResult runPsql(const Server& server, const QString& database, const QString& sql, bool asScript, int timeoutMs)
{
    QStringList arguments{ u"-X"_s, u"-At"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s };
    arguments << server.psqlConnectionArguments(database);
    if (!asScript)
        arguments << u"-c"_s << sql;
    ProcessResult result = runProcess(u"psql"_s, arguments, server.clientEnvironment(), timeoutMs,
                                      asScript ? sql.toUtf8() : QByteArray());
    if (result.out.endsWith(u'\n'))
        result.out.chop(1);
    return result;
}

bool Cluster::startOrReuse(const QString& directory, QString* error)
{
    m_directory = QDir(directory).absolutePath();
    QDir().mkpath(m_directory);
    const QString env = envFile();
    if (QFileInfo::exists(env)) {
        Server server;
        QString ignored;
        if (server.load(env, &ignored) && runPsql(server, u"postgres"_s, u"SELECT 1"_s, false, 15000).ok) {
            m_reused = true;
            return true;
        }
    }
    const ProcessResult started = runProcess(QStringLiteral(PGDESK_PG_CLUSTER_SCRIPT), { u"start"_s, m_directory },
                                             QProcessEnvironment::systemEnvironment(), 180000);
    if (!started.ok) {
        *error = u"tests/support/pg-cluster.sh start failed: "_s + started.err + started.out;
        return false;
    }
    return true;
}

void Cluster::stop()
{
    if (m_directory.isEmpty())
        return;
    runProcess(QStringLiteral(PGDESK_PG_CLUSTER_SCRIPT), { u"stop"_s, m_directory },
               QProcessEnvironment::systemEnvironment(), 120000);
}

QString Cluster::envFile() const
{
    return QDir(m_directory).filePath(u"server.env"_s);
}

bool ensureMarkedDatabase(const Server& server, const QString& database, const QString& markedTable,
                          const QString& marker, const QString& script, QString* error)
{
    const ProcessResult check = runPsql(
        server, database, u"SELECT coalesce(obj_description(to_regclass('%1'), 'pg_class'), '')"_s.arg(markedTable));
    if (check.ok && check.out == marker)
        return true;
    say(u"Building %1 (%2) …"_s.arg(database, marker));
    runPsql(server, u"postgres"_s, u"DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)"_s.arg(database));
    ProcessResult step = runPsql(server, u"postgres"_s, u"CREATE DATABASE \"%1\""_s.arg(database));
    if (step.ok)
        step = runPsql(server, database, script + u"\nCOMMENT ON TABLE %1 IS '%2';\n"_s.arg(markedTable, marker), true);
    if (!step.ok)
        *error = step.err;
    return step.ok;
}

bool ensureDataSet(const Server& server, qint64 rows, DataSet* dataSet, QString* error)
{
    DataSet& set = *dataSet;
    set.rows = rows;
    set.database = u"pgdesk_bench_"_s + QString::number(rows);
    set.noIndexDatabase = set.database + u"_noindex"_s;
    set.rareToken = rareToken;
    set.middleKey = rows / 2;
    const QString marker = dataLayout + u", rows "_s + QString::number(rows);
    auto fail = [&](const QString& what, const ProcessResult& result) {
        *error = what + u": "_s + result.err.trimmed();
        return false;
    };

    const ProcessResult existing = runPsql(
        server, u"postgres"_s,
        u"SELECT count(*) FROM pg_database WHERE datname IN ('%1', '%2')"_s.arg(set.database, set.noIndexDatabase));
    if (!existing.ok)
        return fail(u"cannot list the databases"_s, existing);
    bool reusable = existing.out == u"2";
    if (reusable) {
        const QString check = u"SELECT coalesce(obj_description(to_regclass('my_table'), 'pg_class'), '') || '|' || "
                              "(SELECT count(*) FROM pg_indexes WHERE tablename = 'my_table' AND indexdef LIKE "
                              "'%gin_trgm_ops%')"_s;
        reusable = runPsql(server, set.database, check).out == marker + u"|1"_s
            && runPsql(server, set.noIndexDatabase, check).out == marker + u"|0"_s;
    }
    set.reused = reusable;
    if (!reusable) {
        const double started = nowMs();
        say(u"Building the data set: %1 rows in %2 and %3 …"_s.arg(formatCount(rows), set.database,
                                                                   set.noIndexDatabase));
        for (const QString& database : { set.noIndexDatabase, set.database }) {
            const ProcessResult dropped
                = runPsql(server, u"postgres"_s, u"DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)"_s.arg(database));
            if (!dropped.ok)
                return fail(u"cannot drop "_s + database, dropped);
        }
        ProcessResult step = runPsql(server, u"postgres"_s, u"CREATE DATABASE \"%1\""_s.arg(set.database));
        if (!step.ok)
            return fail(u"cannot create "_s + set.database, step);
        step = runPsql(server, set.database, buildStatements(rows, u"building"_s), true);
        if (!step.ok)
            return fail(u"cannot fill my_table"_s, step);
        say(u"  %1 rows loaded, keyed and analyzed in %2 s"_s.arg(formatCount(rows))
                .arg((nowMs() - started) / 1000, 0, 'f', 1));
        // The copy without the trigram index is a file copy of the database: seconds, not minutes.
        step = runPsql(server, set.database, u"COMMENT ON TABLE my_table IS '%1'"_s.arg(marker));
        if (step.ok)
            step = runPsql(server, u"postgres"_s,
                           u"CREATE DATABASE \"%1\" TEMPLATE \"%2\""_s.arg(set.noIndexDatabase, set.database));
        if (!step.ok)
            return fail(u"cannot copy the database"_s, step);
        const double indexStarted = nowMs();
        step = runPsql(server, set.database,
                       u"COMMENT ON TABLE my_table IS 'building'; CREATE EXTENSION IF NOT EXISTS pg_trgm; "
                       "CREATE INDEX my_table_name_trgm_idx ON my_table USING gin (name gin_trgm_ops); "
                       "ANALYZE my_table; COMMENT ON TABLE my_table IS '%1'"_s.arg(marker),
                       true);
        if (!step.ok)
            return fail(u"cannot create the pg_trgm index"_s, step);
        say(u"  pg_trgm GIN index on name created in %1 s"_s.arg((nowMs() - indexStarted) / 1000, 0, 'f', 1));
        set.buildSeconds = (nowMs() - started) / 1000;
    }

    set.singleName = u"name-"_s + QString::number(rows / 2 + 7);
    const ProcessResult facts
        = runPsql(server, set.database,
                  u"SELECT (SELECT count(*) FROM my_table WHERE name ILIKE '%%1%'), "
                  "(SELECT count(*) FROM my_table WHERE name = '%2')"_s.arg(rareToken, set.singleName));
    const QStringList counts = facts.out.split(u'|');
    if (!facts.ok || counts.size() != 2)
        return fail(u"cannot count the rare names"_s, facts);
    set.rareMatches = counts.at(0).toLongLong();
    set.singleNameMatches = counts.at(1).toLongLong();
    if (set.rareMatches != rareRows) {
        *error = u"%1 rows contain \"%2\" in %3, expected %4"_s.arg(set.rareMatches)
                     .arg(rareToken, set.database)
                     .arg(rareRows);
        return false;
    }
    return true;
}

qint64 procStatusKb(const char* field)
{
    const QString text = readFile(u"/proc/self/status"_s);
    const QString value = firstValue(text, QString::fromLatin1(field) + u':');
    return value.section(u' ', 0, 0).toLongLong();
}

QString describeMachine(const Server& server, const QString& database)
{
    const QString cpuinfo = readFile(u"/proc/cpuinfo"_s);
    const QString meminfo = readFile(u"/proc/meminfo"_s);
    const qint64 memoryKb = firstValue(meminfo, u"MemTotal:"_s).section(u' ', 0, 0).toLongLong();
    const ProcessResult version = runPsql(server, database, u"SHOW server_version"_s);
    const ProcessResult settings
        = runPsql(server, database,
                  u"SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings "
                  "WHERE name IN ('shared_buffers', 'max_parallel_workers_per_gather', 'jit', 'fsync', 'work_mem')"_s);
    QStringList lines;
    lines << u"- CPU: %1, %2 logical cores (nproc), shared with other work"_s.arg(
        firstValue(cpuinfo, u"model name"_s), QString::number(QThread::idealThreadCount()));
    lines << u"- Memory: %1 GiB"_s.arg(static_cast<double>(memoryKb) / 1024 / 1024, 0, 'f', 1);
    lines << u"- OS: %1, kernel %2"_s.arg(QSysInfo::prettyProductName(), QSysInfo::kernelVersion());
    lines << u"- Qt %1 (QPSQL), PostgreSQL server %2 on 127.0.0.1 over TCP with sslmode=require (%3)"_s.arg(
        QString::fromLatin1(qVersion()), version.out, settings.out);
    return lines.join(u'\n');
}

QString loadAverage()
{
    return readFile(u"/proc/loadavg"_s).section(u' ', 0, 2);
}

StallMeter::StallMeter()
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(5);
    connect(&m_timer, &QTimer::timeout, this, &StallMeter::tick);
}

void StallMeter::start()
{
    m_lastMs = nowMs();
    m_longestMs = 0;
    m_timer.start();
}

void StallMeter::tick()
{
    const double now = nowMs();
    m_longestMs = std::max(m_longestMs, now - m_lastMs);
    m_lastMs = now;
}

double StallMeter::stopMs()
{
    tick();
    m_timer.stop();
    return m_longestMs;
}

PaintTimedView::PaintTimedView(QWidget* parent)
    : QTableView(parent)
{
}

void PaintTimedView::paintEvent(QPaintEvent* event)
{
    m_lastPaintStartMs = nowMs();
    QTableView::paintEvent(event);
    ++m_paintCount;
    m_lastPaintMs = nowMs();
    if (m_awaitingPaint) {
        m_awaitingPaint = false;
        m_awaitedPaintMs = m_lastPaintMs;
    }
}

bool PaintTimedView::showAndWait()
{
    resize(1000, 700);
    show();
    return waitUntil([this] { return m_paintCount > 0; }, 10000);
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    // A timer of its own guarantees wake-ups, so a condition that no event announces is noticed.
    QTimer wake;
    wake.start(10);
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done()) {
        if (elapsed.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void spin(int milliseconds)
{
    QElapsedTimer elapsed;
    elapsed.start();
    waitUntil([&] { return elapsed.elapsed() >= milliseconds; }, milliseconds + 1000);
}

} // namespace bench
