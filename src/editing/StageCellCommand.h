#pragma once

#include "editing/StagedEdits.h"

#include <QUndoCommand>

#include <optional>

class StagedEditsHost;

// One cell changed in the grid: remembers what was staged before so undo restores exactly that
// (including "nothing staged", which shows the server's value again).
class StageCellCommand : public QUndoCommand
{
public:
    StageCellCommand(StagedEditsHost* model, const StagedEdits::Target& target, int column,
                     std::optional<QVariant> before, std::optional<QVariant> after, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    StagedEditsHost* m_model;
    StagedEdits::Target m_target;
    int m_column;
    std::optional<QVariant> m_before;
    std::optional<QVariant> m_after;
};
