#pragma once

#include "editing/StagedEdits.h"

#include <QUndoCommand>

class StagedEditsHost;

// A new, unsaved row at the end of the grid. Undo removes it (with whatever it held).
class AddRowCommand : public QUndoCommand
{
public:
    AddRowCommand(StagedEditsHost* model, int serial, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    StagedEditsHost* m_model;
    StagedEdits::NewRow m_row;
    int m_position = -1;
};
