#pragma once

#include <QString>

// A table named the way PG_TABLE names it: `my_table`, `public.my_table`, `"MixedCase"`,
// `"odd schema"."Odd.Table"`. Unquoted parts fold to lower case as PostgreSQL folds them.
class TableName
{
public:
    TableName() = default;
    TableName(QString schema, QString name);

    // Returns an invalid TableName and sets *error for text that is not one or two identifiers.
    static TableName parse(const QString& text, QString* error = nullptr);

    bool isValid() const { return !m_name.isEmpty(); }
    QString schema() const { return m_schema; }
    QString name() const { return m_name; }

    // Always double-quoted, so no user text reaches SQL unescaped: "public"."my_table".
    QString sql() const;
    // The name as a user reads it: my_table, or "MixedCase" only where quoting is needed.
    QString display() const;

    static QString quoteIdentifier(const QString& identifier);

private:
    QString m_schema;
    QString m_name;
};
