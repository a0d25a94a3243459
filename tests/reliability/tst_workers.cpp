#include "FreezableRelay.h"
#include "TestServer.h"
#include "connection/ConnectionWatcher.h"
#include "connection/DatabaseSession.h"
#include "connection/KeysetFetcher.h"
#include "connection/NetworkThreadPool.h"
#include "transfer/CsvExporter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <csignal>
#include <memory>

#include <sys/types.h>

using namespace Qt::StringLiterals;

// The two ways pgdesk runs statements off the GUI thread, the long-lived worker connection
// (KeysetFetcher) and the one-shot network job (NetworkThreadPool: CopyTransfer, the reconnect
// probe), let go of work stuck on a dead network path instead of waiting for it when their owner
// goes (the window closing, the application quitting), and the work still ends cleanly once the
// path is back: no file half written, no connection left open.
class TestWorkers : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_workers"_s;
    QTemporaryDir m_dir;
    // Far below what waiting for the stuck statement would take (until the path thaws, which these
    // tests do only afterwards; or the 10 s connect timeout), far above a busy machine's delays.
    static constexpr qint64 letGoLimitMs = 5000;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QString pgdeskConnections()
    {
        return sql(u"SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' AND application_name = 'pgdesk'"_s.arg(
            m_database));
    }

    ConnectionSettings settingsFor(const QString& table)
    {
        ConnectionSettings settings = m_server.settings(m_database);
        settings.set(ConnectionSettings::Field::Table, table);
        return settings;
    }
    ConnectionSettings throughRelay(int relayPort, const QString& table = u"my_table"_s)
    {
        ConnectionSettings settings = settingsFor(table);
        settings.set(ConnectionSettings::Field::Port, QString::number(relayPort));
        return settings;
    }

    QStringList filesLeft() const { return QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        // Large enough that an export is still reading when the path freezes (~60 MB of CSV).
        sql(u"CREATE UNLOGGED TABLE big AS SELECT g::bigint AS id, rpad('name ' || g, 40, ' padding')::varchar AS "
            "name, timestamp '2024-01-01' + g * interval '1 second' AS date FROM generate_series(1, 1000000) g; "
            "ALTER TABLE big ADD PRIMARY KEY (id)"_s);
        sql(u"VACUUM ANALYZE big"_s);
        sql(DatabaseSession::createTableStatement(TableName(QString(), u"my_table"_s)));
    }

    void cleanup()
    {
        // Whatever a test let go has ended by now; the next one starts from nothing.
        QTRY_COMPARE_WITH_TIMEOUT(pgdeskConnections(), u"0"_s, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(NetworkThreadPool::idle(), 30000);
        for (const QString& name : filesLeft())
            QFile::remove(m_dir.filePath(name));
    }

    // Destroying a running export cancels it; given a live path the job ends at once and leaves
    // neither the file nor its temporary nor a connection.
    void aDestroyedTransferCancelsAndLeavesNothing()
    {
        const QString path = m_dir.filePath(u"live.csv"_s);
        auto exporter = std::make_unique<CsvExporter>(settingsFor(u"big"_s), path);
        // The exporter is the context, not this: a progress queued before it is destroyed must not
        // reach the lambda, whose captures end with this function.
        bool rowsArrived = false;
        connect(exporter.get(), &CopyTransfer::progress, exporter.get(), [&](qint64, qint64, qint64 rows) {
            if (rows > 0)
                rowsArrived = true;
        });
        exporter->start();
        QTRY_VERIFY_WITH_TIMEOUT(rowsArrived, 30000);
        exporter.reset();
        QVERIFY(!QFile::exists(path));
        QTRY_VERIFY_WITH_TIMEOUT(filesLeft().isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pgdeskConnections(), u"0"_s, 10000);
    }

    // An export whose path died in the middle: destroying it returns without waiting for the
    // path, and once the path is back the job ends on its own, writing nothing.
    void aTransferStuckOnADeadPathIsLetGo()
    {
        FreezableRelay relay;
        const int relayPort = relay.start(m_server.host(), m_server.port());
        QVERIFY2(relayPort > 0, qPrintable(relay.errorText()));
        const QString path = m_dir.filePath(u"dead.csv"_s);
        auto exporter = std::make_unique<CsvExporter>(throughRelay(relayPort, u"big"_s), path);
        // The first progress comes right after the row estimate: the path dies there, in the job's
        // thread, and the transaction and the COPY that follow are sent into it.
        std::atomic<bool> frozen{ false };
        connect(
            exporter.get(), &CopyTransfer::progress, exporter.get(),
            [&](qint64, qint64, qint64) {
                if (!frozen) {
                    frozen = true;
                    relay.requestFreeze();
                    QThread::msleep(200); // the relay takes it at its next packet
                }
            },
            Qt::DirectConnection);
        bool finished = false;
        connect(exporter.get(), &CopyTransfer::finished, exporter.get(), [&] { finished = true; });
        exporter->start();
        QTRY_VERIFY_WITH_TIMEOUT(frozen, 30000);
        QTest::qWait(500);
        QVERIFY(exporter->isRunning());

        QElapsedTimer clock;
        clock.start();
        exporter.reset();
        const qint64 destroyMs = clock.elapsed();
        QVERIFY2(destroyMs < letGoLimitMs, qPrintable(u"destroying the export took %1 ms"_s.arg(destroyMs)));
        qInfo("destroying the export took %lld ms", destroyMs);
        QVERIFY(!QFile::exists(path));

        QVERIFY(relay.thaw());
        QTRY_VERIFY_WITH_TIMEOUT(filesLeft().isEmpty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(pgdeskConnections(), u"0"_s, 30000);
        QVERIFY(!finished); // the job's answer went nowhere
        relay.stop();
    }

    // A worker connection whose statement hangs on a dead path: destroying it returns without
    // waiting, and its thread and connection end once the path is back.
    void aWorkerConnectionStuckOnADeadPathIsLetGo()
    {
        FreezableRelay relay;
        const int relayPort = relay.start(m_server.host(), m_server.port());
        QVERIFY2(relayPort > 0, qPrintable(relay.errorText()));
        auto fetcher = std::make_unique<KeysetFetcher>(throughRelay(relayPort));
        QSignalSpy answered(fetcher.get(), &KeysetFetcher::finished);
        KeysetFetcher::Request request;
        request.generation = 1;
        request.statements << WorkerStatement{ u"SELECT 1"_s, {}, false };
        fetcher->submit(request);
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 1, 20000);
        QVERIFY(answered.first().first().value<KeysetFetcher::Result>().error.isEmpty());

        QVERIFY(relay.freeze());
        QTest::qWait(200);
        request.generation = 2;
        fetcher->submit(request);
        QTest::qWait(500);
        QCOMPARE(answered.count(), 1);

        QElapsedTimer clock;
        clock.start();
        fetcher.reset();
        const qint64 destroyMs = clock.elapsed();
        QVERIFY2(destroyMs < letGoLimitMs, qPrintable(u"destroying the worker took %1 ms"_s.arg(destroyMs)));
        qInfo("destroying the worker took %lld ms", destroyMs);

        QVERIFY(relay.thaw());
        QTRY_COMPARE_WITH_TIMEOUT(pgdeskConnections(), u"0"_s, 30000);
        relay.stop();
    }

    // The watcher's reconnect probe is a network job: a watcher destroyed while it connects
    // into a dead path does not wait for the connect timeout.
    void aWatcherDoesNotWaitForItsReconnectProbe()
    {
        FreezableRelay relay;
        const int relayPort = relay.start(m_server.host(), m_server.port());
        QVERIFY2(relayPort > 0, qPrintable(relay.errorText()));
        DatabaseSession session;
        QVERIFY2(session.open(throughRelay(relayPort)), qPrintable(session.lastError().fullText()));
        auto watcher = std::make_unique<ConnectionWatcher>(&session);
        watcher->setCheckInterval(0);
        watcher->setBackoff(50, 50);
        QVERIFY(relay.freeze());
        QTest::qWait(200);
        session.reportLost(ConnectionError::connectionLost(session.settings(), u"the test froze the path"_s));
        QTRY_COMPARE_WITH_TIMEOUT(watcher->state(), ConnectionWatcher::State::Reconnecting, 5000);

        QElapsedTimer clock;
        clock.start();
        watcher.reset();
        const qint64 destroyMs = clock.elapsed();
        QVERIFY2(destroyMs < letGoLimitMs, qPrintable(u"destroying the watcher took %1 ms"_s.arg(destroyMs)));
        qInfo("destroying the watcher took %lld ms", destroyMs);

        QVERIFY(relay.thaw());
        session.close();
        QTRY_COMPARE_WITH_TIMEOUT(pgdeskConnections(), u"0"_s, 30000);
        relay.stop();
    }
};

QTEST_GUILESS_MAIN(TestWorkers)
#include "tst_workers.moc"
