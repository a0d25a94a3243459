#pragma once

#include "config/ConnectionSettings.h"
#include "config/TableName.h"
#include "transfer/ImportOptions.h"
#include "transfer/ImportPreview.h"

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

// File ▸ Import names, between the file dialog and the import: how the file will be read
// (delimiter, header line, encoding), which file column lands in name and which in date, the
// first rows as they will land, how many rows will be written, and whether rows whose name the
// table already holds are skipped. Nothing is sent to the server here.
//
// The file is read off the GUI thread (NetworkThreadPool): first the rows shown, then the whole
// file for the count, which a change of options abandons. Import stays disabled while the options
// cannot import the file (no name column, a line that does not parse, undecodable bytes), with
// the reason shown.
class ImportPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int previewRows = 20;

    explicit ImportPreviewDialog(const QString& filePath, QWidget* parent = nullptr);
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
    int nameColumn() const;
    ImportOptions readingOptions() const;

    QString m_filePath;
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
    QList<bool> m_present; // per row shown: its name is in the table (empty: not known)
    QString m_namesError;
    std::shared_ptr<std::atomic<bool>> m_cancelCount;
};
