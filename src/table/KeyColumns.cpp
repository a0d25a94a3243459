#include "table/KeyColumns.h"

#include "config/Utf8Text.h"
#include "connection/DateTimeText.h"
#include "connection/SqlLiteral.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

KeyColumns::KeyColumns(QStringList columnsSql, QString singleReadSql)
    : m_columns(std::move(columnsSql))
    , m_singleReadSql(std::move(singleReadSql))
{
}

KeyColumns KeyColumns::mapped(const std::function<QString(const QString&)>& column) const
{
    QStringList columns;
    for (const QString& each : m_columns)
        columns << column(each);
    return KeyColumns(columns, m_singleReadSql);
}

QString KeyColumns::readSql() const
{
    if (!isComposite())
        return m_singleReadSql.isEmpty() ? m_columns.value(0) : m_singleReadSql;
    // Each part as the server's text, which reads back as the same value of any type (a time to
    // the microsecond, a numeric with its scale, text with a leading U+FEFF inside the JSON string,
    // where QPSQL's decoding cannot drop it). Dates and timestamps as ISO text, as a single key is
    // read: QPSQL sets the ISO DateStyle when it connects, but behind a pooler that does not keep
    // it, the Postgres style's "10:00:00 2024 IST" reads back as Israel's time, another row's.
    QStringList parts;
    for (const QString& column : m_columns)
        parts << DateTimeText::isoSql(column);
    return u"json_build_array("_s + parts.join(u", "_s) + u")::text"_s;
}

QString KeyColumns::tupleSql(const QString& inside) const
{
    return isComposite() ? u'(' + inside + u')' : inside;
}

QString KeyColumns::placeholderListSql() const
{
    QStringList placeholders;
    for (qsizetype i = 0; i < m_columns.size(); ++i)
        placeholders << u"?"_s;
    return placeholders.join(u", "_s);
}

QString KeyColumns::compareSql(const QString& comparison) const
{
    return tupleSql(listSql()) + u' ' + comparison + u' ' + tupleSql(placeholderListSql());
}

QString KeyColumns::orderSql(const QString& direction) const
{
    QStringList terms;
    for (const QString& column : m_columns)
        terms << column + u' ' + direction;
    return terms.join(u", "_s);
}

QString KeyColumns::inSql(const QList<RowKey>& keys) const
{
    QStringList rows;
    for (const RowKey& key : keys) {
        QStringList literals;
        for (const QVariant& value : bindValues(key))
            literals << SqlLiteral::literal(value);
        rows << tupleSql(literals.join(u", "_s));
    }
    return tupleSql(listSql()) + u" IN ("_s + rows.join(u", "_s) + u')';
}

QStringList KeyColumns::parts(const RowKey& key) const
{
    if (!isComposite())
        return { key.text() };
    QStringList parts;
    const QJsonArray array = QJsonDocument::fromJson(Utf8Text::jsonKeepingFeff(key.text())).array();
    for (const QJsonValue& part : array)
        parts << part.toString();
    return parts;
}

QVariantList KeyColumns::bindValues(const RowKey& key) const
{
    if (!isComposite())
        return { key.bindValue() };
    QVariantList values;
    const QStringList texts = parts(key);
    // A key that is not one of this table's (an empty RowKey) binds NULLs, which match no row.
    for (qsizetype i = 0; i < m_columns.size(); ++i)
        values << (i < texts.size() ? QVariant(texts.at(i)) : QVariant());
    return values;
}
