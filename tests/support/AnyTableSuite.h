#pragma once

#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/FileDialog.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <memory>

// For GUI suites (header only: it needs pgdesk_gui). The fixture of issue 20's suites on tables of
// other shapes than the tutorial's (tst_anytable, tst_anytypes): a database of the suite's own, the
// tables init() makes afresh before each function, the window on one of them, and what the
// functions do to it. The suite's slots call setUpDatabase(), createTables() and closeWindow().
class AnyTableSuite : public QObject
{
protected:
    explicit AnyTableSuite(const QString& database)
        : m_database(database)
    {
    }

    TestServer m_server;
    const QString m_database;
    std::unique_ptr<MainWindow> m_window;

    // initTestCase(): the suite's database, empty; live updates off, so that only what a function
    // does changes the grid.
    void setUpDatabase()
    {
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(QStringLiteral("view/liveUpdates"), false);
    }

    // init(): contacts (an integer key, no "name": text, varchar, integer, boolean, timestamp),
    // counters (a "name" that is an integer), nums (no text column), cases (Note and note).
    void createTables()
    {
        sql(QStringLiteral(
            "DROP TABLE IF EXISTS contacts, counters; "
            "CREATE TABLE contacts(id BIGSERIAL PRIMARY KEY, score integer, email text, note varchar(40), "
            "active boolean, joined timestamp NOT NULL DEFAULT '2026-01-01 10:00'); "
            "INSERT INTO contacts(score, email, note, active) VALUES "
            "(3, 'ann@example.com', 'likes tea', true), (5, 'bob@example.org', 'Tea and coffee', false), "
            "(NULL, 'carol@example.com', NULL, NULL), (7, 'dave@x.org', 'coffee', true); "
            "CREATE TABLE counters(id integer PRIMARY KEY, name integer, label text); "
            "DROP TABLE IF EXISTS nums, cases; CREATE TABLE nums(id bigserial PRIMARY KEY, n integer, flag boolean); "
            "INSERT INTO nums(n) VALUES (1), (2); "
            "CREATE TABLE cases(id serial PRIMARY KEY, \"Note\" integer, note text); "
            "INSERT INTO cases(\"Note\", note) VALUES (1, 'one'), (2, 'two'); "
            "INSERT INTO counters VALUES (1, 10, 'ten'), (2, 20, 'twenty')"));
    }

    // cleanup()
    void closeWindow()
    {
        m_window.reset();
        MessageBox::clearTestState();
        FileDialog::clearTestState();
    }

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->findChild<QTableView*>(QStringLiteral("tableView")); }
    QLineEdit* searchBox() { return m_window->findChild<QLineEdit*>(QStringLiteral("searchLineEdit")); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QLatin1String(name)); }
    QMenu* columnMenu() { return m_window->findChild<QMenu*>(QStringLiteral("filterColumnMenu")); }
    QToolButton* columnButton() { return m_window->findChild<QToolButton*>(QStringLiteral("filterColumnButton")); }
    QString filterColumnName() { return model()->record().fieldName(model()->filterColumn()); }

    void openTable(const QString& table)
    {
        QString error;
        m_window = openTableWindow(m_server.settings(m_database), table, &error);
        QVERIFY2(m_window, qPrintable(error));
    }

    void typeFilter(const QString& text)
    {
        searchBox()->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), text, 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

    // View > Filter column > column.
    void pickColumn(const QString& column)
    {
        QAction* pick = m_window->findChild<QAction*>(QStringLiteral("filterColumn:") + column);
        QVERIFY2(pick, qPrintable(column));
        QVERIFY(pick->isEnabled());
        pick->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QCOMPARE(filterColumnName(), column);
        QVERIFY(pick->isChecked());
    }

    // The keys the grid shows, in its order.
    QString shownKeys()
    {
        QStringList keys;
        for (int row = 0; row < model()->serverRowCount(); ++row)
            keys << model()->index(row, model()->keyColumns().constFirst()).data(Qt::EditRole).toString();
        return keys.join(u',');
    }
};
