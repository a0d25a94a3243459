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
    // Several windows in one statement (one round trip, one snapshot): when not empty, the
    // statement's first column numbers the part each row belongs to (0, 1, ...), and each part
    // comes back as the rows of a statement of its own, flipped where its entry says so.
    QList<bool> partsReversed = {};
};
