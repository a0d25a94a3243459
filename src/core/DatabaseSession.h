#pragma once

#include "ConnectionError.h"
#include "ConnectionSettings.h"
#include "ServerInfo.h"
#include "TableName.h"

#include <QObject>
#include <QSqlDatabase>

// One named QSqlDatabase connection to the server, opened from ConnectionSettings.
// Every user of the connection (model, command line, HTTP handler) goes through a session so
// that connect options, error wording and table creation are decided in one place.
class DatabaseSession : public QObject
{
    Q_OBJECT

public:
    struct ProbeResult
    {
        ServerInfo server;
        ConnectionError error;
        bool ok() const { return !error.isError(); }
    };

    explicit DatabaseSession(QObject* parent = nullptr);
    ~DatabaseSession() override;

    // Connects in the calling thread and disconnects again: the dialog's Test button runs it
    // on a worker thread, `pgdesk check` on the main one. Never touches a shared connection.
    static ProbeResult probe(const ConnectionSettings& settings);

    bool open(const ConnectionSettings& settings);
    void close();
    bool isOpen() const;

    QSqlDatabase database() const;
    const ConnectionSettings& settings() const { return m_settings; }
    const ServerInfo& serverInfo() const { return m_serverInfo; }
    const ConnectionError& lastError() const { return m_lastError; }
    TableName tableName() const { return m_tableName; }

    // Creates the table with the tutorial's DDL when it does not exist yet. Returns false and
    // sets lastError() when it is missing and cannot be created.
    bool ensureTable(bool* created = nullptr);
    bool tableExists(QString* error = nullptr);

    // The tutorial's CREATE TABLE, for this session's table name.
    static QString createTableStatement(const TableName& table);

signals:
    void opened();
    void closed();

private:
    static QString nextConnectionName();
    static QString connectOptions(const ConnectionSettings& settings);
    static bool openDatabase(QSqlDatabase& database, const ConnectionSettings& settings, ConnectionError* error);
    static ServerInfo readServerInfo(const QSqlDatabase& database);

    ConnectionSettings m_settings;
    ServerInfo m_serverInfo;
    ConnectionError m_lastError;
    TableName m_tableName;
    QString m_connectionName;
};
