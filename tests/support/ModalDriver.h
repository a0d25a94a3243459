#pragma once

#include <QApplication>
#include <QTimer>
#include <QWidget>

#include <functional>

// Acts on a modal window once it is shown, whenever that is. A single-shot timer would fire too
// early: StartupFlow connects off the GUI thread with the event loop running (SessionOpener),
// so timers fire before the dialog it may show next. For GUI suites (header only: Qt Widgets).
inline void whenModalShows(const QString& objectName, const std::function<void(QWidget*)>& act)
{
    auto* poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, objectName, act] {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal || modal->objectName() != objectName)
            return;
        poll->stop();
        poll->deleteLater();
        act(modal);
    });
    poll->start(20);
}
