#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QTcpSocket;

namespace bench {

// Keeps `clients` HTTP connections busy with GET target, each sending its next request as soon as
// it has the answer, and counts the answers that came while it ran: the HTTP side of pgbench's
// clients. A connection is kept for the next request when the server allows it (pgdesk serve,
// HTTP/1.1) and opened again for each one when the server closes it (main.py's http.server
// answers with HTTP/1.0 and closes).
class HttpLoad : public QObject
{
    Q_OBJECT

public:
    // An answer with expectedStatus counts; any other is a failure. (404: the HTTP hop alone, a
    // path pgdesk serve answers on its HTTP thread without a statement.)
    HttpLoad(quint16 port, QByteArray target, int clients, int expectedStatus = 200);
    ~HttpLoad() override;

    void start();
    // Forgets what was counted so far; the clients go on.
    void restartCount();
    int clients() const { return int(m_clients.size()); }
    // Sends nothing more; answers that come after it are not counted.
    void stop();
    qint64 answered() const { return m_answered; } // the expected status
    qint64 failed() const { return m_failed; } // any other status, or a connection that broke
    const QString& firstError() const { return m_firstError; }

private:
    struct Client;

    void open(Client* client);
    void send(Client* client);
    void read(Client* client);
    // The answer in client's buffer is whole: count it, then the next request.
    void answer(Client* client, int status, bool closes);
    void fail(Client* client, const QString& error);

    const quint16 m_port;
    const QByteArray m_request;
    std::vector<std::unique_ptr<Client>> m_clients;
    const int m_expectedStatus;
    bool m_running = false;
    qint64 m_answered = 0;
    qint64 m_failed = 0;
    QString m_firstError;
};

// Runs the loads at the same time for this long, counted from when each has had its first
// answers; returns the seconds they were counted.
double runLoads(const QList<HttpLoad*>& loads, int milliseconds);

} // namespace bench
