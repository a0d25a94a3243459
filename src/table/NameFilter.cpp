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

QString NameFilter::problem() const
{
    if (m_text.contains(QChar(0)))
        return QObject::tr("PostgreSQL text cannot contain a NUL character, so nothing can match it.");
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
        if (text.startsWith(typed))
            return Comparison{ op, text.mid(typed.size()).trimmed() };
    }
    return std::nullopt;
}

QString NameFilter::whereClause(const QSqlDriver* driver, const QString& columnSql, const QString& typeSql) const
{
    if (m_text.isEmpty())
        return {};
    QSqlField literal(u"name"_s, QMetaType(QMetaType::QString));
    if (!problem().isEmpty())
        return u"false"_s; // nothing can match; never send a NUL to the server
    const bool typed = !typeSql.isEmpty();
    const auto typedValue = [&](const QString& value) -> QString { // not a QStringBuilder of temporaries
        literal.setValue(value);
        return u"CAST("_s + driver->formatValue(literal) + u" AS "_s + typeSql + u')';
    };
    if (typed) {
        if (const std::optional<Comparison> wanted = comparison()) {
            if (wanted->value.isEmpty())
                return columnSql + u' ' + wanted->op;
            return columnSql + u' ' + wanted->op + u' ' + typedValue(wanted->value);
        }
        if (m_mode == Mode::Exact)
            return columnSql + u" = "_s + typedValue(m_text.trimmed());
    } else if (m_mode == Mode::Exact) {
        literal.setValue(m_text);
        return columnSql + u" = "_s + driver->formatValue(literal);
    }
    literal.setValue(QString(u'%' + escapeLikePattern(m_text) + u'%'));
    // Another type is searched in its text, as the grid shows it.
    const QString searched = typed ? u"CAST("_s + columnSql + u" AS text)"_s : columnSql;
    return searched + u" ILIKE "_s + driver->formatValue(literal) + u" ESCAPE '!'"_s;
}
