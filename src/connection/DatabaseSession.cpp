// DatabaseSession.cpp is just past 600 lines: opening a session (TLS, trust store, the socket
// watchdog), the checks at bind (server, privileges, the table's shape and key) and the handover
// between threads all act on the one connection this class owns. The table-shape check is the
// part to move out next (into table/, beside TableColumns) if it grows again.
#include "connection/DatabaseSession.h"

#include "config/TrustStore.h"
#include "connection/CertificateNames.h"
#include "connection/SocketWatchdog.h"
#include "connection/SqlLiteral.h"

#include <QAtomicInteger>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>
#include <QVariant>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int connectTimeoutSeconds = 10;

// libpq conninfo values are single-quoted with \ and ' escaped. QPSQL joins the option string
// with ';' turned into ' ', so a ';' cannot be passed inside a value at all.
QString conninfoValue(const QString& value)
{
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
    return u'\'' + escaped + u'\'';
}

// QPSQL hands out its PGconn through QSqlDriver::handle().
PGconn* connectionHandle(const QSqlDatabase& database)
{
    if (!database.isValid() || !database.driver())
        return nullptr;
    const QVariant handle = database.driver()->handle();
    // Qt registers the type under libpq's struct name, "pg_conn*" (PGconn is a typedef of it).
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn* const*>(handle.constData());
}

void restoreDefaultTimeZone(QSqlDatabase& database)
{
    // Qt 6.8's QPSQL sets the session's TimeZone to UTC when it connects (6.4's leaves it alone).
    // pgdesk's session should be in the zone every other client of the server gets (psql, the
    // tutorial's psycopg2): a TIMESTAMP column's DEFAULT current_timestamp and the text of
    // timestamptz values depend on it; Qt's own QDateTime reading and writing do not (they carry
    // the offset), and pgdesk reads and writes timestamps as text (DateTimeText) anyway.
    // RESET gives back the value the session started with: the server's, database's or role's
    // setting, or the zone the user asked for at connect (PGTZ, PGOPTIONS, options=-c TimeZone=).
    // It is sent whatever Qt's version, so nothing hangs on knowing which Qt sets what; where
    // nothing was set it changes nothing. It only undoes Qt's SET, so the class comment's "no
    // session SET" holds. Behind PgBouncer too: TimeZone is one of the parameters it tracks per
    // client and sets on whichever server connection it hands out.
    QSqlQuery query(database);
    query.setForwardOnly(true);
    // Not fatal: a link that broke here fails the statements that follow, with their reasons, and
    // ServerInfo reports the zone the session really has.
    if (!query.exec(u"RESET TimeZone"_s))
        qWarning("pgdesk: could not restore the server's time zone: %s", qPrintable(query.lastError().text()));
}
} // namespace

DatabaseSession::DatabaseSession(QObject* parent)
    : QObject(parent)
{
}

DatabaseSession::~DatabaseSession()
{
    close();
}

QString DatabaseSession::nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"pgdesk-"_s + QString::number(++counter);
}

QString DatabaseSession::connectOptions(const ConnectionSettings& settings)
{
    QStringList options;
    options << u"sslmode="_s + settings.sslMode();
    const QString rootCert = TrustStore::rootCertificateFor(settings, QProcessEnvironment::systemEnvironment());
    if (!rootCert.isEmpty())
        options << u"sslrootcert="_s + conninfoValue(rootCert);
    // Client certificates, a service, several ports and a URI's other keywords (see
    // ConnectionSettings); the extra keywords come last, as libpq lets a later keyword win.
    if (!settings.sslCert().isEmpty())
        options << u"sslcert="_s + conninfoValue(settings.sslCert());
    if (!settings.sslKey().isEmpty())
        options << u"sslkey="_s + conninfoValue(settings.sslKey());
    if (!settings.service().isEmpty())
        options << u"service="_s + conninfoValue(settings.service());
    if (settings.hasPortList())
        options << u"port="_s + conninfoValue(settings.text(ConnectionSettings::Field::Port));
    options << u"connect_timeout="_s + QString::number(connectTimeoutSeconds);
    options << u"application_name=pgdesk"_s;
    // Without these a link that goes silent (a dropped VPN, a cable) keeps a statement, and
    // ping(), waiting for TCP's own retransmission limit, which is many minutes: give up after
    // 15 s of unacknowledged data, and probe an idle link after 30 s. Ignored on local sockets.
    options << u"keepalives=1"_s << u"keepalives_idle=30"_s << u"keepalives_interval=10"_s << u"keepalives_count=3"_s
            << u"tcp_user_timeout=15000"_s;
    // Nothing else of pgdesk's own: a pooler refuses startup parameters it does not know (PgBouncer's default
    // answers `options` with "unsupported startup parameter"), and a transaction pooler would not
    // keep a session setting anyway. Timestamps are read in a form DateStyle does not change
    // (DateTimeText). What the user's URI names passes through last, so it wins.
    for (const ConnectionUri::Parameter& parameter : settings.extra().parameters)
        options << parameter.keyword + u'=' + conninfoValue(parameter.value);
    return options.join(u';');
}

