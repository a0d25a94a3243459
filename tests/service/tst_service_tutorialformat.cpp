#include "TestServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
struct Response
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;

    // Valid JSON as RFC 8259 has it: QJsonDocument alone also takes a raw tab or newline inside
    // a string and unknown escapes such as \s, all of which main.py can send.
    bool isJson() const
    {
        QJsonParseError error;
        QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError)
            return false;
        bool inString = false;
        for (qsizetype index = 0; index < body.size(); ++index) {
            const auto byte = static_cast<unsigned char>(body.at(index));
            if (!inString) {
                inString = byte == '"';
                continue;
            }
            if (byte < 0x20)
                return false;
            if (byte == '"')
                inString = false;
            else if (byte == '\\' && (++index == body.size() || !QByteArray("\"\\/bfnrtu").contains(body.at(index))))
                return false;
        }
        return true;
    }
    QString describe() const
    {
        return u"HTTP %1 (%2): %3"_s.arg(status).arg(QString::fromLatin1(contentType), QString::fromUtf8(body));
    }
};

// A server started as a child process, ready once it prints "Listening on: http://host:port".
class ListeningProcess
{
public:
    ~ListeningProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool start(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment,
               const QString& workingDirectory, QString* error)
    {
        m_process.setProcessEnvironment(environment);
        m_process.setWorkingDirectory(workingDirectory);
        m_process.start(program, arguments);
        QByteArray output;
        QElapsedTimer timer;
        timer.start();
        while (!output.contains('\n') && m_process.state() != QProcess::NotRunning && timer.elapsed() < 20000) {
            m_process.waitForReadyRead(100);
            output += m_process.readAllStandardOutput();
        }
        const QRegularExpressionMatch match
            = QRegularExpression(u"^Listening on: http://127\\.0\\.0\\.1:(\\d+)\n"_s).match(QString::fromUtf8(output));
        if (!match.hasMatch()) {
            m_process.waitForFinished(5000);
            *error = program + u" did not start: "_s + QString::fromUtf8(output + m_process.readAllStandardError());
            return false;
        }
        m_port = match.captured(1).toUShort();
        return true;
    }

