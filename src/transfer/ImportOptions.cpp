#include "transfer/ImportOptions.h"

#include <QCoreApplication>

namespace {
class Texts
{
    Q_DECLARE_TR_FUNCTIONS(ImportOptions)
};
} // namespace

QString ImportOptions::problem() const
{
    if (!lines
        && (delimiter == '"' || delimiter == '\r' || delimiter == '\n' || delimiter == '\0'
            || static_cast<unsigned char>(delimiter) >= 0x80))
        return Texts::tr("The delimiter must be one character other than a quote or a line break.");
    if (lines || mapping.isEmpty())
        return {};
    if (mapping.count(Target::Name) == 0)
        return Texts::tr("No column of the file goes to name: choose one.");
    if (mapping.count(Target::Name) > 1)
        return Texts::tr("Two columns of the file go to name: choose one.");
    if (mapping.count(Target::Date) > 1)
        return Texts::tr("Two columns of the file go to date: choose one.");
    return {};
}
