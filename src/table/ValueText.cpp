#include "table/ValueText.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

QString ValueText::of(const QVariant& value)
{
    if (value.metaType().id() != QMetaType::Double || value.isNull())
        return value.toString();
    const double number = value.toDouble();
    if (std::isnan(number))
        return u"NaN"_s;
    if (std::isinf(number))
        return number > 0 ? u"Infinity"_s : u"-Infinity"_s;
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}
