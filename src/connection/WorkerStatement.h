#pragma once

#include <QString>
#include <QVariantList>

// One statement for a worker connection (KeysetFetcher): its text with `?` placeholders, the
// values bound to them, and whether its rows come back in reverse and must be flipped (a keyset
// window read backwards). Plain data, so the paging and live layers build statements without the
// connection layer knowing about them.
struct WorkerStatement
{
    QString sql;
    QVariantList values;
    bool reversed = false;
    // A search's first window (KeysetFetcher::run): when above 0, the statement runs through a
    // cursor for at most this long, and what it found by then comes back as Result::cutShort.
    int searchBudgetMs = 0;
};
