#pragma once

#include "config/ConnectionSettings.h"

#include <QList>
#include <QQueue>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

class QObject;
class TutorialStore;

// The threads `pgdesk serve` runs its statements on, so that a slow one (a /read scanning
// millions of rows, a /write waiting on another client's lock) holds up only its own request.
//
// A small fixed number of threads, each with a DatabaseSession and TutorialStore of its own,
// opened when the thread gets its first job (Qt binds a QSqlDatabase to the thread that opened
// it) and kept. A job goes to the idle thread that finished last, so a light load runs on one
// warm connection and the others connect only when requests overlap; when every thread is busy
// jobs wait in the order they came. PostgreSQL's own locks keep concurrent statements correct
// (each thread's statement is a transaction of its own on its own connection); nothing here is
// shared between the threads but the queue.
class StoreWorkers
{
public:
    // done callbacks run on receiver's thread; receiver must outlive this object (own it).
    StoreWorkers(ConnectionSettings settings, int count, QObject* receiver);
    // Drops the jobs not started yet, cancels the statements still running (libpq's cancel
    // request: a request waiting on a lock would otherwise keep the server from stopping) and
    // waits for the threads, which close their connections.
    ~StoreWorkers();
    StoreWorkers(const StoreWorkers&) = delete;
    StoreWorkers& operator=(const StoreWorkers&) = delete;

    // Runs work with a worker's store, then done on the receiver's thread. work may use only what
    // is safe from another thread: its own captures and the store it is given.
    void submit(std::function<void(TutorialStore&)> work, std::function<void()> done);

private:
    struct Job
    {
        std::function<void(TutorialStore&)> work;
        std::function<void()> done;
    };
    struct Worker;

    void runWorker(Worker* worker);

    const ConnectionSettings m_settings;
    QObject* const m_receiver;
    // std::mutex and std::condition_variable rather than QMutex and QWaitCondition: Qt 6.4's
    // wakeOne() signals under a lock of its own, so the woken thread first sleeps on that lock,
    // two more context switches per request (on a virtual machine they cost as much as the
    // statement). A condition_variable notified after the unlock wakes the thread once.
    std::mutex m_mutex; // guards everything below and each worker's job and busy flag
    std::vector<std::unique_ptr<Worker>> m_workers;
    QList<Worker*> m_idle; // the one that finished last at the back
    QQueue<Job> m_waiting;
    bool m_stopping = false;
};
