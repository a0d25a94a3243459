#include "transfer/ImportFileReader.h"

#include <QCoreApplication>

namespace {
class Texts
{
    Q_DECLARE_TR_FUNCTIONS(ImportFileReader)
};

CsvStreamParser::Mode modeOf(const ImportOptions& options)
{
    return options.lines ? CsvStreamParser::Mode::Lines : CsvStreamParser::Mode::Csv;
}
} // namespace

ImportFileReader::ImportFileReader(const ImportOptions& options, CsvStreamParser::RecordHandler handler)
    : m_parser(modeOf(options), std::move(handler), options.delimiter)
{
    switch (options.encoding) {
    case ImportOptions::Encoding::Utf8:
        break;
    case ImportOptions::Encoding::Latin1:
        m_decoder.emplace(QStringConverter::Latin1);
        break;
    case ImportOptions::Encoding::Windows1252:
        // Qt knows it only through ICU, which Debian's Qt is built with.
        m_decoder.emplace("windows-1252");
        if (!m_decoder->isValid())
            m_error = Texts::tr("This build of Qt cannot read Windows-1252. Choose Latin-1 instead.");
        break;
    }
}

bool ImportFileReader::feed(QByteArrayView bytes)
{
    if (!m_error.isEmpty())
        return false;
    if (!m_decoder)
        return m_parser.feed(bytes);
    const QString text = m_decoder->decode(bytes);
    return m_parser.feed(text.toUtf8());
}

bool ImportFileReader::finish()
{
    if (!m_error.isEmpty())
        return false;
    return m_parser.finish();
}

QString ImportFileReader::fieldCountMessage(qint64 line, int fields, int expected, const QStringList& headerNames,
                                            char delimiter)
{
    const QString has = fields == 1 ? Texts::tr("1 field") : Texts::tr("%1 fields").arg(fields);
    QString message = headerNames.isEmpty()
        ? Texts::tr("Line %1 has %2, but the first line has %3.").arg(line).arg(has).arg(expected)
        : Texts::tr("Line %1 has %2, but the header names %3 (%4).")
              .arg(line)
              .arg(has)
              .arg(expected)
              .arg(headerNames.join(u", "));
    if (fields > expected) {
        const QString which = delimiter == ',' ? Texts::tr("comma")
            : delimiter == ';'                 ? Texts::tr("semicolon")
            : delimiter == '\t'                ? Texts::tr("tab")
                                               : u'"' + QString(QLatin1Char(delimiter)) + u'"';
        message += u' ' + Texts::tr("A field that contains a %1 must be in quotes.").arg(which);
    }
    return message;
}

QStringList ImportFileReader::headerNames(const CsvStreamParser::Record& record)
{
    QStringList names;
    for (int field = 0; field < record.size(); ++field)
        names << QString::fromUtf8(record.field(field)).trimmed();
    return names;
}
