#include "gui/RowDetailsDialog.h"

#include "gui/MessageBox.h"
#include "gui/ScreenFit.h"
#include "model/TableModel.h"
#include "table/ValueCheck.h"
#include "table/ValueText.h"

#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSqlField>
#include <QSqlRecord>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString typeText(const TableModel& model, int column)
{
    if (model.isTimestampColumn(column))
        return RowDetailsDialog::tr("timestamp");
    switch (model.record().field(column).metaType().id()) {
    case QMetaType::Bool:
        return RowDetailsDialog::tr("boolean");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return RowDetailsDialog::tr("integer");
    case QMetaType::Double:
        return RowDetailsDialog::tr("number");
    case QMetaType::QString:
        return RowDetailsDialog::tr("text");
    case QMetaType::QByteArray:
        return RowDetailsDialog::tr("bytes");
    default:
        return QString::fromLatin1(model.record().field(column).metaType().name());
    }
}

QString lengthText(const QVariant& value)
{
    if (value.isNull())
        return u"NULL"_s;
    if (value.metaType().id() == QMetaType::QByteArray) // shown as hex: its size is in bytes
        return RowDetailsDialog::tr("%Ln byte(s)", nullptr, static_cast<int>(value.toByteArray().size()));
    const qsizetype count = RowDetailsDialog::characterCount(value.toString());
    return RowDetailsDialog::tr("%Ln character(s)", nullptr, static_cast<int>(count));
}
} // namespace

// Reached by the title bar's close button and by File ▸ Quit (QApplication::closeAllWindows(),
// which stops at the first window that refuses); OK, Cancel and Esc end the dialog without it
// (QDialog eats the close event of done()). What was typed here is not in the grid yet, so ask
// rather than lose it.
void RowDetailsDialog::closeEvent(QCloseEvent* event)
{
    if (!isVisible() || editedValues().isEmpty()) {
        QDialog::closeEvent(event);
        return;
    }
    const bool applicable = m_ok->isEnabled();
    QMessageBox::StandardButtons buttons = QMessageBox::Discard | QMessageBox::Cancel;
    if (applicable)
        buttons |= QMessageBox::Apply;
    const QMessageBox::StandardButton answer = MessageBox::ask(
        this, tr("Row details"),
        applicable ? tr("The changes made in Row details are not in the grid yet. Apply them before closing?")
                   : tr("The changes made in Row details are not in the grid yet, and a value is not valid. "
                        "Discard them?"),
        buttons, applicable ? QMessageBox::Apply : QMessageBox::Cancel,
        { { QMessageBox::Apply, tr("&Apply") }, { QMessageBox::Discard, tr("&Discard") } });
    if (answer == QMessageBox::Apply) {
        accept(); // stages the edits through the caller, as OK does
        event->accept();
    } else if (answer == QMessageBox::Discard) {
        QDialog::closeEvent(event);
    } else {
        event->ignore();
    }
}

qsizetype RowDetailsDialog::characterCount(const QString& text)
{
    return text.toUcs4().size();
}

