#include "config/Utf8Text.h"

#include <QStringDecoder>

QString Utf8Text::decode(QByteArrayView bytes)
{
    // Stateless, or a sequence cut off at the end would wait for more input instead of becoming
    // U+FFFD.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::ConvertInitialBom | QStringDecoder::Flag::Stateless);
    return decoder.decode(bytes);
}
