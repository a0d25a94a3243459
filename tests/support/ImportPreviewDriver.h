#pragma once

#include "gui/ImportPreviewDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

// Answers File ▸ Import rows' preview (ImportPreviewDialog) as a user does, for GUI suites
// (header only: Qt Widgets). Once the dialog has read the file (its rows and the count), each step
// in turn may change its widgets, the next one waiting until the dialog has read the file again
// (a new header setting makes new column choices). After the last, what it shows is recorded and Import is clicked when
// it is enabled and wanted, otherwise Cancel.
struct ImportPreviewRun
{
    bool shown = false;
    bool importEnabled = false;
    QString message; // the problem the dialog shows, if any
    QString rowCountText;
    qint64 countedRows = -1;
    QStringList gridColumns; // the preview's columns: the table's columns a file may fill
    QList<QStringList> grid; // the preview's cells, row by row, in gridColumns' order
    QList<bool> struckThrough; // per row: marked as already in the table
    QStringList firstColumnChoices; // what the first file column may go to ("ignore" first)
    bool skipOffered = false;
    QString skipText;
};

// Returns the poll: delete it (if still there) once the import's action has returned, so that a
// preview that never showed is not answered in a later test.
inline QPointer<QTimer> answerImportPreview(const std::shared_ptr<ImportPreviewRun>& run,
                                            const QList<std::function<void(ImportPreviewDialog*)>>& steps = {},
                                            bool pressImport = true)
{
    auto* poll = new QTimer;
    auto nextStep = std::make_shared<qsizetype>(0);
    auto ticks = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, poll, [=] {
        if (++*ticks > 3000) { // a minute: the test fails on what it finds (or does not)
            poll->deleteLater();
            return;
        }
        auto* dialog = qobject_cast<ImportPreviewDialog*>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isSettled())
            return;
        run->shown = true;
        if (*nextStep < steps.size()) {
            steps.at((*nextStep)++)(dialog);
            return; // the next ticks wait until the dialog has read the file again
        }
        poll->stop();
        poll->deleteLater();
        auto* importButton = dialog->findChild<QPushButton*>(QStringLiteral("importButton"));
        auto* message = dialog->findChild<QLabel*>(QStringLiteral("messageLabel"));
        run->importEnabled = importButton->isEnabled();
        run->message = message->isVisible() ? message->text() : QString();
        run->rowCountText = dialog->findChild<QLabel*>(QStringLiteral("rowCountLabel"))->text();
        run->countedRows = dialog->countedRows();
        auto* grid = dialog->findChild<QTableWidget*>(QStringLiteral("previewTable"));
        for (int column = 0; column < grid->columnCount(); ++column)
            run->gridColumns << grid->horizontalHeaderItem(column)->text();
        if (auto* combo = dialog->findChild<QComboBox*>(QStringLiteral("mappingCombo0"))) {
            for (int item = 0; item < combo->count(); ++item)
                run->firstColumnChoices << combo->itemText(item);
        }
        auto* skip = dialog->findChild<QCheckBox*>(QStringLiteral("skipExistingCheck"));
        run->skipOffered = !skip->isHidden();
        run->skipText = skip->text();
        for (int row = 0; row < grid->rowCount(); ++row) {
            QStringList cells;
            for (int column = 0; column < grid->columnCount(); ++column)
                cells << (grid->item(row, column) ? grid->item(row, column)->text() : QString());
            run->grid << cells;
            run->struckThrough << (grid->item(row, 0) && grid->item(row, 0)->font().strikeOut());
        }
        QPushButton* press = pressImport && run->importEnabled
            ? importButton
            : dialog->findChild<QPushButton*>(QStringLiteral("cancelButton"));
        QTest::mouseClick(press, Qt::LeftButton);
    });
    poll->start(20);
    return poll;
}
