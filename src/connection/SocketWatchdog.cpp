#include "connection/SocketWatchdog.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <sys/socket.h>

#include <chrono>

namespace {
// A monotonic clock both threads read; QElapsedTimer's is, and starts once.
qint64 nowMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return clock.elapsed();
}

QByteArray localAddressOf(int socket)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (socket < 0 || getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return {};
    return QByteArray(reinterpret_cast<const char*>(&address), static_cast<int>(length));
}
} // namespace

SocketWatchdog::SocketWatchdog()
    : m_lastBeatMs(nowMs())
    , m_thread([this] { run(); })
{
}

SocketWatchdog::~SocketWatchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join(); // it waits on nothing but the condition variable: this returns at once
}

void SocketWatchdog::watch(int socket)
{
    const QByteArray address = localAddressOf(socket);
    std::lock_guard lock(m_mutex);
    m_socket = address.isEmpty() ? -1 : socket;
    m_localAddress = address;
    m_lastBeatMs = nowMs();
}

void SocketWatchdog::beat()
{
    m_lastBeatMs = nowMs();
}

void SocketWatchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, std::chrono::milliseconds(250));
        if (m_stopping || m_socket < 0 || nowMs() - m_lastBeatMs.load() < m_cutAfterMs.load())
            continue;
        // The watched thread is stuck. Cut only the socket it was given, and only once.
        if (localAddressOf(m_socket) == m_localAddress) {
            ++m_cuts; // first: the woken thread may ask at once
            ::shutdown(m_socket, SHUT_RDWR);
        }
        m_socket = -1;
        m_localAddress.clear();
    }
}
