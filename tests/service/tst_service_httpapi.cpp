// Past 600 lines because every route of the tutorial's main.py (and its bad input) is sent real
// HTTP requests and checked against what the database holds, with one `pgdesk serve` as fixture,
// alone and with requests running at once.
#include "InvisibleNames.h"
#include "TestServer.h"
#include "service/HttpApi.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
QProcessEnvironment childEnvironment()
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

// `pgdesk serve --port 0` as a child process, the way a user starts it.
class ServeProcess
{
public:
    ~ServeProcess() { stop(); }

    bool start(const QStringList& arguments, QString* error,
               const QProcessEnvironment& environment = childEnvironment())
    {
        m_process.setProcessEnvironment(environment);
        m_process.start(QStringLiteral(PGDESK_BINARY), QStringList{ u"serve"_s, u"--port"_s, u"0"_s } + arguments);
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
            *error = u"pgdesk serve did not start: "_s + QString::fromUtf8(output + m_process.readAllStandardError());
            return false;
        }
        m_port = match.captured(1).toUShort();
        return m_port != 0;
    }

    // Stops it as Ctrl+C would; returns the exit code, or -1 when it did not stop by itself.
    int stop(QString* output = nullptr)
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitCode();
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_stopProblem = u"did not stop within 10 s of SIGTERM"_s;
            m_process.kill();
            m_process.waitForFinished();
            return -1;
        }
        if (output)
            *output = QString::fromUtf8(m_process.readAllStandardOutput());
        if (m_process.exitStatus() != QProcess::NormalExit) {
            m_stopProblem
                = u"crashed while stopping: "_s + QString::fromUtf8(m_process.readAllStandardError()).right(2000);
            return -1;
        }
        return m_process.exitCode();
    }
    // Why stop() returned -1, for the failure message.
    QString stopProblem() const { return m_stopProblem; }

    QString log() { return QString::fromUtf8(m_process.readAllStandardError()); }

    QUrl url(const QString& path) const
    {
        QUrl url;
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(m_port);
        url.setPath(path);
        return url;
    }

    QUrl url(const QString& path, const QString& name) const
    {
        QUrl withName = url(path);
        withName.setQuery(u"name="_s + QString::fromLatin1(QUrl::toPercentEncoding(name)), QUrl::StrictMode);
        return withName;
    }

private:
    QProcess m_process;
    QString m_stopProblem;
    quint16 m_port = 0;
};

struct Response
{
    int status = 0;
    QByteArray contentType;
    QByteArray authenticate;
    QByteArray body;
    QJsonDocument json;

    QJsonObject object() const { return json.object(); }
    QJsonArray array() const { return json.array(); }
    QString describe() const { return u"HTTP %1: %2"_s.arg(status).arg(QString::fromUtf8(body)); }
};

Response responseOf(QNetworkReply* reply)
{
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.contentType = reply->rawHeader("Content-Type");
    response.authenticate = reply->rawHeader("WWW-Authenticate");
    response.body = reply->readAll();
    QJsonParseError parseError;
    response.json = QJsonDocument::fromJson(response.body, &parseError);
    // Every answer, success or not, is JSON and says so.
    if (parseError.error != QJsonParseError::NoError || response.contentType != "application/json") {
        QTest::qFail(qPrintable(u"not a JSON response: "_s + response.describe()), __FILE__, __LINE__);
    }
    return response;
}
} // namespace

