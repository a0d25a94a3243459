#pragma once

#include <QScrollBar>
#include <QStyle>

#include <optional>

class QStyleOptionSlider;

// The grid's vertical scrollbar, spanning the whole table (or the filter's matches) while the
// grid holds one window of rows. Its value and range stay the view's own, over the rows loaded,
// so the wheel, the keys and the arrows scroll as ever and slide the window at its ends (see
// TableBrowser). Only what the user sees and drags is the whole order: the thumb is painted at the
// first row's place among all rows, and dragging it asks for the rows at that place
// (TableModel::loadAtFraction) while a tooltip says "about row N of M". Where the window already
// holds every row, or the place is not known, it is a plain scrollbar.
class WholeTableScrollBar : public QScrollBar
{
    Q_OBJECT

public:
    explicit WholeTableScrollBar(QWidget* parent = nullptr);

    // What the bar spans: the rows of the order, and the place of the first row in view (estimated
    // after a drag). A total or place below 0, or a window holding every row, makes it plain.
    void setWholeRange(qint64 total, qint64 topPosition, bool estimated, bool windowHoldsAll);
    bool spansWholeOrder() const;
    bool isDragging() const { return m_dragOffset.has_value(); }
    // Where the thumb stands as a fraction of the order (where it is dragged to, while dragging).
    double thumbFraction() const;
    // "about row 4,000,000 of 10,000,000": the tooltip while dragging, and over the bar.
    QString positionText() const;
    // Where the thumb is painted, in the bar's coordinates.
    QRect thumbRect() const;

signals:
    // The thumb was dragged to this fraction of the order: moved (many times while dragging) and
    // released (once, at the end).
    void thumbMoved(double fraction);
    void thumbReleased(double fraction);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    // The style's option for the whole order: a fixed resolution of units stands for the rows,
    // so a table of billions of rows fits the int range QStyle works in.
    QStyleOptionSlider wholeOption() const;
    int unitsFromPixel(int pixel) const;
    void showPositionTip();

    qint64 m_total = -1;
    qint64 m_top = -1;
    bool m_estimated = false;
    bool m_windowHoldsAll = true;
    std::optional<int> m_dragOffset; // pixels from the thumb's top to the press, while dragging
    int m_dragUnits = 0;
    QStyle::SubControl m_pressed = QStyle::SC_None;
};
