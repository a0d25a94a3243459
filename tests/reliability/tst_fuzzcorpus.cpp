#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdint>

// The libFuzzer entry point, linked in from tests/fuzz/fuzz_envfile.cpp: it aborts when the
// parser breaks one of its promises.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// Replays every input in tests/fuzz/corpus through the fuzzer's checks with the regular
// compiler, so the seeds (and any crash input added there after a fix) are tested on every run,
// not only by script/fuzz with clang.
class TestFuzzCorpus : public QObject
{
    Q_OBJECT

private slots:
    void replay_data()
    {
        QTest::addColumn<QString>("path");
        const QDir corpus(QStringLiteral(PGDESK_FUZZ_CORPUS));
        const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 30, "the corpus holds a few dozen seeds");
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << corpus.filePath(file);
    }

    void replay()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(content.constData()),
                                        std::size_t(content.size())),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
