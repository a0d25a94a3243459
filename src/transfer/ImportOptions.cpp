#include "transfer/ImportOptions.h"

#include <QCoreApplication>

namespace {
class Texts
{
    Q_DECLARE_TR_FUNCTIONS(ImportOptions)
};
} // namespace

QString ImportOptions::columnsText(const QStringList& columns)
{
    return columns.size() == 1 ? columns.constFirst() : u'(' + columns.join(QStringLiteral(", ")) + u')';
}

QStringList ImportOptions::targetColumns() const
{
    if (lines)
        return lineColumn.isEmpty() ? QStringList() : QStringList{ lineColumn };
    QStringList targets;
    for (const QString& column : mapping) {
        if (!column.isEmpty())
            targets << column;
    }
    return targets;
}

QString ImportOptions::readingProblem() const
{
    if (!lines
        && (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == '\0'
            || static_cast<unsigned char>(delimiter) >= 0x80))
        return Texts::tr("The delimiter must be one character other than a quote or a line break.");
    return {};
}

QString ImportOptions::problem() const
{
    if (const QString reading = readingProblem(); !reading.isEmpty())
        return reading;
    if (lines && lineColumn.isEmpty())
        return Texts::tr("The table has no column a file can fill.");
    if (skipExisting && matchColumns.isEmpty())
        return Texts::tr("Rows of this table cannot be matched with a file's: leave “skip” off.");
    if (!lines && mapping.isEmpty() && header)
        return {}; // the header decides, as CsvImporter reads it (the tutorial's rules)
    const QStringList targets = targetColumns();
    if (targets.isEmpty())
        return Texts::tr("No column of the file goes to a column of the table: choose one.");
    for (const QString& column : targets) {
        if (targets.count(column) > 1)
            return Texts::tr("Two columns of the file go to %1: choose one.").arg(column);
    }
    if (skipExisting) {
        for (const QString& column : matchColumns) {
            if (!targets.contains(column))
                return Texts::tr("To skip rows already in the table, a column of the file must go to %1.").arg(column);
        }
    }
    return {};
}
