#include "MainWindow.h"

#include "StartupFlow.h"
#include "ui_MainWindow.h"

#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSqlError>

using namespace Qt::StringLiterals;

// Q_INIT_RESOURCE must be used outside any namespace. The resources live in this static library,
// whose unreferenced initializer the linker would otherwise drop.
static void initResources()
{
    Q_INIT_RESOURCE(pgdesk);
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    initResources();
    m_ui->setupUi(this);
    setWindowIcon(QIcon(u":/icons/pgdesk.svg"_s));

    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(u"connectionStatusLabel"_s);
    m_rowCountLabel = new QLabel(this);
    m_rowCountLabel->setObjectName(u"rowCountStatusLabel"_s);
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_rowCountLabel);

    // Fixed sections: a vertical header sized to contents costs time per row.
    QHeaderView* rows = m_ui->tableView->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 8);
    rows->hide();
    m_ui->tableView->horizontalHeader()->setStretchLastSection(true);
    m_ui->tableView->setEditTriggers(QAbstractItemView::NoEditTriggers);

    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui->actionConnect, &QAction::triggered, this, &MainWindow::changeConnection);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);

    showEmptyState(tr("Not connected."));
    updateStatus();
}

MainWindow::~MainWindow()
{
    // The model holds queries on the session's connection: it must go before the connection.
    m_ui->tableView->setModel(nullptr);
    m_model.reset();
}

void MainWindow::setSession(std::unique_ptr<DatabaseSession> session)
{
    m_ui->tableView->setModel(nullptr);
    m_model.reset();
    m_session = std::move(session);
    if (!m_session || !m_session->isOpen()) {
        showEmptyState(tr("Not connected."));
        updateStatus();
        return;
    }

    m_model = std::make_unique<TableModel>(m_session->database());
    if (!m_model->setTableName(m_session->tableName())) {
        showEmptyState(tr("The table %1 could not be read.").arg(m_session->tableName().display()));
        updateStatus();
        return;
    }
    m_ui->tableView->setModel(m_model.get());
    refresh();

    const TableName table = m_session->tableName();
    setWindowTitle(tr("%1 — %2 — pgdesk").arg(table.display(), m_session->settings().displayTarget()));
}

bool MainWindow::refresh()
{
    if (!m_model)
        return false;
    const bool ok = m_model->select();
    if (ok) {
        m_ui->viewStack->setCurrentWidget(m_ui->tableView);
        m_ui->tableView->resizeColumnToContents(0);
        m_ui->tableView->setColumnWidth(1, qMax(m_ui->tableView->columnWidth(1), 240));
    } else {
        showEmptyState(tr("The rows could not be read:\n%1").arg(m_model->lastError().text()));
    }
    updateStatus();
    return ok;
}

void MainWindow::showEmptyState(const QString& text)
{
    m_ui->emptyStateLabel->setText(text);
    m_ui->viewStack->setCurrentWidget(m_ui->emptyStateLabel);
}

void MainWindow::updateStatus()
{
    const bool connected = m_session && m_session->isOpen();
    m_ui->actionRefresh->setEnabled(connected && m_model);
    if (!connected) {
        m_connectionLabel->setText(tr("Not connected"));
        m_rowCountLabel->clear();
        return;
    }
    const ServerInfo& server = m_session->serverInfo();
    const QString ssl = server.sslInUse ? tr("SSL %1").arg(server.sslProtocol) : tr("no SSL");
    m_connectionLabel->setText(tr("%1  ·  %2  ·  PostgreSQL %3  ·  time zone %4")
                                   .arg(m_session->settings().displayTarget(), ssl,
                                        server.serverVersion.section(u' ', 0, 0), server.timeZone));
    m_connectionLabel->setToolTip(
        tr("Server %1\nDatabase %2 as %3\n%4")
            .arg(server.serverVersion, server.database, server.user,
                 server.sslInUse ? tr("Encrypted with %1").arg(server.sslProtocol) : tr("Not encrypted")));
    const int rows = m_model ? m_model->rowCount() : 0;
    m_rowCountLabel->setText(rows == 1 ? tr("1 row") : tr("%L1 rows").arg(rows));
}

void MainWindow::changeConnection()
{
    StartupFlow flow(m_resolution);
    std::unique_ptr<DatabaseSession> session = flow.connect(this, true);
    if (!session)
        return;
    m_resolution = flow.resolution();
    setSession(std::move(session));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About pgdesk"),
                       tr("<b>pgdesk %1</b><p>A desktop editor for one PostgreSQL table, configured from a "
                          ".env file.</p>")
                           .arg(QStringLiteral(PGDESK_VERSION)));
}
