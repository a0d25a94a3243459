#pragma once

#include <QCoreApplication>
#include <QString>

// What a cell's editor can tell before the server sees a value: text PostgreSQL would refuse for
// the column's type, said in words, so that Enter keeps the editor open with the reason instead of
// a save failing later with the server's error. Only where the server's rule is known exactly and
// does not change between releases: uuid_in's forms, the JSON grammar (and jsonb's two extra
// refusals), the length of character varying(n) and character(n), an array's braces, quotes and
// commas (its elements by their own type's rule). Every other type, a domain among them (its
// constraint may say more), is left to the server.
class ValueCheck
{
    Q_DECLARE_TR_FUNCTIONS(ValueCheck)

public:
    // typeSql as format_type() names the column's type, e.g. "character varying(40)".
    explicit ValueCheck(const QString& typeSql = QString());

    // Whether the type is one this class checks.
    bool checks() const { return m_kind != Kind::Any; }
    // What the editor's tooltip says of the type: the limit or the form; empty when unchecked.
    QString hint() const;
    // Why the server would refuse the text, in words; empty when it would take it.
    QString problem(const QString& text) const;

private:
    enum class Kind { Any, Uuid, Json, Jsonb, Characters, Array };

    static bool isUuid(const QString& text);
    // Empty when text is one JSON value with only whitespace around it; else the first fault
    // and, in *at, its character position from 1.
    static QString jsonProblem(const QString& text, bool jsonb, qsizetype* at);
    QString arrayProblem(const QString& text) const;

    Kind m_kind = Kind::Any;
    int m_maxLength = -1;
    QString m_typeSql;
    QString m_elementTypeSql; // an array's
};
