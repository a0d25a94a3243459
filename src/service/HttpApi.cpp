#include "service/HttpApi.h"

#include "config/Utf8Text.h"
#include "service/StoreWorkers.h"
#include "service/TutorialStore.h"

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

// A string as Python's json.dump writes it (ensure_ascii): what main.py's /read sends.
QByteArray pythonJsonString(const QString& text)
{
    QByteArray encoded = "\"";
    for (const QChar character : text) {
        const char16_t code = character.unicode();
        switch (code) {
        case u'"':
            encoded += "\\\"";
            break;
        case u'\\':
            encoded += "\\\\";
            break;
        case u'\n':
            encoded += "\\n";
            break;
        case u'\r':
            encoded += "\\r";
            break;
        case u'\t':
            encoded += "\\t";
            break;
        case u'\b':
            encoded += "\\b";
            break;
        case u'\f':
            encoded += "\\f";
            break;
        default:
            // Everything outside printable ASCII, one UTF-16 unit at a time: surrogate pairs
            // beyond the BMP, as Python writes them.
            if (code >= 0x20 && code < 0x7F)
                encoded += char(code);
            else
                encoded += "\\u" + QByteArray::number(code, 16).rightJustified(4, '0');
        }
    }
    return encoded + '"';
}

// main.py pastes text between quotes as it is, which breaks its JSON on a quote, a backslash or
// a control character; this gives the same bytes wherever main.py's are valid JSON and escapes
// only what JSON needs.
QByteArray pastedJsonString(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar character : text) {
        const char16_t code = character.unicode();
        if (code == u'"' || code == u'\\')
            escaped += QChar(u'\\');
        if (code < 0x20)
            escaped += u"\\u"_s + QString::number(code, 16).rightJustified(4, u'0');
        else
            escaped += character;
    }
    return '"' + escaped.toUtf8() + '"';
}

// str() of the datetime psycopg2 makes of a TIMESTAMP, from the server's ISO text: microseconds
// in six digits, none when they are zero; infinity becomes datetime.max and datetime.min.
QString pythonDateTime(const QString& text)
{
    if (text == u"infinity")
        return u"9999-12-31 23:59:59.999999"_s;
    if (text == u"-infinity")
        return u"0001-01-01 00:00:00"_s;
    const qsizetype dot = text.indexOf(u'.');
    if (dot < 0)
        return text;
    qsizetype digitsEnd = dot + 1;
    while (digitsEnd < text.size() && text.at(digitsEnd).isDigit())
        ++digitsEnd;
    return text.left(dot + 1) + text.mid(dot + 1, digitsEnd - dot - 1).leftJustified(6, u'0') + text.mid(digitsEnd);
}

// json.dump(records, indent=4, sort_keys=True, default=str) of psycopg2's row tuples.
QByteArray pythonRecords(const QList<TutorialRow>& rows)
{
    if (rows.isEmpty())
        return "[]";
    QByteArrayList records;
    for (const TutorialRow& row : rows) {
        const QByteArray name = row.name.isNull() ? QByteArray("null") : pythonJsonString(row.name.toString());
        records << "    [\n        " + QByteArray::number(row.id) + ",\n        " + name + ",\n        "
                + pythonJsonString(pythonDateTime(row.date)) + "\n    ]";
    }
    return "[\n" + records.join(",\n") + "\n]";
}

// The path main.py routes on: urlparse(self.path).path, which leaves out ";params" after the
// last segment.
QString tutorialPath(const QUrl& url)
{
    QString path = url.path(QUrl::FullyEncoded);
    const qsizetype semicolon = path.indexOf(u';', path.lastIndexOf(u'/') + 1);
    if (semicolon >= 0)
        path.truncate(semicolon);
    return path;
}

// Qt HttpServer was a technology preview until 6.8, which changed the calls below: headers became
// QHttpHeaders, a response is sent through its responder, and the missing handler takes a
// context object and an lvalue responder. Only these adapters know which Qt they build against.
QByteArray headerValue(const QHttpServerRequest& request, const QByteArray& name)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // QHttpHeaders compares names case-insensitively, as HTTP does.
    return request.headers().value(name).toByteArray();
