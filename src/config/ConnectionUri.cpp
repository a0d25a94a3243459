#include "config/ConnectionUri.h"

#include <QObject>
#include <QRegularExpression>

#include <cctype>

using namespace Qt::StringLiterals;

namespace {
const QStringList& fieldKeywords()
{
    static const QStringList keywords{ u"host"_s,    u"port"_s,    u"user"_s,   u"password"_s, u"dbname"_s,
                                       u"sslmode"_s, u"sslcert"_s, u"sslkey"_s, u"service"_s,  u"sslrootcert"_s };
    return keywords;
}

// Percent-decoding as libpq does it: "+" stays "+", a malformed escape or an encoded NUL is an
// error rather than a guess.
std::optional<QString> decode(QStringView text)
{
    QByteArray bytes;
    const QByteArray utf8 = text.toUtf8();
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (utf8.at(i) != '%') {
            bytes += utf8.at(i);
            continue;
        }
        if (i + 2 >= utf8.size())
            return std::nullopt;
        if (!std::isxdigit(static_cast<unsigned char>(utf8.at(i + 1)))
            || !std::isxdigit(static_cast<unsigned char>(utf8.at(i + 2))))
            return std::nullopt;
        const int byte = utf8.mid(i + 1, 2).toInt(nullptr, 16);
        if (byte == 0)
            return std::nullopt;
        bytes += static_cast<char>(byte);
        i += 2;
    }
    return QString::fromUtf8(bytes);
}
} // namespace

bool ConnectionUri::looksLikeUri(const QString& text)
{
    const QString trimmed = text.trimmed();
    return trimmed.startsWith(u"postgresql://"_s, Qt::CaseInsensitive)
        || trimmed.startsWith(u"postgres://"_s, Qt::CaseInsensitive);
}

const QStringList& ConnectionUri::passThroughKeywords()
{
    static const QStringList keywords{ u"application_name"_s,
                                       u"fallback_application_name"_s,
                                       u"connect_timeout"_s,
                                       u"options"_s,
                                       u"hostaddr"_s,
                                       u"keepalives"_s,
                                       u"keepalives_idle"_s,
                                       u"keepalives_interval"_s,
                                       u"keepalives_count"_s,
                                       u"tcp_user_timeout"_s,
                                       u"passfile"_s,
                                       u"channel_binding"_s,
                                       u"sslpassword"_s,
                                       u"sslcompression"_s,
                                       u"sslcrl"_s,
                                       u"sslcrldir"_s,
                                       u"sslsni"_s,
                                       u"requirepeer"_s,
                                       u"ssl_min_protocol_version"_s,
                                       u"ssl_max_protocol_version"_s,
                                       u"gssencmode"_s,
                                       u"krbsrvname"_s,
                                       u"gsslib"_s,
                                       u"target_session_attrs"_s };
    return keywords;
}

std::optional<QString> ConnectionUri::value(const QString& keyword) const
{
    for (const Parameter& parameter : m_parameters) {
        if (parameter.keyword == keyword)
            return parameter.value;
    }
    return std::nullopt;
}

void ConnectionUri::set(const QString& keyword, const QString& value)
{
    for (Parameter& parameter : m_parameters) {
        if (parameter.keyword == keyword) {
            parameter.value = value;
            return;
        }
    }
    m_parameters.append(Parameter{ keyword, value });
}

bool ConnectionUri::fail(const QString& message)
{
    m_parameters.clear();
    m_error = message;
    return false;
}