bool DatabaseSession::openDatabase(QSqlDatabase& database, const ConnectionSettings& settings, ConnectionError* error)
{
    const QStringList problems = settings.problems();
    if (!problems.isEmpty()) {
        *error = ConnectionError(ConnectionError::Kind::InvalidSettings, problems.join(u'\n'));
        return false;
    }
    if (settings.sslRootCert().contains(u';')) {
        *error = ConnectionError(ConnectionError::Kind::InvalidSettings,
                                 QObject::tr("The root certificate path may not contain ';'."));
        return false;
    }
    if (!database.isValid()) {
        *error = ConnectionError::driverMissing();
        return false;
    }
    database.setHostName(settings.host());
    database.setPort(settings.hasPortList() ? -1 : settings.port()); // a list goes in the options
    database.setUserName(settings.user());
    database.setPassword(settings.password());
    database.setDatabaseName(settings.database());
    database.setConnectOptions(connectOptions(settings));
    if (!database.open()) {
        *error = ConnectionError::fromSqlError(database.lastError(), settings);
        // libpq names only the certificate's first name: ask the server for the others.
        if (const auto server = ConnectionError::mismatchedServer(database.lastError().text())) {
            const QStringList names = CertificateNames::read(server->address, server->port, server->hostName);
            if (!names.isEmpty())
                *error = ConnectionError::fromSqlError(database.lastError(), settings, names);
        }
        return false;
    }
    restoreDefaultTimeZone(database);
    *error = ConnectionError();
    return true;
}

bool DatabaseSession::readServerInfo(const QSqlDatabase& database, ServerInfo* info, QSqlError* error)
{
    QSqlQuery query(database);
    query.setForwardOnly(true);
    const QString statement = u"SELECT current_setting('server_version'), current_setting('TimeZone'), "
                              "current_user, current_database(), "
                              "COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false), "
                              "COALESCE((SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()), ''), "
                              "pg_backend_pid(), pg_is_in_recovery(), "
                              "current_setting('default_transaction_read_only')::boolean"_s;
    if (!query.exec(statement) || !query.next()) {
        if (error)
            *error = query.lastError();
        return false;
    }
    info->serverVersion = query.value(0).toString();
    info->timeZone = query.value(1).toString();
    info->user = query.value(2).toString();
    info->database = query.value(3).toString();
    info->sslInUse = query.value(4).toBool();
    info->sslProtocol = query.value(5).toString();
    // libpq's backend PID is the one in the BackendKeyData the server sent at connect. A pooler
    // sends its own (PgBouncer a random one, for its own cancel handling), so the server process
    // answering is not the one libpq was told about. On a direct connection they are always equal.
    // One round trip, no pooler-specific command (SHOW pool_mode is passed on to the server and
    // fails there), and no timing; see docs/ARCHITECTURE.md "Poolers".
    PGconn* connection = connectionHandle(database);
    info->behindPooler = connection && PQbackendPID(connection) != query.value(6).toInt();
    // pg_stat_ssl describes the server's end of its connection: behind a pooler, the pooler's link
    // to the server, not pgdesk's to the pooler. libpq knows pgdesk's own link.
    if (connection) {
        info->sslInUse = PQsslInUse(connection) != 0;
        const char* protocol = info->sslInUse ? PQsslAttribute(connection, "protocol") : nullptr;
        info->sslProtocol = protocol ? QString::fromLatin1(protocol) : QString();
    }
    info->inRecovery = query.value(7).toBool();
    info->readOnlyByDefault = query.value(8).toBool();
    return true;
}

