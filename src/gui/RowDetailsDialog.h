#pragma once

#include <QDialog>
#include <QHash>
#include <QList>
#include <QVariant>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class TableModel;

// View > Row details: every column of one row in full, with its type, the exact text the grid
// holds (a timestamp's server text), its length in characters, and NULL kept apart from empty
// text. Every column the grid edits as text (the name, json, a long varchar...) can be edited
// here, newlines and all; OK stays disabled while a uuid, json or varchar(n) holds text the server
// would refuse (ValueCheck), with the reason under the field. Timestamps, booleans and enums keep
// the grid's own editors. The dialog changes nothing itself: the caller stages editedValues()
// through the model like any other edit.
class RowDetailsDialog : public QDialog
{
    Q_OBJECT

public:
    RowDetailsDialog(const TableModel& model, int row, bool readOnly, QWidget* parent = nullptr);

    // The columns changed, by column, with their new text; empty when nothing was changed.
    QHash<int, QVariant> editedValues() const;

    // Length as the server counts it (char_length): code points, not UTF-16 units.
    static qsizetype characterCount(const QString& text);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    struct Field
    {
        int column = -1;
        QPlainTextEdit* edit = nullptr;
        QLabel* length = nullptr;
        QLabel* problem = nullptr;
        QString typeSql;
        bool wasNull = false;
        // The editor's text before any typing: a value the editor cannot hold exactly (a carriage
        // return) must not count as changed when the user typed nothing.
        QString initialText;
    };

    void updateField(const Field& field);
    static QString text(const QPlainTextEdit* edit);

    QList<Field> m_fields; // the editable ones
    QPushButton* m_ok = nullptr;
};
