#include "config/ConnectionSettings.h"
#include "config/Translations.h"
#include "connection/NetworkThreadPool.h"
#include "connection/VersionInfo.h"
#include "gui/MainWindow.h"
#include "gui/StartupFlow.h"
#include "service/CommandLineTool.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
void describeApplication()
{
    QCoreApplication::setOrganizationName(u"pgdesk"_s);
    QCoreApplication::setApplicationName(u"pgdesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(PGDESK_VERSION));
}

void configureParser(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main",
                                    "Edit a PostgreSQL table configured by a .env file (PG_HOST, PG_PORT, PG_USER, "
                                    "PG_PASSWORD, PG_DATABASE, PG_SSLMODE, PG_TABLE).\n"
                                    "Without --env, ./.env is read, then ~/.config/pgdesk/.env; PGHOST and the other "
                                    "libpq variables fill in what the file leaves out.")
        + u"\n\n"_s + CommandLineTool::subcommandsHelp());
    parser.addHelpOption();
    // Not addVersionOption(): that prints pgdesk's version alone, without the Qt and libpq it runs on.
    parser.addOption(
        { { u"v"_s, u"version"_s }, QCoreApplication::translate("main", "Displays version information.") });
    parser.addOption(
        { u"env"_s,
          QCoreApplication::translate("main", "Read connection settings from FILE instead of searching for .env."),
          u"FILE"_s });
    parser.addOption({ u"lang"_s,
                       QCoreApplication::translate("main",
                                                   "Show the window in LANG (en, de, fr) instead of the language "
                                                   "chosen in View ▸ Language or the system's."),
                       u"LANG"_s });
    parser.addPositionalArgument(
        u"command"_s, QCoreApplication::translate("main", "A command from the list above; none opens the window."),
        u"[command]"_s);
}

// The value of --lang (or --lang=), read before the parser so that its own help is translated.
QString languageArgument(const QStringList& arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments.at(i) == u"--"_s)
            break;
        if (arguments.at(i) == u"--lang"_s && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (arguments.at(i).startsWith(u"--lang="_s))
            return arguments.at(i).mid(7);
    }
    return {};
}

int runWindow(int& argc, char* argv[], const QString& envFile, const QString& language)
{
    QApplication app(argc, argv);
    Translations::install(language);
    QApplication::setWindowIcon(QIcon(u":/icons/pgdesk.svg"_s));
    // On the heap and deleted when closed, like a window Open in new window makes: closing this
    // one while another is open ends its session and live view instead of hiding them until quit.
    auto window = std::make_unique<MainWindow>();
    window->setAttribute(Qt::WA_DeleteOnClose);
    const ConnectionSettings::Resolution resolution
        = ConnectionSettings::resolve(ConnectionSettings::Lookup::fromSystem(envFile));
    StartupFlow flow(resolution);
    // Without a .env (and no PG* variables), the last connection that worked; --env and a found
    // .env always win.
    flow.reopenLastConnection();
    std::unique_ptr<DatabaseSession> session = flow.connect(nullptr);
    if (!session)
        return 0;
    window->setResolution(flow.resolution());
    window->setSession(std::move(session));
    window.release()->show(); // Qt deletes it when it closes
    return QApplication::exec();
}
} // namespace

int main(int argc, char* argv[])
{
    describeApplication();
    QString envFile;
    QString language;
    {
        // --help and --version must work without a display, so parse before any GUI exists.
        QCoreApplication commandLineOnly(argc, argv);
        const QStringList arguments = CommandLineTool::arguments(argc, argv);
        language = languageArgument(arguments);
        Translations::install(language);
        if (CommandLineTool::namesSubcommand(arguments))
            return CommandLineTool().run(arguments);
        QCommandLineParser parser;
        configureParser(parser);
        parser.process(arguments);
        if (parser.isSet(u"version"_s)) {
            fputs(qPrintable(VersionInfo::text()), stdout);
            return 0;
        }
        envFile = parser.value(u"env"_s);
    }

    // Not in the application's destructor: quitting must not wait 10 s for a dead path.
    NetworkThreadPool::setExitWait(0);
    const int exitCode = runWindow(argc, argv, envFile, language);
    // The window is gone and everything it saves is saved. A job still waiting on a dead network
    // path (up to tcp_user_timeout) must neither hold up quitting nor outlive the static objects
    // it uses: leave without running their destructors.
    if (!NetworkThreadPool::waitUntilIdle(1000)) {
        fflush(nullptr);
        std::_Exit(exitCode);
    }
    return exitCode;
}