DatabaseSession::ProbeResult DatabaseSession::probe(const ConnectionSettings& settings)
{
    ProbeResult result;
    const QString name = nextConnectionName();
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        QSqlError infoError;
        if (openDatabase(database, settings, &result.error) && !readServerInfo(database, &result.server, &infoError))
            result.error = ConnectionError::fromStatementError(infoError, QObject::tr("reading the server's version"));
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

bool DatabaseSession::open(const ConnectionSettings& settings)
{
    close();
    m_settings = settings;
    QString tableError;
    m_tableName = TableName::parse(settings.table(), &tableError);
    if (!m_tableName.isValid()) {
        m_lastError = ConnectionError(
            ConnectionError::Kind::InvalidSettings,
            QObject::tr("PG_TABLE \"%1\" is not a table name: %2.").arg(settings.table(), tableError));
        return false;
    }
    m_connectionName = nextConnectionName();
    QSqlDatabase database = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    if (!openDatabase(database, settings, &m_lastError)) {
        database = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        m_connectionName.clear();
        return false;
    }
    watchSocket();
    // A role whose statement_timeout is tiny, or a server that drops the link at once, fails here;
    // a session without ServerInfo would show an empty version and zone, so it is not opened.
    QSqlError infoError;
    if (!readServerInfo(database, &m_serverInfo, &infoError)) {
        m_lastError = ConnectionError::fromStatementError(infoError, QObject::tr("reading the server's version"));
        database.close();
        database = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        m_connectionName.clear();
        m_serverInfo = ServerInfo();
        return false;
    }
    m_lost = false;
    m_channels.clear();
    m_channelsSaved = false;
    emit opened();
    return true;
}

PGconn* DatabaseSession::nativeConnection() const
{
    return m_connectionName.isEmpty() ? nullptr : connectionHandle(database());
}

PGconn* DatabaseSession::nativeConnectionOf(const QSqlDatabase& database)
{
    return connectionHandle(database);
}

void DatabaseSession::moveToThreadWithConnection(QThread* thread)
{
    if (!m_connectionName.isEmpty()) {
        QSqlDatabase connection = QSqlDatabase::database(m_connectionName, false);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        // Refuses while a QSqlQuery is bound to the connection, which callers must rule out.
        if (connection.isValid() && !connection.moveToThread(thread))
            qWarning("pgdesk: the connection stayed on its thread: a query of it is still alive");
#else
        if (QSqlDriver* driver = connection.driver())
            driver->moveToThread(thread);
#endif
    }
    moveToThread(thread);
}

void DatabaseSession::close()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
        database.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
    if (m_watchdog)
        m_watchdog->watch(-1);
    m_serverInfo = ServerInfo();
    m_lost = false;
    m_channels.clear();
    m_channelsSaved = false;
    emit closed();
}

void DatabaseSession::setSocketWatchdog(SocketWatchdog* watchdog)
{
    if (m_watchdog && m_watchdog != watchdog)
        m_watchdog->watch(-1);
    m_watchdog = watchdog;
    if (!m_lost)
        watchSocket();
}

void DatabaseSession::watchSocket()
{
    if (!m_watchdog)
        return;
    PGconn* connection = m_connectionName.isEmpty() ? nullptr : connectionHandle(database());
    m_watchdog->watch(connection && PQstatus(connection) == CONNECTION_OK ? PQsocket(connection) : -1);
}

void DatabaseSession::markLost()
{
    if (m_watchdog)
        m_watchdog->watch(-1);
    if (m_lost)
        return;
    m_lost = true;
    emit connectionLost();
}

void DatabaseSession::reportLost(const ConnectionError& why)
{
    if (m_connectionName.isEmpty() || m_lost)
        return;
    m_lastError = why;
    markLost();
}

bool DatabaseSession::ping()
{
    if (m_connectionName.isEmpty() || m_lost)
        return false;
    QSqlDatabase db = database();
    PGconn* connection = connectionHandle(db);
    if (!db.isOpen() || !connection || PQstatus(connection) != CONNECTION_OK) {
        m_lastError = ConnectionError::connectionLost(m_settings);
        markLost();
        return false;
    }
    // A forward-only query in single-row mode is still being read: another statement would
    // discard its rows, and the link is evidently in use.
    if (PQtransactionStatus(connection) == PQTRANS_ACTIVE)
        return true;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (query.exec(u"SELECT 1"_s))
        return true;
    // libpq marks the connection bad once it read the socket's end; a terminated or shut-down
    // backend's FATAL message (57P01...) arrives before that, with the status still OK. Any other
    // failure (an aborted transaction refuses even SELECT 1) comes from a server that answered.
    const ConnectionError failure
        = ConnectionError::fromStatementError(query.lastError(), QObject::tr("checking the connection"));
    if (PQstatus(connection) == CONNECTION_OK && failure.kind() != ConnectionError::Kind::ConnectionLost)
        return true;
    m_lastError = ConnectionError::connectionLost(m_settings, query.lastError().databaseText());
    markLost();
    return false;
}

