#include "IntegerKey.h"
#include "TestServer.h"
#include "WindowDriver.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"
#include "gui/WholeTableScrollBar.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QSettings>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

// The scrollbar spans the whole table (issue 15): dragging its thumb shows the rows at that place
// of the order (the table's, a sort's, a filter's), found without OFFSET, and where the window
// then stands is checked against what psql counts before its first row.
class TestWholeTableScroll : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_wholetablescroll"_s;
    std::unique_ptr<MainWindow> m_window;
    static constexpr int tableRows = 50000;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QTableView* view() { return m_window->tableView(); }
    TableModel* model() { return m_window->model(); }
    WholeTableScrollBar* bar() { return qobject_cast<WholeTableScrollBar*>(view()->verticalScrollBar()); }
    QString rowCountText() { return m_window->findChild<QLabel*>(u"rowCountStatusLabel"_s)->text(); }

    void fillTable(int rows)
    {
        sql(u"DROP TABLE IF EXISTS my_table; DROP FUNCTION IF EXISTS pgdesk_notify_change(); "
            "CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || g FROM generate_series(1, %1) g; "
            "ANALYZE my_table"_s.arg(rows));
    }
    void openWindow()
    {
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        m_window->resize(900, 600);
        QTRY_VERIFY(bar() && bar()->spansWholeOrder());
    }
    // Presses the thumb, moves it to each y in turn (not waiting for rows), and lets go at the last.
    // The mouse events go straight to the bar, as the window system would deliver them.
    void sendMouse(QEvent::Type type, const QPoint& at, Qt::MouseButtons buttons)
    {
        QMouseEvent event(type, QPointF(at), QPointF(bar()->mapToGlobal(at)), Qt::LeftButton, buttons, Qt::NoModifier);
        QCoreApplication::sendEvent(bar(), &event);
    }
    void dragThumb(const QList<int>& ys)
    {
        const QPoint grip = bar()->thumbRect().center();
        sendMouse(QEvent::MouseButtonPress, grip, Qt::LeftButton);
        QVERIFY(bar()->isDragging());
        for (int y : ys)
            sendMouse(QEvent::MouseMove, QPoint(grip.x(), y), Qt::LeftButton);
        sendMouse(QEvent::MouseButtonRelease, QPoint(grip.x(), ys.constLast()), Qt::NoButton);
        QVERIFY(!bar()->isDragging());
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        QTRY_VERIFY(!model()->isLoading());
    }
    int yForFraction(double fraction)
    {
        const QRect thumb = bar()->thumbRect();
        // The bar's arrows take a thumb's height at either end in most styles; aim between them.
        const int top = thumb.height();
        const int span = bar()->height() - 3 * thumb.height();
        return top + static_cast<int>(fraction * span) + thumb.height() / 2;
    }
    qint64 topKey() { return integerKey(model()->keyAt(view()->rowAt(0))); }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
        QSettings().setValue(u"view/liveUpdates"_s, false);
    }

    void init() { MessageBox::clearTestState(); }

    void cleanup()
    {
        if (m_window && model() && model()->hasPendingChanges())
            MessageBox::answerNext(QMessageBox::Discard);
        m_window.reset();
    }

    void draggingTheThumbShowsTheRowsAtThatPlace()
    {
        fillTable(tableRows);
        openWindow();
        QCOMPARE(model()->orderRowCount(), tableRows);
        dragThumb({ yForFraction(0.2), yForFraction(0.4) });
        const double fraction = bar()->thumbFraction();
        QVERIFY2(fraction > 0.3 && fraction < 0.5, qPrintable(QString::number(fraction)));
        // The first row in view stands where the thumb was let go: psql counts the rows before it.
        const qint64 key = topKey();
        QVERIFY(key > 0);
        const qint64 before = sql(u"SELECT count(*) FROM my_table WHERE id < %1"_s.arg(key)).toLongLong();
        const qint64 expected = std::llround(fraction * (tableRows - view()->verticalScrollBar()->pageStep()));
        // The key's histogram comes from ANALYZE's sample: within a percent of the table.
        QVERIFY2(qAbs(before - expected) <= tableRows / 100,
                 qPrintable(u"row %1 shown at %2"_s.arg(before).arg(expected)));
        // What the grid shows there is what the table holds.
        QCOMPARE(model()->index(view()->rowAt(0), 1).data().toString(),
                 sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)));
        QVERIFY2(rowCountText().startsWith(u"about rows "_s), qPrintable(rowCountText()));
        QVERIFY(model()->isWindowStartEstimated());
        QCOMPARE(model()->windowStartPosition() + view()->rowAt(0), expected);
        QVERIFY(bar()->positionText().startsWith(u"about row "_s));
        // Scrolling on from there with the keys still slides the window past its end.
        const qint64 start = model()->windowStartPosition();
        view()->setFocus();
        view()->setCurrentIndex(model()->index(view()->rowAt(0), 1));
        for (int i = 0; i < 20 && model()->windowStartPosition() == start; ++i) {
            QTest::keyClick(view(), Qt::Key_PageDown);
            QVERIFY(waitUntilWindowLoaded(m_window.get()));
        }
        QVERIFY(model()->windowStartPosition() > start);
        QVERIFY(topKey() > key);
    }

    void theEndsOfTheBarAreTheFirstAndLastRows()
    {
        openWindow();
        dragThumb({ bar()->height() });
        QCOMPARE(model()->index(model()->serverRowCount() - 1, 0).data().toLongLong(),
                 sql(u"SELECT max(id) FROM my_table"_s).toLongLong());
        QVERIFY(model()->atEnd());
        dragThumb({ 0 });
        QVERIFY(model()->atStart());
        QCOMPARE(topKey(), sql(u"SELECT min(id) FROM my_table"_s).toLongLong());
        QVERIFY(!model()->isWindowStartEstimated());
    }

    void inAnotherOrderThePlaceIsExactForASampleOfEveryRow()
    {
        openWindow();
        view()->sortByColumn(1, Qt::DescendingOrder);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        dragThumb({ yForFraction(0.7) });
        // 50,000 rows are sampled whole: the window's start is exact, in the server's collation.
        const qint64 key = topKey();
        const QString name = model()->index(view()->rowAt(0), 1).data().toString();
        const qint64 before
            = sql(u"SELECT count(*) FROM my_table WHERE (name, id) > ('%1', %2)"_s.arg(name).arg(key)).toLongLong();
        QCOMPARE(model()->windowStartPosition() + view()->rowAt(0), before);
        const double fraction = static_cast<double>(before) / tableRows;
        QVERIFY2(fraction > 0.6 && fraction < 0.8, qPrintable(QString::number(fraction)));
    }

    void aFilteredDragStaysAmongTheMatches()
    {
        openWindow();
        auto* search = m_window->findChild<QLineEdit*>(u"searchLineEdit"_s);
        search->setText(u"77"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model()->nameFilter().text(), u"77"_s, 3000);
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
        const qint64 matches = sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%77%'"_s).toLongLong();
        QVERIFY(matches > 1000); // more than a window: the bar spans them
        // Before they are counted, the sample read ahead says how many match.
        QTRY_COMPARE(model()->orderRowCount(), matches);
        QTRY_VERIFY(bar()->spansWholeOrder());
        dragThumb({ yForFraction(0.5), yForFraction(0.9) });
        QCOMPARE(model()->orderRowCount(), matches);
        for (int row = 0; row < model()->serverRowCount(); ++row)
            QVERIFY(model()->index(row, 1).data().toString().contains(u"77"_s));
        const qint64 key = topKey();
        const qint64 before
            = sql(u"SELECT count(*) FROM my_table WHERE name LIKE '%77%' AND id < %1"_s.arg(key)).toLongLong();
        QCOMPARE(model()->windowStartPosition() + view()->rowAt(0), before);
        QVERIFY2(before > matches * 7 / 10, qPrintable(u"%1 of %2"_s.arg(before).arg(matches)));
        search->clear();
        QTRY_VERIFY(model()->nameFilter().isEmpty());
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

    void aDragWhileTypingKeepsWhatWasTyped()
    {
        openWindow();
        const qint64 key = topKey();
        const QModelIndex name = model()->index(view()->rowAt(0), 1);
        view()->setFocus();
        view()->setCurrentIndex(name);
        view()->edit(name);
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY2(editor && view()->isAncestorOf(editor), "no cell editor has the focus");
        editor->selectAll();
        QTest::keyClicks(editor, u"typed before the drag"_s);
        dragThumb({ yForFraction(0.6) });
        QVERIFY(model()->hasPendingChanges());
        QVERIFY(m_window->findChild<QAction*>(u"actionSave"_s)->isEnabled());
        m_window->findChild<QAction*>(u"actionSave"_s)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!model()->hasPendingChanges(), 10000);
        QCOMPARE(sql(u"SELECT name FROM my_table WHERE id = %1"_s.arg(key)), u"typed before the drag"_s);
    }

    void aSmallTableHasAPlainScrollBar()
    {
        fillTable(40);
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
        QVERIFY(bar());
        QVERIFY(!bar()->spansWholeOrder());
        QVERIFY(bar()->positionText().isEmpty() || !bar()->spansWholeOrder());
    }
};

QTEST_MAIN(TestWholeTableScroll)
#include "tst_wholetablescroll.moc"
