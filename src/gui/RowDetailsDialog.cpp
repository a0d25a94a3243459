#include "gui/RowDetailsDialog.h"

#include "gui/ScreenFit.h"
#include "model/TableModel.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
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
    const qsizetype count = RowDetailsDialog::characterCount(value.toString());
    return RowDetailsDialog::tr("%Ln character(s)", nullptr, static_cast<int>(count));
}
} // namespace

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
    const bool editable = !readOnly && model.nameColumn() >= 0
        && (model.flags(model.index(row, model.nameColumn())) & Qt::ItemIsEditable);
    for (int column = 0; column < model.columnCount(); ++column) {
        const QString field = model.record().fieldName(column);
        const QVariant value = model.index(row, column).data(Qt::EditRole);
        auto* title = new QLabel(u"<b>%1</b><br>%2"_s.arg(field.toHtmlEscaped(), typeText(model, column)));
        auto* edit = new QPlainTextEdit;
        edit->setObjectName(u"rowDetailsValue_"_s + field);
        edit->setAccessibleName(field);
        edit->setAccessibleDescription(typeText(model, column));
        edit->setFont(fixed);
        // The exact text: no wrapping would hide where a line really ends.
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setPlainText(value.toString());
        if (value.isNull())
            edit->setPlaceholderText(u"NULL"_s);
        const bool isName = column == model.nameColumn();
        edit->setReadOnly(!(isName && editable));
        // One line for short values, more for long text, so a row of numbers stays compact.
        const int lines = std::clamp(int(edit->document()->blockCount()), 1, 8);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 12);
        auto* length = new QLabel(lengthText(value));
        length->setObjectName(u"rowDetailsLength_"_s + field);
        grid->addWidget(title, column, 0, Qt::AlignTop);
        grid->addWidget(edit, column, 1);
        grid->addWidget(length, column, 2, Qt::AlignTop);
        if (isName) {
            m_nameEdit = edit;
            m_nameLength = length;
            m_originalName = value;
            m_initialName = nameText();
            if (editable)
                edit->setFixedHeight(std::max(edit->maximumHeight(), edit->fontMetrics().lineSpacing() * 4 + 12));
        }
    }
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(model.columnCount(), 1); // spare height below the fields, not between them
    grid->setVerticalSpacing(12);

    auto* scroll = new QScrollArea;
    scroll->setAccessibleName(tr("Fields"));
    scroll->setWidgetResizable(true);
    scroll->setWidget(fields);

    auto* buttons
        = new QDialogButtonBox(editable ? QDialogButtonBox::Ok | QDialogButtonBox::Cancel : QDialogButtonBox::Close);
    buttons->setObjectName(u"rowDetailsButtons"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_nameEdit && editable)
        connect(m_nameEdit, &QPlainTextEdit::textChanged, this, &RowDetailsDialog::updateNameLength);

    auto* layout = new QVBoxLayout(this);
    if (readOnly || !editable) {
        auto* note = new QLabel(tr("Read-only: this row cannot be edited here."));
        note->setObjectName(u"rowDetailsReadOnlyNote"_s);
        layout->addWidget(note);
    }
    layout->addWidget(scroll);
    layout->addWidget(buttons);
    resize(640, 420);
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

void RowDetailsDialog::updateNameLength()
{
    // Typing into a NULL name makes it text; leaving it empty keeps it NULL (as the grid's editor does).
    const QString text = nameText();
    m_nameLength->setText(m_originalName.isNull() && text.isEmpty() ? u"NULL"_s : lengthText(text));
}

std::optional<QVariant> RowDetailsDialog::editedName() const
{
    if (!m_nameEdit || m_nameEdit->isReadOnly())
        return std::nullopt;
    const QString text = nameText();
    if (text == m_initialName)
        return std::nullopt;
    return QVariant(text);
}

QString RowDetailsDialog::nameText() const
{
    // toPlainText() would turn non-breaking spaces into spaces; the raw text keeps every character
    // and separates lines with U+2029.
    return m_nameEdit->document()->toRawText().replace(QChar::ParagraphSeparator, u'\n');
}
