// Connections are remembered (issue 15): a connection that worked is offered again and reopened
// on a start without a .env, its password never reaches the settings file, "Save as .env…"
// writes a 0600 file that reads back exactly, and a machine without a keychain says so.
// Runs with a private XDG_CONFIG_HOME and HOME and no D-Bus session (tests/CMakeLists.txt).
#include "ModalDriver.h"
#include "TestServer.h"
#include "config/EnvFile.h"
#include "config/PasswordStore.h"
#include "config/RecentConnections.h"
#include "gui/ConnectionDialog.h"
#include "gui/FileDialog.h"
#include "gui/MessageBox.h"
#include "gui/StartupFlow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

namespace {
template <typename T> T* child(QObject* parent, const QString& name)
{
    T* found = parent->findChild<T*>(name);
    if (!found)
        qFatal("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return found;
}

int modeOf(const QString& path)
{
    struct stat status
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return int(status.st_mode & 07777);
}
} // namespace

class TestRememberedConnections : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    const QString m_database = u"pgdesk_recent"_s;

    static QString settingsFile()
    {
        return QDir(qEnvironmentVariable("XDG_CONFIG_HOME")).filePath(u"pgdesk/pgdesk.conf"_s);
    }

    static QByteArray settingsBytes()
    {
        QFile file(settingsFile());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    // A start with no .env anywhere and no PG* variables.
    ConnectionSettings::Resolution noEnvFile() const
    {
        ConnectionSettings::Lookup lookup;
        lookup.workingDirectory = m_dir.filePath(u"cwd"_s);
        lookup.configDirectory = m_dir.filePath(u"config"_s);
        return ConnectionSettings::resolve(lookup);
    }

    // The server's values typed into the dialog, with verify-ca and the fixture's root certificate.
    void typeServer(QWidget* dialog, bool withPassword = true)
    {
        child<QLineEdit>(dialog, u"hostLineEdit"_s)->setText(m_server.host());
        child<QLineEdit>(dialog, u"portLineEdit"_s)->setText(QString::number(m_server.port()));
        child<QLineEdit>(dialog, u"userLineEdit"_s)->setText(m_server.user());
        if (withPassword)
            child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
        child<QLineEdit>(dialog, u"databaseLineEdit"_s)->setText(m_database);
        child<QComboBox>(dialog, u"sslModeComboBox"_s)->setCurrentText(u"verify-ca"_s);
        child<QLineEdit>(dialog, u"sslRootCertLineEdit"_s)->setText(m_server.sslRootCert());
        child<QLineEdit>(dialog, u"tableLineEdit"_s)->setText(u"remembered_table"_s);
    }

    void verifyPasswordNotUnderHome()
    {
        for (const char* variable : { "HOME", "XDG_CONFIG_HOME" }) {
            const QString root = qEnvironmentVariable(variable);
            QVERIFY2(root.contains(u"tst_rememberedconnections"_s), variable);
            QDirIterator files(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile file(files.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY2(!file.readAll().contains(m_server.password().toUtf8()), qPrintable(file.fileName()));
            }
        }
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(u"pgdesk"_s);
        QCoreApplication::setApplicationName(u"pgdesk"_s);
        QFile::remove(settingsFile());
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    void cleanup() { PasswordStore::useInMemoryKeychainForTesting(false); }

    void firstStartRemembersSecondStartOffersIt()
    {
        // First start: nothing remembered, so the dialog asks.
        {
            StartupFlow flow(noEnvFile());
            QVERIFY(!flow.reopenLastConnection());
            whenModalShows(u"connectionDialog"_s, [this](QWidget* dialog) {
                QCOMPARE(child<QComboBox>(dialog, u"recentConnectionsCombo"_s)->count(), 0);
                typeServer(dialog);
                child<QPushButton>(dialog, u"connectButton"_s)->click();
            });
            auto session = flow.connect(nullptr);
            QVERIFY(session);
            QCOMPARE(m_server.psql(m_database, u"SELECT to_regclass('remembered_table') IS NOT NULL"_s), u"t"_s);
        }
        const QByteArray bytes = settingsBytes();
        QVERIFY2(bytes.contains(m_server.sslRootCert().toUtf8()), bytes.constData());
        QVERIFY(bytes.contains("remembered_table"));
        QVERIFY(bytes.contains("verify-ca"));
        QVERIFY(!bytes.contains(m_server.password().toUtf8()));
        verifyPasswordNotUnderHome();

        // Second start, no keychain to give the password: the dialog opens on the last
        // connection, says where the values came from, and only the password is asked for.
        {
            StartupFlow flow(noEnvFile());
            QVERIFY(flow.reopenLastConnection());
            QCOMPARE(flow.resolution().settings.host(), m_server.host());
            QString hostSource;
            QString table;
            QString rootCert;
            whenModalShows(u"connectionDialog"_s, [&](QWidget* dialog) {
                hostSource = child<QLabel>(dialog, u"hostSourceLabel"_s)->text();
                table = child<QLineEdit>(dialog, u"tableLineEdit"_s)->text();
                rootCert = child<QLineEdit>(dialog, u"sslRootCertLineEdit"_s)->text();
                QCOMPARE(child<QComboBox>(dialog, u"recentConnectionsCombo"_s)->count(), 1);
                child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
                child<QPushButton>(dialog, u"connectButton"_s)->click();
            });
            auto session = flow.connect(nullptr);
            QVERIFY(session);
            QCOMPARE(hostSource, u"from the last connection"_s);
            QCOMPARE(table, u"remembered_table"_s);
            QCOMPARE(rootCert, m_server.sslRootCert());
            QCOMPARE(session->settings().sslMode(), u"verify-ca"_s);
        }
        QVERIFY(!settingsBytes().contains(m_server.password().toUtf8()));
        QCOMPARE(RecentConnections().entries().size(), 1); // the same connection, once
    }

    void withARememberedPasswordTheLastConnectionReopensDirectly()
    {
        PasswordStore::useInMemoryKeychainForTesting(true);
        {
            StartupFlow flow(noEnvFile());
            QVERIFY(flow.reopenLastConnection());
            whenModalShows(u"connectionDialog"_s, [this](QWidget* dialog) {
                child<QLineEdit>(dialog, u"passwordLineEdit"_s)->setText(m_server.password());
                child<QCheckBox>(dialog, u"rememberPasswordCheckBox"_s)->setChecked(true);
                child<QPushButton>(dialog, u"connectButton"_s)->click();
            });
            QVERIFY(flow.connect(nullptr));
        }
        StartupFlow flow(noEnvFile());
        QVERIFY(flow.reopenLastConnection());
        // No dialog may appear: close one instead of hanging, so connect() returns nullptr.
        QTimer::singleShot(10000, [] {
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        });
        auto session = flow.connect(nullptr);
        QVERIFY(session);
        QCOMPARE(session->settings().table(), u"remembered_table"_s);
        QVERIFY(!settingsBytes().contains(m_server.password().toUtf8()));
        verifyPasswordNotUnderHome();
    }

    void anEnvFileWinsOverTheLastConnection()
    {
        const QString envPath = m_server.writeEnvFile(m_dir.path(), m_database);
        StartupFlow flow(ConnectionSettings::resolve(ConnectionSettings::Lookup::fromSystem(envPath)));
        QVERIFY(!flow.reopenLastConnection());
        QCOMPARE(flow.resolution().settings.table(), u"my_table"_s);
        QCOMPARE(flow.resolution().envFilePath, QFileInfo(envPath).absoluteFilePath());
    }

    void theDialogOffersAndForgetsRecentConnections()
    {
        ConnectionSettings other = m_server.settings(m_database);
        other.set(Field::Host, u"other.example.invalid"_s);
        RecentConnections().record(other);

        ConnectionDialog dialog(noEnvFile());
        auto* combo = child<QComboBox>(&dialog, u"recentConnectionsCombo"_s);
        QVERIFY(!combo->toolTip().isEmpty());
        QVERIFY(!child<QToolButton>(&dialog, u"forgetRecentButton"_s)->toolTip().isEmpty());
        QVERIFY(!child<QPushButton>(&dialog, u"saveEnvButton"_s)->toolTip().isEmpty());
        QCOMPARE(combo->count(), 2);
        QVERIFY(combo->itemText(0).contains(u"other.example.invalid"_s));
        QVERIFY(combo->itemText(1).contains(u"remembered_table"_s));
        QCOMPARE(combo->currentIndex(), -1);

        combo->setCurrentIndex(1);
        emit combo->activated(1);
        QCOMPARE(child<QLineEdit>(&dialog, u"hostLineEdit"_s)->text(), m_server.host());
        QCOMPARE(child<QLineEdit>(&dialog, u"tableLineEdit"_s)->text(), u"remembered_table"_s);
        QCOMPARE(child<QLineEdit>(&dialog, u"sslRootCertLineEdit"_s)->text(), m_server.sslRootCert());
        QCOMPARE(child<QComboBox>(&dialog, u"sslModeComboBox"_s)->currentText(), u"verify-ca"_s);
        QCOMPARE(child<QLabel>(&dialog, u"tableSourceLabel"_s)->text(), u"from the recent connection"_s);
        QCOMPARE(dialog.settings().table(), u"remembered_table"_s);
        QCOMPARE(dialog.settings().password(), QString());

        combo->setCurrentIndex(0);
        emit combo->activated(0);
        QCOMPARE(child<QLineEdit>(&dialog, u"hostLineEdit"_s)->text(), u"other.example.invalid"_s);
        child<QToolButton>(&dialog, u"forgetRecentButton"_s)->click();
        QCOMPARE(combo->count(), 1);
        const QList<ConnectionSettings> left = RecentConnections().entries();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().host(), m_server.host());
        QVERIFY(!settingsBytes().contains("other.example.invalid"));
    }

    void saveAsEnvWritesAPrivateFileThatReadsBackExactly()
    {
        const QString odd = u"p'a\"s#s w$o\\rd ü 🐘 $HOME #"_s;
        const QString path = m_dir.filePath(u"saved.env"_s);
        ConnectionDialog dialog(noEnvFile());
        typeServer(&dialog, false);
        child<QLineEdit>(&dialog, u"passwordLineEdit"_s)->setText(odd);
        child<QLineEdit>(&dialog, u"databaseLineEdit"_s)->setText(u"db \"x\" #1 'y' \\z"_s);
        QSignalSpy saved(&dialog, &ConnectionDialog::envFileSaved);

        FileDialog::answerNext(path);
        MessageBox::answerNext(QMessageBox::Yes); // write the password
        child<QPushButton>(&dialog, u"saveEnvButton"_s)->click();
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toString(), path);
        QVERIFY(MessageBox::shownTexts().last().contains(u"password"_s));
        QCOMPARE(modeOf(path), 0600);
        const EnvFile read = EnvFile::load(path);
        QVERIFY2(read.isLoaded(), qPrintable(read.errorString()));
        QVERIFY(read.problems().isEmpty());
        QCOMPARE(read.value(u"PG_PASSWORD"_s), odd);
        QCOMPARE(read.value(u"PG_DATABASE"_s), u"db \"x\" #1 'y' \\z"_s);
        QCOMPARE(read.value(u"PG_HOST"_s), m_server.host());
        QCOMPARE(read.value(u"PG_PORT"_s), QString::number(m_server.port()));
        QCOMPARE(read.value(u"PG_USER"_s), m_server.user());
        QCOMPARE(read.value(u"PG_SSLMODE"_s), u"verify-ca"_s);
        QCOMPARE(read.value(u"PG_SSLROOTCERT"_s), m_server.sslRootCert());
        QCOMPARE(read.value(u"PG_TABLE"_s), u"remembered_table"_s);
        QVERIFY(!read.contains(u"PG_SSLCERT"_s)); // defaults are left out
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray first = file.readAll();
        file.close();

        // An existing file: No to replacing leaves it as it was.
        FileDialog::answerNext(path);
        MessageBox::answerNext(QMessageBox::No);
        child<QPushButton>(&dialog, u"saveEnvButton"_s)->click();
        QVERIFY(MessageBox::shownTexts().last().contains(u"already exists"_s));
        QCOMPARE(saved.last().at(0).toString(), QString());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), first);
        file.close();

