#include "config/TableName.h"

#include <QObject>
#include <QStringList>

TableName::TableName(QString schema, QString name)
    : m_schema(std::move(schema))
    , m_name(std::move(name))
{
}

QString TableName::quoteIdentifier(const QString& identifier)
{
    QString quoted = identifier;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

namespace {
bool needsQuotes(const QString& identifier)
{
    if (identifier.isEmpty() || identifier.front().isDigit())
        return true;
    for (QChar c : identifier) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
        if (!plain)
            return true;
    }
    return false;
}

QString displayPart(const QString& identifier)
{
    return needsQuotes(identifier) ? TableName::quoteIdentifier(identifier) : identifier;
}
} // namespace

TableName TableName::parse(const QString& text, QString* error)
{
    QStringList parts;
    QString current;
    bool inQuotes = false;
    bool wasQuoted = false;
    const QString input = text.trimmed();
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return TableName();
    };
    auto finishPart = [&]() {
        parts << (wasQuoted ? current : current.trimmed().toLower());
        current.clear();
        wasQuoted = false;
    };

    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < input.size() && input.at(i + 1) == u'"') {
                    current += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                current += c;
            }
        } else if (c == u'"') {
            if (!current.trimmed().isEmpty())
                return fail(QObject::tr("a quote may only start a name part"));
            current.clear();
            inQuotes = true;
            wasQuoted = true;
        } else if (c == u'.') {
            finishPart();
        } else if (wasQuoted && !c.isSpace()) {
            return fail(QObject::tr("unexpected text after a quoted name"));
        } else {
            current += c;
        }
    }
    if (inQuotes)
        return fail(QObject::tr("unterminated double quote"));
    finishPart();

    if (parts.size() > 2)
        return fail(QObject::tr("use table or schema.table"));
    for (const QString& part : parts) {
        if (part.isEmpty())
            return fail(QObject::tr("a name part is empty"));
        if (part.contains(QChar(0)))
            return fail(QObject::tr("a name may not contain a NUL character"));
        // QSqlTableModel::setTable() has Qt's PostgreSQL driver look the table up in the catalog
        // with the name put between single quotes unescaped (QPSQLDriver::record(),
        // primaryIndex()): a name holding one would run as SQL (tst_injection::tableNames).
        if (part.contains(u'\''))
            return fail(QObject::tr("a name may not contain a single quote (Qt's PostgreSQL driver would run "
                                    "the rest of it as SQL)"));
    }
    if (parts.size() == 2)
        return TableName(parts.at(0), parts.at(1));
    return TableName(QString(), parts.at(0));
}

QString TableName::sql() const
{
    if (m_schema.isEmpty())
        return quoteIdentifier(m_name);
    return quoteIdentifier(m_schema) + u'.' + quoteIdentifier(m_name);
}

QString TableName::display() const
{
    if (m_schema.isEmpty())
        return displayPart(m_name);
    return displayPart(m_schema) + u'.' + displayPart(m_name);
}
