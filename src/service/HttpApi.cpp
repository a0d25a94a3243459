#include "HttpApi.h"

#include "Utf8Text.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpServer>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponse::StatusCode;

Q_LOGGING_CATEGORY(lcHttpApi, "pgdesk.serve")

namespace {
// Room for bursts of new connections while a handler runs; the default of 50 makes clients
// beyond it wait for a SYN retry.
constexpr int listenBacklog = 512;

QString decodeQueryPart(QByteArray part)
{
    part.replace('+', ' ');
    return Utf8Text::decode(QByteArray::fromPercentEncoding(part));
}

// Compares without stopping at the first difference, so timing does not reveal the token.
bool sameSecret(const QByteArray& given, const QByteArray& expected)
{
    if (given.size() != expected.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        difference |= static_cast<unsigned char>(given.at(i) ^ expected.at(i));
    return difference == 0;
}

QByteArray headerValue(const QHttpServerRequest& request, const QByteArray& name)
{
    const auto headers = request.headers();
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}
} // namespace

HttpApi::HttpApi(TutorialStore& store, Options options, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_options(std::move(options))
{
    addRoute(u"/read"_s, &HttpApi::read);
    addRoute(u"/write"_s, &HttpApi::write);
    addRoute(u"/delete"_s, &HttpApi::dropTable);
    m_server.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        const QHttpServerResponse response = authorized(request) ? notFound(request) : unauthorized();
        response.write(std::move(responder));
    });
}

void HttpApi::addRoute(const QString& path, Handler handler)
{
    m_server.route(path, [this, handler](const QHttpServerRequest& request) {
        if (!authorized(request))
            return unauthorized();
        return (this->*handler)(request);
    });
}

bool HttpApi::listen(const QHostAddress& address, quint16 port, QString* error)
{
    auto* tcpServer = new QTcpServer(this);
    tcpServer->setListenBacklogSize(listenBacklog);
    if (!tcpServer->listen(address, port)) {
        *error = tcpServer->errorString();
        delete tcpServer;
        return false;
    }
    m_port = tcpServer->serverPort();
    m_server.bind(tcpServer);
    return true;
}

QString HttpApi::nameParameter(const QUrl& url)
{
    QString name;
    const QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    const QList<QByteArray> pairs = query.split('&');
    for (const QByteArray& pair : pairs) {
        const qsizetype equals = pair.indexOf('=');
        if (equals < 0 || equals + 1 == pair.size())
            continue;
        if (decodeQueryPart(pair.left(equals)) == u"name"_s)
            name = decodeQueryPart(pair.mid(equals + 1));
    }
    return name.isEmpty() ? u"john"_s : name;
}

bool HttpApi::authorized(const QHttpServerRequest& request) const
{
    if (m_options.token.isEmpty())
        return true;
    const QByteArray authorization = headerValue(request, QByteArrayLiteral("Authorization")).trimmed();
    const QByteArray scheme = QByteArrayLiteral("Bearer ");
    if (!authorization.startsWith(scheme) && !authorization.toLower().startsWith(scheme.toLower()))
        return false;
    return sameSecret(authorization.mid(scheme.size()).trimmed(), m_options.token.toUtf8());
}

QHttpServerResponse HttpApi::json(const QJsonDocument& document, StatusCode status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), document.toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse HttpApi::message(const QString& error, const QString& result, StatusCode status)
{
    QJsonObject body{ { u"result"_s, result } };
    if (!error.isEmpty())
        body.insert(u"error"_s, error);
    return json(QJsonDocument(body), status);
}

QHttpServerResponse HttpApi::unauthorized() const
{
    QHttpServerResponse response = message(
        u"unauthorized"_s, u"This server needs the header Authorization: Bearer <token>."_s, StatusCode::Unauthorized);
    response.setHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer"));
    return response;
}

QHttpServerResponse HttpApi::failure(const QHttpServerRequest& request) const
{
    const TutorialStore::Error& error = m_store.lastError();
    if (error.kind == TutorialStore::Error::Kind::InvalidInput)
        return message(u"invalid-name"_s, error.message, StatusCode::BadRequest);
    // The log is the operator's: the server's words go there, the client gets a fixed sentence.
    qCWarning(lcHttpApi).noquote() << request.url().path() << "failed:" << error.message << error.details;
    switch (error.kind) {
    case TutorialStore::Error::Kind::Unreachable:
        return message(u"database-unavailable"_s, u"The database cannot be reached right now; try again later."_s,
                       StatusCode::ServiceUnavailable);
    case TutorialStore::Error::Kind::None:
    case TutorialStore::Error::Kind::InvalidInput:
    case TutorialStore::Error::Kind::Database:
        break;
    }
    return message(u"database-error"_s, u"some error happened while processing the request"_s,
                   StatusCode::InternalServerError);
}

QHttpServerResponse HttpApi::read(const QHttpServerRequest& request)
{
    const auto rows = m_store.readNamed(nameParameter(request.url()));
    if (!rows)
        return failure(request);
    QJsonArray records;
    for (const TutorialRow& row : *rows)
        records.append(row.toJson());
    return json(QJsonDocument(records), StatusCode::Ok);
}

QHttpServerResponse HttpApi::write(const QHttpServerRequest& request)
{
    const QString name = nameParameter(request.url());
    const auto rows = m_store.add({ name });
    if (!rows || rows->isEmpty())
        return failure(request);
    const QString result = u"Added record with name: "_s + name + u" to database"_s;
    const QJsonObject body{ { u"result"_s, result }, { u"row"_s, rows->first().toJson() } };
    return json(QJsonDocument(body), StatusCode::Ok);
}

QHttpServerResponse HttpApi::dropTable(const QHttpServerRequest& request)
{
    if (!m_options.allowDrop) {
        return message(u"forbidden"_s,
                       u"Dropping the table is switched off; start pgdesk serve with --allow-drop to allow it."_s,
                       StatusCode::Forbidden);
    }
    if (!m_store.drop())
        return failure(request);
    return message({}, u"Deleted all data in the table"_s, StatusCode::Ok);
}

QHttpServerResponse HttpApi::notFound(const QHttpServerRequest& request)
{
    return message(u"not-found"_s, u"path: "_s + request.url().path() + u" is not valid"_s, StatusCode::NotFound);
}
