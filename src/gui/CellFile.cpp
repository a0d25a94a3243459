#include "gui/CellFile.h"

#include "config/Utf8Text.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "model/TableModel.h"
#include "table/ValueCheck.h"
#include "table/ValueText.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QPointer>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString directoryKey = u"cellFile/directory"_s;

QString lastDirectory()
{
    return QSettings().value(directoryKey, QDir::homePath()).toString();
}

void rememberDirectory(const QString& path)
{
    QSettings().setValue(directoryKey, QFileInfo(path).absolutePath());
}

// The bytes of a bytea cell: as read, or typed as hex in its editor and not saved yet, read by
// PostgreSQL's rule (byteain): "\x", then pairs of hex digits with only space, tab, CR or LF
// between pairs. Empty optional for anything else, which the server reads otherwise (escape form)
// or refuses; *hexLike says which.
std::optional<QByteArray> cellBytes(const QVariant& value, bool* hexLike)
{
    *hexLike = false;
    if (value.metaType().id() == QMetaType::QByteArray)
        return value.toByteArray();
    const QString text = value.toString();
    *hexLike = text.startsWith(u"\\x"_s);
    static const QRegularExpression hex(u"^\\\\x(?:[ \\t\\r\\n]*[0-9a-fA-F]{2})*[ \\t\\r\\n]*$"_s);
    if (!hex.match(text).hasMatch())
        return std::nullopt;
    QString digits = text.mid(2);
    digits.remove(QRegularExpression(u"[ \\t\\r\\n]"_s));
    return QByteArray::fromHex(digits.toLatin1());
}

QString suggestedName(const TableModel& model, int row, int column, bool bytes)
{
    const std::optional<RowKey> key = model.isNewRow(row) ? std::nullopt : model.keyAt(row);
    QString name = model.tableName().name() + u'-' + model.record().fieldName(column);
    if (key)
        name += u'-' + key->text().left(40); // a text key may be long
    const QString type = model.columnTypeSql(column);
    const QString suffix = bytes     ? u".bin"_s
        : type.startsWith(u"json"_s) ? u".json"_s
        : type == u"xml"_s           ? u".xml"_s
                                     : u".txt"_s;
    // A name from the catalog may hold a slash or other characters no file name may.
    name.replace(QRegularExpression(u"[/\\\\:*?\"<>|\\x00-\\x1f]"_s), u"_"_s);
    return QDir(lastDirectory()).filePath(name + suffix);
}
} // namespace

CellFile::CellFile(MainWindow* window, Ui::MainWindow& ui)
    : QObject(window)
    , m_window(window)
    , m_ui(ui)
    , m_loadAction(new QAction(tr("Load cell &from file…"), window))
    , m_saveAction(new QAction(tr("Sa&ve cell to file…"), window))
{
    m_loadAction->setObjectName(u"actionLoadCellFromFile"_s);
    m_loadAction->setStatusTip(tr("Replace the current cell with a file: its bytes in a bytea column, its "
                                  "UTF-8 text in a text column; Save writes it"));
    m_saveAction->setObjectName(u"actionSaveCellToFile"_s);
    m_saveAction->setStatusTip(tr("Write the current cell to a file: a bytea's bytes, any other value as "
                                  "UTF-8 text"));
    m_ui.editMenu->insertActions(m_ui.actionDeleteRows, { m_loadAction, m_saveAction });
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    m_ui.tableView->addActions({ separator, m_loadAction, m_saveAction });
    m_loadAction->setEnabled(false);
    m_saveAction->setEnabled(false);
    connect(m_loadAction, &QAction::triggered, this, &CellFile::loadCurrentCell);
    connect(m_saveAction, &QAction::triggered, this, &CellFile::saveCurrentCell);
}

bool CellFile::isBytes(int column) const
{
    const TableModel* model = m_window->model();
    return model && model->record().field(column).metaType().id() == QMetaType::QByteArray;
}

// The columns the grid edits with a line of text: a timestamp, a boolean or an enum has an
// editor of its own, and a number in a file is not what anyone keeps there.
bool CellFile::isLoadableText(int column) const
{
    const TableModel* model = m_window->model();
    return model && model->record().field(column).metaType().id() == QMetaType::QString
        && !model->isTimestampColumn(column) && model->columnChoices(column).isEmpty();
}

void CellFile::updateActions(bool editable)
{
    const TableModel* model = m_window->model();
    const QModelIndex current = m_ui.tableView->currentIndex();
    const bool hasCell = model && current.isValid();
    const int column = hasCell ? current.column() : -1;
    m_loadAction->setEnabled(hasCell && editable && (model->flags(current) & Qt::ItemIsEditable)
                             && (isBytes(column) || isLoadableText(column)));
    m_saveAction->setEnabled(hasCell);
}

void CellFile::say(const QString& message)
{
    m_window->statusBar()->showMessage(message, 10000);
}