ConnectionUri ConnectionUri::parse(const QString& input)
{
    ConnectionUri uri;
    const QString text = input.trimmed();
    qsizetype at = text.indexOf(u"://"_s);
    if (!looksLikeUri(text)) {
        uri.fail(QObject::tr("it must start with postgres:// or postgresql://"));
        return uri;
    }
    at += 3;

    // Like libpq, the user information ends at the first '@' before any '/'.
    const qsizetype slash = text.indexOf(u'/', at);
    const qsizetype atSign = text.indexOf(u'@', at);
    if (atSign >= 0 && (slash < 0 || atSign < slash)) {
        const QStringView userInfo = QStringView(text).mid(at, atSign - at);
        const qsizetype colon = userInfo.indexOf(u':');
        const auto user = decode(colon < 0 ? userInfo : userInfo.left(colon));
        const auto password = colon < 0 ? std::optional<QString>(QString()) : decode(userInfo.mid(colon + 1));
        if (!user || !password) {
            uri.fail(QObject::tr("the user name or password has a malformed %-escape"));
            return uri;
        }
        if (!user->isEmpty())
            uri.set(u"user"_s, *user);
        if (colon >= 0)
            uri.set(u"password"_s, *password);
        at = atSign + 1;
        const qsizetype addressEnd = [&] {
            const qsizetype end = text.indexOf(QRegularExpression(u"[/?]"_s), at);
            return end < 0 ? text.size() : end;
        }();
        if (text.indexOf(u'@', at) >= 0 && text.indexOf(u'@', at) < addressEnd) {
            uri.fail(QObject::tr("it has more than one '@' before the host: an '@' in the user name or password "
                                 "must be written %40"));
            return uri;
        }
    }

    QStringList hosts;
    QStringList ports;
    bool anyPort = false;
    while (true) {
        QString host;
        if (at < text.size() && text.at(at) == u'[') {
            const qsizetype close = text.indexOf(u']', at);
            if (close < 0) {
                uri.fail(QObject::tr("an IPv6 address opened with '[' has no ']'"));
                return uri;
            }
            host = text.mid(at + 1, close - at - 1);
            if (host.isEmpty()) {
                uri.fail(QObject::tr("the IPv6 address between '[' and ']' is empty"));
                return uri;
            }
            at = close + 1;
            if (at < text.size() && !u":/?,"_s.contains(text.at(at))) {
                uri.fail(QObject::tr("unexpected character after the IPv6 address's ']'"));
                return uri;
            }
        } else {
            const qsizetype start = at;
            while (at < text.size() && !u":/?,"_s.contains(text.at(at)))
                ++at;
            const auto decoded = decode(QStringView(text).mid(start, at - start));
            if (!decoded) {
                uri.fail(QObject::tr("the host has a malformed %-escape"));
                return uri;
            }
            host = *decoded;
        }
        QString port;
        if (at < text.size() && text.at(at) == u':') {
            const qsizetype start = ++at;
            while (at < text.size() && !u"/?,"_s.contains(text.at(at)))
                ++at;
            port = text.mid(start, at - start);
            bool ok = false;
            const int number = port.toInt(&ok);
            // The text is not quoted: with a '/' left unescaped in a password, it is part of it.
            if (!ok || number < 1 || number > 65535 || port.startsWith(u'+')) {
                uri.fail(QObject::tr("a port after a host is not a number from 1 to 65535 (a '/' or '@' in the "
                                     "password must be percent-encoded: %2F, %40)"));
                return uri;
            }
            anyPort = true;
        }
        hosts << host;
        ports << port;
        if (at < text.size() && text.at(at) == u',') {
            ++at;
            continue;
        }
        break;
    }
    if (hosts.size() > 1 || !hosts.first().isEmpty())
        uri.set(u"host"_s, hosts.join(u','));
    if (anyPort)
        uri.set(u"port"_s, ports.join(u','));

    if (at < text.size() && text.at(at) == u'/') {
        const qsizetype start = ++at;
        while (at < text.size() && text.at(at) != u'?')
            ++at;
        const auto database = decode(QStringView(text).mid(start, at - start));
        if (!database) {
            uri.fail(QObject::tr("the database name has a malformed %-escape"));
            return uri;
        }
        if (!database->isEmpty())
            uri.set(u"dbname"_s, *database);
    }

    if (at < text.size() && text.at(at) == u'?') {
        const QStringList pairs = text.mid(at + 1).split(u'&', Qt::SkipEmptyParts);
        for (const QString& pair : pairs) {
            const qsizetype equals = pair.indexOf(u'=');
            if (equals < 0) {
                uri.fail(QObject::tr("the query parameter \"%1\" has no '=value'").arg(pair.left(40)));
                return uri;
            }
            const auto keyword = decode(QStringView(pair).left(equals));
            auto value = decode(QStringView(pair).mid(equals + 1));
            if (!keyword || !value) {
                uri.fail(QObject::tr("a query parameter has a malformed %-escape"));
                return uri;
            }
            QString name = *keyword;
            // libpq reads the JDBC habit "ssl=true" as sslmode=require, and so does pgdesk.
            if (name == u"ssl" && *value == u"true") {
                name = u"sslmode"_s;
                value = u"require"_s;
            }
            if (name == u"client_encoding" || name == u"replication") {
                uri.fail(QObject::tr("the query parameter \"%1\" is not for pgdesk: it always talks UTF-8 in a "
                                     "normal session")
                             .arg(name));
                return uri;
            }
            if (!fieldKeywords().contains(name) && !passThroughKeywords().contains(name)) {
                uri.fail(QObject::tr("\"%1\" is not a libpq connection parameter (psql refuses it too); remove it "
                                     "from the URI's query")
                             .arg(name.left(40)));
                return uri;
            }
            uri.set(name, *value);
        }
    } else if (at < text.size()) {
        uri.fail(QObject::tr("unexpected text after the address"));
    }
    return uri;
}
