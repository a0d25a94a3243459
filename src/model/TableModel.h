#pragma once

#include "config/TableName.h"
#include "connection/KeysetFetcher.h"
#include "editing/StagedEdits.h"
#include "editing/StagedEditsHost.h"
#include "model/ChangeHighlight.h"
#include "model/PositionLocator.h"
#include "paging/KeysetQuery.h"
#include "paging/RowWindow.h"
#include "paging/WindowLoader.h"
#include "table/NameFilter.h"
#include "table/TableColumns.h"
#include "table/TableStatistics.h"
#include "table/TableWriter.h"

#include <QSqlTableModel>
#include <QTimer>
#include <QUndoStack>

#include <optional>

// The QSqlTableModel the window binds to the table. QSqlTableModel gives it the table's record
// (columns, types, primary key); the rows it shows are a RowWindow's, read by a worker connection
// in one keyset statement each (filter and order are the keyset statements', not Qt's), so the GUI
// thread never runs QSqlTableModel::select(). The model stages edits itself, because Qt 6.4's
// QPSQL and QSqlTableModel get several things wrong for this table (see docs/ARCHITECTURE.md):
// - select() throws away QSqlTableModel's own pending changes; StagedEdits is keyed by primary
//   key and survives every select(), so refresh, filter and sort keep the user's edits.
// - QPSQL never marks BIGSERIAL as auto-value, so a plain model shows a blank "!" row after an
//   insert; a save inserts with RETURNING (TableWriter) and reads the rows back.
// - TIMESTAMP columns are selected and written as text: QPSQL reads them as client-local time and
//   writes them as UTC with milliseconds, which moves stored values and drops microseconds.
// - QPSQL decodes text with QString::fromUtf8(), which drops a leading U+FEFF: text columns are
//   selected with that character doubled where it leads (TableColumns::exactReadSql()).
// - A plain select() loads the whole table into memory before the first row shows. This model
//   holds a window of rows instead: KeysetQuery builds the statement that reads them (keyset,
//   never OFFSET), a KeysetFetcher runs it on a worker connection when one is attached, and
//   RowWindow keeps the rows and where they are in the table.
class TableModel : public QSqlTableModel, public StagedEditsHost
{
    Q_OBJECT

public:
    enum Role { CellStateRole = Qt::UserRole + 1 };
    enum class CellState { Clean, Edited, NewRow, Deleted };

    explicit TableModel(const QSqlDatabase& database, QObject* parent = nullptr);

