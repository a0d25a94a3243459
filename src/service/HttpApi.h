#pragma once

#include "config/ConnectionSettings.h"
#include "service/PendingResponses.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QObject>
#include <QUrl>

#include <memory>

class QHttpServerRequest;
class QJsonDocument;
class StoreWorkers;
class TutorialStore;

// The tutorial's main.py as routes: /read?name=, /write?name= and /delete (which drops the
// table, as main.py does), with name defaulting to "john". Every body is JSON, and error bodies
// carry a fixed sentence: the database's own words go to the log, never to the client.
//
// Requests are read and answered on the server's thread; their statements run on StoreWorkers'
// threads, each with a connection of its own, so a slow statement holds up only its request.
// The answer goes out when its worker is done (PendingResponses keeps each connection's answers
// in order). What needs no statement (a missing token, an unknown path, a /delete that is not
// allowed) is answered without a worker.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString token; // when set, requests must send "Authorization: Bearer <token>"
        bool allowDrop = false; // /delete drops the table only when set
        // main.py's bodies, byte for byte where main.py's own are valid JSON: /read as
        // [[id, "name", "date"]] indented by json.dump, every other answer {"result": ...}, every
        // failure 500. Clients written against main.py keep working.
        bool tutorialFormat = false;
        // Threads, each with its own connection, opened when first needed: how many statements
        // run at once.
        int workers = defaultWorkers;
    };
    static constexpr int defaultWorkers = 4;
    static constexpr int maxWorkers = 64;

    // Each worker connects with settings (the table included).
    HttpApi(const ConnectionSettings& settings, Options options, QObject* parent = nullptr);
    // Cancels the statements still running and waits for the workers (StoreWorkers).
    ~HttpApi() override;

    // port 0 picks a free port; serverPort() then tells which.
    bool listen(const QHostAddress& address, quint16 port, QString* error);
    quint16 serverPort() const { return m_port; }

    // The tutorial's parse_qsl(query).get('name', 'john'): '+' is a space, a blank value counts
    // as missing, the last name= wins.
    static QString nameParameter(const QUrl& url);

private:
    enum class Route { None, Read, Write, Delete };

    // Answers through responder, now or once a worker ran the route's statement.
    void respond(const QHttpServerRequest& request, QHttpServerResponder&& responder, Route route);
    // On a worker thread: everything it uses is the store it is given, url and m_options.
    QHttpServerResponse run(Route route, const QUrl& url, TutorialStore& store) const;
    QHttpServerResponse read(const QUrl& url, TutorialStore& store) const;
    QHttpServerResponse write(const QUrl& url, TutorialStore& store) const;
    QHttpServerResponse dropTable(const QUrl& url, TutorialStore& store) const;
    QHttpServerResponse dropForbidden() const;
    QHttpServerResponse notFound(const QUrl& url) const;
    // What no route matched: in the tutorial format, main.py's own routing first.
    Route unroutedRoute(const QUrl& url) const;
    QHttpServerResponse unauthorized() const;
    QHttpServerResponse failure(const QUrl& url, const TutorialStore& store) const;
    bool authorized(const QHttpServerRequest& request) const;

    static QHttpServerResponse json(const QByteArray& body, QHttpServerResponse::StatusCode status);
    static QHttpServerResponse json(const QJsonDocument& document, QHttpServerResponse::StatusCode status);
    QHttpServerResponse message(const QString& error, const QString& result,
                                QHttpServerResponse::StatusCode status) const;

    const Options m_options;
    QHttpServer m_server;
    PendingResponses m_pending;
    quint16 m_port = 0;
    // Last, so it is destroyed first: its threads use m_options until they end.
    std::unique_ptr<StoreWorkers> m_workers;
};
