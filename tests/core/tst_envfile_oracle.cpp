// EnvFile against python-dotenv itself: a few thousand generated .env files, each read by
// EnvFile::parse() and by dotenv_values() (one python3 run over all of them), must give the
// same keys and values, unless the file shows one of the deliberate differences listed in
// envfile-differences.txt. The generator is seeded, so every run reads the same files.
#include "config/EnvFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int fileCount = 3000;
constexpr quint32 seed = 19;

// Builds .env files from the pieces python-dotenv's grammar is made of, weighted towards files
// that are well-formed: a file that shows a listed difference proves little about the rest of
// it, so those stay a minority.
class EnvGenerator
{
public:
    explicit EnvGenerator(quint32 seedValue)
        : m_random(seedValue)
    {
    }

    QByteArray file()
    {
        QByteArray content;
        if (chance(3))
            content += "\xEF\xBB\xBF";
        const int lineCount = 1 + pick(12);
        for (int line = 0; line < lineCount; ++line) {
            content += statement();
            content += lineBreak();
        }
        if (chance(30))
            content.chop(content.endsWith("\r\n") ? 2 : 1); // no line break at the end
        if (chance(2))
            content.insert(pick(int(content.size()) + 1), '\0');
        if (chance(2))
            content.insert(pick(int(content.size()) + 1), "\xFF");
        return content;
    }

private:
    int pick(int bound) { return int(m_random.bounded(bound)); }
    bool chance(int percent) { return pick(100) < percent; }
    QByteArray oneOf(const QList<QByteArray>& choices) { return choices.at(pick(int(choices.size()))); }

    QByteArray atoms(const QList<QByteArray>& choices, int most)
    {
        QByteArray text;
        for (int count = pick(most + 1); count > 0; --count)
            text += oneOf(choices);
        return text;
    }

    QByteArray lineBreak() { return oneOf({ "\n", "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\n\n", "\r\n\r\n" }); }

    QByteArray key()
    {
        const QByteArray name = oneOf({ "A", "B", "PG_HOST", "PG_PASSWORD", "pg_port", "K1", "\xC3\xA9t\xC3\xA9", "a.b",
                                        "a-b", "PGDESK_ORACLE_SET", "x$y", "k'q" });
        if (chance(5))
            return "'" + oneOf({ name, "two words", "a=b", "#x", "multi\nline", "cr\rkey" }) + "'";
        return name;
    }

    QByteArray unquotedValue()
    {
        // Never starts with a quote, which would make it a quoted value.
        const QByteArray first = oneOf({ "abc", "1", "${A}", "${PGDESK_ORACLE_SET}", "#x", "\\", "$", "\xC3\xA9" });
        return first
            + atoms({ "abc",
                      "x y",
                      " #c",
                      "#x",
                      "${A}",
                      "${B}",
                      "${PGDESK_ORACLE_SET}",
                      "${PGDESK_ORACLE_UNSET:-dflt}",
                      "${A:-}",
                      "${A:x}",
                      "$A",
                      "${",
                      "}",
                      "\\",
                      "\\n",
                      "\xC3\xA9",
                      "\xE2\x80\xA8",
                      "\xC2\x85",
                      "\x0B",
                      "\t",
                      " ",
                      "=",
                      "'",
                      "\"",
                      "\xC2\xA0" },
                    5);
    }

    QByteArray singleQuotedValue()
    {
        return "'"
            + atoms({ "abc", "\\'", "\\\\", "\\n", "\\", "${A}", "${PGDESK_ORACLE_SET}", "${PGDESK_ORACLE_UNSET:-d}",
                      "\n", "\r\n", "\r", "#", " ", "\"", "\xC3\xA9", "$", "=" },
                    6)
            + "'";
    }

