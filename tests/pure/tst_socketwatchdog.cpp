// SocketWatchdog on loopback TCP connections of its own, no PostgreSQL: it cuts the watched socket
// once the heartbeat stopped, never while it beats, and never a socket whose number now belongs
// to another connection. The limit is 300 ms here; the waits are several times that.
#include "connection/SocketWatchdog.h"

#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
constexpr int cutAfterMs = 300;

// A connected pair over 127.0.0.1: first is "ours", second the peer that sees the cut as EOF.
struct Loopback
{
    int ours = -1;
    int peer = -1;
    ~Loopback()
    {
        if (ours >= 0)
            ::close(ours);
        if (peer >= 0)
            ::close(peer);
    }
};

bool connectLoopback(Loopback& pair)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool listening = listener >= 0 && ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0
        && ::listen(listener, 1) == 0 && ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    if (listening) {
        pair.ours = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(pair.ours, reinterpret_cast<sockaddr*>(&address), length) == 0)
            pair.peer = ::accept(listener, nullptr, nullptr);
    }
    if (listener >= 0)
        ::close(listener);
    return pair.ours >= 0 && pair.peer >= 0;
}

// True when the peer reads the end of the connection (the cut), false when the link still
// carries a byte sent from our side.
bool peerSeesEnd(const Loopback& pair)
{
    const char byte = 'x';
    if (::send(pair.ours, &byte, 1, MSG_NOSIGNAL) != 1)
        return true; // our side was shut down
    char received = 0;
    return ::recv(pair.peer, &received, 1, 0) != 1;
}

void beatFor(SocketWatchdog& watchdog, int milliseconds)
{
    for (int waited = 0; waited < milliseconds; waited += 50) {
        watchdog.beat();
        QThread::msleep(50);
    }
}
} // namespace

class TestSocketWatchdog : public QObject
{
    Q_OBJECT

private slots:
    void aBeatingThreadKeepsItsSocket()
    {
        Loopback pair;
        QVERIFY(connectLoopback(pair));
        SocketWatchdog watchdog;
        watchdog.setCutAfter(cutAfterMs);
        watchdog.watch(pair.ours);
        beatFor(watchdog, 6 * cutAfterMs);
        QCOMPARE(watchdog.cuts(), 0);
        QVERIFY(!peerSeesEnd(pair));
    }

    void aStoppedHeartbeatCutsTheSocketOnce()
    {
        Loopback pair;
        QVERIFY(connectLoopback(pair));
        SocketWatchdog watchdog;
        watchdog.setCutAfter(cutAfterMs);
        watchdog.watch(pair.ours);
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.cuts(), 1, 20 * cutAfterMs);
        QVERIFY(peerSeesEnd(pair));
        QThread::msleep(4 * cutAfterMs); // still no beat: nothing more to cut
        QCOMPARE(watchdog.cuts(), 1);
    }

    void nothingWatchedIsNothingCut()
    {
        Loopback pair;
        QVERIFY(connectLoopback(pair));
        SocketWatchdog watchdog;
        watchdog.setCutAfter(cutAfterMs);
        watchdog.watch(pair.ours);
        watchdog.watch(-1); // the session was lost or closed
        QThread::msleep(4 * cutAfterMs);
        QCOMPARE(watchdog.cuts(), 0);
        QVERIFY(!peerSeesEnd(pair));
    }

    void aNumberNowUsedByAnotherConnectionIsLeftAlone()
    {
        Loopback first;
        Loopback second;
        QVERIFY(connectLoopback(first));
        QVERIFY(connectLoopback(second));
        SocketWatchdog watchdog;
        watchdog.setCutAfter(cutAfterMs);
        watchdog.watch(first.ours);
        // libpq closed the watched socket and another connection got its number.
        QVERIFY(::dup2(second.ours, first.ours) == first.ours);
        QThread::msleep(4 * cutAfterMs);
        QCOMPARE(watchdog.cuts(), 0);
        QVERIFY(!peerSeesEnd(second));
    }
};

QTEST_GUILESS_MAIN(TestSocketWatchdog)
#include "tst_socketwatchdog.moc"
