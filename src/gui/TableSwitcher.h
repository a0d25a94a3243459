#pragma once

#include <QObject>

namespace Ui {
class MainWindow;
}
class MainWindow;
class QAction;
class SaveFlow;

// File ▸ Open table (Ctrl+O): picks another table or view of the same database (TablePickerDialog)
// and opens it in the window, on a session of its own made off the GUI thread, after unsaved
// changes are saved or discarded. A table picked from the list is never created if it vanished
// meanwhile. The connection, with the table, goes to the recent connections, so the next start
// without a .env reopens the table last opened there.
class TableSwitcher : public QObject
{
    Q_OBJECT

public:
    TableSwitcher(MainWindow* window, Ui::MainWindow& ui, SaveFlow* saveFlow);

    void openTable();

signals:
    void statusMessage(const QString& text, int timeout);

private:
    MainWindow* m_window;
    SaveFlow* m_saveFlow;
    QAction* m_openTable;
};
