#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "transfer/ImportOptions.h"
#include "transfer/ImportPreview.h"
#include "transfer/ImportTable.h"

#include <QDialog>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QTableWidget;

// File ▸ Import rows, between the file dialog and the import: how the file will be read
// (delimiter, header line, encoding), which file column fills which column of the table (those
// ImportTable offers), the first rows as they will land, how many rows will be written, and
// whether rows the table already holds (same name, or same key) are skipped. Nothing is written
// here; the only statement is the check of the rows shown while "skip" is on.
//
// The file is read off the GUI thread (NetworkThreadPool): first the rows shown, then the whole
// file for the count, which a change of options abandons. Import stays disabled while the options
// cannot import the file (no column mapped, a line that does not parse, undecodable bytes), with
// the reason shown.
class ImportPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int previewRows = 20;

    ImportPreviewDialog(const QString& filePath, const ImportTable& table, QWidget* parent = nullptr);
    ~ImportPreviewDialog() override;

    ImportOptions options() const;
    // The table the rows will go to: with it, the rows shown are checked against the table (on a
    // network job) while "skip existing" is on, and those that would be skipped are marked.
    void setTable(const ConnectionSettings& settings, const TableName& table);

    // Tests: the rows shown and the whole file's count have both arrived for the current options.
    bool isSettled() const { return m_previewReady && m_countReady && !m_checkingNames; }
    // The rows the import will write (before any skip), once counted; -1 until then.
    qint64 countedRows() const { return m_countReady && m_countError.isEmpty() ? m_countedRows : -1; }

private:
    void reload();
    void showPreview(const ImportPreview& preview);
    void rebuildMapping();
    void fillGrid();
    void updateState();
    void checkExistingNames();
    // The file field of each of the table's match columns; empty when one is not filled.
    QList<int> matchFields() const;
    // The file field that fills the table column, -1 when none does.
    int fieldOf(const QString& column) const;
    ImportOptions readingOptions() const;

    QString m_filePath;
    ImportTable m_target;
    QComboBox* m_delimiter;
    QLineEdit* m_otherDelimiter;
    QComboBox* m_encoding;
    QCheckBox* m_header;
    QWidget* m_mappingBox;
    QGridLayout* m_mappingLayout;
    QList<QComboBox*> m_mappingCombos;
    QTableWidget* m_grid;
    QLabel* m_rowCount;
    QCheckBox* m_skipExisting;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;

    ImportPreview m_preview;
    QStringList m_mappedHeader; // the header names the mapping combos were made for
    int m_mappedColumns = -1;
    bool m_previewReady = false;
    bool m_countReady = false;
    qint64 m_countedRows = 0;
    QString m_countError;
    quint64 m_generation = 0; // answers for older options are dropped
    std::optional<ConnectionSettings> m_settings;
    TableName m_table;
    bool m_checkingNames = false;
    quint64 m_namesGeneration = 0;
    QList<bool> m_present; // per row shown: it is in the table (empty: not known)
    QString m_namesError;
    std::shared_ptr<std::atomic<bool>> m_cancelCount;
};
