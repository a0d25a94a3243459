#include "gui/LabelTone.h"

#include "model/ColourContrast.h"

#include <QEvent>
#include <QLabel>
#include <QScopedValueRollback>

namespace {
// What these tones looked like on a light theme before they were derived: kept there as they
// are, since they already reach the contrast on light windows.
QColor usualColour(LabelTone::Tone tone, const QColor& plain)
{
    switch (tone) {
    case LabelTone::Tone::Warning:
        return { 0x8a, 0x5a, 0x00 };
    case LabelTone::Tone::Error:
        return { 0xb0, 0x00, 0x20 };
    case LabelTone::Tone::Success:
        return { 0x1b, 0x5e, 0x20 };
    case LabelTone::Tone::Plain:
        break;
    }
    return plain;
}
} // namespace

LabelTone::LabelTone(QLabel* label)
    : QObject(label)
    , m_label(label)
{
    label->installEventFilter(this);
}

QColor LabelTone::colour(Tone tone, const QPalette& palette)
{
    return ColourContrast::readableOn(usualColour(tone, palette.color(QPalette::WindowText)),
                                      { palette.color(QPalette::Window) });
}

void LabelTone::set(QLabel* label, Tone tone)
{
    auto* keeper = label->findChild<LabelTone*>(QString(), Qt::FindDirectChildrenOnly);
    if (!keeper) {
        if (tone == Tone::Plain)
            return;
        keeper = new LabelTone(label);
    }
    keeper->m_tone = tone;
    keeper->apply();
}

void LabelTone::apply()
{
    const QScopedValueRollback<bool> applying(m_applying, true);
    if (m_tone == Tone::Plain) {
        m_label->setPalette(QPalette()); // nothing of its own: all from the window again
        return;
    }
    // Measured against the Window the label inherits, whatever it set for itself.
    const QPalette inherited = m_label->parentWidget() ? m_label->parentWidget()->palette() : m_label->palette();
    QPalette own;
    own.setColor(QPalette::WindowText, colour(m_tone, inherited));
    m_label->setPalette(own);
}

bool LabelTone::eventFilter(QObject* watched, QEvent* event)
{
    // The theme changed: the label's Window did with it, so its text colour is derived again.
    if (watched == m_label && event->type() == QEvent::PaletteChange && !m_applying)
        apply();
    return QObject::eventFilter(watched, event);
}
