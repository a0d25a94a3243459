#include "config/ConnectionSettings.h"
#include "config/TrustStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;
using Source = ConnectionSettings::Source;

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private:
    static void write(const QString& path, const QByteArray& content)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }

    QTemporaryDir m_dir;
    ConnectionSettings::Lookup lookupIn(const QString& sub) const
    {
        ConnectionSettings::Lookup lookup;
        lookup.workingDirectory = m_dir.filePath(sub + u"/work"_s);
        lookup.configDirectory = m_dir.filePath(sub + u"/config/pgdesk"_s);
        QDir().mkpath(lookup.workingDirectory);
        return lookup;
    }

private slots:
    void defaultsWhenNothingIsSet()
    {
        const auto resolution = ConnectionSettings::resolve(lookupIn(u"defaults"_s));
        QVERIFY(resolution.envFilePath.isEmpty());
        QCOMPARE(resolution.settings.sslMode(), u"require"_s);
        QCOMPARE(resolution.settings.table(), u"my_table"_s);
        QCOMPARE(resolution.settings.port(), 5432);
        QCOMPARE(resolution.settings.host(), QString());
        QCOMPARE(resolution.settings.source(Field::Host), Source::Default);
        QCOMPARE(resolution.settings.describeSource(Field::Host), u"libpq default"_s);
        QVERIFY(resolution.usable());
        QCOMPARE(resolution.searchedPaths.size(), 2);
    }

    void workingDirectoryEnvWinsOverConfigFolder()
    {
        auto lookup = lookupIn(u"cwd"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_HOST=from-cwd\n");
        write(lookup.configDirectory + u"/.env"_s, "PG_HOST=from-config\nPG_USER=config-user\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"from-cwd"_s);
        // Only the first .env found is read: nothing is merged from the config folder.
        QCOMPARE(resolution.settings.user(), QString());
        QCOMPARE(resolution.envFilePath, QFileInfo(lookup.workingDirectory + u"/.env"_s).absoluteFilePath());
    }

    void configFolderEnvIsUsedWhenCwdHasNone()
    {
        auto lookup = lookupIn(u"config"_s);
        write(lookup.configDirectory + u"/.env"_s, "PG_HOST=from-config\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"from-config"_s);
        QCOMPARE(resolution.settings.source(Field::Host), Source::EnvFile);
        QVERIFY(resolution.settings.describeSource(Field::Host).contains(u"config/pgdesk"_s));
    }

    void explicitEnvFileWinsAndNothingElseIsSearched()
    {
        auto lookup = lookupIn(u"explicit"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_HOST=from-cwd\n");
        lookup.explicitEnvFile = m_dir.filePath(u"explicit/chosen.env"_s);
        write(lookup.explicitEnvFile, "PG_HOST=chosen\nPG_TABLE=people\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"chosen"_s);
        QCOMPARE(resolution.settings.table(), u"people"_s);
        QCOMPARE(resolution.searchedPaths, QStringList{ lookup.explicitEnvFile });
    }

    void missingExplicitEnvFileIsAnError()
    {
        auto lookup = lookupIn(u"missing"_s);
        lookup.explicitEnvFile = m_dir.filePath(u"missing/nope.env"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.envFileError.isEmpty());
        QVERIFY(!resolution.usable());
        QVERIFY(!resolution.messages().isEmpty());
    }

    void libpqVariablesFillWhatTheEnvLeavesOut()
    {
        auto lookup = lookupIn(u"libpq"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_HOST=envhost\n");
        lookup.environment.insert(u"PGHOST"_s, u"libpqhost"_s);
        lookup.environment.insert(u"PGUSER"_s, u"libpquser"_s);
        lookup.environment.insert(u"PGSSLMODE"_s, u"verify-full"_s);
        lookup.environment.insert(u"PGPORT"_s, u"6543"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"envhost"_s);
        QCOMPARE(resolution.settings.user(), u"libpquser"_s);
        QCOMPARE(resolution.settings.source(Field::User), Source::Environment);
        QCOMPARE(resolution.settings.describeSource(Field::User), u"from $PGUSER"_s);
        QCOMPARE(resolution.settings.sslMode(), u"verify-full"_s);
        QCOMPARE(resolution.settings.port(), 6543);
    }

    // The tutorial's deployment: PG_* injected as environment variables, no .env anywhere.
    void thePgVariablesOfTheEnvironmentAlone()
    {
        auto lookup = lookupIn(u"environment-alone"_s);
        lookup.environment.insert(u"PG_HOST"_s, u"db.example.com"_s);
        lookup.environment.insert(u"PG_PORT"_s, u"6543"_s);
        lookup.environment.insert(u"PG_USER"_s, u"app"_s);
        lookup.environment.insert(u"PG_PASSWORD"_s, u"secret"_s);
        lookup.environment.insert(u"PG_DATABASE"_s, u"appdb"_s);
        lookup.environment.insert(u"PG_TABLE"_s, u"people"_s);
        lookup.environment.insert(u"PGHOST"_s, u"libpq-host"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(resolution.envFilePath.isEmpty());
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.host(), u"db.example.com"_s);
        QCOMPARE(resolution.settings.port(), 6543);
        QCOMPARE(resolution.settings.user(), u"app"_s);
        QCOMPARE(resolution.settings.password(), u"secret"_s);
        QCOMPARE(resolution.settings.database(), u"appdb"_s);
        QCOMPARE(resolution.settings.table(), u"people"_s);
        QCOMPARE(resolution.settings.source(Field::Host), Source::Environment);
        QCOMPARE(resolution.settings.origin(Field::Host), u"PG_HOST"_s);
        QCOMPARE(resolution.settings.describeSource(Field::Password), u"from $PG_PASSWORD"_s);
        QCOMPARE(resolution.settings.source(Field::SslMode), Source::Default);
    }

    // load_dotenv() does not override what the environment already has, even an empty value.
    void theEnvironmentWinsOverAFoundFile()
    {
        auto lookup = lookupIn(u"environment-wins"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_HOST=filehost\nPG_USER=fileuser\nPG_PASSWORD=filesecret\n");
        lookup.environment.insert(u"PG_HOST"_s, u"envhost"_s);
        lookup.environment.insert(u"PG_PASSWORD"_s, QString());
        lookup.environment.insert(u"PGUSER"_s, u"libpquser"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"envhost"_s);
        QCOMPARE(resolution.settings.describeSource(Field::Host), u"from $PG_HOST"_s);
        QCOMPARE(resolution.settings.password(), QString());
        QCOMPARE(resolution.settings.source(Field::Password), Source::Environment);
        // The file still comes before libpq's variables.
        QCOMPARE(resolution.settings.user(), u"fileuser"_s);
        QCOMPARE(resolution.settings.source(Field::User), Source::EnvFile);
    }

    void aFileNamedWithEnvWinsOverTheEnvironment()
    {
        auto lookup = lookupIn(u"named-file-wins"_s);
        lookup.explicitEnvFile = m_dir.filePath(u"named-file-wins/chosen.env"_s);
        write(lookup.explicitEnvFile, "PG_HOST=filehost\n");
        lookup.environment.insert(u"PG_HOST"_s, u"envhost"_s);
        lookup.environment.insert(u"PG_USER"_s, u"envuser"_s);
        lookup.environment.insert(u"PGUSER"_s, u"libpquser"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"filehost"_s);
        QCOMPARE(resolution.settings.source(Field::Host), Source::EnvFile);
        // What the file leaves out still comes from PG_* before libpq's variables.
        QCOMPARE(resolution.settings.user(), u"envuser"_s);
        QCOMPARE(resolution.settings.origin(Field::User), u"PG_USER"_s);
    }

    void anEmptyPortInTheEnvironmentIsNoPort()
    {
        // The tutorial keeps PG_PORT="" from the environment over the file's and connects on
        // $PGPORT or 5432.
        auto lookup = lookupIn(u"empty-environment-port"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_PORT=6000\n");
        lookup.environment.insert(u"PG_PORT"_s, QString());
        auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.port(), 5432);
        QCOMPARE(resolution.settings.source(Field::Port), Source::Default);
        lookup.environment.insert(u"PGPORT"_s, u"6543"_s);
        resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.port(), 6543);
        QCOMPARE(resolution.settings.origin(Field::Port), u"PGPORT"_s);
    }

    void emptyValueInEnvStillCounts()
    {
        auto lookup = lookupIn(u"empty"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_PASSWORD=\n");
        lookup.environment.insert(u"PGPASSWORD"_s, u"secret"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.password(), QString());
        QCOMPARE(resolution.settings.source(Field::Password), Source::EnvFile);
    }

    void anEmptyPortIsNoPort()
    {
        // PG_PORT= as the tutorial's .env may have it: python-dotenv reads "" and libpq connects
        // on 5432.
        auto lookup = lookupIn(u"empty-port"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_HOST=h\nPG_PORT=\n");
        auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.port(), 5432);
        QCOMPARE(resolution.settings.source(Field::Port), Source::Default);
        QCOMPARE(resolution.settings.host(), u"h"_s);

        // Left out, so $PGPORT fills in as for any key the file leaves out; an empty $PGPORT is
        // left out too (libpq connects on 5432 with it).
        lookup.environment.insert(u"PGPORT"_s, u"6543"_s);
        resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.port(), 6543);
        QCOMPARE(resolution.settings.source(Field::Port), Source::Environment);
        lookup.environment.insert(u"PGPORT"_s, QString());
        resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.port(), 5432);
        QCOMPARE(resolution.settings.source(Field::Port), Source::Default);
    }

    void badValuesAreReportedNotFatal_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port not a number") << QByteArray("PG_PORT=abc\n") << u"PG_PORT"_s;
        QTest::newRow("port out of range") << QByteArray("PG_PORT=70000\n") << u"PG_PORT"_s;
        QTest::newRow("port zero") << QByteArray("PG_PORT=0\n") << u"PG_PORT"_s;
        QTest::newRow("port of spaces") << QByteArray("PG_PORT=\"  \"\n") << u"PG_PORT"_s;
        QTest::newRow("unknown sslmode") << QByteArray("PG_SSLMODE=sometimes\n") << u"PG_SSLMODE"_s;
        QTest::newRow("empty table") << QByteArray("PG_TABLE=\n") << u"PG_TABLE"_s;
    }
    void badValuesAreReportedNotFatal()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        auto lookup = lookupIn(u"bad-"_s + QString::fromLatin1(QTest::currentDataTag()));
        write(lookup.workingDirectory + u"/.env"_s, content + "PG_HOST=still-read\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.usable());
        QVERIFY2(resolution.messages().join(u'\n').contains(mentions), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.host(), u"still-read"_s);
    }

    void passwordNeverInDisplayTargetOrMessages()
    {
        auto lookup = lookupIn(u"secret"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_USER=alice\nPG_PASSWORD=s3cr3t-value\nPG_PORT=nope\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.settings.displayTarget().contains(u"s3cr3t"_s));
        QVERIFY(!resolution.messages().join(u' ').contains(u"s3cr3t"_s));
        QCOMPARE(resolution.settings.displayTarget(), u"alice@local socket:nope"_s);
        ConnectionSettings v6;
        v6.set(Field::Host, u"::1"_s);
        QCOMPARE(v6.displayTarget(), u"[::1]:5432"_s);
    }

    void viewSettingsGroupKeepsServerDatabaseAndTableApart()
    {
        ConnectionSettings settings;
        settings.set(Field::Host, u"db.example.com"_s);
        settings.set(Field::Port, u"5433"_s);
        settings.set(Field::Database, u"tutorial"_s);
        QCOMPARE(settings.viewSettingsGroup(u"my_table"_s), u"db.example.com:5433/tutorial/my_table"_s);
        // A socket directory and names with '/', '%' or spaces stay one level each.
        settings.set(Field::Host, u"/var/run/postgresql"_s);
        settings.set(Field::Database, u"a/b 100%"_s);
        QCOMPARE(settings.viewSettingsGroup(u"\"odd/name\""_s),
                 u"%2Fvar%2Frun%2Fpostgresql:5433/a%2Fb%20100%25/%22odd%2Fname%22"_s);
        // libpq's defaults (socket, the login's database) are named, not left as empty levels.
        QCOMPARE(ConnectionSettings().viewSettingsGroup(u"my_table"_s), u"(default):5432/(default)/my_table"_s);
    }

    // A hosting platform's URI in the .env next to the tutorial's PG_* keys: what the URI names
    // wins, PG_* fills in the rest, libpq's variables come last.
    void theUriWinsOverPgKeysForWhatItNames()
    {
        auto lookup = lookupIn(u"uri-wins"_s);
        write(lookup.workingDirectory + u"/.env"_s,
              "PG_HOST=old-host\nPG_PORT=6000\nPG_USER=old\nPG_PASSWORD=old-secret\nPG_SSLMODE=verify-full\n"
              "PG_TABLE=people\nDATABASE_URL=postgres://app:n%40w@db.example.com/appdb\n");
        lookup.environment.insert(u"PGSSLROOTCERT"_s, u"/ca.pem"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        const ConnectionSettings& settings = resolution.settings;
        QCOMPARE(settings.host(), u"db.example.com"_s);
        // The URI's host comes with its port (5432 when it names none), not the stale PG_PORT.
        QCOMPARE(settings.port(), 5432);
        QCOMPARE(settings.source(Field::Port), Source::Uri);
        QCOMPARE(settings.user(), u"app"_s);
        QCOMPARE(settings.password(), u"n@w"_s);
        QCOMPARE(settings.database(), u"appdb"_s);
        QCOMPARE(settings.sslMode(), u"verify-full"_s);
        QCOMPARE(settings.source(Field::SslMode), Source::EnvFile);
        QCOMPARE(settings.table(), u"people"_s);
        QCOMPARE(settings.sslRootCert(), u"/ca.pem"_s);
        QCOMPARE(resolution.uriKey, u"DATABASE_URL"_s);
        QVERIFY2(settings.describeSource(Field::Host).startsWith(u"from DATABASE_URL in "_s),
                 qPrintable(settings.describeSource(Field::Host)));
        QVERIFY(settings.describeSource(Field::Host).contains(u".env"_s));
    }

    void uriKeysInOrderAndFromTheEnvironment_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("DATABASE_URL") << u"DATABASE_URL"_s;
        QTest::newRow("POSTGRES_URL") << u"POSTGRES_URL"_s;
        QTest::newRow("PG_URL") << u"PG_URL"_s;
    }
    void uriKeysInOrderAndFromTheEnvironment()
    {
        QFETCH(QString, key);
        auto lookup = lookupIn(u"uri-env-"_s + key);
        lookup.environment.insert(key, u"postgresql://u@[::1]:5433,h2:5434/d?sslmode=disable&application_name=x"_s);
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.host(), u"::1,h2"_s);
        QCOMPARE(resolution.settings.text(Field::Port), u"5433,5434"_s);
        QCOMPARE(resolution.settings.port(), 5433);
        QCOMPARE(resolution.settings.sslMode(), u"disable"_s);
        QCOMPARE(resolution.settings.describeSource(Field::Host), u"from $"_s + key);
        QCOMPARE(resolution.settings.extra().parameters.size(), 1);
        QCOMPARE(resolution.settings.extra().parameters.first().keyword, u"application_name"_s);

        // DATABASE_URL comes first when several are set.
        lookup.environment.insert(u"DATABASE_URL"_s, u"postgres://first/d"_s);
        QCOMPARE(ConnectionSettings::resolve(lookup).settings.host(), u"first"_s);
    }

    void aBadUriIsReportedWithoutItsPassword()
    {
        auto lookup = lookupIn(u"uri-bad"_s);
        write(lookup.workingDirectory + u"/.env"_s, "DATABASE_URL=postgres://u:t0p-secret@h/d?pgbouncer=true\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.usable());
        const QString all = resolution.messages().join(u'\n');
        QVERIFY2(all.contains(u"DATABASE_URL"_s) && all.contains(u"pgbouncer"_s), qPrintable(all));
        QVERIFY(!all.contains(u"t0p-secret"_s));
    }

    void anEmptyUriIsNoUri()
    {
        auto lookup = lookupIn(u"uri-empty"_s);
        write(lookup.workingDirectory + u"/.env"_s, "DATABASE_URL=\nPG_HOST=h\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(resolution.usable());
        QCOMPARE(resolution.settings.host(), u"h"_s);
        QVERIFY(resolution.uriKey.isEmpty());
    }

    void portListsMustMatchTheHosts()
    {
        ConnectionSettings settings;
        settings.set(Field::Host, u"a,b,c"_s);
        settings.set(Field::Port, u"1,2"_s);
        QVERIFY2(settings.problems().join(u' ').contains(u"2 ports for 3 hosts"_s),
                 qPrintable(settings.problems().join(u' ')));
        settings.set(Field::Port, u"1,,3"_s);
        QVERIFY(settings.problems().isEmpty());
        settings.set(Field::Port, u"1,x,3"_s);
        QVERIFY(!settings.problems().isEmpty());
    }

    void clientCertificateKeys()
    {
        auto lookup = lookupIn(u"client-cert"_s);
        write(lookup.workingDirectory + u"/.env"_s, "PG_SSLCERT=/c/client.crt\nPG_SSLKEY=/c/client.key\n");
        const auto resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.sslCert(), u"/c/client.crt"_s);
        QCOMPARE(resolution.settings.sslKey(), u"/c/client.key"_s);
        QCOMPARE(resolution.settings.source(Field::SslKey), Source::EnvFile);
    }

    // pg_service.conf where libpq looks: the service's values win over libpq's variables and
    // pgdesk's defaults, and lose to PG_* keys.
    void aServiceFillsWhatTheKeysLeaveOut()
    {
        auto lookup = lookupIn(u"service"_s);
        const QString home = m_dir.filePath(u"service/home"_s);
        write(home + u"/.pg_service.conf"_s,
              "# mine\n[other]\nhost=wrong\n\n[tutorial]\nhost=svc-host\nport=6001\ndbname=svcdb\nsslmode=verify-ca\n"
              "application_name=ignored-here\n[next]\nuser=wrong\n");
        write(lookup.workingDirectory + u"/.env"_s, "PG_DATABASE=keydb\n");
        lookup.environment.insert(u"HOME"_s, home);
        lookup.environment.insert(u"PGSERVICE"_s, u"tutorial"_s);
        lookup.environment.insert(u"PGHOST"_s, u"libpq-host"_s);
        lookup.environment.insert(u"PGUSER"_s, u"libpq-user"_s);
        auto resolution = ConnectionSettings::resolve(lookup);
        QVERIFY2(resolution.usable(), qPrintable(resolution.messages().join(u'\n')));
        QCOMPARE(resolution.settings.service(), u"tutorial"_s);
        QCOMPARE(resolution.settings.host(), u"svc-host"_s);
        QCOMPARE(resolution.settings.port(), 6001);
        QCOMPARE(resolution.settings.sslMode(), u"verify-ca"_s);
        QCOMPARE(resolution.settings.database(), u"keydb"_s);
        QCOMPARE(resolution.settings.user(), u"libpq-user"_s);
        QCOMPARE(resolution.settings.source(Field::Host), Source::ServiceFile);
        QVERIFY2(resolution.settings.describeSource(Field::Host).contains(u"service tutorial"_s)
                     && resolution.settings.describeSource(Field::Host).contains(u".pg_service.conf"_s),
                 qPrintable(resolution.settings.describeSource(Field::Host)));

        // PGSERVICEFILE replaces the user's file; the system one comes from PGSYSCONFDIR.
        const QString system = m_dir.filePath(u"service/sysconf"_s);
        write(system + u"/pg_service.conf"_s, "[tutorial]\nhost=system-host\n");
        lookup.environment.insert(u"PGSERVICEFILE"_s, m_dir.filePath(u"service/none.conf"_s));
        lookup.environment.insert(u"PGSYSCONFDIR"_s, system);
        resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.settings.host(), u"system-host"_s);

        lookup.environment.insert(u"PGSERVICE"_s, u"missing"_s);
        resolution = ConnectionSettings::resolve(lookup);
        QVERIFY(!resolution.usable());
        QVERIFY2(resolution.messages().join(u' ').contains(u"\"missing\""_s),
                 qPrintable(resolution.messages().join(u' ')));
    }

    void thePassFileIsNamedWhenLibpqWillUseIt()
    {
        auto lookup = lookupIn(u"pgpass"_s);
        const QString home = m_dir.filePath(u"pgpass/home"_s);
        write(home + u"/.pgpass"_s,
              "# comment\nother:*:*:*:x\ndb.example.com:5432:app\\:db:alice:secret\n"
              "localhost:6000:*:bob:x\n");
        QVERIFY(QFile::setPermissions(home + u"/.pgpass"_s, QFile::ReadOwner | QFile::WriteOwner));
        lookup.environment.insert(u"HOME"_s, home);
        lookup.environment.insert(u"USER"_s, u"bob"_s);
        ConnectionSettings::Resolution resolution = ConnectionSettings::resolve(lookup);
        QCOMPARE(resolution.passFilePath, home + u"/.pgpass"_s);
        ConnectionSettings settings;
        settings.set(Field::Host, u"db.example.com"_s);
        settings.set(Field::User, u"alice"_s);
        settings.set(Field::Database, u"app:db"_s);
        QVERIFY(resolution.passwordFromPassFile(settings));
        settings.set(Field::Database, u"app"_s);
        QVERIFY(!resolution.passwordFromPassFile(settings));
        // A given password means libpq does not read the file.
        settings.set(Field::Database, u"app:db"_s);
        settings.set(Field::Password, u"typed"_s);
        QVERIFY(!resolution.passwordFromPassFile(settings));
        // A socket is "localhost", no user is the login name.
        ConnectionSettings local;
        local.set(Field::Host, u"/var/run/postgresql"_s);
        local.set(Field::Port, u"6000"_s);
        QVERIFY(resolution.passwordFromPassFile(local));
        // Readable by others: libpq ignores the file, so it is not named either.
        QVERIFY(QFile::setPermissions(home + u"/.pgpass"_s, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        QVERIFY(!resolution.passwordFromPassFile(local));
    }

    void verifyWithoutARootCertificateUsesTheSystemStore()
    {
        QProcessEnvironment environment;
        const QString home = m_dir.filePath(u"trust/home"_s);
        QDir().mkpath(home);
        environment.insert(u"HOME"_s, home);
        environment.insert(u"PGDESK_SYSTEM_CA_BUNDLE"_s, u"/bundle.pem"_s);
        ConnectionSettings settings;
        for (const QString& mode : { u"disable"_s, u"prefer"_s, u"require"_s }) {
            settings.set(Field::SslMode, mode);
            QCOMPARE(TrustStore::rootCertificateFor(settings, environment), QString());
        }
        for (const QString& mode : { u"verify-ca"_s, u"verify-full"_s }) {
            settings.set(Field::SslMode, mode);
            QCOMPARE(TrustStore::rootCertificateFor(settings, environment), u"/bundle.pem"_s);
        }
        settings.set(Field::SslRootCert, u"/mine.pem"_s);
        QCOMPARE(TrustStore::rootCertificateFor(settings, environment), u"/mine.pem"_s);
        // libpq's own ~/.postgresql/root.crt, when present, is used as psql would.
        settings.set(Field::SslRootCert, QString());
        write(home + u"/.postgresql/root.crt"_s, "x");
        QCOMPARE(TrustStore::rootCertificateFor(settings, environment), QString());
        // Without the test variable, Debian's bundle.
        environment.remove(u"PGDESK_SYSTEM_CA_BUNDLE"_s);
        QCOMPARE(TrustStore::systemBundle(environment), u"/etc/ssl/certs/ca-certificates.crt"_s);
    }
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
