// Just past 600 lines: one function per tutorial script (check, add, read, delete, drop, serve)
// plus the option parsing, exit codes and JSON/human output they share. The shared part is what
// keeps the six consistent; the next split, if it grows, is the output formatting.
#include "service/CommandLineTool.h"

#include "config/ConnectionSettings.h"
#include "config/Utf8Text.h"
#include "connection/DatabaseSession.h"
#include "connection/SqlLiteral.h"
#include "connection/VersionInfo.h"
#include "service/HttpApi.h"
#include "service/TerminationSignal.h"
#include "service/TutorialStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {
// The sentence guide.py prints once it is connected.
constexpr auto connectedSentence = "Connection to postgres successful!"_L1;
constexpr quint16 defaultPort = 8080;

bool standardInputIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stdin)) != 0;
#else
    return ::isatty(STDIN_FILENO) == 1;
#endif
}

QStringList optionsTakingValues()
{
    return { u"env"_s, u"lang"_s, u"bind"_s, u"port"_s, u"token"_s };
}

// Counts beyond int are not met here: a table of 2^31 rows is not a tutorial's.
QString rowsText(qint64 count)
{
    return QObject::tr("%n row(s)", nullptr, static_cast<int>(count));
}
} // namespace

struct CommandLineTool::Subcommand
{
    QString name;
    QString arguments; // as shown in the help: "NAME..."
    QString argumentsHelp;
    QString summary;
    int (CommandLineTool::*run)(const QCommandLineParser&);
};

CommandLineTool::CommandLineTool()
    : m_out(stdout, QIODevice::WriteOnly)
    , m_err(stderr, QIODevice::WriteOnly)
{
}

const QList<CommandLineTool::Subcommand>& CommandLineTool::subcommands()
{
    static const QList<Subcommand> all{
        { u"check"_s,
          {},
          {},
          QObject::tr("Connect, then print the server version and whether SSL is in use."),
          &CommandLineTool::check },
        { u"add"_s, u"NAME..."_s, QObject::tr("The names to add, each a row; put -- before a name that starts with -."),
          QObject::tr("Insert one row per NAME (guide.py NAME)."), &CommandLineTool::add },
        { u"read"_s, u"[NAME]"_s, QObject::tr("The name to look for."),
          QObject::tr("Print the rows named exactly NAME, every row without NAME; --contains: names containing "
                      "NAME, ignoring case."),
          &CommandLineTool::read },
        { u"delete"_s, u"NAME"_s, QObject::tr("The name whose rows to delete."),
          QObject::tr("Delete the rows named exactly NAME."), &CommandLineTool::remove },
        { u"drop"_s,
          {},
          {},
          QObject::tr("Drop the table and all its rows; asks first unless --yes."),
          &CommandLineTool::drop },
        { u"serve"_s,
          {},
          {},
          QObject::tr("Serve the tutorial's HTTP API (main.py): /read, /write, /delete."),
          &CommandLineTool::serve },
    };
    return all;
}

qsizetype CommandLineTool::subcommandIndex(const QStringList& arguments)
{
    const QStringList withValues = optionsTakingValues();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == u"--"_s)
            return i + 1 < arguments.size() ? i + 1 : -1;
        if (argument.size() > 1 && argument.startsWith(u'-')) {
            if (argument.startsWith(u"--"_s) && !argument.contains(u'=') && withValues.contains(argument.mid(2)))
                ++i;
            continue;
        }
        return i;
    }
    return -1;
}

QStringList CommandLineTool::arguments(int argc, char* argv[])
{
#ifdef Q_OS_WIN
    // Qt reads the UTF-16 command line there, where nothing is decoded and nothing lost.
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return QCoreApplication::arguments();
#else
    QStringList decoded;
    decoded.reserve(argc);
    for (int i = 0; i < argc; ++i)
        decoded << Utf8Text::decode(argv[i]);
    return decoded;
#endif
}

bool CommandLineTool::namesSubcommand(const QStringList& arguments)
{
    return subcommandIndex(arguments) >= 0;
}

QString CommandLineTool::subcommandsHelp()
{
    QString help = QObject::tr("Commands (pgdesk COMMAND --help shows each one's options):") + u'\n';
    for (const Subcommand& subcommand : subcommands()) {
        const QString synopsis = QString(subcommand.name + u' ' + subcommand.arguments).trimmed();
        help += u"  "_s + synopsis.leftJustified(16) + u' ' + subcommand.summary + u'\n';
    }
    help += QObject::tr("Without a command pgdesk opens its window. Exit codes: 0 success, 1 usage error, "
                        "2 cannot connect, 3 database error.");
    return help;
}

