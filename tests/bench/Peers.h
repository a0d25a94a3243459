#pragma once

#include "BenchSupport.h"

#include <QHash>

namespace bench {

// A child process's result line: "RESULT key=value … error=free text".
struct ChildResult
{
    bool ok = false;
    QString error;
    QHash<QString, double> values;
};

// Runs this program again with arguments (for a measurement whose peak memory must not mix with
// another's) and reads its RESULT line.
ChildResult runChild(const QStringList& arguments, int timeoutMs);
// Prints the RESULT line a child reports; returns the exit code.
int reportChild(bool ok, const QString& error, const QList<QPair<QString, double>>& values);

// In a child: pgdesk opens the table, moves through 50 windows and jumps to the end; prints the
// peak resident memory.
int runPgdeskMemoryChild(const Server& server, const QString& database, int timeoutMs);
// In a child: the naive way, a plain QSqlTableModel on the table with select() and a QTableView;
// prints the time to the first painted rows and the peak resident memory.
int runNaiveChild(const Server& server, const QString& database, int timeoutMs);

// psql running the equivalent statements; each repeated, timed by psql's \timing.
struct PsqlQuery
{
    QString label;
    QString sql;
    int repeat = 1;
    Series ms;
};
bool runPsqlTimings(const Server& server, const QString& database, QList<PsqlQuery>* queries, QString* error);
// Starting psql, connecting and reading the first window, timed from outside.
Series timePsqlProcess(const Server& server, const QString& database, const QString& sql, int repeat);

// The tutorial's read with Debian's python3-psycopg2 (/usr/bin/python3): connect with
// sslmode=require, SELECT * … WHERE name = %s, and fetchall() of a substring match.
struct PsycopgResult
{
    bool ok = false;
    QString error;
    QString version;
    Series connectMs;
    Series byNameMs;
    Series substringMs;
    qint64 byNameRows = 0;
    qint64 substringRows = 0;
};
PsycopgResult runPsycopg(const Server& server, const QString& database, const QString& name, const QString& substring,
                         int repeat);

} // namespace bench
