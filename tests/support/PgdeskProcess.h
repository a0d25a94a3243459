#pragma once

// Runs the built pgdesk binary as a child process, the way a user's shell would, for suites that
// check the command line against a server their fixture started. The child gets no PG* variable
// from the test's environment, so only the arguments (and the .env they name) decide where it
// connects.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace PgdeskProcess {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QString describe() const { return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(exitCode).arg(out, err); }
};

inline QProcessEnvironment childEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString& key : keys) {
        if (key.startsWith(QLatin1String("PG")))
            environment.remove(key);
    }
    return environment;
}

// Waits up to 30 s; a child that does not finish is killed and reported in err.
inline Run run(const QString& binary, const QStringList& arguments)
{
    QProcess process;
    process.setProcessEnvironment(childEnvironment());
    process.start(binary, arguments);
    process.closeWriteChannel();
    Run result;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("pgdesk did not finish");
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace PgdeskProcess
