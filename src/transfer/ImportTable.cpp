#include "transfer/ImportTable.h"

#include "table/TableColumns.h"

using namespace Qt::StringLiterals;

ImportTable ImportTable::tutorial()
{
    ImportTable table;
    table.columns = QStringList{ u"name"_s, u"date"_s };
    table.serverNumbered = QStringList{ u"id"_s };
    table.lineColumn = u"name"_s;
    table.matchColumns = QStringList{ u"name"_s };
    table.matchTypes = QStringList{ QString() };
    return table;
}

ImportTable ImportTable::fromColumns(const TableColumns& table)
{
    ImportTable import;
    // Without the catalog's traits a serial id would look fillable and no text column known: no
    // import rather than ids written past the sequence.
    if (!table.hasTraits())
        return import;
    int firstText = -1;
    for (int column = 0; column < table.count(); ++column) {
        if (table.isGenerated(column))
            continue;
        if (table.isKey(column) && table.isNumbered(column)) {
            import.serverNumbered << table.name(column);
            continue;
        }
        import.columns << table.name(column);
        if (firstText < 0 && table.isString(column))
            firstText = column;
    }
    const int name = table.nameColumn();
    const int lineColumn = name >= 0 && import.columns.contains(table.name(name)) ? name : firstText;
    import.lineColumn = lineColumn >= 0 ? table.name(lineColumn)
                                        : (import.columns.isEmpty() ? QString() : import.columns.constFirst());
    bool wholeKey = table.hasKey();
    // A key with a default of its own (a uuid's gen_random_uuid()) may be left to it by the file, so
    // rows are matched by name there, as the tutorial's import always did.
    for (int column : table.keyColumns())
        wholeKey = wholeKey && import.columns.contains(table.name(column)) && !table.hasDefault(column);
    const QList<int> match = wholeKey                            ? table.keyColumns()
        : name >= 0 && import.columns.contains(table.name(name)) ? QList<int>{ name }
                                                                 : QList<int>{};
    for (int column : match) {
        import.matchColumns << table.name(column);
        // Text compares as itself: a cast to varchar(n) would cut a long value to a short one's.
        import.matchTypes << (table.isString(column) ? QString() : table.typeSql(column));
    }
    return import;
}
