#pragma once

#include <QStyledItemDelegate>

class QLineEdit;

// Editors for the grid: a TimestampEdit for TIMESTAMP columns (when the value is an ordinary
// date), a line edit elsewhere. Opening and closing an editor on a NULL cell leaves it NULL;
// only text the user actually typed turns it into a string (possibly the empty string).
// A cell whose text the view elides shows its full value as a tooltip. In the line edit,
// Shift+Enter types a newline (Enter alone commits, as before). In a uuid, json or varchar(n)
// cell, Enter, Tab, Up, Down, Page Up and Page Down keep the editor open on text the server would
// refuse (ValueCheck) and say why; leaving the editor otherwise (a click elsewhere) stages the
// text as typed, so nothing is lost, and the save reports the server's error. The current cell of a focused
// grid gets a frame that stands out from whatever the cell is painted with: Fusion draws none
// after a mouse click and a faint one otherwise, and keyboard users lost their place.
class CellDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    bool helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

    // The frame's colour on a cell painted `background`: the palette's text colour that stands out
    // most from it, moved towards black or white if needed to reach 3:1 (WCAG's non-text contrast).
    static QColor focusFrameColour(const QPalette& palette, const QColor& background);
    static constexpr double focusFrameMinimumRatio = 3.0;
    // Paints a cell holding one line of text (cell as initStyleOption() leaves it) as the style
    // would, without its text layouts; false, painting nothing, when the cell is anything else.
    static bool paintPlainText(QPainter* painter, const QStyleOptionViewItem& cell);
    // Set on every editor this delegate makes, so the view's other children are never taken for one.
    static constexpr const char* cellEditorProperty = "pgdeskCellEditor";

signals:
    // The editor stayed open on text the column's type cannot take; the reason, for the status bar.
    void textRefused(const QString& reason);

protected:
    bool eventFilter(QObject* object, QEvent* event) override;

private:
    static constexpr const char* checkedTypeProperty = "pgdeskCheckedType";
    static constexpr const char* initialTextProperty = "pgdeskInitialText";

    QWidget* makeEditor(QWidget* parent, const QModelIndex& index) const;
    static void announceOnceFocused(QWidget* editor);
    // Shows why the server would refuse the editor's text, if it would; true then.
    bool refuseUnfitText(QLineEdit* editor);
    // Whether the view draws the cell's text elided: only the delegate knows the cell's width.
    bool isElided(const QStyleOptionViewItem& option, const QModelIndex& index, const QWidget* widget) const;
};