bool DatabaseSession::checkWithoutWaiting()
{
    if (m_connectionName.isEmpty() || m_lost)
        return false;
    QSqlDatabase db = database();
    PGconn* connection = connectionHandle(db);
    if (!db.isOpen() || !connection) {
        m_lastError = ConnectionError::connectionLost(m_settings);
        markLost();
        return false;
    }
    const bool listening = db.driver() && !db.driver()->subscribedToNotifications().isEmpty();
    if (!listening && PQtransactionStatus(connection) != PQTRANS_ACTIVE) {
        // A terminated backend sends its FATAL message and then closes: the first read may take
        // only the message, the second finds the end (and libpq marks the connection bad).
        for (int read = 0; read < 2 && PQstatus(connection) == CONNECTION_OK; ++read)
            PQconsumeInput(connection);
    }
    if (PQstatus(connection) == CONNECTION_OK)
        return true;
    m_lastError = ConnectionError::connectionLost(m_settings, QString::fromLocal8Bit(PQerrorMessage(connection)));
    markLost();
    return false;
}

qint64 DatabaseSession::backendPid() const
{
    if (m_connectionName.isEmpty())
        return 0;
    PGconn* connection = connectionHandle(database());
    return connection && PQstatus(connection) == CONNECTION_OK ? PQbackendPID(connection) : 0;
}

bool DatabaseSession::reconnect()
{
    if (m_connectionName.isEmpty()) {
        m_lastError = ConnectionError(ConnectionError::Kind::InvalidSettings,
                                      QObject::tr("There is no connection to reopen: connect first."));
        return false;
    }
    QSqlDatabase db = database();
    // QPSQL forgets its LISTEN channels on close(); remember them once per loss (after a failed
    // attempt the driver has none left to tell).
    if (!m_channelsSaved && db.driver()) {
        m_channels = db.driver()->subscribedToNotifications();
        m_channelsSaved = true;
    }
    db.close();
    ConnectionError error;
    if (!openDatabase(db, m_settings, &error)) {
        m_lastError = error; // why this attempt failed: no server, wrong password...
        markLost();
        return false;
    }
    watchSocket(); // reading the server's version and LISTEN below run on the caller's thread
    ServerInfo info;
    QSqlError infoError;
    if (!readServerInfo(db, &info, &infoError)) {
        m_lastError = ConnectionError::fromStatementError(infoError, QObject::tr("reading the server's version"));
        db.close();
        markLost();
        return false;
    }
    m_serverInfo = info;
    for (const QString& channel : std::as_const(m_channels))
        db.driver()->subscribeToNotification(channel);
    m_channels.clear();
    m_channelsSaved = false;
    m_lost = false;
    m_lastError = ConnectionError();
    emit reconnected();
    return true;
}

bool DatabaseSession::isOpen() const
{
    // Not QSqlDatabase::isOpen(): QPSQL turns that false after a statement fails on a dropped
    // link, and a lost session is still this session, to be reconnected.
    return !m_connectionName.isEmpty();
}

QSqlDatabase DatabaseSession::database() const
{
    if (m_connectionName.isEmpty())
        return {};
    return QSqlDatabase::database(m_connectionName, false);
}

QString DatabaseSession::createTableStatement(const TableName& table)
{
    // Exactly the tutorial's table, so pgdesk and the tutorial's scripts share it.
    return u"CREATE TABLE IF NOT EXISTS "_s + table.sql()
        + u"(\n  id BIGSERIAL PRIMARY KEY NOT NULL ,\n  name varchar,\n"
          "  date TIMESTAMP NOT NULL DEFAULT current_timestamp\n)"_s;
}

