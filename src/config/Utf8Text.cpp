#include "config/Utf8Text.h"

namespace {
constexpr char16_t replacementCharacter = 0xFFFD;
constexpr char16_t byteOrderMark = 0xFEFF;

bool isContinuation(unsigned char byte)
{
    return byte >= 0x80 && byte <= 0xBF;
}
} // namespace

QString Utf8Text::decode(QByteArrayView bytes)
{
    // Hand-written rather than QStringDecoder: Qt 6.4 turns a cut-off sequence such as E2 82
    // into one U+FFFD per byte, where Python's 'replace' (which decodes the tutorial's query
    // strings in main.py), WHATWG and Unicode's recommended practice give one per maximal
    // subpart, so "%E2%82" would be stored as a different name than main.py stores. Qt also
    // drops a leading U+FEFF, which is a character here (see the header).
    QString text;
    text.reserve(bytes.size());
    const qsizetype size = bytes.size();
    qsizetype index = 0;
    while (index < size) {
        const auto lead = static_cast<unsigned char>(bytes[index]);
        if (lead < 0x80) {
            text += QChar(char16_t(lead));
            ++index;
            continue;
        }
        // Unicode 15, table 3-7 (well-formed UTF-8 byte sequences): how many bytes follow the
        // lead and the range the first of them must be in; the rest are 80..BF. The narrower
        // ranges after E0, ED, F0 and F4 are what rule out overlong forms, surrogates and
        // code points above U+10FFFF at the earliest byte, so they count as a subpart's end.
        int following = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            following = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            following = 2;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            following = 3;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            // 80..C1 and F5..FF start nothing: one U+FFFD for this byte alone.
            text += QChar(replacementCharacter);
            ++index;
            continue;
        }
        char32_t codePoint = lead & (0x3F >> following);
        qsizetype next = index + 1;
        int read = 0;
        for (; read < following && next < size; ++read, ++next) {
            const auto byte = static_cast<unsigned char>(bytes[next]);
            const bool fits = read == 0 ? byte >= low && byte <= high : isContinuation(byte);
            if (!fits)
                break;
            codePoint = (codePoint << 6) | (byte & 0x3F);
        }
        if (read == following) {
            text += QChar::fromUcs4(codePoint);
        } else {
            // The maximal subpart (lead plus the continuation bytes that fitted) is one U+FFFD;
            // the byte that did not fit starts over.
            text += QChar(replacementCharacter);
        }
        index = next;
    }
    return text;
}

QByteArray Utf8Text::jsonKeepingFeff(const QString& json)
{
    if (!json.contains(QChar(byteOrderMark)))
        return json.toUtf8();
    QString escaped = json;
    escaped.replace(QChar(byteOrderMark), QStringLiteral("\\ufeff"));
    return escaped.toUtf8();
}
