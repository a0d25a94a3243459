#include "table/ValueCheck.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Built-in types whose arrays separate elements by a comma. Any other type may choose its own
// delimiter (box and its domains ';', PostGIS's geometry ':'), so its arrays are left to the server.
bool splitsArraysByComma(const QString& elementTypeSql)
{
    static const QRegularExpression typmod(u"\\(\\d+(?:,\\d+)?\\)"_s);
    static const QRegularExpression builtIn(
        u"^(?:smallint|integer|bigint|numeric|real|double precision|boolean|text|character varying|character|"
        "bpchar|\"char\"|name|uuid|json|jsonb|date|time(?:stamp)?(?: with(?:out)? time zone)?|interval(?: .*)?|"
        "bytea|inet|cidr|macaddr8?|money|bit|bit varying|oid|xml|point|line|lseg|path|polygon|circle|tsvector|"
        "tsquery|pg_lsn)$"_s);
    return builtIn.match(QString(elementTypeSql).remove(typmod)).hasMatch();
}

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// The JSON grammar as PostgreSQL's own parser takes it (RFC 8259: whitespace is space, tab, line
// feed and carriage return; no raw control character inside a string; \u escapes paired where
// they are surrogates). Not Qt's QJsonDocument: it refuses 1e400, which json and jsonb take, and
// takes a raw tab inside a string, which they refuse.
class JsonScanner
{
    Q_DECLARE_TR_FUNCTIONS(ValueCheck)

public:
    JsonScanner(const QString& text, bool jsonb)
        : m_text(text)
        , m_jsonb(jsonb)
    {
    }

    QString problem(qsizetype* at)
    {
        skipSpace();
        if (!value(0))
            return finish(at);
        skipSpace();
        if (m_problem.isEmpty() && m_at < m_text.size())
            m_problem = tr("more text follows the value");
        return finish(at);
    }

private:
    // Deeper than this is left to the server, whose limit is its stack: the check must not be
    // what runs out of stack on a megabyte of '['.
    static constexpr int maximumDepth = 1000;

    QString finish(qsizetype* at)
    {
        if (m_tooDeep)
            return {};
        *at = m_at + 1;
        return m_problem;
    }
    bool fail(const QString& why)
    {
        if (m_problem.isEmpty())
            m_problem = why;
        return false;
    }
    bool atEnd() const { return m_at >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text.at(m_at); }
    void skipSpace()
    {
        while (!atEnd() && (peek() == u' ' || peek() == u'\t' || peek() == u'\n' || peek() == u'\r'))
            ++m_at;
    }
    bool unexpected()
    {
        if (atEnd())
            return fail(tr("the text ends before the value does"));
        return fail(tr("\"%1\" is not expected here").arg(peek()));
    }

    bool value(int depth)
    {
        if (depth > maximumDepth) {
            m_tooDeep = true;
            return false;
        }
        switch (peek().unicode()) {
        case u'{':
            return object(depth);
        case u'[':
            return array(depth);
        case u'"':
            return string();
        case u't':
            return word(u"true"_s);
        case u'f':
            return word(u"false"_s);
        case u'n':
            return word(u"null"_s);
        default:
            if (peek() == u'-' || (peek() >= u'0' && peek() <= u'9'))
                return number();
            return unexpected();
        }
    }

