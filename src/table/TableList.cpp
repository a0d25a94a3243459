#include "table/TableList.h"

#include "connection/ConnectionError.h"
#include "connection/DatabaseSession.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

QString TableList::statement()
{
    // has_table_privilege: a table the role cannot read would open only to fail. Partitions are
    // left out: their parent shows their rows.
    return u"SELECT n.nspname, c.relname, c.relkind, "
           "CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples >= 0 THEN c.reltuples::bigint END, "
           "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition "
           "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
           "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND has_table_privilege(c.oid, 'SELECT') "
           "ORDER BY n.nspname, c.relname"_s;
}

TableList::Outcome TableList::read(const ConnectionSettings& settings)
{
    Outcome outcome;
    DatabaseSession session;
    if (!session.open(settings)) {
        outcome.error = session.lastError().fullText();
        return outcome;
    }
    QSqlQuery query(session.database());
    query.setForwardOnly(true);
    if (!query.exec(statement())) {
        outcome.error = ConnectionError::reasonOf(query.lastError());
        return outcome;
    }
    while (query.next()) {
        Entry entry;
        entry.table = TableName(query.value(0).toString(), query.value(1).toString());
        const QString kind = query.value(2).toString();
        entry.kind = kind == u"p"_s ? Kind::PartitionedTable
            : kind == u"v"_s        ? Kind::View
            : kind == u"m"_s        ? Kind::MaterializedView
            : kind == u"f"_s        ? Kind::ForeignTable
                                    : Kind::Table;
        entry.estimatedRows = query.value(3).isNull() ? -1 : query.value(3).toLongLong();
        entry.hasPrimaryKey = query.value(4).toBool();
        outcome.entries << entry;
    }
    // Single-row mode: an error after some rows is an error, not a shorter list.
    if (query.lastError().isValid()) {
        outcome.error = ConnectionError::reasonOf(query.lastError());
        outcome.entries.clear();
    }
    return outcome;
}
