#include "connection/VersionInfo.h"

#include <QtGlobal>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

QString VersionInfo::application()
{
    return QStringLiteral(PGDESK_VERSION);
}

QString VersionInfo::qt()
{
    return QString::fromLatin1(qVersion());
}

QString VersionInfo::libpq()
{
    // PostgreSQL 10 changed the numbering from three parts (90624 = 9.6.24) to two (150010 = 15.10).
    const int number = PQlibVersion();
    const int major = number / 10000;
    if (major >= 10)
        return u"%1.%2"_s.arg(major).arg(number % 10000);
    return u"%1.%2.%3"_s.arg(major).arg(number / 100 % 100).arg(number % 100);
}

QString VersionInfo::homepage()
{
    return QStringLiteral(PGDESK_HOMEPAGE_URL);
}

QString VersionInfo::text()
{
    return u"pgdesk "_s + application() + u"\nQt "_s + qt() + u"\nlibpq "_s + libpq() + u'\n';
}