void CommandLineTool::addOptions(const Subcommand& subcommand, QCommandLineParser& parser)
{
    parser.addOption(
        { u"env"_s, QObject::tr("Read connection settings from FILE instead of searching for .env."), u"FILE"_s });
    // main() installed the translators for it before this parser exists; it is named here only so
    // that the parser accepts it on either side of the command.
    parser.addOption({ u"lang"_s,
                       QObject::tr("Write messages for people in LANG (en, de, fr); JSON and exit codes stay the "
                                   "same in every language."),
                       u"LANG"_s });
    if (subcommand.name != u"serve"_s)
        parser.addOption({ u"json"_s, QObject::tr("Print JSON for programs instead of text for people.") });
    if (subcommand.name == u"read"_s) {
        parser.addOption({ u"contains"_s,
                           QObject::tr("Match names containing NAME, ignoring case; % and _ match only themselves.") });
    } else if (subcommand.name == u"drop"_s) {
        parser.addOption(
            { u"yes"_s, QObject::tr("Drop without asking; required when standard input is not a terminal.") });
    } else if (subcommand.name == u"serve"_s) {
        parser.addOption({ u"bind"_s,
                           QObject::tr("Listen on ADDR (default 127.0.0.1; 0.0.0.0 or :: listens on every network)."),
                           u"ADDR"_s, u"127.0.0.1"_s });
        parser.addOption({ u"port"_s, QObject::tr("Listen on port N (default 8080; 0 picks a free port)."), u"N"_s,
                           QString::number(defaultPort) });
        parser.addOption({ u"token"_s,
                           QObject::tr("Require the header \"Authorization: Bearer T\" on every request (also read "
                                       "from $PGDESK_TOKEN, which other users cannot see in the process list)."),
                           u"T"_s });
        parser.addOption({ u"allow-drop"_s, QObject::tr("Let /delete drop the table, as the tutorial's does.") });
        parser.addOption({ u"workers"_s,
                           QObject::tr("Run up to N statements at once, each on a connection of its own opened when "
                                       "first needed, so a slow request does not hold up the others (default %1).")
                               .arg(HttpApi::defaultWorkers),
                           u"N"_s, QString::number(HttpApi::defaultWorkers) });
        parser.addOption({ u"tutorial-format"_s,
                           QObject::tr("Answer with main.py's JSON: /read as [[id, \"name\", \"date\"]], "
                                       "everything else as {\"result\": ...}, failures as 500.") });
    }
}

int CommandLineTool::run(const QStringList& arguments)
{
    const qsizetype index = subcommandIndex(arguments);
    m_subcommand = index < 0 ? QString() : arguments.at(index);
    const Subcommand* subcommand = nullptr;
    for (const Subcommand& candidate : subcommands()) {
        if (candidate.name == m_subcommand)
            subcommand = &candidate;
    }
    if (!subcommand) {
        QStringList names;
        for (const Subcommand& candidate : subcommands())
            names << candidate.name;
        return fail(UsageError, QObject::tr("\"%1\" is not a pgdesk command.").arg(m_subcommand),
                    QObject::tr("The commands are %1; pgdesk --help describes them.").arg(names.join(u", "_s)));
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(subcommand->summary);
    parser.addHelpOption();
    parser.addVersionOption();
    addOptions(*subcommand, parser);
    if (!subcommand->arguments.isEmpty())
        parser.addPositionalArgument(subcommand->arguments, subcommand->argumentsHelp);
    QStringList withoutSubcommand = arguments;
    withoutSubcommand.removeAt(index);
    if (!parser.parse(withoutSubcommand))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        QString help = parser.helpText();
        help.replace(help.indexOf(u"[options]"_s), 9, m_subcommand + u" [options]"_s);
        m_out << help;
        return Success;
    }
    if (parser.isSet(u"version"_s)) {
        m_out << VersionInfo::text();
        return Success;
    }
    m_json = subcommand->name != u"serve"_s && parser.isSet(u"json"_s);
    return (this->*subcommand->run)(parser);
}