// The tutorial's main.py routes served by `pgdesk serve`, sent real HTTP requests; psql checks
// what the database holds.
class TestHttpApi : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_service_httpapi"_s;
    QTemporaryDir m_dir;
    QString m_envFile;
    ServeProcess m_serve; // no token, no --allow-drop
    QNetworkAccessManager m_network;
    QSqlDatabase m_cleanup; // quicker than psql between tests; checks still use psql

    QString psql(const QString& sql, const QString& database = {})
    {
        bool ok = false;
        const QString output = m_server.psql(database.isEmpty() ? m_database : database, sql, &ok);
        [&] { QVERIFY2(ok, qPrintable(sql)); }();
        return output;
    }

    Response get(const QUrl& url, const QByteArray& authorization = {})
    {
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply* reply = m_network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(20000);
        const Response response = responseOf(reply);
        delete reply;
        return response;
    }

    // How many requests on my_table wait for a lock another connection holds.
    QString waitingForMyTable()
    {
        return psql(u"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'my_table' AND NOT l.granted"_s);
    }

    static Response finish(QNetworkReply* reply)
    {
        if (!reply->isFinished())
            QSignalSpy(reply, &QNetworkReply::finished).wait(30000);
        const Response response = responseOf(reply);
        delete reply;
        return response;
    }

    QString envWith(const QString& name, const QString& database, const QString& table = {})
    {
        QDir(m_dir.path()).mkpath(name);
        return m_server.writeEnvFile(m_dir.filePath(name), database, table);
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QVERIFY(m_dir.isValid());
        m_envFile = envWith(u"main"_s, m_database);
        m_network.setProxy(QNetworkProxy::NoProxy);
        QVERIFY2(m_serve.start({ u"--env"_s, m_envFile }, &error), qPrintable(error));
        // main.py creates the table when it starts.
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
        m_cleanup = m_server.openConnection(u"cleanup"_s, m_database);
        QVERIFY(m_cleanup.isOpen());
    }

    void init()
    {
        if (QByteArray(QTest::currentTestFunction()).startsWith("nameParameter"))
            return;
        QSqlQuery query(m_cleanup);
        QVERIFY2(query.exec(u"TRUNCATE my_table RESTART IDENTITY"_s), qPrintable(query.lastError().text()));
    }

    void nameParameterFollowsTheTutorial_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("name");
        QTest::newRow("no query") << QString() << u"john"_s;
        QTest::newRow("blank value") << u"name="_s << u"john"_s;
        QTest::newRow("no value") << u"name"_s << u"john"_s;
        QTest::newRow("other keys") << u"nom=bob"_s << u"john"_s;
        QTest::newRow("plain") << u"name=bob"_s << u"bob"_s;
        QTest::newRow("plus is a space") << u"name=a+b"_s << u"a b"_s;
        QTest::newRow("encoded plus") << u"name=a%2Bb"_s << u"a+b"_s;
        QTest::newRow("last wins") << u"name=x&name=y"_s << u"y"_s;
        QTest::newRow("blank does not override") << u"name=x&name="_s << u"x"_s;
        QTest::newRow("encoded ampersand") << u"name=a%26name%3Db"_s << u"a&name=b"_s;
        QTest::newRow("quotes and newline") << u"name=%27%22%0A"_s << u"'\"\n"_s;
        QTest::newRow("emoji") << u"name=%F0%9F%90%98"_s << u"🐘"_s;
        QTest::newRow("only a space") << u"name=%20"_s << u" "_s;
        QTest::newRow("only a BOM") << u"name=%EF%BB%BF"_s << u"\uFEFF"_s;
        QTest::newRow("leading BOM") << u"name=%EF%BB%BFbob"_s << u"\uFEFFbob"_s;
        QTest::newRow("two BOMs") << u"name=%EF%BB%BF%EF%BB%BF"_s << u"\uFEFF\uFEFF"_s;
        QTest::newRow("BOM before the key") << u"%EF%BB%BFname=bob"_s << u"john"_s;
        // Invalid UTF-8 as main.py's parse_qsl decodes it (Python's errors='replace': one U+FFFD per
        // maximal ill-formed subpart). Each expected value is what
        //   /usr/bin/python3 -c 'import sys, urllib.parse; print(ascii(urllib.parse.unquote(sys.argv[1])))' QUERY
        // printed for the query after "name=" (Python 3.11, Debian 12).
        const auto fffd = [](int count) { return QString(count, QChar(0xFFFD)); };
        QTest::newRow("truncated 2-byte") << u"name=%C3"_s << fffd(1); // '\ufffd'
        QTest::newRow("truncated 3-byte") << u"name=%E2%82"_s << fffd(1); // '\ufffd'
        QTest::newRow("truncated 3-byte, then text") << u"name=%E2%82x"_s << fffd(1) + u"x"_s; // '\ufffdx'
        QTest::newRow("truncated 3-byte after E0") << u"name=%E0%A0"_s << fffd(1); // '\ufffd'
        QTest::newRow("truncated 4-byte, 3 of 4") << u"name=%F0%9F%90"_s << fffd(1); // '\ufffd'
        QTest::newRow("truncated 4-byte, 2 of 4") << u"name=%F0%9F"_s << fffd(1); // '\ufffd'
        QTest::newRow("emoji, then truncated 4-byte")
            << u"name=%F0%9F%90%98%F0%9F"_s << u"\U0001F418\uFFFD"_s; // '\U0001f418\ufffd'
        QTest::newRow("BOM, then truncated 3-byte") << u"name=%EF%BB%BF%E2%82"_s << u"\uFEFF\uFFFD"_s; // '\ufeff\ufffd'
        QTest::newRow("lone continuation byte") << u"name=%80"_s << fffd(1); // '\ufffd'
        QTest::newRow("two continuation bytes") << u"name=%80%80abc"_s << fffd(2) + u"abc"_s; // '\ufffd\ufffdabc'
        QTest::newRow("lead byte, then ASCII") << u"name=%C3%28"_s << fffd(1) + u"("_s; // '\ufffd('
        QTest::newRow("lead, ASCII, continuation")
            << u"name=%E2%28%A1"_s << fffd(1) + u"("_s + fffd(1); // '\ufffd(\ufffd'
        QTest::newRow("overlong 2-byte NUL") << u"name=%C0%80"_s << fffd(2); // '\ufffd\ufffd'
        QTest::newRow("overlong 3-byte") << u"name=%E0%80%80"_s << fffd(3); // '\ufffd\ufffd\ufffd'
        QTest::newRow("overlong 4-byte") << u"name=%F0%80%80%80"_s << fffd(4); // '\ufffd\ufffd\ufffd\ufffd'
        QTest::newRow("surrogate D800") << u"name=%ED%A0%80"_s << fffd(3); // '\ufffd\ufffd\ufffd'
        QTest::newRow("surrogate DFFF") << u"name=%ED%BF%BF"_s << fffd(3); // '\ufffd\ufffd\ufffd'
        QTest::newRow("above U+10FFFF") << u"name=%F4%90%80%80"_s << fffd(4); // '\ufffd\ufffd\ufffd\ufffd'
        QTest::newRow("U+10FFFF") << u"name=%F4%8F%BF%BF"_s << u"\U0010FFFF"_s; // '\U0010ffff'
        QTest::newRow("F5 lead") << u"name=%F5%80"_s << fffd(2); // '\ufffd\ufffd'
        QTest::newRow("5-byte form") << u"name=%F8%88%80%80%80"_s << fffd(5); // five '\ufffd'
        QTest::newRow("FE FF") << u"name=%FE%FF"_s << fffd(2); // '\ufffd\ufffd'
        QTest::newRow("valid 3-byte between ASCII") << u"name=a%E2%82%ACb"_s << u"a\u20ACb"_s; // 'a\u20acb'
    }

    void nameParameterFollowsTheTutorial()
    {
        QFETCH(QString, query);
        QFETCH(QString, name);
        QUrl url(u"http://127.0.0.1/read"_s);
        if (!query.isNull())
            url.setQuery(query, QUrl::StrictMode);
        QCOMPARE(HttpApi::nameParameter(url), name);
    }

    // Thousands of byte strings made mostly of the bytes where UTF-8 decoders disagree (leads,
    // continuations, E0/ED/F0/F4 and their boundary seconds, C0, C1, F5..FF), decoded by main.py's
    // own parse_qsl in one run of /usr/bin/python3 and by pgdesk: the same name every time.
    void nameParameterDecodesInvalidUtf8AsPythonDoes()
    {
        // Sized explicitly: built from a plain C string, the leading NUL would make it empty.
        static const char interestingBytes[] = "\x00\x41\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC1\xC2\xDF\xE0\xE1"
                                               "\xEC\xED\xEE\xEF\xF0\xF1\xF3\xF4\xF5\xF7\xF8\xFB\xFC\xFE\xFF";
        const QByteArray interesting(interestingBytes, sizeof interestingBytes - 1);
        QRandomGenerator random(19); // fixed, so a failure repeats
        QList<QByteArray> samples;
        for (int i = 0; i < 4000; ++i) {
            QByteArray bytes;
            const int length = 1 + random.bounded(7);
            for (int j = 0; j < length; ++j) {
                bytes += random.bounded(4) == 0 ? char(random.bounded(256))
                                                : interesting.at(random.bounded(int(interesting.size())));
            }
            if (bytes.contains('\0'))
                continue; // a NUL is refused before decoding matters
            samples << bytes;
        }
        QProcess python;
        python.start(u"/usr/bin/python3"_s,
                     { u"-c"_s,
                       u"import sys, urllib.parse\n"
                       "for line in sys.stdin:\n"
                       "    query = 'name=' + ''.join('%%%02X' % b for b in bytes.fromhex(line.strip()))\n"
                       "    name = dict(urllib.parse.parse_qsl(query)).get('name', 'john')\n"
                       "    print(name.encode('utf-8').hex())\n"_s });
        QVERIFY2(python.waitForStarted(), "no /usr/bin/python3");
        for (const QByteArray& bytes : std::as_const(samples))
            python.write(bytes.toHex() + '\n');
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QList<QByteArray> expected = python.readAllStandardOutput().split('\n');
        QCOMPARE(expected.size(), samples.size() + 1);
        for (qsizetype i = 0; i < samples.size(); ++i) {
            QUrl url(u"http://127.0.0.1/write"_s);
            url.setQuery(u"name="_s + QString::fromLatin1(samples.at(i).toPercentEncoding()), QUrl::StrictMode);
            const QByteArray decoded = HttpApi::nameParameter(url).toUtf8().toHex();
            QVERIFY2(decoded == expected.at(i),
                     qPrintable(u"bytes %1: python %2, pgdesk %3"_s.arg(QString::fromLatin1(samples.at(i).toHex(' ')),
                                                                        QString::fromLatin1(expected.at(i)),
                                                                        QString::fromLatin1(decoded))));
        }
    }

    void theTutorialsUrls()
    {
        const Response write = get(m_serve.url(u"/write"_s, u"bob"_s));
        QCOMPARE(write.status, 200);
        QCOMPARE(write.object().value(u"result"_s).toString(), u"Added record with name: bob to database"_s);
        QCOMPARE(psql(u"SELECT id || ' ' || name FROM my_table"_s), u"1 bob"_s);

        const Response read = get(m_serve.url(u"/read"_s, u"bob"_s));
        QCOMPARE(read.status, 200);
        QCOMPARE(read.array().size(), 1);
        const QJsonObject row = read.array().first().toObject();
        QCOMPARE(row.value(u"id"_s).toInteger(), 1);
        QCOMPARE(row.value(u"name"_s).toString(), u"bob"_s);
        QCOMPARE(row.value(u"date"_s).toString(), psql(u"SELECT date::text FROM my_table"_s));
        QCOMPARE(write.object().value(u"row"_s).toObject(), row);

        // main.py drops the table here; pgdesk only when started with --allow-drop.
        const Response drop = get(m_serve.url(u"/delete"_s));
        QCOMPARE(drop.status, 403);
        QCOMPARE(drop.object().value(u"error"_s).toString(), u"forbidden"_s);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"1"_s);
    }

    void nameDefaultsToJohn()
    {
        QCOMPARE(get(m_serve.url(u"/write"_s)).status, 200);
        QCOMPARE(get(m_serve.url(u"/write"_s, QString())).status, 200);
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s), u"john,john"_s);
        const Response read = get(m_serve.url(u"/read"_s));
        QCOMPARE(read.status, 200);
        QCOMPARE(read.array().size(), 2);
    }

    void awkwardNamesRoundTrip()
    {
        QString longName;
        while (longName.size() < 10000)
            longName += u"x'\"\n🐘%+&="_s;
        QCOMPARE(longName.size(), 10000);
        const QStringList names{ u"O'Brien"_s,  u"say \"hi\""_s, u"two\nlines\r\n"_s, u"Zoë 🐘"_s,     u"a+b"_s,
                                 u"x&name=y"_s, u"100%"_s,       u"back\\slash"_s,    u"</script>"_s, longName };
        for (const QString& name : names) {
            const Response write = get(m_serve.url(u"/write"_s, name));
            QVERIFY2(write.status == 200, qPrintable(write.describe().left(300)));
            QCOMPARE(write.object().value(u"row"_s).toObject().value(u"name"_s).toString(), name);
            const Response read = get(m_serve.url(u"/read"_s, name));
            QCOMPARE(read.status, 200);
            QCOMPARE(read.array().size(), 1);
            QCOMPARE(read.array().first().toObject().value(u"name"_s).toString(), name);
        }
        const QJsonArray stored
            = QJsonDocument::fromJson(psql(u"SELECT json_agg(name ORDER BY id) FROM my_table"_s).toUtf8()).array();
        QCOMPARE(stored.size(), names.size());
        for (qsizetype i = 0; i < names.size(); ++i)
            QCOMPARE(stored.at(i).toString(), names.at(i));
        const QByteArray md5 = QCryptographicHash::hash(longName.toUtf8(), QCryptographicHash::Md5).toHex();
        QCOMPARE(psql(u"SELECT md5(name) FROM my_table ORDER BY id DESC LIMIT 1"_s), QString::fromLatin1(md5));
    }

    void invisibleCharactersRoundTrip()
    {
        QCOMPARE(get(m_serve.url(u"/write"_s, u"bob"_s)).status, 200);
        const QStringList names = invisibleNames();
        for (const QString& name : names) {
            const Response write = get(m_serve.url(u"/write"_s, name));
            QVERIFY2(write.status == 200, qPrintable(write.describe()));
            QVERIFY2(write.body.contains(jsonNameMember(name, false)), write.body.toHex(' ').constData());
            QVERIFY2(write.body.contains(QByteArray("Added record with name: " + name.toUtf8() + " to database")),
                     write.body.toHex(' ').constData());
        }
        // Not "john" for a name of one U+FEFF, not "bob" for U+FEFF bob.
        QCOMPARE(psql(storedNamesAsHex()), utf8Hex(QStringList{ u"bob"_s } + names));

        for (const QString& name : QStringList{ u"bob"_s } + names) {
            const Response read = get(m_serve.url(u"/read"_s, name));
            QVERIFY2(read.status == 200, qPrintable(read.describe()));
            QCOMPARE(read.array().size(), 1);
            QVERIFY2(read.body.contains(jsonNameMember(name, false)), read.body.toHex(' ').constData());
        }
    }

    void aNulCharacterIsABadRequest()
    {
        QUrl url = m_serve.url(u"/write"_s);
        url.setQuery(u"name=a%00b"_s, QUrl::StrictMode);
        const Response write = get(url);
        QCOMPARE(write.status, 400);
        QCOMPARE(write.object().value(u"error"_s).toString(), u"invalid-name"_s);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
    }

    void twoHundredConcurrentRequests()
    {
        constexpr int requests = 200;
        constexpr int clients = 25; // each keeps up to 6 connections open: 150 at once
        std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
        for (int i = 0; i < clients; ++i) {
            managers.push_back(std::make_unique<QNetworkAccessManager>());
            managers.back()->setProxy(QNetworkProxy::NoProxy);
        }
        QList<QNetworkReply*> writes;
        QList<QNetworkReply*> reads;
        int finished = 0;
        for (int i = 0; i < requests; ++i) {
            QNetworkAccessManager& manager = *managers.at(size_t(i % clients));
            writes << manager.get(QNetworkRequest(m_serve.url(u"/write"_s, u"client %1 'ü'"_s.arg(i))));
            reads << manager.get(QNetworkRequest(m_serve.url(u"/read"_s, u"client %1 'ü'"_s.arg(i))));
            for (QNetworkReply* reply : { writes.last(), reads.last() })
                connect(reply, &QNetworkReply::finished, this, [&finished] { ++finished; });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, 2 * requests, 60000);
        for (int i = 0; i < requests; ++i) {
            const Response write = responseOf(writes.at(i));
            QVERIFY2(write.status == 200, qPrintable(write.describe()));
            QCOMPARE(write.object().value(u"row"_s).toObject().value(u"name"_s).toString(), u"client %1 'ü'"_s.arg(i));
            const Response read = responseOf(reads.at(i));
            QVERIFY2(read.status == 200, qPrintable(read.describe()));
            // A read answers with whatever was stored when it ran: nothing or that one row.
            QVERIFY(read.array().size() <= 1);
        }
        qDeleteAll(writes);
        qDeleteAll(reads);
        QCOMPARE(psql(u"SELECT count(*) || ' ' || count(DISTINCT name) FROM my_table WHERE name LIKE 'client %'"_s),
                 u"200 200"_s);
    }

    // A /write that waits on another client's lock holds up only itself: a /read answers
    // meanwhile, and the write lands once the lock goes.
    void aBlockedRequestDoesNotHoldUpTheOthers()
    {
        QCOMPARE(get(m_serve.url(u"/write"_s, u"there before"_s)).status, 200);
        QSqlDatabase holder = m_server.openConnection(u"lock holder"_s, m_database);
        QVERIFY(holder.isOpen());
        QVERIFY(holder.transaction());
        // SHARE mode lets reads in and keeps every INSERT out until the transaction ends.
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(u"LOCK TABLE my_table IN SHARE MODE"_s), qPrintable(lock.lastError().text()));

        QNetworkReply* blocked = m_network.get(QNetworkRequest(m_serve.url(u"/write"_s, u"blocked"_s)));
        // The write is on the server, waiting for the lock (not merely queued in pgdesk).
        QTRY_COMPARE_WITH_TIMEOUT(waitingForMyTable(), u"1"_s, 20000);

        const Response read = get(m_serve.url(u"/read"_s, u"there before"_s));
        QVERIFY2(read.status == 200, qPrintable(read.describe()));
        QCOMPARE(read.array().size(), 1);
        QCOMPARE(read.array().first().toObject().value(u"name"_s).toString(), u"there before"_s);
        // Another connection to the server, while the first still waits.
        QNetworkAccessManager other;
        other.setProxy(QNetworkProxy::NoProxy);
        const Response missing = finish(other.get(QNetworkRequest(m_serve.url(u"/read"_s, u"nobody"_s))));
        QCOMPARE(missing.status, 200);
        QCOMPARE(missing.array().size(), 0);
        QVERIFY(!blocked->isFinished());
        QCOMPARE(waitingForMyTable(), u"1"_s);
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s), u"there before"_s);

        QVERIFY(holder.commit());
        const Response write = finish(blocked);
        QVERIFY2(write.status == 200, qPrintable(write.describe()));
        QCOMPARE(write.object().value(u"row"_s).toObject().value(u"id"_s).toInteger(), 2);
        QCOMPARE(psql(u"SELECT string_agg(id || ' ' || name, ',' ORDER BY id) FROM my_table"_s),
                 u"1 there before,2 blocked"_s);
        lock = QSqlQuery();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"lock holder"_s);
    }

    // A client that sends its next request before the answer to the last (HTTP/1.1 pipelining)
    // gets the answers in the order it asked, though the second is ready long before the first.
    void pipelinedAnswersComeInOrder()
    {
        QSqlDatabase holder = m_server.openConnection(u"pipeline lock"_s, m_database);
        QVERIFY(holder.transaction());
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(u"LOCK TABLE my_table IN SHARE MODE"_s), qPrintable(lock.lastError().text()));

        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, m_serve.url(u"/"_s).port());
        QVERIFY(socket.waitForConnected(10000));
        socket.write("GET /write?name=first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "GET /read?name=second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(waitingForMyTable(), u"1"_s, 20000);
        QVERIFY(holder.commit());

        // Two answers, each with a Content-Length.
        QByteArray received;
        QList<QByteArray> bodies;
        QElapsedTimer timer;
        timer.start();
        while (bodies.size() < 2 && timer.elapsed() < 30000) {
            if (socket.bytesAvailable() == 0)
                socket.waitForReadyRead(500);
            received += socket.readAll();
            const qsizetype headerEnd = received.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                continue;
            const QRegularExpressionMatch length
                = QRegularExpression(u"content-length: *(\\d+)"_s, QRegularExpression::CaseInsensitiveOption)
                      .match(QString::fromLatin1(received.left(headerEnd)));
            QVERIFY2(length.hasMatch(), received.constData());
            const qsizetype bodyLength = length.captured(1).toLongLong();
            if (received.size() < headerEnd + 4 + bodyLength)
                continue;
            bodies << received.mid(headerEnd + 4, bodyLength);
            received.remove(0, headerEnd + 4 + bodyLength);
        }
        QCOMPARE(bodies.size(), 2);
        QVERIFY2(QJsonDocument::fromJson(bodies.at(0)).isObject(), bodies.at(0).constData());
        QCOMPARE(QJsonDocument::fromJson(bodies.at(0)).object().value(u"result"_s).toString(),
                 u"Added record with name: first to database"_s);
        QVERIFY2(QJsonDocument::fromJson(bodies.at(1)).isArray(), bodies.at(1).constData());
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s), u"first"_s);
        lock = QSqlQuery();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"pipeline lock"_s);
    }

    // After /delete dropped the table, writes that come at once all find it missing and create
    // it: every one of them lands, and a drop waits for a read in progress.
    void concurrentWritesAndADropLoseNothing()
    {
        ServeProcess dropping;
        QString error;
        QVERIFY2(dropping.start({ u"--env"_s, m_envFile, u"--allow-drop"_s, u"--workers"_s, u"4"_s }, &error),
                 qPrintable(error));
        QCOMPARE(get(dropping.url(u"/delete"_s)).status, 200);
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);

        constexpr int writes = 40;
        std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
        for (int i = 0; i < 4; ++i) {
            managers.push_back(std::make_unique<QNetworkAccessManager>());
            managers.back()->setProxy(QNetworkProxy::NoProxy);
        }
        QList<QNetworkReply*> replies;
        for (int i = 0; i < writes; ++i) {
            replies << managers.at(size_t(i % managers.size()))
                           ->get(QNetworkRequest(dropping.url(u"/write"_s, u"writer %1"_s.arg(i))));
        }
        for (QNetworkReply* reply : std::as_const(replies)) {
            const Response write = finish(reply);
            QVERIFY2(write.status == 200, qPrintable(write.describe()));
        }
        QCOMPARE(psql(u"SELECT count(*) || ' ' || count(DISTINCT name) FROM my_table WHERE name LIKE 'writer %'"_s),
                 u"%1 %1"_s.arg(writes));

        // A read in progress elsewhere (its transaction still open): the drop waits for it.
        QSqlDatabase reader = m_server.openConnection(u"reader"_s, m_database);
        QVERIFY(reader.transaction());
        QSqlQuery reading(reader);
        QVERIFY(reading.exec(u"SELECT count(*) FROM my_table"_s));
        QNetworkReply* drop = m_network.get(QNetworkRequest(dropping.url(u"/delete"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(waitingForMyTable(), u"1"_s, 20000);
        QVERIFY(!drop->isFinished());
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NOT NULL"_s), u"t"_s);
        reading = QSqlQuery();
        QVERIFY(reader.commit());
        const Response dropped = finish(drop);
        QVERIFY2(dropped.status == 200, qPrintable(dropped.describe()));
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        reader = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"reader"_s);

        QCOMPARE(get(dropping.url(u"/write"_s, u"afterwards"_s)).status, 200);
        QCOMPARE(psql(u"SELECT id || ' ' || name FROM my_table"_s), u"1 afterwards"_s);
    }

    void workersMustBeANumberInRange()
    {
        for (const QString& workers : { u"0"_s, u"65"_s, u"four"_s }) {
            QProcess process;
            process.setProcessEnvironment(childEnvironment());
            process.start(QStringLiteral(PGDESK_BINARY),
                          { u"serve"_s, u"--env"_s, m_envFile, u"--port"_s, u"0"_s, u"--workers"_s, workers });
            QVERIFY(process.waitForFinished(20000));
            QCOMPARE(process.exitCode(), 1);
            QVERIFY(process.readAllStandardError().contains("--workers needs a number from 1 to 64."));
        }
    }

    void aBearerTokenIsRequiredWhenSet()
    {
        ServeProcess guarded;
        QString error;
        QVERIFY2(guarded.start({ u"--env"_s, m_envFile, u"--token"_s, u"s3cret"_s }, &error), qPrintable(error));
        for (const QByteArray& wrong : { QByteArray(), QByteArray("Bearer wrong"), QByteArray("Bearer s3cret2"),
                                         QByteArray("Basic s3cret"), QByteArray("s3cret") }) {
            const Response refused = get(guarded.url(u"/write"_s, u"intruder"_s), wrong);
            QCOMPARE(refused.status, 401);
            QCOMPARE(refused.object().value(u"error"_s).toString(), u"unauthorized"_s);
            QCOMPARE(refused.authenticate, QByteArray("Bearer"));
        }
        QCOMPARE(get(guarded.url(u"/nowhere"_s)).status, 401);
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"0"_s);

        QCOMPARE(get(guarded.url(u"/write"_s, u"friend"_s), "Bearer s3cret").status, 200);
        QCOMPARE(get(guarded.url(u"/read"_s, u"friend"_s), "bearer s3cret").array().size(), 1);
        QCOMPARE(get(guarded.url(u"/nowhere"_s), "Bearer s3cret").status, 404);
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s), u"friend"_s);

        // The token can come from the environment, out of sight of the process list.
        ServeProcess fromEnvironment;
        QProcessEnvironment environment = childEnvironment();
        environment.insert(u"PGDESK_TOKEN"_s, u"from-env"_s);
        QVERIFY2(fromEnvironment.start({ u"--env"_s, m_envFile }, &error, environment), qPrintable(error));
        QCOMPARE(get(fromEnvironment.url(u"/read"_s)).status, 401);
        QCOMPARE(get(fromEnvironment.url(u"/read"_s), "Bearer from-env").status, 200);
    }

    void deleteDropsTheTableOnlyWhenAllowed()
    {
        ServeProcess dropping;
        QString error;
        QVERIFY2(dropping.start({ u"--env"_s, m_envFile, u"--allow-drop"_s }, &error), qPrintable(error));
        QCOMPARE(get(dropping.url(u"/write"_s, u"bob"_s)).status, 200);
        const Response drop = get(dropping.url(u"/delete"_s));
        QCOMPARE(drop.status, 200);
        QCOMPARE(drop.object().value(u"result"_s).toString(), u"Deleted all data in the table"_s);
        QCOMPARE(psql(u"SELECT to_regclass('my_table') IS NULL"_s), u"t"_s);
        QCOMPARE(get(dropping.url(u"/delete"_s)).status, 200);

        // The next write creates the table again, where main.py would fail until restarted.
        QCOMPARE(get(m_serve.url(u"/write"_s, u"again"_s)).status, 200);
        QCOMPARE(psql(u"SELECT id || ' ' || name FROM my_table"_s), u"1 again"_s);
    }

    void unknownPathsAre404()
    {
        for (const QString& path : { u"/"_s, u"/nope"_s, u"/readx"_s, u"/read/"_s, u"/write/x"_s }) {
            const Response missing = get(m_serve.url(path));
            QCOMPARE(missing.status, 404);
            QCOMPARE(missing.object().value(u"error"_s).toString(), u"not-found"_s);
            QCOMPARE(missing.object().value(u"result"_s).toString(), u"path: "_s + path + u" is not valid"_s);
        }
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
    }

    void errorsDoNotLeakDetails()
    {
        psql(u"DROP TABLE IF EXISTS wrong_shape; CREATE TABLE wrong_shape (id int, title text)"_s);
        ServeProcess wrongShape;
        QString error;
        QVERIFY2(wrongShape.start({ u"--env"_s, envWith(u"wrong-shape"_s, m_database, u"wrong_shape"_s) }, &error),
                 qPrintable(error));
        for (const QString& path : { u"/write"_s, u"/read"_s }) {
            const Response failed = get(wrongShape.url(path, u"bob"_s));
            QCOMPARE(failed.status, 500);
            QCOMPARE(failed.object().value(u"error"_s).toString(), u"database-error"_s);
            for (const QString& secret : { u"wrong_shape"_s, u"INSERT"_s, u"SELECT"_s, u"column"_s, m_server.password(),
                                           m_server.user(), QString::number(m_server.port()), m_database })
                QVERIFY2(!failed.body.contains(secret.toUtf8()), qPrintable(secret + u": "_s + failed.describe()));
        }
        // The operator's log has the server's words.
        const QString log = wrongShape.log();
        QVERIFY2(log.contains(u"column \"name\""_s), qPrintable(log));
        psql(u"DROP TABLE wrong_shape"_s);
    }

    void keepsServingAfterItsConnectionIsTerminated()
    {
        QCOMPARE(get(m_serve.url(u"/write"_s, u"before"_s)).status, 200);
        // One connection per worker that has had a request so far; every one of them goes.
        const QString terminated = psql(u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                        "WHERE application_name = 'pgdesk' AND datname = '"_s
                                        + m_database + u"' AND pid <> pg_backend_pid()"_s);
        QVERIFY2(terminated.toInt() >= 1, qPrintable(terminated));
        const Response write = get(m_serve.url(u"/write"_s, u"after"_s));
        QVERIFY2(write.status == 200, qPrintable(write.describe()));
        QCOMPARE(psql(u"SELECT string_agg(name, ',' ORDER BY id) FROM my_table"_s), u"before,after"_s);
        QVERIFY(m_serve.log().contains(u"Reconnected to the database."_s));

        psql(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgdesk' AND "
             "datname = '"_s
             + m_database + u"' AND pid <> pg_backend_pid()"_s);
        const Response read = get(m_serve.url(u"/read"_s, u"after"_s));
        QVERIFY2(read.status == 200, qPrintable(read.describe()));
        QCOMPARE(read.array().size(), 1);
    }

    void answers503WhileTheDatabaseIsGoneAndRecovers()
    {
        const QString database = u"tst_service_httpapi_restart"_s;
        QString error;
        QVERIFY(m_server.recreateDatabase(database, &error));
        ServeProcess serve;
        QVERIFY2(serve.start({ u"--env"_s, envWith(u"restart"_s, database) }, &error), qPrintable(error));
        QCOMPARE(get(serve.url(u"/write"_s, u"first"_s)).status, 200);

        psql(u"DROP DATABASE "_s + database + u" WITH (FORCE)"_s, u"postgres"_s);
        const Response unavailable = get(serve.url(u"/read"_s, u"first"_s));
        QCOMPARE(unavailable.status, 503);
        QCOMPARE(unavailable.object().value(u"error"_s).toString(), u"database-unavailable"_s);
        QVERIFY(!unavailable.body.contains(database.toUtf8()));
        QVERIFY(!unavailable.body.contains(m_server.password().toUtf8()));

        QVERIFY(m_server.recreateDatabase(database, &error));
        const Response write = get(serve.url(u"/write"_s, u"second"_s));
        QVERIFY2(write.status == 200, qPrintable(write.describe()));
        QCOMPARE(psql(u"SELECT string_agg(name, ',') FROM my_table"_s, database), u"second"_s);
        serve.stop();
        psql(u"DROP DATABASE "_s + database + u" WITH (FORCE)"_s, u"postgres"_s);
    }

    // A database whose DateStyle is not ISO: psql then prints dates its way, and pgdesk still
    // gives ISO (it pins DateStyle for its session), the same wall-clock value, on the command
    // line and over HTTP in both formats.
    void aDatabaseDateStyleThatIsNotIsoStillGivesIso()
    {
        const QString database = u"tst_service_httpapi_datestyle"_s;
        QString error;
        QVERIFY(m_server.recreateDatabase(database, &error));
        psql(u"ALTER DATABASE "_s + database + u" SET DateStyle = 'SQL, DMY'"_s, u"postgres"_s);
        psql(u"CREATE TABLE my_table (id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
             "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
             "INSERT INTO my_table (name, date) VALUES ('fixed', '2024-03-10 02:30:00.123456')"_s,
             database);
        QCOMPARE(psql(u"SELECT date FROM my_table"_s, database), u"10/03/2024 02:30:00.123456"_s);
        const QString iso = u"2024-03-10 02:30:00.123456"_s;
        const QString envFile = envWith(u"datestyle"_s, database);

        QProcess read;
        read.setProcessEnvironment(childEnvironment());
        read.start(QStringLiteral(PGDESK_BINARY), { u"read"_s, u"--json"_s, u"--env"_s, envFile, u"fixed"_s });
        QVERIFY(read.waitForFinished(30000));
        const QByteArray readOutput = read.readAllStandardOutput();
        QVERIFY2(read.exitCode() == 0, qPrintable(QString::fromUtf8(readOutput + read.readAllStandardError())));
        const QJsonArray readRows = QJsonDocument::fromJson(readOutput).array();
        QCOMPARE(readRows.size(), 1);
        QCOMPARE(readRows.first().toObject().value(u"date"_s).toString(), iso);

        ServeProcess serve;
        QVERIFY2(serve.start({ u"--env"_s, envFile }, &error), qPrintable(error));
        const Response served = get(serve.url(u"/read"_s, u"fixed"_s));
        QCOMPARE(served.status, 200);
        QCOMPARE(served.array().size(), 1);
        QCOMPARE(served.array().first().toObject().value(u"date"_s).toString(), iso);
        const Response write = get(serve.url(u"/write"_s, u"new"_s));
        QCOMPARE(write.status, 200);
        const QString written = write.object().value(u"row"_s).toObject().value(u"date"_s).toString();
        QVERIFY2(
            QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?$"_s).match(written).hasMatch(),
            qPrintable(written));
        // The same instant as stored (ISO input reads alike under any DateStyle).
        QCOMPARE(psql(u"SELECT date = '%1'::timestamp FROM my_table WHERE name = 'new'"_s.arg(written), database),
                 u"t"_s);

        ServeProcess tutorial;
        QVERIFY2(tutorial.start({ u"--env"_s, envFile, u"--tutorial-format"_s }, &error), qPrintable(error));
        const Response tutorialRead = get(tutorial.url(u"/read"_s, u"fixed"_s));
        QCOMPARE(tutorialRead.status, 200);
        QCOMPARE(tutorialRead.array().first().toArray().at(2).toString(), iso);

        serve.stop();
        tutorial.stop();
        psql(u"DROP DATABASE "_s + database + u" WITH (FORCE)"_s, u"postgres"_s);
    }

    void aPortInUseIsAUsageError()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost));
        QProcess process;
        process.setProcessEnvironment(childEnvironment());
        process.start(QStringLiteral(PGDESK_BINARY),
                      { u"serve"_s, u"--env"_s, m_envFile, u"--port"_s, QString::number(occupier.serverPort()) });
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(process.readAllStandardError().contains("Cannot listen on 127.0.0.1 port"));
    }

    void stopsCleanlyOnSigterm()
    {
        ServeProcess serve;
        QString error;
        QVERIFY2(serve.start({ u"--env"_s, m_envFile }, &error), qPrintable(error));
        QString output;
        QCOMPARE(serve.stop(&output), 0);
        QCOMPARE(output, u"Server stopped.\n"_s);
    }

    // Ctrl+C while a request waits on another client's lock: its statement is cancelled on the
    // server and pgdesk stops, rather than wait for the lock.
    void stopsWhileARequestWaitsOnALock()
    {
        ServeProcess serve;
        QString error;
        QVERIFY2(serve.start({ u"--env"_s, m_envFile }, &error), qPrintable(error));
        QSqlDatabase holder = m_server.openConnection(u"stop lock"_s, m_database);
        QVERIFY(holder.transaction());
        QSqlQuery lock(holder);
        QVERIFY2(lock.exec(u"LOCK TABLE my_table IN SHARE MODE"_s), qPrintable(lock.lastError().text()));
        QNetworkReply* blocked = m_network.get(QNetworkRequest(serve.url(u"/write"_s, u"never"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(waitingForMyTable(), u"1"_s, 20000);

        QString output;
        QCOMPARE(serve.stop(&output), 0); // -1 when it had to be killed
        QCOMPARE(output, u"Server stopped.\n"_s);
        QCOMPARE(waitingForMyTable(), u"0"_s);
        QVERIFY(holder.commit());
        QCOMPARE(psql(u"SELECT count(*) FROM my_table"_s), u"0"_s);
        // Its connection was closed without an answer.
        if (!blocked->isFinished())
            QSignalSpy(blocked, &QNetworkReply::finished).wait(5000);
        QVERIFY(blocked->error() != QNetworkReply::NoError);
        delete blocked;
        lock = QSqlQuery();
        holder = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"stop lock"_s);
    }

    void cleanupTestCase()
    {
        const int exitCode = m_serve.stop();
        QVERIFY2(exitCode == 0, qPrintable(u"exit code %1, %2"_s.arg(exitCode).arg(m_serve.stopProblem())));
        m_cleanup = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"cleanup"_s);
    }
};

QTEST_GUILESS_MAIN(TestHttpApi)
#include "tst_service_httpapi.moc"