#else
    const auto headers = request.headers();
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
#endif
}

void addHeader(QHttpServerResponse& response, const QByteArray& name, const QByteArray& value)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    // setHeaders() replaces all of them, Content-Type included.
    QHttpHeaders headers = response.headers();
    headers.append(name, value);
    response.setHeaders(std::move(headers));
#else
    response.setHeader(name, value);
#endif
}

// How a handler that answers later receives its responder; it moves it into PendingResponses.
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
using ResponderArgument = QHttpServerResponder&;
#else
using ResponderArgument = QHttpServerResponder&&;
#endif

// Takes the new server over when it already listens: Qt 6.8 refuses any other.
bool bindListening(QHttpServer& server, QTcpServer* tcpServer)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    return server.bind(tcpServer);
#else
    server.bind(tcpServer);
    return true;
#endif
}
} // namespace

HttpApi::HttpApi(const ConnectionSettings& settings, Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_workers(std::make_unique<StoreWorkers>(settings, qBound(1, m_options.workers, maxWorkers), this))
{
    const std::pair<QString, Route> routes[]
        = { { u"/read"_s, Route::Read }, { u"/write"_s, Route::Write }, { u"/delete"_s, Route::Delete } };
    for (const auto& [path, route] : routes) {
        m_server.route(path, [this, route](const QHttpServerRequest& request, ResponderArgument responder) {
            respond(request, std::move(responder), route);
        });
    }
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_server.setMissingHandler(this, [this](const QHttpServerRequest& request, QHttpServerResponder& responder) {
        respond(request, std::move(responder), unroutedRoute(request.url()));
    });
#else
    m_server.setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        respond(request, std::move(responder), unroutedRoute(request.url()));
    });
#endif
}

HttpApi::~HttpApi() = default;

void HttpApi::respond(const QHttpServerRequest& request, QHttpServerResponder&& responder, Route route)
{
    const quint64 ticket = m_pending.hold(std::move(responder));
    // The request object is Qt's, and Qt 6.4 reuses it for the connection's next request.
    const QUrl url = request.url();
    if (!authorized(request))
        return m_pending.answer(ticket, unauthorized());
    if (route == Route::None)
        return m_pending.answer(ticket, notFound(url));
    if (route == Route::Delete && !m_options.allowDrop)
        return m_pending.answer(ticket, dropForbidden());
    // Shared with the worker, which fills it before done runs.
    auto response = std::make_shared<std::optional<QHttpServerResponse>>();
    m_workers->submit([this, route, url, response](TutorialStore& store) { response->emplace(run(route, url, store)); },
                      [this, ticket, response] { m_pending.answer(ticket, std::move(**response)); });
}

QHttpServerResponse HttpApi::run(Route route, const QUrl& url, TutorialStore& store) const
{
    switch (route) {
    case Route::Read:
        return read(url, store);
    case Route::Write:
        return write(url, store);
    case Route::Delete:
        return dropTable(url, store);
    case Route::None:
        break;
    }
    return notFound(url);
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
    if (!bindListening(m_server, tcpServer)) {
        *error = u"The HTTP server could not take over the listening socket."_s;
        delete tcpServer;
        return false;
    }
    m_port = tcpServer->serverPort();
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

QHttpServerResponse HttpApi::json(const QByteArray& body, StatusCode status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), body, status);
}

