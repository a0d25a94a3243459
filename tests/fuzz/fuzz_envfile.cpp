// libFuzzer entry point for EnvFile::parse(), the .env parser every pgdesk start runs on a file
// the user (or anyone who can write to the working directory) controls. Besides crashes and
// sanitizer reports it checks the parser's promises, aborting when one is broken:
// - every problem has a message and a line number inside the input;
// - keys() lists each key once, and each listed key is contained with a value;
// - ${...} expansion stays within the budget EnvFile::parse sets, whatever the input.
// Run it with script/fuzz; the seeds are in tests/fuzz/corpus.
#include "config/EnvFile.h"

#include <QByteArray>
#include <QSet>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
[[noreturn]] void broken(const char* promise)
{
    std::fprintf(stderr, "EnvFile broke a promise: %s\n", promise);
    std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray content(reinterpret_cast<const char*>(data), qsizetype(size));
    const EnvFile file = EnvFile::parse(content, QStringLiteral("fuzz.env"));
    if (!file.isLoaded())
        broken("parse() always loads");

    // CRLF counts as one line break, lone CR and LF as one each: this bound is never too small.
    const qsizetype lineCount = content.count('\n') + content.count('\r') + 1;
    for (const EnvFileProblem& problem : file.problems()) {
        if (problem.message.isEmpty())
            broken("a problem explains itself");
        if (problem.line < 1 || problem.line > lineCount)
            broken("a problem's line is inside the file");
    }

    const QStringList keys = file.keys();
    QSet<QString> seen;
    qsizetype totalValueSize = 0;
    for (const QString& key : keys) {
        if (seen.contains(key))
            broken("keys() lists a key once");
        seen.insert(key);
        if (!file.contains(key))
            broken("a listed key is contained");
        totalValueSize += file.value(key).size();
    }
    // EnvFile's expansion budget: 16 MiB of characters, or 4x the input when that is larger.
    const qsizetype budget = std::max<qsizetype>(16 * EnvFile::MaxFileSize, 4 * qsizetype(size)) + qsizetype(size);
    if (totalValueSize > budget)
        broken("expansion stays within its budget");
    return 0;
}
