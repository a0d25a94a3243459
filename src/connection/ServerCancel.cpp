#include "connection/ServerCancel.h"

#include "connection/NetworkThreadPool.h"

#include <libpq-fe.h>

#include <atomic>

class ServerCancel::Handle
{
public:
    explicit Handle(PGcancel* cancel)
        : m_cancel(cancel)
    {
    }
    ~Handle() { PQfreeCancel(m_cancel); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    // One request in flight per connection: on a dead path PQcancel() blocks until TCP gives up
    // (minutes), and the retries of a cancel that has not landed would otherwise fill the pool.
    bool startSending() { return !m_sending.exchange(true); }
    void send()
    {
        // PQcancel() only reads the PGcancel, which is why it needs no lock.
        char message[256];
        PQcancel(m_cancel, message, sizeof message);
        m_sending = false;
    }

private:
    PGcancel* m_cancel;
    std::atomic<bool> m_sending{ false };
};

void ServerCancel::reset(pg_conn* connection)
{
    PGcancel* cancel = connection ? PQgetCancel(connection) : nullptr;
    QMutexLocker locker(&m_mutex);
    m_handle = cancel ? std::make_shared<Handle>(cancel) : nullptr;
}

bool ServerCancel::isReady() const
{
    QMutexLocker locker(&m_mutex);
    return m_handle != nullptr;
}

void ServerCancel::send()
{
    std::shared_ptr<Handle> handle;
    {
        QMutexLocker locker(&m_mutex);
        handle = m_handle;
    }
    if (!handle || !handle->startSending())
        return;
    // A network job: on a dead path the request hangs, and nothing waits for it (NetworkThreadPool).
    NetworkThreadPool::start([handle] { handle->send(); });
}
