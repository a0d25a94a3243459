#include "TestServer.h"
#include "gui/ConnectionDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_dir;

    ConnectionSettings::Resolution resolutionFromEnvFile()
    {
        const QString envPath = m_server.writeEnvFile(m_dir.path(), u"postgres"_s);
        auto lookup = ConnectionSettings::Lookup::fromSystem(envPath);
        lookup.environment.clear();
        lookup.environment.insert(u"PGSSLMODE"_s, u"verify-ca"_s);
        return ConnectionSettings::resolve(lookup);
    }

    QString runTest(ConnectionDialog& dialog)
    {
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        dialog.findChild<QPushButton*>(u"testButton"_s)->click();
        [&] { QVERIFY(finished.wait(20000)); }();
        return dialog.findChild<QLabel*>(u"messageLabel"_s)->text();
    }

private slots:
    void initTestCase() { PGDESK_REQUIRE_SERVER(m_server); }

    void prefilledWithWhereEachValueCameFrom()
    {
        ConnectionDialog dialog(resolutionFromEnvFile());
        QCOMPARE(dialog.findChild<QLineEdit*>(u"hostLineEdit"_s)->text(), m_server.host());
        QCOMPARE(dialog.findChild<QLineEdit*>(u"portLineEdit"_s)->text(), QString::number(m_server.port()));
        QCOMPARE(dialog.findChild<QLineEdit*>(u"passwordLineEdit"_s)->echoMode(), QLineEdit::Password);
        QVERIFY(dialog.findChild<QLabel*>(u"hostSourceLabel"_s)->text().contains(u".env"_s));
        QCOMPARE(dialog.findChild<QLabel*>(u"sslModeSourceLabel"_s)->text(), u"from $PGSSLMODE"_s);
        QCOMPARE(dialog.findChild<QLabel*>(u"tableSourceLabel"_s)->text(), u"default"_s);
        QCOMPARE(dialog.findChild<QComboBox*>(u"sslModeComboBox"_s)->count(), 6);
        QVERIFY(dialog.findChild<QLabel*>(u"envFileLabel"_s)->text().contains(m_dir.path()));

        auto* table = dialog.findChild<QLineEdit*>(u"tableLineEdit"_s);
        table->selectAll();
        QTest::keyClicks(table, u"people"_s);
        QCOMPARE(dialog.findChild<QLabel*>(u"tableSourceLabel"_s)->text(), u"entered here"_s);
        QCOMPARE(dialog.settings().table(), u"people"_s);
        QCOMPARE(dialog.settings().source(Field::Table), ConnectionSettings::Source::Entered);
    }

    void sslModeHintSaysRequireDoesNotVerify()
    {
        ConnectionDialog dialog(resolutionFromEnvFile());
        dialog.findChild<QComboBox*>(u"sslModeComboBox"_s)->setCurrentText(u"require"_s);
        QVERIFY(dialog.findChild<QLabel*>(u"sslModeHintLabel"_s)->text().contains(u"not checked"_s));
    }

    void testButtonReportsVersionAndSsl()
    {
        ConnectionDialog dialog(resolutionFromEnvFile());
        dialog.findChild<QComboBox*>(u"sslModeComboBox"_s)->setCurrentText(u"require"_s);
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"Connected: PostgreSQL "_s + m_server.psql(u"postgres"_s, u"SHOW server_version"_s)),
                 qPrintable(text));
        QVERIFY2(text.contains(u"SSL in use"_s), qPrintable(text));
        QCOMPARE(dialog.result(), 0); // testing never accepts the dialog
    }

    void testButtonExplainsWrongPassword()
    {
        ConnectionDialog dialog(resolutionFromEnvFile());
        dialog.findChild<QComboBox*>(u"sslModeComboBox"_s)->setCurrentText(u"require"_s);
        auto* password = dialog.findChild<QLineEdit*>(u"passwordLineEdit"_s);
        password->setText(u"nope-not-it"_s);
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"rejected the password"_s), qPrintable(text));
        QVERIFY(!text.contains(u"nope-not-it"_s));
    }

    void testButtonExplainsMissingSslSupport()
    {
        ConnectionDialog dialog(resolutionFromEnvFile());
        dialog.findChild<QComboBox*>(u"sslModeComboBox"_s)->setCurrentText(u"require"_s);
        dialog.findChild<QLineEdit*>(u"portLineEdit"_s)->setText(QString::number(m_server.noSslPort()));
        const QString text = runTest(dialog);
        QVERIFY2(text.contains(u"does not support SSL"_s), qPrintable(text));
        QVERIFY2(text.contains(u"prefer"_s), qPrintable(text));
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
