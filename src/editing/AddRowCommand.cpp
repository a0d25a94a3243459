#include "editing/AddRowCommand.h"

#include "editing/StagedEditsHost.h"

AddRowCommand::AddRowCommand(StagedEditsHost* model, int serial, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Add row"), parent)
    , m_model(model)
{
    m_row.serial = serial;
    m_position = model->stagedEdits().newRowCount();
}

void AddRowCommand::undo()
{
    m_position = m_model->stagedEdits().newRowPosition(m_row.serial);
    if (m_position >= 0)
        m_row = m_model->removeNewRow(m_position);
}

void AddRowCommand::redo()
{
    m_model->insertNewRow(m_position, m_row);
}
