#include "gui/NameFilterBox.h"

#include "connection/DatabaseSession.h"
#include "connection/NetworkThreadPool.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/OfflineGuard.h"
#include "gui/StatusBarPanel.h"
#include "gui/TableBrowser.h"
#include "model/TableModel.h"
#include "table/TableCatalog.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QIcon>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSignalBlocker>
#include <QSqlError>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {
constexpr int filterDebounceMilliseconds = 200;
// Below this many rows a filter without a trigram index is fast enough not to suggest one.
constexpr qint64 indexHintRowThreshold = 100000;
} // namespace

NameFilterBox::NameFilterBox(MainWindow* window, Ui::MainWindow& ui, QLineEdit* lineEdit, StatusBarPanel* status,
                             TableBrowser* browser)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
    , m_lineEdit(lineEdit)
    , m_status(status)
    , m_browser(browser)
{
    m_lineEdit->setClearButtonEnabled(true);
    // Qt names neither icon button; a screen reader would announce two nameless buttons.
    if (auto* clear = m_lineEdit->findChild<QAction*>(QStringLiteral("_q_qlineeditclearaction")))
        clear->setText(tr("Clear filter"));
    m_columnMenu = new QMenu(tr("Filter colu&mn"), window);
    m_columnMenu->setObjectName(u"filterColumnMenu"_s);
    m_columnMenu->setToolTipsVisible(true);
    m_columnGroup = new QActionGroup(this);
    m_ui.viewMenu->insertMenu(m_ui.actionCountRows, m_columnMenu);
    QAction* search = m_lineEdit->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    search->setText(tr("Filter"));
    // Beside the box, the column it filters, as a button that opens the same menu: after typing,
    // the placeholder that named it is gone. Shown only when there is a choice (the tutorial's
    // table has one text column), through the toolbar's action for it, as QToolBar requires.
    m_columnButton = new QToolButton(m_ui.mainToolBar);
    m_columnButton->setObjectName(u"filterColumnButton"_s);
    m_columnButton->setMenu(m_columnMenu);
    m_columnButton->setPopupMode(QToolButton::InstantPopup);
    m_columnButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_columnButton->setToolTip(tr("The column the search box filters on; click to pick another"));
    m_columnButtonAction = m_ui.mainToolBar->insertWidget(m_ui.actionExactMatch, m_columnButton);
    m_columnButtonAction->setVisible(false);
    describeColumn(u"name"_s, false);
    // The whole placeholder, but never wider than about 24 characters: a long translation
    // ("Nach Namen filtern (Strg+F)") would otherwise push the box into the toolbar's overflow
    // menu, where nobody finds it; there the placeholder is elided instead.
    const QFontMetrics metrics = m_lineEdit->fontMetrics();
    m_lineEdit->setMinimumWidth(
        qMin(metrics.horizontalAdvance(m_lineEdit->placeholderText()), metrics.averageCharWidth() * 24) + 60);
    m_lineEdit->setMaximumWidth(360);
    m_lineEdit->installEventFilter(this);
    connect(m_lineEdit, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(filterDebounceMilliseconds);
    connect(&m_debounce, &QTimer::timeout, this, &NameFilterBox::applyNow);
    connect(m_status, &StatusBarPanel::indexHintClicked, this, &NameFilterBox::createTrigramIndex);
}

bool NameFilterBox::isEmpty() const
{
    return m_lineEdit->text().isEmpty();
}

void NameFilterBox::applyNow()
{
    m_debounce.stop();
    TableModel* model = m_window->model();
    if (!model || model->filterColumn() < 0)
        return;
    const NameFilter filter(m_lineEdit->text(),
                            m_ui.actionExactMatch->isChecked() ? NameFilter::Mode::Exact : NameFilter::Mode::Contains);
    if (const QString problem = filter.problem(model->isFilterTyped()); !problem.isEmpty())
        emit statusMessage(problem, 8000);
    if (!model->setNameFilter(filter))
        m_browser->showEmptyState(tr("Filtering failed:\n%1").arg(model->lastError().text()));
    m_browser->updateViewOrEmptyState();
    emit filterApplied();
}

void NameFilterBox::clear()
{
    m_lineEdit->clear();
    applyNow();
}

void NameFilterBox::focus()
{
    m_lineEdit->setFocus(Qt::ShortcutFocusReason);
    m_lineEdit->selectAll();
}

void NameFilterBox::setEnabled(bool enabled)
{
    m_lineEdit->setEnabled(enabled);
    m_ui.actionExactMatch->setEnabled(enabled);
    updateColumns();
    m_columnMenu->setEnabled(enabled && m_columnNames.size() > 1);
    m_columnButton->setEnabled(m_columnMenu->isEnabled());
}

void NameFilterBox::updateColumns()
{
    const TableModel* model = m_window->model();
    QStringList names;
    if (model) {
        for (int column : model->filterColumns())
            names << model->record().fieldName(column);
    }
    if (names != m_columnNames) {
        m_columnNames = names;
        m_columnMenu->clear();
        for (const QString& name : names) {
            QString label = name;
            QAction* action = m_columnMenu->addAction(label.replace(u'&', u"&&"_s));
            action->setObjectName(u"filterColumn:"_s + name);
            action->setCheckable(true);
            action->setToolTip(tr("Filter on the column %1").arg(name));
            m_columnGroup->addAction(action);
            connect(action, &QAction::triggered, this, [this, name] { pickColumn(name); });
        }
    }
    const int column = model ? model->filterColumn() : -1;
    const QString current = column >= 0 ? model->record().fieldName(column) : QString();
    for (QAction* action : m_columnMenu->actions())
        action->setChecked(action->objectName() == u"filterColumn:"_s + current);
    m_columnMenu->setEnabled(names.size() > 1);
    //: The button beside the search box: the column the typed text is searched in.
    // A long column name is shortened in the middle, so the toolbar keeps its width; the tooltip
    // and the accessible name keep it whole.
    const QFontMetrics metrics = m_columnButton->fontMetrics();
    const QString shown = metrics.elidedText(current, Qt::ElideMiddle, metrics.averageCharWidth() * 24);
    m_columnButton->setText(tr("in %1").arg(shown).replace(u'&', u"&&"_s));
    const QString about = tr("The column the search box filters on; click to pick another");
    m_columnButton->setToolTip(shown == current ? about : about + u'\n' + current);
    m_columnButton->setAccessibleName(tr("Filter column: %1").arg(current));
    // Beside the box only where there is a choice of text to search in, or a column of another
    // type is filtered: the tutorial's table (one text column) keeps its toolbar and Tab order,
    // and View > Filter column offers its id and date.
    int textColumns = 0;
    if (model) {
        for (int each : model->filterColumns())
            textColumns += model->isTextColumn(each) ? 1 : 0;
    }
    m_columnButtonAction->setVisible(names.size() > 1 && (textColumns > 1 || (model && model->isFilterTyped())));
    describeColumn(current.isEmpty() ? u"name"_s : current, model && model->isFilterTyped());
}

void NameFilterBox::dropFilter(const QString& column, bool retyped)
{
    {
        const QSignalBlocker quiet(m_lineEdit); // the model has no filter already: nothing to apply
        m_lineEdit->clear();
    }
    m_debounce.stop();
    updateColumns();
    emit statusMessage(retyped ? tr("The column %1 changed its type, so its filter was cleared.").arg(column)
                               : tr("The column %1 is gone from the table, so its filter was cleared.").arg(column),
                       10000);
    emit filterApplied();
}

void NameFilterBox::pickColumn(const QString& column)
{
    TableModel* model = m_window->model();
    if (!model)
        return;
    int index = -1;
    for (int candidate : model->filterColumns()) {
        if (model->record().fieldName(candidate) == column) // exact: indexOf() ignores case
            index = candidate;
    }
    if (!model->setFilterColumn(index))
        m_browser->showEmptyState(tr("Filtering failed:\n%1").arg(model->lastError().text()));
    updateColumns();
    m_browser->updateViewOrEmptyState();
    updateIndexHint();
    emit filterApplied();
}

void NameFilterBox::describeColumn(const QString& column, bool typed)
{
    // The tutorial's wording for its name column; any other column is named as it is.
    if (typed) {
        m_lineEdit->setPlaceholderText(tr("Filter by %1: 5, > 5, null (Ctrl+F)").arg(column));
        m_lineEdit->setToolTip(
            tr("Shows rows whose %1 compares as typed: start with =, <>, <, <=, > or >= "
               "(\"> 5\", \"<= 2026-01-01\"), or type null or not null; the value is read as "
               "the column's type. Other text is searched for in the values as the server writes "
               "them, ignoring case (Exact match: the value equals it). Esc clears. The button beside picks "
               "another column.")
                .arg(column));
        m_lineEdit->setAccessibleName(tr("Filter by %1").arg(column));
    } else if (column == u"name") {
        m_lineEdit->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
        m_lineEdit->setToolTip(tr("Shows rows whose name contains this text, ignoring case. "
                                  "%, _ and \\ mean themselves. Esc clears."));
        m_lineEdit->setAccessibleName(tr("Filter by name"));
    } else {
        m_lineEdit->setPlaceholderText(tr("Filter by %1 (Ctrl+F)").arg(column));
        m_lineEdit->setToolTip(tr("Shows rows whose %1 contains this text, ignoring case. "
                                  "%, _ and \\ mean themselves. Esc clears. The button beside picks another column.")
                                   .arg(column));
        m_lineEdit->setAccessibleName(tr("Filter by %1").arg(column));
    }
}

bool NameFilterBox::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_lineEdit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            clear();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            applyNow();
            m_ui.tableView->setFocus();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void NameFilterBox::updateIndexHint()
{
    const TableModel* model = m_window->model();
    const DatabaseSession* session = m_window->session();
    const bool slowSearch = model && !model->nameFilter().isEmpty()
        && model->nameFilter().mode() == NameFilter::Mode::Contains && !model->hasTrigramIndex()
        && model->canIndexFilterColumn() && model->totalRowCount() >= indexHintRowThreshold;
    // A replica or a read-only role cannot create the index: do not offer it.
    const bool serverWritable = !session || session->serverInfo().readOnlyReason().isEmpty();
    m_status->setIndexHintVisible(slowSearch && !m_creatingIndex && serverWritable);
    m_ui.actionCreateTrigramIndex->setEnabled(model && model->canIndexFilterColumn() && !model->hasTrigramIndex()
                                              && !m_creatingIndex && serverWritable);
}

void NameFilterBox::createTrigramIndex()
{
    const TableModel* model = m_window->model();
    const DatabaseSession* session = m_window->session();
    if (!model || !session || m_creatingIndex
        || OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Search index not created"),
                                 tr("The index was not created.")))
        return;
    const TableName table = model->tableName();
    if (model->filterColumn() < 0)
        return;
    const QString column = model->record().fieldName(model->filterColumn());
    const qint64 rows = model->totalRowCount();
    const QString about = model->isTotalExact() ? QString() : tr("about ");
    // One arg() call: a table or column name holding "%3" must not be taken for a placeholder.
    const QString rowText = QLocale().toString(rows);
    const QString question = column == u"name"
        ? tr("Create a trigram index (pg_trgm) on the name column of %1?\n\n"
             "It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index "
             "about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). "
             "Afterwards, searching by name takes milliseconds at any size (for text of 3 characters or more).")
              .arg(table.display(), about, rowText)
        : tr("Create a trigram index (pg_trgm) on the column %4 of %1?\n\n"
             "It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index "
             "about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). "
             "Afterwards, searching in %4 takes milliseconds at any size (for text of 3 characters or more).")
              .arg(table.display(), about, rowText, column);
    const auto answer = MessageBox::ask(m_window, tr("Create search index"), question,
                                        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
    if (answer != QMessageBox::Yes)
        return;
    m_creatingIndex = true;
    m_status->beginWork(tr("Creating the search index…"));
    updateIndexHint();
    const ConnectionSettings settings = session->settings();
    // Its own connection: CREATE INDEX CONCURRENTLY cannot run inside a transaction block and
    // takes a while; the window's connection stays free.
    NetworkThreadPool::run(
        this, [settings, table, column] { return TableCatalog::createTrigramIndex(settings, table, column).error; },
        [this](const QString& error) {
            m_creatingIndex = false;
            m_status->endWork();
            TableModel* current = m_window->model();
            if (!current)
                return;
            if (!error.isEmpty()) {
                MessageBox::warn(m_window, tr("Create search index"), tr("The index was not created: %1").arg(error));
            } else {
                emit statusMessage(tr("Search index created."), 5000);
                current->refreshIndexInfo();
            }
            updateIndexHint();
        });
}
