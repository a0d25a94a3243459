// Past 600 lines because it is python-dotenv's grammar, case by case (quotes, escapes, expansion,
// comments, CR handling, broken lines), each rule with the reason it is there; splitting the
// parser would scatter one grammar over several files.
#include "config/EnvFile.h"

#include <QByteArrayView>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStringView>

#include <algorithm>
#include <vector>

// The deliberate differences from python-dotenv, each in the caller's favour, are listed with their reasons in
// tests/core/envfile-differences.txt, which the oracle test (tst_envfile_oracle) reads: a difference not listed there
// fails it.

namespace {

bool isPythonSpace(char16_t character)
{
    // The set of Python's str.isspace(), which is what python-dotenv's \s means.
    switch (character) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x1f:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return true;
    default:
        return character >= 0x2000 && character <= 0x200a;
    }
}

bool isLineBreak(char16_t character)
{
    return character == u'\n' || character == u'\r';
}

bool isHorizontalSpace(char16_t character)
{
    return isPythonSpace(character) && !isLineBreak(character);
}

QStringView trimmedRight(QStringView text)
{
    qsizetype end = text.size();
    while (end > 0 && isPythonSpace(text[end - 1].unicode()))
        --end;
    return text.first(end);
}

struct DecodedText
{
    QString text;
    std::vector<bool> invalidByLine; // indexed by 1-based line number; lines past the end are valid

    bool isInvalidUtf8(int line) const { return line < int(invalidByLine.size()) && invalidByLine[size_t(line)]; }
};

// Python reads the file in text mode, where "\r\n" and a lone "\r" become "\n" before python-dotenv sees them, even
// inside quotes. Line numbers do not change: each break stays one break.
QString withUniversalNewlines(QString text)
{
    if (text.contains(u'\r'))
        text.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(u'\r', u'\n');
    return text;
}

