#include "DatabaseSession.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

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
    if (!settings.sslRootCert().isEmpty())
        options << u"sslrootcert="_s + conninfoValue(settings.sslRootCert());
    options << u"connect_timeout="_s + QString::number(connectTimeoutSeconds);
    options << u"application_name=pgdesk"_s;
    // Timestamps are read as text (see TableModel); pin the text format they come in.
    options << u"options='-c DateStyle=ISO,YMD'"_s;
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
    database.setPort(settings.port());
    database.setUserName(settings.user());
    database.setPassword(settings.password());
    database.setDatabaseName(settings.database());
    database.setConnectOptions(connectOptions(settings));
    if (!database.open()) {
        *error = ConnectionError::fromSqlError(database.lastError(), settings);
        return false;
    }
    *error = ConnectionError();
    return true;
}

ServerInfo DatabaseSession::readServerInfo(const QSqlDatabase& database)
{
    ServerInfo info;
    QSqlQuery query(database);
    query.setForwardOnly(true);
    const QString statement = u"SELECT current_setting('server_version'), current_setting('TimeZone'), "
                              "current_user, current_database(), "
                              "COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false), "
                              "COALESCE((SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()), '')"_s;
    if (query.exec(statement) && query.next()) {
        info.serverVersion = query.value(0).toString();
        info.timeZone = query.value(1).toString();
        info.user = query.value(2).toString();
        info.database = query.value(3).toString();
        info.sslInUse = query.value(4).toBool();
        info.sslProtocol = query.value(5).toString();
    }
    return info;
}

DatabaseSession::ProbeResult DatabaseSession::probe(const ConnectionSettings& settings)
{
    ProbeResult result;
    const QString name = nextConnectionName();
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        if (openDatabase(database, settings, &result.error))
            result.server = readServerInfo(database);
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
    m_serverInfo = readServerInfo(database);
    emit opened();
    return true;
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
    m_serverInfo = ServerInfo();
    emit closed();
}

bool DatabaseSession::isOpen() const
{
    return !m_connectionName.isEmpty() && database().isOpen();
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
    query.prepare(u"SELECT to_regclass(?) IS NOT NULL"_s);
    query.addBindValue(m_tableName.sql());
    if (!query.exec() || !query.next()) {
        if (error)
            *error = query.lastError().text();
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
    QSqlQuery query(database());
    if (!query.exec(createTableStatement(m_tableName))) {
        m_lastError = ConnectionError(
            ConnectionError::Kind::Other,
            QObject::tr("The table %1 does not exist and could not be created.").arg(m_tableName.display()),
            QObject::tr("Ask the database owner to create it, or choose another PG_TABLE."), query.lastError().text());
        return false;
    }
    if (created)
        *created = true;
    return true;
}
