#pragma once

#include "editing/StagedEdits.h"

#include <QHash>
#include <QList>
#include <QUndoCommand>

class StagedEditsHost;

// Rows the user deleted in the grid, not yet deleted in the database: rows the server has are
// marked (Save deletes them), new unsaved rows are taken out of the grid. Undo brings both back.
class DeleteRowsCommand : public QUndoCommand
{
public:
    // serverRows: each marked row's key with its values as the user saw them (the conflict check
    // of the save compares against these). newRowSerials: unsaved rows, by serial.
    DeleteRowsCommand(StagedEditsHost* model, const QHash<RowKey, StagedEdits::Values>& serverRows,
                      const QList<int>& newRowSerials, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    struct TakenRow
    {
        int position = 0;
        StagedEdits::NewRow row;
    };

    StagedEditsHost* m_model;
    QHash<RowKey, StagedEdits::Values> m_serverRows;
    QList<int> m_newRowSerials;
    QList<TakenRow> m_taken; // in the order they were taken out, so undo puts them back in reverse
};
