#pragma once

#include "gui/GridClipboard.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace Ui {
class MainWindow;
}
class MainWindow;
class NetworkWait;
class QAction;
class QFrame;
class QItemSelectionModel;
class QLabel;
class QPushButton;
class SaveFlow;
class TableModel;

// Edit ▸ Select all (Ctrl+A) and "Select all N matching rows". The grid holds a window of a few
// hundred rows, so Ctrl+A selects those, and when more rows match a bar above the grid offers all
// of them; Ctrl+A again or its button takes the offer. Delete, Copy and Copy as then act on the
// filter's whole set, on the server (MatchingRows), each after a question that names the exact
// count; Export writes the same set as always.
//
// The whole set is selected only while the grid shows every loaded row selected, under the same
// table, model and filter as when the user chose it: a click, an arrow key or a new filter ends
// it, so the rows the grid shows as selected and the rows an action takes never disagree. A
// delete commits only when it deletes exactly the count the user confirmed.
class MatchingSelection : public QObject
{
    Q_OBJECT

public:
    // The most rows Copy puts on the clipboard; more go to a file (Export).
    static constexpr qint64 clipboardRowLimit = 1'000'000;

    MatchingSelection(MainWindow* window, Ui::MainWindow& ui, NetworkWait* wait, SaveFlow* saveFlow);

    // After every bind: follows this model's resets and the view's selection.
    void bindModel(TableModel* model, QItemSelectionModel* selection);

    // All matching rows are selected, and still the ones the user chose.
    bool isActive() const;
    void selectAll();
    void selectAllMatching();
    void clear();

    void deleteAll();
    void copyAll(GridClipboard::Format format);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    void statusMessage(const QString& text, int timeout);
    void exportRequested();
    void activeChanged();

private:
    enum class State { None, Offered, AllMatching };

    void setState(State state);
    void updateBar();
    bool everyLoadedRowSelected() const;
    bool showsChosenSet() const;
    // Between the steps of Delete and Copy; says so when the set is no longer the chosen one.
    bool stillChosen();
    bool holdsEveryMatch() const;
    void onSelectionChanged();
    void onReloaded();
    // The count the bar shows before one is asked for: the filter's, else the table's, and
    // whether it is exact.
    std::pair<qint64, bool> knownCount() const;
    // Counts on a connection of its own through the wait; nullopt when cancelled or failed (said).
    std::optional<qint64> countNow(const QString& failureTitle, const QString& outcome);
    QString setDescription(qint64 count) const;

    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    const QObject* m_filteredView = nullptr; // compared, never dereferenced
    NetworkWait* m_wait;
    SaveFlow* m_saveFlow;
    QAction* m_selectAllAction;
    QFrame* m_bar;
    QLabel* m_barLabel;
    QPushButton* m_barButton;
    State m_state = State::None;
    QPointer<TableModel> m_model;
    QString m_filterSql; // the filter the whole set was chosen under
    bool m_selecting = false; // selection changes made here, not by the user
    bool m_checkPending = false; // onSelectionChanged() looks once the event is handled
};
