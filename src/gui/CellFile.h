#pragma once

#include <QObject>

namespace Ui {
class MainWindow;
}
class MainWindow;
class QAction;

// Edit > Load cell from file… and Save cell to file… (also in the grid's context menu): a bytea
// cell takes a file's bytes and gives its bytes back; a text cell (text, varchar, json, xml, …)
// takes a file that is UTF-8 text and gives its text as UTF-8. A load stages the value through
// TableModel::setData(), one undo step that Save writes, as an edit typed into the cell. Files are
// local: reading and writing them is the only work done here, never a statement.
class CellFile : public QObject
{
    Q_OBJECT

public:
    // Files larger than this are refused: the staged value is held in memory and sent in one
    // statement as hex, twice its size (PostgreSQL takes at most 1 GB in one field).
    static constexpr qint64 maxLoadBytes = 64 * 1024 * 1024;

    CellFile(MainWindow* window, Ui::MainWindow& ui);

    // From MainWindow::updateActions(): editable is the window's own verdict (a model with a key,
    // not read-only, no save running); the current cell decides the rest.
    void updateActions(bool editable);
    void loadCurrentCell();
    void saveCurrentCell();

private:
    bool isBytes(int column) const;
    bool isLoadableText(int column) const;
    void say(const QString& message);

    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    QAction* m_loadAction;
    QAction* m_saveAction;
};
