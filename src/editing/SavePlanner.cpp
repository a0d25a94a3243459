#include "editing/SavePlanner.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QList<int> sortedKeys(const StagedEdits::Values& values)
{
    QList<int> columns = values.keys();
    std::sort(columns.begin(), columns.end());
    return columns;
}

// A NUL: PostgreSQL text cannot hold one, and QPSQL splices bound values into the statement as a C
// string, so libpq ends it at the NUL and the server answers with a baffling syntax error. An
// unpaired UTF-16 surrogate: Qt's UTF-8 encoder would store '?' without a word. Pastes and the cell
// editor can stage both.
QString problemIn(const StagedEdits::Values& values, const QString& row, const QStringList& titles)
{
    for (auto cell = values.constBegin(); cell != values.constEnd(); ++cell) {
        if (cell.value().typeId() != QMetaType::QString)
            continue;
        const QString text = cell.value().toString();
        const QString column = titles.value(cell.key());
        if (text.contains(QChar(0)))
            return QCoreApplication::translate(
                       "SavePlanner", "The %1 of %2 contains a NUL character, which PostgreSQL text cannot hold.")
                .arg(column, row);
        if (!QStringView(text).isValidUtf16())
            return QCoreApplication::translate(
                       "SavePlanner",
                       "The %1 of %2 contains a broken character (an unpaired UTF-16 surrogate), which cannot be "
                       "stored as UTF-8.")
                .arg(column, row);
    }
    return {};
}
} // namespace

namespace SavePlanner {

QString unstorableText(const StagedEdits& staged, const Table& table)
{
    const QList<RowKey> keys = staged.editedKeys();
    for (const RowKey& key : keys) {
        if (QString problem = problemIn(staged.edits(key), table.describeRow(key), table.titles); !problem.isEmpty())
            return problem;
    }
    for (int position = 0; position < staged.newRowCount(); ++position) {
        if (QString problem
            = problemIn(staged.newRowAt(position).values,
                        QCoreApplication::translate("SavePlanner", "new row %1").arg(position + 1), table.titles);
            !problem.isEmpty())
            return problem;
    }
    return {};
}

TableWriter::Plan plan(const StagedEdits& staged, const Table& table)
{
    TableWriter::Plan plan;
    plan.table = table.table;
    plan.keyColumns = table.keyColumns;
    plan.columns = table.columns;
    QList<RowKey> keys = staged.editedKeys();
    std::sort(keys.begin(), keys.end());
    for (const RowKey& key : keys) {
        if (staged.isDeleted(key))
            continue; // deleted below; its edits would be written for nothing
        const StagedEdits::Values edits = staged.edits(key);
        TableWriter::Update update;
        update.key = key;
        update.description = table.describeRow(key);
        update.columns = sortedKeys(edits);
        for (int column : std::as_const(update.columns)) {
            update.values << edits.value(column);
            update.whenRead << staged.original(key, column);
        }
        plan.updates << update;
    }
    for (int position = 0; position < staged.newRowCount(); ++position) {
        const StagedEdits::NewRow& row = staged.newRowAt(position);
        TableWriter::Insert insert;
        insert.columns = sortedKeys(row.values);
        for (int column : std::as_const(insert.columns))
            insert.values << row.values.value(column);
        plan.inserts << insert;
    }
    QList<RowKey> deletedKeys = staged.deletedKeys();
    std::sort(deletedKeys.begin(), deletedKeys.end());
    for (const RowKey& key : deletedKeys) {
        const StagedEdits::Values whenRead = staged.deletedRowWhenRead(key);
        TableWriter::Delete remove;
        remove.key = key;
        remove.description = table.describeRow(key);
        remove.columns = sortedKeys(whenRead);
        for (int column : std::as_const(remove.columns))
            remove.whenRead << whenRead.value(column);
        plan.deletes << remove;
    }
    return plan;
}

void keepMine(StagedEdits& staged, const TableWriter::Conflict& conflict)
{
    if (conflict.deleting) {
        StagedEdits::Values now = staged.deletedRowWhenRead(conflict.key);
        for (int i = 0; i < conflict.columns.size(); ++i)
            now.insert(conflict.columns.at(i), conflict.theirs.at(i));
        staged.setDeletedRowWhenRead(conflict.key, now);
        return;
    }
    for (int i = 0; i < conflict.columns.size(); ++i)
        staged.setOriginal(conflict.key, conflict.columns.at(i), conflict.theirs.at(i));
}

} // namespace SavePlanner
