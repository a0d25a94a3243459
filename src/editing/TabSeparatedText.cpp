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
    return lines.join(u'\n');
}

QList<QStringList> TabSeparatedText::parse(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    qsizetype quoteStart = -1; // where the open quoted field began
    qsizetype literalQuote = -1; // a quote that turned out not to open a quoted field
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
            } else if (c == u'\t') {
                row << field;
                field.clear();
                fieldStarted = false;
            } else if (c == u'\n' || c == u'\r') {
                if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                    ++i;
                row << field;
                rows << row;
                row.clear();
                field.clear();
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
        field.clear();
        literalQuote = quoteStart;
        start = quoteStart;
    }
    // A trailing newline ends the last row rather than starting an empty one.
    if (fieldStarted || !field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}