    QByteArray doubleQuotedValue()
    {
        return "\""
            + atoms({ "abc",
                      "\\\"",
                      "\\\\",
                      "\\n",
                      "\\r",
                      "\\t",
                      "\\x",
                      "\\'",
                      "\\a",
                      "\\u00e9",
                      "${A}",
                      "${B:-d e}",
                      "${PGDESK_ORACLE_SET}",
                      "\n",
                      "\r\n",
                      "\r",
                      "\r\r",
                      "#",
                      " ",
                      "'",
                      "\xC3\xA9",
                      "\xE2\x80\xA8",
                      "\\\r\n" },
                    6)
            + "\"";
    }

    QByteArray value()
    {
        switch (pick(10)) {
        case 0:
            return {};
        case 1:
        case 2:
            return singleQuotedValue();
        case 3:
        case 4:
        case 5:
            return doubleQuotedValue();
        default:
            return unquotedValue();
        }
    }

    QByteArray statement()
    {
        switch (pick(20)) {
        case 0:
            return "# " + atoms({ "comment", " ", "A=1", "'", "\"", "\xC3\xA9", "${A}", "\t" }, 4);
        case 1:
            return oneOf({ "", "   ", "\t", "\xC2\xA0", "\x0C" });
        case 2:
            return oneOf({ "", "  ", "export " }) + key(); // a key without '=': None in python-dotenv
        case 3:
            if (chance(40)) // the malformed ones: python-dotenv and pgdesk resume differently
                return oneOf(
                    { "bad key=1", "=value", "A=\"unterminated", "A='unterminated", "A='x' junk", "export", "'' =1" });
            break;
        default:
            break;
        }
        const QByteArray prefix = oneOf({ "", "", "", "", "export ", "export\t", "  ", "\t", "\xC2\xA0" });
        const QByteArray equals = oneOf({ "=", "=", "=", " =", "= ", " \t= \t", "=\xC2\xA0" });
        const QByteArray trailer = oneOf({ "", "", "", " ", "\t", " # comment", "#c", "\t#c 'x' \"y\"" });
        return prefix + key() + equals + value() + trailer;
    }

    QRandomGenerator m_random;
};

QString escaped(const QByteArray& bytes)
{
    QString shown;
    for (const char byte : bytes) {
        const auto code = static_cast<unsigned char>(byte);
        if (code == '\\')
            shown += u"\\\\"_s;
        else if (code >= 0x20 && code < 0x7F)
            shown += QLatin1Char(byte);
        else
            shown += u"\\x"_s + QString::number(code, 16).rightJustified(2, u'0');
    }
    return shown;
}

QString describe(const QList<std::pair<QString, QString>>& values)
{
    QStringList shown;
    for (const auto& [key, value] : values)
        shown << escaped(key.toUtf8()) + u'=' + escaped(value.toUtf8());
    return u'{' + shown.join(u", "_s) + u'}';
}

} // namespace

class TestEnvFileOracle : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithPythonDotenv();
};

