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
    // Text compares as itself: a cast to varchar(n) would cut a long value to a short one's.
    const auto typeOf = [&](int column) { return table.isString(column) ? QString() : table.typeSql(column); };
    bool fillableKey = table.hasKey();
    bool keyWithoutDefault = table.hasKey();
    for (int column : table.keyColumns()) {
        fillableKey = fillableKey && import.columns.contains(table.name(column));
        keyWithoutDefault = keyWithoutDefault && !table.hasDefault(column);
    }
    // A key compares as its type where that differs from its text: the table holds one
    // 'Bob@example.org' citext or 'ab' char(4), whatever the file's case or trailing spaces, so a
    // text compare would not skip the row and the whole import would fail on the key. bpchar,
    // not char(n): the preview's cast to char(4) would cut a longer value to an existing key.
    const auto keyTypeOf = [&](int column) {
        const QString type = table.typeSql(column);
        if (!table.isString(column))
            return type;
        if (type == u"citext"_s)
            return type;
        if (type == u"character"_s || type.startsWith(u"character("_s) || type == u"bpchar"_s)
            return u"bpchar"_s;
        return QString();
    };
    if (fillableKey) {
        for (int column : table.keyColumns()) {
            import.keyColumns << table.name(column);
            import.keyTypes << keyTypeOf(column);
        }
    }
    // A key with a default of its own may be left to it by the file: rows are then matched by name,
    // as the tutorial's import always did.
    if (fillableKey && keyWithoutDefault) {
        import.matchColumns = import.keyColumns;
        import.matchTypes = import.keyTypes;
    } else if (name >= 0 && import.columns.contains(table.name(name))) {
        import.matchColumns << table.name(name);
        import.matchTypes << typeOf(name);
    }
    return import;
}

static bool fillsKey(const ImportTable& table, const QStringList& filled)
{
    if (table.keyColumns.isEmpty())
        return false;
    for (const QString& column : table.keyColumns) {
        if (!filled.contains(column))
            return false;
    }
    return true;
}

QStringList ImportTable::matchColumnsFor(const QStringList& filled) const
{
    return fillsKey(*this, filled) ? keyColumns : matchColumns;
}

QStringList ImportTable::matchTypesFor(const QStringList& filled) const
{
    return fillsKey(*this, filled) ? keyTypes : matchTypes;
}