    // Binds the model to the table and gives the tutorial's columns readable headers. Returns false
    // when the table cannot be read (missing, no permission).
    bool setTableName(const TableName& table);
    TableName tableName() const { return m_table; }
    // After a reconnect: binds the table again (the reopened connection lost the model's prepared
    // statements and maybe its record) and reads the same window again, in the same sort and
    // filter. Returns false when the table cannot be read.
    bool rebindKeepingPosition();
    // Also forgets the window's rows (setTable() calls it).
    void clear() override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Reads the rows of the current window again, by key (the first call loads the first window).
    bool select() override;
    // Orders by a column on the server; the window goes back to the first rows. A column whose
    // type has no order (isSortableColumn()) leaves the order as it was.
    void sort(int column, Qt::SortOrder order) override;
    bool isSortableColumn(int column) const { return m_columns.isSortable(column); }
    QStringList columnChoices(int column) const { return m_columns.choices(column); }
    bool isNullableColumn(int column) const
    {
        return column >= 0 && column < columnCount() && m_columns.isNullable(column);
    }
    QString columnTypeSql(int column) const { return m_columns.typeSql(column); }
    // The grid's order as sort() last set it (the key ascending after setTableName()).
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // Moving the window. With a fetcher attached these return at once and windowLoaded() or
    // windowFailed() follows; without one they finish before returning.
    void attachFetcher(const ConnectionSettings& settings);
    void loadFirst() { requestWindow(Move::First); }
    void loadLast() { requestWindow(Move::Last); }
    void loadNext(int overlapRows = 0)
    {
        if (!m_window.atEnd())
            requestWindow(Move::Next, overlapRows);
    }
    void loadPrevious(int overlapRows = 0)
    {
        if (!m_window.atStart())
            requestWindow(Move::Previous, overlapRows);
    }
    void reloadWindow() { requestWindow(Move::Reload); }
    void loadAround(const RowKey& key) { requestWindow(Move::Around, 0, key); }
    void cancelLoading();
    bool isLoading() const { return m_loading; }
    // The server process that reads the rows (0 before the worker connects): who a slow move waits for.
    qint64 loadingBackendPid() const { return m_loader.workerBackendPid(); }
    // The newest window request; windowLoaded() always brings this one (older answers are dropped).
    quint64 requestGeneration() const { return m_loader.generation(); }
    bool atStart() const { return m_window.atStart(); }
    bool atEnd() const { return m_window.atEnd(); }
    int windowSize() const { return m_window.size(); }
    void setWindowSize(int rows) { m_window.setSize(rows); }
    // In an order no index serves, each window statement reads the next window too, and the Next
    // after it needs no statement (RowWindow). Those rows are as old as the window on screen, so
    // the live view turns this on only while it watches them too: its change trigger announces
    // every change at once, or its poll hashes them with the window's (LiveUpdates); either drops
    // them when they changed.
    void setReadAhead(bool on) { m_window.setReadAheadLifetime(on ? readAheadLifetimeMs : 0); }
    bool readsAhead() const { return m_window.readAheadLifetime() > 0; }
    // A filter's first window in an order an index gives shows the matches found within this
    // long, then the rest once the plain statement has read them (KeysetFetcher's search budget);
    // 0 reads the whole window in one statement.
    void setSearchBudget(int milliseconds) { m_searchBudgetMs = qMax(0, milliseconds); }
    int searchBudget() const { return m_searchBudgetMs; }
    // The window holds only the first matches of a search whose rest has not arrived (still
    // loading, or cancelled or failed meanwhile: then a Next reads on after them).
    bool showsFirstMatchesOnly() const { return m_firstMatchesOnly; }
    void dropReadAhead() { m_window.dropReadAhead(); }
    int readAheadRows() const { return m_window.readAheadRows(); }
    QList<RowKey> readAheadKeys() const { return m_window.readAheadKeys(); }
    // The last window came from the rows read ahead, without a statement: its rows are as old as
    // the window before it.
    bool lastWindowWasReadAhead() const { return m_lastWindowWasReadAhead; }
    // Rows before the window, exact while moving from the first window, estimated after Last;
    // -1 after Last with a filter whose matches are not counted yet.
    qint64 windowStartPosition() const { return m_window.startPosition(); }
    // After a thumb drag the start is where the sample placed the window: "about row N".
    bool isWindowStartEstimated() const { return m_window.isStartEstimated(); }

    // The whole-table scrollbar. The rows it spans: the filter's matches (counted, else estimated
    // from the scrollbar's sample once read), else the table's; -1 while not known.
    qint64 orderRowCount() const;
    // Moves the window to about this fraction of the order (0 the first rows, 1 the last), by
    // keyset from a sampled row, never OFFSET; windowLoaded() follows, with the row the place was
    // found for in rowAtJumpPlace() (-1 past the last row, or after any other move).
    void loadAtFraction(double fraction);
    int rowAtJumpPlace() const { return m_jumped ? m_window.aroundRow() : -1; }

    // The table's row count: exact for small tables or once counted, else pg_class's estimate.
    qint64 totalRowCount() const { return m_statistics.totalRowCount(); }
    bool isTotalExact() const { return m_statistics.isTotalExact(); }
    // Counts the rows matching the filter without blocking; matchingRowCountReady() follows.
    void countMatchingRows();
    std::optional<qint64> matchingRowCount() const { return m_statistics.matchingRowCount(); }
    // Whether a pg_trgm index can serve the substring filter on the filter column.
    bool hasTrigramIndex() const;
    // Whether a trigram index would serve the filter column (text or varchar, see TableCatalog).
    bool canIndexFilterColumn() const { return m_columns.isTrigramIndexable(filterColumn()); }
    void refreshIndexInfo() { m_statistics.refreshIndexInfo(); }

