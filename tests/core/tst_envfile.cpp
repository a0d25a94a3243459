#include "config/EnvFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace {

const char* const kFromEnvironmentName = "ENVFILE_TEST_FROM_ENV";
const char* const kUnsetName = "ENVFILE_TEST_UNSET";
constexpr std::nullopt_t kAbsent = std::nullopt;

// Lets the table rows spell expected values as plain UTF-8 literals despite QT_NO_CAST_FROM_ASCII.
struct ExpectedValue
{
    ExpectedValue(const char* utf8)
        : value(QString::fromUtf8(utf8))
    {
    }
    ExpectedValue(const QString& text)
        : value(text)
    {
    }
    ExpectedValue(std::nullopt_t) { }

    std::optional<QString> value;
};

// Keeps embedded NUL bytes, which the const char* constructor would cut at.
template <qsizetype Size> QByteArray bytes(const char (&text)[Size])
{
    return QByteArray(text, Size - 1);
}

QList<int> problemLines(const EnvFile& file)
{
    QList<int> lines;
    for (const EnvFileProblem& problem : file.problems())
        lines.append(problem.line);
    return lines;
}

void addParseRow(const char* name, const QByteArray& content, const char* key, const ExpectedValue& expected,
                 const QList<int>& expectedProblemLines = {})
{
    QTest::newRow(name) << content << QString::fromUtf8(key) << expected.value.has_value()
                        << expected.value.value_or(QString()) << expectedProblemLines;
}

} // namespace

class TestEnvFile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parse_data();
    void parse();
    void keysKeepFirstDefinitionOrder();
    void problemMessagesNeverContainTheValue_data();
    void problemMessagesNeverContainTheValue();
    void load_data();
    void load();
    void loadUnreadableFile();
    void hostileInputStaysLinear_data();
    void hostileInputStaysLinear();
};

void TestEnvFile::initTestCase()
{
    qputenv(kFromEnvironmentName, "from-env");
    qunsetenv(kUnsetName);
}

