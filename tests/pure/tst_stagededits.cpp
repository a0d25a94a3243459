// StagedEdits and the undo commands that change it, with no model and no server: the commands talk
// to a small StagedEditsHost written here, which behaves as TableModel does (it passes the value
// the grid shows from the server as the original, when the row is shown).
#include "editing/AddRowCommand.h"
#include "editing/DeleteRowsCommand.h"
#include "editing/StageCellCommand.h"
#include "editing/StagedEdits.h"
#include "editing/StagedEditsHost.h"

#include <QTest>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace {

using Target = StagedEdits::Target;
using Values = StagedEdits::Values;

constexpr int nameColumn = 1;
constexpr int dateColumn = 2;

QVariant null()
{
    return QVariant(QMetaType(QMetaType::QString)); // what QPSQL gives for a NULL text column
}

class FakeHost : public StagedEditsHost
{
public:
    StagedEdits edits;
    // The rows the grid shows, as the server holds them; a key missing here is filtered out of view.
    QHash<RowKey, Values> server;
    QStringList calls;

    const StagedEdits& stagedEdits() const override { return edits; }
    QString columnTitle(int column) const override { return column == nameColumn ? u"Name"_s : u"Date"_s; }

    void applyStagedValue(const Target& target, int column, const std::optional<QVariant>& value) override
    {
        std::optional<QVariant> original;
        if (!target.isNewRow && server.contains(target.key))
            original = server.value(target.key).value(column);
        edits.setValue(target, column, value, original);
        calls << u"apply %1 %2"_s.arg(target.isNewRow ? QString::number(target.serial) : target.key.text()).arg(column);
    }

    void insertNewRow(int position, const StagedEdits::NewRow& row) override
    {
        edits.insertNewRow(position, row);
        calls << u"insert %1 at %2"_s.arg(row.serial).arg(position);
    }

    StagedEdits::NewRow removeNewRow(int position) override
    {
        calls << u"remove at %1"_s.arg(position);
        return edits.takeNewRow(position);
    }

    void markRowsDeleted(const QHash<RowKey, Values>& rows, bool deleted) override
    {
        for (auto row = rows.constBegin(); row != rows.constEnd(); ++row) {
            if (deleted)
                edits.markDeleted(row.key(), row.value());
            else
                edits.unmarkDeleted(row.key());
        }
        calls << (deleted ? u"mark %1"_s : u"unmark %1"_s).arg(rows.size());
    }

    // What TableModel::setData() does: one undo step from what is staged now to the new value.
    void stage(QUndoStack& stack, const Target& target, int column, const QVariant& value)
    {
        stack.push(new StageCellCommand(this, target, column, edits.value(target, column), value));
    }

    QList<int> newRowSerials() const
    {
        QList<int> serials;
        for (int position = 0; position < edits.newRowCount(); ++position)
            serials << edits.newRowAt(position).serial;
        return serials;
    }
};

} // namespace

class TestStagedEdits : public QObject
{
    Q_OBJECT

private slots:
    void sameValue_data()
    {
        QTest::addColumn<QVariant>("a");
        QTest::addColumn<QVariant>("b");
        QTest::addColumn<bool>("same");

        QTest::newRow("NULL and NULL") << null() << null() << true;
        QTest::newRow("NULLs of different types") << null() << QVariant(QMetaType(QMetaType::LongLong)) << true;
        QTest::newRow("invalid counts as NULL") << QVariant() << null() << true;
        // QVariant's own operator== says these are equal; a save must not think so.
        QTest::newRow("NULL is not the empty string") << null() << QVariant(u""_s) << false;
        QTest::newRow("the empty string is not NULL") << QVariant(u""_s) << null() << false;
        QTest::newRow("empty and empty") << QVariant(u""_s) << QVariant(u""_s) << true;
        // Qt 6: a null QString inside a variant is a value (the empty string), not NULL.
        QTest::newRow("null QString is a value") << QVariant(QString()) << null() << false;
        QTest::newRow("null QString equals the empty string") << QVariant(QString()) << QVariant(u""_s) << true;
        // Compared as text: what the grid shows and the editor returns.
        QTest::newRow("number and its text") << QVariant(42) << QVariant(u"42"_s) << true;
        QTest::newRow("qlonglong and qulonglong") << QVariant(qlonglong(7)) << QVariant(qulonglong(7)) << true;
        QTest::newRow("double and its text") << QVariant(1.5) << QVariant(u"1.5"_s) << true;
        QTest::newRow("differently written numbers") << QVariant(1.5) << QVariant(u"1.50"_s) << false;
        QTest::newRow("case matters") << QVariant(u"a"_s) << QVariant(u"A"_s) << false;
        QTest::newRow("spaces matter") << QVariant(u" a"_s) << QVariant(u"a"_s) << false;
        QTest::newRow("bool and its text") << QVariant(true) << QVariant(u"true"_s) << true;
    }

