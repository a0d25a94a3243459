#pragma once

#include "editing/StagedEdits.h"

#include <QHash>
#include <QString>
#include <QVariant>

#include <optional>

// What the undo commands (StageCellCommand, AddRowCommand, DeleteRowsCommand) need of the model
// that holds the staged edits: they change the edits through it, so it can tell the view which
// rows changed. TableModel implements it; the commands never see the model's header.
class StagedEditsHost
{
public:
    virtual ~StagedEditsHost() = default;

    virtual const StagedEdits& stagedEdits() const = 0;
    // The column's name as the user sees it, for the undo step's text ("Edit Name").
    virtual QString columnTitle(int column) const = 0;
    virtual void applyStagedValue(const StagedEdits::Target& target, int column, const std::optional<QVariant>& value)
        = 0;
    virtual void insertNewRow(int position, const StagedEdits::NewRow& row) = 0;
    virtual StagedEdits::NewRow removeNewRow(int position) = 0;
    virtual void markRowsDeleted(const QHash<RowKey, StagedEdits::Values>& rows, bool deleted) = 0;
};
