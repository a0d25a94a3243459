#include "gui/ToolBarFit.h"

#include <QAction>
#include <QEvent>
#include <QToolBar>
#include <QToolButton>

void ToolBarFit::keep(QToolBar* toolBar)
{
    toolBar->installEventFilter(new ToolBarFit(toolBar));
}

ToolBarFit::ToolBarFit(QToolBar* toolBar)
    : QObject(toolBar)
    , m_toolBar(toolBar)
{
}

bool ToolBarFit::eventFilter(QObject* watched, QEvent* event)
{
    // LayoutRequest too: a tool that appears later (the filter's column button) widens the bar.
    if (watched == m_toolBar
        && (event->type() == QEvent::Resize || event->type() == QEvent::Show || event->type() == QEvent::LayoutRequest))
        fit();
    return QObject::eventFilter(watched, event);
}

void ToolBarFit::fit()
{
    const int width = m_toolBar->width();
    if (m_compacted.isEmpty()) {
        const int needed = m_toolBar->sizeHint().width();
        if (width >= needed)
            return;
        m_labelledWidth = needed;
        for (QAction* action : m_toolBar->actions()) {
            auto* button = qobject_cast<QToolButton*>(m_toolBar->widgetForAction(action));
            // Only buttons with an icon: a text-only tool (Exact match) would show nothing.
            if (button && !action->icon().isNull() && button->toolButtonStyle() == Qt::ToolButtonTextBesideIcon) {
                button->setToolButtonStyle(Qt::ToolButtonIconOnly);
                m_compacted << button;
            }
        }
    } else if (width >= m_labelledWidth) {
        for (const QPointer<QToolButton>& button : std::as_const(m_compacted)) {
            if (button)
                button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        }
        m_compacted.clear();
    }
}
