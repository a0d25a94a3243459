#include "config/ConnectionSettings.h"

#include "config/PassFile.h"
#include "config/ServiceFile.h"

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
    case Field::SslCert:
        return u"PG_SSLCERT"_s;
    case Field::SslKey:
        return u"PG_SSLKEY"_s;
    case Field::Service:
        return u"PG_SERVICE"_s;
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
    case Field::SslCert:
        return u"PGSSLCERT"_s;
    case Field::SslKey:
        return u"PGSSLKEY"_s;
    case Field::Service:
        return u"PGSERVICE"_s;
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
    case Field::SslCert:
    case Field::SslKey:
    case Field::Service:
        return {};
    }
    return {};
}

const QStringList& ConnectionSettings::uriKeys()
{
    static const QStringList keys{ u"DATABASE_URL"_s, u"POSTGRES_URL"_s, u"PG_URL"_s };
    return keys;
}

namespace {
std::optional<ConnectionSettings::Field> fieldForKeyword(const QString& keyword)
{
    using Field = ConnectionSettings::Field;
    static const QHash<QString, Field> fields{
        { u"host"_s, Field::Host },
        { u"port"_s, Field::Port },
        { u"user"_s, Field::User },
        { u"password"_s, Field::Password },
        { u"dbname"_s, Field::Database },
        { u"sslmode"_s, Field::SslMode },
        { u"sslrootcert"_s, Field::SslRootCert },
        { u"sslcert"_s, Field::SslCert },
        { u"sslkey"_s, Field::SslKey },
        { u"service"_s, Field::Service },
    };
    const auto found = fields.constFind(keyword);
    if (found == fields.constEnd())
        return std::nullopt;
    return *found;
}
} // namespace

void ConnectionSettings::applyUri(const ConnectionUri& uri, Source source, const QString& origin)
{
    Extra extra{ {}, origin };
    for (const ConnectionUri::Parameter& parameter : uri.parameters()) {
        if (const auto field = fieldForKeyword(parameter.keyword))
            set(*field, parameter.value, source, origin);
        else
            extra.parameters << parameter;
    }
    if (uri.value(u"host"_s)) {
        const qsizetype hosts = uri.value(u"host"_s)->split(u',').size();
        QStringList ports = uri.value(u"port"_s).value_or(QString()).split(u',');
        while (ports.size() < hosts)
            ports << QString();
        for (QString& port : ports) {
            if (port.isEmpty())
                port = QString::number(defaultPort);
        }
        // libpq's rule: one port for every host, or one port for all.
        if (ports.count(ports.first()) == ports.size())
            ports = QStringList{ ports.first() };
        set(Field::Port, ports.join(u','), source, origin);
    }
    m_extra = extra;
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
    return sourceText(field, true);
}

QString ConnectionSettings::describeSourceUntranslated(Field field) const
{
    return sourceText(field, false);
}

QString ConnectionSettings::sourceText(Field field, bool translated) const
{
    // Marked for lupdate in QObject's context, where these texts have always been translated.
    const auto say = [translated](const char* text) {
        return translated ? QObject::tr(text) : QString::fromLatin1(text);
    };
    const Value& value = m_values.at(index(field));
    switch (value.source) {
    case Source::EnvFile:
        return say(QT_TRANSLATE_NOOP("QObject", "from %1")).arg(QDir::toNativeSeparators(value.origin));
    case Source::Environment:
        return say(QT_TRANSLATE_NOOP("QObject", "from $%1")).arg(value.origin);
    case Source::Entered:
        if (!value.origin.isEmpty())
            return say(QT_TRANSLATE_NOOP("QObject", "from the %1")).arg(value.origin);
        return say(QT_TRANSLATE_NOOP("QObject", "entered here"));
    case Source::Uri:
    case Source::ServiceFile:
        return say(QT_TRANSLATE_NOOP("QObject", "from %1")).arg(value.origin);
    case Source::Default:
        break;
    }
    if (value.text.isEmpty())
        return say(QT_TRANSLATE_NOOP("QObject", "libpq default"));
    return say(QT_TRANSLATE_NOOP("QObject", "default"));
}

int ConnectionSettings::port() const
{
    bool ok = false;
    const QString first = text(Field::Port).section(u',', 0, 0).trimmed();
    const int number = first.isEmpty() && hasPortList() ? defaultPort : first.toInt(&ok);
    return (ok || hasPortList()) && number > 0 && number <= 65535 ? number : 0;
}

