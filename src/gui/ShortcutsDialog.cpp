#include "gui/ShortcutsDialog.h"
#include "gui/ScreenFit.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

ShortcutsDialog::ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_table(new QTableWidget(this))
{
    setObjectName(u"shortcutsDialog"_s);
    setWindowTitle(tr("Keyboard shortcuts"));
    m_filter->setObjectName(u"shortcutsFilter"_s);
    m_filter->setPlaceholderText(tr("Search commands or keys"));
    m_filter->setAccessibleName(tr("Search shortcuts"));
    m_filter->setClearButtonEnabled(true);
    if (auto* clear = m_filter->findChild<QAction*>(u"_q_qlineeditclearaction"_s))
        clear->setText(tr("Clear search"));
    m_table->setObjectName(u"shortcutsTable"_s);
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({ tr("Command"), tr("Keys") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    struct Entry
    {
        QString text;
        QString keys;
    };
    QList<Entry> entries;
    for (const QAction* action : actions) {
        // Unnamed actions are Qt's own (line edits' clear buttons and the like), not commands.
        if (action->objectName().isEmpty() || action->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& sequence : action->shortcuts())
            keys << sequence.toString(QKeySequence::NativeText);
        entries.append({ action->text().remove(u'&').remove(u'…').trimmed(), keys.join(tr(" or ")) });
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return QString::localeAwareCompare(a.text, b.text) < 0; });
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(entries.at(row).text));
        m_table->setItem(row, 1, new QTableWidgetItem(entries.at(row).keys));
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(480, 520);
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

void ShortcutsDialog::applyFilter(const QString& text)
{
    const QString needle = text.trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const bool matches = m_table->item(row, 0)->text().contains(needle, Qt::CaseInsensitive)
            || m_table->item(row, 1)->text().contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !matches);
    }
}

void ShortcutsDialog::nameShortcutsInToolTips(const QList<QAction*>& actions)
{
    for (QAction* action : actions) {
        if (action->objectName().isEmpty())
            continue;
        const QString text = action->text().remove(u'&').remove(u'…');
        const QString shortcut = action->shortcut().toString(QKeySequence::NativeText);
        QString tip = shortcut.isEmpty() ? text : tr("%1 (%2)").arg(text, shortcut);
        if (!action->statusTip().isEmpty())
            tip += u'\n' + action->statusTip();
        action->setToolTip(tip);
    }
}
