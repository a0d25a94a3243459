#pragma once

#include <QObject>

class QActionGroup;
class QMenu;
class QWidget;

// View ▸ Language: System, English, Deutsch, Français. The choice is saved (Translations) and
// takes effect at the next start: the window's texts are set once, many of them composed from
// state, so switching them in place would leave a mix of languages behind.
class LanguageMenu : public QObject
{
    Q_OBJECT

public:
    LanguageMenu(QWidget* window, QMenu* viewMenu);

    // The menu's actions are named languageSystem, languageEn, languageDe, languageFr.
    QMenu* menu() const { return m_menu; }

signals:
    void statusMessage(const QString& text, int timeout);

private:
    void choose(const QString& language);

    QMenu* m_menu;
    QActionGroup* m_group;
};
