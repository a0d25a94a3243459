#include "gui/TableSwitcher.h"

#include "config/RecentConnections.h"
#include "connection/DatabaseSession.h"
#include "connection/SessionOpener.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/SaveFlow.h"
#include "gui/TablePickerDialog.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QApplication>

using namespace Qt::StringLiterals;

TableSwitcher::TableSwitcher(MainWindow* window, Ui::MainWindow& ui, SaveFlow* saveFlow)
    : QObject(window)
    , m_window(window)
    , m_saveFlow(saveFlow)
    , m_openTable(new QAction(tr("Open &table…"), window))
{
    m_openTable->setObjectName(u"actionOpenTable"_s);
    m_openTable->setShortcut(QKeySequence::Open);
    m_openTable->setToolTip(tr("Open another table or view of this database (%1)")
                                .arg(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText)));
    ui.fileMenu->insertAction(ui.actionReconnect, m_openTable);
    connect(m_openTable, &QAction::triggered, this, &TableSwitcher::openTable);
}

void TableSwitcher::openTable()
{
    const DatabaseSession* session = m_window->session();
    if (!session || !session->isOpen())
        return;
    TableName chosen;
    bool inNewWindow = false;
    {
        TablePickerDialog picker(session->settings(), session->tableName(), m_window);
        if (picker.exec() != QDialog::Accepted)
            return;
        chosen = picker.chosenTable();
        inNewWindow = picker.opensInNewWindow();
    }
    session = m_window->session(); // the picker ran an event loop
    if (!chosen.isValid() || !session || (!inNewWindow && chosen.sql() == session->tableName().sql()))
        return;
    // A window of its own leaves this one, and its unsaved edits, as they are.
    if (!inNewWindow && !m_saveFlow->settlePendingChanges(tr("Save them before opening another table?")))
        return;
    ConnectionSettings settings = m_window->session()->settings();
    settings.set(ConnectionSettings::Field::Table, chosen.display(), ConnectionSettings::Source::Entered);
    auto next = std::make_unique<DatabaseSession>();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    bool opened = false;
    {
        const MainWindow::CloseGuard guard(m_window);
        opened = SessionOpener::openExistingTable(*next, settings);
    }
    QApplication::restoreOverrideCursor();
    if (!opened) {
        MessageBox::warn(m_window, tr("Open table"),
                         next->isOpen() && !next->lastError().isError()
                             ? tr("%1 is no longer in the database; nothing was opened.").arg(chosen.display())
                             : tr("%1 could not be opened: %2").arg(chosen.display(), next->lastError().fullText()));
        return;
    }
    RecentConnections().record(settings);
    if (inNewWindow) {
        auto* other = new MainWindow;
        other->setAttribute(Qt::WA_DeleteOnClose);
        // Its Connect… starts from its own table, as after replaceSession().
        ConnectionSettings::Resolution resolution = m_window->resolution();
        resolution.settings.set(ConnectionSettings::Field::Table, settings.table(),
                                ConnectionSettings::Source::Entered);
        other->setResolution(resolution);
        other->setSession(std::move(next));
        other->move(m_window->pos() + QPoint(32, 32));
        other->show();
        emit statusMessage(tr("Opened %1 in a new window.").arg(chosen.display()), 5000);
        return;
    }
    m_window->replaceSession(std::move(next));
    emit statusMessage(tr("Opened %1.").arg(chosen.display()), 5000);
}
