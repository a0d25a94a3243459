#include "HttpLoad.h"

#include "BenchSupport.h"

#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace bench {

struct HttpLoad::Client
{
    QTcpSocket* socket = nullptr;
    QByteArray buffer;
    qsizetype headerEnd = -1; // where the body starts, once the header is whole
    qint64 contentLength = -1; // -1: the body ends when the server closes
    int status = 0;
    bool closes = false;
};

HttpLoad::HttpLoad(quint16 port, QByteArray target, int clients, int expectedStatus)
    : m_port(port)
    , m_request("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    , m_expectedStatus(expectedStatus)
{
    for (int i = 0; i < clients; ++i)
        m_clients.push_back(std::make_unique<Client>());
}

HttpLoad::~HttpLoad()
{
    for (const auto& client : m_clients) {
        if (client->socket) {
            client->socket->disconnect(this);
            client->socket->abort();
        }
    }
}

void HttpLoad::start()
{
    m_running = true;
    for (const auto& client : m_clients)
        open(client.get());
}

void HttpLoad::restartCount()
{
    m_answered = 0;
    m_failed = 0;
    m_firstError.clear();
}

void HttpLoad::stop()
{
    m_running = false;
}

void HttpLoad::open(Client* client)
{
    if (client->socket) {
        client->socket->disconnect(this);
        client->socket->abort();
        client->socket->deleteLater();
    }
    client->socket = new QTcpSocket(this);
    client->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    client->buffer.clear();
    client->headerEnd = -1;
    connect(client->socket, &QTcpSocket::connected, this, [this, client] { send(client); });
    connect(client->socket, &QTcpSocket::readyRead, this, [this, client] { read(client); });
    connect(client->socket, &QTcpSocket::disconnected, this, [this, client] {
        // An answer without Content-Length ends here.
        if (client->headerEnd >= 0 && client->contentLength < 0)
            answer(client, client->status, true);
        else if (m_running)
            fail(client, u"the server closed the connection before answering"_s);
    });
    connect(client->socket, &QTcpSocket::errorOccurred, this, [this, client](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            fail(client, client->socket->errorString());
    });
    client->socket->connectToHost(u"127.0.0.1"_s, m_port);
}

void HttpLoad::send(Client* client)
{
    if (!m_running)
        return;
    client->buffer.clear();
    client->headerEnd = -1;
    client->contentLength = -1;
    client->status = 0;
    client->closes = false;
    client->socket->write(m_request);
}

void HttpLoad::read(Client* client)
{
    client->buffer += client->socket->readAll();
    if (client->headerEnd < 0) {
        const qsizetype end = client->buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        client->headerEnd = end + 4;
        const QList<QByteArray> lines = client->buffer.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        client->status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
        client->closes = statusLine.first() != "HTTP/1.1";
        for (const QByteArray& line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                client->contentLength = value.toLongLong();
            else if (name == "connection" && value.toLower() == "close")
                client->closes = true;
        }
    }
    if (client->contentLength >= 0 && client->buffer.size() - client->headerEnd >= client->contentLength)
        answer(client, client->status, client->closes);
}

void HttpLoad::answer(Client* client, int status, bool closes)
{
    if (!m_running)
        return;
    if (status == m_expectedStatus) {
        ++m_answered;
    } else {
        ++m_failed;
        if (m_firstError.isEmpty())
            m_firstError = u"HTTP %1: %2"_s.arg(status).arg(QString::fromUtf8(client->buffer.left(400)));
    }
    client->headerEnd = -1;
    if (closes)
        open(client);
    else
        send(client);
}

void HttpLoad::fail(Client* client, const QString& error)
{
    if (!m_running)
        return;
    ++m_failed;
    if (m_firstError.isEmpty())
        m_firstError = error;
    // Not at once: a server that refuses connections would make this a busy loop.
    client->headerEnd = -1;
    QTimer::singleShot(50, this, [this, client] {
        if (m_running)
            open(client);
    });
}

double runLoads(const QList<HttpLoad*>& loads, int milliseconds)
{
    for (HttpLoad* load : loads)
        load->start();
    // The first answers carry the set-up (the client's TCP connections, the server's own
    // connections to PostgreSQL with their TLS handshakes): pgbench leaves its connection time out
    // of its tps too. On a loaded machine that set-up alone took longer than a one-second smoke
    // figure, which then counted no answer at all. So the clock starts once each load has had as
    // many answers as it has clients, or after 30 s.
    const double warmingUp = nowMs();
    const auto warm = [&loads] {
        return std::all_of(loads.begin(), loads.end(),
                           [](const HttpLoad* load) { return load->answered() + load->failed() >= load->clients(); });
    };
    while (!warm() && nowMs() - warmingUp < 30000)
        spin(10);
    for (HttpLoad* load : loads)
        load->restartCount();
    const double started = nowMs();
    spin(milliseconds);
    for (HttpLoad* load : loads)
        load->stop();
    return (nowMs() - started) / 1000;
}

} // namespace bench
