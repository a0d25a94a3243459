#include "Peers.h"

#include "PgdeskRig.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlTableModel>

using namespace Qt::StringLiterals;

namespace bench {

namespace {
constexpr int windowMoves = 50;

// The tutorial's read, as its guide.py does it with psycopg2 (connection values from the
// environment, as its .env provides them).
const char* const psycopgScript = R"PY(
import json, os, sys, time
import psycopg2

database, name, pattern, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
result = {"version": psycopg2.__version__.split()[0], "connect": [], "by_name": [], "substring": [],
          "by_name_rows": 0, "substring_rows": 0}
for _ in range(repeat):
    started = time.perf_counter()
    connection = psycopg2.connect(host=os.environ["PG_HOST"], port=os.environ["PG_PORT"],
                                  user=os.environ["PG_USER"], password=os.environ["PG_PASSWORD"],
                                  dbname=database, sslmode="require")
    result["connect"].append((time.perf_counter() - started) * 1000)
    cursor = connection.cursor()
    started = time.perf_counter()
    cursor.execute("SELECT * FROM my_table WHERE name = %s", (name,))
    rows = cursor.fetchall()
    result["by_name"].append((time.perf_counter() - started) * 1000)
    result["by_name_rows"] = len(rows)
    started = time.perf_counter()
    cursor.execute("SELECT * FROM my_table WHERE name ILIKE %s", ("%" + pattern + "%",))
    rows = cursor.fetchall()
    result["substring"].append((time.perf_counter() - started) * 1000)
    result["substring_rows"] = len(rows)
    connection.close()
print(json.dumps(result))
)PY";

Series seriesFrom(const QJsonValue& value)
{
    Series series;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array)
        series.add(item.toDouble());
    return series;
}
} // namespace

ChildResult runChild(const QStringList& arguments, int timeoutMs)
{
    ChildResult result;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const ProcessResult run = runProcess(QCoreApplication::applicationFilePath(), arguments, environment, timeoutMs);
    const QStringList lines = run.out.split(u'\n');
    for (const QString& line : lines) {
        if (!line.startsWith(u"RESULT "_s))
            continue;
        const qsizetype errorAt = line.indexOf(u" error="_s);
        const QString fields = errorAt < 0 ? line.mid(7) : line.mid(7, errorAt - 7);
        if (errorAt >= 0)
            result.error = line.mid(errorAt + 7);
        for (const QString& field : fields.split(u' ', Qt::SkipEmptyParts)) {
            const qsizetype equals = field.indexOf(u'=');
            if (equals > 0)
                result.values.insert(field.left(equals), field.mid(equals + 1).toDouble());
        }
        result.ok = result.values.value(u"ok"_s) == 1 && run.ok;
    }
    if (!result.ok && result.error.isEmpty())
        result.error = u"the child process failed: "_s + run.err.trimmed().right(500);
    return result;
}

int reportChild(bool ok, const QString& error, const QList<QPair<QString, double>>& values)
{
    QString line = u"RESULT ok="_s + (ok ? u"1"_s : u"0"_s);
    for (const auto& [key, value] : values)
        line += u' ' + key + u'=' + QString::number(value, 'f', 3);
    if (!error.isEmpty())
        line += u" error="_s + QString(error).replace(u'\n', u' ');
    say(line);
    return ok ? 0 : 1;
}

int runPgdeskMemoryChild(const Server& server, const QString& database, int timeoutMs)
{
    Rig rig(server.settings(database));
    const qint64 baselineKb = procStatusKb("VmHWM");
    const Timing open = rig.open(timeoutMs);
    if (!open.ok)
        return reportChild(false, u"open: "_s + open.error, {});
    double slowestMove = 0;
    double longestStall = open.stallMs;
    for (int move = 0; move < windowMoves; ++move) {
        // A small table ends before 50 windows: start again from the first one.
        const Timing next = rig.show(
            [&] {
                if (rig.model()->atEnd())
                    rig.model()->loadFirst();
                else
                    rig.model()->loadNext();
            },
            timeoutMs);
        if (!next.ok)
            return reportChild(false, u"window %1: %2"_s.arg(move + 2).arg(next.error), {});
        slowestMove = std::max(slowestMove, next.ms);
        longestStall = std::max(longestStall, next.stallMs);
    }
    const Timing last = rig.show([&] { rig.model()->loadLast(); }, timeoutMs);
    if (!last.ok)
        return reportChild(false, u"last: "_s + last.error, {});
    return reportChild(true, {},
                       { { u"open_ms"_s, open.ms },
                         { u"baseline_kb"_s, static_cast<double>(baselineKb) },
                         { u"hwm_kb"_s, static_cast<double>(procStatusKb("VmHWM")) },
                         { u"rss_kb"_s, static_cast<double>(procStatusKb("VmRSS")) },
                         { u"slowest_move_ms"_s, std::max(slowestMove, last.ms) },
                         { u"stall_ms"_s, std::max(longestStall, last.stallMs) },
                         { u"window_rows"_s, static_cast<double>(rig.model()->rowCount()) } });
}

