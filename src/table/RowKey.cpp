#include "table/RowKey.h"

RowKey RowKey::fromText(const QString& text)
{
    return RowKey(text.isNull() ? QStringLiteral("") : text);
}

RowKey RowKey::fromValue(const QVariant& value)
{
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::UShort:
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong: // QPSQL reads a bigint that is not negative as unsigned
        return RowKey(value.toLongLong());
    default:
        return fromText(value.toString());
    }
}

std::optional<qint64> RowKey::integer() const
{
    return m_isInteger ? std::optional<qint64>(m_text.toLongLong()) : std::nullopt;
}

QDebug operator<<(QDebug debug, const RowKey& key)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "RowKey(" << key.text() << ')';
    return debug;
}
