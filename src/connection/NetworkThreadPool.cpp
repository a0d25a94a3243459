#include "connection/NetworkThreadPool.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <QThreadPool>

#include <atomic>

namespace {
std::atomic<int> workerThreads{ 0 };

// A program that leaves main() by returning (a test suite, the command line) destroys QtSql's
// connection registry after QCoreApplication: a job still running then crashes the exit ("called
// before driver has been set up", a SEGV in the sanitizer run, which then hung). QCoreApplication's
// destructor waits for the jobs first, within a bound: one stuck on a dead path does not hold the
// exit longer.
std::atomic<int> exitWaitMilliseconds{ 10000 };
void waitForJobsAtExit()
{
    if (const int milliseconds = exitWaitMilliseconds.load(); milliseconds > 0)
        NetworkThreadPool::waitUntilIdle(milliseconds);
}
} // namespace

QThreadPool* NetworkThreadPool::instance()
{
    // Deliberately never destroyed: QThreadPool's destructor waits for its jobs.
    static QThreadPool* const pool = [] {
        auto* threads = new QThreadPool;
        threads->setMaxThreadCount(8);
        threads->setExpiryTimeout(30000);
        qAddPostRoutine(waitForJobsAtExit);
        return threads;
    }();
    return pool;
}

void NetworkThreadPool::start(std::function<void()> job)
{
    instance()->start(std::move(job));
}

void NetworkThreadPool::workerThreadStarted()
{
    ++workerThreads;
}

void NetworkThreadPool::workerThreadEnded()
{
    --workerThreads;
}

void NetworkThreadPool::setExitWait(int milliseconds)
{
    exitWaitMilliseconds = milliseconds;
}

bool NetworkThreadPool::idle()
{
    return workerThreads.load() == 0 && instance()->activeThreadCount() == 0;
}

bool NetworkThreadPool::waitUntilIdle(int milliseconds)
{
    QDeadlineTimer deadline(milliseconds);
    while (!idle()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
    return true;
}
