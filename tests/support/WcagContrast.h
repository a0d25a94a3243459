#pragma once

#include <QColor>

#include <algorithm>
#include <cmath>

// WCAG 2.x relative luminance and contrast ratio, written out from the standard for tests,
// independently of src/model/ColourContrast.

inline double wcagLuminance(const QColor& colour)
{
    const auto linear = [](int channel) {
        const double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.red()) + 0.7152 * linear(rgb.green()) + 0.0722 * linear(rgb.blue());
}

inline double wcagRatio(const QColor& a, const QColor& b)
{
    const double la = wcagLuminance(a);
    const double lb = wcagLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
