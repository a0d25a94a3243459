#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace Ui {
class MainWindow;
}
class MainWindow;
class QLineEdit;
class StatusBarPanel;
class TableBrowser;

// The toolbar's filter by name: typing applies after a short pause, Enter at once (and goes to
// the grid), Esc clears. A contains-search over a large table without a trigram index is slow,
// so it offers to create one (CREATE INDEX CONCURRENTLY, on a connection of its own).
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
    void updateIndexHint();
    void createTrigramIndex();
    bool isCreatingIndex() const { return m_creatingIndex; }

signals:
    void statusMessage(const QString& text, int timeout);
    void filterApplied();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    MainWindow* m_window;
    Ui::MainWindow& m_ui;
    QLineEdit* m_lineEdit;
    StatusBarPanel* m_status;
    TableBrowser* m_browser;
    QTimer m_debounce;
    bool m_creatingIndex = false;
};