DecodedText decodeContent(QByteArrayView bytes)
{
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes = bytes.sliced(3);

    DecodedText decoded;
    if (bytes.isValidUtf8()) {
        decoded.text = withUniversalNewlines(QString::fromUtf8(bytes));
        return decoded;
    }

    // Decoding line by line keeps a bad byte sequence from swallowing a line break, so the line numbers stay right.
    decoded.invalidByLine.push_back(false);
    decoded.text.reserve(bytes.size());
    qsizetype lineStart = 0;
    for (;;) {
        qsizetype lineEnd = lineStart;
        while (lineEnd < bytes.size() && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r')
            ++lineEnd;
        const QByteArrayView lineBytes = bytes.sliced(lineStart, lineEnd - lineStart);
        decoded.invalidByLine.push_back(!lineBytes.isValidUtf8());
        decoded.text += QString::fromUtf8(lineBytes);
        if (lineEnd == bytes.size())
            break;
        const bool isCrLf = bytes[lineEnd] == '\r' && lineEnd + 1 < bytes.size() && bytes[lineEnd + 1] == '\n';
        const qsizetype lineBreakLength = isCrLf ? 2 : 1;
        decoded.text += QString::fromLatin1(bytes.sliced(lineEnd, lineBreakLength));
        lineStart = lineEnd + lineBreakLength;
    }
    decoded.text = withUniversalNewlines(decoded.text);
    return decoded;
}

struct Statement
{
    enum class Kind { Binding, Ignored, Malformed };

    Kind kind = Kind::Ignored;
    int firstLine = 0;
    int lastLine = 0;
    QString key;
    std::optional<QString> value;
    QString problem;
};

// Follows python-dotenv's parser.py statement by statement, written as hand-made scanners instead of backtracking
// regular expressions so that every input is read in linear time.
class Parser
{
public:
    explicit Parser(const QString& text)
        : m_text(text)
    {
    }

    std::optional<Statement> next()
    {
        skipSpacesAndLineBreaks();
        if (atEnd())
            return std::nullopt;

        const qsizetype statementStart = m_position;
        Statement statement;
        statement.firstLine = m_line;
        if (!parseStatement(statement)) {
            statement.kind = Statement::Kind::Malformed;
            resumeOnLineAfter(statementStart, statement.firstLine);
        }
        return statement;
    }

private:
    bool atEnd() const { return m_position >= m_text.size(); }
    char16_t peek() const { return atEnd() ? char16_t(0) : m_text[m_position].unicode(); }
    bool atLineEnd() const { return atEnd() || isLineBreak(peek()); }

    void advanceTo(qsizetype target)
    {
        for (; m_position < target; ++m_position) {
            const char16_t character = m_text[m_position].unicode();
            const bool isCrOfCrLf
                = character == u'\r' && m_position + 1 < m_text.size() && m_text[m_position + 1] == u'\n';
            if (character == u'\n' || (character == u'\r' && !isCrOfCrLf))
                ++m_line;
        }
    }

    void skipSpacesAndLineBreaks()
    {
        qsizetype end = m_position;
        while (end < m_text.size() && isPythonSpace(m_text[end].unicode()))
            ++end;
        advanceTo(end);
    }

    void skipHorizontalSpaces()
    {
        while (!atEnd() && isHorizontalSpace(peek()))
            ++m_position;
    }

    qsizetype endOfLine(qsizetype from) const
    {
        while (from < m_text.size() && !isLineBreak(m_text[from].unicode()))
            ++from;
        return from;
    }

    void consumeLineBreak()
    {
        if (peek() == u'\r' && m_position + 1 < m_text.size() && m_text[m_position + 1] == u'\n')
            m_position += 2;
        else if (isLineBreak(peek()))
            ++m_position;
        else
            return;
        ++m_line;
    }

    void resumeOnLineAfter(qsizetype statementStart, int statementLine)
    {
        m_position = endOfLine(statementStart);
        m_line = statementLine;
        consumeLineBreak();
    }

    bool fail(Statement& statement, const QString& problem)
    {
        statement.problem = problem;
        return false;
    }

    bool parseStatement(Statement& statement)
    {
        skipExportPrefix();
        if (peek() == u'#') {
            advanceTo(endOfLine(m_position));
            consumeLineBreak();
            statement.kind = Statement::Kind::Ignored;
            return true;
        }
        if (!parseKey(statement))
            return false;

        skipHorizontalSpaces();
        bool valueWasQuoted = false;
        if (peek() == u'=') {
            ++m_position;
            skipHorizontalSpaces();
            valueWasQuoted = peek() == u'\'' || peek() == u'"';
            if (!parseValue(statement))
                return false;
        }

        skipHorizontalSpaces();
        if (peek() == u'#')
            m_position = endOfLine(m_position);
        if (!atLineEnd()) {
            return fail(statement,
                        valueWasQuoted ? QStringLiteral("unexpected text after the closing quote")
                                       : QStringLiteral("expected '=' after the key (a key cannot contain spaces)"));
        }
        statement.lastLine = m_line;
        consumeLineBreak();
        statement.kind = Statement::Kind::Binding;
        return true;
    }

    void skipExportPrefix()
    {
        static const QString exportWord = QStringLiteral("export");
        const qsizetype afterWord = m_position + exportWord.size();
        if (QStringView(m_text).sliced(m_position).startsWith(exportWord) && afterWord < m_text.size()
            && isHorizontalSpace(m_text[afterWord].unicode())) {
            m_position = afterWord;
            skipHorizontalSpaces();
        }
    }

    bool parseKey(Statement& statement)
    {
        if (peek() == u'\'') {
            const qsizetype closingQuote = m_text.indexOf(u'\'', m_position + 1);
            if (closingQuote < 0)
                return fail(statement, QStringLiteral("unterminated single quote in the key"));
            if (closingQuote == m_position + 1)
                return fail(statement, QStringLiteral("empty key"));
            statement.key = m_text.mid(m_position + 1, closingQuote - m_position - 1);
            advanceTo(closingQuote + 1);
            return true;
        }

        qsizetype keyEnd = m_position;
        while (keyEnd < m_text.size()) {
            const char16_t character = m_text[keyEnd].unicode();
            if (character == u'=' || character == u'#' || isPythonSpace(character))
                break;
            ++keyEnd;
        }
        if (keyEnd == m_position)
            return fail(statement,
                        peek() == u'=' ? QStringLiteral("missing key before '='") : QStringLiteral("missing key"));
        statement.key = m_text.mid(m_position, keyEnd - m_position);
        m_position = keyEnd;
        return true;
    }

    bool parseValue(Statement& statement)
    {
        const char16_t first = peek();
        if (first == u'\'' || first == u'"')
            return parseQuotedValue(statement, first);

        // python-dotenv: re.sub(r"\s+#.*", "", rest_of_line).rstrip(). The value never starts with a space here, so
        // "KEY= #x" gives "#x" exactly as in python-dotenv.
        const qsizetype lineEnd = endOfLine(m_position);
        const QStringView rawValue = QStringView(m_text).sliced(m_position, lineEnd - m_position);
        qsizetype commentStart = rawValue.size();
        for (qsizetype index = 1; index < rawValue.size(); ++index) {
            if (rawValue[index] == u'#' && isPythonSpace(rawValue[index - 1].unicode())) {
                commentStart = index;
                break;
            }
        }
        statement.value = trimmedRight(rawValue.first(commentStart)).toString();
        m_position = lineEnd;
        return true;
    }

    bool parseQuotedValue(Statement& statement, char16_t quote)
    {
        // python-dotenv's '"((?:\\"|[^"])*)"' closes at the first quote not preceded by a backslash; when there is
        // none, backtracking makes it close at the last (backslash-preceded) quote in the rest of the file.
        const qsizetype openingQuote = m_position;
        qsizetype closingQuote = -1;
        qsizetype lastBackslashedQuote = -1;
        for (qsizetype index = openingQuote + 1; index < m_text.size(); ++index) {
            if (m_text[index] != quote)
                continue;
            if (m_text[index - 1] != u'\\') {
                closingQuote = index;
                break;
            }
            lastBackslashedQuote = index;
        }
        if (closingQuote < 0)
            closingQuote = lastBackslashedQuote;
        if (closingQuote < 0) {
            return fail(statement,
                        quote == u'"' ? QStringLiteral("unterminated double quote")
                                      : QStringLiteral("unterminated single quote"));
        }

        const QStringView rawValue = QStringView(m_text).sliced(openingQuote + 1, closingQuote - openingQuote - 1);
        statement.value = decodeEscapes(rawValue, quote);
        advanceTo(closingQuote + 1);
        return true;
    }

    static std::optional<QChar> decodeEscape(char16_t escaped, char16_t quote)
    {
        if (escaped == u'\\' || escaped == u'\'')
            return QChar(escaped);
        if (quote == u'\'')
            return std::nullopt;
        switch (escaped) {
        case u'"':
            return QChar(u'"');
        case u'a':
            return QChar(u'\a');
        case u'b':
            return QChar(u'\b');
        case u'f':
            return QChar(u'\f');
        case u'n':
            return QChar(u'\n');
        case u'r':
            return QChar(u'\r');
        case u't':
            return QChar(u'\t');
        case u'v':
            return QChar(u'\v');
        default:
            return std::nullopt;
        }
    }

    static QString decodeEscapes(QStringView rawValue, char16_t quote)
    {
        QString decoded;
        decoded.reserve(rawValue.size());
        for (qsizetype index = 0; index < rawValue.size(); ++index) {
            const QChar character = rawValue[index];
            const std::optional<QChar> escaped = character == u'\\' && index + 1 < rawValue.size()
                ? decodeEscape(rawValue[index + 1].unicode(), quote)
                : std::nullopt;
            if (escaped) {
                decoded += *escaped;
                ++index;
            } else {
                decoded += character; // unknown escapes are kept as written
            }
        }
        return decoded;
    }

    const QString& m_text;
    qsizetype m_position = 0;
    int m_line = 1;
};

// Finds the first index at or after `from` that satisfies a predicate. Queries must come with non-decreasing `from`,
// which lets every character be examined once however many queries there are.
template <typename Predicate> class ForwardFinder
{
public:
    ForwardFinder(QStringView text, Predicate predicate)
        : m_text(text)
        , m_predicate(predicate)
    {
    }

    qsizetype find(qsizetype from)
    {
        if (m_found < from) {
            m_found = from;
            while (m_found < m_text.size() && !m_predicate(m_text[m_found].unicode()))
                ++m_found;
        }
        return m_found;
    }

private:
    QStringView m_text;
    Predicate m_predicate;
    qsizetype m_found = -1;
};

// Expands ${NAME} and ${NAME:-default} the way python-dotenv's regex \$\{([^}:]*)(?::-([^}]*))?\} does: no nesting,
// and the default only applies when NAME is unset (an empty value stays empty, unlike POSIX shells).
template <typename Lookup>
std::optional<QString> expandVariables(QStringView text, const Lookup& lookup, qsizetype& sizeBudget)
{
    ForwardFinder nameEndFinder(text, [](char16_t character) { return character == u'}' || character == u':'; });
    ForwardFinder closingBraceFinder(text, [](char16_t character) { return character == u'}'; });

    QString expanded;
    qsizetype copiedUpTo = 0;
    qsizetype searchFrom = 0;
    bool substitutedAnything = false;
    for (;;) {
        const qsizetype dollar = text.indexOf(u"${", searchFrom);
        if (dollar < 0)
            break;
        const qsizetype nameEnd = nameEndFinder.find(dollar + 2);
        if (nameEnd == text.size())
            break;

        qsizetype referenceEnd = -1;
        std::optional<QStringView> defaultValue;
        if (text[nameEnd] == u'}') {
            referenceEnd = nameEnd + 1;
        } else if (nameEnd + 1 < text.size() && text[nameEnd + 1] == u'-') {
            const qsizetype closingBrace = closingBraceFinder.find(nameEnd + 2);
            if (closingBrace < text.size()) {
                defaultValue = text.sliced(nameEnd + 2, closingBrace - nameEnd - 2);
                referenceEnd = closingBrace + 1;
            }
        }
        if (referenceEnd < 0) {
            searchFrom = dollar + 1;
            continue;
        }

        const std::optional<QString> found = lookup(text.sliced(dollar + 2, nameEnd - dollar - 2).toString());
        const QStringView replacement = found ? QStringView(*found) : defaultValue.value_or(QStringView());
        const qsizetype grownSize = expanded.size() + (dollar - copiedUpTo) + replacement.size();
        // A few short lines like B=${A}${A}${A} can multiply the size of the file many times over.
        if (grownSize > sizeBudget)
            return std::nullopt;
        expanded += text.sliced(copiedUpTo, dollar - copiedUpTo);
        expanded += replacement;
        copiedUpTo = searchFrom = referenceEnd;
        substitutedAnything = true;
    }
    if (!substitutedAnything)
        return text.toString();
    expanded += text.sliced(copiedUpTo);
    sizeBudget -= expanded.size();
    return expanded;
}

QString describeInvalidUtf8(int invalidLine, int statementLine)
{
    QString description = QStringLiteral("invalid UTF-8");
    if (invalidLine != statementLine)
        description += QStringLiteral(" on line %1").arg(invalidLine);
    return description;
}

} // namespace

