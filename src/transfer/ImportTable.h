#pragma once

#include <QString>
#include <QStringList>

class TableColumns;

// The table's side of an import: which columns a file may fill, where a file of one value per line
// goes, and which columns tell that a row is in the table already ("skip existing"). Every name
// here is the catalog's, never a file's: the importer builds its COPY column list from them.
struct ImportTable
{
    // In the table's order. Not a generated column (the server computes it), and not a key column
    // the server numbers (a serial or identity id), as Add row leaves it; a key with another
    // default (a uuid's gen_random_uuid()) is offered, so an exported file imports back with its
    // keys. Empty when the catalog's traits could not be read.
    QStringList columns;
    // The key columns left out for that reason: a file's column of that name is ignored.
    QStringList serverNumbered;
    // Where a file of one value per line goes: name when it holds text, else the first text column
    // a file can fill, else the first such column; empty when there is none.
    QString lineColumn;
    // What "skip existing" compares when a file does not fill the whole key: the primary key when
    // no part has a default (a file must fill it), else a text name; empty when neither (no skip
    // offered). Compared as the table's types, NULL equal to NULL.
    QStringList matchColumns;
    // The SQL type each match column is compared as; "" compares its text (text columns, and a type
    // the catalog did not name).
    QStringList matchTypes;
    // The whole primary key, when a file can fill every part of it (some may have defaults, as a
    // uuid's gen_random_uuid() or a reading's now()), with its types as matchTypes has them.
    QStringList keyColumns;
    QStringList keyTypes;

    // What "skip existing" compares for a file that fills these columns: the whole key when the
    // file fills all of it (an exported file read back), else matchColumns; and their types.
    QStringList matchColumnsFor(const QStringList& filled) const;
    QStringList matchTypesFor(const QStringList& filled) const;

    // The tutorial's my_table: name and date; id numbered by the server; matched by name.
    static ImportTable tutorial();
    static ImportTable fromColumns(const TableColumns& table);

    bool operator==(const ImportTable& other) const
    {
        return columns == other.columns && serverNumbered == other.serverNumbered && lineColumn == other.lineColumn
            && matchColumns == other.matchColumns && matchTypes == other.matchTypes && keyColumns == other.keyColumns
            && keyTypes == other.keyTypes;
    }
};
