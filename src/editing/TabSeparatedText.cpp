#include "editing/TabSeparatedText.h"

namespace {
QString quoteField(const QString& field)
{
    if (!field.contains(u'\t') && !field.contains(u'\n') && !field.contains(u'\r') && !field.startsWith(u'"'))
        return field;
    QString quoted = field;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}
} // namespace

QString TabSeparatedText::format(const QList<QStringList>& rows)
{
    QStringList lines;
    lines.reserve(rows.size());
    for (const QStringList& row : rows) {
        QStringList fields;
        fields.reserve(row.size());
        for (const QString& field : row)
            fields << quoteField(field);
        lines << fields.join(u'\t');
    }
    // A last row that is one empty field would write nothing after the last newline, and parse()
    // takes a trailing newline as the end of the last row: end such a row explicitly, or a copied
    // column ending in an empty cell pastes one row short (and a single empty cell not at all).
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        return lines.join(u'\n') + u'\n';
    return lines.join(u'\n');
}

QList<QStringList> TabSeparatedText::parse(const QString& text)
{
    return parseSeparated(text, u'\t', nullptr);
}

QList<QStringList> TabSeparatedText::parseCsv(const QString& text)
{
    return parseSeparated(text, u',', nullptr);
}

TabSeparatedText::Pasted TabSeparatedText::parsePasted(const QString& text)
{
    // Text with a tab is what spreadsheets copy. Without one, comma-separated values are taken as
    // CSV only when they cannot be a plain list of names: a quoted field, or several lines all
    // with the same number (more than one) of fields. A single line "Smith, John" stays one cell.
    if (!text.contains(u'\t')) {
        bool quotedField = false;
        const QList<QStringList> csv = parseSeparated(text, u',', &quotedField);
        bool sameWidth = csv.size() > 1;
        for (const QStringList& row : csv)
            sameWidth = sameWidth && row.size() > 1 && row.size() == csv.constFirst().size();
        if (quotedField || sameWidth)
            return { csv, true };
    }
    return { parse(text), false };
}

QList<QStringList> TabSeparatedText::parseSeparated(const QString& text, QChar separator, bool* quotedField)
{
    // Fields start as the empty string, never a null QString: QtSql binds a null QString as NULL,
    // and a pasted empty field is the empty string.
    const QString empty = QStringLiteral("");
    QList<QStringList> rows;
    QStringList row;
    QString field = empty;
    bool quoted = false;
    bool fieldStarted = false;
    qsizetype quoteStart = -1; // where the open quoted field began
    qsizetype literalQuote = -1; // a quote that turned out not to open a quoted field
    bool closedQuote = false; // a quoted field was read (the text is no plain list)
    qsizetype start = 0;
    for (;;) {
        for (qsizetype i = start; i < text.size(); ++i) {
            const QChar c = text.at(i);
            if (quoted) {
                if (c == u'"') {
                    if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                        field += u'"';
                        ++i;
                    } else {
                        quoted = false;
                        closedQuote = true;
                    }
                } else {
                    field += c;
                }
                continue;
            }
            if (c == u'"' && !fieldStarted && i != literalQuote) {
                quoted = true;
                fieldStarted = true;
                quoteStart = i;
            } else if (c == separator) {
                row << field;
                field = empty;
                fieldStarted = false;
            } else if (c == u'\n' || c == u'\r') {
                if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                    ++i;
                row << field;
                rows << row;
                row.clear();
                field = empty;
                fieldStarted = false;
            } else {
                field += c;
                fieldStarted = true;
            }
        }
        if (!quoted)
            break;
        // A quote that never closes did not open a quoted field: text copied from anywhere may
        // start with one ("; DELETE ...). Nothing was added to row or rows since it; read again
        // from there, taking it as a character, rather than dropping it.
        quoted = false;
        fieldStarted = false;
        field = empty;
        literalQuote = quoteStart;
        start = quoteStart;
    }
    if (quotedField)
        *quotedField = closedQuote;
    // A trailing newline ends the last row rather than starting an empty one.
    if (fieldStarted || !field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}
