#pragma once

#include "config/ConnectionUri.h"
#include "config/EnvFile.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <array>

// The values pgdesk connects with, each remembering where it came from so the connection
// dialog can say "from /home/me/app/.env" or "from $PGHOST" beside the field.
class ConnectionSettings
{
public:
    enum class Field { Host, Port, User, Password, Database, SslMode, SslRootCert, SslCert, SslKey, Service, Table };
    // Uri: a part of DATABASE_URL (or POSTGRES_URL, PG_URL), origin "DATABASE_URL in <.env>" or
    // "$DATABASE_URL". ServiceFile: a value of pg_service.conf, origin "PGSERVICE name (<file>)".
    enum class Source { Default, EnvFile, Environment, Entered, Uri, ServiceFile };

    struct Value
    {
        QString text;
        Source source = Source::Default;
        QString origin; // the .env path or the environment variable's name
    };

    // libpq keywords from a URI's query that have no field here (application_name,
    // target_session_attrs, ...): handed to libpq as they are, after pgdesk's own options.
    struct Extra
    {
        QList<ConnectionUri::Parameter> parameters;
        QString origin;
    };

    // Where to look. Kept explicit (rather than read from globals) so tests can pin every input.
    struct Lookup
    {
        QString explicitEnvFile; // --env FILE; when set, nothing else is searched
        QString workingDirectory;
        QString configDirectory; // the user's config folder for pgdesk
        QProcessEnvironment environment;

        static Lookup fromSystem(const QString& explicitEnvFile = {});
    };

    struct Resolution;

    static constexpr std::array<Field, 11> allFields{ Field::Host,        Field::Port,     Field::User,
                                                      Field::Password,    Field::Database, Field::SslMode,
                                                      Field::SslRootCert, Field::SslCert,  Field::SslKey,
                                                      Field::Service,     Field::Table };
    // The keys a connection URI may be given in, the first present one used.
    static const QStringList& uriKeys();
    static const QStringList& sslModes();
    static QString envKey(Field field); // PG_HOST, as in the tutorial's .env
    static QString libpqVariable(Field field); // PGHOST, or empty where libpq has none we honour
    static QString defaultText(Field field);

    static Resolution resolve(const Lookup& lookup);

    ConnectionSettings();

    QString text(Field field) const { return m_values.at(index(field)).text; }
    Source source(Field field) const { return m_values.at(index(field)).source; }
    QString origin(Field field) const { return m_values.at(index(field)).origin; }
    void set(Field field, const QString& text, Source source = Source::Entered, const QString& origin = {});
    QString describeSource(Field field) const;
    // The same in English whatever the language: for machine output (`pgdesk check --json`).
    QString describeSourceUntranslated(Field field) const;

    QString host() const { return text(Field::Host); } // may be a libpq comma list, "a,b"
    // The first port of the list (0 when it is not a valid port; see problems()). Several hosts may
    // come with a comma list of ports, as in libpq; an empty entry means 5432.
    int port() const;
    bool hasPortList() const { return text(Field::Port).contains(u','); }
    QString user() const { return text(Field::User); }
    QString password() const { return text(Field::Password); }
    QString database() const { return text(Field::Database); }
    QString sslMode() const { return text(Field::SslMode); }
    QString sslRootCert() const { return text(Field::SslRootCert); }
    QString sslCert() const { return text(Field::SslCert); }
    QString sslKey() const { return text(Field::SslKey); }
    QString service() const { return text(Field::Service); }
    QString table() const { return text(Field::Table); }

    const Extra& extra() const { return m_extra; }
    void setExtra(const Extra& extra) { m_extra = extra; }

    // Applies every part a URI names, as Source::Uri (or Entered when origin is empty). A URI
    // that names a host brings its port too (5432 where it gives none), so that a stale PG_PORT
    // cannot pair with the URI's host. Its extra keywords replace the earlier ones.
    void applyUri(const ConnectionUri& uri, Source source, const QString& origin);

    // Values that cannot work, as sentences naming the key, never quoting the password.
    QStringList problems() const;

    // "user@host:port/database" for titles and status bars; never includes the password.
    QString displayTarget() const;

    // "localhost:5432/tutorial/my_table": where a table's view settings (column widths, sort) are
    // kept, so another server's or database's table of the same name starts from its own. Each
    // part is percent-encoded, so a '/' in a socket path or a name cannot add a QSettings level.
    QString viewSettingsGroup(const QString& table) const;

private:
    QString sourceText(Field field, bool translated) const;
    static int index(Field field) { return static_cast<int>(field); }
    std::array<Value, allFields.size()> m_values;
    Extra m_extra;
};

struct ConnectionSettings::Resolution
{
    ConnectionSettings settings;
    QString envFilePath; // the .env that was read, empty when none was found
    QString envFileError; // why an explicitly named or found .env could not be read
    QString uriKey; // DATABASE_URL, POSTGRES_URL or PG_URL when one was used
    QString uriError; // why it could not be read; never quotes it
    QString serviceError; // the service named is in no pg_service.conf
    QString passFilePath; // where libpq will look for a password: $PGPASSFILE or ~/.pgpass
    QString loginName; // libpq's default user
    // libpq will take the password from passFilePath (none given, and the file has a line for it).
    bool passwordFromPassFile(const ConnectionSettings& settings) const;
    QList<EnvFileProblem> envFileProblems;
    QStringList searchedPaths;

    bool usable() const
    {
        return envFileError.isEmpty() && uriError.isEmpty() && serviceError.isEmpty() && settings.problems().isEmpty();
    }
    QStringList messages() const;
};