        // Replace it, without the password this time.
        FileDialog::answerNext(path);
        MessageBox::answerNext(QMessageBox::Yes);
        MessageBox::answerNext(QMessageBox::No);
        child<QPushButton>(&dialog, u"saveEnvButton"_s)->click();
        QCOMPARE(saved.last().at(0).toString(), path);
        QCOMPARE(modeOf(path), 0600);
        const EnvFile withoutPassword = EnvFile::load(path);
        QVERIFY(!withoutPassword.contains(u"PG_PASSWORD"_s));
        QCOMPARE(withoutPassword.value(u"PG_DATABASE"_s), u"db \"x\" #1 'y' \\z"_s);
        QVERIFY(child<QLabel>(&dialog, u"messageLabel"_s)->text().contains(u"without the password"_s));

        // Cancel at the password question writes nothing.
        const QString cancelled = m_dir.filePath(u"cancelled.env"_s);
        FileDialog::answerNext(cancelled);
        MessageBox::answerNext(QMessageBox::Cancel);
        child<QPushButton>(&dialog, u"saveEnvButton"_s)->click();
        QVERIFY(!QFile::exists(cancelled));
    }

    void aSavedEnvFileConnects()
    {
        const QString path = m_dir.filePath(u"working.env"_s);
        {
            ConnectionDialog dialog(noEnvFile());
            typeServer(&dialog);
            FileDialog::answerNext(path);
            MessageBox::answerNext(QMessageBox::Yes);
            child<QPushButton>(&dialog, u"saveEnvButton"_s)->click();
        }
        StartupFlow flow(ConnectionSettings::resolve(ConnectionSettings::Lookup::fromSystem(path)));
        QTimer::singleShot(10000, [] {
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        });
        auto session = flow.connect(nullptr);
        QVERIFY(session);
        QCOMPARE(session->settings().table(), u"remembered_table"_s);
        QCOMPARE(session->settings().source(Field::Password), ConnectionSettings::Source::EnvFile);
    }

    void tickingRememberWithoutAKeychainSaysThereIsNone()
    {
        // The real keychain of this test: no D-Bus session, so none.
        PasswordStore store;
        store.setServiceName(u"pgdesk-test"_s);
        ConnectionDialog dialog(noEnvFile());
        typeServer(&dialog); // a password is there, so the keychain is not asked on opening
        dialog.setPasswordStore(&store);
        auto* status = child<QLabel>(&dialog, u"keychainStatusLabel"_s);
        QVERIFY(!status->isVisibleTo(&dialog));
        QSignalSpy answered(&store, &PasswordStore::finished);
        child<QCheckBox>(&dialog, u"rememberPasswordCheckBox"_s)->setChecked(true);
        QVERIFY(answered.wait(5000));
        QVERIFY(status->isVisibleTo(&dialog));
        QVERIFY2(status->text().startsWith(u"No system keychain is available"_s), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(u"could not be read"_s), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(u"Unknown error"_s), qPrintable(status->text()));
        QCOMPARE(child<QLineEdit>(&dialog, u"passwordLineEdit"_s)->text(), m_server.password());
    }
};

QTEST_MAIN(TestRememberedConnections)
#include "tst_rememberedconnections.moc"
