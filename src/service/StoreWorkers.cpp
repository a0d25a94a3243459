#include "service/StoreWorkers.h"

#include "connection/DatabaseSession.h"
#include "connection/ServerCancel.h"
#include "service/TutorialStore.h"

#include <QMetaObject>
#include <QThread>

#include <condition_variable>
#include <optional>

using namespace Qt::StringLiterals;

struct StoreWorkers::Worker
{
    QThread* thread = nullptr;
    std::condition_variable wake;
    std::optional<Job> job; // handed over, not started yet
    bool busy = false; // has a job, started or not
    ServerCancel cancel; // for the connection the thread's session had when its job started
};

StoreWorkers::StoreWorkers(ConnectionSettings settings, int count, QObject* receiver)
    : m_settings(std::move(settings))
    , m_receiver(receiver)
{
    for (int i = 0; i < qMax(1, count); ++i) {
        m_workers.push_back(std::make_unique<Worker>());
        Worker* worker = m_workers.back().get();
        worker->thread = QThread::create([this, worker] { runWorker(worker); });
        worker->thread->setObjectName(u"serve worker %1"_s.arg(i + 1));
        // The first worker last, where jobs are taken from: one connection while requests come one by one.
        m_idle.prepend(worker);
    }
    for (const auto& worker : m_workers)
        worker->thread->start();
}

StoreWorkers::~StoreWorkers()
{
    {
        std::lock_guard locker(m_mutex);
        m_stopping = true;
        m_waiting.clear();
        for (const auto& worker : m_workers) {
            if (worker->job)
                worker->job.reset();
            else if (worker->busy)
                worker->cancel.send();
            worker->wake.notify_one();
        }
    }
    for (const auto& worker : m_workers) {
        worker->thread->wait();
        delete worker->thread;
    }
}

void StoreWorkers::submit(std::function<void(TutorialStore&)> work, std::function<void()> done)
{
    std::unique_lock locker(m_mutex);
    if (m_stopping)
        return;
    Job job{ std::move(work), std::move(done) };
    if (m_idle.isEmpty()) {
        m_waiting.enqueue(std::move(job));
        return;
    }
    Worker* worker = m_idle.takeLast();
    worker->job = std::move(job);
    worker->busy = true;
    locker.unlock();
    worker->wake.notify_one();
}

void StoreWorkers::runWorker(Worker* worker)
{
    DatabaseSession session;
    TutorialStore store(session);
    bool opened = false;
    pg_conn* cancelled = nullptr;
    std::unique_lock locker(m_mutex);
    for (;;) {
        worker->wake.wait(locker, [&] { return worker->job || m_stopping; });
        if (!worker->job)
            break;
        Job job = std::move(*worker->job);
        worker->job.reset();
        locker.unlock();

        if (!opened) {
            // Whether it worked or not: the store reopens a session that is not open and says why
            // it could not (a second attempt right away only when the first job finds the server gone).
            session.open(m_settings);
            opened = true;
        }
        // PQgetCancel() belongs on the connection's own thread; the store may have reconnected since.
        if (session.nativeConnection() != cancelled) {
            cancelled = session.nativeConnection();
            worker->cancel.reset(cancelled);
        }
        job.work(store);

        locker.lock();
        // Idle again before the answer goes out, so that a client's next request, sent as soon
        // as it has this answer, finds this thread and its connection free.
        if (!m_waiting.isEmpty() && !m_stopping) {
            worker->job = m_waiting.dequeue();
        } else {
            worker->busy = false;
            m_idle.append(worker);
        }
        QMetaObject::invokeMethod(m_receiver, std::move(job.done), Qt::QueuedConnection);
    }
    locker.unlock();
    worker->cancel.reset(nullptr);
    session.close();
}
