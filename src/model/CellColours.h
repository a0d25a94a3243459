#pragma once

#include <QColor>
#include <QPalette>

#include <array>

// The grid's colours for each cell state, derived from a palette rather than fixed: a state's
// hue blended into the palette's Base, and text that keeps WCAG AA contrast (4.5:1) on it. Fixed
// pale backgrounds left a dark theme's light text unreadable on them (issue 15).
class CellColours
{
public:
    enum class State { Plain, Edited, NewRow, Deleted, ChangedElsewhere };
    static constexpr int stateCount = 5;

    explicit CellColours(const QPalette& palette);

    // The colours for the application's palette, derived again when its colours change (a
    // theme switch): the model is no widget and gets no palette events, and every view repaints
    // on such a change and asks data() again. Costs a palette copy and three compares per call.
    static const CellColours& forApplication();

    QColor background(State state) const { return m_backgrounds.at(static_cast<size_t>(state)); }
    QColor foreground(State state) const { return m_foregrounds.at(static_cast<size_t>(state)); }
    // NULL and server defaults: muted, and readable on plain and alternate rows and on every
    // state's background but Deleted (whose foreground wins there).
    QColor placeholder() const { return m_placeholder; }

private:
    bool isDerivedFrom(const QPalette& palette) const;

    QColor m_base;
    QColor m_alternateBase;
    QColor m_text;
    std::array<QColor, stateCount> m_backgrounds;
    std::array<QColor, stateCount> m_foregrounds;
    QColor m_placeholder;
};
