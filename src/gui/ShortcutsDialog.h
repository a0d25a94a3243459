#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QLineEdit;
class QTableWidget;

// Help ▸ Keyboard shortcuts: every action given here that has keys, with its keys, built from the
// actions themselves so the list cannot drift from what the keys do. The filter matches the
// action's text or its keys.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);

    // Tooltips that name the shortcut ("Save (Ctrl+S)"), so the toolbar teaches the keyboard;
    // actions without an object name are left alone.
    static void nameShortcutsInToolTips(const QList<QAction*>& actions);

private:
    void applyFilter(const QString& text);

    QLineEdit* m_filter;
    QTableWidget* m_table;
};
