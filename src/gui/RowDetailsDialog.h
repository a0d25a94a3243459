#pragma once

#include <QDialog>
#include <QList>
#include <QVariant>

#include <optional>

class QLabel;
class QPlainTextEdit;
class TableModel;

// View > Row details: every column of one row in full, with its type, the exact text the grid
// holds (a timestamp's server text), its length in characters, and NULL kept apart from empty
// text. The name can be edited here, newlines and all; the dialog changes nothing itself: the
// caller stages editedName() through the model like any other edit.
class RowDetailsDialog : public QDialog
{
    Q_OBJECT

public:
    RowDetailsDialog(const TableModel& model, int row, bool readOnly, QWidget* parent = nullptr);

    // The new name after OK; nothing when the name column was not changed (or there is none).
    std::optional<QVariant> editedName() const;

    // Length as the server counts it (char_length): code points, not UTF-16 units.
    static qsizetype characterCount(const QString& text);

private:
    void updateNameLength();
    QString nameText() const;

    QPlainTextEdit* m_nameEdit = nullptr;
    QLabel* m_nameLength = nullptr;
    QVariant m_originalName;
    // The editor's text before any typing: a value the editor cannot hold exactly (a carriage
    // return) must not count as changed when the user typed nothing.
    QString m_initialName;
};
