#pragma once

#include <QString>

// Until the translations of issue 16 give English its plural forms, "%n row(s)" would show as it
// is written: the window's texts pick the form with this.
inline QString plural(int count, const QString& one, const QString& many)
{
    return count == 1 ? one : many.arg(count);
}
