#pragma once

#include <QObject>
#include <QString>

class MainWindow;

// File ▸ Import rows and Export to CSV: the file dialog, the COPY on a connection of its own
// behind a progress dialog, and what the status bar says afterwards (the export names the order
// and filter it used, and that unsaved changes are not in the file).
class TransferActions : public QObject
{
    Q_OBJECT

public:
    explicit TransferActions(MainWindow* window);

    void importRows();
    void exportCsv();

signals:
    void statusMessage(const QString& text, int timeout);

private:
    MainWindow* m_window;
};
