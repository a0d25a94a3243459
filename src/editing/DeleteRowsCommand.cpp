#include "editing/DeleteRowsCommand.h"

#include "editing/StagedEditsHost.h"

DeleteRowsCommand::DeleteRowsCommand(StagedEditsHost* model, const QHash<RowKey, StagedEdits::Values>& serverRows,
                                     const QList<int>& newRowSerials, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_serverRows(serverRows)
    , m_newRowSerials(newRowSerials)
{
    const int count = static_cast<int>(serverRows.size() + newRowSerials.size());
    setText(count == 1 ? QObject::tr("Delete row") : QObject::tr("Delete %1 rows").arg(count));
}

void DeleteRowsCommand::redo()
{
    m_model->markRowsDeleted(m_serverRows, true);
    m_taken.clear();
    for (int serial : std::as_const(m_newRowSerials)) {
        const int position = m_model->stagedEdits().newRowPosition(serial);
        if (position >= 0)
            m_taken.append({ position, m_model->removeNewRow(position) });
    }
}

void DeleteRowsCommand::undo()
{
    for (auto taken = m_taken.crbegin(); taken != m_taken.crend(); ++taken)
        m_model->insertNewRow(taken->position, taken->row);
    m_taken.clear();
    m_model->markRowsDeleted(m_serverRows, false);
}
