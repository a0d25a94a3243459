// The first window on a small screen at 150% and 200% scaling (issue 15): a 1100x700 screen (the
// offscreen platform's, set up by main() below) and QT_SCALE_FACTOR from ctest. The window, frame
// included, and its status bar stay within the screen's available area, with no saved geometry and
// with one saved bigger than the screen; icons are drawn at the screen's device pixel ratio.
// PGDESK_SCREENSHOT_DIR=dir saves the first window there, for a look.
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/AboutDialog.h"
#include "gui/ConnectionDialog.h"
#include "gui/DropTableDialog.h"
#include "gui/ImportPreviewDialog.h"
#include "gui/MainWindow.h"
#include "gui/RowDetailsDialog.h"
#include "gui/ShortcutsDialog.h"
#include "gui/TransferProgressDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace {
constexpr int screenWidth = 1100;
constexpr int screenHeight = 700;

QString describe(const QRect& rect)
{
    return u"%1x%2 at %3,%4"_s.arg(rect.width()).arg(rect.height()).arg(rect.x()).arg(rect.y());
}
} // namespace

class TestScreenFit : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    // One database per scale: the two runs may go at once.
    const QString m_database
        = u"tst_screenfit_%1"_s.arg(qRound(qEnvironmentVariable("QT_SCALE_FACTOR").toDouble() * 100));

    static void verifyOnScreen(MainWindow* window)
    {
        const QRect available = window->screen()->availableGeometry();
        const QRect frame = window->frameGeometry();
        QVERIFY2(available.contains(frame),
                 qPrintable(u"window %1, screen %2"_s.arg(describe(frame), describe(available))));
        const QStatusBar* statusBar = window->statusBar();
        QVERIFY(statusBar->isVisible());
        const QRect bar(statusBar->mapToGlobal(QPoint(0, 0)), statusBar->size());
        QVERIFY2(available.contains(bar),
                 qPrintable(u"status bar %1, screen %2"_s.arg(describe(bar), describe(available))));
    }

    // A dialog at this scale: on the screen, frame included, at no less than its layout's minimum,
    // and no label, button or field in it narrower than its own minimum (cut text).
    static void verifyDialogFits(QWidget* dialog, const QString& name)
    {
        dialog->show();
        QVERIFY2(QTest::qWaitForWindowExposed(dialog), qPrintable(name));
        QCoreApplication::processEvents();
        const QRect available = dialog->screen()->availableGeometry();
        QVERIFY2(available.contains(dialog->frameGeometry()),
                 qPrintable(u"%1: %2, screen %3"_s.arg(name, describe(dialog->frameGeometry()), describe(available))));
        const QSize minimum = dialog->minimumSizeHint();
        QVERIFY2(dialog->width() >= minimum.width() && dialog->height() >= minimum.height(),
                 qPrintable(u"%1: %2x%3 below its minimum %4x%5"_s.arg(name)
                                .arg(dialog->width())
                                .arg(dialog->height())
                                .arg(minimum.width())
                                .arg(minimum.height())));
        for (QWidget* child : dialog->findChildren<QWidget*>()) {
            if (!child->isVisibleTo(dialog)
                || !(qobject_cast<QLabel*>(child) || qobject_cast<QAbstractButton*>(child)
                     || qobject_cast<QLineEdit*>(child)))
                continue;
            if (qobject_cast<QLineEdit*>(child->parentWidget()))
                continue; // the style's clear button inside a line edit
            const auto* label = qobject_cast<QLabel*>(child);
            if (label && label->wordWrap())
                continue; // wraps to its width
            QVERIFY2(child->width() >= child->minimumSizeHint().width(),
                     qPrintable(u"%1: %2 is %3 wide, needs %4"_s.arg(name, child->objectName())
                                    .arg(child->width())
                                    .arg(child->minimumSizeHint().width())));
        }
        if (const QString dir = qEnvironmentVariable("PGDESK_SCREENSHOT_DIR"); !dir.isEmpty())
            dialog->grab().save(QDir(dir).filePath(u"%1-at-%2.png"_s.arg(name, m_scaleText())));
    }
    static QString m_scaleText()
    {
        return QString::number(qRound(qEnvironmentVariable("QT_SCALE_FACTOR").toDouble() * 100));
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        m_server.psql(m_database,
                      u"CREATE TABLE my_table (id BIGSERIAL PRIMARY KEY, name VARCHAR(255), "
                      "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
                      "INSERT INTO my_table(name) VALUES ('alice'), ('bob')"_s);
        // The scale ctest asked for is the one in force, on the small screen.
        const double scale = qEnvironmentVariable("QT_SCALE_FACTOR").toDouble();
        QVERIFY(scale >= 1.5);
        const QScreen* screen = QGuiApplication::primaryScreen();
        QCOMPARE(screen->devicePixelRatio(), scale);
        QCOMPARE(screen->geometry().size(), QSize(qRound(screenWidth / scale), qRound(screenHeight / scale)));
    }

    void init() { QSettings().remove(u"window"_s); }

    void theFirstWindowFitsTheScreen()
    {
        QString error;
        const auto window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(window, qPrintable(error));
        verifyOnScreen(window.get());
        QCOMPARE(window->model()->rowCount(), 2);
        if (const QString dir = qEnvironmentVariable("PGDESK_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(
                window->grab().save(QDir(dir).filePath(u"first-window-at-%1.png"_s.arg(m_database.section(u'_', -1)))));
    }

    void aSavedGeometryBiggerThanTheScreenIsBroughtBack()
    {
        {
            // Saved on a big monitor at 100%: 1800x1200 logical, placed off to the right.
            QWidget big;
            big.setGeometry(QRect(400, 300, 1800, 1200));
            QSettings().setValue(u"window/geometry"_s, big.saveGeometry());
        }
        QString error;
        const auto window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(window, qPrintable(error));
        verifyOnScreen(window.get());
    }

    // Every dialog pgdesk opens fits the small screen at this scale, its texts uncut.
    void everyDialogFitsTheScreen()
    {
        QString error;
        const auto window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(window, qPrintable(error));
        {
            ConnectionDialog dialog(ConnectionSettings::Resolution{}, window.get());
            verifyDialogFits(&dialog, u"connection"_s);
        }
        {
            DropTableDialog dialog(u"public.my_table"_s, 2, 1, window.get());
            verifyDialogFits(&dialog, u"drop-table"_s);
        }
        {
            RowDetailsDialog dialog(*window->model(), 0, false, window.get());
            verifyDialogFits(&dialog, u"row-details"_s);
        }
        {
            QTemporaryDir dir;
            const QString path = dir.filePath(u"names.csv"_s);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("name,date\nalice,2026-01-02 03:04:05\nbob,\n");
            file.close();
            ImportPreviewDialog dialog(path, ImportTable::tutorial(), window.get());
            verifyDialogFits(&dialog, u"import-preview"_s);
        }
        {
            TransferProgressDialog dialog(u"Exporting to my_table.csv, in the grid's order: by ID, ascending"_s,
                                          window.get());
            verifyDialogFits(&dialog, u"export-progress"_s);
        }
        {
            ShortcutsDialog dialog(window->findChildren<QAction*>(), window.get());
            verifyDialogFits(&dialog, u"shortcuts"_s);
        }
        {
            AboutDialog dialog(window.get());
            verifyDialogFits(&dialog, u"about"_s);
        }
    }

    // The search box is in reach on the toolbar, not behind its overflow arrow, at this scale.
    void theSearchBoxStaysOnTheToolbar()
    {
        QString error;
        const auto window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(window, qPrintable(error));
        auto* search = window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        QVERIFY(search);
        QTRY_VERIFY(search->isVisible());
        const QRect box(search->mapTo(window.get(), QPoint(0, 0)), search->size());
        QVERIFY2(window->rect().contains(box), qPrintable(describe(box)));
        QVERIFY2(search->width() >= search->minimumSizeHint().width(), qPrintable(describe(box)));
    }

    void iconsAreDrawnAtTheScreensPixelRatio()
    {
        QString error;
        const auto window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(window, qPrintable(error));
        const qreal ratio = window->devicePixelRatio();
        QVERIFY(ratio >= 1.5);
        // pgdesk's own: the window's, its actions' (not the style's, such as the line edit's
        // clear button) and every one in its resources.
        QList<QPair<QString, QIcon>> icons = { { u"window"_s, window->windowIcon() } };
        for (const QAction* action : window->findChildren<QAction*>()) {
            if (!action->icon().isNull() && action->objectName().startsWith(u"action"_s))
                icons.append({ action->objectName(), action->icon() });
        }
        QVERIFY(icons.size() > 5);
        const QStringList files = QDir(u":/icons"_s).entryList(QDir::Files);
        QVERIFY(files.size() > 5);
        for (const QString& file : files) {
            QVERIFY2(file.endsWith(u".svg"_s), qPrintable(file));
            icons.append({ file, QIcon(u":/icons/"_s + file) });
        }
        for (const auto& [name, icon] : icons) {
            const QSize logical(22, 22);
            const QPixmap pixmap = icon.pixmap(logical, ratio);
            // Rendered for the device pixels (an SVG), not a 22x22 image stretched.
            QVERIFY2(pixmap.size() == (QSizeF(logical) * ratio).toSize(), qPrintable(name));
            QCOMPARE(pixmap.devicePixelRatio(), ratio);
        }
    }
};

int main(int argc, char* argv[])
{
    // A 1100x700 screen of the offscreen platform, 96 dpi; QT_SCALE_FACTOR scales it from there.
    QTemporaryDir dir;
    const QString config = dir.filePath(u"screens.json"_s);
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(u"{ \"screens\": [ { \"name\": \"laptop\", \"x\": 0, \"y\": 0, \"width\": %1, \"height\": %2, "
               "\"logicalDpi\": 96, \"logicalBaseDpi\": 96, \"dpr\": 1 } ] }"_s.arg(screenWidth)
                   .arg(screenHeight)
                   .toUtf8());
    file.close();
    // A QByteArray, not the builder expression: Qt 6.8's qputenv() takes a QByteArrayView.
    const QByteArray platform = "offscreen:configfile=" + config.toUtf8();
    qputenv("QT_QPA_PLATFORM", platform);
    QApplication app(argc, argv);
    TestScreenFit test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_screenfit.moc"
