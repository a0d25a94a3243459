#pragma once

#include "editing/RowsAsText.h"

#include <QObject>
#include <QString>

#include <optional>

namespace Ui {
class MainWindow;
}
class MainWindow;

// Copy and paste between the grid and the clipboard. Copy writes tab-separated text (what
// spreadsheets exchange), with a header line on Ctrl+Shift+C, or CSV, JSON, SQL INSERT or a
// Markdown table from Edit > Copy as (RowsAsText). Paste reads tab-separated text or CSV into
// the cells from the current one on (adding rows past the end), or a list of names as new rows.
// Each paste is one undo step.
class GridClipboard : public QObject
{
    Q_OBJECT

public:
    enum class Format { TabSeparated, TabSeparatedWithHeader, Csv, Json, SqlInsert, Markdown };
    struct Rendered
    {
        QString text;
        QString message; // what the status bar says after copying it
    };

    GridClipboard(MainWindow* window, Ui::MainWindow& ui);

    // Connects the copy and paste actions and puts the new copy commands beside Copy in the
    // grid's context menu. Call after the window has added its own actions to the grid.
    void setUpActions();

    void copySelection();
    void copySelectionAs(Format format);
    void pasteIntoCells();
    void pasteAsNewRows();

    // A block of rows as the clipboard text of a format (also for all matching rows).
    static Rendered render(const RowsAsText& block, Format format, const TableName& table);

signals:
    void statusMessage(const QString& text, int timeout);

private:
    // The selected cells as one block: every selected row by every selected column, in the
    // model's order, values as the model holds them (a null QVariant for NULL).
    std::optional<RowsAsText> selectedBlock() const;

    MainWindow* m_window;
    Ui::MainWindow& m_ui;
};
