#pragma once

#include <QHash>
#include <QMessageBox>
#include <QStringList>

// Every question pgdesk asks goes through here, so GUI tests can answer it in advance instead of
// blocking on a modal box, and can read what the user would have been told.
class MessageBox
{
public:
    static QMessageBox::StandardButton ask(QWidget* parent, const QString& title, const QString& text,
                                           QMessageBox::StandardButtons buttons,
                                           QMessageBox::StandardButton defaultButton,
                                           const QHash<int, QString>& buttonTexts = {});
    static void warn(QWidget* parent, const QString& title, const QString& text);

    // Tests: the next boxes return these answers without being shown (first in, first out).
    static void answerNext(QMessageBox::StandardButton answer);
    static QStringList shownTexts(); // what every box said since the last clear
    static void clearTestState();

private:
    static QList<QMessageBox::StandardButton>& pendingAnswers();
    static QStringList& texts();
};
