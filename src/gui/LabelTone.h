#pragma once

#include <QColor>
#include <QObject>

class QLabel;
class QPalette;

// Error, warning and success text in colours the window's theme can read: the tone's usual
// colour, moved towards black or white until it reaches WCAG AA contrast (4.5:1) with what the
// label is drawn on, and moved again when the palette changes (a switch to a dark theme). A fixed
// red on a dark status bar had 2:1.
class LabelTone : public QObject
{
    Q_OBJECT

public:
    enum class Tone { Plain, Warning, Error, Success };

    // Plain gives the label back its palette's own text colour.
    static void set(QLabel* label, Tone tone);
    // The text colour for `tone` on `palette`'s Window.
    static QColor colour(Tone tone, const QPalette& palette);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit LabelTone(QLabel* label);
    void apply();

    QLabel* m_label;
    Tone m_tone = Tone::Plain;
    bool m_applying = false;
};
