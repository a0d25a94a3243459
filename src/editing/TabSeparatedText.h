#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// Cells to and from the clipboard the way spreadsheets exchange them: tab between columns,
// newline between rows, fields holding a tab, newline or quote wrapped in double quotes. Pasting
// also reads CSV (RFC 4180: the same quoting, commas between fields), which other programs copy.
class TabSeparatedText
{
public:
    static QString format(const QList<QStringList>& rows);
    static QList<QStringList> parse(const QString& text);
    static QList<QStringList> parseCsv(const QString& text);

    // Clipboard text read as tab-separated, or as CSV when it has no tab and reads as CSV
    // (see parsePasted()).
    struct Pasted
    {
        QList<QStringList> rows;
        bool csv = false;
    };
    static Pasted parsePasted(const QString& text);

private:
    // quotedField, when given, tells whether a quoted field was read.
    static QList<QStringList> parseSeparated(const QString& text, QChar separator, bool* quotedField);
};
