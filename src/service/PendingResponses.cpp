#include "service/PendingResponses.h"

#include <QTcpSocket>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)

quint64 PendingResponses::hold(QHttpServerResponder&& responder)
{
    const quint64 ticket = ++m_lastTicket;
    m_pending.emplace(ticket, std::move(responder));
    return ticket;
}

void PendingResponses::answer(quint64 ticket, QHttpServerResponse&& response)
{
    const auto found = m_pending.find(ticket);
    if (found == m_pending.end())
        return;
    found->second.sendResponse(response);
    // Destroying the responder lets Qt read the connection's next request.
    m_pending.erase(found);
}

#else

quint64 PendingResponses::hold(QHttpServerResponder&& responder)
{
    const quint64 ticket = ++m_lastTicket;
    QTcpSocket* socket = responder.socket();
    const auto [line, added] = m_lines.try_emplace(socket);
    if (added) {
        // Qt deletes the socket after the client hung up: its answers have nowhere to go.
        connect(socket, &QObject::destroyed, this, [this, socket] {
            const auto gone = m_lines.find(socket);
            if (gone == m_lines.end())
                return;
            for (const Pending& pending : gone->second)
                m_socketOf.erase(pending.ticket);
            m_lines.erase(gone);
        });
    }
    line->second.push_back(Pending{ ticket, std::move(responder), std::nullopt });
    m_socketOf.emplace(ticket, socket);
    return ticket;
}

void PendingResponses::answer(quint64 ticket, QHttpServerResponse&& response)
{
    const auto socketOf = m_socketOf.find(ticket);
    if (socketOf == m_socketOf.end())
        return;
    QTcpSocket* socket = socketOf->second;
    for (Pending& pending : m_lines[socket]) {
        if (pending.ticket == ticket)
            pending.response.emplace(std::move(response));
    }
    sendReady(socket);
}

void PendingResponses::sendReady(QTcpSocket* socket)
{
    const auto line = m_lines.find(socket);
    if (line == m_lines.end())
        return;
    std::deque<Pending>& queue = line->second;
    bool wrote = false;
    while (!queue.empty() && queue.front().response) {
        Pending& first = queue.front();
        // QHttpServerResponse::write() sends nothing on a socket that is no longer connected.
        first.response->write(std::move(first.responder));
        m_socketOf.erase(first.ticket);
        queue.pop_front();
        wrote = true;
    }
    // QTcpSocket only buffers, and sends when the event loop next finds the socket writable: one
    // more pass through the loop per answer. Sent now, while the client waits for it.
    if (wrote)
        socket->flush();
    // An empty line stays until its socket goes: keep-alive clients send the next request on it.
}

#endif
