#include "service/TerminationSignal.h"

#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int wakeDescriptors[2] = { -1, -1 };

void installHandler(void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}
} // namespace

TerminationSignal::TerminationSignal(QObject* parent)
    : QObject(parent)
{
    if (wakeDescriptors[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, wakeDescriptors) != 0)
        return;
    m_notifier = new QSocketNotifier(wakeDescriptors[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        [[maybe_unused]] const ssize_t bytesRead = ::read(wakeDescriptors[0], &byte, 1);
        emit received();
    });
    installHandler(&TerminationSignal::handle);
}

TerminationSignal::~TerminationSignal()
{
    if (m_notifier)
        installHandler(SIG_DFL);
}

void TerminationSignal::handle(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(wakeDescriptors[1], &byte, 1);
}
#else
TerminationSignal::TerminationSignal(QObject* parent)
    : QObject(parent)
{
}

TerminationSignal::~TerminationSignal() = default;

void TerminationSignal::handle(int) { }
#endif
