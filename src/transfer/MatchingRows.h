#pragma once

#include "config/ConnectionSettings.h"
#include "paging/KeysetQuery.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <memory>

class StatementControl;

// Every row the window's filter matches, as one set: what "Select all N matching rows" acts on.
// The set is the filter's SQL (KeysetQuery::Order::filterSql), never a list of keys the window
// happened to load, so it holds the rows the window never read. Each job opens a connection of
// its own and waits on the network: run it off the GUI thread (NetworkWait).
class MatchingRows
{
public:
    struct Outcome
    {
        QString error; // empty on success
        bool cancelled = false;
        qint64 rows = -1; // counted, read or deleted
        // deleteAll() only: the delete matched another number of rows than the user confirmed
        // (another client added or removed matches meanwhile) and was rolled back.
        bool countChanged = false;
        QList<QVariantList> values; // read() only: every column of each row, in the order
        bool succeeded() const { return error.isEmpty(); }
    };

    explicit MatchingRows(KeysetQuery::Order order);

    // How many rows match now, exactly (count(*), which reads them all).
    Outcome count(const ConnectionSettings& settings, const std::shared_ptr<StatementControl>& control) const;
    // Deletes every matching row in one transaction, and commits only when exactly
    // confirmedCount rows were deleted: the user confirmed a number, and a different one means the
    // set is not the one they looked at. Rolled back otherwise (countChanged, rows says how many).
    Outcome deleteAll(const ConnectionSettings& settings, qint64 confirmedCount,
                      const std::shared_ptr<StatementControl>& control) const;
    // The matching rows' columns (the order's rowSelect, each read exactly) in the window's order,
    // at most limit of them. Ask for one more than you will take to tell "limit" from "more".
    Outcome read(const ConnectionSettings& settings, int limit, const std::shared_ptr<StatementControl>& control) const;

    // The statements, for tests and the benchmark.
    QString countSql() const;
    QString deleteSql() const;

private:
    QString whereClause() const;

    KeysetQuery::Order m_order;
};
