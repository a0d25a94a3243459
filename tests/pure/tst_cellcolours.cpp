// Cell and status-bar colours in light, dark and high-contrast themes, no server (issue 15): every
// cell state's text against its background, and every coloured status-bar label against the bar,
// reaches WCAG AA (4.5:1), measured with the WCAG formula written out here; each state's background
// stands out from the plain cell; a theme switch derives them again.
#include "ThemePalettes.h"
#include "WcagContrast.h"
#include "gui/CellDelegate.h"
#include "gui/LabelTone.h"
#include "model/CellAppearance.h"
#include "model/CellColours.h"
#include "model/ColourContrast.h"

#include <QApplication>
#include <QBrush>
#include <QLabel>
#include <QStatusBar>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// How far apart two colours are, in sRGB steps.
double distance(const QColor& a, const QColor& b)
{
    return std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
}

void addPalettes()
{
    QTest::addColumn<QPalette>("palette");
    QTest::newRow("Fusion light") << fusionLight();
    QTest::newRow("Adwaita dark") << adwaitaDark();
    QTest::newRow("high contrast, black on white") << highContrast(Qt::black, Qt::white);
    QTest::newRow("high contrast, white on black") << highContrast(Qt::white, Qt::black);
}

struct Sample
{
    const char* name;
    CellAppearance cell;
};

// Every state a cell can be in, alone and combined the ways the model combines them.
QList<Sample> samples()
{
    QList<Sample> result;
    const auto add = [&result](const char* name, auto&& set) {
        CellAppearance cell;
        set(cell);
        result.append({ name, cell });
    };
    add("plain", [](CellAppearance&) {});
    add("NULL", [](CellAppearance& c) { c.isNull = true; });
    add("edited", [](CellAppearance& c) { c.staged = true; });
    add("edited to NULL", [](CellAppearance& c) { c.staged = c.isNull = true; });
    add("new row", [](CellAppearance& c) { c.newRow = c.staged = true; });
    add("new row, server default", [](CellAppearance& c) { c.newRow = c.serverDefault = true; });
    add("new row, NULL", [](CellAppearance& c) { c.newRow = c.staged = c.isNull = true; });
    add("deleted", [](CellAppearance& c) { c.deleted = true; });
    add("deleted NULL", [](CellAppearance& c) { c.deleted = c.isNull = true; });
    add("deleted, edited before", [](CellAppearance& c) { c.deleted = c.staged = true; });
    add("changed elsewhere", [](CellAppearance& c) { c.changedElsewhere = true; });
    add("changed elsewhere, NULL", [](CellAppearance& c) { c.changedElsewhere = c.isNull = true; });
    add("changed elsewhere, edited", [](CellAppearance& c) { c.changedElsewhere = c.staged = true; });
    add("changed elsewhere, deleted", [](CellAppearance& c) { c.changedElsewhere = c.deleted = true; });
    return result;
}

QColor brushColour(const QVariant& brush, const QColor& otherwise)
{
    return brush.isValid() ? brush.value<QBrush>().color() : otherwise;
}

} // namespace

