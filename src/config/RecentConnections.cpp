#include "config/RecentConnections.h"

#include <QObject>
#include <QSettings>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

namespace {
const QString arrayName = u"recentConnections"_s;
const QString extraKey = u"uriParameters"_s;

// libpq keywords whose values are secrets; a URI's query may carry them.
bool isSecretKeyword(const QString& keyword)
{
    return keyword == u"password" || keyword == u"sslpassword";
}

// The QSettings key of a field: its .env key, lower-cased ("pg_host").
QString keyFor(Field field)
{
    return ConnectionSettings::envKey(field).toLower();
}
} // namespace

RecentConnections::RecentConnections(const QString& settingsPath)
    : m_settings(settingsPath.isEmpty() ? new QSettings : new QSettings(settingsPath, QSettings::IniFormat))
{
}

RecentConnections::~RecentConnections()
{
    delete m_settings;
}

QList<ConnectionSettings> RecentConnections::entries() const
{
    QList<ConnectionSettings> result;
    const int count = m_settings->beginReadArray(arrayName);
    for (int index = 0; index < count && result.size() < maxEntries; ++index) {
        m_settings->setArrayIndex(index);
        ConnectionSettings entry;
        for (Field field : ConnectionSettings::allFields) {
            if (field == Field::Password)
                continue;
            const QString key = keyFor(field);
            if (m_settings->contains(key))
                entry.set(field, m_settings->value(key).toString(), ConnectionSettings::Source::Entered,
                          QObject::tr("recent connection"));
        }
        // Stored as keyword=value lines; a keyword never contains '=' or a line break.
        ConnectionSettings::Extra extra;
        extra.origin = QObject::tr("recent connection");
        const QStringList lines = m_settings->value(extraKey).toStringList();
        for (const QString& line : lines) {
            const qsizetype equals = line.indexOf(u'=');
            if (equals > 0 && !isSecretKeyword(line.left(equals)))
                extra.parameters.append({ line.left(equals), line.mid(equals + 1) });
        }
        entry.setExtra(extra);
        result.append(entry);
    }
    m_settings->endArray();
    return result;
}

void RecentConnections::write(const QList<ConnectionSettings>& entries)
{
    m_settings->remove(arrayName);
    m_settings->beginWriteArray(arrayName, int(entries.size()));
    for (int index = 0; index < entries.size(); ++index) {
        m_settings->setArrayIndex(index);
        const ConnectionSettings entry = withoutSecrets(entries.at(index));
        for (Field field : ConnectionSettings::allFields) {
            if (field != Field::Password)
                m_settings->setValue(keyFor(field), entry.text(field));
        }
        QStringList lines;
        for (const ConnectionUri::Parameter& parameter : entry.extra().parameters)
            lines << parameter.keyword + u'=' + parameter.value;
        if (!lines.isEmpty())
            m_settings->setValue(extraKey, lines);
    }
    m_settings->endArray();
    m_settings->sync();
}

void RecentConnections::record(const ConnectionSettings& settings)
{
    QList<ConnectionSettings> kept{ withoutSecrets(settings) };
    for (const ConnectionSettings& entry : entries()) {
        if (!sameConnection(entry, settings) && kept.size() < maxEntries)
            kept.append(entry);
    }
    write(kept);
}

void RecentConnections::forget(int index)
{
    QList<ConnectionSettings> kept = entries();
    if (index < 0 || index >= kept.size())
        return;
    kept.removeAt(index);
    write(kept);
}

ConnectionSettings RecentConnections::withoutSecrets(const ConnectionSettings& settings)
{
    ConnectionSettings result = settings;
    result.set(Field::Password, QString(), ConnectionSettings::Source::Default);
    ConnectionSettings::Extra extra = settings.extra();
    extra.parameters.removeIf(
        [](const ConnectionUri::Parameter& parameter) { return isSecretKeyword(parameter.keyword); });
    result.setExtra(extra);
    return result;
}

bool RecentConnections::sameConnection(const ConnectionSettings& a, const ConnectionSettings& b)
{
    for (Field field : ConnectionSettings::allFields) {
        if (field != Field::Password && a.text(field) != b.text(field))
            return false;
    }
    const ConnectionSettings::Extra extraA = withoutSecrets(a).extra();
    const ConnectionSettings::Extra extraB = withoutSecrets(b).extra();
    if (extraA.parameters.size() != extraB.parameters.size())
        return false;
    for (qsizetype index = 0; index < extraA.parameters.size(); ++index) {
        if (extraA.parameters.at(index).keyword != extraB.parameters.at(index).keyword
            || extraA.parameters.at(index).value != extraB.parameters.at(index).value)
            return false;
    }
    return true;
}

QString RecentConnections::label(const ConnectionSettings& settings)
{
    QString text = settings.displayTarget();
    if (!settings.service().isEmpty())
        text = QObject::tr("service %1: %2").arg(settings.service(), text);
    if (!settings.table().isEmpty() && settings.table() != ConnectionSettings::defaultText(Field::Table))
        text += QObject::tr(", table %1").arg(settings.table());
    return text;
}

bool RecentConnections::mayReopen(const ConnectionSettings::Resolution& resolution)
{
    if (!resolution.envFilePath.isEmpty() || !resolution.envFileError.isEmpty() || !resolution.uriKey.isEmpty())
        return false;
    for (Field field : ConnectionSettings::allFields) {
        if (field != Field::Password && resolution.settings.source(field) != ConnectionSettings::Source::Default)
            return false;
    }
    return true;
}

ConnectionSettings::Resolution RecentConnections::reopened(const ConnectionSettings::Resolution& resolution,
                                                           const ConnectionSettings& recent)
{
    ConnectionSettings::Resolution result = resolution;
    for (Field field : ConnectionSettings::allFields) {
        if (field != Field::Password)
            result.settings.set(field, recent.text(field), ConnectionSettings::Source::Entered,
                                QObject::tr("last connection"));
    }
    ConnectionSettings::Extra extra = withoutSecrets(recent).extra();
    extra.origin = QObject::tr("last connection");
    result.settings.setExtra(extra);
    return result;
}
