#pragma once

#include "TableName.h"

#include <QSqlTableModel>

// The QSqlTableModel the window binds to the table. It differs from a plain one where Qt 6.4's
// QPSQL driver gets PostgreSQL wrong (see docs/ARCHITECTURE.md):
// - TIMESTAMP columns are selected as text, because QPSQL reads them as client-local time and
//   writes them back as UTC, which moves stored values whenever the client's time zone differs
//   from the session's, and drops microseconds. Text shows exactly what the server stores.
class TableModel : public QSqlTableModel
{
    Q_OBJECT

public:
    explicit TableModel(const QSqlDatabase& database, QObject* parent = nullptr);

    // Binds the model to the table and gives the tutorial's columns readable headers.
    bool setTableName(const TableName& table);
    TableName tableName() const { return m_table; }

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    bool isTimestampColumn(int column) const;

protected:
    QString selectStatement() const override;

private:
    TableName m_table;
    QList<int> m_timestampColumns;
};
