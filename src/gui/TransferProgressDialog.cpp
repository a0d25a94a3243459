#include "gui/TransferProgressDialog.h"

#include "gui/ScreenFit.h"
#include "transfer/CopyTransfer.h"

#include "ui_TransferProgressDialog.h"

#include <QPushButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int progressSteps = 1000; // QProgressBar takes int; totals are qint64 (bytes, rows)
constexpr qint64 shortestRateMilliseconds = 200; // a rate over less time than this is noise
} // namespace

TransferProgressDialog::TransferProgressDialog(const QString& description, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::TransferProgressDialog>())
{
    m_ui->setupUi(this);
    setWindowTitle(description);
    m_ui->descriptionLabel->setText(description);
    m_ui->messageLabel->hide();
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &TransferProgressDialog::reject);
    m_clock.start();
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

TransferProgressDialog::~TransferProgressDialog() = default;

void TransferProgressDialog::track(CopyTransfer* transfer)
{
    m_transfer = transfer;
    m_clock.restart();
    // Queued: the transfer emits from its worker thread.
    connect(transfer, &CopyTransfer::progress, this, &TransferProgressDialog::setProgress, Qt::QueuedConnection);
    connect(transfer, &CopyTransfer::finished, this, &TransferProgressDialog::setFinished, Qt::QueuedConnection);
}

void TransferProgressDialog::setProgress(qint64 done, qint64 total, qint64 rows)
{
    if (m_finished)
        return;
    if (total > 0) {
        m_ui->progressBar->setRange(0, progressSteps);
        // An export's total is the server's estimate: done may pass it.
        const qint64 step = std::clamp<qint64>(done * progressSteps / total, 0, progressSteps);
        m_ui->progressBar->setValue(static_cast<int>(step));
    } else {
        m_ui->progressBar->setRange(0, 0); // unknown total: a busy bar
    }
    showRate(rows);
}

void TransferProgressDialog::showRate(qint64 rows)
{
    const qint64 elapsed = m_clock.elapsed();
    QString text = rows == 1 ? tr("1 row") : tr("%L1 rows").arg(rows);
    if (elapsed >= shortestRateMilliseconds)
        text += u" · "_s + tr("%L1 rows/s").arg(rows * 1000 / elapsed);
    m_ui->rateLabel->setText(text);
}

void TransferProgressDialog::setFinished(bool ok, qint64 rowCount, const QString& message)
{
    m_finished = true;
    m_ok = ok;
    m_rowCount = rowCount;
    m_message = message;
    if (ok) {
        m_ui->progressBar->setRange(0, progressSteps);
        m_ui->progressBar->setValue(progressSteps);
        showRate(rowCount);
        accept();
        return;
    }
    if (m_cancelling) {
        QDialog::reject();
        return;
    }
    // A failure is shown where the user is looking, with the line to fix; Close ends the dialog.
    m_ui->progressBar->setRange(0, progressSteps);
    m_ui->messageLabel->setText(message);
    m_ui->messageLabel->show();
    m_ui->cancelButton->setText(tr("Close"));
    m_ui->cancelButton->setEnabled(true);
}

void TransferProgressDialog::reject()
{
    if (m_finished)
        QDialog::reject();
    else
        requestCancel();
}

void TransferProgressDialog::requestCancel()
{
    if (m_cancelling)
        return;
    m_cancelling = true;
    m_ui->cancelButton->setEnabled(false);
    m_ui->cancelButton->setText(tr("Cancelling…"));
    emit cancelRequested();
    if (m_transfer)
        m_transfer->cancel();
}
