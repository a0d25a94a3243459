#include "PrivateCluster.h"

#include <QDir>
#include <QProcess>

#include <unistd.h>

using namespace Qt::StringLiterals;

PrivateCluster::~PrivateCluster()
{
    stop();
}

bool PrivateCluster::run(const QString& program, const QStringList& arguments, QString* error, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    const bool finished = process.waitForFinished(timeoutMs);
    const QString output = QString::fromLocal8Bit(process.readAll()).trimmed();
    const bool ok = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!ok && error)
        *error = u"%1 %2 failed: %3"_s.arg(program, arguments.join(u' '), output);
    return ok;
}

bool PrivateCluster::start(QString* error)
{
    const QString script = qEnvironmentVariable("PGDESK_PG_CLUSTER_SCRIPT");
    if (script.isEmpty()) {
        *error = u"PGDESK_PG_CLUSTER_SCRIPT is not set: run this suite through ctest."_s;
        return false;
    }
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary folder"_s;
        return false;
    }
    if (!run(script, { u"start"_s, m_dir.path() }, error, 120000))
        return false;
    m_started = true;
    qputenv("PGDESK_TEST_SERVER_ENV", QDir(m_dir.path()).filePath(u"server.env"_s).toLocal8Bit());
    return m_server.load(error);
}

void PrivateCluster::stop()
{
    if (!m_started)
        return;
    m_started = false;
    run(qEnvironmentVariable("PGDESK_PG_CLUSTER_SCRIPT"), { u"stop"_s, m_dir.path() }, nullptr);
}

bool PrivateCluster::pgCtl(const QStringList& arguments, QString* error)
{
    const QString pgCtlPath = m_server.value(u"PGDESK_TEST_BINDIR"_s) + u"/pg_ctl"_s;
    const QStringList common{ u"-D"_s, m_server.value(u"PGDESK_TEST_DATADIR"_s) };
    // The cluster belongs to postgres under root (initdb refuses root), as in pg-cluster.sh.
    if (geteuid() == 0)
        return run(u"runuser"_s, QStringList{ u"-u"_s, u"postgres"_s, u"--"_s, pgCtlPath } + common + arguments, error);
    return run(pgCtlPath, common + arguments, error);
}

bool PrivateCluster::stopImmediately(QString* error)
{
    return pgCtl({ u"-m"_s, u"immediate"_s, u"-w"_s, u"stop"_s }, error);
}

bool PrivateCluster::startAgain(QString* error)
{
    // The log lives beside the data folder, which postgres owns.
    const QString log = QDir(m_server.value(u"PGDESK_TEST_DATADIR"_s)).filePath(u"../server.log"_s);
    return pgCtl({ u"-l"_s, QDir::cleanPath(log), u"-w"_s, u"-t"_s, u"30"_s, u"start"_s }, error);
}

bool PrivateCluster::restart(QString* error)
{
    const QString log = QDir(m_server.value(u"PGDESK_TEST_DATADIR"_s)).filePath(u"../server.log"_s);
    return pgCtl({ u"-l"_s, QDir::cleanPath(log), u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s, u"30"_s, u"restart"_s }, error);
}

bool PrivateCluster::terminateBackend(qint64 pid, QString* error)
{
    bool ok = false;
    const QString answer = m_server.psql(u"postgres"_s, u"SELECT pg_terminate_backend(%1, 5000)"_s.arg(pid), &ok);
    if ((!ok || answer != u"t") && error)
        *error = u"pg_terminate_backend(%1) answered '%2'"_s.arg(pid).arg(answer);
    return ok && answer == u"t";
}