void CellFile::loadCurrentCell()
{
    TableModel* model = m_window->model();
    const QModelIndex current = m_ui.tableView->currentIndex();
    if (!model || !current.isValid() || !m_loadAction->isEnabled())
        return;
    const int column = current.column();
    const QString field = model->record().fieldName(column);
    // A row marked for deletion since the actions were last updated: say so before any dialog.
    if (!(model->flags(current) & Qt::ItemIsEditable)) {
        say(tr("The cell cannot be edited now, so nothing was changed."));
        return;
    }
    const bool bytes = isBytes(column);
    const QString type = model->columnTypeSql(column);
    // Live updates may read the window again while the file dialog is open: the row is found
    // again by its key (a new row by its serial), never taken as whatever row then stands at
    // that place.
    const StagedEdits::Target target = model->targetAt(current.row());
    const QPointer<TableModel> guarded(model);
    const QString path = FileDialog::getOpenFileName(m_window, tr("Load %1 from a file").arg(field), lastDirectory());
    if (path.isEmpty() || guarded != m_window->model())
        return; // cancelled, or another table was opened meanwhile
    rememberDirectory(path);
    const QString title = tr("Load failed");
    const QString shownPath = QDir::toNativeSeparators(path);
    // A device or a pipe has no size to check and may never end (or block the window on open).
    if (!QFileInfo(path).isFile()) {
        MessageBox::warn(m_window, title, tr("%1 is not a regular file. The cell was not changed.").arg(shownPath));
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        MessageBox::warn(m_window, title, tr("%1 could not be read: %2").arg(shownPath, file.errorString()));
        return;
    }
    // Read at most one byte past the limit: a file growing meanwhile is refused all the same.
    QByteArray content = file.read(maxLoadBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        MessageBox::warn(m_window, title, tr("%1 could not be read: %2").arg(shownPath, file.errorString()));
        return;
    }
    if (content.size() > maxLoadBytes) {
        MessageBox::warn(m_window, title,
                         tr("%1 is larger than %2, the most pgdesk loads into a cell. The cell was not changed.")
                             .arg(shownPath, QLocale().formattedDataSize(maxLoadBytes)));
        return;
    }
    // An empty file is an empty value, never NULL: a null QByteArray or QString is written as NULL.
    if (content.isNull())
        content = QByteArray("", 0);
    QVariant value;
    if (bytes) {
        value = content;
    } else {
        QString text = Utf8Text::decode(content);
        if (text.isNull())
            text = u""_s;
        QString problem;
        if (text.toUtf8() != content)
            problem = tr("It is not UTF-8 text, which a %1 column holds. A bytea column takes any file.").arg(type);
        else if (text.contains(QChar(0)))
            problem = tr("It holds a zero byte, which PostgreSQL text cannot hold. A bytea column takes any file.");
        else
            problem = ValueCheck(type).problem(text);
        if (!problem.isEmpty()) {
            MessageBox::warn(m_window, title,
                             tr("%1 cannot go into %2. %3 The cell was not changed.").arg(shownPath, field, problem));
            return;
        }
        value = text;
    }
    if (guarded != m_window->model())
        return;
    const int row = guarded->rowOfTarget(target);
    if (row < 0 || row >= guarded->rowCount()) {
        say(tr("The row is no longer in the grid, so nothing was changed. Load the file on it again."));
        return;
    }
    if (!guarded->setData(guarded->index(row, column), value, Qt::EditRole)) {
        say(tr("The cell cannot be edited now, so nothing was changed."));
        return;
    }
    say(tr("Loaded %1 from %2 into %3; Save writes it.")
            .arg(QLocale().formattedDataSize(content.size()), QFileInfo(path).fileName(), field));
}

void CellFile::saveCurrentCell()
{
    const TableModel* model = m_window->model();
    const QModelIndex current = m_ui.tableView->currentIndex();
    if (!model || !current.isValid())
        return;
    const int row = current.row();
    const int column = current.column();
    const QVariant value = model->index(row, column).data(Qt::EditRole);
    const QString field = model->record().fieldName(column);
    if (value.isNull()) {
        say(model->isNewRow(row)
                ? tr("%1 has no value yet (NULL or the default), so there is nothing to save.").arg(field)
                : tr("%1 is NULL, so there is nothing to save.").arg(field));
        return;
    }
    const bool bytes = isBytes(column);
    QByteArray content;
    if (bytes) {
        bool hexLike = false;
        const std::optional<QByteArray> read = cellBytes(value, &hexLike);
        if (!read) {
            MessageBox::warn(m_window, tr("Save to file failed"),
                             hexLike ? tr("%1 holds hex the server would refuse: an odd number of digits, or a "
                                          "character that is not a hex digit between them. Correct the cell first.")
                                           .arg(field)
                                     : tr("%1 holds bytes typed in bytea's escape form, which only the server reads "
                                          "exactly. Save the row first, then save the cell to a file.")
                                           .arg(field));
            return;
        }
        content = *read;
    } else {
        content = ValueText::of(value).toUtf8();
    }
    const QString path = FileDialog::getSaveFileName(m_window, tr("Save %1 to a file").arg(field),
                                                     suggestedName(*model, row, column, bytes));
    if (path.isEmpty())
        return;
    rememberDirectory(path);
    // Written whole or not at all: a failed write leaves an existing file as it was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        MessageBox::warn(m_window, tr("Save to file failed"),
                         tr("%1 could not be written: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    say(tr("Saved %1 of %2 to %3.")
            .arg(QLocale().formattedDataSize(content.size()), field, QFileInfo(path).fileName()));
}
