#pragma once

#include <QObject>
#include <QString>

namespace Ui {
class MainWindow;
}
class MainWindow;

// Copy and paste between the grid and the clipboard, as tab-separated text (what spreadsheets
// exchange): copying the selected cells, pasting into the cells from the current one on (adding
// rows past the end), and pasting a list of names as new rows. Each paste is one undo step.
class GridClipboard : public QObject
{
    Q_OBJECT

public:
    GridClipboard(MainWindow* window, Ui::MainWindow& ui);

    void copySelection();
    void pasteIntoCells();
    void pasteAsNewRows();

signals:
    void statusMessage(const QString& text, int timeout);

private:
    MainWindow* m_window;
    Ui::MainWindow& m_ui;
};
