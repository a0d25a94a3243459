#pragma once

#include <QObject>

class QWidget;

// Keeps a top-level window within its screen's available area, frame included, each time it is
// shown: the first window's designed size, or a size saved on a bigger screen or at a smaller
// scale, is bigger than a 1100x700 screen at 150% or 200% scaling, and the status bar fell off it.
// A window the user maximized or made full screen is left alone.
class ScreenFit : public QObject
{
    Q_OBJECT

public:
    // Fits `window` now and again whenever it is shown.
    static void keep(QWidget* window);
    // Fits `window` once.
    static void fit(QWidget* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};
