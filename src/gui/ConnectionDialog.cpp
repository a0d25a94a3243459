#include "gui/ConnectionDialog.h"

#include "config/EnvFileWriter.h"
#include "connection/NetworkThreadPool.h"
#include "gui/FileDialog.h"
#include "gui/LabelTone.h"
#include "gui/MessageBox.h"
#include "gui/ScreenFit.h"

#include "ui_ConnectionDialog.h"

#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>

#include <algorithm>

using namespace Qt::StringLiterals;
using Field = ConnectionSettings::Field;

ConnectionDialog::ConnectionDialog(const ConnectionSettings::Resolution& resolution, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectionDialog>())
    , m_resolution(resolution)
{
    m_ui->setupUi(this);
    m_ui->sslModeComboBox->addItems(ConnectionSettings::sslModes());
    // Digits, or libpq's comma list of ports for several hosts; the range is checked by problems().
    m_ui->portLineEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[0-9]{0,5}(,[0-9]{0,5})*"_s), m_ui->portLineEdit));
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setObjectName(u"connectButton"_s);

    if (m_resolution.envFilePath.isEmpty()) {
        m_ui->envFileLabel->setText(
            tr("No .env file was found (looked for %1). Values come from the environment and defaults.")
                .arg(QDir::toNativeSeparators(m_resolution.searchedPaths.join(u", "_s))));
    } else {
        m_ui->envFileLabel->setText(tr("Values read from %1").arg(QDir::toNativeSeparators(m_resolution.envFilePath)));
    }
    if (!m_resolution.uriKey.isEmpty() && m_resolution.uriError.isEmpty()) {
        m_ui->envFileLabel->setText(
            m_ui->envFileLabel->text() + u'\n'
            + tr("The connection URI in %1 wins over PG_* keys for every part it names.").arg(m_resolution.uriKey));
    }

    fillFields();
    showMessages(m_resolution.messages());

    for (Field field : ConnectionSettings::allFields) {
        if (QLineEdit* edit = lineEditFor(field))
            connect(edit, &QLineEdit::textEdited, this, &ConnectionDialog::updateSourceLabels);
    }
    connect(m_ui->sslModeComboBox, &QComboBox::currentTextChanged, this, [this] {
        updateSourceLabels();
        updateSslModeHint();
    });
    connect(m_ui->testButton, &QPushButton::clicked, this, &ConnectionDialog::startTest);
    connect(m_ui->sslRootCertBrowseButton, &QToolButton::clicked, this, &ConnectionDialog::chooseRootCertificate);
    connect(m_ui->sslCertBrowseButton, &QToolButton::clicked, this,
            [this] { chooseFile(m_ui->sslCertLineEdit, tr("Client certificate")); });
    connect(m_ui->sslKeyBrowseButton, &QToolButton::clicked, this,
            [this] { chooseFile(m_ui->sslKeyLineEdit, tr("Client key")); });
    connect(m_ui->uriLineEdit, &QLineEdit::textChanged, this, &ConnectionDialog::splitUri);
    // Pasting the URI where the host goes is the natural mistake; it is understood too.
    // It moves to the URI field (which masks it once left: it holds the password) and is split
    // from there.
    connect(m_ui->hostLineEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (!ConnectionUri::looksLikeUri(text))
            return;
        {
            const QSignalBlocker blocker(m_ui->hostLineEdit);
            m_ui->hostLineEdit->clear();
        }
        m_ui->uriLineEdit->setText(text.trimmed());
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->rememberPasswordCheckBox, &QCheckBox::toggled, this, &ConnectionDialog::updateKeychainStatus);
    m_ui->keychainStatusLabel->hide();
    // Long entries (a socket path, a long host) must not widen the dialog.
    m_ui->recentConnectionsCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_ui->recentConnectionsCombo->setMinimumContentsLength(24);
    connect(m_ui->recentConnectionsCombo, &QComboBox::activated, this, &ConnectionDialog::chooseRecent);
    connect(m_ui->forgetRecentButton, &QToolButton::clicked, this, &ConnectionDialog::forgetRecent);
    connect(m_ui->saveEnvButton, &QPushButton::clicked, this, &ConnectionDialog::saveEnvFile);
    fillRecentList();
    updateSslModeHint();
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

void ConnectionDialog::setPasswordStore(PasswordStore* store)
{
    if (!store)
        return;
    m_store = store;
    connect(store, &PasswordStore::finished, this, &ConnectionDialog::keychainAnswered);
    // Only when there is no password yet: a password from the .env or $PGPASSWORD wins, and an
    // unneeded request could make a desktop keychain ask to be unlocked.
    if (m_ui->passwordLineEdit->text().isEmpty())
        askKeychain();
}

void ConnectionDialog::askKeychain()
{
    if (!m_store)
        return;
    m_keychainKey = PasswordStore::keyFor(settings());
    m_store->read(settings());
}

void ConnectionDialog::keychainAnswered(const PasswordStore::Result& result)
{
    if (result.operation != PasswordStore::Operation::Read || result.key != m_keychainKey)
        return;
    if (!result.ok) {
        m_keychainError = result.error;
        m_noKeychain = result.noKeychain;
        updateKeychainStatus();
        return;
    }
    if (!result.found || !m_ui->passwordLineEdit->text().isEmpty())
        return;
    m_keychainPassword = result.password;
    m_ui->passwordLineEdit->setText(result.password);
    m_ui->rememberPasswordCheckBox->setChecked(true);
    updateSourceLabels();
}

void ConnectionDialog::updateKeychainStatus()
{
    // Ticked with a password already in the field, the keychain was never asked: ask now, so
    // that a machine without one says so before the user relies on it.
    if (m_ui->rememberPasswordCheckBox->isChecked() && m_keychainError.isEmpty() && m_keychainKey.isEmpty())
        askKeychain();
    const bool show = m_ui->rememberPasswordCheckBox->isChecked() && !m_keychainError.isEmpty();
    const QString consequence = m_noKeychain ? QString() : u' ' + tr("The password will not be remembered.");
    m_ui->keychainStatusLabel->setText(show ? m_keychainError + consequence : QString());
    LabelTone::set(m_ui->keychainStatusLabel, show ? LabelTone::Tone::Error : LabelTone::Tone::Plain);
    m_ui->keychainStatusLabel->setVisible(show);
}

bool ConnectionDialog::rememberPassword() const
{
    return m_ui->rememberPasswordCheckBox->isChecked();
}

bool ConnectionDialog::passwordFromKeychain() const
{
    return !m_keychainPassword.isNull() && m_ui->passwordLineEdit->text() == m_keychainPassword;
}

// A Test still running is not waited for: the probe owns its connection and its answer is dropped.
ConnectionDialog::~ConnectionDialog() = default;

QLineEdit* ConnectionDialog::lineEditFor(Field field) const
{
    switch (field) {
    case Field::Host:
        return m_ui->hostLineEdit;
    case Field::Port:
        return m_ui->portLineEdit;
    case Field::User:
        return m_ui->userLineEdit;
    case Field::Password:
        return m_ui->passwordLineEdit;
    case Field::Database:
        return m_ui->databaseLineEdit;
    case Field::SslRootCert:
        return m_ui->sslRootCertLineEdit;
    case Field::SslCert:
        return m_ui->sslCertLineEdit;
    case Field::SslKey:
        return m_ui->sslKeyLineEdit;
    case Field::Service:
        return m_ui->serviceLineEdit;
    case Field::Table:
        return m_ui->tableLineEdit;
    case Field::SslMode:
        return nullptr;
    }
    return nullptr;
}

QLabel* ConnectionDialog::sourceLabelFor(Field field) const
{
    switch (field) {
    case Field::Host:
        return m_ui->hostSourceLabel;
    case Field::Port:
        return m_ui->portSourceLabel;
    case Field::User:
        return m_ui->userSourceLabel;
    case Field::Password:
        return m_ui->passwordSourceLabel;
    case Field::Database:
        return m_ui->databaseSourceLabel;
    case Field::SslMode:
        return m_ui->sslModeSourceLabel;
    case Field::SslRootCert:
        return m_ui->sslRootCertSourceLabel;
    case Field::SslCert:
        return m_ui->sslCertSourceLabel;
    case Field::SslKey:
        return m_ui->sslKeySourceLabel;
    case Field::Service:
        return m_ui->serviceSourceLabel;
    case Field::Table:
        return m_ui->tableSourceLabel;
    }
    return nullptr;
}

QString ConnectionDialog::fieldText(Field field) const
{
    if (field == Field::SslMode)
        return m_ui->sslModeComboBox->currentText();
    return lineEditFor(field)->text();
}

void ConnectionDialog::fillFields()
{
    const ConnectionSettings& settings = m_resolution.settings;
    for (Field field : ConnectionSettings::allFields) {
        if (field == Field::SslMode) {
            const int modeIndex = m_ui->sslModeComboBox->findText(settings.sslMode());
            if (modeIndex < 0) // keep an invalid value visible so the user sees what to fix
                m_ui->sslModeComboBox->addItem(settings.sslMode());
            m_ui->sslModeComboBox->setCurrentText(settings.sslMode());
        } else {
            lineEditFor(field)->setText(settings.text(field));
        }
    }
    updateSourceLabels();
}

void ConnectionDialog::updateSourceLabels()
{
    const ConnectionSettings current = settings();
    for (Field field : ConnectionSettings::allFields) {
        QLabel* label = sourceLabelFor(field);
        QString source = current.describeSource(field);
        if (field == Field::Password && passwordFromKeychain())
            source = tr("from the system keychain");
        else if (field == Field::Password && m_resolution.passwordFromPassFile(current))
            source = tr("from %1 (libpq reads it)").arg(QDir::toNativeSeparators(m_resolution.passFilePath));
        label->setText(source);
        label->setToolTip(source);
    }
}

void ConnectionDialog::updateSslModeHint()
{
    const QString mode = m_ui->sslModeComboBox->currentText();
    QString hint;
    if (mode == u"disable")
        hint = tr("Not encrypted: passwords and rows cross the network in clear text.");
    else if (mode == u"allow" || mode == u"prefer")
        hint = tr("Encrypted only if the server offers it; the server's identity is not checked.");
    else if (mode == u"require")
        hint = tr("Encrypted, but the server's identity is not checked: use verify-full to be sure who you talk to.");
    else if (mode == u"verify-ca")
        hint = tr("Encrypted; the server's certificate must be signed by the root certificate below.");
    else if (mode == u"verify-full")
        hint = tr("Encrypted; the certificate must be signed by the root certificate and match the host name.");
    m_ui->sslModeHintLabel->setText(hint);
}

ConnectionSettings ConnectionDialog::settings() const
{
    ConnectionSettings result = m_resolution.settings;
    for (Field field : ConnectionSettings::allFields) {
        const QString text = fieldText(field);
        if (m_pasted.contains(field) && m_pasted.value(field) == text)
            result.set(field, text, ConnectionSettings::Source::Entered, tr("pasted URI"));
        else if (m_recalled.contains(field) && m_recalled.value(field) == text)
            result.set(field, text, ConnectionSettings::Source::Entered, tr("recent connection"));
        else if (text != m_resolution.settings.text(field))
            result.set(field, text, ConnectionSettings::Source::Entered);
    }
    if (m_pastedExtra)
        result.setExtra(*m_pastedExtra);
    return result;
}

void ConnectionDialog::showMessages(const QStringList& messages)
{
    LabelTone::set(m_ui->messageLabel, messages.isEmpty() ? LabelTone::Tone::Plain : LabelTone::Tone::Error);
    m_ui->messageLabel->setText(messages.join(u'\n'));
}

void ConnectionDialog::showError(const ConnectionError& error)
{
    showMessages(error.isError() ? QStringList{ error.fullText() } : QStringList{});
}

void ConnectionDialog::startTest()
{
    if (m_testing)
        return;
    const ConnectionSettings toTest = settings();
    m_ui->testButton->setEnabled(false);
    LabelTone::set(m_ui->messageLabel, LabelTone::Tone::Plain);
    m_ui->messageLabel->setText(tr("Connecting to %1…").arg(toTest.displayTarget()));
    m_testing = true;
    NetworkThreadPool::run(
        this, [toTest] { return DatabaseSession::probe(toTest); },
        [this](const DatabaseSession::ProbeResult& result) { showTestResult(result); });
}

void ConnectionDialog::showTestResult(const DatabaseSession::ProbeResult& result)
{
    m_testing = false;
    m_ui->testButton->setEnabled(true);
    if (result.ok()) {
        const QString ssl
            = result.server.sslInUse ? tr("SSL in use (%1)").arg(result.server.sslProtocol) : tr("SSL not in use");
        LabelTone::set(m_ui->messageLabel, LabelTone::Tone::Success);
        m_ui->messageLabel->setText(tr("Connected: PostgreSQL %1, %2.").arg(result.server.serverVersion, ssl));
    } else {
        showError(result.error);
    }
    emit testFinished(result.ok());
}

void ConnectionDialog::splitUri(const QString& text)
{
    if (text.trimmed().isEmpty())
        return;
    const ConnectionUri uri = ConnectionUri::parse(text);
    if (!uri.isValid()) {
        // Never echo the URI: it usually carries the password.
        showMessages({ tr("The pasted URI cannot be used: %1.").arg(uri.errorString()) });
        return;
    }
    ConnectionSettings parts;
    parts.applyUri(uri, ConnectionSettings::Source::Entered, tr("pasted URI"));
    for (Field field : ConnectionSettings::allFields) {
        if (parts.source(field) != ConnectionSettings::Source::Entered)
            continue;
        m_pasted.insert(field, parts.text(field));
        if (field == Field::SslMode) {
            if (m_ui->sslModeComboBox->findText(parts.sslMode()) < 0)
                m_ui->sslModeComboBox->addItem(parts.sslMode());
            m_ui->sslModeComboBox->setCurrentText(parts.sslMode());
        } else {
            QLineEdit* edit = lineEditFor(field);
            const QSignalBlocker blocker(edit);
            edit->setText(parts.text(field));
        }
    }
    m_pastedExtra = parts.extra();
    {
        const QSignalBlocker blocker(m_ui->uriLineEdit);
        m_ui->uriLineEdit->clear();
    }
    QStringList named;
    for (const ConnectionUri::Parameter& parameter : uri.parameters())
        named << parameter.keyword;
    showMessages({});
    m_ui->messageLabel->setText(tr("The URI was split into the fields (%1).").arg(named.join(u", "_s)));
    updateSourceLabels();
}

void ConnectionDialog::chooseFile(QLineEdit* edit, const QString& caption)
{
    const QString path = FileDialog::getOpenFileName(this, caption, edit->text(),
                                                     tr("Certificates and keys (*.crt *.pem *.key);;All files (*)"));
    if (!path.isEmpty()) {
        edit->setText(path);
        updateSourceLabels();
    }
}

void ConnectionDialog::chooseRootCertificate()
{
    const QString path = FileDialog::getOpenFileName(this, tr("Root certificate"), m_ui->sslRootCertLineEdit->text(),
                                                     tr("Certificates (*.crt *.pem *.cer);;All files (*)"));
    if (!path.isEmpty()) {
        m_ui->sslRootCertLineEdit->setText(path);
        updateSourceLabels();
    }
}

void ConnectionDialog::fillRecentList()
{
    m_recentEntries = m_recent.entries();
    const QSignalBlocker blocker(m_ui->recentConnectionsCombo);
    m_ui->recentConnectionsCombo->clear();
    for (const ConnectionSettings& entry : std::as_const(m_recentEntries))
        m_ui->recentConnectionsCombo->addItem(RecentConnections::label(entry));
    m_ui->recentConnectionsCombo->setCurrentIndex(-1);
    m_ui->recentConnectionsCombo->setEnabled(!m_recentEntries.isEmpty());
    m_ui->forgetRecentButton->setEnabled(!m_recentEntries.isEmpty());
}

void ConnectionDialog::chooseRecent(int index)
{
    if (index < 0 || index >= m_recentEntries.size())
        return;
    const ConnectionSettings& entry = m_recentEntries.at(index);
    m_pasted.clear();
    m_recalled.clear();
    for (Field field : ConnectionSettings::allFields) {
        if (field == Field::Password)
            continue;
        m_recalled.insert(field, entry.text(field));
        if (field == Field::SslMode) {
            const QSignalBlocker blocker(m_ui->sslModeComboBox);
            if (m_ui->sslModeComboBox->findText(entry.sslMode()) < 0)
                m_ui->sslModeComboBox->addItem(entry.sslMode());
            m_ui->sslModeComboBox->setCurrentText(entry.sslMode());
        } else {
            QLineEdit* edit = lineEditFor(field);
            const QSignalBlocker blocker(edit);
            edit->setText(entry.text(field));
        }
    }
    m_pastedExtra = entry.extra();
    // A password the keychain gave belongs to the previous server; one typed or from $PGPASSWORD stays.
    if (passwordFromKeychain()) {
        m_ui->passwordLineEdit->clear();
        m_keychainPassword = QString();
        m_ui->rememberPasswordCheckBox->setChecked(false);
    }
    if (m_ui->passwordLineEdit->text().isEmpty())
        askKeychain();
    showMessages({});
    updateSourceLabels();
    updateSslModeHint();
}

void ConnectionDialog::forgetRecent()
{
    const int index = m_ui->recentConnectionsCombo->currentIndex();
    if (index < 0 || index >= m_recentEntries.size())
        return;
    const ConnectionSettings forgotten = m_recentEntries.at(index);
    m_recent.forget(index);
    fillRecentList();
    // The keychain entry is per server, user and database: keep it while another entry uses it.
    const QString key = PasswordStore::keyFor(forgotten);
    const bool stillUsed
        = std::any_of(m_recentEntries.cbegin(), m_recentEntries.cend(),
                      [&key](const ConnectionSettings& entry) { return PasswordStore::keyFor(entry) == key; });
    if (m_store && !stillUsed)
        m_store->remove(forgotten);
    LabelTone::set(m_ui->messageLabel, LabelTone::Tone::Plain);
    m_ui->messageLabel->setText(
        tr("%1 was removed from the recent connections.").arg(RecentConnections::label(forgotten)));
}

void ConnectionDialog::saveEnvFile()
{
    const ConnectionSettings current = settings();
    const QString suggested = QDir::current().filePath(u".env"_s);
    // pgdesk asks about replacing the file itself, so that the question is the same everywhere.
    const QString path = FileDialog::getSaveFileName(this, tr("Save as .env"), suggested,
                                                     tr("Environment files (.env *.env);;All files (*)"),
                                                     QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) {
        emit envFileSaved({});
        return;
    }
    const QString shownPath = QDir::toNativeSeparators(path);
    if (QFileInfo::exists(path)
        && MessageBox::ask(this, tr("Replace file?"), tr("%1 already exists. Replace it?").arg(shownPath),
                           QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            != QMessageBox::Yes) {
        emit envFileSaved({});
        return;
    }
    bool includePassword = false;
    if (!current.password().isEmpty()) {
        const QMessageBox::StandardButton answer = MessageBox::ask(
            this, tr("Write the password?"),
            tr("Write the password into %1 as PG_PASSWORD?\n\nThe file will be readable only by you, but anyone "
               "who gets a copy of it can connect as %2. No leaves it out; pgdesk or your program will then need "
               "it from elsewhere (the keychain, ~/.pgpass or $PGPASSWORD).")
                .arg(shownPath, current.user().isEmpty() ? tr("this user") : current.user()),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No);
        if (answer == QMessageBox::Cancel) {
            emit envFileSaved({});
            return;
        }
        includePassword = answer == QMessageBox::Yes;
    }
    QStringList unwritable;
    const QByteArray content = EnvFileWriter::format(current, includePassword, &unwritable);
    if (!unwritable.isEmpty()) {
        MessageBox::warn(this, tr("Not saved"),
                         tr("%1 was not written: a .env file cannot hold the value of %2 exactly (\"${…}\" is "
                            "expanded by python-dotenv, and a quoted value cannot end in a backslash).")
                             .arg(shownPath, unwritable.join(u", "_s)));
        emit envFileSaved({});
        return;
    }
    QString error;
    if (!EnvFileWriter::write(path, content, &error)) {
        MessageBox::warn(this, tr("Not saved"), tr("%1 could not be written: %2.").arg(shownPath, error));
        emit envFileSaved({});
        return;
    }
    LabelTone::set(m_ui->messageLabel, LabelTone::Tone::Plain);
    m_ui->messageLabel->setText(includePassword || current.password().isEmpty()
                                    ? tr("Saved to %1 (readable only by you).").arg(shownPath)
                                    : tr("Saved to %1 without the password (readable only by you).").arg(shownPath));
    emit envFileSaved(path);
}
