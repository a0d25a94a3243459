#pragma once

#include "connection/DatabaseSession.h"
#include "gui/MainWindow.h"
#include "model/TableModel.h"

#include <QTest>

#include <memory>

// For GUI suites (header only: it needs pgdesk_gui).

// True once the window's model is not loading a window of rows (or the window has no model, as
// when its table is missing), false after the timeout.
inline bool waitUntilWindowLoaded(MainWindow* window, int timeoutMs = 15000)
{
    return QTest::qWaitFor(
        [window] {
            const TableModel* model = window ? window->model() : nullptr;
            return !model || !model->isLoading();
        },
        timeoutMs);
}

// The grid row whose name cell (column 1) holds exactly this text, or -1.
inline int rowWithName(const TableModel* model, const QString& name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 1).data(Qt::EditRole).toString() == name)
            return row;
    }
    return -1;
}

// The real main window on a session of its own (opened, the table made sure of), shown, active,
// its first rows loaded. nullptr with the reason in *error when any of that fails.
inline std::unique_ptr<MainWindow> openMainWindow(const ConnectionSettings& settings, QString* error)
{
    auto session = std::make_unique<DatabaseSession>();
    if (!session->open(settings) || !session->ensureTable()) {
        *error = session->lastError().fullText();
        return nullptr;
    }
    auto window = std::make_unique<MainWindow>();
    window->setSession(std::move(session));
    window->show();
    if (!QTest::qWaitForWindowActive(window.get())) {
        *error = QStringLiteral("the main window did not become active");
        return nullptr;
    }
    if (!waitUntilWindowLoaded(window.get())) {
        *error = QStringLiteral("the first rows did not arrive within 15 s");
        return nullptr;
    }
    return window;
}

// The main window on another table of the same database, as PG_TABLE=table opens it.
inline std::unique_ptr<MainWindow> openTableWindow(ConnectionSettings settings, const QString& table, QString* error)
{
    settings.set(ConnectionSettings::Field::Table, table);
    return openMainWindow(settings, error);
}