void TestEnvFile::parse_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("expectedValue");
    QTest::addColumn<QList<int>>("expectedProblemLines");

    // Comments, blank lines, export, whitespace.
    addParseRow("blank lines and comments", "\n# comment\n   \n\t# indented comment\nA=1\n", "A", "1");
    addParseRow("commented-out entry is not a key", "# A=1\n", "A", kAbsent);
    addParseRow("export prefix", "export A=1\n", "A", "1");
    addParseRow("export prefix with tab and spaces", "export \t A=1\n", "A", "1");
    addParseRow("export alone is an ordinary key", "export=1\n", "export", "1");
    addParseRow("whitespace around key and equals", "  A \t=  1\n", "A", "1");

    // Unquoted values.
    addParseRow("unquoted trailing whitespace trimmed", "A=hello world \t \n", "A", "hello world");
    addParseRow("hash without space belongs to the value", "A=b#c\n", "A", "b#c");
    addParseRow("hash after space starts a comment", "A=b #c\n", "A", "b");
    addParseRow("hash after tab starts a comment", "A=b\t# c d\n", "A", "b");
    // python-dotenv swallows the spaces after '=' first, so the '#' is no longer preceded by whitespace.
    addParseRow("hash right after equals and spaces is the value", "A= #c\n", "A", "#c");
    addParseRow("quotes inside an unquoted value", "A=it's \"fine\"\n", "A", "it's \"fine\"");

    // Single quotes.
    addParseRow("single quotes are literal", R"(A='a\nb $HOME \d')", "A", R"(a\nb $HOME \d)");
    addParseRow("single quote escapes", R"(A='it\'s \\ back')", "A", R"(it's \ back)");
    addParseRow("hash inside single quotes", "A='a #b'#c\n", "A", "a #b");

    // Double quotes.
    addParseRow("double quote escapes", R"(A="\\ \" \' \n \r \t \a \b \f \v")", "A",
                QStringLiteral("\\ \" ' \n \r \t \a \b \f \v"));
    addParseRow("unknown escapes kept as written", R"(A="C:\dir\x\$")", "A", R"(C:\dir\x\$)");
    addParseRow("hash inside double quotes", "A=\"a # b\" # real comment\n", "A", "a # b");
    addParseRow("backslash before closing quote", R"(A="a\\")", "A", R"(a\)");

    // Multi-line quoted values and what may follow a closing quote.
    addParseRow("double-quoted value spans lines", "A=\"line 1\nline 2\"\nB=2\n", "A", "line 1\nline 2");
    addParseRow("key after a multi-line value", "A='x\ny'\nB=2\n", "B", "2");
    addParseRow("whitespace and comment after closing quote", "A=\"x\"   # c\n", "A", "x");
    addParseRow("comment right after closing quote", "A='x'#c\n", "A", "x");
    addParseRow("text after closing quote is a problem", "A=\"x\" y\nB=2\n", "A", kAbsent, { 1 });
    addParseRow("text after closing quote spares the next line", "A=\"x\" y\nB=2\n", "B", "2", { 1 });

    // Empty values, missing values, duplicates.
    addParseRow("empty value", "A=\n", "A", "");
    addParseRow("empty value with trailing spaces", "A=   \n", "A", "");
    addParseRow("empty double quotes", "A=\"\"\n", "A", "");
    addParseRow("empty single quotes", "A=''\n", "A", "");
    addParseRow("key alone has no value", "A\n", "A", kAbsent);
    addParseRow("key alone with a comment has no value", "A # comment\n", "A", kAbsent);
    addParseRow("last duplicate wins", "A=1\nA=2\n", "A", "2");
    addParseRow("later key alone removes the value", "A=1\nA\n", "A", kAbsent);
    addParseRow("quoted key", "'my key'=1\n", "my key", "1");

    // Line endings, BOM, encoding.
    addParseRow("CRLF line endings", "A=1\r\nB=2\r\n", "A", "1");
    addParseRow("lone CR line endings", "A=1\rB=2\r", "B", "2");
    // Python's text mode turns both into "\n" before python-dotenv reads the file.
    addParseRow("CRLF inside a quoted value becomes LF", "A=\"x\r\ny\"\r\nB=2", "A", "x\ny");
    addParseRow("lone CR inside single quotes becomes LF", "A='q\rr'\nB=2", "A", "q\nr");
    addParseRow("escaped CR stays CR", "A=\"x\\ry\"\n", "A", "x\ry");
    addParseRow("CR inside a quoted key becomes LF", "'K\r\nX'=3\n", "K\nX", "3");
    addParseRow("problem line counted with CRLF", "A=1\r\n\r\nbad key\r\nB=2", "B", "2", { 3 });
    addParseRow("problem line counted with lone CR", "A=1\r\rbad key\rB=2", "B", "2", { 3 });
    addParseRow("UTF-8 BOM ignored",
                "\xEF\xBB\xBF"
                "A=1\n",
                "A", "1");
    addParseRow("UTF-8 value",
                "A=gr\xC3\xBC\xC3\x9F"
                "e \xE2\x9C\x93\n",
                "A", QStringLiteral("gr\u00FC\u00DFe \u2713"));
    addParseRow("invalid UTF-8 skips that key", "A=\xFF\xFE\nB=2\n", "A", kAbsent, { 1 });
    addParseRow("invalid UTF-8 spares the other keys", "A=\xFF\xFE\nB=2\n", "B", "2", { 1 });
    addParseRow("invalid UTF-8 in a comment is harmless", "# \xFF\nA=1\n", "A", "1");
    addParseRow("invalid UTF-8 inside a multi-line value", "\nA=\"x\n\xFF\"\nB=2\n", "A", kAbsent, { 2 });
    addParseRow("NUL character skips that key", bytes("A=x\0y\nB=2\n"), "A", kAbsent, { 1 });
    addParseRow("NUL character spares the other keys", bytes("A=x\0y\nB=2\n"), "B", "2", { 1 });
    addParseRow("NUL character in a key skips it", bytes("A\0B=1\n"), "A", kAbsent, { 1 });
    addParseRow("NUL in a comment is harmless", bytes("# \0\nA=1\n"), "A", "1");
    addParseRow("NUL in an inline comment is harmless", bytes("A=1 # \0\n"), "A", "1");

    // Malformed lines: reported with their line, the rest still loads.
    addParseRow("missing key before equals", "=value\nA=1\n", "A", "1", { 1 });
    addParseRow("space in an unquoted key", "bad key=1\nA=1\n", "bad", kAbsent, { 1 });
    addParseRow("export without a key", "export \nA=1\n", "A", "1", { 1 });
    addParseRow("unterminated double quote skips that key", "A=\"abc\nB=1\n", "A", kAbsent, { 1 });
    addParseRow("unterminated double quote spares the next line", "A=\"abc\nB=1\n", "B", "1", { 1 });
    addParseRow("unterminated single quote spares the next line", "A='abc\nB=1\n", "B", "1", { 1 });
    addParseRow("unterminated quote before a quoted value", "A=\"abc\nB=\"x\"\nC=3\n", "B", "x", { 1 });
    addParseRow("unterminated quoted key", "'A=1\nB=2\n", "B", "2", { 1 });
    addParseRow("problem lines after blank lines", "\n\nbad key\n\n=x\nA=1\n", "A", "1", { 3, 5 });

    // Variable expansion.
    addParseRow("expand an earlier key", "A=hello\nB=${A} world\n", "B", "hello world");
    addParseRow("expand inside double quotes", "A=hello\nB=\"${A}!\"\n", "B", "hello!");
    addParseRow("expansion inside single quotes too", "A=hello\nB='${A}'\n", "B", "hello");
    addParseRow("expand from the environment", "B=${ENVFILE_TEST_FROM_ENV}\n", "B", "from-env");
    addParseRow("earlier key wins over the environment",
                "ENVFILE_TEST_FROM_ENV=from-file\nB=${ENVFILE_TEST_FROM_ENV}\n", "B", "from-file");
    addParseRow("default when unset", "B=${ENVFILE_TEST_UNSET:-fallback}\n", "B", "fallback");
    addParseRow("default ignored when set", "A=x\nB=${A:-fallback}\n", "B", "x");
    addParseRow("default ignored when empty", "A=\nB=${A:-fallback}\n", "B", "");
    addParseRow("unset without default is empty", "B=<${ENVFILE_TEST_UNSET}>\n", "B", "<>");
    addParseRow("later keys are not visible", "B=${A}\nA=1\n", "B", "");
    addParseRow("key alone does not count as set", "A\nB=${A:-fallback}\n", "B", "fallback");
    addParseRow("dollar without braces is literal", "B=$ENVFILE_TEST_FROM_ENV\n", "B", "$ENVFILE_TEST_FROM_ENV");
    addParseRow("malformed reference is literal", "B=${A:x}\n", "B", "${A:x}");
    addParseRow("references do not nest", "B=${ENVFILE_TEST_UNSET:-${A}}\n", "B", "${A}");

    // Rules the rows above leave out, each checked against python-dotenv 0.21 (python3-dotenv).
    addParseRow("empty file", "", "A", kAbsent);
    addParseRow("export only as its own word", "exportA=1\n", "exportA", "1");
    addParseRow("export before a key alone", "export A\n", "A", kAbsent);
    addParseRow("hash ends an unquoted key", "A#B=1\nC=2\n", "A", kAbsent);
    addParseRow("hash ending a key is no problem", "A#B=1\nC=2\n", "C", "2");
    addParseRow("equals inside a quoted key", "'a=b'=1\n", "a=b", "1");
    addParseRow("quoted key alone has no value", "'K'\n", "K", kAbsent);
    addParseRow("non-ASCII key", "CL\xC3\x89=1\n", "CL\xC3\x89", "1");
    addParseRow("equals inside an unquoted value", "A=b=c\n", "A", "b=c");
    addParseRow("tab inside an unquoted value", "A=a\tb\n", "A", "a\tb");
    addParseRow("no-break spaces around equals",
                "A\xC2\xA0=\xC2\xA0"
                "1\n",
                "A", "1");
    addParseRow("single quotes keep a backslash before a double quote", "A='a\\\"b'\n", "A", "a\\\"b");
    addParseRow("empty default", "B=${ENVFILE_TEST_UNSET:-}\n", "B", "");
    addParseRow("a key expands its own earlier value", "A=1\nA=${A}2\n", "A", "12");
    addParseRow("unclosed reference is literal", "A=${B\n", "A", "${B");
}

