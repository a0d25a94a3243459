#include "editing/RowsAsText.h"

#include "connection/SqlLiteral.h"
#include "editing/TabSeparatedText.h"
#include "table/ValueText.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
// Qt 6's QVariant::isNull() is false for a null QString; QtSql binds one as NULL all the same,
// so it is NULL here too.
bool isSqlNull(const QVariant& value)
{
    return !value.isValid() || value.isNull() || RowsAsText::isServerDefault(value)
        || (value.metaType().id() == QMetaType::QString && value.toString().isNull());
}

bool isBool(const QVariant& value)
{
    return value.metaType().id() == QMetaType::Bool;
}

// JSON's number grammar (RFC 8259), which PostgreSQL also reads as a numeric constant. Text
// outside it (NaN, Infinity) is written as a string or a quoted literal instead.
bool isJsonNumber(const QString& text)
{
    static const QRegularExpression number(u"\\A-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\z"_s);
    return number.match(text).hasMatch();
}

// Only the text: a bigint arrives as qlonglong or qulonglong and keeps every digit (never a
// double, which would turn 9007199254740993 into ...992); NaN as the server spells it.
QString valueText(const QVariant& value)
{
    return ValueText::of(value);
}

QString csvField(const QString& text)
{
    // A field that is exactly \. is quoted as PostgreSQL's COPY writes it: COPY FROM reads an
    // unquoted line holding only \. as the end of the data.
    const bool needsQuotes = text.isEmpty() || text.contains(u',') || text.contains(u'"') || text.contains(u'\n')
        || text.contains(u'\r') || text == u"\\.";
    if (!needsQuotes)
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

QString jsonString(const QString& text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'"';
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += u"\\\""_s;
            break;
        case u'\\':
            out += u"\\\\"_s;
            break;
        case u'\b':
            out += u"\\b"_s;
            break;
        case u'\f':
            out += u"\\f"_s;
            break;
        case u'\n':
            out += u"\\n"_s;
            break;
        case u'\r':
            out += u"\\r"_s;
            break;
        case u'\t':
            out += u"\\t"_s;
            break;
        // Valid JSON as they are, but they end a line in JavaScript before ES2019.
        case 0x2028:
        case 0x2029:
            out += u"\\u"_s + QString::number(c.unicode(), 16);
            break;
        default:
            if (c.unicode() < 0x20)
                out += u"\\u"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0');
            else
                out += c;
        }
    }
    out += u'"';
    return out;
}

QString sqlString(const QString& text)
{
    // '' doubling reads the same under any setting unless the text holds a backslash, which a
    // server with standard_conforming_strings off would take as an escape: E'...' then, as
    // SqlLiteral writes every string.
    if (text.contains(u'\\'))
        return SqlLiteral::literal(QVariant(text));
    QString quoted = text;
    quoted.replace(u"'"_s, u"''"_s);
    return u'\'' + quoted + u'\'';
}

QString markdownCell(const QString& text)
{
    // | would end the cell and \ escapes the character after it; * is escaped so that no text
    // reads as the *NULL* written for NULL. A line break inside a table row is written as <br>,
    // which GitHub and most renderers show as one.
    QString cell = text;
    cell.replace(u"\\"_s, u"\\\\"_s);
    cell.replace(u"|"_s, u"\\|"_s);
    cell.replace(u"*"_s, u"\\*"_s);
    cell.replace(u"\r\n"_s, u"<br>"_s);
    cell.replace(u'\r', u"<br>"_s);
    cell.replace(u'\n', u"<br>"_s);
    return cell;
}
} // namespace

RowsAsText::RowsAsText(QList<Column> columns, QList<QVariantList> rows)
    : m_columns(std::move(columns))
    , m_rows(std::move(rows))
{
}

QList<QStringList> RowsAsText::textRows(bool withHeader) const
{
    QList<QStringList> rows;
    if (withHeader) {
        QStringList header;
        for (const Column& column : m_columns)
            header << column.name;
        rows << header;
    }
    for (const QVariantList& values : m_rows) {
        QStringList fields;
        for (const QVariant& value : values)
            fields << (isSqlNull(value) ? QString() : valueText(value));
        rows << fields;
    }
    return rows;
}

