#pragma once

#include "config/ConnectionSettings.h"
#include "table/TableList.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

// File ▸ Open table: the tables and views of the connected database, searchable, each with its
// estimated row count and whether it has a primary key (without one it opens read-only). The
// list is read on a network job; the dialog is usable, and says so, while it comes.
class TablePickerDialog : public QDialog
{
    Q_OBJECT

public:
    TablePickerDialog(const ConnectionSettings& settings, const TableName& current, QWidget* parent = nullptr);

    // The table chosen; invalid until the dialog was accepted with one selected.
    TableName chosenTable() const;
    // Accepted with "Open in new window" (Ctrl+Enter): the table opens beside the current one.
    bool opensInNewWindow() const { return m_inNewWindow; }
    bool isListRead() const { return m_read; }

private:
    void showList(const TableList::Outcome& outcome);
    void applySearch();
    void updateButtons();

    QLineEdit* m_search;
    QTableWidget* m_list;
    QLabel* m_state;
    QDialogButtonBox* m_buttons;
    QPushButton* m_newWindow;
    TableName m_current;
    bool m_read = false;
    bool m_inNewWindow = false;
};
