#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// Names made of the Unicode format and space characters a user cannot see: U+FEFF (which Qt's
// UTF-8 decoding drops from the start of a text, taking it for a byte order mark), ZWSP, ZWJ,
// NBSP, RLM and U+2028, each alone, leading and trailing. None of them is "bob", so a name
// that loses its character becomes one that another row may hold.
inline QStringList invisibleNames()
{
    QStringList names;
    for (const char16_t invisible : { u'\uFEFF', u'\u200B', u'\u200D', u'\u00A0', u'\u200F', u'\u2028' }) {
        const QString character(QChar{ invisible });
        names << character << character + QStringLiteral("bob") << QStringLiteral("bob") + character;
    }
    return names;
}

// The UTF-8 bytes as psql's encode(convert_to(name, 'UTF8'), 'hex') shows them.
inline QString utf8Hex(const QString& text)
{
    return QString::fromLatin1(text.toUtf8().toHex());
}

inline QString utf8Hex(const QStringList& texts)
{
    QStringList hex;
    for (const QString& text : texts)
        hex << utf8Hex(text);
    return hex.join(u',');
}

// The statement that lists the stored names that way, in id order, comma-separated.
inline QString storedNamesAsHex(const QString& table = QStringLiteral("my_table"))
{
    return QStringLiteral("SELECT coalesce(string_agg(encode(convert_to(name, 'UTF8'), 'hex'), ',' ORDER BY id), '') "
                          "FROM %1")
        .arg(table);
}

// The "name" member as pgdesk writes it in JSON, `"name": "…"` (indented) or `"name":"…"`
// (compact). Tests look for these bytes instead of parsing: QJsonValue::toString() decodes a
// parsed string with QString::fromUtf8(), which drops a leading U+FEFF. None of the invisible
// names has a character that JSON escapes.
inline QByteArray jsonNameMember(const QString& name, bool indented)
{
    return QByteArray(indented ? "\"name\": \"" : "\"name\":\"") + name.toUtf8() + '"';
}