QString RowsAsText::tabSeparated(bool withHeader) const
{
    return TabSeparatedText::format(textRows(withHeader));
}

QString RowsAsText::csv() const
{
    // NULL is an empty unquoted field and the empty string "" (quoted): PostgreSQL's own CSV
    // convention (COPY ... CSV, and so File > Export), which COPY FROM and the importer read back
    // as NULL and '' respectively. Spreadsheets read both as an empty cell.
    QString out;
    QStringList header;
    for (const Column& column : m_columns)
        header << csvField(column.name);
    out += header.join(u',') + u'\n';
    for (const QVariantList& values : m_rows) {
        QStringList fields;
        for (const QVariant& value : values)
            fields << (isSqlNull(value) ? QString() : csvField(valueText(value)));
        out += fields.join(u',') + u'\n';
    }
    return out;
}

QString RowsAsText::json() const
{
    QStringList objects;
    for (const QVariantList& values : m_rows) {
        QStringList members;
        for (int column = 0; column < m_columns.size(); ++column) {
            const QVariant value = values.value(column);
            QString written;
            if (isServerDefault(value))
                continue; // the reader's insert leaves it to the server, as pgdesk's would
            if (isSqlNull(value)) {
                written = u"null"_s;
            } else if (isBool(value)) {
                written = value.toBool() ? u"true"_s : u"false"_s;
            } else {
                const QString text = valueText(value);
                written = m_columns.at(column).isNumber && isJsonNumber(text) ? text : jsonString(text);
            }
            members << jsonString(m_columns.at(column).name) + u": "_s + written;
        }
        objects << u"  {"_s + members.join(u", "_s) + u'}';
    }
    if (objects.isEmpty())
        return u"[]\n"_s;
    return u"[\n"_s + objects.join(u",\n"_s) + u"\n]\n"_s;
}

QString RowsAsText::sqlInsert(const TableName& table) const
{
    QStringList names;
    for (const Column& column : m_columns)
        names << TableName::quoteIdentifier(column.name);
    const QString head = u"INSERT INTO "_s + table.sql() + u" ("_s + names.join(u", "_s) + u") VALUES ("_s;
    QString out;
    for (const QVariantList& values : m_rows) {
        QStringList literals;
        for (int column = 0; column < m_columns.size(); ++column) {
            const QVariant value = values.value(column);
            if (isServerDefault(value)) {
                literals << u"DEFAULT"_s; // NULL would fail a NOT NULL column such as date
            } else if (isSqlNull(value)) {
                literals << u"NULL"_s;
            } else if (isBool(value)) {
                literals << (value.toBool() ? u"true"_s : u"false"_s);
            } else {
                const QString text = valueText(value);
                literals << (m_columns.at(column).isNumber && isJsonNumber(text) ? text : sqlString(text));
            }
        }
        out += head + literals.join(u", "_s) + u");\n"_s;
    }
    return out;
}

QString RowsAsText::markdown() const
{
    QStringList header;
    QStringList rule;
    for (const Column& column : m_columns) {
        header << markdownCell(column.name);
        rule << (column.isNumber ? u"---:"_s : u"---"_s);
    }
    QString out = u"| "_s + header.join(u" | "_s) + u" |\n| "_s + rule.join(u" | "_s) + u" |\n"_s;
    for (const QVariantList& values : m_rows) {
        QStringList cells;
        for (const QVariant& value : values) {
            // Markdown has no NULL: it is written in italics, as the grid shows it, so that it
            // differs from the text "NULL" and from the empty string (an empty cell).
            cells << (isServerDefault(value) ? u"*default*"_s
                          : isSqlNull(value) ? u"*NULL*"_s
                                             : markdownCell(valueText(value)));
        }
        out += u"| "_s + cells.join(u" | "_s) + u" |\n"_s;
    }
    return out;
}