EnvFile EnvFile::parse(const QByteArray& content, const QString& path)
{
    EnvFile file;
    file.m_path = path;
    file.m_loaded = true;

    const DecodedText decoded = decodeContent(content);
    qsizetype expansionBudget = std::max<qsizetype>(16 * MaxFileSize, 4 * decoded.text.size());
    std::optional<QProcessEnvironment> processEnvironment;
    // Earlier keys of the file win over the process environment, as in python-dotenv's dotenv_values();
    // load_dotenv(override=False) would prefer the environment instead.
    const auto lookup = [&file, &processEnvironment](const QString& name) -> std::optional<QString> {
        if (const Entry* entry = file.findEntry(name); entry && entry->value)
            return entry->value;
        if (!processEnvironment)
            processEnvironment = QProcessEnvironment::systemEnvironment();
        if (processEnvironment->contains(name))
            return processEnvironment->value(name);
        return std::nullopt;
    };

    Parser parser(decoded.text);
    while (std::optional<Statement> statement = parser.next()) {
        if (statement->kind == Statement::Kind::Ignored)
            continue;
        if (statement->kind == Statement::Kind::Malformed) {
            file.m_problems.append({ statement->firstLine, statement->problem });
            continue;
        }

        bool hasInvalidUtf8 = false;
        for (int line = statement->firstLine; line <= statement->lastLine && !hasInvalidUtf8; ++line) {
            if (decoded.isInvalidUtf8(line)) {
                file.m_problems.append({ statement->firstLine, describeInvalidUtf8(line, statement->firstLine) });
                hasInvalidUtf8 = true;
            }
        }
        if (hasInvalidUtf8)
            continue;
        // python-dotenv reads a NUL like any other character, but load_dotenv() cannot put it into the environment
        // (Python raises ValueError); a NUL elsewhere, as in a comment, is harmless.
        if (statement->key.contains(QChar(0)) || (statement->value && statement->value->contains(QChar(0)))) {
            file.m_problems.append({ statement->firstLine, QStringLiteral("contains a NUL character") });
            continue;
        }

        std::optional<QString> value = statement->value;
        // python-dotenv expands ${...} in every value, single-quoted ones included.
        if (value) {
            value = expandVariables(*value, lookup, expansionBudget);
            if (!value) {
                file.m_problems.append(
                    { statement->firstLine, QStringLiteral("value too large after variable expansion") });
                continue;
            }
        }
        file.define(statement->key, value);
    }
    return file;
}

