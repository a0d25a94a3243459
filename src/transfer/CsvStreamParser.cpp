#include "transfer/CsvStreamParser.h"

#include <QObject>

#include <algorithm>
#include <cstring>

namespace {
constexpr char byteOrderMark[] = "\xEF\xBB\xBF";
constexpr qsizetype byteOrderMarkSize = 3;
} // namespace

QByteArrayView CsvStreamParser::Record::field(int index) const
{
    const auto position = static_cast<size_t>(index);
    const size_t start = position == 0 ? 0 : (*m_ends)[position - 1];
    return QByteArrayView(m_data->data() + start, static_cast<qsizetype>((*m_ends)[position] - start));
}

CsvStreamParser::CsvStreamParser(Mode mode, RecordHandler handler, char delimiter)
    : m_mode(mode)
    , m_handler(std::move(handler))
    , m_delimiter(delimiter)
{
}

bool CsvStreamParser::fail(qint64 line, const QString& message)
{
    m_error = message;
    m_errorLine = line;
    m_state = State::Stopped;
    return false;
}

bool CsvStreamParser::feed(QByteArrayView bytes)
{
    if (m_state == State::Stopped)
        return false;
    if (!m_bomChecked) {
        // The mark may arrive split over tiny chunks: hold its first bytes until it is decided.
        const qsizetype take = std::min(byteOrderMarkSize - m_bomPrefix.size(), bytes.size());
        m_bomPrefix.append(bytes.first(take));
        bytes = bytes.sliced(take);
        const bool matchesSoFar = std::memcmp(m_bomPrefix.constData(), byteOrderMark, m_bomPrefix.size()) == 0;
        if (matchesSoFar && m_bomPrefix.size() < byteOrderMarkSize)
            return true;
        m_bomChecked = true;
        const QByteArray prefix = std::exchange(m_bomPrefix, QByteArray());
        if (!matchesSoFar && !parse(prefix.constData(), prefix.size()))
            return false;
    }
    return parse(bytes.data(), bytes.size());
}

bool CsvStreamParser::finish()
{
    if (m_state == State::Stopped)
        return false;
    if (!m_bomChecked) {
        m_bomChecked = true;
        const QByteArray prefix = std::exchange(m_bomPrefix, QByteArray());
        if (prefix.size() < byteOrderMarkSize && !parse(prefix.constData(), prefix.size()))
            return false;
    }
    if (m_utf8Pending > 0)
        return fail(m_line, QObject::tr("Line %1 ends the file in the middle of a UTF-8 character.").arg(m_line));
    switch (m_state) {
    case State::RecordStart:
    case State::Stopped:
        break;
    case State::Quoted:
        return fail(m_quoteLine,
                    QObject::tr("Line %1 opens a quoted field that is never closed: the file ends inside "
                                "it. Close it with a quote (\").")
                        .arg(m_quoteLine));
    case State::FieldStart:
        endField(true);
        return endRecord();
    case State::Unquoted:
    case State::QuoteInQuoted:
        endField(false);
        return endRecord();
    }
    return true;
}

bool CsvStreamParser::validateUtf8(unsigned char byte)
{
    // The ranges of RFC 3629's table: the second byte's bounds depend on the first, which rules
    // out overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if (m_utf8Pending > 0) {
        if (byte < m_utf8Low || byte > m_utf8High)
            return fail(m_line,
                        QObject::tr("Line %1 is not valid UTF-8 (a character is cut short before byte 0x%2). Save the "
                                    "file as UTF-8.")
                            .arg(m_line)
                            .arg(byte, 2, 16, QLatin1Char('0')));
        --m_utf8Pending;
        m_utf8Low = 0x80;
        m_utf8High = 0xBF;
        return true;
    }
    if (byte < 0x80)
        return true;
    if (byte >= 0xC2 && byte <= 0xDF) {
        m_utf8Pending = 1;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
        m_utf8Pending = 2;
        if (byte == 0xE0)
            m_utf8Low = 0xA0;
        else if (byte == 0xED)
            m_utf8High = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
        m_utf8Pending = 3;
        if (byte == 0xF0)
            m_utf8Low = 0x90;
        else if (byte == 0xF4)
            m_utf8High = 0x8F;
    } else {
        return fail(m_line,
                    QObject::tr("Line %1 is not valid UTF-8 (byte 0x%2). Save the file as UTF-8.")
                        .arg(m_line)
                        .arg(byte, 2, 16, QLatin1Char('0')));
    }
    return true;
}

