#pragma once

#include "service/TutorialStore.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QObject>

class QHttpServerRequest;
class QJsonDocument;

// The tutorial's main.py as routes: /read?name=, /write?name= and /delete (which drops the
// table, as main.py does), with name defaulting to "john". Every body is JSON, and error bodies
// carry a fixed sentence: the database's own words go to the log, never to the client.
//
// Qt 6.4 runs route handlers on the thread of the server, one at a time, so each request gets
// its own QSqlQuery on the store's one connection and no cursor is ever shared.
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
    };

    HttpApi(TutorialStore& store, Options options, QObject* parent = nullptr);

    // port 0 picks a free port; serverPort() then tells which.
    bool listen(const QHostAddress& address, quint16 port, QString* error);
    quint16 serverPort() const { return m_port; }

    // The tutorial's parse_qsl(query).get('name', 'john'): '+' is a space, a blank value counts
    // as missing, the last name= wins.
    static QString nameParameter(const QUrl& url);

private:
    using Handler = QHttpServerResponse (HttpApi::*)(const QHttpServerRequest&);

    void addRoute(const QString& path, Handler handler);
    QHttpServerResponse read(const QHttpServerRequest& request);
    QHttpServerResponse write(const QHttpServerRequest& request);
    QHttpServerResponse dropTable(const QHttpServerRequest& request);
    QHttpServerResponse notFound(const QHttpServerRequest& request);
    // What no route matched: in the tutorial format, main.py's own routing first.
    QHttpServerResponse unrouted(const QHttpServerRequest& request);
    QHttpServerResponse unauthorized() const;
    QHttpServerResponse failure(const QHttpServerRequest& request) const;
    bool authorized(const QHttpServerRequest& request) const;

    static QHttpServerResponse json(const QByteArray& body, QHttpServerResponse::StatusCode status);
    static QHttpServerResponse json(const QJsonDocument& document, QHttpServerResponse::StatusCode status);
    QHttpServerResponse message(const QString& error, const QString& result,
                                QHttpServerResponse::StatusCode status) const;

    TutorialStore& m_store;
    Options m_options;
    QHttpServer m_server;
    quint16 m_port = 0;
};