EnvFile EnvFile::load(const QString& path)
{
    EnvFile failed;
    failed.m_path = path;
    const auto fail = [&failed, &path](const QString& reason) {
        failed.m_errorString = QStringLiteral("%1: %2").arg(path, reason);
        return failed;
    };

    const QFileInfo info(path);
    if (info.isDir())
        return fail(QStringLiteral("is a directory, not a file"));
    // Reading a FIFO or a device could block forever. (A file whose folder may not be searched
    // does not stat at all; opening it below says so.)
    if (info.exists() && !info.isFile())
        return fail(QStringLiteral("not a regular file"));
    if (info.size() > MaxFileSize)
        return fail(QStringLiteral("larger than 1 MiB, too large for a .env file"));

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (!info.exists() && file.errorString().contains(QStringLiteral("No such file")))
            return fail(QStringLiteral("file not found"));
        return fail(QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    }
    // The file may have grown since it was stat()ed.
    const QByteArray content = file.read(MaxFileSize + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    if (content.size() > MaxFileSize)
        return fail(QStringLiteral("larger than 1 MiB, too large for a .env file"));
    return parse(content, path);
}

bool EnvFile::isLoaded() const
{
    return m_loaded;
}

QString EnvFile::errorString() const
{
    return m_errorString;
}

QString EnvFile::path() const
{
    return m_path;
}

bool EnvFile::contains(const QString& key) const
{
    const Entry* entry = findEntry(key);
    return entry && entry->value;
}

QString EnvFile::value(const QString& key, const QString& fallback) const
{
    const Entry* entry = findEntry(key);
    return entry && entry->value ? *entry->value : fallback;
}

QStringList EnvFile::keys() const
{
    QStringList keysWithValues;
    for (const Entry& entry : m_entries) {
        if (entry.value)
            keysWithValues.append(entry.key);
    }
    return keysWithValues;
}

QList<EnvFileProblem> EnvFile::problems() const
{
    return m_problems;
}

const EnvFile::Entry* EnvFile::findEntry(const QString& key) const
{
    const auto found = m_entryIndexByKey.constFind(key);
    return found == m_entryIndexByKey.constEnd() ? nullptr : &m_entries[*found];
}

void EnvFile::define(const QString& key, const std::optional<QString>& value)
{
    const auto found = m_entryIndexByKey.constFind(key);
    if (found != m_entryIndexByKey.constEnd()) {
        m_entries[*found].value = value;
        return;
    }
    m_entryIndexByKey.insert(key, m_entries.size());
    m_entries.append({ key, value });
}
