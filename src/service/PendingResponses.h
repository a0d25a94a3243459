#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QObject>

#include <deque>
#include <optional>
#include <unordered_map>

class QTcpSocket;

// The responders of requests whose answers come later (from StoreWorkers), and the answers sent
// on each connection in the order its requests came, as HTTP/1.1 requires of a client that sends
// the next request before it has the answer to the last.
//
// Qt 6.8 reads a connection's next request only once the responder of the last one is gone, so
// there an answer goes out as soon as it is given. Qt 6.4 hands the next request to its handler
// at once, and its responder keeps a plain pointer to a socket that is deleted when the client
// hangs up: here the answers wait in line per socket, and a socket's line is dropped unsent when
// the socket goes.
class PendingResponses : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Keeps responder until answer() is called with the ticket returned.
    quint64 hold(QHttpServerResponder&& responder);
    void answer(quint64 ticket, QHttpServerResponse&& response);

private:
    quint64 m_lastTicket = 0;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    std::unordered_map<quint64, QHttpServerResponder> m_pending;
#else
    struct Pending
    {
        quint64 ticket;
        QHttpServerResponder responder;
        std::optional<QHttpServerResponse> response;
    };

    // Sends the answers at the front of socket's line that are there.
    void sendReady(QTcpSocket* socket);

    std::unordered_map<QTcpSocket*, std::deque<Pending>> m_lines;
    std::unordered_map<quint64, QTcpSocket*> m_socketOf;
#endif
};
