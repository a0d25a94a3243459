#include "gui/LanguageMenu.h"

#include "config/Translations.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

#include <utility>

using namespace Qt::StringLiterals;

LanguageMenu::LanguageMenu(QWidget* window, QMenu* viewMenu)
    : QObject(window)
    , m_menu(new QMenu(tr("L&anguage"), window))
    , m_group(new QActionGroup(this))
{
    m_menu->setObjectName(u"languageMenu"_s);
    // Each language by its own name, as people look for it whatever the window's language is.
    const QList<std::pair<QString, QString>> choices{ { QString(), tr("&System") },
                                                      { u"en"_s, u"&English"_s },
                                                      { u"de"_s, u"&Deutsch"_s },
                                                      { u"fr"_s, u"&Français"_s } };
    const QString saved = Translations::savedLanguage();
    for (const auto& [language, label] : choices) {
        QAction* action = m_menu->addAction(label);
        action->setObjectName(language.isEmpty() ? u"languageSystem"_s
                                                 : u"language"_s + language.left(1).toUpper() + language.mid(1));
        action->setCheckable(true);
        action->setChecked(language == saved);
        m_group->addAction(action);
        connect(action, &QAction::triggered, this, [this, language = language] { choose(language); });
    }
    viewMenu->addSeparator();
    viewMenu->addMenu(m_menu);
}

void LanguageMenu::choose(const QString& language)
{
    if (language == Translations::savedLanguage())
        return;
    Translations::saveLanguage(language);
    emit statusMessage(tr("The language changes when pgdesk starts again."), 8000);
}
