#pragma once

#include <QString>

class QSqlDriver;

// Turns what the user typed in the search box into a WHERE clause for the keyset statements
// (KeysetQuery's order takes it as raw SQL) and the counts. The text always means itself: it reaches SQL only through
// the driver's literal quoting, and LIKE's wildcards are escaped first.
class NameFilter
{
public:
    enum class Mode { Contains, Exact };

    NameFilter() = default;
    NameFilter(QString text, Mode mode);

    bool isEmpty() const { return m_text.isEmpty(); }
    QString text() const { return m_text; }
    Mode mode() const { return m_mode; }

    // Empty when there is nothing to filter. columnSql is an already quoted column name.
    QString whereClause(const QSqlDriver* driver, const QString& columnSql) const;

    // Why the text cannot be searched for, or empty when it can.
    QString problem() const;

    // '!' escapes LIKE's wildcards: unlike '\' it means the same under either setting of
    // standard_conforming_strings.
    static QString escapeLikePattern(const QString& text);

private:
    QString m_text;
    Mode m_mode = Mode::Contains;
};