int CommandLineTool::fail(ExitCode code, const QString& message, const QString& hint, const QString& details)
{
    m_out.flush();
    if (m_json) {
        static const char* const kinds[] = { "ok", "usage", "cannot-connect", "database" };
        QJsonObject error{ { u"exit_code"_s, int(code) },
                           { u"kind"_s, QString::fromLatin1(kinds[code]) },
                           { u"message"_s, message } };
        if (!hint.isEmpty())
            error.insert(u"hint"_s, hint);
        if (!details.isEmpty())
            error.insert(u"details"_s, details);
        QJsonObject document{ { u"error"_s, error } };
        // A malformed .env line is often why the connection failed.
        if (!m_warnings.isEmpty())
            document.insert(u"warnings"_s, m_warnings);
        m_err << QJsonDocument(document).toJson(QJsonDocument::Compact) << '\n';
    } else {
        m_err << "pgdesk: " << message << '\n';
        if (!hint.isEmpty())
            m_err << hint << '\n';
        if (!details.isEmpty() && details != message)
            m_err << QObject::tr("The server said: %1").arg(details) << '\n';
    }
    m_err.flush();
    return code;
}

int CommandLineTool::usageError(const QString& message)
{
    const QString command = m_subcommand.isEmpty() ? QString() : m_subcommand + u' ';
    return fail(UsageError, message, QObject::tr("See pgdesk %1--help.").arg(command));
}

int CommandLineTool::storeFailure(const TutorialStore& store)
{
    const TutorialStore::Error& error = store.lastError();
    switch (error.kind) {
    case TutorialStore::Error::Kind::InvalidInput:
        return fail(UsageError, error.message);
    case TutorialStore::Error::Kind::Unreachable:
        return fail(CannotConnect, error.message, {}, error.details);
    case TutorialStore::Error::Kind::None:
    case TutorialStore::Error::Kind::Database:
    case TutorialStore::Error::Kind::ReadOnly:
        break;
    }
    return fail(DatabaseError, error.message, {}, error.details);
}

void CommandLineTool::printJson(const QJsonValue& value)
{
    if (value.isArray()) {
        m_out << QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
        if (!m_warnings.isEmpty()) {
            m_out.flush();
            m_err << QJsonDocument(QJsonObject{ { u"warnings"_s, m_warnings } }).toJson(QJsonDocument::Compact) << '\n';
            m_err.flush();
        }
        return;
    }
    QJsonObject object = value.toObject();
    object.insert(u"warnings"_s, m_warnings);
    m_out << QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QString CommandLineTool::readable(const QVariant& name)
{
    if (name.isNull())
        return u"(null)"_s;
    QString shown;
    for (QChar c : name.toString()) {
        if (c == u'\\')
            shown += u"\\\\"_s;
        else if (c == u'\n')
            shown += u"\\n"_s;
        else if (c == u'\r')
            shown += u"\\r"_s;
        else if (c == u'\t')
            shown += u"\\t"_s;
        else if (c.category() == QChar::Other_Control)
            shown += u"\\x"_s + QString::number(c.unicode(), 16).rightJustified(2, u'0');
        else
            shown += c;
    }
    return shown;
}

void CommandLineTool::printRows(const QList<TutorialRow>& rows)
{
    qsizetype idWidth = 2;
    qsizetype dateWidth = 4;
    for (const TutorialRow& row : rows) {
        idWidth = qMax(idWidth, QString::number(row.id).size());
        dateWidth = qMax(dateWidth, row.date.size());
    }
    m_out << u"id"_s.rightJustified(idWidth) << "  " << u"date"_s.leftJustified(dateWidth) << "  name\n";
    for (const TutorialRow& row : rows) {
        m_out << QString::number(row.id).rightJustified(idWidth) << "  " << row.date.leftJustified(dateWidth) << "  "
              << readable(row.name) << '\n';
    }
    m_out << '(' << rowsText(rows.size()) << ")\n";
}

std::unique_ptr<DatabaseSession> CommandLineTool::connect(const QCommandLineParser& parser, int* exitCode)
{
    const QString envFile = parser.value(u"env"_s);
    const ConnectionSettings::Resolution resolution
        = ConnectionSettings::resolve(ConnectionSettings::Lookup::fromSystem(envFile));
    if (!resolution.envFileError.isEmpty()) {
        // A file named on the command line that cannot be read is a mistake in the command.
        *exitCode = fail(envFile.isEmpty() ? CannotConnect : UsageError, resolution.envFileError);
        return nullptr;
    }
    for (const EnvFileProblem& problem : resolution.envFileProblems) {
        if (m_json) {
            m_warnings.append(QJsonObject{ { u"file"_s, QDir::toNativeSeparators(resolution.envFilePath) },
                                           { u"line"_s, problem.line },
                                           { u"message"_s, problem.message } });
        } else {
            m_err << "pgdesk: " << QDir::toNativeSeparators(resolution.envFilePath) << ", "
                  << QObject::tr("line %1: %2").arg(problem.line).arg(problem.message) << '\n';
        }
    }
    m_err.flush();
    auto session = std::make_unique<DatabaseSession>();
    if (!session->open(resolution.settings)) {
        const ConnectionError& error = session->lastError();
        *exitCode = fail(CannotConnect, error.message(), error.hint(), error.details());
        return nullptr;
    }
    return session;
}

int CommandLineTool::check(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QObject::tr("check takes no arguments."));
    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;

    // guide.py's first statement: the server echoes the sentence back.
    QString connected;
    {
        QSqlQuery query(session->database());
        if (!SqlLiteral::exec(query, u"SELECT CAST(? AS text) AS connected"_s, { QString(connectedSentence) })
            || !query.next()) {
            return fail(DatabaseError, QObject::tr("Connected, but the server did not answer a query."), {},
                        query.lastError().databaseText());
        }
        connected = query.value(0).toString();
    }
    const ServerInfo& server = session->serverInfo();
    const ConnectionSettings& settings = session->settings();
    // Settings can come from the environment, a .env or libpq's variables: when the connection is
    // not the one meant, this tells which of them to fix.
    QJsonObject sources;
    for (ConnectionSettings::Field field : ConnectionSettings::allFields)
        sources.insert(ConnectionSettings::envKey(field), settings.describeSourceUntranslated(field));
    if (m_json) {
        printJson(QJsonObject{ { u"connected"_s, connected },
                               { u"server_version"_s, server.serverVersion },
                               { u"ssl"_s, server.sslInUse },
                               { u"ssl_protocol"_s, server.sslProtocol },
                               { u"time_zone"_s, server.timeZone },
                               { u"user"_s, server.user },
                               { u"database"_s, server.database },
                               { u"host"_s, settings.host() },
                               { u"port"_s, settings.port() },
                               { u"table"_s, session->tableName().display() },
                               { u"sources"_s, sources } });
        return Success;
    }
    m_out << connected << '\n';
    m_out << QObject::tr("Server version: %1").arg(server.serverVersion) << '\n';
    m_out << (server.sslInUse ? QObject::tr("SSL: in use (%1)").arg(server.sslProtocol)
                              : QObject::tr("SSL: not in use"))
          << '\n';
    m_out << QObject::tr("Connected to: %1, table %2").arg(settings.displayTarget(), session->tableName().display())
          << '\n';
    m_out << QObject::tr("Settings:") << '\n';
    for (ConnectionSettings::Field field : ConnectionSettings::allFields)
        m_out << u"  "_s << ConnectionSettings::envKey(field) << u": "_s << settings.describeSource(field) << '\n';
    return Success;
}

