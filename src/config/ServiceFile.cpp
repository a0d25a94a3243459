#include "config/ServiceFile.h"

#include <QDir>
#include <QFile>
#include <QObject>

using namespace Qt::StringLiterals;

namespace {
// Where Debian's libpq (pg_config --sysconfdir) looks when $PGSYSCONFDIR is not set.
const QString defaultSystemDirectory = u"/etc/postgresql-common"_s;

// libpq's rules: '#' comments and blank lines, "[name]" starts a service, "key=value" lines
// belong to the last one; the first file that defines the service is the only one read.
bool readService(const QString& path, const QString& service, ServiceFile::Definition* definition)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    bool inService = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u'[')) {
            if (inService)
                break;
            inService = line.endsWith(u']') && line.mid(1, line.size() - 2) == service;
            if (inService) {
                definition->found = true;
                definition->path = path;
            }
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (inService && equals > 0)
            definition->values.append({ line.left(equals).trimmed(), line.mid(equals + 1).trimmed() });
    }
    return definition->found;
}
} // namespace

QStringList ServiceFile::searchPaths(const QProcessEnvironment& environment)
{
    QStringList paths;
    if (!environment.value(u"PGSERVICEFILE"_s).isEmpty())
        paths << environment.value(u"PGSERVICEFILE"_s);
    else if (!environment.value(u"HOME"_s).isEmpty())
        paths << QDir(environment.value(u"HOME"_s)).filePath(u".pg_service.conf"_s);
    const QString system = environment.value(u"PGSYSCONFDIR"_s, defaultSystemDirectory);
    paths << QDir(system.isEmpty() ? defaultSystemDirectory : system).filePath(u"pg_service.conf"_s);
    return paths;
}

ServiceFile::Definition ServiceFile::find(const QString& service, const QProcessEnvironment& environment)
{
    Definition definition;
    const QStringList paths = searchPaths(environment);
    for (const QString& path : paths) {
        if (readService(path, service, &definition))
            return definition;
    }
    definition.error = QObject::tr("The service \"%1\" is defined in none of %2.")
                           .arg(service, QDir::toNativeSeparators(paths.join(u", "_s)));
    return definition;
}
