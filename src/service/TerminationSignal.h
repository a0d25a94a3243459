#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM into a Qt signal, so `pgdesk serve` can close its connections and say
// "Server stopped." as the tutorial does after Ctrl+C. A signal handler may only write to a
// descriptor; the notifier picks the byte up on the event loop. Does nothing outside Unix.
class TerminationSignal : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignal(QObject* parent = nullptr);
    ~TerminationSignal() override;

signals:
    void received();

private:
    static void handle(int signalNumber);

    QSocketNotifier* m_notifier = nullptr;
};