    bool object(int depth)
    {
        ++m_at; // {
        skipSpace();
        if (peek() == u'}') {
            ++m_at;
            return true;
        }
        for (;;) {
            if (peek() != u'"')
                return atEnd() ? unexpected() : fail(tr("a key must be a string in double quotes"));
            if (!string())
                return false;
            skipSpace();
            if (peek() != u':')
                return atEnd() ? unexpected() : fail(tr("a \":\" must follow the key"));
            ++m_at;
            skipSpace();
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == u'}') {
                ++m_at;
                return true;
            }
            if (peek() != u',')
                return atEnd() ? unexpected() : fail(tr("a \",\" or \"}\" must follow a value in an object"));
            ++m_at;
            skipSpace();
        }
    }

    bool array(int depth)
    {
        ++m_at; // [
        skipSpace();
        if (peek() == u']') {
            ++m_at;
            return true;
        }
        for (;;) {
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == u']') {
                ++m_at;
                return true;
            }
            if (peek() != u',')
                return atEnd() ? unexpected() : fail(tr("a \",\" or \"]\" must follow a value in an array"));
            ++m_at;
            skipSpace();
        }
    }

    bool word(const QString& expected)
    {
        if (QStringView(m_text).mid(m_at, expected.size()) != expected)
            return fail(tr("only true, false and null are written without quotes"));
        m_at += expected.size();
        return true;
    }

    bool digits()
    {
        const qsizetype start = m_at;
        while (!atEnd() && peek() >= u'0' && peek() <= u'9')
            ++m_at;
        return m_at > start;
    }

    bool number()
    {
        const QString badNumber = tr("a number is written as digits with an optional \"-\", \".\" and exponent, "
                                     "no leading zero");
        if (peek() == u'-')
            ++m_at;
        if (peek() == u'0') {
            ++m_at;
            if (peek() >= u'0' && peek() <= u'9')
                return fail(badNumber);
        } else if (!digits()) {
            return fail(badNumber);
        }
        if (peek() == u'.') {
            ++m_at;
            if (!digits())
                return fail(badNumber);
        }
        if (peek() == u'e' || peek() == u'E') {
            ++m_at;
            if (peek() == u'+' || peek() == u'-')
                ++m_at;
            if (!digits())
                return fail(badNumber);
        }
        // "1abc" is one bad token to the server, not a number and then more text.
        if (peek().isLetterOrNumber() || peek() == u'_')
            return fail(badNumber);
        return true;
    }

    bool string()
    {
        ++m_at; // "
        bool highSurrogateBefore = false;
        for (;;) {
            if (atEnd())
                return fail(tr("a string is not closed with \""));
            const QChar c = peek();
            if (c == u'"' || c != u'\\') {
                if (highSurrogateBefore)
                    return fail(tr("a \\u escape of a high surrogate must be followed by one of a low surrogate"));
                if (c == u'"') {
                    ++m_at;
                    return true;
                }
                if (c.unicode() < 0x20)
                    return fail(tr("a control character in a string must be written as an escape, e.g. \\n or "
                                   "\\u%1")
                                    .arg(c.unicode(), 4, 16, QChar(u'0')));
                ++m_at;
                continue;
            }
            ++m_at; // backslash
            const QChar escaped = peek();
            if (escaped == u'u') {
                const QStringView hex = QStringView(m_text).mid(m_at + 1, 4);
                if (hex.size() < 4 || !std::all_of(hex.begin(), hex.end(), isHexDigit))
                    return fail(tr("\\u must be followed by four hexadecimal digits"));
                const uint code = hex.toUInt(nullptr, 16);
                m_at += 5;
                // json keeps its text as typed and checks only the escape's form; jsonb decodes it.
                if (!m_jsonb)
                    continue;
                if (code >= 0xD800 && code <= 0xDBFF) {
                    if (highSurrogateBefore)
                        return fail(tr("a \\u escape of a high surrogate must be followed by one of a low "
                                       "surrogate"));
                    highSurrogateBefore = true;
                    continue;
                }
                if (code >= 0xDC00 && code <= 0xDFFF) {
                    if (!highSurrogateBefore)
                        return fail(tr("a \\u escape of a low surrogate must follow one of a high surrogate"));
                    highSurrogateBefore = false;
                    continue;
                }
                if (highSurrogateBefore)
                    return fail(tr("a \\u escape of a high surrogate must be followed by one of a low surrogate"));
                if (code == 0 && m_jsonb)
                    return fail(tr("jsonb cannot hold \\u0000"));
                continue;
            }
            if (highSurrogateBefore)
                return fail(tr("a \\u escape of a high surrogate must be followed by one of a low surrogate"));
            if (escaped.isNull() || !u"\"\\/bfnrt"_s.contains(escaped))
                return fail(atEnd() ? tr("a string is not closed with \"")
                                    : tr("\\%1 is not an escape JSON knows").arg(escaped));
            ++m_at;
        }
    }

    const QString& m_text;
    const bool m_jsonb;
    qsizetype m_at = 0;
    QString m_problem;
    bool m_tooDeep = false;
};

} // namespace

