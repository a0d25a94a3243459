#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTextStream>

using namespace Qt::StringLiterals;

bool TestServer::load(QString* error)
{
    const QString path = qEnvironmentVariable("PGDESK_TEST_SERVER_ENV");
    if (path.isEmpty()) {
        *error = u"PGDESK_TEST_SERVER_ENV is not set: run the suites through ctest, whose fixture starts the "
                 "PostgreSQL test servers (tests/support/pg-cluster.sh)."_s;
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = u"Cannot read %1 (%2): the PostgreSQL test server did not start."_s.arg(path, file.errorString());
        return false;
    }
    QTextStream stream(&file);
    while (!stream.atEnd()) {
        const QString line = stream.readLine();
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0)
            m_values.insert(line.left(equals), line.mid(equals + 1));
    }
    QSqlDatabase probe = openConnection(u"pgdesk-test-probe"_s, u"postgres"_s);
    const bool reachable = probe.isOpen();
    if (!reachable)
        *error = u"The PostgreSQL test server is not reachable: "_s + probe.lastError().text();
    probe = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"pgdesk-test-probe"_s);
    return reachable;
}

ConnectionSettings TestServer::settings(const QString& database) const
{
    using Field = ConnectionSettings::Field;
    using Source = ConnectionSettings::Source;
    const QString origin = qEnvironmentVariable("PGDESK_TEST_SERVER_ENV");
    ConnectionSettings settings;
    settings.set(Field::Host, host(), Source::EnvFile, origin);
    settings.set(Field::Port, QString::number(port()), Source::EnvFile, origin);
    settings.set(Field::User, user(), Source::EnvFile, origin);
    settings.set(Field::Password, password(), Source::EnvFile, origin);
    settings.set(Field::Database, database, Source::EnvFile, origin);
    return settings;
}

QSqlDatabase TestServer::openConnection(const QString& connectionName, const QString& database) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(host());
    db.setPort(port());
    db.setUserName(user());
    db.setPassword(password());
    db.setDatabaseName(database);
    db.setConnectOptions(u"sslmode=require;connect_timeout=5"_s);
    // Qt 6.8's QPSQL sets the session to UTC at connect; a checking client must see times in the
    // zone psql and pgdesk see (DatabaseSession undoes it the same way), or a check such as
    // "date > now() - interval '1 hour'" on a TIMESTAMP column fails east of UTC. A no-op on 6.4.
    if (db.open())
        QSqlQuery(db).exec(u"RESET TimeZone"_s);
    return db;
}

bool TestServer::recreateDatabase(const QString& database, QString* error)
{
    bool ok = false;
    psql(u"postgres"_s, u"DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)"_s.arg(database), &ok);
    if (ok)
        psql(u"postgres"_s, u"CREATE DATABASE \"%1\""_s.arg(database), &ok);
    if (!ok && error)
        *error = u"could not create the test database "_s + database;
    return ok;
}

void TestServer::startPsql(QProcess& process, const QString& database, const QString& sql,
                           const QByteArray& timeZone) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PGPASSWORD"_s, password());
    environment.insert(u"PGSSLMODE"_s, u"require"_s);
    if (!timeZone.isEmpty())
        environment.insert(u"PGTZ"_s, QString::fromLatin1(timeZone));
    process.setProcessEnvironment(environment);
    process.start(u"psql"_s,
                  { u"-X"_s, u"-At"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-h"_s, host(), u"-p"_s, QString::number(port()),
                    u"-U"_s, user(), u"-d"_s, database, u"-c"_s, sql });
}

QString TestServer::psql(const QString& database, const QString& sql, bool* ok, const QByteArray& timeZone) const
{
    QProcess process;
    startPsql(process, database, sql, timeZone);
    const bool finished = process.waitForFinished(60000);
    const bool succeeded = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (ok)
        *ok = succeeded;
    if (!succeeded)
        qWarning("psql failed: %s", process.readAllStandardError().constData());
    QString output = QString::fromUtf8(process.readAllStandardOutput());
    if (output.endsWith(u'\n'))
        output.chop(1);
    return output;
}

QString TestServer::checkedPsql(const QString& database, const QString& sql) const
{
    bool ok = false;
    const QString output = psql(database, sql, &ok);
    if (!ok)
        QTest::qFail(qPrintable(u"psql failed: "_s + sql), __FILE__, __LINE__);
    return output;
}

QString TestServer::writeEnvFile(const QString& dir, const QString& database, const QString& table) const
{
    const QString path = QDir(dir).filePath(u".env"_s);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        QTextStream out(&file);
        out << "PG_HOST=" << host() << "\nPG_PORT=" << port() << "\nPG_USER=" << user()
            << "\nPG_PASSWORD=" << password() << "\nPG_DATABASE=" << database << '\n';
        if (!table.isEmpty())
            out << "PG_TABLE=" << table << '\n';
    }
    return path;
}
