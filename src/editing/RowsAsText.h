#pragma once

#include "config/TableName.h"

#include <QList>
#include <QString>
#include <QVariantList>

// A block of the grid's cells as text for the clipboard, in the formats people paste into other
// programs: tab-separated (what spreadsheets exchange), CSV, JSON, SQL INSERT statements and a
// Markdown table. A null QVariant is SQL NULL; every other value is written as its text, which
// for timestamps is the server's own text the grid shows (the model reads them as text). NULL
// and the empty string stay apart wherever the format can say so. Header lines and keys use the
// columns' names in the table, so the text goes back in through Import, psql or a JSON reader.
class RowsAsText
{
public:
    struct Column
    {
        QString name;
        // A number type on the server: its values may be written as bare numbers (JSON, SQL).
        bool isNumber = false;
    };

    // A new row's cell the server fills in on insert (its column's DEFAULT: id, date), as a cell
    // value: SQL writes DEFAULT, JSON leaves the key out, Markdown *default*; the text formats,
    // which cannot say it, leave the field empty.
    struct ServerDefault
    {
    };
    static QVariant serverDefault() { return QVariant::fromValue(ServerDefault{}); }
    static bool isServerDefault(const QVariant& value)
    {
        return value.metaType() == QMetaType::fromType<ServerDefault>();
    }

    RowsAsText(QList<Column> columns, QList<QVariantList> rows);

    // Tab-separated as TabSeparatedText writes it; NULL and '' both as an empty field, since
    // plain tab-separated text has no way to tell them apart.
    QString tabSeparated(bool withHeader) const;
    // RFC 4180 fields under a header line, each line ending in \n.
    QString csv() const;
    // An array of objects keyed by column name.
    QString json() const;
    // One INSERT statement per row, each one line ending in ;.
    QString sqlInsert(const TableName& table) const;
    // A GitHub-flavoured Markdown table.
    QString markdown() const;

    int rowCount() const { return int(m_rows.size()); }

private:
    QList<QStringList> textRows(bool withHeader) const;

    QList<Column> m_columns;
    QList<QVariantList> m_rows;
};
