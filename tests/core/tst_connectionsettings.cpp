#include "config/ConnectionSettings.h"

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
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