RowDetailsDialog::RowDetailsDialog(const TableModel& model, int row, bool readOnly, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(u"rowDetailsDialog"_s);
    setWindowTitle(tr("Row details"));

    auto* fields = new QWidget;
    auto* grid = new QGridLayout(fields);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    int gridRow = 0;
    for (int column = 0; column < model.columnCount(); ++column) {
        const QString field = model.record().fieldName(column);
        const QVariant value = model.index(row, column).data(Qt::EditRole);
        // The grid's line editor's columns: a timestamp, a boolean or an enum keeps its own editor
        // there, and bytes would not survive being edited as text.
        const bool editable = !readOnly && (model.flags(model.index(row, column)) & Qt::ItemIsEditable)
            && !model.isTimestampColumn(column) && model.columnChoices(column).isEmpty()
            && model.record().field(column).metaType().id() != QMetaType::QByteArray;
        const QString typeSql = model.columnTypeSql(column);
        const QString type = typeSql.isEmpty() ? typeText(model, column) : typeSql;
        auto* title = new QLabel(u"<b>%1</b><br>%2"_s.arg(field.toHtmlEscaped(), type.toHtmlEscaped()));
        auto* edit = new QPlainTextEdit;
        edit->setObjectName(u"rowDetailsValue_"_s + field);
        edit->setAccessibleName(field);
        edit->setAccessibleDescription(type);
        edit->setFont(fixed);
        // The exact text: no wrapping would hide where a line really ends.
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        // Tab moves on to the next field, as in any other dialog, instead of typing a tab that
        // would leave a keyboard user inside the first editable field.
        edit->setTabChangesFocus(true);
        edit->setPlainText(ValueText::of(value));
        if (value.isNull())
            edit->setPlaceholderText(u"NULL"_s);
        edit->setReadOnly(!editable);
        // One line for short values, more for long text, so a row of numbers stays compact; an
        // editable field has room to type a few lines (a json document, a note).
        const int lines = std::clamp(int(edit->document()->blockCount()), editable ? 4 : 1, 8);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 12);
        auto* length = new QLabel(lengthText(value));
        length->setObjectName(u"rowDetailsLength_"_s + field);
        grid->addWidget(title, gridRow, 0, Qt::AlignTop);
        grid->addWidget(edit, gridRow, 1);
        grid->addWidget(length, gridRow, 2, Qt::AlignTop);
        ++gridRow;
        if (!editable)
            continue;
        Field entry{ column, edit, length, nullptr, typeSql, value.isNull(), text(edit) };
        if (const ValueCheck check(typeSql); check.checks()) {
            edit->setToolTip(check.hint());
            entry.problem = new QLabel;
            entry.problem->setObjectName(u"rowDetailsProblem_"_s + field);
            entry.problem->setWordWrap(true);
            entry.problem->setTextFormat(Qt::PlainText);
            entry.problem->hide();
            grid->addWidget(entry.problem, gridRow++, 1);
        }
        m_fields << entry;
    }
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(gridRow, 1); // spare height below the fields, not between them
    grid->setVerticalSpacing(12);

    auto* scroll = new QScrollArea;
    scroll->setAccessibleName(tr("Fields"));
    scroll->setWidgetResizable(true);
    scroll->setWidget(fields);

    const bool editable = !m_fields.isEmpty();
    auto* buttons
        = new QDialogButtonBox(editable ? QDialogButtonBox::Ok | QDialogButtonBox::Cancel : QDialogButtonBox::Close);
    buttons->setObjectName(u"rowDetailsButtons"_s);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (const Field& field : std::as_const(m_fields))
        connect(field.edit, &QPlainTextEdit::textChanged, this, [this, field] { updateField(field); });

    auto* layout = new QVBoxLayout(this);
    if (!editable) {
        auto* note = new QLabel(tr("Read-only: this row cannot be edited here."));
        note->setObjectName(u"rowDetailsReadOnlyNote"_s);
        layout->addWidget(note);
    }
    layout->addWidget(scroll);
    layout->addWidget(buttons);
    resize(640, 420);
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

void RowDetailsDialog::updateField(const Field& field)
{
    // Typing into a NULL value makes it text; leaving it empty keeps it NULL (as the grid's editor does).
    const QString now = text(field.edit);
    field.length->setText(field.wasNull && now.isEmpty() ? u"NULL"_s : lengthText(now));
    if (field.problem) {
        const QString problem = now == field.initialText ? QString() : ValueCheck(field.typeSql).problem(now);
        field.problem->setText(problem);
        field.problem->setVisible(!problem.isEmpty());
        field.edit->setAccessibleDescription(problem.isEmpty() ? field.typeSql : field.typeSql + u": "_s + problem);
    }
    // OK only when every field holds what its column can take.
    bool acceptable = true;
    for (const Field& each : std::as_const(m_fields))
        acceptable = acceptable && (!each.problem || each.problem->isHidden());
    if (m_ok)
        m_ok->setEnabled(acceptable);
}

QHash<int, QVariant> RowDetailsDialog::editedValues() const
{
    QHash<int, QVariant> values;
    for (const Field& field : m_fields) {
        const QString now = text(field.edit);
        if (now != field.initialText && !(field.wasNull && now.isEmpty()))
            values.insert(field.column, now);
    }
    return values;
}

QString RowDetailsDialog::text(const QPlainTextEdit* edit)
{
    // toPlainText() would turn non-breaking spaces into spaces; the raw text keeps every character
    // and separates lines with U+2029.
    return edit->document()->toRawText().replace(QChar::ParagraphSeparator, u'\n');
}
