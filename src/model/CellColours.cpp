#include "model/CellColours.h"

#include "model/ColourContrast.h"

#include <QGuiApplication>

namespace {
// The states' hues, saturated enough to keep their character when only a quarter of one shows.
const QColor editedHue(0xf5, 0xc2, 0x11); // amber
const QColor newRowHue(0x33, 0xd1, 0x7a); // green
const QColor deletedHue(0xe0, 0x1b, 0x24); // red
const QColor changedElsewhereHue(0x1c, 0x71, 0xd8); // blue

// How much of a hue goes into Base. A dark Base takes a little more: the same share of a hue
// shows less on it.
double hueShare(const QColor& base)
{
    return ColourContrast::relativeLuminance(base) < 0.2 ? 0.3 : 0.25;
}
} // namespace

CellColours::CellColours(const QPalette& palette)
    : m_base(palette.color(QPalette::Base))
    , m_alternateBase(palette.color(QPalette::AlternateBase))
    , m_text(palette.color(QPalette::Text))
{
    const double share = hueShare(m_base);
    const auto set = [this](State state, const QColor& background, const QColor& foreground) {
        m_backgrounds.at(static_cast<size_t>(state)) = background;
        m_foregrounds.at(static_cast<size_t>(state)) = ColourContrast::readableOn(foreground, { background });
    };
    set(State::Plain, m_base, m_text);
    set(State::Edited, ColourContrast::mix(m_base, editedHue, share), m_text);
    set(State::NewRow, ColourContrast::mix(m_base, newRowHue, share), m_text);
    set(State::ChangedElsewhere, ColourContrast::mix(m_base, changedElsewhereHue, share), m_text);
    // Deleted rows: the text itself turns towards red, with the strike-out the model adds.
    set(State::Deleted, ColourContrast::mix(m_base, deletedHue, share * 0.8),
        ColourContrast::mix(m_text, deletedHue, 0.55));
    m_placeholder = ColourContrast::readableOn(ColourContrast::mix(m_text, m_base, 0.5),
                                               { m_base, m_alternateBase, background(State::Edited),
                                                 background(State::NewRow), background(State::ChangedElsewhere) });
}

bool CellColours::isDerivedFrom(const QPalette& palette) const
{
    return palette.color(QPalette::Base) == m_base && palette.color(QPalette::AlternateBase) == m_alternateBase
        && palette.color(QPalette::Text) == m_text;
}

const CellColours& CellColours::forApplication()
{
    static CellColours colours(QGuiApplication::palette());
    if (const QPalette palette = QGuiApplication::palette(); !colours.isDerivedFrom(palette))
        colours = CellColours(palette);
    return colours;
}
