#include "config/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace {
// Where qt_add_translations puts the compiled .qm files (its default resource prefix).
const QString resourceFolder = u":/i18n"_s;

void installTranslator(const QString& fileName, const QString& folder)
{
    // Owned by the application, which outlives every text that uses it.
    auto* translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(fileName, folder))
        QCoreApplication::installTranslator(translator);
    else
        delete translator;
}
} // namespace

QStringList Translations::languages()
{
    return { u"en"_s, u"de"_s, u"fr"_s };
}

QString Translations::settingsKey()
{
    return u"view/language"_s;
}

QString Translations::savedLanguage()
{
    const QString saved = QSettings().value(settingsKey()).toString();
    return languages().contains(saved) ? saved : QString();
}

void Translations::saveLanguage(const QString& language)
{
    if (language.isEmpty())
        QSettings().remove(settingsKey());
    else
        QSettings().setValue(settingsKey(), language);
}

QString Translations::install(const QString& language)
{
    const QString chosen = language.isEmpty() ? savedLanguage() : language;
    if (chosen.isEmpty())
        return load(QLocale::system());
    const QLocale locale(chosen);
    QLocale::setDefault(locale);
    return load(locale);
}

QString Translations::load(const QLocale& locale)
{
    // The first of the user's languages pgdesk has; English (for its plural forms) when none.
    QString language = u"en"_s;
    for (const QString& uiLanguage : locale.uiLanguages()) {
        const QString code = uiLanguage.section(u'-', 0, 0).toLower();
        if (languages().contains(code)) {
            language = code;
            break;
        }
    }
    installTranslator(u"pgdesk_"_s + language, resourceFolder);
    if (language != u"en"_s)
        installTranslator(u"qtbase_"_s + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return language;
}
