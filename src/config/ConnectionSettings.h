#pragma once

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
    enum class Field { Host, Port, User, Password, Database, SslMode, SslRootCert, Table };
    enum class Source { Default, EnvFile, Environment, Entered };

    struct Value
    {
        QString text;
        Source source = Source::Default;
        QString origin; // the .env path or the environment variable's name
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

    static constexpr std::array<Field, 8> allFields{ Field::Host,        Field::Port,     Field::User,
                                                     Field::Password,    Field::Database, Field::SslMode,
                                                     Field::SslRootCert, Field::Table };
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

    QString host() const { return text(Field::Host); }
    int port() const; // 0 when the text is not a valid port; see problems()
    QString user() const { return text(Field::User); }
    QString password() const { return text(Field::Password); }
    QString database() const { return text(Field::Database); }
    QString sslMode() const { return text(Field::SslMode); }
    QString sslRootCert() const { return text(Field::SslRootCert); }
    QString table() const { return text(Field::Table); }

    // Values that cannot work, as sentences naming the key, never quoting the password.
    QStringList problems() const;

    // "user@host:port/database" for titles and status bars; never includes the password.
    QString displayTarget() const;

    // "localhost:5432/tutorial/my_table": where a table's view settings (column widths, sort) are
    // kept, so another server's or database's table of the same name starts from its own. Each
    // part is percent-encoded, so a '/' in a socket path or a name cannot add a QSettings level.
    QString viewSettingsGroup(const QString& table) const;

private:
    static int index(Field field) { return static_cast<int>(field); }
    std::array<Value, allFields.size()> m_values;
};

struct ConnectionSettings::Resolution
{
    ConnectionSettings settings;
    QString envFilePath; // the .env that was read, empty when none was found
    QString envFileError; // why an explicitly named or found .env could not be read
    QList<EnvFileProblem> envFileProblems;
    QStringList searchedPaths;

    bool usable() const { return envFileError.isEmpty() && settings.problems().isEmpty(); }
    QStringList messages() const;
};
