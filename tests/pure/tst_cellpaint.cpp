// The grid's own painting of a cell of one line of text (CellDelegate::paintPlainText, issue 18:
// the style's text layouts were half a move's own cost) against the style's painting of the same
// cell, pixel for pixel: every state a cell can be in (CellAppearance), selected or not, in a light
// and a dark theme, numbers aligned right, spaces kept, combining marks, other scripts and emoji,
// rows as high as the grid's and higher, active and inactive, at 100, 150 and 200 % scaling. Cells the fast path leaves
// to the style (too long, right to left, several lines, struck out, an icon, a check box, the
// current cell) are checked to be left to it. No server.
#include "ThemePalettes.h"
#include "gui/CellDelegate.h"
#include "model/CellAppearance.h"

#include <QApplication>
#include <QPainter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// The option the view hands its delegate for a cell, as QTableView's drawCell() builds it.
class OptionView : public QTableView
{
public:
    QStyleOptionViewItem optionFor(const QModelIndex& index, bool selected) const
    {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        option.rect = QRect(0, 0, columnWidth(index.column()), rowHeight(index.row()));
        option.state.setFlag(QStyle::State_Selected, selected);
        option.state.setFlag(QStyle::State_Enabled, index.flags().testFlag(Qt::ItemIsEnabled));
        option.features.setFlag(QStyleOptionViewItem::Alternate, index.row() % 2 == 1);
        return option;
    }
};

class OpenDelegate : public CellDelegate
{
public:
    using CellDelegate::CellDelegate;
    using CellDelegate::initStyleOption;
};

// At a device pixel ratio, as the window paints at 150 % and 200 % scaling.
QImage blank(const QRect& rect, qreal ratio)
{
    QImage image((QSizeF(rect.size()) * ratio).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::transparent);
    return image;
}

struct Painted
{
    QImage image;
    bool fast = false;
};

Painted paintedByDelegate(const OpenDelegate& delegate, QStyleOptionViewItem option, const QModelIndex& index,
                          qreal ratio = 1)
{
    delegate.initStyleOption(&option, index);
    Painted painted{ blank(option.rect, ratio) };
    QPainter painter(&painted.image);
    painted.fast = CellDelegate::paintPlainText(&painter, option);
    return painted;
}

QImage paintedByStyle(const QStyleOptionViewItem& option, const QModelIndex& index, qreal ratio)
{
    QImage image = blank(option.rect, ratio);
    QPainter painter(&image);
    const QStyledItemDelegate style;
    style.paint(&painter, option, index);
    return image;
}

QString firstDifference(const QImage& fast, const QImage& style)
{
    if (fast.size() != style.size())
        return u"sizes differ"_s;
    for (int y = 0; y < fast.height(); ++y) {
        for (int x = 0; x < fast.width(); ++x) {
            if (fast.pixel(x, y) != style.pixel(x, y))
                return u"pixel (%1, %2): %3 against the style's %4"_s.arg(x)
                    .arg(y)
                    .arg(fast.pixel(x, y), 8, 16, QChar(u'0'))
                    .arg(style.pixel(x, y), 8, 16, QChar(u'0'));
        }
    }
    return {};
}

QList<std::pair<QString, CellAppearance>> appearances()
{
    QList<std::pair<QString, CellAppearance>> result;
    const auto add = [&result](const QString& name, auto&& set) {
        CellAppearance cell;
        set(cell);
        result.append({ name, cell });
    };
    add(u"plain"_s, [](CellAppearance&) {});
    add(u"NULL"_s, [](CellAppearance& c) { c.isNull = true; });
    add(u"edited"_s, [](CellAppearance& c) { c.staged = true; });
    add(u"new row"_s, [](CellAppearance& c) { c.newRow = c.staged = true; });
    add(u"server default"_s, [](CellAppearance& c) { c.newRow = c.serverDefault = true; });
    add(u"changed elsewhere"_s, [](CellAppearance& c) { c.changedElsewhere = true; });
    add(u"number"_s, [](CellAppearance& c) { c.numberColumn = true; });
    return result;
}

} // namespace

