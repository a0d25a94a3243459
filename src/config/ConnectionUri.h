#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// A connection URI as hosting platforms hand them out (Heroku, Render, Supabase, Neon...):
//   postgres[ql]://[user[:password]@][host][:port][,host[:port]...][/database][?keyword=value&...]
// read the way libpq reads it: percent-decoded parts, "[::1]" for an IPv6 literal, several hosts
// joined into libpq's comma lists, a query parameter overriding the same part of the address,
// and only libpq's own keywords accepted in the query (psql refuses the others too; silently
// dropping "ssl_mode=require" would connect without the encryption it asks for).
//
// Messages never quote the URI or its password.
class ConnectionUri
{
public:
    struct Parameter
    {
        QString keyword; // libpq's name: host, port, user, password, dbname, sslmode, ...
        QString value; // decoded
    };

    static bool looksLikeUri(const QString& text); // starts with postgres:// or postgresql://
    static ConnectionUri parse(const QString& text);

    // libpq keywords pgdesk accepts in a URI's query but has no field for: passed to libpq as
    // they are. client_encoding (QPSQL pins UTF8) and replication are refused.
    static const QStringList& passThroughKeywords();

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // Every keyword the URI sets, in libpq's names, each once (a later one replaced an earlier one).
    const QList<Parameter>& parameters() const { return m_parameters; }
    std::optional<QString> value(const QString& keyword) const;

private:
    void set(const QString& keyword, const QString& value);
    bool fail(const QString& message);

    QList<Parameter> m_parameters;
    QString m_error;
};
