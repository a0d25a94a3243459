#include "TestServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// The instructions of a Dockerfile's last stage (the image that runs), as Docker reads them:
// comments dropped, lines ending in a backslash joined to the next.
struct FinalStage
{
    QStringList entrypoint;
    QStringList cmd;
    QString user;
    QStringList copies; // the arguments of every COPY, as written
    QStringList runs; // every RUN, as written
    QString error;
};

// Exec form only: a shell-form entry command runs under /bin/sh -c, which would be PID 1 and
// keep `docker stop`'s SIGTERM from pgdesk.
QStringList execForm(const QString& instruction, const QString& arguments, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(arguments.toUtf8(), &parseError);
    QStringList words;
    if (parseError.error != QJsonParseError::NoError || !document.isArray()) {
        *error = instruction + u" is not in exec form (a JSON array): "_s + arguments;
        return words;
    }
    const QJsonArray array = document.array();
    for (const QJsonValue& word : array)
        words << word.toString();
    return words;
}

FinalStage readFinalStage(const QString& path)
{
    FinalStage stage;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        stage.error = u"cannot read "_s + path;
        return stage;
    }
    QStringList instructions;
    QString pending;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(u'#'))
            continue; // Docker drops comment lines, also between continued lines
        if (line.endsWith(u'\\')) {
            pending += line.chopped(1) + u' ';
            continue;
        }
        pending += line;
        if (!pending.trimmed().isEmpty())
            instructions << pending.trimmed();
        pending.clear();
    }
    for (const QString& instruction : std::as_const(instructions)) {
        const qsizetype space = instruction.indexOf(u' ');
        const QString keyword = instruction.left(space).toUpper();
        const QString arguments = space < 0 ? QString() : instruction.mid(space + 1).trimmed();
        if (keyword == u"FROM") {
            stage = FinalStage(); // a later stage replaces everything an earlier one said
        } else if (keyword == u"ENTRYPOINT") {
            stage.entrypoint = execForm(keyword, arguments, &stage.error);
            stage.cmd.clear(); // Docker resets CMD when ENTRYPOINT is set after it
        } else if (keyword == u"CMD") {
            stage.cmd = execForm(keyword, arguments, &stage.error);
        } else if (keyword == u"USER") {
            stage.user = arguments;
        } else if (keyword == u"COPY") {
            stage.copies << arguments;
        } else if (keyword == u"RUN") {
            stage.runs << arguments;
        }
        if (!stage.error.isEmpty())
            return stage;
    }
    return stage;
}

// The packages an `apt-get install` in the RUN lines names.
[[maybe_unused]] QStringList installedPackages(const QStringList& runs) // unused in a sanitizer build
{
    QStringList packages;
    for (const QString& run : runs) {
        const QStringList commands = run.split(u"&&"_s);
        for (const QString& command : commands) {
            const QStringList words = command.simplified().split(u' ');
            const qsizetype install = words.indexOf(u"install"_s);
            if (install < 1 || words.at(install - 1) != u"apt-get")
                continue;
            for (const QString& word : words.mid(install + 1)) {
                if (!word.startsWith(u'-'))
                    packages << word;
            }
        }
    }
    return packages;
}

[[maybe_unused]] QString runProgram(const QString& program, const QStringList& arguments,
                                    bool* ok) // unused in a sanitizer build
{
    QProcess process;
    process.start(program, arguments);
    *ok = process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    return QString::fromUtf8(process.readAllStandardOutput());
}

struct Response
{
    int status = 0;
    QByteArray body;
};

// One request on its own connection, as curl sends it; done when Content-Length bytes came.
Response get(quint16 port, const QByteArray& pathAndQuery)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    Response response;
    if (!socket.waitForConnected(10000))
        return response;
    socket.write("GET " + pathAndQuery + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray raw;
    QElapsedTimer timer;
    timer.start();
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    while (timer.elapsed() < 20000) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(200)
            && socket.state() != QAbstractSocket::ConnectedState)
            break;
        raw += socket.readAll();
        if (headerEnd < 0 && (headerEnd = raw.indexOf("\r\n\r\n")) >= 0) {
            const QRegularExpressionMatch length
                = QRegularExpression(u"\r\ncontent-length: *(\\d+)"_s, QRegularExpression::CaseInsensitiveOption)
                      .match(QString::fromLatin1(raw.first(headerEnd)));
            if (length.hasMatch())
                contentLength = length.captured(1).toLongLong();
        }
        if (headerEnd >= 0 && contentLength >= 0 && raw.size() >= headerEnd + 4 + contentLength)
            break;
    }
    if (headerEnd < 0)
        return response;
    response.status = raw.first(headerEnd).split(' ').value(1).toInt();
    response.body = raw.mid(headerEnd + 4);
    return response;
}
} // namespace

