#include "connection/SqlLiteral.h"

#include <QDateTime>
#include <QLocale>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
QString textLiteral(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 4);
    escaped += u"E'"_s;
    for (const QChar c : text) {
        if (c == u'\\')
            escaped += u"\\\\"_s;
        else if (c == u'\'')
            escaped += u"''"_s;
        else if (c.unicode() == 0)
            escaped += u"\\000"_s;
        else
            escaped += c;
    }
    escaped += u'\'';
    return escaped;
}
} // namespace

QString SqlLiteral::literal(const QVariant& value)
{
    if (!value.isValid() || value.isNull())
        return u"NULL"_s;
    // A null QString is SQL NULL and an empty one '', as QPSQL binds them: the grid and the
    // command line keep NULL and '' apart.
    if (value.metaType().id() == QMetaType::QString && value.toString().isNull())
        return u"NULL"_s;
    if (value.metaType().id() == QMetaType::QByteArray && value.toByteArray().isNull())
        return u"NULL"_s;
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Long:
    case QMetaType::LongLong:
        return QString::number(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        return QString::number(value.toULongLong());
    case QMetaType::Double:
    case QMetaType::Float: {
        const double number = value.toDouble();
        if (std::isnan(number))
            return u"'NaN'"_s;
        if (std::isinf(number))
            return number > 0 ? u"'Infinity'"_s : u"'-Infinity'"_s;
        return u'\'' + QString::number(number, 'g', 17) + u'\'';
    }
    case QMetaType::QByteArray:
        return u"E'\\\\x"_s + QString::fromLatin1(value.toByteArray().toHex()) + u"'::bytea"_s;
    case QMetaType::QDateTime: {
        // An instant, as QPSQL writes it: UTC with an explicit zone, read alike under any setting.
        const QDateTime instant = value.toDateTime();
        if (!instant.isValid())
            return u"NULL"_s;
        return u"TIMESTAMP WITH TIME ZONE '"_s
            + QLocale::c().toString(instant.toTimeZone(QTimeZone::utc()), u"yyyy-MM-ddTHH:mm:ss.zzz"_s) + u"Z'"_s;
    }
    case QMetaType::QDate:
        return value.toDate().isValid() ? u"DATE '"_s + value.toDate().toString(Qt::ISODate) + u'\'' : u"NULL"_s;
    case QMetaType::QTime:
        return value.toTime().isValid() ? u"TIME '"_s + value.toTime().toString(u"HH:mm:ss.zzz"_s) + u'\'' : u"NULL"_s;
    default:
        return textLiteral(value.toString());
    }
}

QString SqlLiteral::bind(const QString& sql, const QVariantList& values)
{
    QString out;
    out.reserve(sql.size() + 16 * values.size());
    qsizetype next = 0;
    QChar quote; // the quote character of the literal or identifier being copied, or null
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (!quote.isNull()) {
            out += c;
            if (c == quote)
                quote = QChar(); // a doubled quote closes and reopens: the same text either way
            continue;
        }
        if (c == u'\'' || c == u'"') {
            quote = c;
            out += c;
        } else if (c == u'-' && i + 1 < sql.size() && sql.at(i + 1) == u'-') {
            const qsizetype end = sql.indexOf(u'\n', i);
            const qsizetype stop = end < 0 ? sql.size() : end;
            out += QStringView(sql).mid(i, stop - i);
            i = stop - 1;
        } else if (c == u'?' && next < values.size()) {
            out += literal(values.at(next++));
        } else {
            out += c;
        }
    }
    Q_ASSERT(next == values.size());
    return out;
}

bool SqlLiteral::exec(QSqlQuery& query, const QString& sql, const QVariantList& values)
{
    return query.exec(bind(sql, values));
}