QHttpServerResponse HttpApi::json(const QJsonDocument& document, StatusCode status)
{
    return json(document.toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse HttpApi::message(const QString& error, const QString& result, StatusCode status) const
{
    if (m_options.tutorialFormat)
        return json("{\"result\": " + pastedJsonString(result) + '}', status);
    QJsonObject body{ { u"result"_s, result } };
    if (!error.isEmpty())
        body.insert(u"error"_s, error);
    return json(QJsonDocument(body), status);
}

QHttpServerResponse HttpApi::unauthorized() const
{
    QHttpServerResponse response = message(
        u"unauthorized"_s, u"This server needs the header Authorization: Bearer <token>."_s, StatusCode::Unauthorized);
    addHeader(response, QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer"));
    return response;
}

QHttpServerResponse HttpApi::failure(const QUrl& url, const TutorialStore& store) const
{
    const TutorialStore::Error& error = store.lastError();
    if (error.kind == TutorialStore::Error::Kind::InvalidInput && !m_options.tutorialFormat)
        return message(u"invalid-name"_s, error.message, StatusCode::BadRequest);
    // The log is the operator's: the server's words go there, the client gets a fixed sentence.
    qCWarning(lcHttpApi).noquote() << url.path() << "failed:" << error.message << error.details;
    // main.py answers every failure, a NUL in the name included, with 500 and appends the
    // database's words, which stay in the log here.
    if (m_options.tutorialFormat)
        return message({}, u"some error happened while processing the request"_s, StatusCode::InternalServerError);
    switch (error.kind) {
    case TutorialStore::Error::Kind::Unreachable:
        return message(u"database-unavailable"_s, u"The database cannot be reached right now; try again later."_s,
                       StatusCode::ServiceUnavailable);
    case TutorialStore::Error::Kind::ReadOnly:
        // Not the server's words but pgdesk's sentence naming the reason (a replica, a role).
        return message(u"read-only"_s, error.message, StatusCode::Forbidden);
    case TutorialStore::Error::Kind::None:
    case TutorialStore::Error::Kind::InvalidInput:
    case TutorialStore::Error::Kind::Database:
        break;
    }
    return message(u"database-error"_s, u"some error happened while processing the request"_s,
                   StatusCode::InternalServerError);
}

QHttpServerResponse HttpApi::read(const QUrl& url, TutorialStore& store) const
{
    const auto rows = store.readNamed(nameParameter(url));
    if (!rows)
        return failure(url, store);
    if (m_options.tutorialFormat)
        return json(pythonRecords(*rows), StatusCode::Ok);
    QJsonArray records;
    for (const TutorialRow& row : *rows)
        records.append(row.toJson());
    return json(QJsonDocument(records), StatusCode::Ok);
}

QHttpServerResponse HttpApi::write(const QUrl& url, TutorialStore& store) const
{
    const QString name = nameParameter(url);
    const auto rows = store.add({ name });
    if (!rows || rows->isEmpty())
        return failure(url, store);
    if (m_options.tutorialFormat) // main.py's sentence, without the space after the colon
        return message({}, u"Added record with name:"_s + name + u" to database"_s, StatusCode::Ok);
    const QString result = u"Added record with name: "_s + name + u" to database"_s;
    const QJsonObject body{ { u"result"_s, result }, { u"row"_s, rows->first().toJson() } };
    return json(QJsonDocument(body), StatusCode::Ok);
}

QHttpServerResponse HttpApi::dropForbidden() const
{
    return message(u"forbidden"_s,
                   u"Dropping the table is switched off; start pgdesk serve with --allow-drop to allow it."_s,
                   StatusCode::Forbidden);
}

QHttpServerResponse HttpApi::dropTable(const QUrl& url, TutorialStore& store) const
{
    // DROP TABLE waits for the reads and writes running on other workers' connections, and the
    // ones that come after it wait for it; a write then creates the table again (TutorialStore).
    if (!store.drop())
        return failure(url, store);
    return message({}, u"Deleted all data in the table"_s, StatusCode::Ok);
}

QHttpServerResponse HttpApi::notFound(const QUrl& url) const
{
    const QString path = m_options.tutorialFormat ? tutorialPath(url) : url.path();
    return message(u"not-found"_s, u"path: "_s + path + u" is not valid"_s, StatusCode::NotFound);
}

HttpApi::Route HttpApi::unroutedRoute(const QUrl& url) const
{
    if (!m_options.tutorialFormat)
        return Route::None;
    const QString path = tutorialPath(url);
    if (path == u"/read")
        return Route::Read;
    if (path == u"/write")
        return Route::Write;
    if (path == u"/delete")
        return Route::Delete;
    return Route::None;
}