// packaging/container/Dockerfile cannot be built here (no container engine), so this runs what
// the image would run: the recipe's own ENTRYPOINT and CMD, read from the file, with the built
// binary in place of the installed one, settings only from PG_* variables as a secret group
// injects them, an empty working directory and HOME, and no .env anywhere.
class TestContainer : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_service_container"_s;
    FinalStage m_stage;

    QString psql(const QString& sql)
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, sql, &ok);
        [&] { QVERIFY2(ok, qPrintable(sql)); }();
        return output;
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        m_stage = readFinalStage(QStringLiteral(PGDESK_DOCKERFILE));
        QVERIFY2(m_stage.error.isEmpty(), qPrintable(m_stage.error));
    }

    void runsAsANonRootUser()
    {
        QVERIFY2(!m_stage.user.isEmpty(), "the image's last stage has no USER: it would run as root");
        const QString user = m_stage.user.section(u':', 0, 0);
        bool numeric = false;
        const int id = user.toInt(&numeric);
        QVERIFY2(user != u"root" && !(numeric && id == 0), qPrintable(u"USER "_s + m_stage.user));
        // Numeric, because Kubernetes' runAsNonRoot cannot check a name, and made by useradd in
        // the same stage, so the id exists in the image.
        QVERIFY2(numeric, qPrintable(u"USER is not numeric, so runAsNonRoot cannot check it: "_s + m_stage.user));
        QVERIFY2(m_stage.runs.join(u'\n').contains(QRegularExpression(u"useradd .*--uid %1\\b"_s.arg(id))),
                 qPrintable(m_stage.runs.join(u'\n')));
    }

#ifndef PGDESK_SANITIZED_BUILD
    // (Not in script/check-sanitizers' build: its binary links the sanitizer runtime and keeps
    // every library Qt names as a link dependency, which the Release build the recipe makes drops
    // as unused, so its list says nothing about the image. script/test runs this.)
    // Every library the binary links comes from a package the run stage installs (or from the
    // base image), and so does the QPSQL plugin Qt loads at run time: what a missing package
    // would break is checked without building the image.
    void theRunStageInstallsWhatTheBinaryLinks()
    {
        const QStringList installed = installedPackages(m_stage.runs);
        QVERIFY2(installed.contains(u"libqt6sql6-psql"_s), qPrintable(installed.join(u' ')));
        // Priority "required" in Debian 12, so in debian:12-slim already.
        const QStringList inTheBaseImage{ u"libc6"_s, u"libgcc-s1"_s, u"libstdc++6"_s };

        bool ok = false;
        const QString dynamic = runProgram(u"objdump"_s, { u"-p"_s, QStringLiteral(PGDESK_BINARY) }, &ok);
        QVERIFY2(ok, "objdump -p failed");
        const QString resolved = runProgram(u"ldd"_s, { QStringLiteral(PGDESK_BINARY) }, &ok);
        QVERIFY2(ok, "ldd failed");
        QStringList files;
        auto needed
            = QRegularExpression(u"^\\s*NEEDED\\s+(\\S+)$"_s, QRegularExpression::MultilineOption).globalMatch(dynamic);
        while (needed.hasNext()) {
            const QString library = needed.next().captured(1);
            // "libX.so => /path (0x…)", or for the dynamic loader "/path/ld-linux….so.2 (0x…)".
            const QString escaped = QRegularExpression::escape(library);
            const QRegularExpressionMatch where
                = QRegularExpression(u"^\\s*(?:"_s + escaped + u" => (\\S+)|(/\\S*/"_s + escaped + u") )"_s,
                                     QRegularExpression::MultilineOption)
                      .match(resolved);
            QVERIFY2(where.hasMatch(), qPrintable(library + u" not resolved by ldd"_s));
            files << (where.captured(1).isEmpty() ? where.captured(2) : where.captured(1));
        }
        QVERIFY2(files.size() >= 5, qPrintable(dynamic));
        for (const QString& file : std::as_const(files)) {
            // With /usr merged, dpkg knows each file under the path its package ships, /usr/lib
            // or /lib, whichever ldd printed.
            const QString canonical = QFileInfo(file).canonicalFilePath();
            QString owner;
            for (const QString& candidate :
                 { canonical, canonical.mid(canonical.startsWith(u"/usr/"_s) ? 4 : 0), file }) {
                owner = runProgram(u"dpkg"_s, { u"-S"_s, candidate }, &ok);
                if (ok)
                    break;
            }
            QVERIFY2(ok, qPrintable(u"dpkg -S "_s + canonical));
            QString package = owner.section(u':', 0, 0);
            // Run on Debian 13, whose 64-bit time_t transition renamed libraries (libssl3t64):
            // the image is Debian 12, where they have the name without the suffix.
            if (package.endsWith(u"t64"_s))
                package.chop(3);
            QVERIFY2(installed.contains(package) || inTheBaseImage.contains(package),
                     qPrintable(file + u" is in "_s + package + u", which the Dockerfile does not install"_s));
        }
    }
