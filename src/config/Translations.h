#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

// The language of pgdesk's texts: the system's unless `--lang` or View ▸ Language chose one.
// English is a translation too: it holds the plural forms ("1 row", "2 rows") of the "%n row(s)"
// sources.
class Translations
{
public:
    // The choices View ▸ Language offers besides the system's, as language codes ("de").
    static QStringList languages();
    // The QSettings key of View ▸ Language's choice; empty or missing means the system's language.
    static QString settingsKey();
    static QString savedLanguage();
    static void saveLanguage(const QString& language);

    // Installs pgdesk's and Qt's own translators for `language` ("de", "fr", "en"; empty: the saved
    // choice, else the system's). A language chosen explicitly also becomes the default QLocale, so
    // numbers read the way the texts do. Returns the language whose texts were loaded.
    static QString install(const QString& language);
    // Only the translators, for `locale`, leaving the default QLocale alone (tests pin English so).
    static QString load(const QLocale& locale);
};
