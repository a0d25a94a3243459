#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <string>
#include <vector>

// Splits a file fed in chunks of any size into records, holding only the record being read, so
// memory does not grow with the file. Two formats:
//
// Csv (RFC 4180): fields separated by ',' (or the delimiter given: ';', a tab, ...), records by CRLF, LF or a lone CR.
// A field that starts with '"' is quoted: it runs to the next lone '"', a doubled '""' stands for one '"', and commas
// and line breaks inside it are data (kept byte for byte, CRLF included). As in PostgreSQL's own
// CSV COPY, an unquoted empty field is NULL and a quoted empty field ("") is the empty string.
// Stricter than PostgreSQL: a '"' inside an unquoted field, or text after a closing quote, is an
// error rather than guessed at, because a guess silently changes the value that lands in the
// table.
//
// Lines: each line is one field, taken verbatim (quotes, commas, tabs, backslashes are data);
// never NULL.
//
// Both: a UTF-8 byte order mark at the start is skipped; every byte is checked to be valid UTF-8
// (no overlong forms, surrogates or code points past U+10FFFF, which PostgreSQL rejects too, but
// without a line number we can show); a NUL byte is an error (PostgreSQL text cannot hold one;
// a file full of them is usually UTF-16). An empty line (nothing between two line breaks) is
// skipped, so a trailing newline or a blank line never becomes a row: a one-column CSV writes an
// empty string as "".
//
// Line numbers count line breaks in the file as a text editor does (CRLF, LF or CR is one), from 1.
class CsvStreamParser
{
public:
    enum class Mode { Csv, Lines };

    // One record, valid only during the handler call: it points into the parser's buffer.
    class Record
    {
    public:
        qint64 line() const { return m_line; } // where the record starts
        qint64 endLine() const { return m_endLine; } // where it ends (differs when a quoted field spans lines)
        int size() const { return static_cast<int>(m_ends->size()); }
        QByteArrayView field(int index) const;
        bool isNull(int index) const { return (*m_nulls)[static_cast<size_t>(index)]; }

    private:
        friend class CsvStreamParser;
        const std::string* m_data = nullptr;
        const std::vector<size_t>* m_ends = nullptr;
        const std::vector<bool>* m_nulls = nullptr;
        qint64 m_line = 0;
        qint64 m_endLine = 0;
    };

    // Called for each complete record; returning false stops parsing (feed() and finish() then
    // return false with no error of the parser's own: the handler knows why it stopped).
    using RecordHandler = std::function<bool(const Record&)>;

    // delimiter: any ASCII byte but '"', CR or LF (the caller checks); Lines mode ignores it.
    CsvStreamParser(Mode mode, RecordHandler handler, char delimiter = ',');

    // Parses the next bytes of the file. Returns false once the file is malformed or the handler
    // stopped; after that it does nothing.
    bool feed(QByteArrayView bytes);
    // The end of the file: hands over a last record without a line break, and reports what was
    // left open (a quoted field, a UTF-8 sequence).
    bool finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorMessage() const { return m_error; } // a sentence that starts with "Line N"
    qint64 errorLine() const { return m_errorLine; }
    qint64 recordCount() const { return m_records; } // records handed to the handler so far

private:
    enum class State { RecordStart, FieldStart, Unquoted, Quoted, QuoteInQuoted, Stopped };

    bool parse(const char* data, qsizetype size);
    bool fail(qint64 line, const QString& message);
    bool validateUtf8(unsigned char byte);
    void endField(bool null);
    bool endRecord();
    void lineBreak(char byte);

    Mode m_mode;
    RecordHandler m_handler;
    State m_state = State::RecordStart;
    char m_delimiter = ',';

    std::string m_data; // the current record's fields, back to back
    std::vector<size_t> m_ends; // where each field of the current record ends in m_data
    std::vector<bool> m_nulls;
    size_t m_fieldStart = 0;

    qint64 m_line = 1; // the line the next byte is on
    qint64 m_recordLine = 1;
    qint64 m_quoteLine = 1; // where the open quoted field started, for "not closed" errors
    bool m_afterCr = false; // the previous byte was a CR: a following LF belongs to it
    qint64 m_records = 0;

    QByteArray m_bomPrefix; // the first bytes of the file while they may still be a BOM
    bool m_bomChecked = false;

    int m_utf8Pending = 0; // continuation bytes still expected
    unsigned char m_utf8Low = 0x80;
    unsigned char m_utf8High = 0xBF;

    QString m_error;
    qint64 m_errorLine = 0;
};
