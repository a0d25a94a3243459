#include "connection/NetworkThreadPool.h"

#include <QDeadlineTimer>
#include <QThread>
#include <QThreadPool>

#include <atomic>

namespace {
std::atomic<int> workerThreads{ 0 };
} // namespace

QThreadPool* NetworkThreadPool::instance()
{
    // Deliberately never destroyed: QThreadPool's destructor waits for its jobs.
    static QThreadPool* const pool = [] {
        auto* threads = new QThreadPool;
        threads->setMaxThreadCount(8);
        threads->setExpiryTimeout(30000);
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