class TestCellPaint : public QObject
{
    Q_OBJECT

private slots:
    void aLineOfTextIsPaintedAsTheStylePaintsIt_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QVariant>("font");
        QTest::addColumn<QVariant>("foreground");
        QTest::addColumn<QVariant>("background");
        QTest::addColumn<QVariant>("alignment");
        QTest::addColumn<bool>("selected");
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("rowHeight");
        const QList<std::pair<QString, QPalette>> palettes{ { u"Fusion light"_s, fusionLight() },
                                                            { u"Adwaita dark"_s, adwaitaDark() } };
        const QStringList texts{ u"anna"_s, u"12345"_s, u"  spaces around  "_s,
                                 u"e\u0301mile \U0001F642 \u6f22\u5b57 \u0394"_s, QString() };
        for (const auto& [paletteName, palette] : palettes) {
            for (const auto& [state, cell] : appearances()) {
                for (int t = 0; t < texts.size(); ++t) {
                    for (const bool selected : { false, true }) {
                        QTest::addRow("%s, %s, text %d%s", qPrintable(paletteName), qPrintable(state), t,
                                      selected ? ", selected" : "")
                            << palette << texts.at(t) << cell.forRole(Qt::FontRole) << cell.forRole(Qt::ForegroundRole)
                            << cell.forRole(Qt::BackgroundRole) << cell.forRole(Qt::TextAlignmentRole) << selected
                            << true << t % 2 << 0;
                    }
                }
            }
            QTest::addRow("%s, disabled", qPrintable(paletteName))
                << palette << u"anna"_s << QVariant() << QVariant() << QVariant() << QVariant() << false << false << 0
                << 0;
            QTest::addRow("%s, a row three lines high", qPrintable(paletteName))
                << palette << u"anna"_s << QVariant() << QVariant() << QVariant() << QVariant() << false << true << 1
                << 3;
        }
    }
    void aLineOfTextIsPaintedAsTheStylePaintsIt()
    {
        QFETCH(QPalette, palette);
        QFETCH(QString, text);
        QFETCH(QVariant, font);
        QFETCH(QVariant, foreground);
        QFETCH(QVariant, background);
        QFETCH(QVariant, alignment);
        QFETCH(bool, selected);
        QFETCH(bool, enabled);
        QFETCH(int, row);
        QFETCH(int, rowHeight);
        QStandardItemModel model(2, 1);
        auto* item = new QStandardItem(text);
        item->setData(font, Qt::FontRole);
        item->setData(foreground, Qt::ForegroundRole);
        item->setData(background, Qt::BackgroundRole);
        item->setData(alignment, Qt::TextAlignmentRole);
        item->setEnabled(enabled);
        model.setItem(row, 0, item);
        OptionView view;
        view.setPalette(palette);
        view.setAlternatingRowColors(true);
        view.setModel(&model);
        view.setColumnWidth(0, 180);
        // As MainWindow sizes the grid's rows: one line and some room.
        const int lineHeight = view.fontMetrics().height();
        view.setRowHeight(row, rowHeight > 0 ? rowHeight * lineHeight : lineHeight + 10);
        OpenDelegate delegate;
        const QModelIndex index = model.index(row, 0);
        QStyleOptionViewItem option = view.optionFor(index, selected);

        // In the active window and in one behind another (the palette's Inactive colours).
        for (const bool active : { true, false }) {
            option.state.setFlag(QStyle::State_Active, active);
            for (const qreal ratio : { 1.0, 1.5, 2.0 }) {
                const Painted fast = paintedByDelegate(delegate, option, index, ratio);
                QVERIFY(fast.fast); // the fast path drew it, not the style
                const QString difference = firstDifference(fast.image, paintedByStyle(option, index, ratio));
                QVERIFY2(difference.isEmpty(),
                         qPrintable(u"%1, at %2 device pixels per pixel: %3"_s.arg(active ? u"active"_s : u"inactive"_s)
                                        .arg(ratio)
                                        .arg(difference)));
            }
        }
    }

    void everythingElseIsLeftToTheStyle_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("icon");
        QTest::addColumn<bool>("checkBox");
        QTest::addColumn<bool>("focus");
        QTest::addColumn<bool>("deleted");
        QTest::newRow("too long for the column")
            << u"a name far too long for the column it is shown in, so it is elided"_s << false << false << false
            << false;
        QTest::newRow("right to left") << u"\u05e9\u05dc\u05d5\u05dd"_s << false << false << false << false;
        QTest::newRow("left to right with some Arabic")
            << u"hello \u0645\u0631\u062d\u0628\u0627"_s << false << false << false << false;
        QTest::newRow("several lines") << u"line one\nline two"_s << false << false << false << false;
        QTest::newRow("a carriage return") << u"one\rtwo"_s << false << false << false << false;
        QTest::newRow("a line separator") << u"one\u2028two"_s << false << false << false << false;
        QTest::newRow("a tab") << u"one\ttwo"_s << false << false << false << false;
        QTest::newRow("a C1 control character") << u"one\u009ctwo"_s << false << false << false << false;
        QTest::newRow("an icon") << u"anna"_s << true << false << false << false;
        QTest::newRow("a check box") << u"anna"_s << false << true << false << false;
        QTest::newRow("the current cell") << u"anna"_s << false << false << true << false;
        QTest::newRow("a deleted row's, struck out") << u"anna"_s << false << false << false << true;
    }
    void everythingElseIsLeftToTheStyle()
    {
        QFETCH(QString, text);
        QFETCH(bool, icon);
        QFETCH(bool, checkBox);
        QFETCH(bool, focus);
        QFETCH(bool, deleted);
        QStandardItemModel model(1, 1);
        auto* item = new QStandardItem(text);
        if (icon) {
            QPixmap pixmap(12, 12);
            pixmap.fill(Qt::red);
            item->setIcon(QIcon(pixmap));
        }
        if (checkBox)
            item->setCheckState(Qt::Checked);
        if (deleted) {
            CellAppearance cell;
            cell.deleted = true;
            item->setData(cell.forRole(Qt::FontRole), Qt::FontRole);
        }
        model.setItem(0, 0, item);
        OptionView view;
        view.setModel(&model);
        view.setColumnWidth(0, 180);
        OpenDelegate delegate;
        const QModelIndex index = model.index(0, 0);
        QStyleOptionViewItem option = view.optionFor(index, false);
        option.state.setFlag(QStyle::State_HasFocus, focus);
        QVERIFY(!paintedByDelegate(delegate, option, index).fast);
    }
};

QTEST_MAIN(TestCellPaint)
#include "tst_cellpaint.moc"
