#include "transfer/CopyJob.h"

#include "connection/DatabaseSession.h"
#include "transfer/CopyTransfer.h"

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 progressIntervalMilliseconds = 50; // at most ~20 progress signals a second
} // namespace

CopyJob::CopyJob(ConnectionSettings settings)
    : m_settings(std::move(settings))
{
}

CopyJob::~CopyJob() = default;

void CopyJob::attach(CopyTransfer* front)
{
    QMutexLocker locker(&m_frontMutex);
    m_front = front;
}

void CopyJob::detach()
{
    QMutexLocker locker(&m_frontMutex);
    m_front = nullptr;
}

bool CopyJob::begin()
{
    if (m_started.exchange(true))
        return false;
    m_running = true;
    return true;
}

void CopyJob::run()
{
    const Outcome outcome = execute();
    closeConnection();
    m_running = false;
    {
        // Emitted from the job's thread: receivers in the GUI thread get it queued.
        QMutexLocker locker(&m_frontMutex);
        if (m_front)
            emit m_front->finished(outcome.ok, outcome.rows, outcome.message);
    }
    QMutexLocker locker(&m_doneMutex);
    m_done = true;
    m_doneCondition.wakeAll();
}

bool CopyJob::waitUntilDone(QDeadlineTimer deadline)
{
    if (!m_started.load())
        return true;
    QMutexLocker locker(&m_doneMutex);
    while (!m_done) {
        if (!m_doneCondition.wait(&m_doneMutex, deadline))
            return m_done;
    }
    return true;
}

void CopyJob::cancel()
{
    // The flag first: a job between two statements sees it at its next check, and one inside a
    // statement is reached by the cancel request below (sent without waiting for it).
    m_cancelRequested = true;
    m_cancel.send();
}

void CopyJob::cancelOnServer()
{
    m_cancel.send();
}

bool CopyJob::openConnection(QString* error)
{
    m_session = std::make_unique<DatabaseSession>();
    if (!m_session->open(m_settings)) {
        *error = m_session->lastError().fullText();
        m_session.reset();
        return false;
    }
    m_table = m_session->tableName();
    m_connection = m_session->nativeConnection();
    if (!m_connection) {
        *error = tr("The PostgreSQL driver does not give access to its connection, which COPY needs.");
        closeConnection();
        return false;
    }
    // QPSQL already asks for UTF-8; the files are UTF-8 whatever the database's encoding is, and
    // the server converts, so this must hold.
    if (PQsetClientEncoding(m_connection, "UTF8") != 0 || PQtransactionStatus(m_connection) != PQTRANS_IDLE) {
        *error = tr("The connection is not ready for COPY: %1")
                     .arg(QString::fromUtf8(PQerrorMessage(m_connection)).trimmed());
        closeConnection();
        return false;
    }
    m_cancel.reset(m_connection);
    return true;
}

void CopyJob::closeConnection()
{
    m_cancel.reset(nullptr);
    m_connection = nullptr;
    if (m_session)
        m_session->close();
    m_session.reset();
}

bool CopyJob::command(const char* sql, QString* error)
{
    PGresult* result = PQexec(m_connection, sql);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok && error)
        *error = errorText(result);
    PQclear(result);
    return ok;
}

QString CopyJob::errorText(const pg_result* result) const
{
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    QString text = primary ? QString::fromUtf8(primary)
                           : QString::fromUtf8(m_connection ? PQerrorMessage(m_connection) : "").trimmed();
    if (text.isEmpty())
        text = tr("the server did not say why");
    const char* hint = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_HINT) : nullptr;
    if (hint)
        text += u" ("_s + QString::fromUtf8(hint) + u')';
    return text;
}

void CopyJob::reportProgress(qint64 done, qint64 total, qint64 rows, bool force)
{
    if (!m_progressClock.isValid()) {
        m_progressClock.start();
        m_lastProgressAt = -progressIntervalMilliseconds;
    }
    const qint64 now = m_progressClock.elapsed();
    if (!force && now - m_lastProgressAt < progressIntervalMilliseconds)
        return;
    m_lastProgressAt = now;
    QMutexLocker locker(&m_frontMutex);
    if (m_front)
        emit m_front->progress(done, total, rows);
}
