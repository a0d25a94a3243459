#include "gui/TransferActions.h"

#include "connection/DatabaseSession.h"
#include "gui/FileDialog.h"
#include "gui/ImportPreviewDialog.h"
#include "gui/MainWindow.h"
#include "gui/OfflineGuard.h"
#include "gui/TransferProgressDialog.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"
#include "transfer/CsvExporter.h"
#include "transfer/CsvImporter.h"
#include "transfer/ImportTable.h"

#include <QFileInfo>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

TransferActions::TransferActions(MainWindow* window)
    : QObject(window)
    , m_window(window)
{
}

void TransferActions::importRows()
{
    TableModel* model = m_window->model();
    const DatabaseSession* session = m_window->session();
    if (!model || !session
        || OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Import failed"),
                                 tr("Nothing was imported.")))
        return;
    const QString path = FileDialog::getOpenFileName(m_window, tr("Import rows"), QString(),
                                                     tr("CSV or text (*.csv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    // The dialogs run event loops: a reconnect may have bound the table again meanwhile.
    model = m_window->model();
    session = m_window->session();
    if (!model || !session)
        return;
    // The columns a file may fill, as the catalog named them when the table was bound.
    const ImportTable table = ImportTable::fromColumns(model->columns());
    const TableName tableName = session->tableName();
    ImportOptions options;
    {
        ImportPreviewDialog preview(path, table, m_window);
        preview.setTable(session->settings(), tableName);
        if (preview.exec() != QDialog::Accepted)
            return;
        options = preview.options();
    }
    if (!m_window->session() || !m_window->model())
        return;
    // A reconnect while the preview was open may have found the table read-only (a replica after a
    // failover, a revoked grant).
    if (m_window->isReadOnly()) {
        emit statusMessage(tr("The table became read-only while the preview was open. Nothing was imported."), 8000);
        return;
    }
    // The mapping names the columns the preview offered; if another client changed them while it
    // was open (a rebind saw it), they may no longer be the table's.
    if (m_window->session()->tableName().sql() != tableName.sql()
        || !(ImportTable::fromColumns(m_window->model()->columns()) == table)) {
        emit statusMessage(tr("The table changed while the preview was open. Nothing was imported: import the "
                              "file again."),
                           8000);
        return;
    }
    // COPY on a connection of its own, in one transaction: cancelled or failed writes nothing.
    CsvImporter importer(m_window->session()->settings(), path, options);
    const QString fileName = QFileInfo(path).fileName();
    // The counts of rows written and skipped come at the end, in the status bar.
    TransferProgressDialog dialog(options.skipExisting
                                      ? tr("Importing %1, skipping rows whose %2 is already in the table")
                                            .arg(fileName, ImportOptions::columnsText(options.matchColumns))
                                      : tr("Importing %1").arg(fileName),
                                  m_window);
    dialog.setObjectName(u"importProgressDialog"_s);
    dialog.track(&importer);
    importer.start();
    dialog.exec();
    emit statusMessage(dialog.message(), 8000);
    if (dialog.succeeded()) {
        if (LiveUpdates* liveUpdates = m_window->liveUpdates())
            liveUpdates->notifyOwnWrite();
        m_window->refresh();
        // Reloading the window does not read the table's size again, so the status bar would go on
        // showing the count from before the import ("rows 1-300 of 10"): count again, on the
        // worker. The count's arrival clears the status message; the import's is shown again then.
        connect(
            m_window->model(), &TableModel::matchingRowCountReady, this,
            [this, message = dialog.message()] { emit statusMessage(message, 8000); }, Qt::SingleShotConnection);
        m_window->model()->countMatchingRows();
    }
}

void TransferActions::exportCsv()
{
    TableModel* model = m_window->model();
    const DatabaseSession* session = m_window->session();
    if (!model || !session
        || OfflineGuard::refuses(m_window, m_window->connectionWatcher(), tr("Export failed"),
                                 tr("Nothing was exported.")))
        return;
    const QString path = FileDialog::getSaveFileName(m_window, tr("Export to CSV"),
                                                     model->tableName().name() + u".csv"_s, tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    model = m_window->model(); // the file dialog ran an event loop
    session = m_window->session();
    // The filter as the grid applies it, on the column the search box filters.
    const QString where = model->keysetOrder().filterSql;
    // The file lists the rows as the grid does: KeysetQuery's order, so NULLs and ties fall where
    // the grid puts them. The columns are qualified because the export selects "date"::text AS
    // "date", and a bare "date" in ORDER BY would sort that text rather than the timestamp. A
    // table without a key has no order in the grid either.
    QString orderBy;
    QString orderText;
    if (model->hasKey()) {
        const QSqlRecord columns = model->record();
        // QString, not auto: a QStringBuilder would outlive the temporaries it points to.
        const auto qualified = [&](int column) -> QString {
            return model->tableName().sql() + u'.' + TableName::quoteIdentifier(columns.fieldName(column));
        };
        KeysetQuery::Order order;
        order.key = model->keysetOrder().key;
        order.sortSql = qualified(model->sortColumn());
        order.ascending = model->sortOrder() == Qt::AscendingOrder;
        orderBy = KeysetQuery(order).orderTerms();
        const QString column = model->headerData(model->sortColumn(), Qt::Horizontal).toString();
        orderText = order.ascending ? tr("in the grid's order: by %1, ascending").arg(column)
                                    : tr("in the grid's order: by %1, descending").arg(column);
    }
    const NameFilter filter = model->nameFilter();
    if (!filter.isEmpty() && !where.isEmpty()) {
        const QString shown = filter.text().left(200);
        const QString column = model->record().fieldName(model->filterColumn());
        const bool exact = filter.mode() == NameFilter::Mode::Exact;
        const std::optional<NameFilter::Comparison> comparison
            = model->isFilterTyped() ? filter.comparison() : std::nullopt;
        orderText += (orderText.isEmpty() ? QString() : u"; "_s)
            + (comparison ? tr("only rows where %1 %2")
                                .arg(column, QString(comparison->op + u' ' + comparison->value.left(200)).trimmed())
                   : column == u"name"
                   ? (exact ? tr("only rows named “%1”").arg(shown) : tr("only names containing “%1”").arg(shown))
                   : (exact ? tr("only rows whose %1 is “%2”").arg(column, shown)
                            : tr("only rows whose %1 contains “%2”").arg(column, shown)));
    }
    CsvExporter exporter(session->settings(), path, where, orderBy, model->exportSelectList());
    const QString fileName = QFileInfo(path).fileName();
    TransferProgressDialog dialog(orderText.isEmpty() ? tr("Exporting to %1").arg(fileName)
                                                      : tr("Exporting to %1, %2").arg(fileName, orderText),
                                  m_window);
    dialog.setObjectName(u"exportProgressDialog"_s);
    dialog.track(&exporter);
    exporter.start();
    dialog.exec();
    // The export reads the server's rows on a connection of its own; staged edits are not in it.
    model = m_window->model();
    const bool unsavedLeftOut = dialog.succeeded() && model->hasPendingChanges();
    QString message = dialog.message();
    if (dialog.succeeded() && !orderText.isEmpty())
        message += u' ' + tr("Rows %1.").arg(orderText);
    if (unsavedLeftOut)
        message += u' ' + tr("Unsaved changes are not in the file.");
    emit statusMessage(message, 8000);
}
