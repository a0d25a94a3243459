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

QString NameFilter::whereClause(const QSqlDriver* driver, const QString& columnSql) const
{
    if (m_text.isEmpty())
        return {};
    QSqlField literal(u"name"_s, QMetaType(QMetaType::QString));
    if (!problem().isEmpty())
        return u"false"_s; // nothing can match; never send a NUL to the server
    if (m_mode == Mode::Exact) {
        literal.setValue(m_text);
        return columnSql + u" = "_s + driver->formatValue(literal);
    }
    literal.setValue(QString(u'%' + escapeLikePattern(m_text) + u'%'));
    return columnSql + u" ILIKE "_s + driver->formatValue(literal) + u" ESCAPE '!'"_s;
}
