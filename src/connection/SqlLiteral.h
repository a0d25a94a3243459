#pragma once

#include <QString>
#include <QVariantList>

class QSqlQuery;

// Statements with `?` placeholders run as one plain text, each value written into it as a
// literal, instead of QSqlQuery::prepare(). QPSQL's prepare() is a named server-side PREPARE
// (qpsqlpstmt_N) that its exec() then EXECUTEs in another transaction: behind a transaction
// pooler (PgBouncer's pool_mode = transaction) the two may reach different server connections
// ("prepared statement does not exist"), and the name, numbered from 1 in every process, collides
// with one another client left on the pooled connection ("already exists").
//
// Values are written so that no server setting changes their meaning: text as E'...' (backslash
// and quote escaped, so standard_conforming_strings does not matter; a NUL as \000, which the
// server refuses as a character instead of the query text ending there), numbers as numbers,
// NULL as NULL. `?` inside '...' or "..." (a quoted table name) and after -- is left alone.
class SqlLiteral
{
public:
    // sql with every placeholder replaced by the matching value's literal. Placeholders beyond
    // values stay as they are, so the server reports the statement as broken.
    static QString bind(const QString& sql, const QVariantList& values);
    // One value's literal.
    static QString literal(const QVariant& value);
    // query.exec(bind(sql, values)).
    static bool exec(QSqlQuery& query, const QString& sql, const QVariantList& values = {});
};
