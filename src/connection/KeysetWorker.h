#pragma once

#include "config/ConnectionSettings.h"
#include "connection/KeysetFetcher.h"
#include "connection/ServerCancel.h"

#include <QObject>

#include <atomic>
#include <memory>

class DatabaseSession;

// The half of KeysetFetcher that lives on the worker thread and owns that thread's connection.
class KeysetWorker : public QObject
{
    Q_OBJECT

public:
    explicit KeysetWorker(ConnectionSettings settings);
    ~KeysetWorker() override;

    void execute(const KeysetFetcher::Request& request);
    // Opens the connection before the first request needs it.
    void connectAhead();
    // Called from the GUI thread; returns at once. PQcancel() is documented as safe to call from
    // another thread given a PGcancel made beforehand, which is why m_cancel is prepared right
    // after connecting. Cancels the request running now and any queued one, up to this generation.
    void cancelUpTo(quint64 generation);
    // The server process of this worker's connection, 0 before it connects: who waits, for
    // pg_blocking_pids().
    qint64 backendPid() const { return m_backendPid.load(); }
    bool isRunningUpTo(quint64 generation) const
    {
        const quint64 running = m_running.load();
        return running != 0 && running <= generation;
    }

signals:
    void finished(const KeysetFetcher::Result& result);

private:
    bool ensureConnected(QString* error);

    ConnectionSettings m_settings;
    std::unique_ptr<DatabaseSession> m_session;
    ServerCancel m_cancel;
    std::atomic<quint64> m_running{ 0 };
    std::atomic<qint64> m_backendPid{ 0 };
    std::atomic<quint64> m_cancelledGeneration{ 0 };
    // A round trip at connect took less than this (a local or nearby server).
    static constexpr qint64 slowRoundTripMilliseconds = 10;
    bool m_fastLink = true;
};
