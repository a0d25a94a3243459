#include "connection/SessionOpener.h"

#include "connection/DatabaseSession.h"

#include <QThread>

#include <memory>

bool SessionOpener::openWithTable(DatabaseSession& session, const ConnectionSettings& settings,
                                  QEventLoop::ProcessEventsFlags flags)
{
    Q_ASSERT(session.thread() == QThread::currentThread() && !session.parent());
    // Closed here: the old connection's driver belongs to this thread.
    session.close();
    QThread* home = QThread::currentThread();
    bool ok = false;
    std::unique_ptr<QThread> connector(QThread::create([&session, &settings, &ok, home] {
        ok = session.open(settings) && session.ensureTable();
        session.moveToThreadWithConnection(home);
    }));
    connector->setObjectName(QStringLiteral("pgdesk-connect"));
    session.moveToThread(connector.get());
    QEventLoop loop;
    // Queued to this thread's loop, so a connect that ends before exec() still ends it.
    QObject::connect(connector.get(), &QThread::finished, &loop, &QEventLoop::quit);
    connector->start();
    loop.exec(flags);
    connector->wait();
    return ok;
}
