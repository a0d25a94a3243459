#pragma once

#include <QObject>

namespace Ui {
class MainWindow;
}
class MainWindow;
class QAction;

// View > Row details (Ctrl+Shift+D): opens RowDetailsDialog on the current row and stages the
// name edited there through TableModel::setData(), one undo step that Save writes and Undo takes
// back. The action is made here rather than in the form so MainWindow only creates this object.
class RowDetails : public QObject
{
    Q_OBJECT

public:
    RowDetails(MainWindow* window, Ui::MainWindow& ui);

    void showCurrentRow();

private:
    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    QAction* m_action;
};