bool DatabaseSession::tableExists(QString* error)
{
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (!SqlLiteral::exec(query, u"SELECT to_regclass(?) IS NOT NULL"_s, { m_tableName.sql() }) || !query.next()) {
        // Not "missing": lastError() tells a lookup that failed from a table that is not there.
        m_lastError = ConnectionError::fromStatementError(
            query.lastError(), QObject::tr("looking up the table %1").arg(m_tableName.display()));
        if (error)
            *error = ConnectionError::reasonOf(query.lastError());
        return false;
    }
    return query.value(0).toBool();
}

bool DatabaseSession::ensureTable(bool* created)
{
    if (created)
        *created = false;
    QString lookupError;
    if (tableExists(&lookupError))
        return true;
    if (!lookupError.isEmpty()) {
        m_lastError = ConnectionError(ConnectionError::Kind::Other,
                                      QObject::tr("Could not look up the table %1.").arg(m_tableName.display()), {},
                                      lookupError);
        return false;
    }
    if (const QString reason = m_serverInfo.readOnlyReason(); !reason.isEmpty()) {
        m_lastError = ConnectionError(
            ConnectionError::Kind::Other,
            QObject::tr("The table %1 does not exist and cannot be created here.").arg(m_tableName.display()), reason);
        return false;
    }
    QSqlQuery query(database());
    if (!query.exec(createTableStatement(m_tableName))) {
        m_lastError = ConnectionError(
            ConnectionError::Kind::Other,
            QObject::tr("The table %1 does not exist and could not be created.").arg(m_tableName.display()),
            QObject::tr("Ask the database owner to create it, or choose another PG_TABLE."),
            ConnectionError::reasonOf(query.lastError()));
        return false;
    }
    if (created)
        *created = true;
    return true;
}

DatabaseSession::TablePrivileges DatabaseSession::tablePrivileges()
{
    TablePrivileges privileges;
    const QString table = m_tableName.display();
    const QString role = m_serverInfo.user.isEmpty() ? m_settings.user() : m_serverInfo.user;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    // A serial id's DEFAULT calls nextval(), so INSERT also needs USAGE on the sequence that the
    // column owns (deptype 'a'); identity columns need none.
    const QString statement = u"SELECT has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'), "
                              "has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'), "
                              "pg_has_role(c.relowner, 'USAGE'), "
                              "COALESCE((SELECT bool_and(has_sequence_privilege(d.objid, 'USAGE')) FROM pg_depend d "
                              "  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                              "  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
                              "  AND d.refobjid = c.oid AND d.deptype = 'a'), true) "
                              "FROM pg_class c WHERE c.oid = to_regclass(?)"_s;
    if (!SqlLiteral::exec(query, statement, { m_tableName.sql() })) {
        privileges.reasons << QObject::tr("The privileges on %1 could not be read: %2")
                                  .arg(table, query.lastError().databaseText().trimmed());
        return privileges;
    }
    if (!query.next()) {
        privileges.reasons << QObject::tr("The table %1 does not exist.").arg(table);
        return privileges;
    }
    privileges.known = true;
    privileges.canSelect = query.value(0).toBool();
    const bool sequenceUsage = query.value(5).toBool();
    privileges.canInsert = query.value(1).toBool() && sequenceUsage;
    privileges.canUpdate = query.value(2).toBool();
    privileges.canDelete = query.value(3).toBool();
    privileges.isOwner = query.value(4).toBool();

    if (!privileges.canSelect) {
        privileges.reasons << QObject::tr(
                                  "The role \"%1\" may not read the table %2 (it has no SELECT privilege on it).")
                                  .arg(role, table);
        return privileges;
    }
    QStringList missing;
    if (!query.value(1).toBool())
        missing << u"INSERT"_s;
    if (!privileges.canUpdate)
        missing << u"UPDATE"_s;
    if (!privileges.canDelete)
        missing << u"DELETE"_s;
    if (!missing.isEmpty()) {
        const QString lacks = missing.size() == 1
            ? QObject::tr("The role \"%1\" may only read the table %2: it lacks the %3 privilege.")
            : QObject::tr("The role \"%1\" may only read the table %2: it lacks the %3 privileges.");
        privileges.reasons << lacks.arg(role, table, missing.join(u", "_s));
    }
    if (query.value(1).toBool() && !sequenceUsage) {
        privileges.reasons << QObject::tr("The role \"%1\" may not add rows to %2: it lacks USAGE on the sequence "
                                          "that numbers its rows.")
                                  .arg(role, table);
    }
    return privileges;
}

