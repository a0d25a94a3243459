// The plan a save writes, built from staged edits with no server: what is written in which order,
// what each write compares against, and which values are refused before anything is sent.
// tst_editing and tst_rightrows check the same writes against a real server.
#include "editing/SavePlanner.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int idColumn = 0;
constexpr int nameColumn = 1;
constexpr int dateColumn = 2;

SavePlanner::Table myTable()
{
    SavePlanner::Table table;
    table.table = TableName(u"public"_s, u"my_table"_s);
    table.keyColumns = { idColumn };
    table.columns = { { u"id"_s, u"id"_s, u"id"_s },
                      { u"name"_s, u"name"_s, u"name"_s },
                      { u"date"_s, u"date_text"_s, u"date_text"_s } };
    table.titles = { u"ID"_s, u"Name"_s, u"Date"_s };
    table.describeRow = [](const RowKey& key) { return u"the row with id %1"_s.arg(key.text()); };
    return table;
}

void stage(StagedEdits& staged, qint64 key, int column, const QVariant& value, const QVariant& whenRead)
{
    staged.setValue(StagedEdits::Target::existing(key), column, value, whenRead);
}

void addNewRow(StagedEdits& staged, const StagedEdits::Values& values)
{
    StagedEdits::NewRow row;
    row.serial = staged.nextSerial();
    row.values = values;
    staged.insertNewRow(staged.newRowCount(), row);
}

} // namespace

class TestSavePlanner : public QObject
{
    Q_OBJECT

private slots:
    void updatesCarryWhatTheUserReadInKeyOrder()
    {
        StagedEdits staged;
        stage(staged, 9, nameColumn, u"nine"_s, u"person 9"_s);
        stage(staged, 3, dateColumn, u"2024-03-10 02:30:00.123456"_s, u"2024-01-01 00:00:00"_s);
        stage(staged, 3, nameColumn, u"three"_s, u"person 3"_s);
        const TableWriter::Plan plan = SavePlanner::plan(staged, myTable());
        QCOMPARE(plan.table.sql(), u"\"public\".\"my_table\""_s);
        QCOMPARE(plan.keyColumns, QList<int>{ idColumn });
        QCOMPARE(plan.columns.size(), 3);
        QCOMPARE(plan.updates.size(), 2);
        QCOMPARE(plan.updates.at(0).key, 3);
        QCOMPARE(plan.updates.at(0).columns, (QList<int>{ nameColumn, dateColumn }));
        QCOMPARE(plan.updates.at(0).values, (QVariantList{ u"three"_s, u"2024-03-10 02:30:00.123456"_s }));
        QCOMPARE(plan.updates.at(0).whenRead.at(0), std::optional<QVariant>(u"person 3"_s));
        QCOMPARE(plan.updates.at(0).whenRead.at(1), std::optional<QVariant>(u"2024-01-01 00:00:00"_s));
        QCOMPARE(plan.updates.at(0).description, u"the row with id 3"_s);
        QCOMPARE(plan.updates.at(1).key, 9);
        QVERIFY(plan.inserts.isEmpty());
        QVERIFY(plan.deletes.isEmpty());
    }

    void newRowsNameOnlyTheColumnsTheUserSet()
    {
        StagedEdits staged;
        addNewRow(staged, { { nameColumn, u"first"_s } });
        addNewRow(staged, {}); // all defaults
        addNewRow(staged, { { dateColumn, u"2020-01-01 00:00:00"_s }, { nameColumn, QVariant() } });
        const TableWriter::Plan plan = SavePlanner::plan(staged, myTable());
        QCOMPARE(plan.inserts.size(), 3);
        QCOMPARE(plan.inserts.at(0).columns, QList<int>{ nameColumn });
        QCOMPARE(plan.inserts.at(0).values, QVariantList{ u"first"_s });
        QVERIFY(plan.inserts.at(1).columns.isEmpty());
        QCOMPARE(plan.inserts.at(2).columns, (QList<int>{ nameColumn, dateColumn }));
        QVERIFY(plan.inserts.at(2).values.at(0).isNull()); // NULL chosen, not the default
    }

    void aRowMarkedForDeletionIsDeletedNotUpdated()
    {
        StagedEdits staged;
        stage(staged, 5, nameColumn, u"edited"_s, u"person 5"_s);
        staged.markDeleted(5, { { nameColumn, u"person 5"_s }, { dateColumn, u"2024-01-01 00:00:00"_s } });
        staged.markDeleted(2, { { nameColumn, QVariant() } });
        const TableWriter::Plan plan = SavePlanner::plan(staged, myTable());
        QVERIFY(plan.updates.isEmpty());
        QCOMPARE(plan.deletes.size(), 2);
        QCOMPARE(plan.deletes.at(0).key, 2);
        QCOMPARE(plan.deletes.at(0).columns, QList<int>{ nameColumn });
        QVERIFY(plan.deletes.at(0).whenRead.at(0).isNull());
        QCOMPARE(plan.deletes.at(1).key, 5);
        QCOMPARE(plan.deletes.at(1).columns, (QList<int>{ nameColumn, dateColumn }));
        QCOMPARE(plan.deletes.at(1).whenRead,
                 (QVariantList{ u"person 5"_s, u"2024-01-01 00:00:00"_s })); // what the user saw, not the edit
    }

    void valuesPostgresCannotStoreAreNamedBeforeAnythingIsSent()
    {
        StagedEdits staged;
        QVERIFY(SavePlanner::unstorableText(staged, myTable()).isEmpty());
        stage(staged, 4, nameColumn, u"fine"_s, u"person 4"_s);
        QVERIFY(SavePlanner::unstorableText(staged, myTable()).isEmpty());

        stage(staged, 7, nameColumn, u"nul\u0000here"_s, u"person 7"_s);
        const QString nul = SavePlanner::unstorableText(staged, myTable());
        QVERIFY2(nul.contains(u"NUL character"_s), qPrintable(nul));
        QVERIFY2(nul.contains(u"Name"_s) && nul.contains(u"the row with id 7"_s), qPrintable(nul));

        StagedEdits newRows;
        addNewRow(newRows, { { nameColumn, u"ok"_s } });
        addNewRow(newRows, { { nameColumn, QString(QChar(0xd800)) } });
        const QString surrogate = SavePlanner::unstorableText(newRows, myTable());
        QVERIFY2(surrogate.contains(u"unpaired UTF-16 surrogate"_s), qPrintable(surrogate));
        QVERIFY2(surrogate.contains(u"new row 2"_s), qPrintable(surrogate));
    }

    void emptyStringsAndNullsAreStoredAsThemselves()
    {
        StagedEdits staged;
        stage(staged, 1, nameColumn, u""_s, u"person 1"_s);
        stage(staged, 2, nameColumn, QVariant(QMetaType(QMetaType::QString)), u"person 2"_s);
        QVERIFY(SavePlanner::unstorableText(staged, myTable()).isEmpty());
        const TableWriter::Plan plan = SavePlanner::plan(staged, myTable());
        QCOMPARE(plan.updates.size(), 2);
        QVERIFY(!plan.updates.at(0).values.at(0).isNull());
        QCOMPARE(plan.updates.at(0).values.at(0).toString(), QString());
        QVERIFY(plan.updates.at(1).values.at(0).isNull());
    }
};

QTEST_APPLESS_MAIN(TestSavePlanner)
#include "tst_saveplanner.moc"
