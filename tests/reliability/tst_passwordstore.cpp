#include "config/PasswordStore.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

// The system keychain as this machine has it: headless, no D-Bus session, no Secret Service
// (ctest clears DBUS_SESSION_BUS_ADDRESS and points HOME and XDG_* into the build tree).
// Every request must fail quickly with a sentence, and no password may reach the disk.
class TestPasswordStore : public QObject
{
    Q_OBJECT

private:
    const QString m_password = u"kc-Secret-4711-never-on-disk"_s;

    static ConnectionSettings settings()
    {
        ConnectionSettings settings;
        settings.set(Field::Host, u"db.example.invalid"_s);
        settings.set(Field::Port, u"5433"_s);
        settings.set(Field::User, u"alice"_s);
        settings.set(Field::Database, u"shop"_s);
        return settings;
    }

    // Every file under the folders a program may write settings or caches to.
    void verifyNotOnDisk()
    {
        const QStringList roots{ qEnvironmentVariable("HOME"), qEnvironmentVariable("XDG_CONFIG_HOME"),
                                 qEnvironmentVariable("XDG_DATA_HOME"), qEnvironmentVariable("XDG_CACHE_HOME") };
        for (const QString& root : roots) {
            QVERIFY2(!root.isEmpty() && root.contains(u"reliability"_s),
                     "ctest must point HOME and XDG_* into the build tree");
            QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile file(files.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(!file.readAll().contains(m_password.toUtf8()), qPrintable(file.fileName()));
            }
        }
    }

private slots:
    void initTestCase() { PasswordStore::useInMemoryKeychainForTesting(false); }

    void keyNamesTheServerNotThePassword()
    {
        ConnectionSettings withPassword = settings();
        withPassword.set(Field::Password, m_password);
        QCOMPARE(PasswordStore::keyFor(withPassword), u"alice@db.example.invalid:5433/shop"_s);
        QCOMPARE(PasswordStore::keyFor(ConnectionSettings()), u"(login name)@local socket:5432/(login name)"_s);
    }

    void withoutAKeychainEveryRequestFailsFastAndClearly()
    {
        PasswordStore store;
        store.setServiceName(u"pgdesk-test"_s);
        QElapsedTimer timer;
        timer.start();
        const PasswordStore::Result written = store.writeAndWait(settings(), m_password, 10000);
        const PasswordStore::Result read = store.readAndWait(settings(), 10000);
        const PasswordStore::Result removed = store.removeAndWait(settings(), 10000);
        // Well under the 10 s allowed: the keychain's absence is noticed, not waited out.
        QVERIFY2(timer.elapsed() < 3000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));

        QVERIFY(!written.ok);
        QVERIFY2(written.error.contains(u"not remembered"_s), qPrintable(written.error));
        QVERIFY2(written.error.contains(u"keychain"_s), qPrintable(written.error));
        QVERIFY(!read.ok);
        QVERIFY(!read.found);
        QVERIFY2(read.error.contains(u"keychain"_s), qPrintable(read.error));
        QVERIFY(!removed.ok);
        // No D-Bus session here: qtkeychain answers "Unknown error", which means no keychain at all.
        QVERIFY(read.noKeychain && written.noKeychain && removed.noKeychain);
        QVERIFY2(read.error.startsWith(u"No system keychain is available"_s), qPrintable(read.error));
        for (const PasswordStore::Result& result : { written, read, removed }) {
            QVERIFY(!result.error.contains(m_password));
            QVERIFY2(!result.error.contains(u"Unknown error"_s), qPrintable(result.error));
            QCOMPARE(result.key, u"alice@db.example.invalid:5433/shop"_s);
        }
        verifyNotOnDisk();
    }

    void asynchronousRequestsAnswerOnce()
    {
        PasswordStore store;
        store.setServiceName(u"pgdesk-test"_s);
        QSignalSpy finished(&store, &PasswordStore::finished);
        store.read(settings());
        QVERIFY(finished.wait(5000));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);
        const auto result = finished.at(0).at(0).value<PasswordStore::Result>();
        QCOMPARE(result.operation, PasswordStore::Operation::Read);
        QVERIFY(!result.ok);
    }

    void inMemoryKeychainRoundTrip()
    {
        PasswordStore::useInMemoryKeychainForTesting(true);
        PasswordStore store;
        QVERIFY(store.writeAndWait(settings(), m_password).ok);
        const PasswordStore::Result read = store.readAndWait(settings());
        QVERIFY(read.ok && read.found);
        QCOMPARE(read.password, m_password);
        QVERIFY(store.removeAndWait(settings()).ok);
        const PasswordStore::Result gone = store.readAndWait(settings());
        QVERIFY(gone.ok);
        QVERIFY(!gone.found);
        PasswordStore::useInMemoryKeychainForTesting(false);
        verifyNotOnDisk();
    }
};

QTEST_GUILESS_MAIN(TestPasswordStore)
#include "tst_passwordstore.moc"
