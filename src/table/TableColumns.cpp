#include "table/TableColumns.h"

#include "config/TableName.h"
#include "connection/DateTimeText.h"

#include <QMetaType>
#include <QSqlField>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

TableColumns::TableColumns(const QSqlRecord& record, const QSqlIndex& primaryKey,
                           const TableCatalog::ColumnTraits& traits)
    : m_record(record)
{
    for (int column = 0; column < record.count(); ++column) {
        const int type = record.field(column).metaType().id();
        if (type == QMetaType::QDateTime || type == QMetaType::QDate || type == QMetaType::QTime)
            m_timestampColumns << column;
    }
    // A trait naming a column the record lacks (dropped between the two reads) is left out.
    const auto indexesOf = [this](const QStringList& names) {
        QList<int> columns;
        for (const QString& name : names) {
            if (const int column = indexOf(name); column >= 0)
                columns << column;
        }
        return columns;
    };
    m_defaultColumns = indexesOf(traits.withDefault);
    m_numberedColumns = indexesOf(traits.numbered);
    m_hasTraits = traits.read;
    m_bomGuardedColumns = indexesOf(traits.textWithBomGuard);
    m_paddedColumns = indexesOf(traits.paddedWithBomGuard);
    m_stringColumns = indexesOf(traits.text);
    m_unsortableColumns = indexesOf(traits.unsortable);
    m_trigramIndexableColumns = indexesOf(traits.trigramIndexable);
    m_generatedColumns = indexesOf(traits.generated);
    for (auto it = traits.enumLabels.cbegin(); it != traits.enumLabels.cend(); ++it) {
        if (const int column = indexOf(it.key()); column >= 0)
            m_enumLabels.insert(column, it.value());
    }
    std::sort(m_stringColumns.begin(), m_stringColumns.end());
    // QPSQL hands every type it has no C++ type for over as its text (json, xml, point, uuid,
    // interval, arrays, enums): read and compared as that text, which is exact. A numeric is read
    // as a double, which rounds it, unless it is read as text.
    const QList<int> numericColumns = indexesOf(traits.numeric);
    for (int column = 0; column < record.count(); ++column) {
        const bool textForm
            = record.field(column).metaType().id() == QMetaType::QString && !m_stringColumns.contains(column);
        if ((textForm || numericColumns.contains(column)) && !isTimestamp(column))
            m_textFormColumns << column;
        if (const QString type = traits.typeSql.value(name(column)); !type.isEmpty())
            m_typeSql.insert(column, type);
    }
    // The catalog's key; QPSQL's primaryIndex() only when the catalog did not answer, and then only
    // a single column (see TableCatalog::ColumnTraits::primaryKey for why it is not trusted more).
    QStringList keyNames = traits.primaryKey;
    if (!traits.read && primaryKey.count() == 1)
        keyNames = QStringList{ primaryKey.fieldName(0) };
    for (const QString& keyName : std::as_const(keyNames)) {
        const int column = indexOf(keyName);
        if (column < 0) {
            m_keyColumns.clear();
            break;
        }
        m_keyColumns << column;
    }
    // A row is named by its key's exact text; without the catalog's traits a single numeric key
    // would be read as a rounded double and a text key without its U+FEFF guard, and two rows
    // could share one name. The window then shows the first rows, read-only. A composite key is
    // read as its columns' texts on the server (KeyColumns), exact without the traits.
    if (m_keyColumns.size() == 1 && !traits.read && !isInteger(m_keyColumns.constFirst()))
        m_keyColumns.clear();
    if (const int name = indexOf(u"name"_s); m_stringColumns.contains(name))
        m_nameColumn = name;
}

int TableColumns::indexOf(const QString& name) const
{
    for (int column = 0; column < m_record.count(); ++column) {
        if (m_record.fieldName(column) == name)
            return column;
    }
    return -1;
}

QList<int> TableColumns::filterColumns() const
{
    QList<int> columns;
    for (int column = 0; column < count(); ++column)
        columns << column;
    return columns;
}

int TableColumns::defaultFilterColumn() const
{
    if (m_nameColumn >= 0)
        return m_nameColumn;
    if (!m_stringColumns.isEmpty())
        return m_stringColumns.constFirst();
    // No text at all: the first column after the key, compared as its type (NameFilter).
    for (int column = 0; column < count(); ++column) {
        if (!isKey(column))
            return column;
    }
    return -1;
}

