#pragma once

#include <QString>
#include <QVariant>

// A value's text as the server writes it, for the grid, its editors and what is copied: a double
// as PostgreSQL 12+ writes a double precision (the shortest exact digits, positional from 1e-4 to
// below 1e15, '.' whatever the locale, NaN, Infinity, -Infinity, -0), where QVariant says "nan",
// "inf" and "1e+14" and a view would show a locale's decimal comma, which the server would not
// take back. A real arrives as a double too and is written by the same rule (PostgreSQL switches
// a real to an exponent from 1e6). A bytea as the server's hex output, \x0041ff, which its input
// reads back to the same bytes (QVariant would decode the bytes as UTF-8 and lose what is not).
// Every other value as QVariant::toString(), which keeps a bigint's every digit.
class ValueText
{
public:
    static QString of(const QVariant& value);
    // What a grid cell shows: of(), but a long bytea as its first bytes and its size.
    static QString shown(const QVariant& value);
    static constexpr int shownBytes = 32;
};
