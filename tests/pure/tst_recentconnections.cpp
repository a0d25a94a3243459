// The list of recent connections (RecentConnections) and the .env that "Save as .env…" writes
// (EnvFileWriter), with no server: order, de-duplication, the cap, what may reach the settings
// file, when a start may reopen the last connection, and values read back exactly by EnvFile and
// by python-dotenv itself.
#include "config/EnvFile.h"
#include "config/EnvFileWriter.h"
#include "config/RecentConnections.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

class TestRecentConnections : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QString m_password = u"rc-Secret-9183-never-on-disk"_s;

    QString settingsPath() const { return m_dir.filePath(u"recent.conf"_s); }

    ConnectionSettings connection(const QString& host, const QString& table = u"my_table"_s) const
    {
        ConnectionSettings settings;
        settings.set(Field::Host, host);
        settings.set(Field::Port, u"5433"_s);
        settings.set(Field::User, u"alice"_s);
        settings.set(Field::Password, m_password);
        settings.set(Field::Database, u"shop"_s);
        settings.set(Field::SslMode, u"verify-full"_s);
        settings.set(Field::SslRootCert, u"/etc/ssl/root ca.crt"_s);
        settings.set(Field::SslCert, u"/home/alice/client.crt"_s);
        settings.set(Field::SslKey, u"/home/alice/client.key"_s);
        settings.set(Field::Table, table);
        return settings;
    }

    // Values as python-dotenv's dotenv_values() reads the files in `folder`, by file name.
    static QHash<QString, QList<QPair<QString, QString>>> readWithPythonDotenv(const QString& folder)
    {
        QHash<QString, QList<QPair<QString, QString>>> result;
        QProcess python;
        python.start(QStringLiteral(PGDESK_DOTENV_PYTHON), { QStringLiteral(ENVFILE_ORACLE_SCRIPT), folder });
        if (!python.waitForFinished(60000) || python.exitCode() != 0) {
            qWarning() << python.readAllStandardError();
            return result;
        }
        const QJsonObject files = QJsonDocument::fromJson(python.readAllStandardOutput()).object()[u"files"].toObject();
        for (auto file = files.begin(); file != files.end(); ++file) {
            for (const QJsonValue& pair : file.value().toObject()[u"values"].toArray())
                result[file.key()].append({ pair.toArray().at(0).toString(), pair.toArray().at(1).toString() });
        }
        return result;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { QFile::remove(settingsPath()); }

    void mostRecentFirstWithoutDuplicatesOrPasswords()
    {
        {
            RecentConnections recent(settingsPath());
            recent.record(connection(u"a.example"_s));
            recent.record(connection(u"b.example"_s));
            recent.record(connection(u"a.example"_s)); // again: moves to the front, once
            recent.record(connection(u"a.example"_s, u"people"_s)); // another table: its own entry
        }
        RecentConnections reread(settingsPath());
        const QList<ConnectionSettings> entries = reread.entries();
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).table(), u"people"_s);
        QCOMPARE(entries.at(1).host(), u"a.example"_s);
        QCOMPARE(entries.at(1).table(), u"my_table"_s);
        QCOMPARE(entries.at(2).host(), u"b.example"_s);
        const ConnectionSettings& first = entries.at(1);
        for (Field field : ConnectionSettings::allFields) {
            if (field != Field::Password)
                QCOMPARE(first.text(field), connection(u"a.example"_s).text(field));
        }
        QCOMPARE(first.password(), QString());

        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.contains("a.example"));
        QVERIFY(!bytes.contains(m_password.toUtf8()));
    }

    void cappedAtTheNewestEntries()
    {
        RecentConnections recent(settingsPath());
        for (int index = 0; index < RecentConnections::maxEntries + 5; ++index)
            recent.record(connection(u"host%1.example"_s.arg(index)));
        const QList<ConnectionSettings> entries = recent.entries();
        QCOMPARE(entries.size(), RecentConnections::maxEntries);
        QCOMPARE(entries.first().host(), u"host%1.example"_s.arg(RecentConnections::maxEntries + 4));
        QCOMPARE(entries.last().host(), u"host5.example"_s);
    }

    void forgetRemovesOneEntry()
    {
        RecentConnections recent(settingsPath());
        recent.record(connection(u"a.example"_s));
        recent.record(connection(u"b.example"_s));
        recent.record(connection(u"c.example"_s));
        recent.forget(1);
        recent.forget(7); // out of range: nothing
        const QList<ConnectionSettings> entries = recent.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).host(), u"c.example"_s);
        QCOMPARE(entries.at(1).host(), u"a.example"_s);
    }

    void uriParametersAreKeptButNotSecretOnes()
    {
        ConnectionSettings settings = connection(u"a.example"_s);
        settings.setExtra({ { { u"application_name"_s, u"shop app"_s },
                              { u"sslpassword"_s, m_password },
                              { u"target_session_attrs"_s, u"read-write"_s } },
                            u"DATABASE_URL"_s });
        RecentConnections recent(settingsPath());
        recent.record(settings);
        const QList<ConnectionUri::Parameter> kept = recent.entries().first().extra().parameters;
        QCOMPARE(kept.size(), 2);
        QCOMPARE(kept.at(0).keyword, u"application_name"_s);
        QCOMPARE(kept.at(0).value, u"shop app"_s);
        QCOMPARE(kept.at(1).keyword, u"target_session_attrs"_s);
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(m_password.toUtf8()));
    }

    void reopensOnlyWhenNothingNamedAConnection()
    {
        auto lookup = ConnectionSettings::Lookup{ {}, m_dir.filePath(u"nowhere"_s), m_dir.filePath(u"noconfig"_s), {} };
        const ConnectionSettings::Resolution bare = ConnectionSettings::resolve(lookup);
        QVERIFY(bare.envFilePath.isEmpty());
        QVERIFY(RecentConnections::mayReopen(bare));

        lookup.environment.insert(u"PGPASSWORD"_s, u"from-env"_s);
        const ConnectionSettings::Resolution withPassword = ConnectionSettings::resolve(lookup);
        QVERIFY(RecentConnections::mayReopen(withPassword));
        const auto reopened = RecentConnections::reopened(withPassword, connection(u"a.example"_s));
        QCOMPARE(reopened.settings.host(), u"a.example"_s);
        QCOMPARE(reopened.settings.password(), u"from-env"_s); // $PGPASSWORD still counts
        QCOMPARE(reopened.settings.describeSource(Field::Host), u"from the last connection"_s);

        lookup.environment.insert(u"PGHOST"_s, u"elsewhere"_s);
        QVERIFY(!RecentConnections::mayReopen(ConnectionSettings::resolve(lookup)));

        // A .env, or --env naming a missing file, always wins.
        lookup.environment.clear();
        lookup.explicitEnvFile = m_dir.filePath(u"missing.env"_s);
        QVERIFY(!RecentConnections::mayReopen(ConnectionSettings::resolve(lookup)));
        QFile env(m_dir.filePath(u".env"_s));
        QVERIFY(env.open(QIODevice::WriteOnly));
        env.write("PG_HOST=there\n");
        env.close();
        lookup.explicitEnvFile.clear();
        lookup.workingDirectory = m_dir.path();
        QVERIFY(!RecentConnections::mayReopen(ConnectionSettings::resolve(lookup)));
    }

    void envFileHasTheTutorialsKeysAndOnlyNonDefaultExtras()
    {
        ConnectionSettings settings;
        settings.set(Field::Host, u"db.example"_s);
        settings.set(Field::User, u"alice"_s);
        settings.set(Field::Password, u"pw"_s);
        settings.set(Field::Database, u"shop"_s);
        const QString withPassword = QString::fromUtf8(EnvFileWriter::format(settings, true));
        QVERIFY(withPassword.contains(u"\nPG_HOST=db.example\nPG_PORT=5432\nPG_USER=alice\nPG_PASSWORD=pw\n"
                                      "PG_DATABASE=shop\n"_s));
        QVERIFY(!withPassword.contains(u"PG_TABLE"_s));
        QVERIFY(!withPassword.contains(u"PG_SSLMODE"_s));
        QVERIFY(!QString::fromUtf8(EnvFileWriter::format(settings, false)).contains(u"PG_PASSWORD"_s));
        settings.set(Field::Table, u"people"_s);
        settings.set(Field::SslMode, u"verify-full"_s);
        const QString extras = QString::fromUtf8(EnvFileWriter::format(settings, false));
        QVERIFY(extras.contains(u"\nPG_SSLMODE=verify-full\n"_s));
        QVERIFY(extras.contains(u"\nPG_TABLE=people\n"_s));
    }

    void envFileValuesReadBackExactly_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << u"secret"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("single quote") << u"it's"_s;
        QTest::newRow("double quote") << u"say \"hi\""_s;
        QTest::newRow("hash") << u"a #b#c"_s;
        QTest::newRow("leading hash") << u"#first"_s;
        QTest::newRow("spaces") << u"  padded  "_s;
        QTest::newRow("dollar") << u"$HOME and $ alone and ${"_s;
        QTest::newRow("backslash") << u"C:\\dir\\n\\'x"_s;
        QTest::newRow("escaped quote") << u"a\\'b\\\\'c"_s;
        QTest::newRow("unicode") << u"pässwörd 密码 🐘"_s;
        QTest::newRow("newline") << u"two\nlines"_s;
        QTest::newRow("everything") << u"p'a\"s#s w$o\\r d ü"_s;
    }

    void envFileValuesReadBackExactly()
    {
        QFETCH(QString, value);
        ConnectionSettings settings = connection(u"db.example"_s);
        settings.set(Field::Password, value);
        settings.set(Field::Database, value);
        QVERIFY(EnvFileWriter::canWriteExactly(value));
        QStringList unwritable;
        const QByteArray content = EnvFileWriter::format(settings, true, &unwritable);
        QVERIFY(unwritable.isEmpty());
        const EnvFile read = EnvFile::parse(content);
        QVERIFY2(read.problems().isEmpty(), content.constData());
        QCOMPARE(read.value(u"PG_PASSWORD"_s), value);
        QCOMPARE(read.value(u"PG_DATABASE"_s), value);
        QCOMPARE(read.value(u"PG_SSLROOTCERT"_s), settings.sslRootCert());
        QCOMPARE(read.value(u"PG_HOST"_s), u"db.example"_s);
    }

    // The same values through python-dotenv (Debian's python3-dotenv), all files in one run.
    void pythonDotenvReadsTheSameValues()
    {
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        QHash<QString, QString> written;
        int number = 0;
        for (const QString& value : { u"it's"_s, u"say \"hi\""_s, u"a #b#c"_s, u"  padded  "_s,
                                      u"$HOME and $ alone and ${"_s, u"C:\\dir\\n\\'x"_s, u"a\\'b\\\\'c"_s,
                                      u"pässwörd 密码 🐘"_s, u"two\nlines"_s, u"p'a\"s#s w$o\\r d ü"_s, QString() }) {
            ConnectionSettings settings = connection(u"db.example"_s);
            settings.set(Field::Password, value);
            const QString name = u"case%1.env"_s.arg(++number);
            QFile file(folder.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(EnvFileWriter::format(settings, true));
            written.insert(name, value);
        }
        const auto read = readWithPythonDotenv(folder.path());
        QCOMPARE(read.size(), written.size());
        for (auto file = written.cbegin(); file != written.cend(); ++file) {
            QString password;
            for (const auto& pair : read.value(file.key())) {
                if (pair.first == u"PG_PASSWORD")
                    password = pair.second;
            }
            QCOMPARE(password, file.value());
        }
    }

    void valuesNoEnvFileCanCarryAreRefused()
    {
        QVERIFY(!EnvFileWriter::canWriteExactly(u"a${HOME}b"_s));
        QVERIFY(!EnvFileWriter::canWriteExactly(u"with space\\"_s));
        QVERIFY(!EnvFileWriter::canWriteExactly(u"cr\rhere"_s));
        ConnectionSettings settings = connection(u"db.example"_s);
        settings.set(Field::Password, u"x${Y}"_s);
        QStringList unwritable;
        const QByteArray content = EnvFileWriter::format(settings, true, &unwritable);
        QCOMPARE(unwritable, QStringList{ u"PG_PASSWORD"_s });
        QVERIFY(!content.contains("PG_PASSWORD"));
    }
};

QTEST_GUILESS_MAIN(TestRecentConnections)
#include "tst_recentconnections.moc"
