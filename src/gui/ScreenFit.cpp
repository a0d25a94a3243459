#include "gui/ScreenFit.h"

#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QStyle>
#include <QWidget>

namespace {
// The frame around the window: known once it is on screen, guessed before (a title bar and thin
// borders), so that the first show already fits.
QMargins frameOf(const QWidget* window)
{
    const QRect frame = window->frameGeometry();
    const QRect inner = window->geometry();
    if (window->isVisible() && frame != inner)
        return { inner.left() - frame.left(), inner.top() - frame.top(), frame.right() - inner.right(),
                 frame.bottom() - inner.bottom() };
    const int border = 4;
    return { border, window->style()->pixelMetric(QStyle::PM_TitleBarHeight) + border, border, border };
}

int clamped(int start, int length, int areaStart, int areaLength)
{
    return qMax(areaStart, qMin(start, areaStart + areaLength - length));
}
} // namespace

void ScreenFit::keep(QWidget* window)
{
    window->installEventFilter(new ScreenFit(window));
    fit(window);
}

void ScreenFit::fit(QWidget* window)
{
    if (window->windowState() & (Qt::WindowMaximized | Qt::WindowFullScreen))
        return;
    const QScreen* screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    const QMargins frame = frameOf(window);
    const QSize room = available.size() - QSize(frame.left() + frame.right(), frame.top() + frame.bottom());
    const QSize size = window->size().boundedTo(room).expandedTo(window->minimumSize());
    if (size != window->size())
        window->resize(size);
    const QSize outer = size + QSize(frame.left() + frame.right(), frame.top() + frame.bottom());
    // Never placed yet (no saved geometry): the middle of the screen. Otherwise where it was,
    // moved just far enough to be wholly inside.
    const QPoint wanted = window->testAttribute(Qt::WA_Moved) ? window->pos()
                                                              : available.topLeft()
            + QPoint((available.width() - outer.width()) / 2, (available.height() - outer.height()) / 2);
    const QPoint place(clamped(wanted.x(), outer.width(), available.left(), available.width()),
                       clamped(wanted.y(), outer.height(), available.top(), available.height()));
    if (place != window->pos() || !window->testAttribute(Qt::WA_Moved))
        window->move(place);
}

bool ScreenFit::eventFilter(QObject* watched, QEvent* event)
{
    // Sent before the window reaches the screen, with its layout's minimum size already known.
    if (event->type() == QEvent::Show && !event->spontaneous() && watched->isWidgetType())
        fit(static_cast<QWidget*>(watched));
    return QObject::eventFilter(watched, event);
}