#endif

    void theEntryCommandServesFromTheEnvironmentAlone()
    {
        // Docker runs ENTRYPOINT with CMD appended.
        QStringList command = m_stage.entrypoint + m_stage.cmd;
        QVERIFY2(!command.isEmpty(), "no ENTRYPOINT or CMD");
        const QString installed = command.takeFirst();
        // The binary the command names is the one the build stage's COPY puts there.
        bool copied = false;
        for (const QString& copy : std::as_const(m_stage.copies))
            copied = copied || (copy.startsWith(u"--from="_s) && copy.endsWith(u' ' + installed));
        QVERIFY2(copied, qPrintable(installed + u" is not where a COPY --from= puts the binary"_s));
        const QStringList expectedShape{ u"serve"_s, u"--bind"_s, u"0.0.0.0"_s, u"--port"_s, u"8080"_s };
        QCOMPARE(command, expectedShape);

        QTemporaryDir home;
        QTemporaryDir work;
        QVERIFY(home.isValid() && work.isValid());
        // What `docker run -e PG_…` gives the process: Docker's default PATH, HOME of the user,
        // the secret group's variables and nothing else (no display, no locale, no D-Bus, no TZ,
        // no libpq PG* variables).
        QProcessEnvironment environment;
        environment.insert(u"PATH"_s, u"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"_s);
        environment.insert(u"HOME"_s, home.path());
        environment.insert(u"PG_HOST"_s, m_server.host());
        environment.insert(u"PG_PORT"_s, QString::number(m_server.port()));
        environment.insert(u"PG_USER"_s, m_server.user());
        environment.insert(u"PG_PASSWORD"_s, m_server.password());
        environment.insert(u"PG_DATABASE"_s, m_database);
        // The test's own instruments are not part of the container: under the sanitizer preset
        // the binary needs the run's options (its LeakSanitizer suppressions for OpenSSL's
        // per-thread state, tests/sanitizers/lsan.supp), or an exit while a worker thread is still
        // ending is reported as a leak and the exit code turns 1 (seen in CI).
        const QProcessEnvironment ours = QProcessEnvironment::systemEnvironment();
        for (const QString& sanitizer : { u"ASAN_OPTIONS"_s, u"LSAN_OPTIONS"_s, u"UBSAN_OPTIONS"_s }) {
            if (ours.contains(sanitizer))
                environment.insert(sanitizer, ours.value(sanitizer));
        }

        // The command's own port: another run of this suite may hold it for a few seconds.
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            QTcpServer probe;
            if (probe.listen(QHostAddress::AnyIPv4, 8080))
                break;
            QVERIFY2(waited.elapsed() < 60000,
                     "port 8080, which the recipe's command listens on, stayed taken for 60 s");
            QTest::qWait(500);
        }

        QProcess serve;
        serve.setProcessEnvironment(environment);
        serve.setWorkingDirectory(work.path());
        serve.start(QStringLiteral(PGDESK_BINARY), command);
        QByteArray output;
        QElapsedTimer timer;
        timer.start();
        while (!output.contains('\n') && serve.state() != QProcess::NotRunning && timer.elapsed() < 20000) {
            serve.waitForReadyRead(100);
            output += serve.readAllStandardOutput();
        }
        const auto stopServe = qScopeGuard([&serve] {
            if (serve.state() != QProcess::NotRunning) {
                serve.kill();
                serve.waitForFinished();
            }
        });
        QVERIFY2(output == "Listening on: http://0.0.0.0:8080\n",
                 qPrintable(QString::fromUtf8(output + serve.readAllStandardError())));
        // main.py creates the table when it starts.
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);

        const Response write = get(8080, "/write?name=from%20the%20container");
        QVERIFY2(write.status == 200, write.body.constData());
        QCOMPARE(QJsonDocument::fromJson(write.body).object().value(u"result"_s).toString(),
                 u"Added record with name: from the container to database"_s);
        const Response read = get(8080, "/read?name=from%20the%20container");
        QVERIFY2(read.status == 200, read.body.constData());
        const QJsonArray rows = QJsonDocument::fromJson(read.body).array();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().toObject().value(u"name"_s).toString(), u"from the container"_s);
        QCOMPARE(psql(u"SELECT id || ' ' || name || ' ' || date::text FROM my_table"_s),
                 u"1 from the container "_s + rows.first().toObject().value(u"date"_s).toString());
        // The tutorial's sslmode=require, with no file saying so.
        QCOMPARE(psql(u"SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) "
                      "WHERE application_name = 'pgdesk' AND datname = current_database()"_s),
                 u"t"_s);
        // Without --allow-drop the image never drops the table.
        QCOMPARE(get(8080, "/delete").status, 403);

        // `docker stop` sends SIGTERM to PID 1.
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        // What it printed on the way out (a sanitizer's report, a late error) says why it failed.
        const QByteArray stopped = serve.readAllStandardOutput();
        const QByteArray errors = serve.readAllStandardError();
        QVERIFY2(
            serve.exitCode() == 0,
            qPrintable(u"exit code %1; output: %2"_s.arg(serve.exitCode()).arg(QString::fromUtf8(stopped + errors))));
        QCOMPARE(stopped, QByteArray("Server stopped.\n"));
        // Nothing was written to the working directory or HOME: the image needs no writable folder.
        const auto entries = QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System;
        QCOMPARE(QDir(work.path()).entryList(entries), QStringList());
        QCOMPARE(QDir(home.path()).entryList(entries), QStringList());
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"1"_s);
    }
};

QTEST_GUILESS_MAIN(TestContainer)
#include "tst_service_container.moc"
