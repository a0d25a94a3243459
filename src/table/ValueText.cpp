#include "table/ValueText.h"

#include <QCoreApplication>
#include <QLocale>

#include <climits>

#include <cmath>

using namespace Qt::StringLiterals;

QString ValueText::of(const QVariant& value)
{
    if (value.metaType().id() == QMetaType::QByteArray && !value.isNull())
        return u"\\x"_s + QString::fromLatin1(value.toByteArray().toHex());
    if (value.metaType().id() != QMetaType::Double || value.isNull())
        return value.toString();
    const double number = value.toDouble();
    if (std::isnan(number))
        return u"NaN"_s;
    if (std::isinf(number))
        return number > 0 ? u"Infinity"_s : u"-Infinity"_s;
    if (number == 0)
        return std::signbit(number) ? u"-0"_s : u"0"_s;
    // The shortest digits that read back as this double, placed as PostgreSQL's float8out places
    // them: positional for decimal exponents -4 to 14, else d.ddde+XX (two exponent digits at least).
    const QString scientific = QString::number(number, 'e', QLocale::FloatingPointShortest);
    const qsizetype e = scientific.indexOf(u'e');
    const int exponent = scientific.mid(e + 1).toInt();
    const bool negative = number < 0;
    QString digits = scientific.left(e).remove(u'.');
    if (negative)
        digits.remove(0, 1);
    QString text;
    if (exponent < -4 || exponent >= 15) {
        text = digits.left(1);
        if (digits.size() > 1)
            text += u'.' + digits.mid(1);
        text += (exponent < 0 ? u"e-"_s : u"e+"_s) + u"%1"_s.arg(std::abs(exponent), 2, 10, QChar(u'0'));
    } else if (exponent < 0) {
        text = u"0."_s + QString(-exponent - 1, u'0') + digits;
    } else if (digits.size() <= exponent + 1) {
        text = digits + QString(exponent + 1 - digits.size(), u'0');
    } else {
        text = digits.left(exponent + 1) + u'.' + digits.mid(exponent + 1);
    }
    return negative ? u'-' + text : text;
}

QString ValueText::shown(const QVariant& value)
{
    if (value.metaType().id() != QMetaType::QByteArray || value.isNull())
        return of(value);
    // The grid shows the start and the size: a megabyte of hex in one cell helps nobody and costs
    // every paint. The editor, copy and export take the whole of().
    const QByteArray bytes = value.toByteArray();
    if (bytes.size() <= shownBytes)
        return of(value);
    // Not computed inside translate()'s arguments: lupdate 6.4 loops on a template argument there.
    const int size = bytes.size() > INT_MAX ? INT_MAX : int(bytes.size());
    return QCoreApplication::translate("ValueText", "%1… (%Ln bytes)", nullptr, size)
        .arg(u"\\x"_s + QString::fromLatin1(bytes.left(shownBytes).toHex()));
}
