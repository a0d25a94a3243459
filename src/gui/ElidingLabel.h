#pragma once

#include <QLabel>

// A status-bar label that never widens the window: a QLabel asks for its whole text as its
// minimum width, and QMainWindow grows the window past the screen to give it that (and the
// grown size was then saved for the next start). This one shortens its text with "…" to the
// room it gets, and its tooltip shows the whole text while it is shortened.
class ElidingLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidingLabel(QWidget* parent = nullptr);

    QSize minimumSizeHint() const override;
    bool isElided() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
};
