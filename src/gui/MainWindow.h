#pragma once

#include "ConnectionSettings.h"
#include "DatabaseSession.h"
#include "TableModel.h"

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}
class QLabel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Takes an open session whose table exists, binds the model to the view and reads the rows.
    void setSession(std::unique_ptr<DatabaseSession> session);
    // What the Connect action starts from.
    void setResolution(const ConnectionSettings::Resolution& resolution) { m_resolution = resolution; }

    DatabaseSession* session() const { return m_session.get(); }
    TableModel* model() const { return m_model.get(); }

    bool refresh();

private:
    void changeConnection();
    void showAbout();
    void updateStatus();
    void showEmptyState(const QString& text);

    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<DatabaseSession> m_session;
    std::unique_ptr<TableModel> m_model;
    ConnectionSettings::Resolution m_resolution;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_rowCountLabel = nullptr;
};
