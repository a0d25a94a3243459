#pragma once

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>

#include <memory>

namespace Ui {
class TransferProgressDialog;
}
class CopyTransfer;

// The modal dialog of an import or export: a progress bar, the rows done and the rate, and
// Cancel. Esc and closing the window cancel too: the dialog closes only once the transfer has
// really stopped, since until then rows may still be on their way.
//
//     CsvImporter importer(settings, path);
//     TransferProgressDialog dialog(tr("Importing %1").arg(name), this);
//     dialog.track(&importer);
//     importer.start();
//     if (dialog.exec() == QDialog::Accepted) ...  // dialog.message(): "Imported 100,000 rows from x.csv."
//
// exec() ends Accepted when the transfer succeeded, Rejected once a cancel went through. When it
// failed, the dialog stays open with the message (selectable, it may name a line to fix) and a
// Close button, then ends Rejected; succeeded() and message() tell what happened in every case.
class TransferProgressDialog : public QDialog
{
    Q_OBJECT

public:
    explicit TransferProgressDialog(const QString& description, QWidget* parent = nullptr);
    ~TransferProgressDialog() override;

    // Follows the transfer's progress() and finished(), and cancels it on Cancel. Call before
    // transfer->start(), and exec() or open() the dialog right after it.
    void track(CopyTransfer* transfer);

    // The slots track() connects; usable directly to drive the dialog from anything else.
    void setProgress(qint64 done, qint64 total, qint64 rows);
    void setFinished(bool ok, qint64 rowCount, const QString& message);

    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_ok; }
    qint64 rowCount() const { return m_rowCount; }
    QString message() const { return m_message; }

    void reject() override;

signals:
    // Cancel was pressed (or Esc, or the window closed) while the transfer ran.
    void cancelRequested();

private:
    void requestCancel();
    void showRate(qint64 rows);

    std::unique_ptr<Ui::TransferProgressDialog> m_ui;
    QPointer<CopyTransfer> m_transfer;
    QElapsedTimer m_clock;
    bool m_cancelling = false;
    bool m_finished = false;
    bool m_ok = false;
    qint64 m_rowCount = 0;
    QString m_message;
};