    bool isTimestampColumn(int column) const { return m_columns.isTimestamp(column); }
    bool isNumberColumn(int column) const { return m_columns.isNumber(column); }
    // Whether the table has a primary key pgdesk names rows by: without one it is shown read-only.
    bool hasKey() const { return m_columns.hasKey(); }
    bool isKeyColumn(int column) const { return m_columns.isKey(column); }
    // The key's columns in the key's order (one, or a composite key's).
    const QList<int>& keyColumns() const { return m_columns.keyColumns(); }
    // The key as SQL, its columns unqualified (TableWriter's statements).
    KeyColumns key() const { return m_columns.key(); }
    // Whether an insert that leaves the column out takes the server's DEFAULT (a serial id).
    bool hasServerDefault(int column) const { return m_columns.hasDefault(column); }
    // A single smallint, integer or bigint key (the tutorial's serial id), not a uuid, text,
    // numeric or composite one.
    bool isIntegerKey() const { return m_columns.isIntegerKey(); }
    int nameColumn() const { return m_columns.nameColumn(); }
    // The columns as the catalog described them at bind (an import's ImportTable is made from them).
    const TableColumns& columns() const { return m_columns; }
    // The column the search box filters on: the one picked with setFilterColumn() while the table
    // has it, else "name", else the first text column; -1 when no column holds text.
    int filterColumn() const;
    QList<int> filterColumns() const { return m_columns.filterColumns(); }
    bool isTextColumn(int column) const { return m_columns.isString(column); }
    // Whether the filter column is of another type than text, so the text is a comparison
    // ("> 5", "null") or searched in the value's text (NameFilter).
    bool isFilterTyped() const { return filterColumn() >= 0 && !m_columns.isString(filterColumn()); }
    // Every column of the table for a CSV export (TableColumns::exportSelectList()).
    QString exportSelectList() const { return m_columns.exportSelectList(); }
    bool isNewRow(int row) const { return row >= serverRowCount(); }
    // A new row's cell left to the column's DEFAULT (id, date): the server fills it in on insert.
    bool isServerDefault(int row, int column) const;
    int serverRowCount() const { return static_cast<int>(m_window.rows().size()); }
    // The row showing this key, or -1 when it is not among the selected rows.
    int rowForKey(const RowKey& key) const { return m_window.rowForKey(key); }
    std::optional<RowKey> keyAt(int row) const { return m_window.keyAt(row); }

    // Staged editing. Every change goes through the undo stack.
    QUndoStack* undoStack() { return &m_undoStack; }
    int addRow(); // returns the new row's index
    bool setNull(const QModelIndex& index);
    bool hasPendingChanges() const { return !m_staged.isEmpty(); }
    // Edited cells and new rows; rows marked for deletion are counted by pendingDeleteCount().
    int pendingChangeCount() const { return m_staged.changeCount(); }
    int pendingDeleteCount() const { return m_staged.deletedCount(); }
    bool isMarkedDeleted(int row) const;
    const StagedEdits& stagedEdits() const override { return m_staged; }

