#pragma once

#include "config/ConnectionSettings.h"
#include "connection/KeysetFetcher.h"
#include "paging/RowWindow.h"

#include <QObject>
#include <QSqlDatabase>

#include <memory>

// Runs a RowWindow's plans and hands back the newest one's rows. With a worker attached, a plan
// runs on the worker's connection (KeysetFetcher) and arrived() follows later; an older plan still
// running is cancelled on the server. One exception keeps the first rows fast: the very first plan
// after attach() that may be served here (an index range scan: key order, no filter) runs on the
// given connection under a 200 ms statement timeout, before the worker has even connected; past
// the timeout (a lock) the worker takes it over. Without a worker every plan runs at once on the
// given connection (tests and tools). A plan without statements (a Next served from the rows read
// ahead) is answered without a statement.
class WindowLoader : public QObject
{
    Q_OBJECT

public:
    explicit WindowLoader(QObject* parent = nullptr);
    ~WindowLoader() override;

    void attach(const ConnectionSettings& settings);
    bool hasWorker() const { return m_fetcher != nullptr; }
    // The worker connection's server process, 0 without one or before it connects.
    qint64 workerBackendPid() const { return m_fetcher ? m_fetcher->backendPid() : 0; }
    // Starts a plan; returns its generation. arrived() or failed() follows for the newest only.
    quint64 load(const RowWindow::Plan& plan, const QSqlDatabase& here, bool mayServeHere);
    // Esc: the running plan is cancelled on the server; failed(…, true) follows.
    void cancel();
    quint64 generation() const { return m_generation; }

signals:
    void arrived(const RowWindow::Plan& plan, const KeysetFetcher::Result& result);
    void failed(const QString& message, bool cancelled);

private:
    void serveHereOrOnWorker(const KeysetFetcher::Request& request, const QSqlDatabase& here);
    void deliver(const KeysetFetcher::Result& result);

    std::unique_ptr<KeysetFetcher> m_fetcher;
    bool m_workerAsked = false; // the worker has had a request, so it connects (or has)
    quint64 m_generation = 0;
    RowWindow::Plan m_plan; // the newest plan, until its rows arrive
};
