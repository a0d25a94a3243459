#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// Cells to and from the clipboard the way spreadsheets exchange them: tab between columns,
// newline between rows, fields holding a tab, newline or quote wrapped in double quotes.
class TabSeparatedText
{
public:
    static QString format(const QList<QStringList>& rows);
    static QList<QStringList> parse(const QString& text);
};
