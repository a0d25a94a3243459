#pragma once

#include <QString>
#include <QVariant>

// A value's text as the server writes it, for the grid, its editors and what is copied: a real or
// double precision as its shortest exact text with '.', and NaN, Infinity and -Infinity spelled as
// PostgreSQL spells them (QVariant says "nan" and "inf", and a view would show a locale's decimal
// comma, which the server would not take back). Every other value as QVariant::toString(), which
// keeps a bigint's every digit.
class ValueText
{
public:
    static QString of(const QVariant& value);
};
