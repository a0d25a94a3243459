#include "config/ConnectionSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
constexpr int defaultPort = 5432;
}

ConnectionSettings::Lookup ConnectionSettings::Lookup::fromSystem(const QString& explicitEnvFile)
{
    Lookup lookup;
    lookup.explicitEnvFile = explicitEnvFile;
    lookup.workingDirectory = QDir::currentPath();
    lookup.configDirectory = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/pgdesk";
    lookup.environment = QProcessEnvironment::systemEnvironment();
    return lookup;
}

const QStringList& ConnectionSettings::sslModes()
{
    static const QStringList modes{ u"disable"_s, u"allow"_s,     u"prefer"_s,
                                    u"require"_s, u"verify-ca"_s, u"verify-full"_s };
    return modes;
}

QString ConnectionSettings::envKey(Field field)
{
    switch (field) {
    case Field::Host:
        return u"PG_HOST"_s;
    case Field::Port:
        return u"PG_PORT"_s;
    case Field::User:
        return u"PG_USER"_s;
    case Field::Password:
        return u"PG_PASSWORD"_s;
    case Field::Database:
        return u"PG_DATABASE"_s;
    case Field::SslMode:
        return u"PG_SSLMODE"_s;
    case Field::SslRootCert:
        return u"PG_SSLROOTCERT"_s;
    case Field::Table:
        return u"PG_TABLE"_s;
    }
    return {};
}

QString ConnectionSettings::libpqVariable(Field field)
{
    switch (field) {
    case Field::Host:
        return u"PGHOST"_s;
    case Field::Port:
        return u"PGPORT"_s;
    case Field::User:
        return u"PGUSER"_s;
    case Field::Password:
        return u"PGPASSWORD"_s;
    case Field::Database:
        return u"PGDATABASE"_s;
    case Field::SslMode:
        return u"PGSSLMODE"_s;
    case Field::SslRootCert:
        return u"PGSSLROOTCERT"_s;
    case Field::Table:
        return {};
    }
    return {};
}

QString ConnectionSettings::defaultText(Field field)
{
    switch (field) {
    case Field::Port:
        return QString::number(defaultPort);
    case Field::SslMode:
        return u"require"_s; // the tutorial connects with sslmode='require'
    case Field::Table:
        return u"my_table"_s;
    // Empty means "let libpq decide": the local socket, the login name, ~/.pgpass.
    case Field::Host:
    case Field::User:
    case Field::Password:
    case Field::Database:
    case Field::SslRootCert:
        return {};
    }
    return {};
}

ConnectionSettings::ConnectionSettings()
{
    for (Field field : allFields)
        m_values[index(field)] = Value{ defaultText(field), Source::Default, {} };
}

void ConnectionSettings::set(Field field, const QString& text, Source source, const QString& origin)
{
    m_values[index(field)] = Value{ text, source, origin };
}

QString ConnectionSettings::describeSource(Field field) const
{
    const Value& value = m_values.at(index(field));
    switch (value.source) {
    case Source::EnvFile:
        return QObject::tr("from %1").arg(QDir::toNativeSeparators(value.origin));
    case Source::Environment:
        return QObject::tr("from $%1").arg(value.origin);
    case Source::Entered:
        return QObject::tr("entered here");
    case Source::Default:
        break;
    }
    if (value.text.isEmpty())
        return QObject::tr("libpq default");
    return QObject::tr("default");
}

int ConnectionSettings::port() const
{
    bool ok = false;
    const int number = text(Field::Port).trimmed().toInt(&ok);
    return ok && number > 0 && number <= 65535 ? number : 0;
}

QStringList ConnectionSettings::problems() const
{
    QStringList found;
    if (port() == 0) {
        found << QObject::tr("%1 must be a port number from 1 to 65535 (%2).")
                     .arg(envKey(Field::Port), describeSource(Field::Port));
    }
    if (!sslModes().contains(sslMode())) {
        found << QObject::tr("%1 must be one of %2 (%3).")
                     .arg(envKey(Field::SslMode), sslModes().join(u", "), describeSource(Field::SslMode));
    }
    if (table().trimmed().isEmpty())
        found << QObject::tr("%1 must name a table (%2).").arg(envKey(Field::Table), describeSource(Field::Table));
    return found;
}