    QByteArray base() const { return "http://127.0.0.1:" + QByteArray::number(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

QByteArray query(const QString& name)
{
    return "?name=" + QUrl::toPercentEncoding(name);
}
} // namespace

// `pgdesk serve --tutorial-format` and the tutorial's main.py, both configured by PG_* variables
// alone as the tutorial is deployed, serve the same table: a client must not tell them apart.
// Where main.py's own body is not valid JSON (it pastes the name between quotes), pgdesk's is,
// and says the same.
class TestTutorialFormat : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_service_tutorialformat"_s;
    QTemporaryDir m_dir;
    ListeningProcess m_pgdesk;
    ListeningProcess m_mainPy;

    QString psql(const QString& sql)
    {
        bool ok = false;
        const QString output = m_server.psql(m_database, sql, &ok);
        [&] { QVERIFY2(ok, qPrintable(sql)); }();
        return output;
    }

    // One request on its own connection, as curl sends it: main.py's handler object is shared by
    // all requests and answers HTTP/1.0 only, so nothing is kept alive or sent ahead.
    Response get(const QByteArray& url)
    {
        const QUrl parsed = QUrl::fromEncoded(url, QUrl::StrictMode);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(parsed.port()));
        Response response;
        if (!socket.waitForConnected(10000))
            return response;
        socket.write("GET " + parsed.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority)
                     + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
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
        raw += socket.readAll();
        if (headerEnd < 0)
            return response;
        const QList<QByteArray> lines = raw.first(headerEnd).split('\n');
        response.status = lines.first().split(' ').value(1).toInt();
        for (const QByteArray& line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.first(colon).compare("Content-Type", Qt::CaseInsensitive) == 0)
                response.contentType = line.mid(colon + 1).trimmed();
        }
        response.body = raw.mid(headerEnd + 4);
        return response;
    }

    // The same request to both; the bodies must be the same bytes.
    void compareAlike(const QByteArray& pathAndQuery, int expectedStatus)
    {
        const Response tutorial = get(m_mainPy.base() + pathAndQuery);
        const Response pgdesk = get(m_pgdesk.base() + pathAndQuery);
        QVERIFY2(tutorial.status == expectedStatus, qPrintable(tutorial.describe()));
        QVERIFY2(tutorial.isJson(), qPrintable(tutorial.describe()));
        QCOMPARE(pgdesk.status, tutorial.status);
        QCOMPARE(pgdesk.contentType, QByteArray("application/json"));
        QCOMPARE(tutorial.contentType, QByteArray("application/json"));
        QCOMPARE(pgdesk.body, tutorial.body);
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_dir.isValid());

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QStringList keys = environment.keys();
        for (const QString& key : keys) {
            if (key.startsWith(u"PG"_s))
                environment.remove(key);
        }
        environment.insert(u"PG_HOST"_s, m_server.host());
        environment.insert(u"PG_PORT"_s, QString::number(m_server.port()));
        environment.insert(u"PG_USER"_s, m_server.user());
        environment.insert(u"PG_PASSWORD"_s, m_server.password());
        environment.insert(u"PG_DATABASE"_s, m_database);
        environment.insert(u"HOME"_s, m_dir.path());
        environment.insert(u"XDG_CONFIG_HOME"_s, m_dir.path());
        environment.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);

        // main.py looks for a .env from its own folder upwards: a copy in an empty folder finds
        // none, as in the tutorial's deployment.
        const QString mainPy = m_dir.filePath(u"main.py"_s);
        QVERIFY(QFile::copy(QStringLiteral(TUTORIAL_MAIN_PY), mainPy));
        QVERIFY2(m_mainPy.start(QStringLiteral(PGDESK_TUTORIAL_PYTHON),
                                { QStringLiteral(TUTORIAL_RUN_MAIN_PY), mainPy, QString::number(freePort()) },
                                environment, m_dir.path(), &error),
                 qPrintable(error + u"\n(main.py needs Debian's python3-psycopg2 and python3-dotenv: script/setup)"_s));
        QVERIFY2(m_pgdesk.start(QStringLiteral(PGDESK_BINARY),
                                { u"serve"_s, u"--tutorial-format"_s, u"--allow-drop"_s, u"--port"_s, u"0"_s },
                                environment, m_dir.path(), &error),
                 qPrintable(error));
    }

    void writeAnswersAlike_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << u"bob"_s;
        QTest::newRow("non-ASCII") << u"Zo\u00eb \u2713 \U0001F600"_s;
        QTest::newRow("plus and space") << u"a+b c"_s;
        QTest::newRow("zero-width space") << u"\u200bx"_s;
        QTest::newRow("DEL") << u"del\u007f"_s;
        // main.py's own body is broken JSON for these.
        QTest::newRow("quote") << u"say \"hi\""_s;
        QTest::newRow("backslash") << u"back\\slash"_s;
        QTest::newRow("tab") << u"tab\there"_s;
        QTest::newRow("newline") << u"two\nlines"_s;
    }
    void writeAnswersAlike()
    {
        QFETCH(QString, name);
        const QByteArray request = "/write" + query(name);
        const Response tutorial = get(m_mainPy.base() + request);
        const Response pgdesk = get(m_pgdesk.base() + request);
        QCOMPARE(tutorial.status, 200);
        QCOMPARE(pgdesk.status, 200);
        QCOMPARE(pgdesk.contentType, QByteArray("application/json"));
        if (tutorial.isJson()) {
            QCOMPARE(pgdesk.body, tutorial.body);
        } else {
            QVERIFY2(pgdesk.isJson(), qPrintable(pgdesk.describe()));
            // What main.py meant to send.
            QCOMPARE(QString::fromUtf8(tutorial.body),
                     u"{\"result\": \"Added record with name:"_s + name + u" to database\"}"_s);
            QCOMPARE(QJsonDocument::fromJson(pgdesk.body).object().value(u"result"_s).toString(),
                     u"Added record with name:"_s + name + u" to database"_s);
        }
        QCOMPARE(psql(u"SELECT count(*) FROM my_table WHERE name = convert_from(decode('%1', 'hex'), 'UTF8')"_s.arg(
                     QString::fromLatin1(name.toUtf8().toHex()))),
                 u"2"_s);
    }

    // Percent-escapes that are not UTF-8: main.py's parse_qsl decodes them with Python's
    // errors='replace' (one U+FFFD per maximal ill-formed subpart); pgdesk must store the same
    // name and answer alike.
    void invalidUtf8AnswersAlike_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("truncated 2-byte") << QByteArray("%C3");
        QTest::newRow("truncated 3-byte") << QByteArray("%E2%82");
        QTest::newRow("truncated 4-byte") << QByteArray("x%F0%9F%90y");
        QTest::newRow("lone continuation bytes") << QByteArray("%80%BF");
        QTest::newRow("overlong") << QByteArray("%C0%AF%E0%80%AF");
        QTest::newRow("surrogate") << QByteArray("%ED%A0%80");
        QTest::newRow("above U+10FFFF") << QByteArray("%F4%90%80%80");
        QTest::newRow("F5 and FF") << QByteArray("%F5%FF");
        QTest::newRow("lead, ASCII, continuation") << QByteArray("%E2%28%A1");
    }
    void invalidUtf8AnswersAlike()
    {
        QFETCH(QByteArray, encoded);
        const QByteArray request = "/write?name=" + encoded;
        const Response tutorial = get(m_mainPy.base() + request);
        const Response pgdesk = get(m_pgdesk.base() + request);
        QVERIFY2(tutorial.status == 200, qPrintable(tutorial.describe()));
        QCOMPARE(pgdesk.status, 200);
        QVERIFY2(tutorial.isJson(), qPrintable(tutorial.describe()));
        QCOMPARE(pgdesk.body, tutorial.body);
        const QStringList stored = psql(u"SELECT string_agg(encode(convert_to(name, 'UTF8'), 'hex'), ' ' ORDER BY id) "
                                        "FROM (SELECT id, name FROM my_table ORDER BY id DESC LIMIT 2) AS last_two"_s)
                                       .split(u' ');
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.at(1), stored.at(0));
        QVERIFY2(stored.at(0).contains(u"efbfbd"_s), qPrintable(stored.at(0))); // U+FFFD
        compareAlike("/read?name=" + encoded, 200);
    }

    void readAnswersAlike_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << u"bob"_s;
        QTest::newRow("non-ASCII") << u"Zo\u00eb \u2713 \U0001F600"_s;
        QTest::newRow("DEL") << u"del\u007f"_s;
        QTest::newRow("quote") << u"say \"hi\""_s;
        QTest::newRow("backslash") << u"back\\slash"_s;
        QTest::newRow("newline") << u"two\nlines"_s;
        QTest::newRow("fixed dates") << u"fixed"_s;
        QTest::newRow("nobody") << u"nobody"_s;
    }
    void readAnswersAlike()
    {
        QFETCH(QString, name);
        if (name == u"fixed") {
            // Python prints microseconds in six digits, or none when they are zero.
            psql(u"INSERT INTO my_table (name, date) VALUES ('fixed', '2024-03-10 02:30:00'), "
                 "('fixed', '2024-03-10 02:30:00.5'), ('fixed', '2024-03-10 02:30:00.000001'), "
                 "('fixed', '1999-12-31 23:59:59.999999')"_s);
        }
        compareAlike("/read" + query(name), 200);
    }

    void unknownPathsAnswerAlike_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("unknown") << QByteArray("/nope");
        QTest::newRow("encoded space") << QByteArray("/x%20y");
        QTest::newRow("below a route") << QByteArray("/read/more");
        QTest::newRow("root") << QByteArray("/");
        QTest::newRow("params") << QByteArray("/nope;x");
    }
    void unknownPathsAnswerAlike()
    {
        QFETCH(QByteArray, path);
        compareAlike(path, 404);
    }

    // urlparse() leaves ";params" out of the path main.py routes on.
    void paramsAfterTheRouteAnswerAlike() { compareAlike("/read;x" + query(u"bob"_s), 200); }

    void failuresAre500()
    {
        // psycopg2 refuses a NUL; main.py appends its words, pgdesk keeps them in its log.
        const QByteArray request = "/write?name=a%00b";
        const Response tutorial = get(m_mainPy.base() + request);
        const Response pgdesk = get(m_pgdesk.base() + request);
        QCOMPARE(tutorial.status, 500);
        QCOMPARE(pgdesk.status, 500);
        QCOMPARE(pgdesk.body, QByteArray("{\"result\": \"some error happened while processing the request\"}"));
        QVERIFY2(tutorial.body.startsWith("{\"result\": \"some error happened while processing the request: "),
                 qPrintable(tutorial.describe()));
    }

    // Last: both drop the table.
    void deleteAnswersAlike()
    {
        const Response pgdesk = get(m_pgdesk.base() + "/delete");
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        const Response tutorial = get(m_mainPy.base() + "/delete");
        QCOMPARE(tutorial.status, 200);
        QCOMPARE(pgdesk.status, 200);
        QCOMPARE(pgdesk.body, tutorial.body);
    }
};

QTEST_GUILESS_MAIN(TestTutorialFormat)
#include "tst_service_tutorialformat.moc"
