#include "ModalDriver.h"
#include "TestServer.h"
#include "config/PasswordStore.h"
#include "gui/ConnectionDialog.h"
#include "gui/FileDialog.h"
#include "gui/StartupFlow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <functional>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

// The connection dialog and start-up flow as a user meets them: the "Remember password" box
// (with a keychain in memory, and with this machine's absent one), and verify-ca/verify-full
// with a root certificate entered in the dialog. ctest gives the suite its own HOME and XDG
// folders and no D-Bus session, so "never on disk" can be checked file by file.
class TestConnectionSecurity : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_dir;

    // A .env with everything but the password, so it must come from somewhere else.
    ConnectionSettings::Resolution resolutionWithoutPassword(const QString& password = {})
    {
        const QString path = m_server.writeEnvFile(m_dir.path(), u"postgres"_s);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            file.write(
                u"PG_HOST=%1\nPG_PORT=%2\nPG_USER=%3\nPG_DATABASE=postgres\nPG_SSLMODE=require\n"_s.arg(m_server.host())
                    .arg(m_server.port())
                    .arg(m_server.user())
                    .toUtf8());
            if (!password.isEmpty())
                file.write("PG_PASSWORD=" + password.toUtf8() + '\n');
        }
        file.close();
        ConnectionSettings::Lookup lookup;
        lookup.explicitEnvFile = path;
        return ConnectionSettings::resolve(lookup);
    }

    template <typename T> static T* child(QWidget* dialog, const QString& name)
    {
        T* found = dialog->findChild<T*>(name);
        if (!found)
            qFatal("no child named %s", qPrintable(name));
        return found;
    }

    QString runTest(ConnectionDialog& dialog)
    {
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        child<QPushButton>(&dialog, u"testButton"_s)->click();
        [&] { QVERIFY(finished.wait(20000)); }();
        return child<QLabel>(&dialog, u"messageLabel"_s)->text();
    }

    // Runs `fill` on the connection dialog once StartupFlow shows it, then presses Connect.
    static void whenTheDialogShows(const std::function<void(QWidget*)>& fill)
    {
        whenModalShows(u"connectionDialog"_s, [fill](QWidget* dialog) {
            fill(dialog);
            child<QPushButton>(dialog, u"connectButton"_s)->click();
        });
    }

    void verifyPasswordNotOnDisk(const QString& password)
    {
        for (const char* variable : { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" }) {
            const QString root = qEnvironmentVariable(variable);
            QVERIFY2(root.contains(u"reliability"_s) || root.contains(u"xdg-config"_s), variable);
            QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile file(files.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(!file.readAll().contains(password.toUtf8()), qPrintable(file.fileName()));
            }
        }
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { PasswordStore::useInMemoryKeychainForTesting(false); }

    void rememberIsOffUnlessTicked()
    {
        ConnectionDialog dialog(resolutionWithoutPassword(m_server.password()));
        auto* remember = child<QCheckBox>(&dialog, u"rememberPasswordCheckBox"_s);
        QVERIFY(!remember->isChecked());
        QVERIFY(!dialog.rememberPassword());
        QVERIFY(remember->toolTip().contains(u"never writes it to a file"_s));
        QVERIFY(!child<QLabel>(&dialog, u"keychainStatusLabel"_s)->isVisibleTo(&dialog));
    }

    void keychainPasswordFillsTheDialogWhenTheEnvHasNone()
    {
        PasswordStore::useInMemoryKeychainForTesting(true);
        PasswordStore store;
        const auto resolution = resolutionWithoutPassword();
        QVERIFY(store.writeAndWait(resolution.settings, m_server.password()).ok);

        ConnectionDialog dialog(resolution);
        dialog.setPasswordStore(&store);
        auto* password = child<QLineEdit>(&dialog, u"passwordLineEdit"_s);
        QTRY_COMPARE(password->text(), m_server.password());
        QVERIFY(child<QCheckBox>(&dialog, u"rememberPasswordCheckBox"_s)->isChecked());
        QVERIFY(dialog.foundRememberedPassword());
        QCOMPARE(child<QLabel>(&dialog, u"passwordSourceLabel"_s)->text(), u"from the system keychain"_s);
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"Connected"_s), qPrintable(text));
    }

    void aPasswordFromTheEnvFileWins()
    {
        PasswordStore::useInMemoryKeychainForTesting(true);
        PasswordStore store;
        const auto resolution = resolutionWithoutPassword(u"from-the-env"_s);
        QVERIFY(store.writeAndWait(resolution.settings, u"from-the-keychain"_s).ok);
        ConnectionDialog dialog(resolution);
        dialog.setPasswordStore(&store);
        QTest::qWait(100);
        QCOMPARE(child<QLineEdit>(&dialog, u"passwordLineEdit"_s)->text(), u"from-the-env"_s);
        QVERIFY(!dialog.foundRememberedPassword());
        QVERIFY(!dialog.rememberPassword());
    }

    void withoutAKeychainTickingTheBoxSaysSo()
    {
        // This machine's real keychain: absent. The dialog stays responsive and says why.
        PasswordStore store;
        QElapsedTimer timer;
        timer.start();
        ConnectionDialog dialog(resolutionWithoutPassword());
        QSignalSpy answered(&store, &PasswordStore::finished);
        dialog.setPasswordStore(&store);
        QVERIFY(answered.wait(5000));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
        auto* status = child<QLabel>(&dialog, u"keychainStatusLabel"_s);
        QVERIFY(!status->isVisibleTo(&dialog)); // nothing to say while the box is unticked
        child<QCheckBox>(&dialog, u"rememberPasswordCheckBox"_s)->setChecked(true);
        QVERIFY(status->isVisibleTo(&dialog));
        QVERIFY2(status->text().contains(u"keychain"_s), qPrintable(status->text()));
        QVERIFY2(status->text().contains(u"will not be remembered"_s), qPrintable(status->text()));
        // Said plainly: the keychain is missing, not failing to read, and no "Unknown error".
        QVERIFY2(status->text().contains(u"No system keychain is available"_s), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(u"could not be read"_s), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(u"Unknown error"_s), qPrintable(status->text()));
        QCOMPARE(child<QLineEdit>(&dialog, u"passwordLineEdit"_s)->text(), QString());
    }

    void startupFlowRemembersOnlyWhenTicked()
    {
        PasswordStore::useInMemoryKeychainForTesting(true);
        PasswordStore store;
        const auto resolution = resolutionWithoutPassword();

        // Unticked: connects, remembers nothing.
        {
            StartupFlow flow(resolution);
            whenTheDialogShows([this](QWidget* dialog) {
                child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
            });
            QVERIFY(flow.connect(nullptr, true));
            QVERIFY(!store.readAndWait(resolution.settings).found);
        }
        // Ticked: remembered under user@host:port/database.
        {
            StartupFlow flow(resolution);
            whenTheDialogShows([this](QWidget* dialog) {
                child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
                child<QCheckBox>(dialog, u"rememberPasswordCheckBox"_s)->setChecked(true);
            });
            QVERIFY(flow.connect(nullptr, true));
            QVERIFY(flow.keychainMessage().isEmpty());
            const auto stored = store.readAndWait(resolution.settings);
            QVERIFY(stored.found);
            QCOMPARE(stored.password, m_server.password());
        }
        // Next start: the .env has no password, the keychain's is used without asking.
        {
            StartupFlow flow(resolution);
            auto session = flow.connect(nullptr);
            QVERIFY(session);
            QVERIFY(session->isOpen());
        }
        // Unticking the box (the dialog prefilled from the keychain) forgets it.
        {
            StartupFlow flow(resolution);
            whenTheDialogShows([](QWidget* dialog) {
                auto* remember = child<QCheckBox>(dialog, u"rememberPasswordCheckBox"_s);
                QTRY_VERIFY(remember->isChecked());
                remember->setChecked(false);
            });
            QVERIFY(flow.connect(nullptr, true));
            QVERIFY(!store.readAndWait(resolution.settings).found);
        }
        verifyPasswordNotOnDisk(m_server.password());
    }

    void rememberingWithoutAKeychainFailsWithASentence()
    {
        const auto resolution = resolutionWithoutPassword();
        StartupFlow flow(resolution);
        whenTheDialogShows([this](QWidget* dialog) {
            child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
            child<QCheckBox>(dialog, u"rememberPasswordCheckBox"_s)->setChecked(true);
        });
        QElapsedTimer timer;
        timer.start();
        QVERIFY(flow.connect(nullptr, true)); // connecting still works
        QVERIFY(timer.elapsed() < 8000);
        QVERIFY2(flow.keychainMessage().contains(u"not remembered"_s), qPrintable(flow.keychainMessage()));
        QVERIFY(!flow.keychainMessage().contains(m_server.password()));
        verifyPasswordNotOnDisk(m_server.password());
    }

    void verifyFullWithTheRootCertificateEnteredInTheDialog_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("host");
        QTest::newRow("verify-full by name") << u"verify-full"_s << u"localhost"_s;
        QTest::newRow("verify-full by address") << u"verify-full"_s << u"127.0.0.1"_s;
        QTest::newRow("verify-ca") << u"verify-ca"_s << u"127.0.0.1"_s;
    }
    void verifyFullWithTheRootCertificateEnteredInTheDialog()
    {
        QFETCH(QString, mode);
        QFETCH(QString, host);
        ConnectionDialog dialog(resolutionWithoutPassword(m_server.password()));
        child<QLineEdit>(&dialog, u"hostLineEdit"_s)->setText(host);
        child<QComboBox>(&dialog, u"sslModeComboBox"_s)->setCurrentText(mode);
        QVERIFY(child<QLabel>(&dialog, u"sslModeHintLabel"_s)->text().contains(u"root certificate"_s));
        // Chosen with the Browse button, as a user does.
        FileDialog::answerNext(m_server.sslRootCert());
        child<QToolButton>(&dialog, u"sslRootCertBrowseButton"_s)->click();
        QCOMPARE(FileDialog::askedCaptions(), QStringList{ u"Root certificate"_s });
        FileDialog::clearTestState();
        QCOMPARE(child<QLineEdit>(&dialog, u"sslRootCertLineEdit"_s)->text(), m_server.sslRootCert());
        QCOMPARE(dialog.settings().sslRootCert(), m_server.sslRootCert());
        QCOMPARE(dialog.settings().sslMode(), mode);
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"Connected"_s) && text.contains(u"SSL in use"_s), qPrintable(text));
    }

    void verifyFullRefusesAServerSignedBySomeoneElse()
    {
        // A root certificate that did not sign the server's: the connection must be refused.
        const QString otherRoot = m_dir.filePath(u"other-root.crt"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
                      { u"req"_s, u"-x509"_s, u"-nodes"_s, u"-newkey"_s, u"rsa:2048"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                        u"/CN=localhost"_s, u"-keyout"_s, m_dir.filePath(u"other-root.key"_s), u"-out"_s, otherRoot });
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);

        ConnectionDialog dialog(resolutionWithoutPassword(m_server.password()));
        child<QLineEdit>(&dialog, u"hostLineEdit"_s)->setText(u"localhost"_s);
        child<QComboBox>(&dialog, u"sslModeComboBox"_s)->setCurrentText(u"verify-full"_s);
        child<QLineEdit>(&dialog, u"sslRootCertLineEdit"_s)->setText(otherRoot);
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"certificate could not be verified"_s), qPrintable(text));
        QVERIFY(!text.contains(m_server.password()));

        // And with no root certificate at all, libpq's default file is missing: also refused.
        child<QLineEdit>(&dialog, u"sslRootCertLineEdit"_s)->clear();
        const QString missing = runTest(dialog);
        QVERIFY2(missing.contains(u"certificate"_s), qPrintable(missing));
        QVERIFY(!missing.contains(u"Connected"_s));
    }
};

QTEST_MAIN(TestConnectionSecurity)
#include "tst_connectionsecurity.moc"
