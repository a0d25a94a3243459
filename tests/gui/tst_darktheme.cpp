// The real window in a dark theme (issue 15): an edited cell, a new row, a row marked for
// deletion, a NULL and a row another client just changed are each painted with text that reaches
// WCAG AA (4.5:1) on the background the grid really paints, and that background is not the plain
// cell's. The database still holds the rows as they were: nothing was saved.
// PGDESK_SCREENSHOT_DIR=dir saves the window as dark-theme.png there, for a look.
// QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark (under xvfb-run, with qt6-gtk-platformtheme)
// runs it in the desktop's real dark theme instead of the palette made here.
#include "TestServer.h"
#include "ThemePalettes.h"
#include "WcagContrast.h"
#include "WindowDriver.h"
#include "gui/MessageBox.h"
#include "live/LiveUpdates.h"
#include "model/TableModel.h"

#include <QAction>
#include <QApplication>
#include <QBrush>
#include <QDir>
#include <QSettings>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr int deadline = 15000;
}

class TestDarkTheme : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_darktheme"_s;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement) { return m_server.psql(m_database, statement); }
    TableModel* model() { return m_window->model(); }
    QTableView* view() { return m_window->tableView(); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }

    // What the grid paints in the cell: its background (read from the painted pixels) and the
    // colour its text is drawn with.
    struct Painted
    {
        QColor background;
        QColor text;
    };
    Painted painted(const QImage& grid, const QModelIndex& index)
    {
        const QRect cell = view()->visualRect(index);
        // Bottom right, inside the grid lines and clear of the text.
        const QColor background = grid.pixelColor(cell.bottomRight() - QPoint(3, 3));
        const QVariant foreground = index.data(Qt::ForegroundRole);
        const QColor text
            = foreground.isValid() ? foreground.value<QBrush>().color() : view()->palette().color(QPalette::Text);
        return { background, text };
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        sql(u"CREATE TABLE my_table (id BIGSERIAL PRIMARY KEY, name VARCHAR(255), "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) VALUES ('alice'), ('bob'), (NULL), ('dave'), ('erin')"_s);
        QSettings().setValue(u"view/liveUpdates"_s, true);
        QSettings().remove(u"window"_s);
        // A dark palette like GNOME's Adwaita dark; a platform theme named by hand instead
        // (QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark) gives its own, which must be dark too.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORMTHEME")) {
            QApplication::setStyle(u"Fusion"_s);
            QApplication::setPalette(adwaitaDark());
        }
        QVERIFY(wcagLuminance(QApplication::palette().color(QPalette::Base)) < 0.2);
    }

    void cleanupTestCase()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void everyStateIsReadableAsPainted()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QCOMPARE(model()->rowCount(), 5); // in id order
        m_window->resize(780, 420);
        // The change trigger, so another client's change arrives as a notification: a poll's
        // baseline taken just after the window's read could take the change in and miss it (noted
        // in docs/RELIABILITY.md), and painting, not polling, is what this suite checks.
        QAction* install = action("actionInstallChangeTrigger");
        QTRY_VERIFY_WITH_TIMEOUT(install->isEnabled(), deadline);
        MessageBox::answerNext(QMessageBox::Yes);
        install->trigger();
        QCOMPARE(m_window->liveUpdates()->mode(), LiveUpdates::Mode::Trigger);

        // alice edited, bob marked for deletion, the NULL left alone, a new row named.
        QVERIFY(model()->setData(model()->index(0, 1), u"alice, edited"_s));
        view()->selectRow(1);
        action("actionDeleteRows")->trigger();
        action("actionAddRow")->trigger();
        QVERIFY(model()->isNewRow(model()->rowCount() - 1));
        QVERIFY(model()->setData(model()->index(model()->rowCount() - 1, 1), u"new row"_s));
        view()->clearSelection();
        view()->setCurrentIndex({});
        // dave changed by another client: flashed for a moment.
        sql(u"UPDATE my_table SET name = 'dave, changed elsewhere' WHERE name = 'dave'"_s);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithName(model(), u"dave, changed elsewhere"_s) == 3, deadline);
        QVERIFY(model()->isHighlighted(model()->keyAt(3).value()));
        const int added = model()->rowCount() - 1;
        QVERIFY(model()->isNewRow(added));
        const QImage grid = view()->viewport()->grab().toImage();

        const QColor base = view()->palette().color(QPalette::Base);
        const struct
        {
            const char* state;
            int row;
            int column;
        } cells[] = { { "edited", 0, 1 },      { "deleted", 1, 1 },
                      { "NULL", 2, 1 },        { "changed elsewhere", 3, 1 },
                      { "new row", added, 1 }, { "new row, server default", added, 2 },
                      { "plain", 4, 1 } };
        for (const auto& cell : cells) {
            const Painted shown = painted(grid, model()->index(cell.row, cell.column));
            const double ratio = wcagRatio(shown.text, shown.background);
            qInfo("%-24s %s on %s  %5.2f:1", cell.state, qPrintable(shown.text.name()),
                  qPrintable(shown.background.name()), ratio);
            QVERIFY2(ratio >= 4.5, cell.state);
            const bool plainBackground = cell.row == 2 || cell.row == 4;
            QVERIFY2((shown.background.rgb() == base.rgb()) == plainBackground,
                     qPrintable(u"%1 on Base %2"_s.arg(shown.background.name(), base.name())));
        }
        // Dark: not the pale fixed colours of before.
        QVERIFY(wcagLuminance(painted(grid, model()->index(0, 1)).background) < 0.2);

        if (const QString dir = qEnvironmentVariable("PGDESK_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(m_window->grab().save(QDir(dir).filePath(u"dark-theme.png"_s)));

        // Nothing written: alice and bob as they were, no new row.
        QCOMPARE(sql(u"SELECT string_agg(coalesce(name, 'NULL'), ',' ORDER BY id) FROM my_table"_s),
                 u"alice,bob,NULL,dave, changed elsewhere,erin"_s);
    }
};

QTEST_MAIN(TestDarkTheme)
#include "tst_darktheme.moc"
