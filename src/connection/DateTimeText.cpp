#include "connection/DateTimeText.h"

using namespace Qt::StringLiterals;

QString DateTimeText::isoSql(const QString& expression)
{
    // pg_typeof() is decided per row but costs nothing; it lets one expression serve any column,
    // so callers need not know the column's type (the tutorial's "date" is TIMESTAMP, but a
    // table may differ). Every branch type-checks for every input type: to_json() takes anything.
    const QString json = u"(to_json(%1) #>> '{}')"_s.arg(expression);
    return u"(CASE pg_typeof(%1) WHEN 'timestamp'::regtype THEN replace(%2, 'T', ' ') "
           "WHEN 'timestamptz'::regtype THEN regexp_replace(regexp_replace(replace(%2, 'T', ' '), ':00$', ''), "
           "':00 BC$', ' BC') "
           "WHEN 'date'::regtype THEN %2 ELSE (%1)::text END)"_s.arg(expression, json);
}
