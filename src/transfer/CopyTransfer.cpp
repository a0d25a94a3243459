#include "transfer/CopyTransfer.h"

#include "connection/NetworkThreadPool.h"
#include "transfer/CopyJob.h"

namespace {
// How long a destroyed transfer waits for its cancelled job; see the class comment.
constexpr int cancelGraceMilliseconds = 1000;
} // namespace

CopyTransfer::CopyTransfer(std::shared_ptr<CopyJob> job, QObject* parent)
    : QObject(parent)
    , m_job(std::move(job))
{
    m_job->attach(this);
}

CopyTransfer::~CopyTransfer()
{
    if (m_job->isRunning()) {
        m_job->cancel();
        m_job->waitUntilDone(QDeadlineTimer(cancelGraceMilliseconds));
    }
    m_job->detach();
}

void CopyTransfer::start()
{
    if (!m_job->begin()) {
        qWarning("CopyTransfer::start(): a transfer runs only once");
        return;
    }
    // The job holds its state; it may outlive this object (see the destructor).
    NetworkThreadPool::start([job = m_job] { job->run(); });
}

void CopyTransfer::run()
{
    if (!m_job->begin()) {
        qWarning("CopyTransfer::run(): a transfer runs only once");
        return;
    }
    m_job->run();
}

void CopyTransfer::cancel()
{
    m_job->cancel();
}

bool CopyTransfer::isCancelRequested() const
{
    return m_job->isCancelRequested();
}

bool CopyTransfer::isRunning() const
{
    return m_job->isRunning();
}

bool CopyTransfer::wait(QDeadlineTimer deadline)
{
    return m_job->waitUntilDone(deadline);
}
