#include "connection/NetworkThreadPool.h"

#include <QThreadPool>

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
