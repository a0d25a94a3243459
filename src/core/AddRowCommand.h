#pragma once

#include "StagedEdits.h"

#include <QUndoCommand>

class TableModel;

// A new, unsaved row at the end of the grid. Undo removes it (with whatever it held).
class AddRowCommand : public QUndoCommand
{
public:
    AddRowCommand(TableModel* model, int serial, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    TableModel* m_model;
    StagedEdits::NewRow m_row;
    int m_position = -1;
};
