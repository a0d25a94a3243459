#include "TableModel.h"

#include <QMetaType>
#include <QSqlDriver>
#include <QSqlField>
#include <QSqlRecord>
#include <QStringList>

using namespace Qt::StringLiterals;

TableModel::TableModel(const QSqlDatabase& database, QObject* parent)
    : QSqlTableModel(parent, database)
{
    setEditStrategy(QSqlTableModel::OnManualSubmit);
}

bool TableModel::setTableName(const TableName& table)
{
    m_table = table;
    setTable(table.sql());
    m_timestampColumns.clear();
    const QSqlRecord columns = record();
    for (int column = 0; column < columns.count(); ++column) {
        const int type = columns.field(column).metaType().id();
        if (type == QMetaType::QDateTime || type == QMetaType::QDate || type == QMetaType::QTime)
            m_timestampColumns << column;
    }
    return columns.count() > 0;
}

bool TableModel::isTimestampColumn(int column) const
{
    return m_timestampColumns.contains(column);
}

QString TableModel::selectStatement() const
{
    const QSqlRecord columns = record();
    if (columns.isEmpty())
        return {};
    QStringList selectList;
    for (int column = 0; column < columns.count(); ++column) {
        const QString quoted = TableName::quoteIdentifier(columns.fieldName(column));
        selectList << (isTimestampColumn(column) ? quoted + u"::text AS "_s + quoted : quoted);
    }
    QString statement = u"SELECT "_s + selectList.join(u", "_s) + u" FROM "_s + m_table.sql();
    if (!filter().isEmpty())
        statement += u" WHERE ("_s + filter() + u')';
    const QString orderBy = orderByClause();
    if (!orderBy.isEmpty())
        statement += u' ' + orderBy;
    return statement;
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        const QString field = record().fieldName(section);
        if (field == u"id")
            return tr("ID");
        if (field == u"name")
            return tr("Name");
        if (field == u"date")
            return tr("Date");
    }
    return QSqlTableModel::headerData(section, orientation, role);
}
