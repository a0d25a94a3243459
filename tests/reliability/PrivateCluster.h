#pragma once

#include "TestServer.h"

#include <QString>
#include <QTemporaryDir>

// A PostgreSQL cluster of one suite's own, started with tests/support/pg-cluster.sh into a
// private folder, for suites that stop, kill or restart the server: the shared fixture servers
// serve suites running in parallel and must never go down under them. Takes about 3 s.
//
// start() also points PGDESK_TEST_SERVER_ENV at the private server.env, so TestServer (and its
// psql()) talk to this cluster.
class PrivateCluster
{
public:
    PrivateCluster() = default;
    ~PrivateCluster();
    PrivateCluster(const PrivateCluster&) = delete;
    PrivateCluster& operator=(const PrivateCluster&) = delete;

    // Starts the cluster and loads server(); false with the reason when it could not.
    bool start(QString* error);
    void stop();

    const TestServer& server() const { return m_server; }
    TestServer& server() { return m_server; }

    // pg_ctl on the SSL cluster, as its owner (postgres under root). Each returns false with
    // pg_ctl's output in *error.
    bool stopImmediately(QString* error); // pg_ctl stop -m immediate: like a crash
    bool startAgain(QString* error); // pg_ctl start -w, same port and data
    bool restart(QString* error); // pg_ctl restart -m fast -w
    // Terminates a backend the way an administrator does, and waits (up to 5 s) until it is gone.
    bool terminateBackend(qint64 pid, QString* error);

private:
    bool run(const QString& program, const QStringList& arguments, QString* error, int timeoutMs = 60000);
    bool pgCtl(const QStringList& arguments, QString* error);

    QTemporaryDir m_dir;
    TestServer m_server;
    bool m_started = false;
};
