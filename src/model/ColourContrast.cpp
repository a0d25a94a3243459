#include "model/ColourContrast.h"

#include <QtMath>

#include <algorithm>

namespace {
// An 8-bit sRGB channel, linearised (QColor's own redF() and friends are only floats).
double linear(int channel)
{
    const double value = channel / 255.0;
    return value <= 0.04045 ? value / 12.92 : qPow((value + 0.055) / 1.055, 2.4);
}

// Twenty steps: fine enough that the colour found stays close to the one wanted.
constexpr int steps = 20;
} // namespace

double ColourContrast::relativeLuminance(const QColor& colour)
{
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.red()) + 0.7152 * linear(rgb.green()) + 0.0722 * linear(rgb.blue());
}

double ColourContrast::ratio(const QColor& first, const QColor& second)
{
    const double a = relativeLuminance(first);
    const double b = relativeLuminance(second);
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

QColor ColourContrast::mix(const QColor& from, const QColor& to, double amount)
{
    const QColor a = from.toRgb();
    const QColor b = to.toRgb();
    const auto channel = [amount](int x, int y) { return qRound(x + (y - x) * amount); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

double ColourContrast::lowestRatio(const QColor& foreground, const QList<QColor>& backgrounds)
{
    double lowest = 21;
    for (const QColor& background : backgrounds)
        lowest = std::min(lowest, ratio(foreground, background));
    return lowest;
}

QColor ColourContrast::readableOn(const QColor& wanted, const QList<QColor>& backgrounds, double minimum)
{
    if (lowestRatio(wanted, backgrounds) >= minimum)
        return wanted;
    const QColor black(Qt::black);
    const QColor white(Qt::white);
    const QColor target = lowestRatio(black, backgrounds) >= lowestRatio(white, backgrounds) ? black : white;
    for (int step = 1; step < steps; ++step) {
        const QColor candidate = mix(wanted, target, double(step) / steps);
        if (lowestRatio(candidate, backgrounds) >= minimum)
            return candidate;
    }
    return target;
}