class TestCellColours : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { QApplication::setPalette(fusionLight()); }

    void contrastIsTheWcagRatio()
    {
        QCOMPARE(wcagRatio(Qt::black, Qt::white), 21.0);
        QCOMPARE(ColourContrast::ratio(Qt::black, Qt::white), 21.0);
        QCOMPARE(ColourContrast::ratio(Qt::white, Qt::black), 21.0);
        QCOMPARE(ColourContrast::ratio(Qt::red, Qt::red), 1.0);
        // The grey that just misses AA on white, and the one that just makes it.
        QVERIFY(std::abs(ColourContrast::ratio(QColor(0x77, 0x77, 0x77), Qt::white) - 4.48) < 0.01);
        QVERIFY(std::abs(ColourContrast::ratio(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);
        for (const QColor& a : { QColor(0xff, 0xf1, 0xb8), QColor(0x2d, 0x2d, 0x2d), QColor(0x35, 0x84, 0xe4) }) {
            for (const QColor& b : { QColor(0xee, 0xee, 0xec), QColor(0x6b, 0x1d, 0x1d), QColor(Qt::white) })
                QVERIFY(std::abs(ColourContrast::ratio(a, b) - wcagRatio(a, b)) < 1e-9);
        }
    }

    void readableOnMovesOnlyAsFarAsNeeded()
    {
        const QColor grey(0x80, 0x80, 0x80);
        QCOMPARE(ColourContrast::readableOn(Qt::black, { Qt::white }), QColor(Qt::black));
        const QColor onWhite = ColourContrast::readableOn(grey, { Qt::white });
        QVERIFY(wcagRatio(onWhite, Qt::white) >= 4.5);
        QVERIFY(wcagLuminance(onWhite) < wcagLuminance(grey)); // darker, not lighter
        const QColor onBlack = ColourContrast::readableOn(QColor(0x40, 0x40, 0x40), { Qt::black });
        QVERIFY(wcagRatio(onBlack, Qt::black) >= 4.5);
        QVERIFY(wcagLuminance(onBlack) > wcagLuminance(QColor(0x40, 0x40, 0x40)));
        // Mid grey: black or white always reaches it.
        QVERIFY(wcagRatio(ColourContrast::readableOn(grey, { grey }), grey) >= 4.5);
    }

    void everyCellStateIsReadable_data() { addPalettes(); }
    void everyCellStateIsReadable()
    {
        QFETCH(QPalette, palette);
        QApplication::setPalette(palette);
        const QColor base = palette.color(QPalette::Base);
        const QColor alternate = palette.color(QPalette::AlternateBase);
        const QColor text = palette.color(QPalette::Text);
        for (const Sample& sample : samples()) {
            const QVariant background = sample.cell.forRole(Qt::BackgroundRole);
            const QColor foreground = brushColour(sample.cell.forRole(Qt::ForegroundRole), text);
            // A cell with no background of its own shows on plain and alternating rows alike.
            const QList<QColor> grounds = background.isValid() ? QList<QColor>{ brushColour(background, base) }
                                                               : QList<QColor>{ base, alternate };
            for (const QColor& ground : grounds) {
                const double ratio = wcagRatio(foreground, ground);
                qInfo("%-32s %s on %s  %5.2f:1", sample.name, qPrintable(foreground.name()), qPrintable(ground.name()),
                      ratio);
                QVERIFY2(ratio >= 4.5,
                         qPrintable(
                             u"%1: %2 on %3 is %4:1"_s.arg(QLatin1String(sample.name), foreground.name(), ground.name())
                                 .arg(ratio, 0, 'f', 2)));
            }
        }
    }

    void everyStateStandsOutFromThePlainCell_data() { addPalettes(); }
    void everyStateStandsOutFromThePlainCell()
    {
        QFETCH(QPalette, palette);
        const CellColours colours(palette);
        using State = CellColours::State;
        const QList<State> states = { State::Edited, State::NewRow, State::Deleted, State::ChangedElsewhere };
        for (const State state : states) {
            const QColor background = colours.background(state);
            QVERIFY2(distance(background, palette.color(QPalette::Base)) >= 40, qPrintable(background.name()));
            QVERIFY2(distance(background, palette.color(QPalette::AlternateBase)) >= 30, qPrintable(background.name()));
            for (const State other : states) {
                if (other != state)
                    QVERIFY(distance(background, colours.background(other)) >= 30);
            }
        }
        // NULL looks different from a value, and deleted text from kept text.
        QVERIFY(colours.placeholder() != palette.color(QPalette::Text));
        QVERIFY(colours.foreground(State::Deleted) != palette.color(QPalette::Text));
    }

    // The current cell's focus frame (CellDelegate) against every background a cell can have:
    // plain and alternate rows, the selection, each state. 3:1 is WCAG's non-text contrast.
    void focusFrameStandsOutOnEveryCell_data() { addPalettes(); }
    void focusFrameStandsOutOnEveryCell()
    {
        QFETCH(QPalette, palette);
        const CellColours colours(palette);
        QList<QColor> grounds = { palette.color(QPalette::Base), palette.color(QPalette::AlternateBase),
                                  palette.color(QPalette::Active, QPalette::Highlight),
                                  palette.color(QPalette::Inactive, QPalette::Highlight) };
        for (int state = 0; state < CellColours::stateCount; ++state)
            grounds << colours.background(static_cast<CellColours::State>(state));
        for (const QColor& ground : std::as_const(grounds)) {
            const QColor frame = CellDelegate::focusFrameColour(palette, ground);
            const double ratio = wcagRatio(frame, ground);
            QVERIFY2(ratio >= 3.0,
                     qPrintable(u"frame %1 on %2 is %3:1"_s.arg(frame.name(), ground.name()).arg(ratio, 0, 'f', 2)));
        }
    }

    void aThemeSwitchDerivesTheColoursAgain()
    {
        CellAppearance edited;
        edited.staged = true;
        QApplication::setPalette(fusionLight());
        const QColor light = brushColour(edited.forRole(Qt::BackgroundRole), {});
        QCOMPARE(light, CellColours(fusionLight()).background(CellColours::State::Edited));
        QApplication::setPalette(adwaitaDark());
        const QColor dark = brushColour(edited.forRole(Qt::BackgroundRole), {});
        QCOMPARE(dark, CellColours(adwaitaDark()).background(CellColours::State::Edited));
        QVERIFY(wcagLuminance(dark) < 0.2);
        QVERIFY(wcagRatio(brushColour(edited.forRole(Qt::ForegroundRole), {}), dark) >= 4.5);
    }

    void statusBarLabelsAreReadable_data() { addPalettes(); }
    void statusBarLabelsAreReadable()
    {
        QFETCH(QPalette, palette);
        // Start from another theme, so that what is measured was derived again on the switch.
        QApplication::setPalette(palette.color(QPalette::Window).lightness() > 128 ? adwaitaDark() : fusionLight());
        QWidget window;
        auto* statusBar = new QStatusBar(&window);
        QList<QPair<const char*, LabelTone::Tone>> tones = { { "warning", LabelTone::Tone::Warning },
                                                             { "error", LabelTone::Tone::Error },
                                                             { "success", LabelTone::Tone::Success } };
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window)); // on screen, as in the application
        QList<QLabel*> labels;
        for (const auto& tone : tones) {
            auto* label = new QLabel(u"Offline"_s, &window);
            LabelTone::set(label, tone.second);
            statusBar->addPermanentWidget(label);
            labels << label;
        }
        QApplication::setPalette(palette);
        // The widgets hear of it through posted events.
        QTRY_COMPARE(statusBar->palette().color(QPalette::Window), palette.color(QPalette::Window));
        const QColor bar = statusBar->palette().color(QPalette::Window);
        for (int i = 0; i < labels.size(); ++i) {
            const QColor text = labels.at(i)->palette().color(QPalette::WindowText);
            const double ratio = wcagRatio(text, bar);
            qInfo("status bar %-8s %s on %s  %5.2f:1", tones.at(i).first, qPrintable(text.name()),
                  qPrintable(bar.name()), ratio);
            QVERIFY2(ratio >= 4.5, tones.at(i).first);
            QVERIFY(text != palette.color(QPalette::WindowText)); // still a tone, not plain text
        }
        // Plain again: the label takes the palette's own text colour.
        LabelTone::set(labels.first(), LabelTone::Tone::Plain);
        QCOMPARE(labels.first()->palette().color(QPalette::WindowText), palette.color(QPalette::WindowText));
    }
};

QTEST_MAIN(TestCellColours)
#include "tst_cellcolours.moc"
