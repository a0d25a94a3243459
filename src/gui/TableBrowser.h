#pragma once

#include "editing/StagedEdits.h"

#include <QItemSelection>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace Ui {
class MainWindow;
}
class ColumnStretch;
class MainWindow;
class QModelIndex;
class StatusBarPanel;
class TableModel;
class WholeTableScrollBar;

// The grid side of the window: which rows the grid shows and where it stands after each move
// (first, last, next, previous, sliding on at either end of the scroll range, a reload that
// keeps the rows in view), the current cell and the selection kept by primary key across every
// reset of the model, the page shown instead of an empty grid, adding a row and setting cells to
// NULL, the live refresh of the rows in view, and the columns' widths.
//
// It reads the window's current model and session through MainWindow's getters, which change on
// every connect, drop and rebind, and works on the window's form (the grid, the empty-state page
// and the actions whose state it reads); the window connects the model's signals to it.
class TableBrowser : public QObject
{
    Q_OBJECT

public:
    enum class EmptyStateAction { None, CreateTable, ClearFilter, AddRow };

    TableBrowser(MainWindow* window, Ui::MainWindow& ui, StatusBarPanel* status);

    // Nothing of another table or connection carries over: remembered cells name its keys.
    void forgetTable();
    // The widths, order and sort of the columns: headerState as saved, else sizes that fit.
    void applyColumnLayout(const QByteArray& headerState);

    // The scrollbar spans the rows of the order: where the first row in view stands among them.
    void updateScrollBar();

    void showFirstRows();
    void showLastRows();
    void showNextRows();
    void showPreviousRows();
    // Reads the window's rows again, keeping the rows in view where they are.
    void reloadKeepingPosition();
    // After a reconnect: the model binds its table again; widths and rows in view stay.
    void rebindKeepingLayout();
    // Another client changed the table: reload, then mark what changed (postponed while the user
    // edits a cell or rows are loading).
    void liveRefresh();
    // The row with this key gets the current cell once the next window arrives.
    void selectKeyAfterLoad(const RowKey& key) { m_selectKeyAfterLoad = key; }

    // The model's signals.
    // Arriving rows are about to reset the grid, which drops an open editor unasked: its text is
    // staged first, on the row it was typed in (a Refresh waiting for a lock, an edit begun
    // meanwhile). After a refresh in place, or on a new row, the editor opens again on that cell
    // once the rows are shown; after a move, a sort or a filter the user is elsewhere.
    void commitOpenEditors(bool inPlace);
    void rememberSelection();
    void onModelReset();
    // A screen reader selects a cell through the accessibility interface, which leaves the
    // current cell where it was: the one cell selected that way becomes current, so that F2 and
    // Row details act on the cell the user chose.
    void followSelectedCell(const QItemSelection& selected);
    void onWindowLoaded();
    // A search's first matches are on screen and the rest of the window follows below them.
    void onFirstMatchesShown();
    void onWindowFailed(const QString& message, bool cancelled);

    void updateViewOrEmptyState();
    void showEmptyState(const QString& text, EmptyStateAction action = EmptyStateAction::None);

    void addRow();
    void setSelectionToNull();
    QList<int> selectedRows() const;
    bool isEditingCell() const; // a cell editor is open: reloads and window slides wait
    int rowOf(const StagedEdits::Target& target) const; // -1 when the row is not in the grid

signals:
    void statusMessage(const QString& text, int timeout);
    void createTableRequested();
    void clearFilterRequested();

private:
    enum class AfterLoad { KeepPosition, Top, Bottom, JumpPlace };
    // Where the arrived rows put the current cell and the view (the move's AfterLoad, the top row
    // a refresh kept, an editor to reopen, a key to select); each is done once. Not complete: a
    // search's first matches, the rest to follow (a key not among them is looked for in the rest).
    void placeAfterLoad(bool complete);
    struct CellPosition
    {
        StagedEdits::Target target;
        int column = 0;
    };

    void onScrolled(int value);
    // The whole-table scrollbar's thumb: a drag asks for the rows at its place, one window at a
    // time (the newest place once the running move lands), and the release for the final place.
    void onThumbMoved(double fraction);
    void onThumbReleased(double fraction);
    void jumpToDraggedPlace();
    void refuseUnsortableColumn(int column);
    void fitColumnsToRows();
    void rememberTopRow();
    void restoreSelection();
    void runEmptyStateAction();
    std::optional<CellPosition> cellPositionOf(const QModelIndex& index) const;

    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    StatusBarPanel* m_status;
    ColumnStretch* m_columnStretch = nullptr;
    WholeTableScrollBar* m_scrollBar = nullptr;
    AfterLoad m_afterLoad = AfterLoad::KeepPosition;
    std::optional<StagedEdits::Target> m_topRow;
    std::optional<RowKey> m_selectKeyAfterLoad;
    std::optional<CellPosition> m_rememberedCell;
    QList<CellPosition> m_rememberedSelection;
    std::optional<CellPosition> m_editAfterLoad; // reopened once the arriving rows are shown
    QList<int> m_widthsToRestore; // column widths from before a reconnect
    EmptyStateAction m_emptyStateAction = EmptyStateAction::None;
    bool m_liveRefreshPending = false;
    bool m_fitColumnsAfterLoad = false; // a table without a saved layout: fit its columns to the first rows
    std::optional<quint64> m_liveGeneration; // the live refresh's request, until its rows arrive
    std::optional<double> m_draggedPlace; // a thumb place not asked for yet
    bool m_scrollingByProgram = false; // onScrolled() slides the window only for the user's scrolls
};
