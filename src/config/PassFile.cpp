#include "config/PassFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {
QStringList splitLine(const QString& line)
{
    QStringList fields{ QString() };
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line.at(i) == u'\\' && i + 1 < line.size())
            fields.last() += line.at(++i);
        else if (line.at(i) == u':')
            fields << QString();
        else
            fields.last() += line.at(i);
    }
    return fields;
}
} // namespace

QString PassFile::path(const QProcessEnvironment& environment)
{
    if (!environment.value(u"PGPASSFILE"_s).isEmpty())
        return environment.value(u"PGPASSFILE"_s);
    if (environment.value(u"HOME"_s).isEmpty())
        return {};
    return QDir(environment.value(u"HOME"_s)).filePath(u".pgpass"_s);
}

bool PassFile::hasEntryFor(const QString& path, const QString& host, const QString& port, const QString& database,
                           const QString& user, const QString& loginName)
{
    if (path.isEmpty())
        return false;
    // libpq ignores a file others may read or write (with a warning on stderr), and so does this.
    const QFileInfo info(path);
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
        | QFile::WriteOther | QFile::ExeOther;
    if (!info.isFile() || (info.permissions() & others))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    const QString effectiveUser = user.isEmpty() ? loginName : user;
    const QString effectiveDatabase = database.isEmpty() ? effectiveUser : database;
    const QStringList hosts = host.split(u',');
    const QStringList ports = port.split(u',');
    QList<std::pair<QString, QString>> targets;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        const QString one = hosts.at(i).trimmed();
        const QString onePort = (ports.size() == hosts.size() ? ports.at(i) : ports.first()).trimmed();
        targets.append(
            { one.isEmpty() || one.startsWith(u'/') ? u"localhost"_s : one, onePort.isEmpty() ? u"5432"_s : onePort });
    }
    const auto matches
        = [](const QString& pattern, const QString& value) { return pattern == u"*" || pattern == value; };
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList fields = splitLine(line);
        if (fields.size() < 5)
            continue;
        for (const auto& [oneHost, onePort] : targets) {
            if (matches(fields.at(0), oneHost) && matches(fields.at(1), onePort)
                && matches(fields.at(2), effectiveDatabase) && matches(fields.at(3), effectiveUser))
                return true;
        }
    }
    return false;
}
