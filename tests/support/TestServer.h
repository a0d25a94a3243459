#pragma once

#include "config/ConnectionSettings.h"

#include <QHash>
#include <QProcess>
#include <QSqlDatabase>
#include <QString>

// The PostgreSQL servers started by the ctest fixture (support/pg-cluster.sh). Suites call
// require() in initTestCase(): without a server the suite fails, it never skips.
class TestServer
{
public:
    // Reads the file named by PGDESK_TEST_SERVER_ENV; on failure returns false with the reason.
    bool load(QString* error);

    // Settings for the SSL server, as if they came from a .env file.
    ConnectionSettings settings(const QString& database = QStringLiteral("postgres")) const;
    QString host() const { return value(QStringLiteral("PG_HOST")); }
    int port() const { return value(QStringLiteral("PG_PORT")).toInt(); }
    int noSslPort() const { return value(QStringLiteral("PGDESK_TEST_NOSSL_PORT")).toInt(); }
    QString user() const { return value(QStringLiteral("PG_USER")); }
    QString password() const { return value(QStringLiteral("PG_PASSWORD")); }
    QString sslRootCert() const { return value(QStringLiteral("PGDESK_TEST_SSL_ROOT_CERT")); }
    QString value(const QString& key) const { return m_values.value(key); }

    // Drops and creates a database of that name, so each suite starts from nothing.
    bool recreateDatabase(const QString& database, QString* error);

    // Runs psql -At against the SSL server, the way a user checks what the database holds.
    // Returns stdout without the trailing newline; *ok is false when psql failed.
    QString psql(const QString& database, const QString& sql, bool* ok = nullptr,
                 const QByteArray& timeZone = {}) const;

    // Starts psql in the background, as another client holding a lock while a test goes on; the
    // caller waits for the process to finish.
    void startPsql(QProcess& process, const QString& database, const QString& sql,
                   const QByteArray& timeZone = {}) const;

    // psql() for a statement that must succeed: a failure fails the running test function (with
    // the statement in the message), so callers compare the output without checking *ok.
    QString checkedPsql(const QString& database, const QString& sql) const;

    // A separate connection for checks and for "another client" in tests.
    QSqlDatabase openConnection(const QString& connectionName, const QString& database) const;

    // Writes a .env for this server into dir and returns its path.
    QString writeEnvFile(const QString& dir, const QString& database, const QString& table = {}) const;

private:
    QHash<QString, QString> m_values;
};

// In initTestCase(): QVERIFY2 so a missing server fails the suite.
#define PGDESK_REQUIRE_SERVER(server)                                                                                  \
    do {                                                                                                               \
        QString whyNoServer;                                                                                           \
        QVERIFY2((server).load(&whyNoServer), qPrintable(whyNoServer));                                                \
    } while (false)