QString ConnectionSettings::displayTarget() const
{
    const QString shownHost = host().isEmpty() ? QObject::tr("local socket") : host();
    const QString shownUser = user().isEmpty() ? QString() : user() + u'@';
    const QString shownDatabase = database().isEmpty() ? QString() : u'/' + database();
    return shownUser + shownHost + u':' + text(Field::Port) + shownDatabase;
}

QString ConnectionSettings::viewSettingsGroup(const QString& table) const
{
    // The encoder never writes '(' itself, so "(default)" cannot be mistaken for a name; an empty
    // part would instead vanish, as QSettings folds "//" into "/".
    const auto part = [](const QString& text) {
        return text.isEmpty() ? u"(default)"_s : QString::fromLatin1(QUrl::toPercentEncoding(text));
    };
    return part(host()) + u':' + QString::number(port()) + u'/' + part(database()) + u'/' + part(table);
}

ConnectionSettings::Resolution ConnectionSettings::resolve(const Lookup& lookup)
{
    Resolution resolution;

    EnvFile envFile;
    if (!lookup.explicitEnvFile.isEmpty()) {
        resolution.searchedPaths << lookup.explicitEnvFile;
        envFile = EnvFile::load(lookup.explicitEnvFile);
        if (envFile.isLoaded())
            resolution.envFilePath = QFileInfo(lookup.explicitEnvFile).absoluteFilePath();
        else
            resolution.envFileError = envFile.errorString();
    } else {
        const QStringList candidates{ QDir(lookup.workingDirectory).filePath(u".env"_s),
                                      QDir(lookup.configDirectory).filePath(u".env"_s) };
        for (const QString& candidate : candidates) {
            if (lookup.workingDirectory.isEmpty() && candidate == candidates.first())
                continue;
            resolution.searchedPaths << candidate;
            if (!QFileInfo::exists(candidate))
                continue;
            envFile = EnvFile::load(candidate);
            if (envFile.isLoaded())
                resolution.envFilePath = QFileInfo(candidate).absoluteFilePath();
            else
                resolution.envFileError = envFile.errorString();
            break; // the first .env found is the one meant, even if it turns out unreadable
        }
    }
    resolution.envFileProblems = envFile.problems();

    // The tutorial runs load_dotenv() and then os.environ.get('PG_HOST'): a PG_* variable already
    // in the environment wins over the .env (load_dotenv() leaves it alone), as where the tutorial
    // is deployed with its settings injected as environment variables and no file at all. Naming
    // the file with --env is asking for that file, so there the file wins, as with
    // load_dotenv(override=True). libpq's own variables only fill in what both leave out.
    const bool fileWins = !lookup.explicitEnvFile.isEmpty();
    // An empty port counts as left out: python-dotenv reads PG_PORT= as "", and libpq, handed an
    // empty port, connects on 5432, so the tutorial works with such a .env and pgdesk must too.
    const auto given = [](Field field, const QString& text) { return field != Field::Port || !text.isEmpty(); };
    for (Field field : allFields) {
        const QString key = envKey(field);
        const bool inFile = envFile.isLoaded() && envFile.contains(key);
        const bool inEnvironment = lookup.environment.contains(key);
        const QString variable = libpqVariable(field);
        if (inFile && (fileWins || !inEnvironment)) {
            if (given(field, envFile.value(key)))
                resolution.settings.set(field, envFile.value(key), Source::EnvFile, resolution.envFilePath);
        } else if (inEnvironment) {
            if (given(field, lookup.environment.value(key)))
                resolution.settings.set(field, lookup.environment.value(key), Source::Environment, key);
        }
        if (resolution.settings.source(field) == Source::Default && !variable.isEmpty()
            && lookup.environment.contains(variable) && given(field, lookup.environment.value(variable))) {
            resolution.settings.set(field, lookup.environment.value(variable), Source::Environment, variable);
        }
    }
    return resolution;
}

QStringList ConnectionSettings::Resolution::messages() const
{
    QStringList all;
    if (!envFileError.isEmpty())
        all << envFileError;
    for (const EnvFileProblem& problem : envFileProblems)
        all << QObject::tr("%1, line %2: %3")
                   .arg(QDir::toNativeSeparators(envFilePath))
                   .arg(problem.line)
                   .arg(problem.message);
    all << settings.problems();
    return all;
}