int CommandLineTool::add(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    if (names.isEmpty())
        return usageError(QObject::tr("add needs at least one NAME."));
    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;
    TutorialStore store(*session);
    const auto rows = store.add(names);
    if (!rows)
        return storeFailure(store);
    if (m_json) {
        QJsonArray added;
        for (const TutorialRow& row : *rows)
            added.append(row.toJson());
        printJson(added);
        return Success;
    }
    for (const TutorialRow& row : *rows) {
        m_out << QObject::tr("Added %1 to %2 (id %3, %4).")
                     .arg(readable(row.name), session->tableName().display(), QString::number(row.id), row.date)
              << '\n';
    }
    return Success;
}

int CommandLineTool::read(const QCommandLineParser& parser)
{
    const QStringList arguments = parser.positionalArguments();
    const bool contains = parser.isSet(u"contains"_s);
    if (arguments.size() > 1)
        return usageError(QObject::tr("read takes at most one NAME; quote a name that has spaces."));
    if (contains && arguments.isEmpty())
        return usageError(QObject::tr("--contains needs the NAME to look for."));
    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;
    TutorialStore store(*session);
    const auto rows = arguments.isEmpty() ? store.readAll()
        : contains                        ? store.readContaining(arguments.first())
                                          : store.readNamed(arguments.first());
    if (!rows)
        return storeFailure(store);
    if (m_json) {
        QJsonArray records;
        for (const TutorialRow& row : *rows)
            records.append(row.toJson());
        printJson(records);
        return Success;
    }
    printRows(*rows);
    return Success;
}

int CommandLineTool::remove(const QCommandLineParser& parser)
{
    const QStringList arguments = parser.positionalArguments();
    if (arguments.size() != 1)
        return usageError(QObject::tr("delete needs exactly one NAME; quote a name that has spaces."));
    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;
    TutorialStore store(*session);
    const std::optional<int> deleted = store.remove(arguments.first());
    if (!deleted)
        return storeFailure(store);
    if (m_json) {
        printJson(QJsonObject{ { u"deleted"_s, *deleted } });
        return Success;
    }
    m_out << QObject::tr("Deleted %1 named %2 from %3.")
                 .arg(rowsText(*deleted), readable(arguments.first()), session->tableName().display())
          << '\n';
    return Success;
}