QStringList DatabaseSession::tableShapeProblems()
{
    QStringList problems;
    const QString table = m_tableName.display();
    // Any columns will do: the search box filters on a text column when there is one, and every
    // column is shown and edited. What pgdesk cannot do without is a key that tells rows apart.
    QSqlQuery exists(database());
    exists.setForwardOnly(true);
    if (!SqlLiteral::exec(exists, u"SELECT to_regclass(?) IS NOT NULL"_s, { m_tableName.sql() }) || !exists.next()) {
        problems << QObject::tr("The columns of %1 could not be read: %2")
                        .arg(table, exists.lastError().databaseText().trimmed());
        return problems;
    }
    if (!exists.value(0).toBool()) {
        problems << QObject::tr("The table %1 does not exist.").arg(table);
        return problems;
    }

    QSqlQuery key(database());
    key.setForwardOnly(true);
    // A row is named by its key's text (RowKey): only types whose text reaches pgdesk exactly and
    // the server reads back as the same value. Times and dates qualify because they are read as the
    // server's text (TableColumns::exactReadSql(), KeyColumns::readSql(): ISO whatever the
    // DateStyle), as are the other built-ins listed, whose text is ASCII; not a domain over a date
    // or timestamp (pg_typeof() names the domain, so isoSql() and QPSQL read it as plain text, in
    // the session's DateStyle; a time's text does not depend on it). Not a float (a value and
    // its text need not meet), bytea (read as bytes) or an interval (its text depends on
    // IntervalStyle, and a sql_standard one reads back as another value under another style).
    // text, varchar, char(n), citext and enums only in a UTF8 database, where the U+FEFF guard
    // applies (in SQL_ASCII QPSQL's UTF-8 decoding would merge different keys), and not an
    // extension's other text-like types, whose text need not read back as the same value. citext
    // compares without case and char(n) without trailing spaces, but a key of either is unique
    // that way too, so a key's text still matches one row; an enum's keyset follows its labels'
    // order, as its index does. Not citext from a schema off the search path: a quoted literal then
    // finds no citext operator, compares as text, and pages skip and repeat rows. Not a domain over
    // an enum: it has no '=' or '<' with a quoted literal, nor with itself. Those other keys open
    // read-only. Every column of a composite key is held to the same rule; the first that fails it
    // is named.
    const QString keyStatement
        = (u"SELECT i.indnkeyatts, a.attname, format_type(a.atttypid, a.atttypmod), "
           "COALESCE(NULLIF(t.typbasetype, 0), t.oid)::regtype::text IN ('smallint', 'integer', 'bigint', 'uuid', "
           "'numeric', 'boolean', 'time without time zone', 'time with time zone', 'inet', 'cidr', 'macaddr') "
           "OR t.oid::regtype::text IN ('date', 'timestamp without time zone', 'timestamp with time zone') "
           "OR ((b.oid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) "
           "OR (b.typname = 'citext' AND b.typcategory = 'S' AND pg_type_is_visible(b.oid)) "
           "OR t.typtype = 'e') AND getdatabaseencoding() = 'UTF8') AS usable "
           "FROM pg_index i "
           "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, place) "
           "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
           "LEFT JOIN pg_type t ON t.oid = a.atttypid "
           "LEFT JOIN pg_type b ON b.oid = COALESCE(NULLIF(t.typbasetype, 0), t.oid) "
           "WHERE i.indrelid = to_regclass(?) AND i.indisprimary AND k.place <= i.indnkeyatts "
           "ORDER BY usable, k.place"_s);
    if (!SqlLiteral::exec(key, keyStatement, { m_tableName.sql() })) {
        problems << QObject::tr("The primary key of %1 could not be read: %2")
                        .arg(table, key.lastError().databaseText().trimmed());
    } else if (!key.next()) {
        problems << QObject::tr("The table %1 has no primary key, so pgdesk cannot tell which row an edit belongs to.")
                        .arg(table);
    } else if (!key.value(3).toBool()) {
        problems << QObject::tr("The primary key column \"%1\" of %2 is %3; pgdesk edits rows by a key of type "
                                "integer, bigint, smallint, uuid, numeric, boolean, a date or time, inet, cidr, "
                                "macaddr or (in a UTF8 database) text, varchar, char, citext or an enum.")
                        .arg(key.value(1).toString(), table, key.value(2).toString());
    }
    return problems;
}
