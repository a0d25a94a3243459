#pragma once

#include <QColor>
#include <QList>

// WCAG 2 contrast between text and what it is drawn on, and colours moved just far enough to
// reach it. Themes decide the colours pgdesk starts from; this keeps the text on them readable.
class ColourContrast
{
public:
    // WCAG AA for normal text.
    static constexpr double minimumRatio = 4.5;

    // WCAG 2 relative luminance, 0 (black) to 1 (white), from the sRGB channels.
    static double relativeLuminance(const QColor& colour);
    // (lighter + 0.05) / (darker + 0.05): 1 for equal luminance, 21 for black on white.
    static double ratio(const QColor& first, const QColor& second);
    // `amount` of the way from `from` to `to` (0: from, 1: to), per sRGB channel; opaque.
    static QColor mix(const QColor& from, const QColor& to, double amount);
    // `wanted` when it reaches `minimum` against every one of `backgrounds`; otherwise the
    // first step from it towards black or white (whichever of the two stands out more from
    // the backgrounds) that does. With one background the result always reaches 4.5: black or
    // white has at least 4.58 against any colour.
    static QColor readableOn(const QColor& wanted, const QList<QColor>& backgrounds, double minimum = minimumRatio);
    // The lowest ratio of `foreground` against any of `backgrounds`.
    static double lowestRatio(const QColor& foreground, const QList<QColor>& backgrounds);
};
