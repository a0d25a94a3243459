#pragma once

#include <QStyledItemDelegate>

// Editors for the grid: a TimestampEdit for TIMESTAMP columns (when the value is an ordinary
// date), a line edit elsewhere. Opening and closing an editor on a NULL cell leaves it NULL;
// only text the user actually typed turns it into a string (possibly the empty string).
// A cell whose text the view elides shows its full value as a tooltip. In the line edit,
// Shift+Enter types a newline (Enter alone commits, as before).
class CellDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

protected:
    bool eventFilter(QObject* object, QEvent* event) override;

private:
    // Whether the view draws the cell's text elided: only the delegate knows the cell's width.
    bool isElided(const QStyleOptionViewItem& option, const QModelIndex& index, const QWidget* widget) const;
};
