#include "PrivateCluster.h"
#include "config/ConnectionSettings.h"
#include "connection/CertificateNames.h"
#include "connection/DatabaseSession.h"
#include "gui/ConnectionDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

// Connections as hosting platforms hand them out, against a real cluster of the suite's own
// (PrivateCluster), whose certificates tls-fixture.sh makes at start: a private CA, a server
// certificate for localhost and one for other names, a client certificate that pg_hba.conf
// requires of cert_user. ctest gives the suite a private HOME, so ~/.pgpass, ~/.pg_service.conf
// and ~/.postgresql are the suite's own.
class TestHostedConnections : public QObject
{
    Q_OBJECT

private:
    PrivateCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_certs;

    const TestServer& server() const { return m_cluster.server(); }
    QString socketDirectory() const { return QFileInfo(server().value(u"PGDESK_TEST_DATADIR"_s)).absolutePath(); }
    QString cert(const QString& name) const { return QDir(m_certs).filePath(name); }

    bool tlsFixture(const QStringList& arguments)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(PGDESK_TLS_FIXTURE),
                      QStringList{ arguments.first(), qEnvironmentVariable("PGDESK_TEST_SERVER_ENV"), m_certs }
                          + arguments.mid(1));
        const bool ok = process.waitForFinished(120000) && process.exitCode() == 0;
        if (!ok)
            qWarning("%s", process.readAll().constData());
        return ok;
    }

    // Settings as resolve() makes them from a process environment holding only these keys.
    static ConnectionSettings::Resolution fromEnvironment(const QList<std::pair<QString, QString>>& keys)
    {
        ConnectionSettings::Lookup lookup;
        for (const auto& [key, value] : keys)
            lookup.environment.insert(key, value);
        if (!qEnvironmentVariable("HOME").isEmpty())
            lookup.environment.insert(u"HOME"_s, qEnvironmentVariable("HOME"));
        return ConnectionSettings::resolve(lookup);
    }

    QString uri(const QString& address, const QString& query = {}) const
    {
        return u"postgresql://%1:%2@%3/postgres%4"_s.arg(
            QString::fromLatin1(QUrl::toPercentEncoding(server().user())),
            QString::fromLatin1(QUrl::toPercentEncoding(server().password())), address,
            query.isEmpty() ? QString() : u'?' + query);
    }

    // One row of a query on a session opened with these settings; fails the test when it cannot open.
    static QStringList ask(const ConnectionSettings& settings, const QString& sql)
    {
        DatabaseSession session;
        if (!session.open(settings)) {
            QTest::qFail(qPrintable(session.lastError().fullText()), __FILE__, __LINE__);
            return {};
        }
        QSqlQuery query(session.database());
        if (!query.exec(sql) || !query.next()) {
            QTest::qFail(qPrintable(u"query failed: "_s + query.lastError().text()), __FILE__, __LINE__);
            return {};
        }
        QStringList row;
        for (int i = 0; i < query.record().count(); ++i)
            row << (query.isNull(i) ? u"NULL"_s : query.value(i).toString());
        return row;
    }

    static QString probeError(const ConnectionSettings& settings)
    {
        const DatabaseSession::ProbeResult result = DatabaseSession::probe(settings);
        return result.ok() ? QString() : result.error.fullText();
    }

    template <typename T> static T* child(QWidget* dialog, const QString& name)
    {
        T* found = dialog->findChild<T*>(name);
        if (!found)
            qFatal("no child named %s", qPrintable(name));
        return found;
    }

    static QString runTest(ConnectionDialog& dialog)
    {
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        child<QPushButton>(&dialog, u"testButton"_s)->click();
        [&] { QVERIFY(finished.wait(20000)); }();
        return child<QLabel>(&dialog, u"messageLabel"_s)->text();
    }

    static void write(const QString& path, const QByteArray& content, QFile::Permissions permissions = {})
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
        file.close();
        if (permissions)
            QVERIFY(file.setPermissions(permissions));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("HOME").isEmpty() && qEnvironmentVariable("HOME") != QDir::rootPath()
                     && !qEnvironmentVariable("HOME").startsWith(u"/root"_s),
                 "run through ctest, which gives the suite a HOME of its own");
        QVERIFY(qEnvironmentVariable("PGPASSWORD").isEmpty());
        QString error;
        QVERIFY2(m_cluster.start(&error), qPrintable(error));
        m_certs = m_dir.filePath(u"certs"_s);
        QVERIFY(tlsFixture({ u"setup"_s }));
    }

    void cleanup()
    {
        qunsetenv("PGDESK_SYSTEM_CA_BUNDLE");
        QFile::remove(QDir::home().filePath(u".pgpass"_s));
        QFile::remove(QDir::home().filePath(u".pg_service.conf"_s));
    }

    void ipv6Loopback()
    {
        ConnectionSettings settings = server().settings();
        settings.set(Field::Host, u"::1"_s);
        QCOMPARE(ask(settings, u"SELECT inet_client_addr()::text, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"_s),
                 (QStringList{ u"::1/128"_s, u"true"_s }));
        // And in a URI, as a bracketed literal.
        const auto resolution = fromEnvironment({ { u"DATABASE_URL"_s, uri(u"[::1]:%1"_s.arg(server().port())) } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(ask(resolution.settings, u"SELECT inet_client_addr()::text"_s), QStringList{ u"::1/128"_s });
    }

    // A socket directory in PG_HOST (or percent-encoded as a URI's host). libpq never uses TLS on
    // a Unix socket, whatever sslmode says, so pgdesk's default "require" connects there too.
    void unixSocketDirectory()
    {
        ConnectionSettings settings = server().settings();
        settings.set(Field::Host, socketDirectory());
        QCOMPARE(settings.sslMode(), u"require"_s);
        QCOMPARE(ask(settings,
                     u"SELECT coalesce(inet_client_addr()::text, 'socket'), ssl FROM pg_stat_ssl "
                     "WHERE pid = pg_backend_pid()"_s),
                 (QStringList{ u"socket"_s, u"false"_s }));
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(socketDirectory()));
        const auto resolution = fromEnvironment(
            { { u"POSTGRES_URL"_s, uri(u"%1:%2"_s.arg(encoded, QString::number(server().port()))) } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.host(), socketDirectory());
        QCOMPARE(ask(resolution.settings, u"SELECT coalesce(inet_client_addr()::text, 'socket')"_s),
                 QStringList{ u"socket"_s });
    }

    // Several hosts: libpq tries them in turn. The first refuses (nothing listens on port 1).
    void severalHostsInAUri()
    {
        const auto resolution = fromEnvironment(
            { { u"PG_URL"_s, uri(u"127.0.0.1:1,localhost:%1"_s.arg(server().port()), u"connect_timeout=5"_s) } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.text(Field::Port), u"1,%1"_s.arg(server().port()));
        QCOMPARE(ask(resolution.settings, u"SELECT inet_server_port()::text"_s),
                 QStringList{ QString::number(server().port()) });
    }

    void percentEncodingAndQueryParameters()
    {
        const QString role = u"we@ird:us/er"_s;
        const QString password = u"p@ss:w/rd%?&#+ é"_s;
        server().checkedPsql(
            u"postgres"_s, u"DROP ROLE IF EXISTS \"%1\"; CREATE ROLE \"%1\" LOGIN PASSWORD '%2'"_s.arg(role, password));
        // One arg() call: the encoded parts hold "%3A" and the like, which a second call would replace.
        const QString text
            = u"postgres://%1:%2@localhost:%3/postgres?application_name=hosted%4test&sslmode=require"_s.arg(
                QString::fromLatin1(QUrl::toPercentEncoding(role)),
                QString::fromLatin1(QUrl::toPercentEncoding(password)), QString::number(server().port()), u"%20"_s);
        const auto resolution = fromEnvironment({ { u"DATABASE_URL"_s, text } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.password(), password);
        // The URI's application_name goes after pgdesk's own, and libpq keeps the last.
        QCOMPARE(ask(resolution.settings, u"SELECT current_user, current_setting('application_name')"_s),
                 (QStringList{ role, u"hosted test"_s }));
    }

    // verify-full with no root certificate checks against the system's trusted CAs. The test
    // stands in a bundle of its own (the system's plus the private CA) for the machine's store.
    void verifyFullWithTheSystemTrustStore()
    {
        ConnectionSettings settings = server().settings();
        settings.set(Field::Host, u"localhost"_s);
        settings.set(Field::SslMode, u"verify-full"_s);
        QVERIFY(settings.sslRootCert().isEmpty());
        QVERIFY(!QFile::exists(QDir::home().filePath(u".postgresql/root.crt"_s)));

        // The real store does not know the private CA: refused, and the message says against what.
        const QString refused = probeError(settings);
        QVERIFY2(refused.contains(u"trusted certificate authorities"_s), qPrintable(refused));

        QFile system(u"/etc/ssl/certs/ca-certificates.crt"_s);
        QVERIFY2(system.open(QIODevice::ReadOnly), "ca-certificates is not installed (script/setup installs it)");
        QFile ca(cert(u"ca.crt"_s));
        QVERIFY(ca.open(QIODevice::ReadOnly));
        const QString bundle = m_dir.filePath(u"bundle.crt"_s);
        write(bundle, system.readAll() + ca.readAll());
        qputenv("PGDESK_SYSTEM_CA_BUNDLE", bundle.toLocal8Bit());
        QCOMPARE(probeError(settings), QString());
        // By address too: the certificate names 127.0.0.1 and ::1.
        for (const QString& host : { u"127.0.0.1"_s, u"::1"_s }) {
            settings.set(Field::Host, host);
            QVERIFY2(probeError(settings).isEmpty(), qPrintable(host + u": "_s + probeError(settings)));
        }
    }

    void aNameMismatchNamesTheHostAndTheCertificate()
    {
        QVERIFY(tlsFixture({ u"use-cert"_s, u"other"_s }));
        auto restore = qScopeGuard([this] { QVERIFY(tlsFixture({ u"use-cert"_s, u"localhost"_s })); });
        ConnectionSettings settings = server().settings();
        settings.set(Field::Host, u"localhost"_s);
        settings.set(Field::SslMode, u"verify-full"_s);
        settings.set(Field::SslRootCert, cert(u"ca.crt"_s));
        // Every name of the certificate, read by pgdesk's own handshake (libpq names only the first).
        const QString text = probeError(settings);
        QVERIFY2(text.contains(u"is for \"db.example.com\", \"*.db.example.com\", not for \"localhost\""_s),
                 qPrintable(text));
        QCOMPARE(CertificateNames::read(u"::1"_s, server().port(), u"localhost"_s),
                 (QStringList{ u"db.example.com"_s, u"*.db.example.com"_s }));
        // Where nothing answers, no names and no wait beyond the timeout.
        QVERIFY(CertificateNames::read(u"127.0.0.1"_s, 1, u"localhost"_s).isEmpty());
        // What libpq says, when the names cannot be read.
        const auto where = ConnectionError::mismatchedServer(
            u"connection to server at \"localhost\" (127.0.0.1), port 5432 failed: server certificate for "
            "\"db.example.com\" (and 1 other name) does not match host name \"localhost\""_s);
        QVERIFY(where.has_value());
        QCOMPARE(where->address, u"127.0.0.1"_s);
        QCOMPARE(where->port, 5432);
        QCOMPARE(where->hostName, u"localhost"_s);
        QSqlError libpqError(u"connection to server at \"localhost\" (127.0.0.1), port 5432 failed: server certificate "
                             "for \"db.example.com\" (and 1 other name) does not match host name \"localhost\""_s);
        QCOMPARE(ConnectionError::fromSqlError(libpqError, settings).message(),
                 u"The server's certificate is for \"db.example.com\" (and 1 other name), not for \"localhost\", the "
                 "host pgdesk connected to."_s);
        // verify-ca checks the signature only.
        settings.set(Field::SslMode, u"verify-ca"_s);
        QCOMPARE(probeError(settings), QString());
        // The name the certificate is for, reached at an address of one's choosing (hostaddr,
        // passed through from the URI's query): verified.
        const auto resolution
            = fromEnvironment({ { u"DATABASE_URL"_s,
                                  uri(u"db.example.com:%1"_s.arg(server().port()),
                                      u"hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert="_s
                                          + QString::fromLatin1(QUrl::toPercentEncoding(cert(u"ca.crt"_s)))) } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(probeError(resolution.settings), QString());
    }

    void aClientCertificateForACertOnlyRole()
    {
        const QString dir = m_dir.filePath(u"client-env"_s);
        ConnectionSettings::Lookup lookup;
        lookup.explicitEnvFile = dir + u"/.env"_s;
        write(lookup.explicitEnvFile,
              u"PG_HOST=localhost\nPG_PORT=%1\nPG_USER=cert_user\nPG_DATABASE=postgres\nPG_SSLMODE=verify-full\n"
              "PG_SSLROOTCERT=%2\nPG_SSLCERT=%3\nPG_SSLKEY=%4\n"_s.arg(server().port())
                  .arg(cert(u"ca.crt"_s), cert(u"client.crt"_s), cert(u"client.key"_s))
                  .toUtf8());
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(ask(resolution.settings,
                     u"SELECT current_user, client_dn FROM pg_stat_ssl "
                     "WHERE pid = pg_backend_pid()"_s),
                 (QStringList{ u"cert_user"_s, u"/CN=cert_user"_s }));

        // Without the certificate the server refuses, and the message says what is missing.
        ConnectionSettings without = resolution.settings;
        without.set(Field::SslCert, QString());
        without.set(Field::SslKey, QString());
        const QString refused = probeError(without);
        QVERIFY2(refused.contains(u"only with a client certificate"_s), qPrintable(refused));

        // A key others can read: libpq refuses it before connecting.
        const QString openKey = m_dir.filePath(u"open.key"_s);
        QVERIFY(QFile::copy(cert(u"client.key"_s), openKey));
        QVERIFY(
            QFile::setPermissions(openKey, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        ConnectionSettings loose = resolution.settings;
        loose.set(Field::SslKey, openKey);
        const QString loosened = probeError(loose);
        QVERIFY2(loosened.contains(u"chmod 600"_s), qPrintable(loosened));

        // The dialog's fields, as a user fills them.
        ConnectionDialog dialog(resolution);
        child<QLineEdit>(&dialog, u"sslCertLineEdit"_s)->setText(QString());
        child<QLineEdit>(&dialog, u"sslKeyLineEdit"_s)->setText(QString());
        QVERIFY(runTest(dialog).contains(u"client certificate"_s));
        child<QLineEdit>(&dialog, u"sslCertLineEdit"_s)->setText(cert(u"client.crt"_s));
        child<QLineEdit>(&dialog, u"sslKeyLineEdit"_s)->setText(cert(u"client.key"_s));
        const QString connected = runTest(dialog);
        QVERIFY2(connected.contains(u"Connected"_s), qPrintable(connected));
        QCOMPARE(dialog.settings().sslCert(), cert(u"client.crt"_s));
    }

    void theDialogSplitsAPastedUri_data()
    {
        QTest::addColumn<QString>("field");
        QTest::newRow("URI field") << u"uriLineEdit"_s;
        QTest::newRow("host field") << u"hostLineEdit"_s;
    }
    void theDialogSplitsAPastedUri()
    {
        QFETCH(QString, field);
        ConnectionDialog dialog(fromEnvironment({ { u"PG_TABLE"_s, u"my_table"_s } }));
        const QString pasted
            = uri(u"[::1]:%1"_s.arg(server().port()), u"sslmode=verify-full&application_name=pasted"_s);
        child<QLineEdit>(&dialog, field)->setText(pasted);
        QCOMPARE(child<QLineEdit>(&dialog, u"hostLineEdit"_s)->text(), u"::1"_s);
        QCOMPARE(child<QLineEdit>(&dialog, u"portLineEdit"_s)->text(), QString::number(server().port()));
        QCOMPARE(child<QLineEdit>(&dialog, u"userLineEdit"_s)->text(), server().user());
        QCOMPARE(child<QLineEdit>(&dialog, u"passwordLineEdit"_s)->text(), server().password());
        QCOMPARE(child<QLineEdit>(&dialog, u"databaseLineEdit"_s)->text(), u"postgres"_s);
        QCOMPARE(child<QComboBox>(&dialog, u"sslModeComboBox"_s)->currentText(), u"verify-full"_s);
        QVERIFY(child<QLineEdit>(&dialog, u"uriLineEdit"_s)->text().isEmpty());
        QCOMPARE(child<QLabel>(&dialog, u"hostSourceLabel"_s)->text(), u"from the pasted URI"_s);
        QVERIFY(!child<QLabel>(&dialog, u"messageLabel"_s)->text().contains(server().password()));
        // The private CA as root certificate, then Test: connected over IPv6 with verify-full.
        child<QLineEdit>(&dialog, u"sslRootCertLineEdit"_s)->setText(cert(u"ca.crt"_s));
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"Connected"_s), qPrintable(text));
        QCOMPARE(ask(dialog.settings(), u"SELECT current_setting('application_name')"_s), QStringList{ u"pasted"_s });
        // Edited after the paste: entered here.
        child<QLineEdit>(&dialog, u"hostLineEdit"_s)->setText(u"localhost"_s);
        QCOMPARE(dialog.settings().describeSource(Field::Host), u"entered here"_s);

        // A URI that cannot be used is refused without echoing it.
        child<QLineEdit>(&dialog, u"uriLineEdit"_s)->setText(u"postgres://u:hunter2@h/d?pgbouncer=true"_s);
        const QString refused = child<QLabel>(&dialog, u"messageLabel"_s)->text();
        QVERIFY2(refused.contains(u"pgbouncer"_s) && !refused.contains(u"hunter2"_s), qPrintable(refused));
        QCOMPARE(child<QLineEdit>(&dialog, u"hostLineEdit"_s)->text(), u"localhost"_s);
        // Pasted into the host field, it moves to the URI field, which masks it once left.
        child<QLineEdit>(&dialog, u"hostLineEdit"_s)->setText(u"postgres://u:hunter2@h/d?pgbouncer=true"_s);
        QVERIFY(child<QLineEdit>(&dialog, u"hostLineEdit"_s)->text().isEmpty());
        QCOMPARE(child<QLineEdit>(&dialog, u"uriLineEdit"_s)->echoMode(), QLineEdit::PasswordEchoOnEdit);
        QVERIFY(child<QLineEdit>(&dialog, u"uriLineEdit"_s)->text().contains(u"hunter2"_s));
    }

    // PGSERVICE with ~/.pg_service.conf, and the password from ~/.pgpass, both read by libpq.
    void aServiceAndThePassFile()
    {
        const QString home = QDir::homePath();
        // hostaddr has no field in pgdesk: only libpq, reading the service itself, knows where
        // db.example.com is. verify-ca: the server's certificate is for localhost.
        write(home + u"/.pg_service.conf"_s,
              u"[other]\nhost=nowhere.invalid\n[hosted]\nhost=db.example.com\nhostaddr=127.0.0.1\nport=%1\nuser=%2\n"
              "dbname=postgres\nsslmode=verify-ca\nsslrootcert=%3\n"_s
                  .arg(QString::number(server().port()), server().user(), cert(u"ca.crt"_s))
                  .toUtf8());
        const auto resolution = fromEnvironment({ { u"PGSERVICE"_s, u"hosted"_s } });
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.host(), u"db.example.com"_s);
        QCOMPARE(resolution.settings.sslMode(), u"verify-ca"_s);
        QVERIFY2(resolution.settings.describeSource(Field::Host).contains(u"service hosted"_s),
                 qPrintable(resolution.settings.describeSource(Field::Host)));
        // No password anywhere: the server asks for one.
        const QString refused = probeError(resolution.settings);
        QVERIFY2(refused.contains(u"none was given"_s), qPrintable(refused));

        write(home + u"/.pgpass"_s,
              u"db.example.com:%1:postgres:%2:%3\n"_s
                  .arg(QString::number(server().port()), server().user(), server().password())
                  .toUtf8(),
              QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(resolution.passwordFromPassFile(resolution.settings));
        QCOMPARE(ask(resolution.settings,
                     u"SELECT inet_server_addr()::text, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"_s),
                 (QStringList{ u"127.0.0.1/32"_s, u"true"_s }));

        ConnectionDialog dialog(resolution);
        QVERIFY2(child<QLabel>(&dialog, u"passwordSourceLabel"_s)->text().contains(u".pgpass"_s),
                 qPrintable(child<QLabel>(&dialog, u"passwordSourceLabel"_s)->text()));
        QVERIFY(child<QLabel>(&dialog, u"hostSourceLabel"_s)->text().contains(u"service hosted"_s));
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"Connected"_s), qPrintable(text));
    }
};

QTEST_MAIN(TestHostedConnections)
#include "tst_hostedconnections.moc"
