#pragma once

#include "transfer/CsvStreamParser.h"
#include "transfer/ImportOptions.h"

#include <QByteArrayView>
#include <QString>
#include <QStringDecoder>
#include <QStringList>

#include <optional>

// CsvStreamParser behind the file's encoding: bytes in Latin-1 or Windows-1252 are turned into
// UTF-8 chunk by chunk before they are parsed, so records always hold UTF-8 (what the COPY sends)
// and memory stays flat. UTF-8 goes to the parser untouched, which checks it.
class ImportFileReader
{
public:
    ImportFileReader(const ImportOptions& options, CsvStreamParser::RecordHandler handler);

    bool feed(QByteArrayView bytes);
    bool finish();

    // The parser's error or the decoder's; empty when the handler stopped the reading.
    bool hasError() const { return !m_error.isEmpty() || m_parser.hasError(); }
    QString errorMessage() const { return m_error.isEmpty() ? m_parser.errorMessage() : m_error; }

    // The sentence both the preview and the import show for a record with the wrong number of fields.
    static QString fieldCountMessage(qint64 line, int fields, int expected, const QStringList& headerNames,
                                     char delimiter);
    // The file's first record as header names (trimmed), for messages and the preview.
    static QStringList headerNames(const CsvStreamParser::Record& record);

private:
    CsvStreamParser m_parser;
    std::optional<QStringDecoder> m_decoder; // none for UTF-8
    QString m_error;
};