bool CommandLineTool::confirm(const QString& question)
{
    m_out.flush();
    m_err << question << ' ';
    m_err.flush();
    QTextStream input(stdin, QIODevice::ReadOnly);
    const QString answer = input.readLine().trimmed().toLower();
    return answer == u"y"_s || answer == u"yes"_s;
}

int CommandLineTool::drop(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QObject::tr("drop takes no arguments; the table is PG_TABLE (my_table by default)."));
    const bool ask = !parser.isSet(u"yes"_s);
    if (ask && !standardInputIsTerminal()) {
        return usageError(QObject::tr("drop asks before dropping the table, and standard input is not a terminal: "
                                      "add --yes to drop without asking."));
    }
    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;
    TutorialStore store(*session);
    const QString table = session->tableName().display();
    const std::optional<bool> exists = store.tableExists();
    if (!exists)
        return storeFailure(store);
    if (*exists && ask) {
        const std::optional<qint64> rows = store.rowCount();
        if (!rows)
            return storeFailure(store);
        const QString question = QObject::tr("Drop the table %1 on %2 with its %3? [y/N]")
                                     .arg(table, session->settings().displayTarget(), rowsText(*rows));
        if (!confirm(question)) {
            m_err << QObject::tr("Not dropped.") << '\n';
            return UsageError;
        }
    }
    const std::optional<bool> dropped = *exists ? store.drop() : std::optional<bool>(false);
    if (!dropped)
        return storeFailure(store);
    if (m_json) {
        printJson(QJsonObject{ { u"dropped"_s, *dropped }, { u"table"_s, table } });
        return Success;
    }
    if (*dropped)
        m_out << QObject::tr("Dropped the table %1.").arg(table) << '\n';
    else
        m_out << QObject::tr("The table %1 does not exist; nothing to drop.").arg(table) << '\n';
    return Success;
}

int CommandLineTool::serve(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QObject::tr("serve takes no arguments."));
    bool portIsNumber = false;
    const uint port = parser.value(u"port"_s).toUInt(&portIsNumber);
    if (!portIsNumber || port > 65535)
        return usageError(QObject::tr("--port needs a number from 0 to 65535."));
    const QString bind = parser.value(u"bind"_s);
    QHostAddress address;
    if (bind == u"localhost"_s)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(bind))
        return usageError(QObject::tr("--bind needs an IP address such as 127.0.0.1, 0.0.0.0 or ::1."));
    HttpApi::Options options;
    options.token = parser.isSet(u"token"_s) ? parser.value(u"token"_s) : qEnvironmentVariable("PGDESK_TOKEN");
    if (parser.isSet(u"token"_s) && options.token.isEmpty())
        return usageError(QObject::tr("--token needs a value."));
    options.allowDrop = parser.isSet(u"allow-drop"_s);
    options.tutorialFormat = parser.isSet(u"tutorial-format"_s);
    bool workersIsNumber = false;
    options.workers = parser.value(u"workers"_s).toInt(&workersIsNumber);
    if (!workersIsNumber || options.workers < 1 || options.workers > HttpApi::maxWorkers)
        return usageError(QObject::tr("--workers needs a number from 1 to %1.").arg(HttpApi::maxWorkers));

    // Installed before "Listening on" is printed, so a client that stops the server as soon as it
    // reads that line still gets a clean stop.
    TerminationSignal termination;
    QObject::connect(&termination, &TerminationSignal::received, QCoreApplication::instance(), &QCoreApplication::quit);

    int exitCode = Success;
    const std::unique_ptr<DatabaseSession> session = connect(parser, &exitCode);
    if (!session)
        return exitCode;
    TutorialStore store(*session);
    // main.py creates the table when it starts.
    if (!store.ensureTable())
        return storeFailure(store);

    // Only the workers' connections serve requests (HttpApi); this one has done its part.
    const ConnectionSettings settings = session->settings();
    session->close();
    HttpApi api(settings, options);
    QString listenError;
    if (!api.listen(address, quint16(port), &listenError)) {
        return fail(UsageError, QObject::tr("Cannot listen on %1 port %2: %3").arg(bind).arg(port).arg(listenError));
    }
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(address.toString());
    url.setPort(api.serverPort());
    m_out << "Listening on: " << url.toString() << '\n';
    m_out.flush();

    QCoreApplication::exec();
    m_out << "Server stopped." << '\n';
    return Success;
}