void TestEnvFile::parse()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, key);
    QFETCH(bool, present);
    QFETCH(QString, expectedValue);
    QFETCH(QList<int>, expectedProblemLines);

    const EnvFile file = EnvFile::parse(content, QStringLiteral("memory.env"));

    QVERIFY(file.isLoaded());
    QCOMPARE(file.path(), QStringLiteral("memory.env"));
    QCOMPARE(file.contains(key), present);
    QCOMPARE(file.keys().contains(key), present);
    if (present)
        QCOMPARE(file.value(key, QStringLiteral("<fallback>")), expectedValue);
    else
        QCOMPARE(file.value(key, QStringLiteral("<fallback>")), QStringLiteral("<fallback>"));
    QCOMPARE(problemLines(file), expectedProblemLines);
    for (const EnvFileProblem& problem : file.problems())
        QVERIFY2(!problem.message.isEmpty(), "every problem explains itself");
}

void TestEnvFile::keysKeepFirstDefinitionOrder()
{
    const EnvFile file = EnvFile::parse("B=1\nA=2\nNO_VALUE\nC=3\nB=4\n");

    QCOMPARE(file.keys(), QStringList({ QStringLiteral("B"), QStringLiteral("A"), QStringLiteral("C") }));
    QCOMPARE(file.value(QStringLiteral("B")), QStringLiteral("4"));
    QVERIFY(file.problems().isEmpty());
}

