#include "editing/StageCellCommand.h"

#include "editing/StagedEditsHost.h"

StageCellCommand::StageCellCommand(StagedEditsHost* model, const StagedEdits::Target& target, int column,
                                   std::optional<QVariant> before, std::optional<QVariant> after, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_target(target)
    , m_column(column)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    setText(QObject::tr("Edit %1").arg(model->columnTitle(column)));
}

void StageCellCommand::undo()
{
    m_model->applyStagedValue(m_target, m_column, m_before);
}

void StageCellCommand::redo()
{
    m_model->applyStagedValue(m_target, m_column, m_after);
}