QStringList ConnectionSettings::problems() const
{
    QStringList found;
    const QStringList ports = text(Field::Port).split(u',');
    const bool portsValid = std::all_of(ports.begin(), ports.end(), [&](const QString& one) {
        bool ok = false;
        const int number = one.trimmed().toInt(&ok);
        return (ok && number > 0 && number <= 65535) || (one.trimmed().isEmpty() && ports.size() > 1);
    });
    if (!portsValid || port() == 0) {
        found << QObject::tr("%1 must be a port number from 1 to 65535 (%2).")
                     .arg(envKey(Field::Port), describeSource(Field::Port));
    } else if (ports.size() > 1 && ports.size() != host().split(u',').size()) {
        found << QObject::tr("%1 lists %2 ports for %3 hosts: give one port, or one for each host (%4).")
                     .arg(envKey(Field::Port))
                     .arg(ports.size())
                     .arg(host().split(u',').size())
                     .arg(describeSource(Field::Port));
    }
    // QPSQL joins its connect options with ';', so these values cannot contain one.
    for (Field field : { Field::SslRootCert, Field::SslCert, Field::SslKey, Field::Service }) {
        if (text(field).contains(u';'))
            found << QObject::tr("%1 may not contain ';' (%2).").arg(envKey(field), describeSource(field));
    }
    for (const ConnectionUri::Parameter& parameter : m_extra.parameters) {
        if (parameter.value.contains(u';'))
            found << QObject::tr("The URI's %1 may not contain ';' (%2).").arg(parameter.keyword, m_extra.origin);
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
    // "[::1]:5432", as in a URI: a bare IPv6 address would run into the port.
    const bool ipv6 = host().contains(u':') && !host().contains(u',') && !host().startsWith(u'/');
    const QString shownHost = host().isEmpty() ? QObject::tr("local socket") : ipv6 ? u'[' + host() + u']' : host();
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
        if (inFile && (fileWins || !inEnvironment)) {
            if (given(field, envFile.value(key)))
                resolution.settings.set(field, envFile.value(key), Source::EnvFile, resolution.envFilePath);
        } else if (inEnvironment) {
            if (given(field, lookup.environment.value(key)))
                resolution.settings.set(field, lookup.environment.value(key), Source::Environment, key);
        }
    }

    // A hosting platform's URI is the address it maintains (and rotates credentials in), so every
    // part it names wins over the PG_* keys; these fill in only what it leaves out (PG_TABLE,
    // often PG_SSLMODE). Between the .env and the environment the usual rule picks the URI.
    for (const QString& key : uriKeys()) {
        const bool inFile = envFile.isLoaded() && envFile.contains(key) && !envFile.value(key).trimmed().isEmpty();
        const bool inEnvironment = !lookup.environment.value(key).trimmed().isEmpty();
        if (!inFile && !inEnvironment)
            continue;
        const bool fromFile = inFile && (fileWins || !inEnvironment);
        const QString origin = fromFile
            ? QObject::tr("%1 in %2").arg(key, QDir::toNativeSeparators(resolution.envFilePath))
            : u'$' + key;
        const ConnectionUri uri = ConnectionUri::parse(fromFile ? envFile.value(key) : lookup.environment.value(key));
        resolution.uriKey = key;
        if (!uri.isValid()) {
            resolution.uriError = QObject::tr("%1 is not a usable connection URI: %2.").arg(origin, uri.errorString());
            break;
        }
        resolution.settings.applyUri(uri, Source::Uri, origin);
        break;
    }

    // libpq gives a service's values precedence over its PG* variables; so does pgdesk, which
    // reads the file itself only to show where a value came from.
    const auto applyLibpqVariable = [&](Field field) {
        const QString variable = libpqVariable(field);
        if (resolution.settings.source(field) == Source::Default && !variable.isEmpty()
            && lookup.environment.contains(variable) && given(field, lookup.environment.value(variable))) {
            resolution.settings.set(field, lookup.environment.value(variable), Source::Environment, variable);
        }
    };
    applyLibpqVariable(Field::Service);
    const QString service = resolution.settings.service();
    if (!service.isEmpty()) {
        const ServiceFile::Definition definition = ServiceFile::find(service, lookup.environment);
        if (!definition.found) {
            resolution.serviceError = definition.error;
        } else {
            const QString origin
                = QObject::tr("service %1 (%2)").arg(service, QDir::toNativeSeparators(definition.path));
            for (const auto& [keyword, value] : definition.values) {
                const auto field = fieldForKeyword(keyword);
                if (field && *field != Field::Service && resolution.settings.source(*field) == Source::Default)
                    resolution.settings.set(*field, value, Source::ServiceFile, origin);
            }
        }
    }
    for (Field field : allFields)
        applyLibpqVariable(field);

    resolution.passFilePath = PassFile::path(lookup.environment);
    resolution.loginName = lookup.environment.value(u"USER"_s);
    return resolution;
}

QStringList ConnectionSettings::Resolution::messages() const
{
    QStringList all;
    if (!envFileError.isEmpty())
        all << envFileError;
    if (!uriError.isEmpty())
        all << uriError;
    if (!serviceError.isEmpty())
        all << serviceError;
    for (const EnvFileProblem& problem : envFileProblems)
        all << QObject::tr("%1, line %2: %3")
                   .arg(QDir::toNativeSeparators(envFilePath))
                   .arg(problem.line)
                   .arg(problem.message);
    all << settings.problems();
    return all;
}

bool ConnectionSettings::Resolution::passwordFromPassFile(const ConnectionSettings& current) const
{
    return current.password().isEmpty()
        && PassFile::hasEntryFor(passFilePath, current.host(), current.text(Field::Port), current.database(),
                                 current.user(), loginName);
}