void TestEnvFile::problemMessagesNeverContainTheValue_data()
{
    QTest::addColumn<QByteArray>("content");

    QTest::newRow("space in key") << QByteArray("hunter2 hunter2\n");
    QTest::newRow("unterminated quote") << QByteArray("PASSWORD=\"hunter2\n");
    QTest::newRow("text after closing quote") << QByteArray("PASSWORD='hunter2' hunter2\n");
    QTest::newRow("invalid UTF-8") << QByteArray("PASSWORD=hunter2\xFF\n");
    QTest::newRow("NUL character") << bytes("PASSWORD=hunter2\0\n");
}

void TestEnvFile::problemMessagesNeverContainTheValue()
{
    QFETCH(QByteArray, content);

    const EnvFile file = EnvFile::parse(content);

    QCOMPARE(file.problems().size(), 1);
    QVERIFY(!file.problems().constFirst().message.contains(QStringLiteral("hunter2")));
}

void TestEnvFile::load_data()
{
    QTest::addColumn<QString>("fileKind");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("expectLoaded");
    QTest::addColumn<QString>("expectedErrorFragment");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expectedValue");

    const QByteArray oneMiBLine = "A=" + QByteArray(EnvFile::MaxFileSize - 2, 'x');
    QTest::newRow("regular file") << "file" << QByteArray("A=1\n") << true << ""
                                  << "A"
                                  << "1";
    QTest::newRow("missing file") << "missing" << QByteArray() << false << "not found"
                                  << "A"
                                  << "";
    QTest::newRow("directory") << "directory" << QByteArray() << false << "directory"
                               << "A"
                               << "";
    // Reading a FIFO would wait for a writer forever.
    QTest::newRow("named pipe") << "fifo" << QByteArray() << false << "not a regular file"
                                << "A"
                                << "";
    QTest::newRow("NUL in a comment") << "file" << bytes("# \0\0\0\nA=1\n") << true << ""
                                      << "A"
                                      << "1";
    QTest::newRow("1 MiB single line") << "file" << oneMiBLine << true << ""
                                       << "A" << QString(EnvFile::MaxFileSize - 2, u'x');
    QTest::newRow("one byte over 1 MiB") << "file" << oneMiBLine + 'x' << false << "1 MiB"
                                         << "A"
                                         << "";
}

void TestEnvFile::load()
{
    QFETCH(QString, fileKind);
    QFETCH(QByteArray, content);
    QFETCH(bool, expectLoaded);
    QFETCH(QString, expectedErrorFragment);
    QFETCH(QString, key);
    QFETCH(QString, expectedValue);

    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral(".env"));
    if (fileKind == QLatin1String("file")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    } else if (fileKind == QLatin1String("directory")) {
        QVERIFY(QDir(directory.path()).mkdir(QStringLiteral(".env")));
    } else if (fileKind == QLatin1String("fifo")) {
        QVERIFY(mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
    }

    const EnvFile envFile = EnvFile::load(path);

    QCOMPARE(envFile.isLoaded(), expectLoaded);
    QCOMPARE(envFile.path(), path);
    if (expectLoaded) {
        QVERIFY(envFile.errorString().isEmpty());
        QCOMPARE(envFile.value(key), expectedValue);
        QVERIFY(envFile.problems().isEmpty());
    } else {
        QVERIFY2(envFile.errorString().contains(expectedErrorFragment), qPrintable(envFile.errorString()));
        QVERIFY(envFile.keys().isEmpty());
    }
}

