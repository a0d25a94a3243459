#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// UTF-8 decoded code point for code point. QString::fromUtf8() and fromLocal8Bit() drop a leading
// U+FEFF as a byte order mark, and with them QCoreApplication::arguments(), query strings and
// Qt's PostgreSQL driver; in a name it is a character the user typed, and dropping it turns
// "\ufeffbob" into "bob", another row's name.
namespace Utf8Text {
// Invalid UTF-8 becomes U+FFFD, one per maximal ill-formed subpart (Unicode's recommended
// practice, WHATWG's decoder and Python's errors='replace', with which main.py reads query
// strings): "\xE2\x82" is one U+FFFD, "\xC0\x80" two. Nothing else is changed.
QString decode(QByteArrayView bytes);
// JSON text as UTF-8 for QJsonDocument::fromJson(), every U+FEFF written as the escape \ufeff:
// Qt 6.4's JSON parser drops the raw character wherever it stands, inside strings too, so a
// composite key ["\ufeffa", "1"] would be read as ("a", 1), another row's. The escape it keeps.
// Raw U+FEFF can stand only inside a string in the JSON PostgreSQL writes, where the escape means
// the same.
QByteArray jsonKeepingFeff(const QString& json);
} // namespace Utf8Text
