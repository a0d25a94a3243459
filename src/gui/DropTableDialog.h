#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class DropTableDialog;
}
class QPushButton;

// Dropping a table cannot be undone, so the user types its name (as GitHub asks before deleting
// a repository) after reading how many rows will go with it.
class DropTableDialog : public QDialog
{
    Q_OBJECT

public:
    DropTableDialog(const QString& tableName, qint64 rowCount, int pendingChanges, QWidget* parent = nullptr);
    ~DropTableDialog() override;

private:
    // Enter with a name that does not match does nothing; this says so instead of staying silent.
    void explainWhyEnterWaits();

    std::unique_ptr<Ui::DropTableDialog> m_ui;
    QPushButton* m_dropButton;
    QString m_tableName;
};
