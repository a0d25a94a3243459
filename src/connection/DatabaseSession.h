#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "connection/ConnectionError.h"
#include "connection/ServerInfo.h"

#include <QObject>
#include <QSqlDatabase>
#include <QStringList>

// One named QSqlDatabase connection to the server, opened from ConnectionSettings.
// Every user of the connection (model, command line, HTTP handler) goes through a session so
// that connect options, error wording and table creation are decided in one place.
//
// Connection loss. Qt's QPSQL keeps isOpen() true after the server drops the link and reports
// later failures with an empty error, so a session cannot tell by itself. ping() asks the server;
// when the link is gone the session emits connectionLost() once and isLost() stays true until
// reconnect() succeeds. ConnectionWatcher does both on a timer, with backoff.
//
// What a reconnect keeps and what a caller must redo. reconnect() closes and reopens the SAME
// named QSqlDatabase, so every QSqlDatabase copy (a model's, a query's) sees the new link and
// QSqlDriver signal connections stay valid. It re-reads serverInfo() and re-subscribes the
// notification channels that were subscribed before. It cannot restore:
//   - prepared statements: a QSqlQuery prepared before must be prepare()d again (QPSQL names
//     them qpsqlpstmt_N and the server forgot them);
//   - a QSqlTableModel's record: call setTable() (TableModel::setTableName()) and select() again;
//   - an open transaction: whatever it held was rolled back by the server; write it again;
//   - session state set with SET (pgdesk sets none: see "Poolers" below).
//
// Poolers. Nothing in the startup packet beyond what every pooler accepts (no `options`), no
// named prepared statements (SqlLiteral), no session SET, no advisory locks, timestamps read as
// DateStyle-independent text (DateTimeText): a transaction pooler may give each transaction
// another server connection. serverInfo().behindPooler tells whether one sits in between, and
// LiveUpdates then polls instead of LISTENing. QPSQL's own SET DATESTYLE at open is harmless
// and not relied on.
struct pg_conn;
class SocketWatchdog;

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

    // What the connected role may do with the session's table (has_table_privilege()).
    struct TablePrivileges
    {
        bool known = false; // false when the table is missing or the catalog could not be read
        bool canSelect = false;
        bool canInsert = false; // includes USAGE on the id column's sequence, which INSERT needs
        bool canUpdate = false;
        bool canDelete = false;
        bool isOwner = false; // the role owns the table or is a member of its owner (may DROP it)
        // Sentences for a banner: why the table cannot be read or is read-only. Empty when the
        // role may read and write.
        QStringList reasons;

        bool canWrite() const { return canInsert && canUpdate && canDelete; }
        bool isReadOnly() const { return known && canSelect && !canWrite(); }
    };

    explicit DatabaseSession(QObject* parent = nullptr);
    ~DatabaseSession() override;

    // Connects in the calling thread and disconnects again: the dialog's Test button runs it
    // on a worker thread, `pgdesk check` on the main one. Never touches a shared connection.
    static ProbeResult probe(const ConnectionSettings& settings);

    bool open(const ConnectionSettings& settings);
    void close();
    // True from a successful open() until close(), also while the link is lost: see isLost().
    bool isOpen() const;

    // One round trip (SELECT 1) on the session's connection. Returns false and emits
    // connectionLost() (once per loss) when the link is gone. Does not send anything while a
    // statement is still being read in single-row mode (that would discard its rows); the link
    // counts as alive then. A statement error on a live link (an aborted transaction) is alive.
    // Bounded by the connect options: a silent network is given up after about 15 s.
    bool ping();
    // Reads what the server already sent on the session's connection, without sending anything
    // and without waiting (libpq's socket is non-blocking), and counts the session lost when that
    // was the end of the connection: a terminated backend, or a pooler that closed the client
    // link. Returns false when the session is lost. Reads nothing while the session LISTENs:
    // QPSQL hears notifications through a socket notifier, and a socket drained here would leave
    // them unread in libpq until the next packet. Nor while a statement is still being read.
    bool checkWithoutWaiting();
    // From now on the session tells watchdog which socket to watch: each time its connection opens,
    // and none once it is lost or closed. nullptr stops that. See SocketWatchdog.
    void setSocketWatchdog(SocketWatchdog* watchdog);
    // libpq's process ID of the server backend that serves the session, or 0 when closed. Behind
    // a pooler it is the pooler's own number (see serverInfo().behindPooler).
    qint64 backendPid() const;
    // True after ping() or reconnect() found the link gone, until a reconnect() succeeds.
    bool isLost() const { return m_lost; }
    // Someone who watches the link from elsewhere (ConnectionWatcher's liveness probe, on a
    // connection of its own) found it dead: the session counts as lost, without a statement of
    // its own waiting on the dead path to find out.
    void reportLost(const ConnectionError& why);
    // Reopens the same connection with the same settings, re-reads serverInfo() and re-subscribes
    // notifications (see the class comment for what callers must redo). On success emits
    // reconnected(); on failure lastError() says why and isLost() is true. Blocks for up to
    // connect_timeout (10 s) when the host does not answer; ConnectionWatcher probes on a worker
    // thread first so the GUI thread only reopens a server that just answered.
    bool reconnect();

    // Moves the session and its connection's driver to another thread: QSqlDatabase::database()
    // checks the driver's thread. Qt 6.8 and later do it with QSqlDatabase::moveToThread(); older
    // Qt (Debian 12's 6.4) lacks that, so the driver is moved by hand there. Only the branch for
    // the Qt being built is compiled. Call it from the thread the session lives in, with no query
    // of the connection alive there. SessionOpener uses it to hand a session connected in a network
    // job back to the asking thread.
    void moveToThreadWithConnection(QThread* thread);

    QSqlDatabase database() const;
    // libpq's connection under QPSQL (QSqlDriver::handle()), for what Qt does not offer: COPY,
    // the cancel request, asking whether a statement is still being read. nullptr when closed.
    pg_conn* nativeConnection() const;
    // The same for any QPSQL connection (nullptr for another driver or none).
    static pg_conn* nativeConnectionOf(const QSqlDatabase& database);
    const ConnectionSettings& settings() const { return m_settings; }
    const ServerInfo& serverInfo() const { return m_serverInfo; }
    const ConnectionError& lastError() const { return m_lastError; }
    TableName tableName() const { return m_tableName; }

    // Creates the table with the tutorial's DDL when it does not exist yet. Returns false and
    // sets lastError() when it is missing and cannot be created.
    bool ensureTable(bool* created = nullptr);
    // False for a missing table, and for a lookup that failed: then lastError() says why (and
    // error, when given, holds the server's or libpq's words).
    bool tableExists(QString* error = nullptr);

    // What the role may do with tableName(); see TablePrivileges. The window opens read-only
    // with reasons.join(' ') when isReadOnly(), and shows the reasons when !canSelect.
    TablePrivileges tablePrivileges();
    // Why the table does not have the shape pgdesk edits (a primary key of types it names rows by;
    // its other columns may be anything), as sentences; empty when it has. The window opens
    // read-only with these reasons.
    QStringList tableShapeProblems();

    // The tutorial's CREATE TABLE, for this session's table name.
    static QString createTableStatement(const TableName& table);

signals:
    void opened();
    void closed();
    // The link to the server is gone (found by ping() or a failed reconnect()). Emitted once per
    // loss; queries fail until reconnected().
    void connectionLost();
    // reconnect() succeeded: the connection is open again (see the class comment).
    void reconnected();

private:
    static QString nextConnectionName();
    static QString connectOptions(const ConnectionSettings& settings);
    static bool openDatabase(QSqlDatabase& database, const ConnectionSettings& settings, ConnectionError* error);
    void watchSocket();
    static bool readServerInfo(const QSqlDatabase& database, ServerInfo* info, QSqlError* error = nullptr);
    void markLost();

    ConnectionSettings m_settings;
    ServerInfo m_serverInfo;
    SocketWatchdog* m_watchdog = nullptr;
    ConnectionError m_lastError;
    TableName m_tableName;
    QString m_connectionName;
    bool m_lost = false;
    QStringList m_channels; // LISTEN channels to restore after a reconnect
    bool m_channelsSaved = false;
};
