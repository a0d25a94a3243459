#include "gui/WholeTableScrollBar.h"

#include <QLocale>
#include <QMouseEvent>
#include <QStyleOptionSlider>
#include <QStylePainter>
#include <QToolTip>

#include <cmath>

namespace {
constexpr int units = 1000000;
}

WholeTableScrollBar::WholeTableScrollBar(QWidget* parent)
    : QScrollBar(Qt::Vertical, parent)
{
    setObjectName(QStringLiteral("wholeTableScrollBar"));
}

void WholeTableScrollBar::setWholeRange(qint64 total, qint64 topPosition, bool estimated, bool windowHoldsAll)
{
    if (total == m_total && topPosition == m_top && estimated == m_estimated && windowHoldsAll == m_windowHoldsAll)
        return;
    m_total = total;
    m_top = topPosition;
    m_estimated = estimated;
    m_windowHoldsAll = windowHoldsAll;
    if (spansWholeOrder())
        setToolTip(positionText());
    else
        setToolTip({});
    update();
}

bool WholeTableScrollBar::spansWholeOrder() const
{
    return !m_windowHoldsAll && m_total > 0 && m_top >= 0;
}

double WholeTableScrollBar::thumbFraction() const
{
    if (isDragging())
        return static_cast<double>(m_dragUnits) / units;
    if (!spansWholeOrder())
        return maximum() > minimum() ? static_cast<double>(value() - minimum()) / (maximum() - minimum()) : 0;
    const qint64 rowsInView = qMax(1, pageStep());
    const qint64 lastTop = qMax<qint64>(1, m_total - rowsInView);
    return qBound(0.0, static_cast<double>(m_top) / static_cast<double>(lastTop), 1.0);
}

QString WholeTableScrollBar::positionText() const
{
    if (m_total <= 0)
        return {};
    const qint64 rowsInView = qMax(1, pageStep());
    const qint64 row = std::llround(thumbFraction() * static_cast<double>(qMax<qint64>(0, m_total - rowsInView))) + 1;
    const QLocale locale;
    if (m_estimated || isDragging())
        return tr("about row %1 of %2").arg(locale.toString(row), locale.toString(m_total));
    return tr("row %1 of %2").arg(locale.toString(row), locale.toString(m_total));
}

QStyleOptionSlider WholeTableScrollBar::wholeOption() const
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    option.subControls = QStyle::SC_All; // initStyleOption() leaves them out, as QScrollBar's own paintEvent knows
    option.minimum = 0;
    option.maximum = units;
    // The thumb's length is the rows in view among all rows, at least the style's minimum.
    const double shown = static_cast<double>(qMax(1, pageStep())) / static_cast<double>(m_total);
    option.pageStep = qMax(1, static_cast<int>(std::lround(units * shown / qMax(1e-9, 1.0 - shown))));
    option.singleStep = 1;
    const int position = static_cast<int>(std::lround(thumbFraction() * units));
    option.sliderPosition = position;
    option.sliderValue = position;
    if (m_pressed != QStyle::SC_None) {
        option.activeSubControls = m_pressed;
        option.state |= QStyle::State_Sunken;
    }
    return option;
}

QRect WholeTableScrollBar::thumbRect() const
{
    QStyleOptionSlider option;
    if (spansWholeOrder() || isDragging()) {
        option = wholeOption();
    } else {
        initStyleOption(&option);
        option.subControls = QStyle::SC_All;
    }
    return style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
}

int WholeTableScrollBar::unitsFromPixel(int pixel) const
{
    const QStyleOptionSlider option = wholeOption();
    const QRect groove = style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarGroove, this);
    const QRect thumb = style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
    const int span = groove.height() - thumb.height();
    return QStyle::sliderValueFromPosition(0, units, pixel - groove.top(), qMax(1, span));
}

void WholeTableScrollBar::paintEvent(QPaintEvent* event)
{
    if (!spansWholeOrder() && !isDragging()) {
        QScrollBar::paintEvent(event);
        return;
    }
    QStylePainter painter(this);
    painter.drawComplexControl(QStyle::CC_ScrollBar, wholeOption());
}

void WholeTableScrollBar::mousePressEvent(QMouseEvent* event)
{
    if (!spansWholeOrder() || event->button() != Qt::LeftButton) {
        QScrollBar::mousePressEvent(event);
        return;
    }
    const QStyleOptionSlider option = wholeOption();
    const QPoint point = event->position().toPoint();
    m_pressed = style()->hitTestComplexControl(QStyle::CC_ScrollBar, &option, point, this);
    event->accept();
    switch (m_pressed) {
    case QStyle::SC_ScrollBarSlider: {
        const QRect thumb = style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
        m_dragOffset = point.y() - thumb.top();
        m_dragUnits = option.sliderPosition;
        showPositionTip();
        break;
    }
    // Paging and stepping move through the rows loaded, as any scrollbar does; at the window's ends
    // the grid slides it on.
    case QStyle::SC_ScrollBarAddPage:
        triggerAction(SliderPageStepAdd);
        break;
    case QStyle::SC_ScrollBarSubPage:
        triggerAction(SliderPageStepSub);
        break;
    case QStyle::SC_ScrollBarAddLine:
        triggerAction(SliderSingleStepAdd);
        break;
    case QStyle::SC_ScrollBarSubLine:
        triggerAction(SliderSingleStepSub);
        break;
    default:
        break;
    }
    update();
}

void WholeTableScrollBar::mouseMoveEvent(QMouseEvent* event)
{
    if (!isDragging()) {
        QScrollBar::mouseMoveEvent(event);
        return;
    }
    const int dragged = unitsFromPixel(event->position().toPoint().y() - *m_dragOffset);
    if (dragged == m_dragUnits)
        return;
    m_dragUnits = dragged;
    update();
    showPositionTip();
    emit thumbMoved(static_cast<double>(m_dragUnits) / units);
}

void WholeTableScrollBar::mouseReleaseEvent(QMouseEvent* event)
{
    if (!isDragging() && m_pressed == QStyle::SC_None) {
        QScrollBar::mouseReleaseEvent(event);
        return;
    }
    const bool dragged = isDragging();
    const double fraction = static_cast<double>(m_dragUnits) / units;
    m_pressed = QStyle::SC_None;
    m_dragOffset.reset();
    QToolTip::hideText();
    update();
    if (dragged)
        emit thumbReleased(fraction);
}

void WholeTableScrollBar::showPositionTip()
{
    const QStyleOptionSlider option = wholeOption();
    const QRect thumb = style()->subControlRect(QStyle::CC_ScrollBar, &option, QStyle::SC_ScrollBarSlider, this);
    const QString text = positionText();
    // Beside the thumb, on the grid's side, so it never hides the thumb under the pointer.
    const QPoint at
        = mapToGlobal(QPoint(0, thumb.center().y())) - QPoint(QFontMetrics(font()).horizontalAdvance(text) + 24, 0);
    QToolTip::showText(at, text, this);
}