int runNaiveChild(const Server& server, const QString& database, int timeoutMs)
{
    PaintTimedView view;
    view.showAndWait();
    const qint64 baselineKb = procStatusKb("VmHWM");
    const QString connectionName = u"naive"_s;
    QString error;
    double ms = 0;
    double selectMs = 0;
    double stallMs = 0;
    int rows = 0;
    {
        StallMeter meter;
        meter.start();
        const double started = nowMs();
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
        db.setHostName(server.host);
        db.setPort(server.port);
        db.setUserName(server.user);
        db.setPassword(server.password);
        db.setDatabaseName(database);
        db.setConnectOptions(u"sslmode=require;connect_timeout=10"_s);
        if (!db.open()) {
            error = u"connect: "_s + db.lastError().text();
        } else {
            QSqlTableModel model(nullptr, db);
            model.setTable(u"my_table"_s);
            const double selectStarted = nowMs();
            if (!model.select()) {
                error = u"select: "_s + model.lastError().text();
            } else {
                selectMs = nowMs() - selectStarted;
                const int paintsBefore = view.paintCount();
                view.setModel(&model);
                if (!waitUntil([&] { return view.paintCount() > paintsBefore; }, timeoutMs))
                    error = u"no paint"_s;
                ms = view.lastPaintMs() - started;
                rows = model.rowCount();
            }
            stallMs = meter.stopMs();
            view.setModel(nullptr);
        }
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!error.isEmpty())
        return reportChild(false, error, {});
    return reportChild(true, {},
                       { { u"ms"_s, ms },
                         { u"select_ms"_s, selectMs },
                         { u"stall_ms"_s, stallMs },
                         { u"rows"_s, static_cast<double>(rows) },
                         { u"baseline_kb"_s, static_cast<double>(baselineKb) },
                         { u"hwm_kb"_s, static_cast<double>(procStatusKb("VmHWM")) } });
}

bool runPsqlTimings(const Server& server, const QString& database, QList<PsqlQuery>* queries, QString* error)
{
    // \timing reports each statement's round trip as psql sees it; the rows go to /dev/null.
    QString script = u"\\timing on\n\\o /dev/null\n"_s;
    for (const PsqlQuery& query : *queries) {
        for (int run = 0; run < query.repeat; ++run)
            script += query.sql + u";\n"_s;
    }
    const ProcessResult result = runPsql(server, database, script, true);
    if (!result.ok) {
        *error = u"psql on "_s + database + u": "_s + result.err.trimmed();
        return false;
    }
    static const QRegularExpression timeLine(u"^Time: ([0-9.]+) ms"_s, QRegularExpression::MultilineOption);
    QList<double> times;
    for (auto match = timeLine.globalMatch(result.out); match.hasNext();)
        times << match.next().captured(1).toDouble();
    qsizetype next = 0;
    for (PsqlQuery& query : *queries) {
        for (int run = 0; run < query.repeat && next < times.size(); ++run)
            query.ms.add(times.at(next++));
    }
    if (next != times.size() || times.isEmpty()) {
        *error = u"psql printed %1 timings, expected %2"_s.arg(times.size()).arg(next);
        return false;
    }
    return true;
}

Series timePsqlProcess(const Server& server, const QString& database, const QString& sql, int repeat)
{
    Series series;
    QStringList arguments{ u"-X"_s, u"-At"_s, u"-q"_s, u"-o"_s, u"/dev/null"_s, u"-c"_s, sql };
    arguments << server.psqlConnectionArguments(database);
    for (int run = 0; run < repeat; ++run) {
        const ProcessResult result = runProcess(u"psql"_s, arguments, server.clientEnvironment(), 60000);
        if (result.ok)
            series.add(result.elapsedMs);
        else
            series.fail(result.err.trimmed());
    }
    return series;
}

PsycopgResult runPsycopg(const Server& server, const QString& database, const QString& name, const QString& substring,
                         int repeat)
{
    PsycopgResult result;
    QProcessEnvironment environment = server.clientEnvironment();
    environment.insert(u"PG_HOST"_s, server.host);
    environment.insert(u"PG_PORT"_s, QString::number(server.port));
    environment.insert(u"PG_USER"_s, server.user);
    environment.insert(u"PG_PASSWORD"_s, server.password);
    // Debian's interpreter, where python3-psycopg2 is installed; not whatever python3 is on PATH.
    const ProcessResult run
        = runProcess(u"/usr/bin/python3"_s,
                     { u"-c"_s, QString::fromUtf8(psycopgScript), database, name, substring, QString::number(repeat) },
                     environment, 600000);
    if (!run.ok) {
        result.error = u"/usr/bin/python3 with psycopg2 failed: "_s + run.err.trimmed().right(500);
        return result;
    }
    const QJsonObject object = QJsonDocument::fromJson(run.out.toUtf8()).object();
    if (object.isEmpty()) {
        result.error = u"psycopg2 script printed no result: "_s + run.out.left(300);
        return result;
    }
    result.version = object.value(u"version"_s).toString();
    result.connectMs = seriesFrom(object.value(u"connect"_s));
    result.byNameMs = seriesFrom(object.value(u"by_name"_s));
    result.substringMs = seriesFrom(object.value(u"substring"_s));
    result.byNameRows = object.value(u"by_name_rows"_s).toInteger();
    result.substringRows = object.value(u"substring_rows"_s).toInteger();
    result.ok = result.byNameMs.ok() && result.substringMs.ok();
    return result;
}

} // namespace bench
