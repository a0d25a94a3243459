#pragma once

#include <QMessageBox>

// Help ▸ About: pgdesk's version with the Qt and libpq it runs on (VersionInfo, the same words as
// `pgdesk --version`), and the homepage. tst_versions checks it agrees with the changelog and the
// AppStream releases.
class AboutDialog : public QMessageBox
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The rich text shown, for the dialog and its test.
    static QString text();
};