void TestEnvFileOracle::agreesWithPythonDotenv()
{
    QElapsedTimer timer;
    timer.start();

    QFile differencesFile(QStringLiteral(ENVFILE_DIFFERENCES));
    QVERIFY2(differencesFile.open(QIODevice::ReadOnly), qPrintable(differencesFile.fileName()));
    QSet<QString> listed;
    for (const QByteArray& line : differencesFile.readAll().split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype tab = line.indexOf('\t');
        QVERIFY2(tab > 0 && tab + 1 < line.size(),
                 qPrintable(u"needs a tag, a tab and a reason: "_s + QString::fromUtf8(line)));
        listed.insert(QString::fromUtf8(line.first(tab)));
    }

    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    EnvGenerator generator(seed);
    QMap<QString, QByteArray> contents;
    for (int index = 0; index < fileCount; ++index) {
        const QString name = u"%1.env"_s.arg(index, 5, 10, QLatin1Char('0'));
        const QByteArray content = generator.file();
        QFile file(folder.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
        contents.insert(name, content);
    }

    // Both sides see the same environment for ${...}.
    qputenv("PGDESK_ORACLE_SET", "from-environment");
    qunsetenv("PGDESK_ORACLE_UNSET");
    qunsetenv("A");
    qunsetenv("B");
    QProcess python;
    python.start(QStringLiteral(PGDESK_DOTENV_PYTHON), { QStringLiteral(ENVFILE_ORACLE_SCRIPT), folder.path() });
    QVERIFY2(python.waitForFinished(120000), qPrintable(python.errorString()));
    QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
             qPrintable(u"%1 (python-dotenv from Debian's python3-dotenv, see script/setup): %2"_s.arg(
                 QStringLiteral(PGDESK_DOTENV_PYTHON), QString::fromUtf8(python.readAllStandardError()))));
    QJsonParseError parseError;
    const QJsonObject reference = QJsonDocument::fromJson(python.readAllStandardOutput(), &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    const QJsonObject results = reference.value(u"files"_s).toObject();
    QCOMPARE(results.size(), contents.size());

    int exact = 0;
    QMap<QString, int> explainedByTag;
    QSet<QString> provenTags; // differences seen in a file that shows no other one
    QStringList unexplained;
    for (auto it = contents.cbegin(); it != contents.cend(); ++it) {
        const QJsonObject result = results.value(it.key()).toObject();
        QSet<QString> tags;
        for (const QJsonValue& tag : result.value(u"tags"_s).toArray()) {
            QVERIFY2(listed.contains(tag.toString()),
                     qPrintable(u"envfile_oracle.py knows a difference envfile-differences.txt does not list: "_s
                                + tag.toString()));
            tags.insert(tag.toString());
        }

        QList<std::pair<QString, QString>> expected;
        for (const QJsonValue& pair : result.value(u"values"_s).toArray()) {
            const QJsonArray keyAndValue = pair.toArray();
            if (!keyAndValue.at(1).isNull()) // a key without '=' is not set
                expected.append({ keyAndValue.at(0).toString(), keyAndValue.at(1).toString() });
        }
        // load(), not parse(): what the file's bytes may do to reading it counts too.
        const EnvFile envFile = EnvFile::load(folder.filePath(it.key()));
        QList<std::pair<QString, QString>> actual;
        for (const QString& key : envFile.keys())
            actual.append({ key, envFile.value(key) });

        const bool readable = result.contains(u"values"_s);
        if (readable && actual == expected) {
            ++exact;
            continue;
        }
        if (!tags.isEmpty()) {
            for (const QString& tag : std::as_const(tags))
                ++explainedByTag[tag];
            if (tags.size() == 1)
                provenTags.unite(tags);
            continue;
        }
        if (unexplained.size() < 5) {
            unexplained << u"%1: \"%2\"\n  python-dotenv: %3\n  pgdesk:        %4"_s.arg(
                it.key(), escaped(it.value()), readable ? describe(expected) : u"(unreadable)"_s, describe(actual));
        }
    }

    qInfo().noquote()
        << u"python-dotenv %1: %2 of %3 files read alike; the others show listed differences: %4 (%5 ms)"_s
               .arg(reference.value(u"version"_s).toString())
               .arg(exact)
               .arg(contents.size())
               .arg([&] {
                   QStringList counts;
                   for (auto tag = explainedByTag.cbegin(); tag != explainedByTag.cend(); ++tag)
                       counts << u"%1 %2"_s.arg(tag.key()).arg(tag.value());
                   return counts.join(u", "_s);
               }())
               .arg(timer.elapsed());
    QVERIFY2(unexplained.isEmpty(),
             qPrintable(u"pgdesk and python-dotenv disagree where no listed difference explains it:\n"_s
                        + unexplained.join(u'\n')));
    for (const QString& tag : std::as_const(listed)) {
        QVERIFY2(provenTags.contains(tag),
                 qPrintable(u"the listed difference '%1' made no difference: remove it from "
                            "envfile-differences.txt, or generate files that show it"_s.arg(tag)));
    }
    // Most files must be compared in full, or the listed differences would hide everything.
    QVERIFY2(exact * 10 >= contents.size() * 6, qPrintable(u"only %1 files read alike"_s.arg(exact)));
}

QTEST_GUILESS_MAIN(TestEnvFileOracle)
#include "tst_envfile_oracle.moc"
