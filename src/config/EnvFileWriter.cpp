#include "config/EnvFileWriter.h"

#include <QObject>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

QString EnvFileWriter::quoted(const QString& value)
{
    // Bare values are read up to the end of the line minus a " #comment" and trailing spaces;
    // these characters can never start either, nor a quote.
    static const QRegularExpression plain(u"^[A-Za-z0-9_./:@,+-]*$"_s);
    if (plain.match(value).hasMatch())
        return value;
    // In single quotes python-dotenv turns only \\ and \' back; everything else (", #, $, spaces,
    // line breaks, non-ASCII) stands for itself.
    QString escaped = value;
    escaped.replace(u"\\"_s, u"\\\\"_s);
    escaped.replace(u"'"_s, u"\\'"_s);
    return u'\'' + escaped + u'\'';
}

bool EnvFileWriter::canWriteExactly(const QString& value)
{
    // python-dotenv's interpolation pattern; it has no escape.
    static const QRegularExpression expansion(u"\\$\\{[^}]*\\}"_s);
    if (expansion.match(value).hasMatch())
        return false;
    // Quoted, a trailing backslash becomes "\\'" and the parser takes "\'" as an escaped quote.
    if (value.endsWith(u'\\') && quoted(value) != value)
        return false;
    // python-dotenv reads the file with universal newlines: a carriage return comes back as \n.
    return !value.contains(QChar(0)) && !value.contains(u'\r');
}

QByteArray EnvFileWriter::format(const ConnectionSettings& settings, bool includePassword, QStringList* unwritable)
{
    QString text = QObject::tr("# Written by pgdesk (Save as .env). Read by pgdesk and by python-dotenv.\n");
    for (Field field : ConnectionSettings::allFields) {
        const QString value = settings.text(field);
        const bool always = field == Field::Host || field == Field::Port || field == Field::User
            || field == Field::Password || field == Field::Database;
        if (field == Field::Password && !includePassword)
            continue;
        if (!always && value == ConnectionSettings::defaultText(field))
            continue;
        if (!canWriteExactly(value)) {
            if (unwritable)
                *unwritable << ConnectionSettings::envKey(field);
            continue;
        }
        text += ConnectionSettings::envKey(field) + u'=' + quoted(value) + u'\n';
    }
    return text.toUtf8();
}

bool EnvFileWriter::write(const QString& path, const QByteArray& content, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    // On the temporary file, before the password is in it; the rename keeps the mode.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = QObject::tr("its permissions could not be limited to the owner");
        file.cancelWriting();
        return false;
    }
    if (file.write(content) != content.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}
