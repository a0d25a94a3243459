#include "TestServer.h"
#include "WindowDriver.h"
#include "config/Translations.h"
#include "gui/MainWindow.h"
#include "gui/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

// The window in German and French (issue 16): --lang and View ▸ Language pick pgdesk's texts and
// Qt's own, plurals take the language's forms, counts in the status bar follow its locale.
class TestTranslations : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    const QString m_database = u"tst_translations"_s;
    std::unique_ptr<MainWindow> m_window;

    QString sql(const QString& statement) { return m_server.checkedPsql(m_database, statement); }
    QAction* action(const char* name) { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    QString rowCountText() { return m_window->findChild<QLabel*>(u"rowCountStatusLabel"_s)->text(); }

    // What main() does with --lang (empty: the saved choice, else the system's), after dropping the
    // translators loaded before, so each test reads one language.
    static void useLanguage(const QString& language)
    {
        const QList<QTranslator*> translators = qApp->findChildren<QTranslator*>();
        for (QTranslator* translator : translators) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
        QLocale::setDefault(QLocale::system());
        Translations::install(language);
    }

    void openWindowOnRows(int rows)
    {
        sql(u"DROP TABLE IF EXISTS my_table; CREATE TABLE my_table(id BIGSERIAL PRIMARY KEY NOT NULL, name varchar, "
            "date TIMESTAMP NOT NULL DEFAULT current_timestamp); "
            "INSERT INTO my_table(name) SELECT 'person ' || i FROM generate_series(1, %1) i"_s.arg(rows));
        QString error;
        m_window = openMainWindow(m_server.settings(m_database), &error);
        QVERIFY2(m_window, qPrintable(error));
    }

    // Another client adds a row; Refresh reads it.
    void addRowElsewhereAndRefresh()
    {
        sql(u"INSERT INTO my_table(name) VALUES ('someone else')"_s);
        action("actionRefresh")->trigger();
        QVERIFY(waitUntilWindowLoaded(m_window.get()));
    }

    void copyFirstCell()
    {
        QTableView* view = m_window->tableView();
        view->setCurrentIndex(view->model()->index(0, 1));
        action("actionCopy")->trigger();
    }

private slots:
    void initTestCase()
    {
        PGDESK_REQUIRE_SERVER(m_server);
        QString error;
        QVERIFY2(m_server.recreateDatabase(m_database, &error), qPrintable(error));
    }

    void init()
    {
        MessageBox::clearTestState();
        QSettings().clear();
    }

    void cleanup()
    {
        m_window.reset();
        QSettings().clear();
        useLanguage(u"en"_s);
        QLocale::setDefault(QLocale::system());
    }

    void germanFromTheCommandLine()
    {
        useLanguage(u"de"_s); // pgdesk --lang de
        openWindowOnRows(1);
        QCOMPARE(action("actionAddRow")->text(), u"Zeile &hinzufügen"_s);
        QCOMPARE(action("actionSave")->text(), u"&Speichern"_s);
        QCOMPARE(m_window->findChild<QMenu*>(u"viewMenu"_s)->title(), u"&Ansicht"_s);
        QCOMPARE(rowCountText(), u"1 Zeile"_s);
        copyFirstCell();
        QCOMPARE(m_window->statusBar()->currentMessage(), u"1 Zelle kopiert."_s);

        addRowElsewhereAndRefresh();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"2"_s);
        QTRY_COMPARE(rowCountText(), u"2 Zeilen"_s);

        // Counts follow the chosen language's locale; Qt's own texts are German too.
        QCOMPARE(QCoreApplication::translate("StatusBarPanel", "%Ln row(s)", nullptr, 12345), u"12.345 Zeilen"_s);
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
    }

    void frenchFromTheSavedChoice()
    {
        Translations::saveLanguage(u"fr"_s); // View ▸ Language ▸ Français, then a new start
        useLanguage(QString());
        openWindowOnRows(1);
        QCOMPARE(action("actionAddRow")->text(), u"Ajouter une li&gne"_s);
        QCOMPARE(action("actionSave")->text(), u"&Enregistrer"_s);
        QCOMPARE(rowCountText(), u"1 ligne"_s);
        copyFirstCell();
        QCOMPARE(m_window->statusBar()->currentMessage(), u"1 cellule copiée."_s);

        addRowElsewhereAndRefresh();
        QCOMPARE(sql(u"SELECT count(*) FROM my_table"_s), u"2"_s);
        QTRY_COMPARE(rowCountText(), u"2 lignes"_s);

        // French puts 0 with 1 in the singular.
        QCOMPARE(QCoreApplication::translate("StatusBarPanel", "%Ln row(s)", nullptr, 0), u"0 ligne"_s);
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Annuler"_s);
    }

    // English has its plural forms from pgdesk_en.ts, not the "(s)" of the source.
    void englishPlurals()
    {
        useLanguage(u"en"_s);
        openWindowOnRows(1);
        QCOMPARE(action("actionAddRow")->text(), u"&Add row"_s);
        QCOMPARE(rowCountText(), u"1 row"_s);
        addRowElsewhereAndRefresh();
        QTRY_COMPARE(rowCountText(), u"2 rows"_s);
    }

    // View ▸ Language saves the choice for the next start and says so; it changes nothing now.
    void languageMenuSavesTheChoice()
    {
        useLanguage(u"en"_s);
        openWindowOnRows(1);
        QVERIFY(action("languageSystem")->isChecked());
        action("languageDe")->trigger();
        QCOMPARE(QSettings().value(Translations::settingsKey()).toString(), u"de"_s);
        QCOMPARE(m_window->statusBar()->currentMessage(), u"The language changes when pgdesk starts again."_s);
        QCOMPARE(action("actionAddRow")->text(), u"&Add row"_s);
        action("languageSystem")->trigger();
        QVERIFY(!QSettings().contains(Translations::settingsKey()));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
