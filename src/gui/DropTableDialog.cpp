#include "gui/DropTableDialog.h"
#include "gui/ScreenFit.h"

#include "ui_DropTableDialog.h"

#include <QPushButton>

using namespace Qt::StringLiterals;

DropTableDialog::DropTableDialog(const QString& tableName, qint64 rowCount, int pendingChanges, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::DropTableDialog>())
    , m_tableName(tableName)
{
    m_ui->setupUi(this);
    m_dropButton = m_ui->buttonBox->addButton(tr("Drop table"), QDialogButtonBox::DestructiveRole);
    m_dropButton->setObjectName(u"dropButton"_s);
    m_dropButton->setEnabled(false);
    // Enter in the name field clicks the default button. With Cancel as the default, a user who
    // typed the name and pressed Enter saw the dialog close and the table stay, without a word.
    // The drop button is the default instead: disabled, it ignores Enter until the name matches
    // (the hint below says why); Esc still cancels. With no default at all, QDialog would make
    // the first button in the tab order the default when shown, which may be Cancel again.
    m_dropButton->setDefault(true);
    m_ui->hintLabel->hide();

    QString message = tr("Drop the table <b>%1</b> and its %2? This deletes the table itself and cannot be undone.")
                          .arg(tableName.toHtmlEscaped(), tr("%Ln row(s)", nullptr, static_cast<int>(rowCount)));
    if (pendingChanges > 0)
        message += u"<p>"_s + tr("Your %Ln unsaved change(s) will be lost too.", nullptr, pendingChanges) + u"</p>"_s;
    message += u"<p>"_s + tr("Type <b>%1</b> to confirm:").arg(tableName.toHtmlEscaped()) + u"</p>"_s;
    m_ui->messageLabel->setText(message);

    connect(m_ui->confirmLineEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_dropButton->setEnabled(text == m_tableName);
        if (text == m_tableName)
            m_ui->hintLabel->hide();
    });
    connect(m_ui->confirmLineEdit, &QLineEdit::returnPressed, this, &DropTableDialog::explainWhyEnterWaits);
    connect(m_dropButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

DropTableDialog::~DropTableDialog() = default;

void DropTableDialog::explainWhyEnterWaits()
{
    if (m_ui->confirmLineEdit->text() == m_tableName)
        return;
    m_ui->hintLabel->setText(
        tr("That is not the table's name. Type %1 exactly to drop it, or press Esc to keep it.").arg(m_tableName));
    m_ui->hintLabel->show();
}
