#include "config/ConnectionUri.h"

#include <QTest>

using namespace Qt::StringLiterals;

// URIs as hosting platforms hand them out, read the way libpq reads them. No server: what libpq
// then does with the values is checked against real servers in tst_hostedconnections.
class TestConnectionUri : public QObject
{
    Q_OBJECT

private:
    static QString valueOf(const ConnectionUri& uri, const QString& keyword)
    {
        return uri.value(keyword).value_or(u"<unset>"_s);
    }

private slots:
    void parts_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("dbname");
        const QString unset = u"<unset>"_s;
        QTest::newRow("heroku") << u"postgres://u1abc:p4ss@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d9x"_s
                                << u"ec2-1-2-3-4.compute-1.amazonaws.com"_s << u"5432"_s << u"u1abc"_s << u"p4ss"_s
                                << u"d9x"_s;
        QTest::newRow("postgresql scheme, no port")
            << u"postgresql://me@db.example.com/app"_s << u"db.example.com"_s << unset << u"me"_s << unset << u"app"_s;
        QTest::newRow("percent-encoding everywhere")
            << u"postgres://us%40er:pa%40ss%3Aw%2Fo%25rd@h%C3%B6st/d%20b"_s << u"höst"_s << unset << u"us@er"_s
            << u"pa@ss:w/o%rd"_s << u"d b"_s;
        QTest::newRow("a plus stays a plus")
            << u"postgres://u:a+b@h/d"_s << u"h"_s << unset << u"u"_s << u"a+b"_s << u"d"_s;
        QTest::newRow("colon in the password")
            << u"postgres://u:a:b@h/d"_s << u"h"_s << unset << u"u"_s << u"a:b"_s << u"d"_s;
        QTest::newRow("empty password") << u"postgres://u:@h/d"_s << u"h"_s << unset << u"u"_s << QString() << u"d"_s;
        QTest::newRow("IPv6 loopback") << u"postgresql://[::1]:5433/postgres"_s << u"::1"_s << u"5433"_s << unset
                                       << unset << u"postgres"_s;
        QTest::newRow("IPv6 without port")
            << u"postgresql://[2001:db8::7]/x"_s << u"2001:db8::7"_s << unset << unset << unset << u"x"_s;
        QTest::newRow("several hosts") << u"postgresql://u@h1:5432,h2:5433,[::1]:5434/db"_s << u"h1,h2,::1"_s
                                       << u"5432,5433,5434"_s << u"u"_s << unset << u"db"_s;
        QTest::newRow("several hosts, one port")
            << u"postgresql://h1,h2:6000/db"_s << u"h1,h2"_s << u",6000"_s << unset << unset << u"db"_s;
        QTest::newRow("socket directory encoded") << u"postgresql://%2Fvar%2Frun%2Fpostgresql/db"_s
                                                  << u"/var/run/postgresql"_s << unset << unset << unset << u"db"_s;
        QTest::newRow("no host, socket from the query") << u"postgresql:///db?host=/tmp/sock&port=6543"_s
                                                        << u"/tmp/sock"_s << u"6543"_s << unset << unset << u"db"_s;
        QTest::newRow("query overrides the address")
            << u"postgresql://a:1/db?host=b&user=q&dbname=other"_s << u"b"_s << u"1"_s << u"q"_s << unset << u"other"_s;
        QTest::newRow("nothing at all") << u"postgresql://"_s << unset << unset << unset << unset << unset;
        QTest::newRow("scheme in capitals, spaces around")
            << u"  POSTGRES://h/d \n"_s << u"h"_s << unset << unset << unset << u"d"_s;
    }
    void parts()
    {
        QFETCH(QString, uri);
        const ConnectionUri parsed = ConnectionUri::parse(uri);
        QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
        QTEST(valueOf(parsed, u"host"_s), "host");
        QTEST(valueOf(parsed, u"port"_s), "port");
        QTEST(valueOf(parsed, u"user"_s), "user");
        QTEST(valueOf(parsed, u"password"_s), "password");
        QTEST(valueOf(parsed, u"dbname"_s), "dbname");
    }

    void queryParameters()
    {
        const ConnectionUri uri = ConnectionUri::parse(
            u"postgres://u:p@h:5432/d?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&sslcert=/c.crt&sslkey=/c.key"
            "&connect_timeout=5&application_name=my%20app&target_session_attrs=read-write&&"_s);
        QVERIFY2(uri.isValid(), qPrintable(uri.errorString()));
        QCOMPARE(valueOf(uri, u"sslmode"_s), u"verify-full"_s);
        QCOMPARE(valueOf(uri, u"sslrootcert"_s), u"/etc/ca.pem"_s);
        QCOMPARE(valueOf(uri, u"sslcert"_s), u"/c.crt"_s);
        QCOMPARE(valueOf(uri, u"sslkey"_s), u"/c.key"_s);
        QCOMPARE(valueOf(uri, u"connect_timeout"_s), u"5"_s);
        QCOMPARE(valueOf(uri, u"application_name"_s), u"my app"_s);
        QCOMPARE(valueOf(uri, u"target_session_attrs"_s), u"read-write"_s);
    }

    void sslTrueMeansRequireAsInLibpq()
    {
        const ConnectionUri uri = ConnectionUri::parse(u"postgres://h/d?ssl=true"_s);
        QVERIFY(uri.isValid());
        QCOMPARE(valueOf(uri, u"sslmode"_s), u"require"_s);
        QCOMPARE(valueOf(uri, u"ssl"_s), u"<unset>"_s);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("says");
        QTest::newRow("another scheme") << u"mysql://u:secret@h/d"_s << u"postgres://"_s;
        QTest::newRow("no scheme") << u"u:secret@h/d"_s << u"postgres://"_s;
        QTest::newRow("jdbc") << u"jdbc:postgresql://h/d"_s << u"postgres://"_s;
        QTest::newRow("unknown parameter") << u"postgres://u:secret@h/d?pgbouncer=true"_s << u"\"pgbouncer\""_s;
        QTest::newRow("a typo must not drop TLS") << u"postgres://u:secret@h/d?ssl_mode=require"_s << u"\"ssl_mode\""_s;
        QTest::newRow("client_encoding") << u"postgres://u:secret@h/d?client_encoding=LATIN1"_s << u"client_encoding"_s;
        QTest::newRow("parameter without value") << u"postgres://u:secret@h/d?sslmode"_s << u"'=value'"_s;
        QTest::newRow("bad escape") << u"postgres://u:secr%zzet@h/d"_s << u"%-escape"_s;
        QTest::newRow("encoded NUL") << u"postgres://u:secret@h/d%00x"_s << u"%-escape"_s;
        QTest::newRow("truncated escape") << u"postgres://u:secret@h/d%4"_s << u"%-escape"_s;
        QTest::newRow("unescaped @ in the password") << u"postgres://u:sec@ret@h/d"_s << u"%40"_s;
        QTest::newRow("unescaped / in the password") << u"postgres://u:sec/ret@h/d"_s << u"%2F"_s;
        QTest::newRow("port not a number") << u"postgres://u:secret@h:54x2/d"_s << u"port"_s;
        QTest::newRow("port out of range") << u"postgres://h:70000/d"_s << u"port"_s;
        QTest::newRow("unclosed IPv6") << u"postgres://[::1:5432/d"_s << u"']'"_s;
        QTest::newRow("empty IPv6") << u"postgres://[]:5432/d"_s << u"empty"_s;
        QTest::newRow("junk after IPv6") << u"postgres://[::1]x/d"_s << u"']'"_s;
    }
    void refused()
    {
        QFETCH(QString, uri);
        QFETCH(QString, says);
        const ConnectionUri parsed = ConnectionUri::parse(uri);
        QVERIFY(!parsed.isValid());
        QVERIFY2(parsed.errorString().contains(says), qPrintable(parsed.errorString()));
        QVERIFY2(!parsed.errorString().contains(u"secret"_s) && !parsed.errorString().contains(u"ret@"_s),
                 qPrintable(parsed.errorString()));
        QVERIFY(parsed.parameters().isEmpty());
    }

    void everyPassThroughKeywordIsAccepted()
    {
        for (const QString& keyword : ConnectionUri::passThroughKeywords()) {
            const ConnectionUri uri = ConnectionUri::parse(u"postgres://h/d?"_s + keyword + u"=1"_s);
            QVERIFY2(uri.isValid(), qPrintable(keyword + u": "_s + uri.errorString()));
            QCOMPARE(valueOf(uri, keyword), u"1"_s);
        }
    }

    void looksLikeUri()
    {
        QVERIFY(ConnectionUri::looksLikeUri(u"postgres://x"_s));
        QVERIFY(ConnectionUri::looksLikeUri(u" postgresql://"_s));
        QVERIFY(!ConnectionUri::looksLikeUri(u"db.example.com"_s));
        QVERIFY(!ConnectionUri::looksLikeUri(u"/var/run/postgresql"_s));
    }
};

QTEST_GUILESS_MAIN(TestConnectionUri)
#include "tst_connectionuri.moc"