    // Saving is in two steps so that the writing runs on a worker connection (TableWriter::save on
    // NetworkThreadPool) while the window stays usable: savePlan() copies the staged changes, and
    // finishSave() takes the outcome. In between the model refuses new edits (isSaving()), so what
    // was written is exactly what is cleared. savePlan() returns nothing, with lastSaveError()
    // saying why, when the staged values cannot be stored; finishSave() keeps everything staged
    // unless the transaction committed.
    std::optional<TableWriter::Plan> savePlan();
    bool finishSave(const TableWriter::Outcome& outcome);
    bool isSaving() const { return m_saving; }
    void discardChanges();
    QString lastSaveError() const { return m_lastSaveError; }
    // Another client changed a row after the user read it: the save stopped before writing.
    using SaveConflict = TableWriter::Conflict;
    std::optional<SaveConflict> lastConflict() const { return m_lastConflict; }
    // Keep mine: the next save overwrites their values. Take theirs: drop my edits of that row
    // (undoable).
    void resolveConflictKeepingMine(const SaveConflict& conflict);
    void resolveConflictTakingTheirs(const SaveConflict& conflict);
    QList<RowKey> lastInsertedKeys() const { return m_lastInsertedKeys; }
    // "the row with id 7", by the key column's name; describeRow() adds the name or the filtered
    // column's value when the row is in the window: "the row with id 7 (name "bob")".
    QString describeKey(const RowKey& key) const;
    QString describeRow(const RowKey& key) const;
    QString keyText(const RowKey& key) const;
    // The key column's name, or a composite key's names as "(tenant_id, id)".
    QString keyName() const;

    // Deleting a row marked for deletion that another client changed: delete it all the same,
    // or keep it (the mark goes).
    void resolveDeleteConflictKeepingRow(const SaveConflict& conflict);

    // Marks these rows for deletion (undoable); Save deletes them with the staged edits. New,
    // unsaved rows leave the grid at once. Returns how many rows were marked or taken out.
    int stageDeleteRows(const QList<int>& rows);
    // The "delete immediately" setting, in two steps like saving: new, unsaved rows among these
    // leave at once, and the keys of the others are returned for TableWriter::deleteNow();
    // finishDeleteNow() then forgets their staged edits and reads the window again.
    QList<RowKey> takeRowsToDeleteNow(const QList<int>& rows);
    void finishDeleteNow(const QList<RowKey>& deletedKeys);

    // The search box. Keeps staged edits; the window goes back to the first matching rows.
    bool setNameFilter(const NameFilter& filter);
    NameFilter nameFilter() const { return m_nameFilter; }
    // Another column for the search box; with a filter typed, the window goes back to the first
    // rows that match it there. False for a column that holds no text.
    bool setFilterColumn(int column);
    // The window's order, filter and select list; no key or sort without a key column. What
    // "Select all matching rows" acts on (MatchingRows).
    KeysetQuery::Order keysetOrder() const;
    // The filter the rows in the grid were read with. A new filter's rows come later, and when
    // their load fails or is cancelled the grid keeps the old ones: keysetOrder() then names a set
    // the grid does not show.
    std::optional<QString> shownFilterSql() const { return m_shownFilterSql; }

    // Live updates: remember the window's values, then after a reload mark the rows that changed
    // (briefly highlighted) and find staged edits whose rows another client deleted.
    void snapshotWindow() { m_highlight.remember(m_window); }
    void highlightChangesSinceSnapshot(int milliseconds = 1500)
    {
        m_highlight.markChangedSince(m_window, milliseconds);
    }
    bool isHighlighted(const RowKey& key) const { return m_highlight.contains(key); }
    // Asks the count worker which staged rows another client deleted;
    // stagedKeysDeletedElsewhereFound() follows.
    void checkStagedKeysDeletedElsewhere();