void CsvStreamParser::endField(bool null)
{
    m_ends.push_back(m_data.size());
    m_nulls.push_back(null);
}

bool CsvStreamParser::endRecord()
{
    Record record;
    record.m_data = &m_data;
    record.m_ends = &m_ends;
    record.m_nulls = &m_nulls;
    record.m_line = m_recordLine;
    record.m_endLine = m_line;
    ++m_records;
    const bool goOn = m_handler(record);
    // clear() keeps the capacity: after the first records no allocation happens per record.
    m_data.clear();
    m_ends.clear();
    m_nulls.clear();
    m_state = goOn ? State::RecordStart : State::Stopped;
    return goOn;
}

void CsvStreamParser::lineBreak(char byte)
{
    ++m_line;
    m_afterCr = byte == '\r';
}

bool CsvStreamParser::parse(const char* data, qsizetype size)
{
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80 || m_utf8Pending > 0) {
            if (!validateUtf8(byte))
                return false;
        } else if (byte == 0) {
            return fail(m_line,
                        QObject::tr("Line %1 contains a NUL byte, which PostgreSQL text cannot hold. Is "
                                    "the file UTF-16? Save it as UTF-8.")
                            .arg(m_line));
        }
        const bool isBreak = c == '\n' || c == '\r';
        if (isBreak && m_afterCr && c == '\n') {
            // The LF of a CRLF: the CR already counted the line and ended whatever it ended.
            m_afterCr = false;
            if (m_state == State::Quoted)
                m_data.push_back(c);
            continue;
        }
        m_afterCr = false;

        switch (m_state) {
        case State::Stopped:
            return false;
        case State::RecordStart:
            if (isBreak) {
                lineBreak(c); // an empty line is not a record
                break;
            }
            m_recordLine = m_line;
            if (m_mode == Mode::Lines) {
                m_state = State::Unquoted;
                m_data.push_back(c);
                break;
            }
            m_state = State::FieldStart;
            [[fallthrough]];
        case State::FieldStart:
            if (c == '"') {
                m_state = State::Quoted;
                m_quoteLine = m_line;
            } else if (c == m_delimiter) {
                endField(true);
            } else if (isBreak) {
                endField(true);
                if (!endRecord())
                    return false;
                lineBreak(c);
            } else {
                m_state = State::Unquoted;
                m_data.push_back(c);
            }
            break;
        case State::Unquoted:
            if (isBreak) {
                endField(false);
                if (!endRecord())
                    return false;
                lineBreak(c);
            } else if (m_mode == Mode::Lines) {
                m_data.push_back(c);
            } else if (c == m_delimiter) {
                endField(false);
                m_state = State::FieldStart;
            } else if (c == '"') {
                return fail(m_line,
                            QObject::tr("Line %1 has a quote (\") inside a field that does not start with "
                                        "one. Put the whole field in quotes and write the quote twice (\"\").")
                                .arg(m_line));
            } else {
                m_data.push_back(c);
            }
            break;
        case State::Quoted:
            if (c == '"') {
                m_state = State::QuoteInQuoted;
            } else {
                m_data.push_back(c);
                if (isBreak)
                    lineBreak(c);
            }
            break;
        case State::QuoteInQuoted:
            if (c == '"') {
                m_data.push_back(c);
                m_state = State::Quoted;
            } else if (c == m_delimiter) {
                endField(false);
                m_state = State::FieldStart;
            } else if (isBreak) {
                endField(false);
                if (!endRecord())
                    return false;
                lineBreak(c);
            } else {
                return fail(m_line,
                            QObject::tr("Line %1 has text after the closing quote of a field. Inside a quoted "
                                        "field, write a quote twice (\"\").")
                                .arg(m_line));
            }
            break;
        }
    }
    return true;
}