ValueCheck::ValueCheck(const QString& typeSql)
    : m_typeSql(typeSql)
{
    static const QRegularExpression characters(u"^character(?: varying)?\\((\\d+)\\)$"_s);
    if (typeSql == u"uuid")
        m_kind = Kind::Uuid;
    else if (typeSql == u"json")
        m_kind = Kind::Json;
    else if (typeSql == u"jsonb")
        m_kind = Kind::Jsonb;
    else if (const QRegularExpressionMatch match = characters.match(typeSql); match.hasMatch()) {
        m_kind = Kind::Characters;
        m_maxLength = match.captured(1).toInt();
    } else if (typeSql.endsWith(u"[]"_s) && splitsArraysByComma(typeSql.chopped(2))) {
        m_kind = Kind::Array;
        m_elementTypeSql = typeSql.chopped(2);
    }
}

QString ValueCheck::hint() const
{
    switch (m_kind) {
    case Kind::Any:
        return {};
    case Kind::Uuid:
        return tr("A UUID: 32 hexadecimal digits, e.g. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.");
    case Kind::Json:
    case Kind::Jsonb:
        return tr("JSON, e.g. {\"key\": [1, \"two\", null]}.");
    case Kind::Characters:
        return tr("At most %n character(s).", nullptr, m_maxLength);
    case Kind::Array:
        return tr("An array, e.g. {1,2,3} or {\"a, b\",NULL}: quote an element that holds a comma, a brace, a "
                  "quote or spaces at its ends, and write \\ before a quote or backslash inside it.");
    }
    return {};
}

QString ValueCheck::problem(const QString& text) const
{
    switch (m_kind) {
    case Kind::Any:
        return {};
    case Kind::Uuid:
        return isUuid(text) ? QString() : tr("Not a UUID. %1").arg(hint());
    case Kind::Json:
    case Kind::Jsonb: {
        qsizetype at = 0;
        const QString why = jsonProblem(text, m_kind == Kind::Jsonb, &at);
        if (why.isEmpty())
            return {};
        // Counted in characters as the user sees them, not UTF-16 units (an emoji is two).
        const auto characters
            = [&text](qsizetype from, qsizetype to) { return QStringView(text).mid(from, to - from).toUcs4().size(); };
        if (!text.contains(u'\n'))
            return tr("Not valid JSON at character %1: %2.").arg(characters(0, at - 1) + 1).arg(why);
        // A document on several lines (Row details): the line, and the character within it.
        const qsizetype lineStart = text.lastIndexOf(u'\n', at - 2) + 1;
        return tr("Not valid JSON at line %1, character %2: %3.")
            .arg(text.left(lineStart).count(u'\n') + 1)
            .arg(characters(lineStart, at - 1) + 1)
            .arg(why);
    }
    case Kind::Characters: {
        // The server counts characters, not UTF-16 units, and cuts spaces past the limit without a
        // word (the SQL standard's rule for character types).
        const QList<uint> codePoints = text.toUcs4();
        if (codePoints.size() <= m_maxLength)
            return {};
        for (qsizetype i = m_maxLength; i < codePoints.size(); ++i) {
            if (codePoints.at(i) != u' ')
                return tr("Too long for %1: it takes at most %n character(s), this has %2.", nullptr, m_maxLength)
                    .arg(m_typeSql)
                    .arg(codePoints.size());
        }
        return {};
    }
    case Kind::Array:
        return arrayProblem(text);
    }
    return {};
}

