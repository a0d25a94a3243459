#pragma once

#include "ConnectionError.h"
#include "ConnectionSettings.h"
#include "DatabaseSession.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>

namespace Ui {
class ConnectionDialog;
}
class QLabel;
class QLineEdit;

// Collects connection values, prefilled from the resolved .env/environment, and lets the user
// test them. It never opens the connection the application uses: StartupFlow does that.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectionDialog(const ConnectionSettings::Resolution& resolution, QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    ConnectionSettings settings() const;
    void showError(const ConnectionError& error);
    void showMessages(const QStringList& messages);

    bool isTesting() const { return m_testWatcher.isRunning(); }

signals:
    void testFinished(bool ok);

private:
    void fillFields();
    void updateSourceLabels();
    void updateSslModeHint();
    void startTest();
    void showTestResult();
    void chooseRootCertificate();
    QLineEdit* lineEditFor(ConnectionSettings::Field field) const;
    QLabel* sourceLabelFor(ConnectionSettings::Field field) const;
    QString fieldText(ConnectionSettings::Field field) const;

    std::unique_ptr<Ui::ConnectionDialog> m_ui;
    ConnectionSettings::Resolution m_resolution;
    QFutureWatcher<DatabaseSession::ProbeResult> m_testWatcher;
};
