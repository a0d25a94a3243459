#include "StageCellCommand.h"

#include "TableModel.h"

StageCellCommand::StageCellCommand(TableModel* model, const StagedEdits::Target& target, int column,
                                   std::optional<QVariant> before, std::optional<QVariant> after, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_target(target)
    , m_column(column)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    const QString column_name = model->headerData(column, Qt::Horizontal).toString();
    setText(QObject::tr("Edit %1").arg(column_name));
}

void StageCellCommand::undo()
{
    m_model->applyStagedValue(m_target, m_column, m_before);
}

void StageCellCommand::redo()
{
    m_model->applyStagedValue(m_target, m_column, m_after);
}