QString ValueCheck::arrayProblem(const QString& text) const
{
    // array_in's shape, where every release agrees: braces that open and close, elements between
    // commas, quotes closed, nothing after the last brace. What releases read differently (a quote
    // in the middle of an element), dimension decorations ("[1:2]={…}"), and sub-arrays of unequal
    // lengths are left to the server.
    const auto isSpace
        = [](QChar c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\v' || c == u'\f'; };
    const ValueCheck element(m_elementTypeSql);
    const qsizetype size = text.size();
    qsizetype at = 0;
    while (at < size && isSpace(text.at(at)))
        ++at;
    if (at < size && text.at(at) == u'[')
        return {};
    if (at >= size || text.at(at) != u'{')
        return tr("Not an array: it starts with \"{\". %1").arg(hint());
    enum class Expect { ItemOrClose, Item, CommaOrClose };
    Expect expect = Expect::ItemOrClose;
    int depth = 0;
    int elementNumber = 0;
    while (at < size) {
        const QChar c = text.at(at);
        if (isSpace(c)) {
            ++at;
            continue;
        }
        if (depth == 0 && expect == Expect::CommaOrClose)
            return tr("Nothing may follow the array's last \"}\" (character %1).").arg(at + 1);
        if (c == u'{' && expect != Expect::CommaOrClose) {
            if (++depth > 6) // MAXDIM
                return tr("An array has at most 6 dimensions.");
            expect = Expect::ItemOrClose;
            ++at;
        } else if (c == u'}' && expect != Expect::Item) {
            --depth;
            expect = Expect::CommaOrClose;
            ++at;
        } else if (c == u',' && expect == Expect::CommaOrClose && depth > 0) {
            expect = Expect::Item;
            ++at;
        } else if (expect == Expect::CommaOrClose) {
            return tr("A comma or \"}\" must follow an element or a sub-array (character %1).").arg(at + 1);
        } else if (c == u',' || c == u'}') {
            return tr("An element is missing before character %1; write \"\" for an empty text.").arg(at + 1);
        } else {
            // One element: up to an unquoted comma or brace; quotes and backslashes taken apart.
            ++elementNumber;
            QString value;
            bool quoted = false;
            int quotedParts = 0;
            bool unquotedContent = false;
            qsizetype lastKept = 0; // value's length up to its last quoted or escaped character
            while (at < size) {
                const QChar d = text.at(at);
                if (d == u'\\') {
                    if (at + 1 >= size)
                        return tr("The array ends inside an escape: a backslash is its last character.");
                    value += text.at(at + 1);
                    lastKept = value.size();
                    unquotedContent = unquotedContent || !quoted;
                    at += 2;
                    continue;
                }
                if (d == u'"') {
                    quoted = !quoted;
                    quotedParts += quoted ? 1 : 0;
                    lastKept = value.size();
                    ++at;
                    continue;
                }
                if (!quoted && (d == u',' || d == u'}' || d == u'{'))
                    break;
                value += d;
                if (quoted)
                    lastKept = value.size();
                else if (!isSpace(d))
                    unquotedContent = true;
                ++at;
            }
            if (quoted)
                return tr("A quoted element of the array is not closed: a \"\"\" is missing.");
            // Unquoted spaces around an element are not part of it.
            while (value.size() > lastKept && isSpace(value.back()))
                value.chop(1);
            const bool isNull = quotedParts == 0 && value.compare(u"NULL"_s, Qt::CaseInsensitive) == 0;
            // A quote in the middle of an element is read differently by some releases: not checked.
            const bool plain = quotedParts == 0 || (quotedParts == 1 && !unquotedContent);
            if (!isNull && plain && element.checks()) {
                if (const QString why = element.problem(value); !why.isEmpty())
                    return tr("Element %1 of the array: %2").arg(elementNumber).arg(why);
            }
            expect = Expect::CommaOrClose;
        }
    }
    if (depth > 0)
        return tr("The array is not closed: a \"}\" is missing.");
    return {};
}

bool ValueCheck::isUuid(const QString& text)
{
    // uuid_in: an optional pair of braces around 32 hex digits, with a hyphen allowed after any
    // group of four but the last; nothing else, not even a space.
    QStringView rest(text);
    const bool braces = rest.startsWith(u'{');
    if (braces) {
        if (!rest.endsWith(u'}'))
            return false;
        rest = rest.mid(1, rest.size() - 2);
    }
    int digits = 0;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QChar c = rest.at(i);
        if (c == u'-') {
            if (digits == 0 || digits % 4 != 0 || digits == 32 || rest.at(i - 1) == u'-')
                return false;
            continue;
        }
        if (!isHexDigit(c))
            return false;
        ++digits;
    }
    return digits == 32 && !rest.endsWith(u'-');
}

QString ValueCheck::jsonProblem(const QString& text, bool jsonb, qsizetype* at)
{
    return JsonScanner(text, jsonb).problem(at);
}
