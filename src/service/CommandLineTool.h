#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>

class DatabaseSession;
class QCommandLineParser;
class QJsonValue;
class QVariant;
class TutorialStore;
struct TutorialRow;

// `pgdesk check|add|read|delete|drop|serve`: the tutorial's guide.py and main.py as subcommands,
// resolving the .env and opening the DatabaseSession exactly as the window does. Needs a
// QCoreApplication, never a display.
class CommandLineTool
{
public:
    enum ExitCode { Success = 0, UsageError = 1, CannotConnect = 2, DatabaseError = 3 };

    CommandLineTool();

    // Whether argv holds a subcommand, known or not: any argument that is not an option or an
    // option's value. pgdesk without one opens the window.
    static bool namesSubcommand(const QStringList& arguments);
    // The list of subcommands, for the window's --help.
    static QString subcommandsHelp();

    // argv as QCoreApplication::arguments() would give it, but every code point kept: Qt drops a
    // leading U+FEFF from each argument, so `pgdesk delete $'\ufeffbob'` would delete bob.
    static QStringList arguments(int argc, char* argv[]);

    // arguments as from arguments(argc, argv); returns the exit code. `serve` runs the
    // application's event loop until SIGINT or SIGTERM.
    int run(const QStringList& arguments);

private:
    struct Subcommand;
    static const QList<Subcommand>& subcommands();
    static qsizetype subcommandIndex(const QStringList& arguments);
    static void addOptions(const Subcommand& subcommand, QCommandLineParser& parser);

    int check(const QCommandLineParser& parser);
    int add(const QCommandLineParser& parser);
    int read(const QCommandLineParser& parser);
    int remove(const QCommandLineParser& parser);
    int drop(const QCommandLineParser& parser);
    int serve(const QCommandLineParser& parser);

    std::unique_ptr<DatabaseSession> connect(const QCommandLineParser& parser, int* exitCode);
    int storeFailure(const TutorialStore& store);
    int fail(ExitCode code, const QString& message, const QString& hint = {}, const QString& details = {});
    int usageError(const QString& message);
    // With the .env's warnings: inside an object; an array keeps its shape for the programs that
    // read it, and the warnings go to standard error as {"warnings": [...]}.
    void printJson(const QJsonValue& value);
    void printRows(const QList<TutorialRow>& rows);
    bool confirm(const QString& question);

    // A name on one line: control characters and backslashes escaped, NULL shown as (null).
    static QString readable(const QVariant& name);

    QString m_subcommand;
    bool m_json = false;
    QJsonArray m_warnings; // the .env's problems, for --json; text mode prints them at once
    QTextStream m_out;
    QTextStream m_err;
};
