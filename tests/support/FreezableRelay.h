#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <csignal>
#include <sys/types.h>

// support/freezable-relay.py between pgdesk and a test server: a TCP path that freeze() stops in
// both directions without closing or resetting anything (a dead Wi-Fi link, a NAT entry gone) and
// thaw() brings back. Stopped when it goes. The target defines PGDESK_RELAY_SCRIPT.
class FreezableRelay
{
public:
    FreezableRelay() = default;
    FreezableRelay(const FreezableRelay&) = delete;
    FreezableRelay& operator=(const FreezableRelay&) = delete;
    ~FreezableRelay() { stop(); }

    // Relays 127.0.0.1:<the returned port> to host:port; 0 when it did not start (errorText()).
    int start(const QString& host, int port)
    {
        m_process.start(QStringLiteral("python3"),
                        { QStringLiteral(PGDESK_RELAY_SCRIPT), host, QString::number(port) });
        if (!m_process.waitForReadyRead(10000))
            return 0;
        return m_process.readLine().trimmed().toInt();
    }
    QString errorText() { return QString::fromUtf8(m_process.readAllStandardError()); }
    // Each returns once the relay says it holds (false if it never did within 10 s): a signal
    // alone is handled whenever Python gets to it, and bytes sent meanwhile would still pass.
    bool freeze() { return signalAndWait(SIGUSR1, "frozen"); }
    bool thaw() { return signalAndWait(SIGUSR2, "thawed"); }
    // freeze() from another thread (a job's), where the QProcess may not be read: signals only,
    // and the relay's acknowledgement is read and skipped by the next freeze() or thaw().
    void requestFreeze() { ::kill(static_cast<pid_t>(m_process.processId()), SIGUSR1); }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        m_process.waitForFinished(5000);
    }

private:
    bool signalAndWait(int number, const char* acknowledgement)
    {
        ::kill(static_cast<pid_t>(m_process.processId()), number);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 10000) {
            while (m_process.canReadLine()) {
                if (m_process.readLine().trimmed() == acknowledgement)
                    return true;
            }
            m_process.waitForReadyRead(100);
        }
        return false;
    }

    QProcess m_process;
};
