#pragma once

#include "model/TableModel.h"

#include <QList>
#include <QObject>
#include <QString>

class MainWindow;
class NetworkWait;
class StatusBarPanel;
class TableBrowser;

// What the user is asked and told around writing to the server: Save (asking once when it
// deletes rows, and resolving a conflict with another client's change, row by row), Discard,
// Delete (staged like an edit, or at once when the user chose that), and saving or discarding
// before the window closes or changes connection. The writes run on a connection of their own
// through NetworkWait; TableModel takes their outcome.
class SaveFlow : public QObject
{
    Q_OBJECT

public:
    SaveFlow(MainWindow* window, NetworkWait* wait, TableBrowser* browser, StatusBarPanel* status);

    // The setting Edit ▸ Delete immediately keeps: delete on the server at once, asking first.
    static QString deleteImmediatelyKey();

    void save();
    void discard();
    void deleteSelectedRows();
    // Returns false when the user cancelled; true when there was nothing pending, or it was saved
    // or discarded as the user chose.
    bool settlePendingChanges(const QString& reason);

signals:
    void statusMessage(const QString& text, int timeout);

private:
    // Writes the staged changes on a connection of their own through m_wait; false with the
    // model's lastSaveError() or lastConflict() when nothing was written.
    bool writeStagedChanges();
    void resolveConflict(const TableModel::SaveConflict& conflict);
    void deleteSelectedRowsNow(const QList<int>& rows);

    MainWindow* m_window;
    NetworkWait* m_wait;
    TableBrowser* m_browser;
    StatusBarPanel* m_status;
    bool m_saveConfirmed = false; // within one Save: the user already agreed to delete rows
};
