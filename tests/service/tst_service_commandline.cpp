// Past 600 lines because every subcommand of the tutorial's command line (and its bad input) is
// checked against what the database holds, case by case, in one fixture.
#include "InvisibleNames.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <pty.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QByteArray rawOut; // as written, for what decoding to QString might hide

    QJsonDocument json() const { return QJsonDocument::fromJson(out.toUtf8()); }
    QString describe() const { return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(exitCode).arg(out, err); }
};
} // namespace

// Runs the built pgdesk binary the way a user or a script would, and checks with psql what the
// database holds afterwards.
class TestCommandLine : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_service_commandline"_s;
    QTemporaryDir m_dir;
    QString m_envFile;
    QSqlDatabase m_check;

    QString psql(const QString& sql)
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, sql, &ok);
        [&] { QVERIFY2(ok, qPrintable(sql)); }();
        return output;
    }

    QJsonArray namesInDatabase()
    {
        const QString json = psql(u"SELECT coalesce(json_agg(name ORDER BY id), '[]') FROM my_table"_s);
        return QJsonDocument::fromJson(json.toUtf8()).array();
    }

    bool tableExists(const QString& table = u"my_table"_s)
    {
        QSqlQuery query(m_check);
        query.prepare(u"SELECT to_regclass(?) IS NOT NULL"_s);
        query.addBindValue(table);
        return query.exec() && query.next() && query.value(0).toBool();
    }

    static QProcessEnvironment childEnvironment()
    {
        // Only the .env decides where pgdesk connects, whatever the machine's PG* variables say.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QStringList keys = environment.keys();
        for (const QString& key : keys) {
            if (key.startsWith(u"PG"_s))
                environment.remove(key);
        }
        return environment;
    }

    // The server's settings as the tutorial's deployment gives them: PG_* variables, no file.
    QProcessEnvironment serverEnvironment() const
    {
        QProcessEnvironment environment = childEnvironment();
        environment.insert(u"PG_HOST"_s, m_server.host());
        environment.insert(u"PG_PORT"_s, QString::number(m_server.port()));
        environment.insert(u"PG_USER"_s, m_server.user());
        environment.insert(u"PG_PASSWORD"_s, m_server.password());
        environment.insert(u"PG_DATABASE"_s, m_database);
        return environment;
    }

    Run pgdesk(const QStringList& arguments, const QString& workingDirectory = {},
               const QProcessEnvironment& environment = childEnvironment())
    {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setWorkingDirectory(workingDirectory.isEmpty() ? m_dir.path() : workingDirectory);
        process.start(QStringLiteral(PGDESK_BINARY), arguments);
        process.closeWriteChannel();
        Run run;
        if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit) {
            process.kill();
            process.waitForFinished();
            run.err = u"pgdesk did not finish: "_s + process.errorString();
            return run;
        }
        run.exitCode = process.exitCode();
        run.rawOut = process.readAllStandardOutput();
        run.out = QString::fromUtf8(run.rawOut);
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    // The table pgdesk creates, holding names stored by psql from their UTF-8 bytes: what pgdesk
    // then reads or deletes owes nothing to how it writes. False unless psql reads them back.
    bool storeWithPsql(const QStringList& names)
    {
        QStringList rows;
        for (const QString& name : names)
            rows << u"(convert_from(decode('%1', 'hex'), 'UTF8'))"_s.arg(utf8Hex(name));
        psql(u"CREATE TABLE my_table (id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
             "date TIMESTAMP NOT NULL DEFAULT current_timestamp); INSERT INTO my_table (name) VALUES "_s
             + rows.join(u", "_s));
        return psql(storedNamesAsHex()) == utf8Hex(names);
    }

    // `pgdesk drop` with standard input on a pseudo-terminal, answering its question.
    Run dropOnATerminal(const QByteArray& answer)
    {
        Run run;
        int terminal = -1;
        int childSide = -1;
        if (::openpty(&terminal, &childSide, nullptr, nullptr, nullptr) != 0) {
            run.err = u"openpty failed"_s;
            return run;
        }
        QProcess process;
        process.setProcessEnvironment(childEnvironment());
        process.setWorkingDirectory(m_dir.path());
        process.setChildProcessModifier([childSide] { ::dup2(childSide, STDIN_FILENO); });
        process.start(QStringLiteral(PGDESK_BINARY), { u"drop"_s, u"--env"_s, m_envFile });
        process.waitForStarted();
        ::close(childSide);
        QByteArray prompt;
        while (!prompt.contains("[y/N]") && process.state() == QProcess::Running) {
            process.waitForReadyRead(200);
            prompt += process.readAllStandardError();
        }
        [[maybe_unused]] const ssize_t written = ::write(terminal, answer.constData(), size_t(answer.size()));
        process.waitForFinished(30000);
        ::close(terminal);
        run.exitCode = process.exitCode();
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(prompt + process.readAllStandardError());
        return run;
    }

    QString writeEnv(const QString& name, const QString& contents)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        [&] { QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate)); }();
        file.write(contents.toUtf8());
        return path;
    }

    QString envWith(const QString& name, const QString& key, const QString& value)
    {
        QString contents = u"PG_HOST=%1\nPG_PORT=%2\nPG_USER=%3\nPG_PASSWORD=%4\nPG_DATABASE=%5\n"_s.arg(
            m_server.host(), QString::number(m_server.port()), m_server.user(), m_server.password(), m_database);
        contents += key + u'=' + value + u'\n';
        return writeEnv(name, contents);
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkdir(u"env"_s);
        m_envFile = m_server.writeEnvFile(m_dir.filePath(u"env"_s), m_database);
        m_check = m_server.openConnection(u"check"_s, m_database);
        QVERIFY(m_check.isOpen());
        QSqlQuery quiet(m_check);
        QVERIFY(quiet.exec(u"SET client_min_messages = warning"_s));
        // The client runs in a zone far from the server's.
        QCOMPARE(qgetenv("TZ"), QByteArray("Pacific/Auckland"));
    }

    void init()
    {
        QSqlQuery query(m_check);
        QVERIFY(query.exec(u"DROP TABLE IF EXISTS my_table"_s));
    }

    void cleanupTestCase()
    {
        m_check = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void helpListsTheCommandsWithoutADisplay()
    {
        QProcessEnvironment noDisplay = childEnvironment();
        noDisplay.remove(u"QT_QPA_PLATFORM"_s);
        noDisplay.remove(u"DISPLAY"_s);
        noDisplay.remove(u"WAYLAND_DISPLAY"_s);
        const Run help = pgdesk({ u"--help"_s }, {}, noDisplay);
        QCOMPARE(help.exitCode, 0);
        for (const QString& command :
             { u"check"_s, u"add NAME..."_s, u"read [NAME]"_s, u"delete NAME"_s, u"drop"_s, u"serve"_s, u"--env"_s })
            QVERIFY2(help.out.contains(command), qPrintable(command + u'\n' + help.out));

        const Run version = pgdesk({ u"--version"_s }, {}, noDisplay);
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(u"pgdesk 0."_s));

        const Run addHelp = pgdesk({ u"add"_s, u"--help"_s }, {}, noDisplay);
        QCOMPARE(addHelp.exitCode, 0);
        QVERIFY2(addHelp.out.contains(u"add [options] NAME..."_s), qPrintable(addHelp.out));
        QVERIFY(addHelp.out.contains(u"--json"_s));
        QVERIFY(addHelp.out.contains(u"--env"_s));

        const Run serveHelp = pgdesk({ u"serve"_s, u"--help"_s }, {}, noDisplay);
        QCOMPARE(serveHelp.exitCode, 0);
        for (const QString& option : { u"--bind"_s, u"--port"_s, u"--token"_s, u"--allow-drop"_s })
            QVERIFY2(serveHelp.out.contains(option), qPrintable(serveHelp.out));
    }

    void theTutorialsSequence()
    {
        const Run check = pgdesk({ u"check"_s, u"--env"_s, m_envFile });
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
        const QStringList lines = check.out.split(u'\n');
        QCOMPARE(lines.value(0), u"Connection to postgres successful!"_s);
        QCOMPARE(lines.value(1), u"Server version: "_s + psql(u"SHOW server_version"_s));
        QVERIFY2(lines.value(2).startsWith(u"SSL: in use (TLS"_s), qPrintable(check.out));
        QVERIFY(!tableExists());

        const Run add = pgdesk({ u"add"_s, u"bob"_s, u"--env"_s, m_envFile });
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(psql(u"SELECT id || ' ' || name FROM my_table"_s), u"1 bob"_s);
        QVERIFY2(add.out.startsWith(u"Added bob to my_table (id 1, "_s), qPrintable(add.out));

        const Run read = pgdesk({ u"read"_s, u"bob"_s, u"--env"_s, m_envFile });
        QVERIFY2(read.exitCode == 0, qPrintable(read.describe()));
        const QString date = psql(u"SELECT date::text FROM my_table"_s);
        QVERIFY2(read.out.contains(u" 1  "_s + date + u"  bob\n"_s), qPrintable(read.out + date));
        QVERIFY(read.out.endsWith(u"(1 row)\n"_s));

        const Run drop = pgdesk({ u"drop"_s, u"--yes"_s, u"--env"_s, m_envFile });
        QVERIFY2(drop.exitCode == 0, qPrintable(drop.describe()));
        QCOMPARE(drop.out, u"Dropped the table my_table.\n"_s);
        QVERIFY(!tableExists());
    }

    void checkAsJson()
    {
        const Run check = pgdesk({ u"check"_s, u"--json"_s, u"--env"_s, m_envFile });
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
        const QJsonObject result = check.json().object();
        QCOMPARE(result.value(u"connected"_s).toString(), u"Connection to postgres successful!"_s);
        QCOMPARE(result.value(u"server_version"_s).toString(), psql(u"SHOW server_version"_s));
        QCOMPARE(result.value(u"ssl"_s).toBool(), true);
        QCOMPARE(result.value(u"database"_s).toString(), m_database);
        QCOMPARE(result.value(u"port"_s).toInt(), m_server.port());
        QCOMPARE(result.value(u"table"_s).toString(), u"my_table"_s);
        QVERIFY(!check.out.contains(m_server.password()));
    }

    // --lang before or after the command: the human messages in German, the JSON and the exit
    // codes exactly as in English.
    void subcommandsTakeALanguage()
    {
        const QString env = envWith(u"wrong-password-lang.env"_s, u"PG_PASSWORD"_s, u"not-the-password"_s);
        const Run english = pgdesk({ u"check"_s, u"--env"_s, env });
        QCOMPARE(english.exitCode, 2);
        for (const QStringList& arguments : { QStringList{ u"--lang"_s, u"de"_s, u"check"_s, u"--env"_s, env },
                                              QStringList{ u"check"_s, u"--lang"_s, u"de"_s, u"--env"_s, env },
                                              QStringList{ u"check"_s, u"--lang=de"_s, u"--env"_s, env } }) {
            const Run german = pgdesk(arguments);
            QCOMPARE(german.exitCode, 2);
            QVERIFY2(german.err.startsWith(u"pgdesk: "_s), qPrintable(german.describe()));
            QVERIFY2(german.err != english.err, qPrintable(german.err));
            QVERIFY2(german.err.contains(u"Passwort"_s), qPrintable(german.err));
        }

        const Run englishJson = pgdesk({ u"check"_s, u"--json"_s, u"--env"_s, m_envFile });
        const Run germanJson = pgdesk({ u"check"_s, u"--lang"_s, u"de"_s, u"--json"_s, u"--env"_s, m_envFile });
        QVERIFY2(germanJson.exitCode == 0, qPrintable(germanJson.describe()));
        QJsonObject germanObject = germanJson.json().object();
        QJsonObject englishObject = englishJson.json().object();
        QVERIFY(!englishObject.isEmpty());
        // Where each setting came from ("from FILE", "default") is English in the JSON whatever the
        // language, so programs reading it get the same text on a German system.
        QCOMPARE(germanObject.value(u"sources"_s), englishObject.value(u"sources"_s));
        germanObject.remove(u"sources"_s);
        englishObject.remove(u"sources"_s);
        QCOMPARE(germanObject, englishObject);
        const Run germanError = pgdesk({ u"--lang"_s, u"de"_s, u"check"_s, u"--json"_s, u"--env"_s, env });
        QCOMPARE(germanError.exitCode, 2);
        const QJsonObject error
            = QJsonDocument::fromJson(germanError.err.toUtf8()).object().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"exit_code"_s).toInt(), 2);
        QCOMPARE(error.value(u"kind"_s).toString(), u"cannot-connect"_s);

        const Run help = pgdesk({ u"read"_s, u"--lang"_s, u"fr"_s, u"--help"_s });
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(u"--lang <LANG>"_s), qPrintable(help.out));
    }

    void addStoresAwkwardNamesExactly()
    {
        const QStringList names{ u"O'Brien"_s,           u"say \"hi\""_s, u"two\nlines"_s, u"Zoë 🐘"_s,
                                 u"-starts-with-dash"_s, QString(u""_s),  u"tab\there"_s };
        const Run add = pgdesk(QStringList{ u"add"_s, u"--json"_s, u"--env"_s, m_envFile, u"--"_s } + names);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        const QJsonArray added = add.json().array();
        QCOMPARE(added.size(), names.size());
        const QJsonArray stored = namesInDatabase();
        QCOMPARE(stored.size(), names.size());
        const QString dates = psql(u"SELECT string_agg(date::text, ',' ORDER BY id) FROM my_table"_s);
        for (qsizetype i = 0; i < names.size(); ++i) {
            QCOMPARE(stored.at(i).toString(), names.at(i));
            QVERIFY(stored.at(i).isString()); // '' stays '', not NULL
            const QJsonObject row = added.at(i).toObject();
            QCOMPARE(row.value(u"name"_s).toString(), names.at(i));
            QCOMPARE(row.value(u"date"_s).toString(), dates.split(u',').at(i));
            QVERIFY(row.value(u"id"_s).isDouble());
        }
    }

    void invisibleCharactersAreAddedAsGiven()
    {
        const QStringList names = invisibleNames();
        const Run add = pgdesk(QStringList{ u"add"_s, u"--json"_s, u"--env"_s, m_envFile, u"--"_s } + names);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(psql(storedNamesAsHex()), utf8Hex(names));
        QCOMPARE(add.json().array().size(), names.size());
        for (const QString& name : names)
            QVERIFY2(add.rawOut.contains(jsonNameMember(name, true)), qPrintable(utf8Hex(name)));

        const Run one = pgdesk({ u"add"_s, u"--env"_s, m_envFile, u"\uFEFFbob"_s });
        QVERIFY2(one.exitCode == 0, qPrintable(one.describe()));
        QVERIFY2(one.rawOut.startsWith("Added \xEF\xBB\xBF"
                                       "bob to my_table (id "),
                 one.rawOut.toHex(' ').constData());
        QCOMPARE(psql(u"SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM my_table ORDER BY id DESC LIMIT 1"_s),
                 u"efbbbf626f62"_s);
    }

    void readFindsInvisibleCharactersExactly()
    {
        const QStringList names = QStringList{ u"bob"_s } + invisibleNames();
        QVERIFY(storeWithPsql(names));
        for (qsizetype i = 0; i < names.size(); ++i) {
            const Run read = pgdesk({ u"read"_s, u"--json"_s, u"--env"_s, m_envFile, u"--"_s, names.at(i) });
            QVERIFY2(read.exitCode == 0, qPrintable(read.describe()));
            const QJsonArray rows = read.json().array();
            QCOMPARE(rows.size(), 1);
            QCOMPARE(rows.first()[u"id"_s].toInteger(), qint64(i + 1));
            QVERIFY2(read.rawOut.contains(jsonNameMember(names.at(i), true)), qPrintable(utf8Hex(names.at(i))));
        }

        const Run all = pgdesk({ u"read"_s, u"--json"_s, u"--env"_s, m_envFile });
        QVERIFY2(all.exitCode == 0, qPrintable(all.describe()));
        QCOMPARE(all.json().array().size(), names.size());
        for (const QString& name : names)
            QVERIFY2(all.rawOut.contains(jsonNameMember(name, true)), qPrintable(utf8Hex(name)));

        const Run text = pgdesk({ u"read"_s, u"--env"_s, m_envFile });
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        for (const QString& name : names) {
            QVERIFY2(text.rawOut.contains(QByteArray("  " + name.toUtf8() + '\n')),
                     qPrintable(utf8Hex(name) + u" not in\n"_s + QString::fromLatin1(text.rawOut.toHex(' '))));
        }
    }

    void deletingTheBomNameSparesBob()
    {
        const QStringList names = QStringList{ u"bob"_s } + invisibleNames();
        QVERIFY(storeWithPsql(names));
        const Run remove = pgdesk({ u"delete"_s, u"--env"_s, m_envFile, u"\uFEFFbob"_s });
        QVERIFY2(remove.exitCode == 0, qPrintable(remove.describe()));
        QCOMPARE(remove.rawOut,
                 QByteArray("Deleted 1 row named \xEF\xBB\xBF"
                            "bob from my_table.\n"));
        QStringList left = names;
        left.removeOne(u"\uFEFFbob"_s);
        QCOMPARE(psql(storedNamesAsHex()), utf8Hex(left));

        // Each of the others takes its own row and nothing else; bob stays to the end.
        for (const QString& name : invisibleNames()) {
            if (!left.contains(name))
                continue;
            const Run each = pgdesk({ u"delete"_s, u"--json"_s, u"--env"_s, m_envFile, u"--"_s, name });
            QVERIFY2(each.exitCode == 0, qPrintable(each.describe()));
            QCOMPARE(each.json().object().value(u"deleted"_s).toInt(), 1);
            left.removeOne(name);
            QCOMPARE(psql(storedNamesAsHex()), utf8Hex(left));
        }
        QCOMPARE(left, QStringList{ u"bob"_s });
    }

    void readMatchesExactlyOrContaining()
    {
        const QStringList names{ u"bob"_s, u"Bob"_s, u"bobby"_s,       u"100%"_s,      u"1000"_s,
                                 u"a_b"_s, u"axb"_s, u"back\\slash"_s, u"backXslash"_s };
        QCOMPARE(pgdesk(QStringList{ u"add"_s, u"--env"_s, m_envFile } + names).exitCode, 0);
        psql(u"INSERT INTO my_table(name) VALUES (NULL)"_s);

        const auto namesRead = [&](const QStringList& arguments) {
            const Run read = pgdesk(QStringList{ u"read"_s, u"--json"_s, u"--env"_s, m_envFile } + arguments);
            [&] { QVERIFY2(read.exitCode == 0, qPrintable(read.describe())); }();
            QStringList found;
            const QJsonArray rows = read.json().array();
            for (const QJsonValue& row : rows)
                found << (row[u"name"_s].isNull() ? u"<null>"_s : row[u"name"_s].toString());
            return found;
        };
        QCOMPARE(namesRead({ u"bob"_s }), QStringList{ u"bob"_s });
        QCOMPARE(namesRead({ u"nobody"_s }), QStringList());
        QCOMPARE(namesRead({ u"--contains"_s, u"BOB"_s }), (QStringList{ u"bob"_s, u"Bob"_s, u"bobby"_s }));
        QCOMPARE(namesRead({ u"--contains"_s, u"0%"_s }), QStringList{ u"100%"_s });
        QCOMPARE(namesRead({ u"--contains"_s, u"a_"_s }), QStringList{ u"a_b"_s });
        QCOMPARE(namesRead({ u"--contains"_s, u"\\"_s }), QStringList{ u"back\\slash"_s });
        QCOMPARE(namesRead({}).size(), names.size() + 1);
        QCOMPARE(namesRead({}).last(), u"<null>"_s);
    }

    void readShowsOneRowPerLine()
    {
        QCOMPARE(pgdesk({ u"add"_s, u"--env"_s, m_envFile, u"two\nlines"_s, u"back\\slash"_s }).exitCode, 0);
        psql(u"INSERT INTO my_table(name) VALUES (NULL)"_s);
        const Run read = pgdesk({ u"read"_s, u"--env"_s, m_envFile });
        QVERIFY2(read.exitCode == 0, qPrintable(read.describe()));
        const QStringList lines = read.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QVERIFY(lines.at(0).startsWith(u"id  date"_s));
        QVERIFY2(lines.at(1).endsWith(u"  two\\nlines"_s), qPrintable(read.out));
        QVERIFY(lines.at(2).endsWith(u"  back\\\\slash"_s));
        QVERIFY(lines.at(3).endsWith(u"  (null)"_s));
        QCOMPARE(lines.at(4), u"(3 rows)"_s);
    }

    void readCreatesTheTableWhenMissing()
    {
        const Run read = pgdesk({ u"read"_s, u"--json"_s, u"--env"_s, m_envFile });
        QVERIFY2(read.exitCode == 0, qPrintable(read.describe()));
        QCOMPARE(read.json().array().size(), 0);
        QVERIFY(tableExists());
    }

    void deleteRemovesExactlyTheNamedRows()
    {
        QCOMPARE(pgdesk({ u"add"_s, u"--env"_s, m_envFile, u"bob"_s, u"bob"_s, u"Bob"_s, u"bobby"_s }).exitCode, 0);
        const Run remove = pgdesk({ u"delete"_s, u"bob"_s, u"--env"_s, m_envFile });
        QVERIFY2(remove.exitCode == 0, qPrintable(remove.describe()));
        QCOMPARE(remove.out, u"Deleted 2 rows named bob from my_table.\n"_s);
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"Bob,bobby"_s);

        const Run again = pgdesk({ u"delete"_s, u"bob"_s, u"--json"_s, u"--env"_s, m_envFile });
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.json().object().value(u"deleted"_s).toInt(), 0);
    }

    void dropRefusesWithoutATerminalOrYes()
    {
        QCOMPARE(pgdesk({ u"add"_s, u"bob"_s, u"--env"_s, m_envFile }).exitCode, 0);
        const Run drop = pgdesk({ u"drop"_s, u"--env"_s, m_envFile });
        QCOMPARE(drop.exitCode, 1);
        QVERIFY2(drop.err.contains(u"--yes"_s), qPrintable(drop.err));
        QVERIFY(tableExists());
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"1"_s);
    }

    void dropAsksOnATerminal()
    {
        QCOMPARE(pgdesk({ u"add"_s, u"bob"_s, u"alice"_s, u"--env"_s, m_envFile }).exitCode, 0);
        const Run declined = dropOnATerminal("n\n");
        QCOMPARE(declined.exitCode, 1);
        QVERIFY2(declined.err.contains(u"Drop the table my_table on "_s), qPrintable(declined.describe()));
        QVERIFY(declined.err.contains(u"with its 2 rows? [y/N]"_s));
        QVERIFY(tableExists());

        const Run accepted = dropOnATerminal("y\n");
        QVERIFY2(accepted.exitCode == 0, qPrintable(accepted.describe()));
        QVERIFY(!tableExists());

        const Run nothingLeft = pgdesk({ u"drop"_s, u"--yes"_s, u"--json"_s, u"--env"_s, m_envFile });
        QCOMPARE(nothingLeft.exitCode, 0);
        QCOMPARE(nothingLeft.json().object().value(u"dropped"_s).toBool(true), false);
    }

    void usageErrorsExitWithOne_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("unknown command") << QStringList{ u"frobnicate"_s };
        QTest::newRow("add without a name") << QStringList{ u"add"_s };
        QTest::newRow("unknown option") << QStringList{ u"read"_s, u"--bogus"_s };
        QTest::newRow("two names to read") << QStringList{ u"read"_s, u"a"_s, u"b"_s };
        QTest::newRow("contains without a name") << QStringList{ u"read"_s, u"--contains"_s };
        QTest::newRow("delete without a name") << QStringList{ u"delete"_s };
        QTest::newRow("check with an argument") << QStringList{ u"check"_s, u"extra"_s };
        QTest::newRow("missing env file") << QStringList{ u"check"_s, u"--env"_s, u"/nonexistent/.env"_s };
        QTest::newRow("serve on a bad port") << QStringList{ u"serve"_s, u"--port"_s, u"http"_s };
        QTest::newRow("serve on a bad address") << QStringList{ u"serve"_s, u"--bind"_s, u"nowhere"_s };
    }

    void usageErrorsExitWithOne()
    {
        QFETCH(QStringList, arguments);
        const Run run = pgdesk(arguments);
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.startsWith(u"pgdesk: "_s), qPrintable(run.err));
        QVERIFY(!tableExists());
    }

    void aWrongPasswordExitsWithTwo()
    {
        const QString env = envWith(u"wrong-password.env"_s, u"PG_PASSWORD"_s, u"not-the-password"_s);
        const Run run = pgdesk({ u"add"_s, u"bob"_s, u"--env"_s, env });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"rejected the password"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"not-the-password"_s));
        QVERIFY(run.out.isEmpty());
        QVERIFY(!tableExists());

        const Run json = pgdesk({ u"check"_s, u"--json"_s, u"--env"_s, env });
        QCOMPARE(json.exitCode, 2);
        const QJsonObject error = QJsonDocument::fromJson(json.err.toUtf8()).object().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"exit_code"_s).toInt(), 2);
        QCOMPARE(error.value(u"kind"_s).toString(), u"cannot-connect"_s);
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    }

    void noPasswordSaysSoAndExitsWithTwo()
    {
        const QString env
            = writeEnv(u"no-password.env"_s,
                       u"PG_HOST=%1\nPG_PORT=%2\nPG_USER=%3\nPG_DATABASE=%4\n"_s.arg(
                           m_server.host(), QString::number(m_server.port()), m_server.user(), m_database));
        QProcessEnvironment environment = childEnvironment();
        environment.insert(u"PGPASSFILE"_s, m_dir.filePath(u"no-such-pgpass"_s));
        const Run run = pgdesk({ u"check"_s, u"--env"_s, env }, {}, environment);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"asks for a password for user \"%1\", and none was given"_s.arg(m_server.user())),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains(u"PG_PASSWORD"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"no password supplied"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"rejected"_s));
        QVERIFY(!run.err.contains(m_server.password()));
    }

    void noServerExitsWithTwo()
    {
        QTcpServer reserve;
        QVERIFY(reserve.listen(QHostAddress::LocalHost));
        const QString freePort = QString::number(reserve.serverPort());
        reserve.close();
        const QString env = envWith(u"no-server.env"_s, u"PG_PORT"_s, freePort);
        for (const QString& command : { u"check"_s, u"read"_s, u"serve"_s }) {
            const Run run = pgdesk({ command, u"--env"_s, env });
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(u"No PostgreSQL server"_s), qPrintable(run.err));
        }
    }

    void aTableOfTheWrongShapeExitsWithThree()
    {
        psql(u"DROP TABLE IF EXISTS wrong_shape; CREATE TABLE wrong_shape (id int, title text)"_s);
        const QString env = envWith(u"wrong-shape.env"_s, u"PG_TABLE"_s, u"wrong_shape"_s);
        for (const QStringList& arguments : { QStringList{ u"add"_s, u"bob"_s }, QStringList{ u"read"_s, u"bob"_s },
                                              QStringList{ u"delete"_s, u"bob"_s } }) {
            const Run run = pgdesk(arguments + QStringList{ u"--env"_s, env });
            QCOMPARE(run.exitCode, 3);
            QVERIFY2(run.err.contains(u"wrong_shape"_s), qPrintable(run.err));
            // Which of the tutorial's columns is missing, in pgdesk's words, then the server's.
            QVERIFY2(run.err.contains(u"wrong_shape has no name, date."_s), qPrintable(run.err));
            QVERIFY2(run.err.contains(u"The server said: "_s), qPrintable(run.err));
        }
        QCOMPARE(psql(u"SELECT count(*) FROM wrong_shape"_s), u"0"_s);
        psql(u"DROP TABLE wrong_shape"_s);
    }

    void readsTheDotEnvOfTheWorkingDirectory()
    {
        // No --env: ./.env, exactly as the window finds it.
        const Run add = pgdesk({ u"add"_s, u"from-dot-env"_s }, m_dir.filePath(u"env"_s));
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(psql(u"SELECT name FROM my_table"_s), u"from-dot-env"_s);
    }

    // What text mode prints about the .env goes into the JSON: a program reading --json output
    // must learn that a line was skipped, most of all when that is why it cannot connect.
    void envWarningsAreInTheJson()
    {
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString envFile = m_server.writeEnvFile(work.path(), m_database);
        QFile file(envFile);
        QVERIFY(file.open(QIODevice::Append));
        file.write("this line is bad\n");
        file.close();
        const auto checkWarnings = [&](const QJsonArray& warnings) {
            QCOMPARE(warnings.size(), 1);
            const QJsonObject warning = warnings.first().toObject();
            QCOMPARE(warning.value(u"file"_s).toString(), QFileInfo(envFile).absoluteFilePath());
            QCOMPARE(warning.value(u"line"_s).toInt(), 6);
            QVERIFY2(warning.value(u"message"_s).toString().contains(u"expected '='"_s),
                     qPrintable(warning.value(u"message"_s).toString()));
        };

        const Run text = pgdesk({ u"check"_s, u"--env"_s, envFile });
        QVERIFY2(text.exitCode == 0 && text.err.contains(u"line 6: "_s), qPrintable(text.describe()));

        const Run check = pgdesk({ u"check"_s, u"--json"_s, u"--env"_s, envFile });
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
        checkWarnings(check.json().object().value(u"warnings"_s).toArray());
        QCOMPARE(check.err, QString());

        // An array keeps its shape; the warnings go to standard error, as JSON.
        const Run add = pgdesk({ u"add"_s, u"--json"_s, u"--env"_s, envFile, u"warned"_s });
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(add.json().array().first().toObject().value(u"name"_s).toString(), u"warned"_s);
        checkWarnings(QJsonDocument::fromJson(add.err.toUtf8()).object().value(u"warnings"_s).toArray());

        const Run clean = pgdesk({ u"delete"_s, u"--json"_s, u"--env"_s, m_envFile, u"warned"_s });
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.describe()));
        QCOMPARE(clean.json().object().value(u"warnings"_s).toArray(), QJsonArray());
        QCOMPARE(clean.err, QString());

        // The password's line is malformed, so there is no password: the error says so, and the
        // warning says why, without the value.
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(
            u"PG_HOST=%1\nPG_PORT=%2\nPG_USER=%3\nPG_DATABASE=%4\n\nPG_PASSWORD='%5' oops\n"_s.arg(m_server.host())
                .arg(m_server.port())
                .arg(m_server.user(), m_database, m_server.password())
                .toUtf8());
        file.close();
        QProcessEnvironment environment = childEnvironment();
        environment.insert(u"PGPASSFILE"_s, work.filePath(u"no-such-pgpass"_s));
        const Run failed = pgdesk({ u"check"_s, u"--json"_s, u"--env"_s, envFile }, {}, environment);
        QVERIFY2(failed.exitCode == 2, qPrintable(failed.describe()));
        const QJsonObject error = QJsonDocument::fromJson(failed.err.toUtf8()).object();
        QCOMPARE(error.value(u"error"_s).toObject().value(u"kind"_s).toString(), u"cannot-connect"_s);
        const QJsonArray warnings = error.value(u"warnings"_s).toArray();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().toObject().value(u"line"_s).toInt(), 6);
        QVERIFY(!failed.err.contains(m_server.password()));
    }

    // The tutorial deployed as its guide says: the PG_* settings injected as environment
    // variables, no .env anywhere.
    void connectsWithTheEnvironmentAlone()
    {
        QTemporaryDir nowhere;
        QVERIFY(nowhere.isValid());
        QDir(nowhere.path()).mkdir(u"home"_s);
        QDir(nowhere.path()).mkdir(u"work"_s);
        QProcessEnvironment environment = serverEnvironment();
        environment.insert(u"HOME"_s, nowhere.filePath(u"home"_s));
        environment.insert(u"XDG_CONFIG_HOME"_s, nowhere.filePath(u"home"_s));
        const QString work = nowhere.filePath(u"work"_s);

        const Run check = pgdesk({ u"check"_s }, work, environment);
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
        for (const QString& key : { u"PG_HOST"_s, u"PG_PORT"_s, u"PG_USER"_s, u"PG_PASSWORD"_s, u"PG_DATABASE"_s })
            QVERIFY2(check.out.contains(u"  %1: from $%1\n"_s.arg(key)), qPrintable(check.out));
        QVERIFY2(check.out.contains(u"  PG_TABLE: default\n"_s), qPrintable(check.out));
        QVERIFY(!check.out.contains(m_server.password()));

        const Run json = pgdesk({ u"check"_s, u"--json"_s }, work, environment);
        QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
        const QJsonObject sources = json.json().object().value(u"sources"_s).toObject();
        QCOMPARE(sources.value(u"PG_DATABASE"_s).toString(), u"from $PG_DATABASE"_s);
        QCOMPARE(json.json().object().value(u"database"_s).toString(), m_database);

        const Run add = pgdesk({ u"add"_s, u"from-the-environment"_s }, work, environment);
        QVERIFY2(add.exitCode == 0, qPrintable(add.describe()));
        QCOMPARE(psql(u"SELECT name FROM my_table"_s), u"from-the-environment"_s);
    }

    // load_dotenv() leaves a variable that is already set alone, so the environment wins over a
    // found .env; a file named with --env wins over the environment.
    void theEnvironmentWinsUnlessTheFileIsNamed()
    {
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString envFile = m_server.writeEnvFile(work.path(), m_database);
        QFile file(envFile);
        QVERIFY(file.open(QIODevice::Append));
        file.write("PG_PASSWORD=not-the-password\n");
        file.close();
        QProcessEnvironment environment = childEnvironment();
        environment.insert(u"PG_PASSWORD"_s, m_server.password());

        const Run found = pgdesk({ u"check"_s }, work.path(), environment);
        QVERIFY2(found.exitCode == 0, qPrintable(found.describe()));
        QVERIFY2(found.out.contains(u"  PG_PASSWORD: from $PG_PASSWORD\n"_s), qPrintable(found.out));
        QVERIFY2(found.out.contains(u"  PG_HOST: from "_s + QFileInfo(envFile).canonicalFilePath()),
                 qPrintable(found.out));

        const Run named = pgdesk({ u"check"_s, u"--env"_s, envFile }, work.path(), environment);
        QVERIFY2(named.exitCode == 2, qPrintable(named.describe()));
        QVERIFY(!named.out.contains(m_server.password()) && !named.err.contains(m_server.password()));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_service_commandline.moc"