    void sameValue()
    {
        QFETCH(QVariant, a);
        QFETCH(QVariant, b);
        QFETCH(bool, same);
        QCOMPARE(StagedEdits::sameValue(a, b), same);
        QCOMPARE(StagedEdits::sameValue(b, a), same);
    }

    void stagesACellOfAnExistingRow()
    {
        StagedEdits edits;
        QVERIFY(edits.isEmpty());
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"new"_s), QVariant(u"old"_s));
        QCOMPARE(edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"new"_s));
        QCOMPARE(edits.original(5, nameColumn), std::optional<QVariant>(u"old"_s));
        QCOMPARE(edits.value(Target::existing(5), dateColumn), std::nullopt);
        QCOMPARE(edits.value(Target::existing(6), nameColumn), std::nullopt);
        QCOMPARE(edits.original(5, dateColumn), std::nullopt);
        QCOMPARE(edits.editedKeys(), QList<RowKey>{ 5 });
        QCOMPARE(edits.edits(5), (Values{ { nameColumn, u"new"_s } }));
        QCOMPARE(edits.changeCount(), 1);
        QVERIFY(!edits.isEmpty());

        edits.setValue(Target::existing(5), dateColumn, QVariant(u"2024-01-01 00:00:00"_s), null());
        QCOMPARE(edits.changeCount(), 2);
        QCOMPARE(edits.editedKeys(), QList<RowKey>{ 5 });
    }

    void stagingTheServerValueUnstages()
    {
        StagedEdits edits;
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"new"_s), QVariant(u"old"_s));
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"old"_s), QVariant(u"old"_s));
        QCOMPARE(edits.value(Target::existing(5), nameColumn), std::nullopt);
        QCOMPARE(edits.original(5, nameColumn), std::nullopt);
        QVERIFY(edits.editedKeys().isEmpty());
        QCOMPARE(edits.changeCount(), 0);
        QVERIFY(edits.isEmpty());

        // Staging what the server has to begin with stages nothing.
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"old"_s), QVariant(u"old"_s));
        QVERIFY(edits.isEmpty());
        QCOMPARE(edits.original(5, nameColumn), std::nullopt);
    }

    void originalIsWhatTheFirstEditSaw()
    {
        StagedEdits edits;
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"mine 1"_s), QVariant(u"first read"_s));
        // Another client changed the row and the window reloaded: the save must still compare with
        // what the user saw when starting to edit.
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"mine 2"_s), QVariant(u"theirs"_s));
        QCOMPARE(edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"mine 2"_s));
        QCOMPARE(edits.original(5, nameColumn), std::optional<QVariant>(u"first read"_s));
        // Staging what the server holds now removes the edit and its original together.
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"theirs"_s), QVariant(u"theirs"_s));
        QCOMPARE(edits.value(Target::existing(5), nameColumn), std::nullopt);
        QCOMPARE(edits.original(5, nameColumn), std::nullopt);

        // Keep mine (TableModel::resolveConflictKeepingMine): the original becomes theirs.
        edits.setValue(Target::existing(5), nameColumn, QVariant(u"mine"_s), QVariant(u"first read"_s));
        edits.setOriginal(5, nameColumn, QVariant(u"theirs"_s));
        QCOMPARE(edits.original(5, nameColumn), std::optional<QVariant>(u"theirs"_s));
    }

    void rowOutOfViewKeepsTheEditWithoutOriginal()
    {
        StagedEdits edits;
        // A row filtered out of view has no server value to compare with.
        edits.setValue(Target::existing(9), nameColumn, QVariant(u"x"_s));
        QCOMPARE(edits.value(Target::existing(9), nameColumn), std::optional<QVariant>(u"x"_s));
        QCOMPARE(edits.original(9, nameColumn), std::nullopt);
        QCOMPARE(edits.changeCount(), 1);
        // Cells of one row count one by one; unstaging one leaves the others.
        edits.setValue(Target::existing(9), dateColumn, QVariant(u"y"_s));
        QCOMPARE(edits.changeCount(), 2);
        edits.setValue(Target::existing(9), nameColumn, std::nullopt);
        QCOMPARE(edits.changeCount(), 1);
        QCOMPARE(edits.edits(9), (Values{ { dateColumn, u"y"_s } }));
    }

    void nullAndEmptyAreDifferentEdits()
    {
        StagedEdits edits;
        edits.setValue(Target::existing(1), nameColumn, QVariant(u""_s), null());
        QVERIFY(edits.value(Target::existing(1), nameColumn).has_value());
        QVERIFY(!edits.value(Target::existing(1), nameColumn)->isNull());
        QVERIFY(edits.original(1, nameColumn)->isNull());

        edits.setValue(Target::existing(2), nameColumn, null(), QVariant(u""_s));
        QVERIFY(edits.value(Target::existing(2), nameColumn).has_value());
        QVERIFY(edits.value(Target::existing(2), nameColumn)->isNull());
        QCOMPARE(edits.original(2, nameColumn), std::optional<QVariant>(u""_s));

        edits.setValue(Target::existing(3), nameColumn, null(), null());
        QCOMPARE(edits.value(Target::existing(3), nameColumn), std::nullopt);
        QCOMPARE(edits.changeCount(), 2);
    }

    void newRows()
    {
        StagedEdits edits;
        const int first = edits.nextSerial();
        const int second = edits.nextSerial();
        QVERIFY(second != first);
        edits.insertNewRow(0, { first, {} });
        edits.insertNewRow(99, { second, {} }); // clamped to the end
        QCOMPARE(edits.newRowCount(), 2);
        QCOMPARE(edits.newRowPosition(first), 0);
        QCOMPARE(edits.newRowPosition(second), 1);
        QCOMPARE(edits.newRowPosition(12345), -1);
        QCOMPARE(edits.changeCount(), 2);

        // A new row counts once however many cells it holds; its cells have no original.
        edits.setValue(Target::newRow(first), nameColumn, QVariant(u"a"_s), QVariant(u"ignored"_s));
        edits.setValue(Target::newRow(first), dateColumn, null());
        QCOMPARE(edits.value(Target::newRow(first), nameColumn), std::optional<QVariant>(u"a"_s));
        QVERIFY(edits.value(Target::newRow(first), dateColumn)->isNull());
        QCOMPARE(edits.value(Target::newRow(second), nameColumn), std::nullopt);
        QCOMPARE(edits.changeCount(), 2);
        QVERIFY(edits.editedKeys().isEmpty());
        // In a new row even a value equal to the "original" stays: there is no server value.
        edits.setValue(Target::newRow(second), nameColumn, QVariant(u"same"_s), QVariant(u"same"_s));
        QCOMPARE(edits.value(Target::newRow(second), nameColumn), std::optional<QVariant>(u"same"_s));
        edits.setValue(Target::newRow(second), nameColumn, std::nullopt);
        QCOMPARE(edits.value(Target::newRow(second), nameColumn), std::nullopt);

        // A row that is gone (undone, discarded) takes nothing.
        edits.setValue(Target::newRow(12345), nameColumn, QVariant(u"lost"_s));
        QCOMPARE(edits.value(Target::newRow(12345), nameColumn), std::nullopt);
        QCOMPARE(edits.newRowCount(), 2);

        const StagedEdits::NewRow taken = edits.takeNewRow(0);
        QCOMPARE(taken.serial, first);
        QCOMPARE(taken.values.value(nameColumn), QVariant(u"a"_s));
        QCOMPARE(edits.newRowPosition(second), 0);
        edits.insertNewRow(-3, taken); // clamped to the start
        QCOMPARE(edits.newRowPosition(first), 0);
        QCOMPARE(edits.value(Target::newRow(first), nameColumn), std::optional<QVariant>(u"a"_s));
    }

    void deletedRows()
    {
        StagedEdits edits;
        edits.setValue(Target::existing(4), nameColumn, QVariant(u"edited"_s), QVariant(u"old"_s));
        edits.setValue(Target::existing(4), dateColumn, null(), QVariant(u"2024-01-01 00:00:00"_s));
        edits.setValue(Target::existing(8), nameColumn, QVariant(u"kept"_s), QVariant(u"old"_s));
        QCOMPARE(edits.changeCount(), 3);

        const Values whenRead{ { nameColumn, u"old"_s }, { dateColumn, u"2024-01-01 00:00:00"_s } };
        edits.markDeleted(4, whenRead);
        QVERIFY(edits.isDeleted(4));
        QVERIFY(!edits.isDeleted(8));
        QCOMPARE(edits.deletedKeys(), QList<RowKey>{ 4 });
        QCOMPARE(edits.deletedRowWhenRead(4), whenRead);
        QCOMPARE(edits.deletedCount(), 1);
        // Save deletes row 4 instead of writing its edits: they are not counted, but kept.
        QCOMPARE(edits.changeCount(), 1);
        QCOMPARE(edits.edits(4).size(), 2);

        edits.unmarkDeleted(4);
        QCOMPARE(edits.deletedCount(), 0);
        QCOMPARE(edits.changeCount(), 3);

        // Only deletions staged is still a pending change.
        StagedEdits onlyDeletes;
        onlyDeletes.markDeleted(1, {});
        QVERIFY(!onlyDeletes.isEmpty());
        QCOMPARE(onlyDeletes.changeCount(), 0);
        QCOMPARE(onlyDeletes.deletedCount(), 1);
    }

    void forgetAndClear()
    {
        StagedEdits edits;
        edits.setValue(Target::existing(1), nameColumn, QVariant(u"a"_s), QVariant(u"o"_s));
        edits.setValue(Target::existing(2), nameColumn, QVariant(u"b"_s), QVariant(u"o"_s));
        edits.markDeleted(3, {});
        edits.insertNewRow(0, { edits.nextSerial(), {} });
        // After a save or when another client deleted the rows: everything about those keys goes.
        edits.forgetKeys({ 1, 3 });
        QCOMPARE(edits.editedKeys(), QList<RowKey>{ 2 });
        QCOMPARE(edits.original(1, nameColumn), std::nullopt);
        QVERIFY(!edits.isDeleted(3));
        QCOMPARE(edits.newRowCount(), 1);
        QCOMPARE(edits.changeCount(), 2);

        const int serialBefore = edits.nextSerial();
        edits.clear();
        QVERIFY(edits.isEmpty());
        QCOMPARE(edits.changeCount(), 0);
        QCOMPARE(edits.original(2, nameColumn), std::nullopt);
        // Serials are never reused, so an undo step of a discarded row cannot reach a new one.
        QVERIFY(edits.nextSerial() > serialBefore);
    }

    void stageCellCommandUndoRedo()
    {
        FakeHost host;
        host.server.insert(5, { { nameColumn, u"server"_s } });
        QUndoStack stack;

        host.stage(stack, Target::existing(5), nameColumn, u"one"_s);
        QCOMPARE(stack.undoText(), u"Edit Name"_s);
        host.stage(stack, Target::existing(5), nameColumn, u"two"_s);
        QCOMPARE(host.edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"two"_s));
        QCOMPARE(host.edits.original(5, nameColumn), std::optional<QVariant>(u"server"_s));
        QCOMPARE(host.edits.changeCount(), 1);

        stack.undo();
        QCOMPARE(host.edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"one"_s));
        QCOMPARE(host.edits.original(5, nameColumn), std::optional<QVariant>(u"server"_s));
        stack.undo();
        // Back to "nothing staged": the grid shows the server's value again.
        QCOMPARE(host.edits.value(Target::existing(5), nameColumn), std::nullopt);
        QCOMPARE(host.edits.original(5, nameColumn), std::nullopt);
        QVERIFY(host.edits.isEmpty());
        QVERIFY(!stack.canUndo());

        // The server's value changed meanwhile (a live reload): redo records what it holds now.
        host.server[5][nameColumn] = u"theirs"_s;
        stack.redo();
        QCOMPARE(host.edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"one"_s));
        QCOMPARE(host.edits.original(5, nameColumn), std::optional<QVariant>(u"theirs"_s));
        stack.redo();
        QCOMPARE(host.edits.value(Target::existing(5), nameColumn), std::optional<QVariant>(u"two"_s));
        QVERIFY(!stack.canRedo());
        QCOMPARE(host.calls.size(), 6);
        QCOMPARE(host.calls.constFirst(), u"apply 5 1"_s);
    }

    void setToNullAndBackIsUndoable()
    {
        FakeHost host;
        host.server.insert(5, { { nameColumn, u""_s } });
        QUndoStack stack;
        host.stage(stack, Target::existing(5), nameColumn, null());
        QVERIFY(host.edits.value(Target::existing(5), nameColumn)->isNull());
        QCOMPARE(host.edits.original(5, nameColumn), std::optional<QVariant>(u""_s));
        host.stage(stack, Target::existing(5), nameColumn, u""_s);
        QVERIFY(host.edits.isEmpty()); // the empty string is what the server has
        stack.undo();
        QVERIFY(host.edits.value(Target::existing(5), nameColumn)->isNull());
        stack.undo();
        QVERIFY(host.edits.isEmpty());
    }

    void addRowCommandUndoRedo()
    {
        FakeHost host;
        QUndoStack stack;
        const int first = host.edits.nextSerial();
        stack.push(new AddRowCommand(&host, first));
        QCOMPARE(stack.undoText(), u"Add row"_s);
        host.stage(stack, Target::newRow(first), nameColumn, u"typed"_s);
        const int second = host.edits.nextSerial();
        stack.push(new AddRowCommand(&host, second));
        QCOMPARE(host.newRowSerials(), (QList<int>{ first, second }));
        QCOMPARE(host.edits.changeCount(), 2);

        stack.undo(); // the second row
        QCOMPARE(host.newRowSerials(), QList<int>{ first });
        stack.undo(); // the typed cell
        QCOMPARE(host.edits.value(Target::newRow(first), nameColumn), std::nullopt);
        stack.undo(); // the first row
        QVERIFY(host.edits.isEmpty());

        stack.redo();
        stack.redo();
        stack.redo();
        QCOMPARE(host.newRowSerials(), (QList<int>{ first, second }));
        QCOMPARE(host.edits.value(Target::newRow(first), nameColumn), std::optional<QVariant>(u"typed"_s));
        QCOMPARE(host.calls,
                 (QStringList{ u"insert 1 at 0"_s, u"apply 1 1"_s, u"insert 2 at 1"_s, u"remove at 1"_s, u"apply 1 1"_s,
                               u"remove at 0"_s, u"insert 1 at 0"_s, u"apply 1 1"_s, u"insert 2 at 1"_s }));
    }

    void addRowUndoKeepsWhatTheRowHeld()
    {
        // Delete then undo brings a new row back with its cells, at its place.
        FakeHost host;
        QUndoStack stack;
        QList<int> serials;
        for (int i = 0; i < 3; ++i) {
            serials << host.edits.nextSerial();
            stack.push(new AddRowCommand(&host, serials.last()));
            host.stage(stack, Target::newRow(serials.last()), nameColumn, u"row %1"_s.arg(i));
        }
        stack.push(new DeleteRowsCommand(&host, {}, { serials.at(0), serials.at(2) }));
        QCOMPARE(stack.undoText(), u"Delete 2 rows"_s);
        QCOMPARE(host.newRowSerials(), QList<int>{ serials.at(1) });
        QCOMPARE(host.edits.changeCount(), 1);
        QCOMPARE(host.edits.value(Target::newRow(serials.at(0)), nameColumn), std::nullopt);

        stack.undo();
        QCOMPARE(host.newRowSerials(), serials);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(host.edits.value(Target::newRow(serials.at(i)), nameColumn),
                     std::optional<QVariant>(u"row %1"_s.arg(i)));
        }
        stack.redo();
        QCOMPARE(host.newRowSerials(), QList<int>{ serials.at(1) });
    }

    void deleteRowsCommandMarksServerRows()
    {
        FakeHost host;
        host.server.insert(10, { { nameColumn, u"ten"_s } });
        host.server.insert(11, { { nameColumn, u"eleven"_s } });
        QUndoStack stack;
        host.stage(stack, Target::existing(10), nameColumn, u"edited"_s);
        const int serial = host.edits.nextSerial();
        stack.push(new AddRowCommand(&host, serial));

        const QHash<RowKey, Values> seen{ { 10, { { nameColumn, u"ten"_s } } },
                                          { 11, { { nameColumn, u"eleven"_s } } } };
        stack.push(new DeleteRowsCommand(&host, seen, { serial }));
        QCOMPARE(stack.undoText(), u"Delete 3 rows"_s);
        QVERIFY(host.edits.isDeleted(10));
        QVERIFY(host.edits.isDeleted(11));
        // The conflict check compares with what the user saw, not with the staged edit.
        QCOMPARE(host.edits.deletedRowWhenRead(10), (Values{ { nameColumn, u"ten"_s } }));
        QCOMPARE(host.edits.deletedCount(), 2);
        QCOMPARE(host.edits.newRowCount(), 0);
        QCOMPARE(host.edits.changeCount(), 0);
        QCOMPARE(host.edits.edits(10), (Values{ { nameColumn, u"edited"_s } }));

        stack.undo();
        QCOMPARE(host.edits.deletedCount(), 0);
        QCOMPARE(host.newRowSerials(), QList<int>{ serial });
        QCOMPARE(host.edits.changeCount(), 2);
        stack.redo();
        QCOMPARE(host.edits.deletedCount(), 2);

        FakeHost one;
        QUndoStack oneStack;
        oneStack.push(new DeleteRowsCommand(&one, { { 3, {} } }, {}));
        QCOMPARE(oneStack.undoText(), u"Delete row"_s);
    }

    void pasteIsOneUndoStep()
    {
        // GridClipboard::pasteAsNewRows(): rows and their cells in one macro.
        FakeHost host;
        QUndoStack stack;
        stack.beginMacro(u"Paste as new rows"_s);
        for (const QString& name : { u"a"_s, u"b"_s }) {
            const int serial = host.edits.nextSerial();
            stack.push(new AddRowCommand(&host, serial));
            host.stage(stack, Target::newRow(serial), nameColumn, name);
        }
        stack.endMacro();
        QCOMPARE(stack.count(), 1);
        QCOMPARE(host.edits.changeCount(), 2);
        stack.undo();
        QVERIFY(host.edits.isEmpty());
        stack.redo();
        QCOMPARE(host.edits.newRowCount(), 2);
        QCOMPARE(host.edits.value(Target::newRow(host.edits.newRowAt(1).serial), nameColumn),
                 std::optional<QVariant>(u"b"_s));
    }

    // Edits made before a rebind found another table shape stay stale until clear() (Discard),
    // even once each is gone (an undo could bring it back): whatever is staged then is stale too.
    // A shape change that finds nothing staged starts afresh.
    void editsOutliveNoShapeChange()
    {
        const QStringList before{ u"id bigint"_s, u"name text"_s, u"key id"_s };
        const QStringList after{ u"id bigint"_s, u"label text"_s, u"name text"_s, u"key id"_s };
        StagedEdits edits;
        QVERIFY(edits.bindShape(before));
        QVERIFY(!edits.bindShape(before));
        edits.setValue(Target::existing(1), 1, u"x"_s, u"old"_s);
        QVERIFY(!edits.bindShape(before));
        QVERIFY(!edits.isStale());
        QVERIFY(edits.bindShape(after));
        QVERIFY(edits.isStale());
        QVERIFY(!edits.bindShape(after));
        QVERIFY2(edits.isStale(), "binding the new shape again does not make old edits fresh");

        edits.setValue(Target::existing(1), 1, std::nullopt);
        QVERIFY(edits.isEmpty());
        QVERIFY(!edits.isStale()); // nothing to save
        edits.setValue(Target::existing(1), 1, u"x"_s, u"old"_s); // as an undo would
        QVERIFY(edits.isStale());
        edits.setValue(Target::existing(1), 1, std::nullopt);
        edits.markDeleted(2, {});
        QVERIFY(edits.isStale());
        edits.unmarkDeleted(2);
        edits.insertNewRow(0, { edits.nextSerial(), {} });
        QVERIFY(edits.isStale());

        edits.clear();
        QVERIFY(!edits.bindShape(after));
        edits.insertNewRow(0, { edits.nextSerial(), {} });
        QVERIFY(!edits.isStale());

        // Nothing staged at the change: nothing is stale after it.
        edits.clear();
        QVERIFY(edits.bindShape(before));
        edits.markDeleted(2, {});
        QVERIFY(!edits.isStale());
    }
};

QTEST_GUILESS_MAIN(TestStagedEdits)
#include "tst_stagededits.moc"
