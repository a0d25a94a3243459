#include "gui/MessageBox.h"

#include <QAbstractButton>

QList<QMessageBox::StandardButton>& MessageBox::pendingAnswers()
{
    static QList<QMessageBox::StandardButton> answers;
    return answers;
}

QStringList& MessageBox::texts()
{
    static QStringList shown;
    return shown;
}

QMessageBox::StandardButton MessageBox::ask(QWidget* parent, const QString& title, const QString& text,
                                            QMessageBox::StandardButtons buttons,
                                            QMessageBox::StandardButton defaultButton,
                                            const QHash<int, QString>& buttonTexts)
{
    texts() << text;
    if (!pendingAnswers().isEmpty())
        return pendingAnswers().takeFirst();
    QMessageBox box(QMessageBox::Question, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    for (auto label = buttonTexts.constBegin(); label != buttonTexts.constEnd(); ++label) {
        if (QAbstractButton* button = box.button(static_cast<QMessageBox::StandardButton>(label.key())))
            button->setText(label.value());
    }
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

void MessageBox::warn(QWidget* parent, const QString& title, const QString& text)
{
    texts() << text;
    if (!pendingAnswers().isEmpty()) {
        pendingAnswers().takeFirst();
        return;
    }
    QMessageBox::warning(parent, title, text);
}

void MessageBox::answerNext(QMessageBox::StandardButton answer)
{
    pendingAnswers() << answer;
}

QStringList MessageBox::shownTexts()
{
    return texts();
}

void MessageBox::clearTestState()
{
    pendingAnswers().clear();
    texts().clear();
}