void TestEnvFile::loadUnreadableFile()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral(".env"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("A=1\n");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::Permissions()));
    // Root reads any file, so as root the load runs with the effective user "nobody"; the real
    // user stays root, which lets the test switch back.
    const bool switchedUser = geteuid() == 0;
    if (switchedUser)
        QVERIFY(seteuid(65534) == 0);
    const EnvFile envFile = EnvFile::load(path);
    if (switchedUser)
        QVERIFY(seteuid(0) == 0);

    QVERIFY(!envFile.isLoaded());
    QVERIFY2(envFile.errorString().contains(QStringLiteral("cannot be read")), qPrintable(envFile.errorString()));
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
}

void TestEnvFile::hostileInputStaysLinear_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("key");
    QTest::addColumn<qsizetype>("expectedValueSize"); // -1: the key must be absent
    QTest::addColumn<bool>("expectProblems");

    const qsizetype oneMegabyte = 1000 * 1000;
    QTest::newRow("1 MB unquoted line") << "A=" + QByteArray(oneMegabyte, 'x') << "A" << oneMegabyte << false;
    QTest::newRow("1 MB unterminated double quote")
        << "A=\"" + QByteArray(oneMegabyte, 'x') << "A" << qsizetype(-1) << true;
    QTest::newRow("1 MB of backslash-quotes")
        << "A=\"" + QByteArray("\\\"").repeated(oneMegabyte / 2) << "A" << oneMegabyte / 2 << false;
    QTest::newRow("1 MB of unclosed references")
        << "A=" + QByteArray("${").repeated(oneMegabyte / 2) << "A" << oneMegabyte << false;
    QTest::newRow("1 MB of unclosed defaults")
        << "A=" + QByteArray("${a:-").repeated(oneMegabyte / 5) << "A" << oneMegabyte << false;
    QTest::newRow("100k unterminated quotes") << QByteArray("A=\"x\n").repeated(100000) + "B=ok"
                                              << "B" << qsizetype(2) << true;
    QTest::newRow("100k unterminated quoted keys") << QByteArray("'k\n").repeated(100000) + "B=ok"
                                                   << "B" << qsizetype(2) << true;
    QTest::newRow("NUL bytes everywhere") << QByteArray(oneMegabyte, '\0') + "\nB=ok"
                                          << "B" << qsizetype(2) << true;

    QByteArray randomBytes(256 * 1024, '\0');
    QRandomGenerator generator(20240601);
    for (char& byte : randomBytes)
        byte = char(generator.bounded(256));
    QTest::newRow("random binary") << randomBytes + "\nB=ok"
                                   << "B" << qsizetype(2) << true;

    // Each level doubles the previous one: without a size limit the last key would need terabytes. The first level
    // over the limit is dropped, so the levels above it expand an unset name to an empty string.
    QByteArray expansionBomb = "A0=" + QByteArray(1024, 'x') + '\n';
    for (int level = 1; level <= 40; ++level)
        expansionBomb += QStringLiteral("A%1=${A%2}${A%2}\n").arg(level).arg(level - 1).toUtf8();
    QTest::newRow("expansion bomb") << expansionBomb << "A40" << qsizetype(0) << true;
}

void TestEnvFile::hostileInputStaysLinear()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, key);
    QFETCH(qsizetype, expectedValueSize);
    QFETCH(bool, expectProblems);

    QElapsedTimer timer;
    timer.start();
    const EnvFile file = EnvFile::parse(content);
    const qint64 elapsedMs = timer.elapsed();

    // Generous for slow CI machines; a quadratic scan of these inputs would take hours.
    QVERIFY2(elapsedMs < 10000, qPrintable(QStringLiteral("took %1 ms").arg(elapsedMs)));
    QCOMPARE(file.contains(key), expectedValueSize >= 0);
    if (expectedValueSize >= 0)
        QCOMPARE(file.value(key).size(), expectedValueSize);
    QCOMPARE(!file.problems().isEmpty(), expectProblems);
    const int lineCount = int(content.count('\n') + content.count('\r') + 1);
    for (const EnvFileProblem& problem : file.problems())
        QVERIFY(problem.line >= 1 && problem.line <= lineCount);
    for (const QString& presentKey : file.keys())
        QVERIFY(file.contains(presentKey));
}

QTEST_GUILESS_MAIN(TestEnvFile)
#include "tst_envfile.moc"
