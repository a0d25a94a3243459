#pragma once

#include <QDeadlineTimer>
#include <QObject>

#include <memory>

class CopyJob;

// What CsvImporter and CsvExporter share: a COPY on a connection of its own, run as a network job
// (NetworkThreadPool), that reports progress and can be cancelled from the GUI thread.
//
// Usage (the GUI thread):
//     auto* importer = new CsvImporter(settings, path, CsvImporter::Format::Auto, parent);
//     connect(importer, &CopyTransfer::progress, ...);    // queued, at most ~20 times a second
//     connect(importer, &CopyTransfer::finished, ...);    // queued, exactly once
//     importer->start();
//     ...  importer->cancel();                            // any time, any thread
// TransferProgressDialog::track() does the connecting. run() instead of start() does the same work
// in the calling thread (a command-line tool), blocking; the signals are emitted all the same.
//
// The work and all it uses live in a CopyJob that the transfer shares with the job running it, so
// destroying a running transfer never waits long: it cancels, gives the job a second to end (on a
// live path a cancelled COPY ends in milliseconds, rolls back, and an export's temporary file goes
// with it), and then lets it go on alone; its signals no longer reach anyone.
class CopyTransfer : public QObject
{
    Q_OBJECT

public:
    ~CopyTransfer() override;

    // Runs the transfer as a network job. A transfer runs once; a second start() is ignored.
    void start();
    // Runs the transfer in the calling thread and returns when finished() has been emitted.
    void run();
    // Asks the transfer to stop: the job notices between chunks, and a statement the server is
    // running now is cancelled on the server (libpq's cancel request, sent by ServerCancel without
    // waiting). Safe from any thread. finished(false, ...) follows, with a message that says it
    // was cancelled.
    void cancel();
    bool isCancelRequested() const;
    // True from start() until finished() was emitted.
    bool isRunning() const;
    // Waits for the job to end; true when it has (or never started).
    bool wait(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

signals:
    // done of total (total 0: unknown), and the rows transferred so far. The unit of done and
    // total is the transfer's: file bytes for an import, rows for an export.
    void progress(qint64 done, qint64 total, qint64 rows);
    // ok: the whole transfer is in place (committed, or the file renamed into place). Otherwise
    // nothing is: no row was written, no file left. message is a sentence for the user.
    void finished(bool ok, qint64 rowCount, const QString& message);

protected:
    // job: the subclass's work (CsvImporter::Job, CsvExporter::Job).
    CopyTransfer(std::shared_ptr<CopyJob> job, QObject* parent);

private:
    std::shared_ptr<CopyJob> m_job;
};
