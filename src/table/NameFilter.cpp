#include "table/NameFilter.h"

#include <QObject>
#include <QSqlDriver>
#include <QSqlField>

using namespace Qt::StringLiterals;

NameFilter::NameFilter(QString text, Mode mode)
    : m_text(std::move(text))
    , m_mode(mode)
{
}

QString NameFilter::escapeLikePattern(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (QChar c : text) {
        if (c == u'!' || c == u'%' || c == u'_')
            escaped += u'!';
        escaped += c;
    }
    return escaped;
}

QString NameFilter::problem(bool typed) const
{
    if (m_text.contains(QChar(0)))
        return QObject::tr("PostgreSQL text cannot contain a NUL character, so nothing can match it.");
    // The server reads these when each statement runs: the rows shown, counted and then deleted
    // could be different ones across midnight, or from one second to the next.
    static const QStringList movingWords{ u"now"_s, u"today"_s, u"tomorrow"_s, u"yesterday"_s };
    if (typed) {
        if (const std::optional<Comparison> wanted = comparison();
            wanted && movingWords.contains(wanted->value.toLower()))
            return QObject::tr("\"%1\" means another moment each time the server reads it; type the date itself.")
                .arg(wanted->value);
    }
    return {};
}

std::optional<NameFilter::Comparison> NameFilter::comparison() const
{
    const QString text = m_text.trimmed();
    const QString words = text.simplified().toLower();
    if (words == u"null" || words == u"is null")
        return Comparison{ u"IS NULL"_s, {} };
    if (words == u"not null" || words == u"is not null")
        return Comparison{ u"IS NOT NULL"_s, {} };
    // Longest first, so "<=" is not read as "<" followed by "=...".
    static const QList<std::pair<QString, QString>> operators{ { u"<="_s, u"<="_s }, { u">="_s, u">="_s },
                                                               { u"<>"_s, u"<>"_s }, { u"!="_s, u"<>"_s },
                                                               { u"="_s, u"="_s },   { u"<"_s, u"<"_s },
                                                               { u">"_s, u">"_s } };
    for (const auto& [typed, op] : operators) {
        // A lone operator is text still being typed: no comparison yet, searched as text.
        if (text.startsWith(typed) && text.size() > typed.size())
            return Comparison{ op, text.mid(typed.size()).trimmed() };
    }
    return std::nullopt;
}

QString NameFilter::whereClause(const QSqlDriver* driver, const QString& columnSql, bool typed) const
{
    if (m_text.isEmpty())
        return {};
    QSqlField literal(u"name"_s, QMetaType(QMetaType::QString));
    if (!problem(typed).isEmpty())
        return u"false"_s; // nothing can match; never send a NUL to the server
    // An untyped literal, as in psql: the server reads it as the operator's input type, the
    // column's type without its modifier. A cast to the declared type would round or cut the
    // value first (numeric(10,2) made "<= 5.555" match 5.56, bit(3) made "1011" equal "101"), and
    // a domain's CHECK would refuse a value it is only compared with.
    const auto untyped = [&](const QString& value) -> QString { // not a QStringBuilder of temporaries
        literal.setValue(value);
        return driver->formatValue(literal);
    };
    if (typed) {
        if (const std::optional<Comparison> wanted = comparison()) {
            if (wanted->value.isEmpty())
                return columnSql + u' ' + wanted->op;
            return columnSql + u' ' + wanted->op + u' ' + untyped(wanted->value);
        }
        if (m_mode == Mode::Exact)
            return columnSql + u" = "_s + untyped(m_text.trimmed());
    } else if (m_mode == Mode::Exact) {
        return columnSql + u" = "_s + untyped(m_text);
    }
    literal.setValue(QString(u'%' + escapeLikePattern(m_text) + u'%'));
    // Another type is searched in its text, as the server writes it.
    const QString searched = typed ? u"CAST("_s + columnSql + u" AS text)"_s : columnSql;
    return searched + u" ILIKE "_s + driver->formatValue(literal) + u" ESCAPE '!'"_s;
}
