#pragma once

#include <QString>

#include <optional>

class QSqlDriver;

// Turns what the user typed in the search box into a WHERE clause for the keyset statements
// (KeysetQuery's order takes it as raw SQL) and the counts. The text always means itself: it reaches SQL only through
// the driver's literal quoting, and LIKE's wildcards are escaped first.
// On a text column the text is searched for (or matched whole with Exact), whatever it holds:
// "> 5" is a name like any other. On a column of another type (a number, a date, a uuid) the
// text may start with a comparison, "> 5", "<= 2026-01-01", "<> 3", or say "null" / "not null";
// the value is an untyped literal, which the server reads as the column's type, as psql would.
// Without one, the value's text is searched (Contains) or the value matched (Exact).
class NameFilter
{
public:
    enum class Mode { Contains, Exact };

    NameFilter() = default;
    NameFilter(QString text, Mode mode);

    bool isEmpty() const { return m_text.isEmpty(); }
    QString text() const { return m_text; }
    Mode mode() const { return m_mode; }

    // A comparison the text asks for on a column that is not text.
    struct Comparison
    {
        QString op; // =, <>, <, <=, >, >=, IS NULL, IS NOT NULL
        QString value; // empty for the NULL tests; never empty otherwise
    };
    std::optional<Comparison> comparison() const;

    // Empty when there is nothing to filter. columnSql is an already quoted column name; typed
    // when the column is not text (comparison() applies).
    QString whereClause(const QSqlDriver* driver, const QString& columnSql, bool typed = false) const;

    // Why the text cannot be searched for, or empty when it can: a NUL, or on a typed column a
    // moment the server would read anew for each statement (now, today...).
    QString problem(bool typed = false) const;

    // '!' escapes LIKE's wildcards: unlike '\' it means the same under either setting of
    // standard_conforming_strings.
    static QString escapeLikePattern(const QString& text);

private:
    QString m_text;
    Mode m_mode = Mode::Contains;
};
