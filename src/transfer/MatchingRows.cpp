#include "transfer/MatchingRows.h"

#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"
#include "connection/SqlLiteral.h"
#include "connection/StatementControl.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <functional>

using namespace Qt::StringLiterals;

namespace {
MatchingRows::Outcome onOwnSession(const ConnectionSettings& settings, const std::shared_ptr<StatementControl>& control,
                                   const std::function<MatchingRows::Outcome(QSqlDatabase&)>& job)
{
    MatchingRows::Outcome outcome;
    DatabaseSession session;
    if (!session.open(settings)) {
        outcome.error = session.lastError().fullText();
        return outcome;
    }
    if (control)
        control->attach(session);
    if (control && control->isCancelled()) {
        outcome.cancelled = true;
        outcome.error = QCoreApplication::translate("MatchingRows", "Cancelled.");
    } else {
        QSqlDatabase database = session.database();
        outcome = job(database);
        if (!outcome.succeeded() && control && control->isCancelled()) {
            outcome.cancelled = true;
            outcome.error = QCoreApplication::translate("MatchingRows", "Cancelled.");
        }
    }
    if (control)
        control->detach();
    return outcome;
}
} // namespace

MatchingRows::MatchingRows(KeysetQuery::Order order)
    : m_order(std::move(order))
{
}

QString MatchingRows::whereClause() const
{
    return m_order.filterSql.isEmpty() ? QString() : u" WHERE ("_s + m_order.filterSql + u')';
}

QString MatchingRows::countSql() const
{
    return u"SELECT count(*) FROM "_s + m_order.tableSql + whereClause();
}

QString MatchingRows::deleteSql() const
{
    return u"DELETE FROM "_s + m_order.tableSql + whereClause();
}

MatchingRows::Outcome MatchingRows::count(const ConnectionSettings& settings,
                                          const std::shared_ptr<StatementControl>& control) const
{
    return onOwnSession(settings, control, [this](QSqlDatabase& database) {
        Outcome outcome;
        QSqlQuery query(database);
        query.setForwardOnly(true);
        if (!query.exec(countSql()) || !query.next()) {
            outcome.error = ConnectionError::reasonOf(query.lastError());
            return outcome;
        }
        outcome.rows = query.value(0).toLongLong();
        return outcome;
    });
}

MatchingRows::Outcome MatchingRows::deleteAll(const ConnectionSettings& settings, qint64 confirmedCount,
                                              const std::shared_ptr<StatementControl>& control) const
{
    return onOwnSession(settings, control, [this, confirmedCount, &control](QSqlDatabase& database) {
        Outcome outcome;
        if (!database.transaction()) {
            outcome.error = ConnectionError::reasonOf(database.lastError());
            return outcome;
        }
        QSqlQuery remove(database);
        if (!remove.exec(deleteSql())) {
            outcome.error = ConnectionError::reasonOf(remove.lastError());
            database.rollback();
            return outcome;
        }
        outcome.rows = remove.numRowsAffected();
        if (outcome.rows != confirmedCount) {
            // Another client added or removed matches since the count the user confirmed: the set
            // is not the one they agreed to delete, so nothing is.
            database.rollback();
            outcome.countChanged = true;
            outcome.error
                = QCoreApplication::translate("MatchingRows", "%Ln row(s) match now, not the number you confirmed.",
                                              nullptr, static_cast<int>(std::min<qint64>(outcome.rows, INT_MAX)));
            return outcome;
        }
        // A cancel that came after the DELETE had finished found the backend idle and did nothing:
        // the user pressed Cancel, so nothing is committed.
        if (control && control->isCancelled()) {
            database.rollback();
            outcome.cancelled = true;
            outcome.error = QCoreApplication::translate("MatchingRows", "Cancelled.");
            outcome.rows = -1;
            return outcome;
        }
        if (!database.commit()) {
            outcome.error = ConnectionError::reasonOf(database.lastError());
            outcome.rows = -1;
        }
        return outcome;
    });
}

MatchingRows::Outcome MatchingRows::read(const ConnectionSettings& settings, int limit,
                                         const std::shared_ptr<StatementControl>& control) const
{
    return onOwnSession(settings, control, [this, limit](QSqlDatabase& database) {
        Outcome outcome;
        // The window's own first statement, so NULLs and ties fall where the grid puts them.
        const KeysetQuery::Statement statement = KeysetQuery(m_order).first(limit);
        QSqlQuery query(database);
        query.setForwardOnly(true);
        if (!SqlLiteral::exec(query, statement.sql, statement.values)) {
            outcome.error = ConnectionError::reasonOf(query.lastError());
            return outcome;
        }
        // The statement selects the key and the sort value before the row's own columns.
        constexpr int rowColumnsStart = 2;
        const int columns = query.record().count();
        while (query.next()) {
            QVariantList row;
            row.reserve(columns - rowColumnsStart);
            for (int column = rowColumnsStart; column < columns; ++column)
                row << query.value(column);
            outcome.values << row;
        }
        if (query.lastError().isValid()) {
            outcome.error = ConnectionError::reasonOf(query.lastError());
            outcome.values.clear();
            return outcome;
        }
        outcome.rows = outcome.values.size();
        return outcome;
    });
}