KeyColumns TableColumns::key(const QString& qualifier) const
{
    QStringList columns;
    for (int column : m_keyColumns)
        columns << (qualifier.isEmpty() ? quotedName(column) : qualifier + u'.' + quotedName(column));
    QString singleReadSql;
    if (m_keyColumns.size() == 1) {
        const int column = m_keyColumns.constFirst();
        if (const QString read = exactReadSql(column); read != quotedName(column))
            singleReadSql = read;
    }
    return KeyColumns(columns, singleReadSql);
}

QString TableColumns::quotedName(int column) const
{
    return TableName::quoteIdentifier(name(column));
}

bool TableColumns::isNumber(int column) const
{
    const int type = m_record.field(column).metaType().id();
    return type == QMetaType::Int || type == QMetaType::LongLong || type == QMetaType::Short || type == QMetaType::UInt
        || type == QMetaType::ULongLong || type == QMetaType::Double;
}

bool TableColumns::isInteger(int column) const
{
    const int type = m_record.field(column).metaType().id();
    return type == QMetaType::Int || type == QMetaType::LongLong || type == QMetaType::Short;
}

bool TableColumns::isNullable(int column) const
{
    return m_record.field(column).requiredStatus() != QSqlField::Required;
}

QString TableColumns::plainTextSql(int column) const
{
    const QString quoted = quotedName(column);
    return m_textFormColumns.contains(column) ? u"(%1)::text"_s.arg(quoted) : quoted;
}

QString TableColumns::exactReadSql(int column) const
{
    const QString quoted = quotedName(column);
    if (isTimestamp(column))
        return DateTimeText::isoSql(quoted);
    if (m_paddedColumns.contains(column) && m_keyColumns.contains(column)) {
        // A char(n) key starting with U+FEFF would lose it as text does (below) and name another
        // row, in the cell, in a new row's key and in a delete's check alike. format() writes the
        // value with its padding; ::text and || would drop it. Only a key: elsewhere the column
        // keeps its type and its declared length for the editor.
        return u"CASE WHEN %1 IS NULL THEN NULL WHEN left(%1::text, 1) = chr(65279) THEN chr(65279) || "
               "format('%s', %1) ELSE format('%s', %1) END"_s.arg(quoted);
    }
    if (m_bomGuardedColumns.contains(column)) {
        // QPSQL decodes text with QString::fromUtf8(), which takes a leading U+FEFF for a byte
        // order mark and drops it: "\ufeffbob" would be read as "bob", another row's name, and
        // edits, deletes and keyset anchors would then compare against it. fromUtf8() drops
        // exactly one, only at the start, so a value starting with U+FEFF is sent with one more
        // and arrives as stored. Reading convert_to(..., 'UTF8') as bytes would be exact too, but
        // would make the column a QByteArray for QSqlTableModel, its editors and every compare.
        // An enum is guarded as its text: left() and || take no enum.
        return u"CASE WHEN left(%1, 1) = chr(65279) THEN chr(65279) || %1 ELSE %1 END"_s.arg(plainTextSql(column));
    }
    return plainTextSql(column);
}

QStringList TableColumns::choices(int column) const
{
    if (m_enumLabels.contains(column))
        return m_enumLabels.value(column);
    if (column >= 0 && column < count() && type(column).id() == QMetaType::Bool)
        return { u"true"_s, u"false"_s }; // what QPSQL's bool reads as, so the current value is found
    return {};
}

QString TableColumns::compareSql(int column) const
{
    // A column read through the U+FEFF guard is compared as its plain text (a string column as
    // itself): the value read is then that exact text, where the guard's would have one U+FEFF
    // more. char(n) must be compared as itself: its ::text drops the padding it was read with.
    if (m_bomGuardedColumns.contains(column))
        return plainTextSql(column);
    return isReadAsText(column) ? exactReadSql(column) : quotedName(column);
}

QString TableColumns::rowSelectList() const
{
    QStringList selectList;
    for (int column = 0; column < count(); ++column) {
        const QString quoted = quotedName(column);
        const QString read = exactReadSql(column);
        selectList << (read == quoted ? quoted : read + u" AS "_s + quoted);
    }
    return selectList.join(u", "_s);
}

QString TableColumns::exportSelectList() const
{
    QStringList selectList;
    for (int column = 0; column < count(); ++column) {
        const QString quoted = quotedName(column);
        selectList << (isTimestamp(column) ? DateTimeText::isoSql(quoted) + u" AS "_s + quoted : quoted);
    }
    return selectList.join(u", "_s);
}

QList<TableWriter::Column> TableColumns::writerColumns() const
{
    QList<TableWriter::Column> columns;
    for (int column = 0; column < count(); ++column)
        columns << TableWriter::Column{ name(column), exactReadSql(column), compareSql(column) };
    return columns;
}
