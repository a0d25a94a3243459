#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>

#include <utility>

// A service of pg_service.conf, found where libpq looks for it: $PGSERVICEFILE or
// ~/.pg_service.conf first, then $PGSYSCONFDIR/pg_service.conf (Debian's libpq: /etc/postgresql-common).
// pgdesk reads it only to show where a value comes from and to let the service's values win over
// pgdesk's own defaults; it still passes service= to libpq, which reads the file itself.
class ServiceFile
{
public:
    struct Definition
    {
        bool found = false;
        QString path; // the file the service was found in
        QList<std::pair<QString, QString>> values; // libpq keyword, value
        QString error; // why it was not found, naming the files looked in
    };

    static Definition find(const QString& service, const QProcessEnvironment& environment);
    // The files looked in, in order.
    static QStringList searchPaths(const QProcessEnvironment& environment);
};