    // StagedEditsHost, for the undo commands; they own the before/after state.
    QString columnTitle(int column) const override;
    void applyStagedValue(const StagedEdits::Target& target, int column, const std::optional<QVariant>& value) override;
    void insertNewRow(int position, const StagedEdits::NewRow& row) override;
    StagedEdits::NewRow removeNewRow(int position) override;
    void markRowsDeleted(const QHash<RowKey, StagedEdits::Values>& rows, bool deleted) override;
    StagedEdits::Target targetAt(int row) const;
    // Where the row of a target stands now, -1 when it is gone: a new row by its serial, an
    // existing one by its key, so a reload or a discarded new row never lends its place to another.
    int rowOfTarget(const StagedEdits::Target& target) const;
    QVariant serverValue(int row, int column) const;

signals:
    void pendingChangesChanged(int count);
    void loadingChanged(bool loading);
    void windowLoaded();
    // The first matches of a search are shown (the window holds them; loading goes on for the
    // rest of the window, and windowLoaded() follows once it is there).
    void firstMatchesShown(int rows);
    // Arrived rows are about to replace the window's (a reset): the rows still shown are the ones
    // an open editor was opened on. inPlace: a reload of the same order and filter (a refresh),
    // where the user's rows stay where they were.
    void rowsAboutToBeReplaced(bool inPlace);
    void windowFailed(const QString& message, bool cancelled);
    void matchingRowCountReady(qint64 count);
    // totalRowCount() or isTotalExact() changed after a write (read on the count worker), or
    // orderRowCount() after the scrollbar's sample arrived.
    void statisticsChanged();
    void stagedKeysDeletedElsewhereFound(int count);
    // A rebind found the filter's column gone (dropped or renamed by another client), or retyped
    // between text and another type (its text would now mean something else): the filter was
    // cleared rather than moved to another column or meaning unasked.
    void filterColumnGone(const QString& column, bool retyped);

private:
    // Each column's name and type, and the key's columns: what staged edits' column numbers and
    // key texts mean.
    QStringList columnShape() const;
    using Move = RowWindow::Move;

    // The name filter as SQL (empty without a name column or filter).
    QString filterSql() const;
    void requestWindow(Move move, int overlapRows = 0, const RowKey& aroundKey = {},
                       const std::optional<KeysetQuery::Anchor>& aroundAnchor = std::nullopt,
                       qint64 aroundPosition = -1);
    void handleArrived(const RowWindow::Plan& plan, const KeysetFetcher::Result& result);
    // The window holds every row its move asked for: the scrollbar's sample may follow, and the
    // view and the live view hear of it.
    void windowComplete();
    void handleFailed(const QString& message, bool cancelled);
    // The scrollbar's places: where they are read from for the current order and filter, and
    // reading them ahead once the window does not hold every row.
    WorkerStatement keyHistogramStatement() const;
    qint64 rowsToSample() const;
    void prepareScrollPlaces();
    void setLoading(bool loading);
    QVariant displayValue(int row, int column) const;
    void notifyRowChanged(int row);

    TableName m_table;
    TableColumns m_columns; // the key, the name, how each column is read and written
    StagedEdits m_staged;
    QUndoStack m_undoStack;
    QString m_lastSaveError;
    std::optional<SaveConflict> m_lastConflict;
    QList<RowKey> m_lastInsertedKeys;
    bool m_saving = false; // between savePlan() and finishSave()
    NameFilter m_nameFilter;
    // By name: a rebind after a reconnect may number the columns anew. Set whenever a filter is
    // applied, so that the filter never moves to another column by itself.
    QString m_filterColumnName;
    std::optional<QString> m_shownFilterSql; // nullopt before the first rows arrive
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    RowWindow m_window; // the rows shown, their keys and sort values, and where they are
    WindowLoader m_loader; // runs the window's plans on its worker
    bool m_loading = false;
    TableStatistics m_statistics; // row counts on a worker of their own
    PositionLocator m_positions{ m_statistics }; // the scrollbar's sample of the order
    // The sample is read ahead only once the window has rested this long: read at once, it ran
    // beside the user's next move (a Page Down right after sorting 10M rows) and slowed it by half
    // on two cores (issue 18). A drag before then reads it on demand.
    QTimer m_scrollPlacesDelay;
    static constexpr int scrollPlacesDelayMs = 500;
    // Rows read ahead stand in for a statement this long at most; a lost notification (a
    // reconnect) leaves them no older than that.
    static constexpr int readAheadLifetimeMs = 30000;
    // About the longest wait that still reads as instant: past it the first matches are shown.
    static constexpr int defaultSearchBudgetMs = 150;
    int m_searchBudgetMs = defaultSearchBudgetMs;
    bool m_firstMatchesOnly = false;
    bool m_lastWindowWasReadAhead = false;
    bool m_jumped = false; // the window was placed by a thumb drag, and has not moved since
    ChangeHighlight m_highlight; // rows another client changed, marked for a moment
};
