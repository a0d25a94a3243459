#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace Ui {
class MainWindow;
}
class MainWindow;
class QAction;
class QActionGroup;
class QLineEdit;
class QMenu;
class QToolButton;
class StatusBarPanel;
class TableBrowser;

// The toolbar's filter: typing applies after a short pause, Enter at once (and goes to the grid),
// Esc clears. It filters on the tutorial's name, or on any text column picked in View ▸ Filter
// column or with the button beside the box that names the column. A contains-search over a large
// table without a trigram index is slow, so it offers to create one (CREATE INDEX CONCURRENTLY, on
// a connection of its own) on the column filtered.
class NameFilterBox : public QObject
{
    Q_OBJECT

public:
    NameFilterBox(MainWindow* window, Ui::MainWindow& ui, QLineEdit* lineEdit, StatusBarPanel* status,
                  TableBrowser* browser);

    bool isEmpty() const;
    void applyNow(); // what the debounce timer runs
    void clear();
    void focus();
    void setEnabled(bool enabled);
    // Follows the bound model's text columns: the menu's entries, the one checked, and the box's
    // placeholder, tooltip and accessible name, which name the column.
    void updateColumns();
    QMenu* columnMenu() const { return m_columnMenu; }
    // The model cleared the filter because its column is gone: the box follows, and says why.
    void dropFilter(const QString& column, bool retyped);
    void updateIndexHint();
    void createTrigramIndex();
    bool isCreatingIndex() const { return m_creatingIndex; }

signals:
    void statusMessage(const QString& text, int timeout);
    void filterApplied();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void pickColumn(const QString& column);
    void describeColumn(const QString& column, bool typed);

    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    QLineEdit* m_lineEdit;
    StatusBarPanel* m_status;
    TableBrowser* m_browser;
    QTimer m_debounce;
    bool m_creatingIndex = false;
    QMenu* m_columnMenu = nullptr;
    QActionGroup* m_columnGroup = nullptr;
    QToolButton* m_columnButton = nullptr;
    QAction* m_columnButtonAction = nullptr; // the toolbar's, which shows and hides the button
    QStringList m_columnNames; // what the menu lists now
};
