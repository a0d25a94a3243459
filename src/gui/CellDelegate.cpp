#include "gui/CellDelegate.h"

#include "gui/TimestampEdit.h"
#include "model/CellAppearance.h"
#include "model/ColourContrast.h"
#include "model/TableModel.h"
#include "table/ValueCheck.h"
#include "table/ValueText.h"

#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPainter>
#include <QStyle>
#include <QTimer>
#include <QToolTip>

#include <limits>

using namespace Qt::StringLiterals;

void CellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    // Otherwise what QStyledItemDelegate::paint() does with the option just prepared.
    if (!paintPlainText(painter, cell)) {
        const QStyle* style = cell.widget ? cell.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, cell.widget);
    }
    // The view sets HasFocus on its current cell only while it (or its viewport) has the focus.
    if (!option.state.testFlag(QStyle::State_HasFocus))
        return;
    const QPalette::ColorGroup group
        = option.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive;
    QColor background;
    if (option.state.testFlag(QStyle::State_Selected)) {
        background = option.palette.color(group, QPalette::Highlight);
    } else if (const QVariant brush = index.data(Qt::BackgroundRole);
               brush.canConvert<QBrush>() && brush.value<QBrush>().style() != Qt::NoBrush) {
        background = brush.value<QBrush>().color();
    } else {
        background = option.palette.color(
            group,
            option.features.testFlag(QStyleOptionViewItem::Alternate) ? QPalette::AlternateBase : QPalette::Base);
    }
    const int width = 2;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(
        QPen(focusFrameColour(option.palette, background), width, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(QRectF(option.rect).adjusted(width / 2.0, width / 2.0, -width / 2.0, -width / 2.0));
    painter->restore();
}

namespace {
// No line break, no control character and nothing written right to left: where
// QPainter::drawText() and the style's QTextLayout place every glyph alike (bidirectional text
// they may order differently).
bool isOneLeftToRightLine(const QString& text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t code = text.at(i).unicode();
        if (QChar::isHighSurrogate(code) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            code = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        // Control characters too: drawText() turns a tab into a space where a layout moves to the
        // next tab stop, and cuts the text at U+009C (its separator of length variants).
        if (code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == QChar::LineSeparator
            || code == QChar::ParagraphSeparator)
            return false;
        switch (QChar::direction(code)) {
        case QChar::DirR:
        case QChar::DirAL:
        case QChar::DirAN:
        case QChar::DirRLE:
        case QChar::DirRLO:
        case QChar::DirRLI:
        case QChar::DirFSI:
            return false;
        default:
            break;
        }
    }
    return true;
}
} // namespace

bool CellDelegate::paintPlainText(QPainter* painter, const QStyleOptionViewItem& cell)
{
    // What QCommonStyle's CE_ItemViewItem draws for a cell of one line of text, drawn directly.
    // The style lays the text out with a QTextLayout once to draw it and once more for each of
    // the three sub-element rectangles it asks for, and that was half a move's own cost (issue 18:
    // 1.6-1.8 ms of painting a window's visible cells). Anything else (an icon, a check box,
    // text that does not fit or has several lines, struck-out text, the current cell's focus
    // rectangle, an open editor, right-to-left text or layout) is left to the style. tst_cellpaint
    // compares the two pixel for pixel.
    constexpr auto others = QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDecoration;
    if ((cell.features & others) != QStyleOptionViewItem::ViewItemFeatures()
        || cell.state.testAnyFlags(QStyle::State_HasFocus | QStyle::State_Editing) || cell.direction != Qt::LeftToRight)
        return false;
    // A deleted row's line through the text is placed per font run, and at 150 % the two ways
    // put it a device pixel apart over a run of fallback glyphs; few rows are struck out.
    if (cell.font.strikeOut() || cell.font.underline() || cell.font.overline())
        return false;
    if (!isOneLeftToRightLine(cell.text))
        return false;
    const QWidget* widget = cell.widget;
    const QStyle* style = widget ? widget->style() : QApplication::style();
    // Only styles that leave CE_ItemViewItem to QCommonStyle, whose drawing this repeats: the
    // Windows Vista style, a style sheet or a desktop's own style may draw a cell otherwise (the
    // Vista style's selected text is not HighlightedText).
    const char* const styleClass = style->metaObject()->className();
    if (qstrcmp(styleClass, "QFusionStyle") != 0 && qstrcmp(styleClass, "QWindowsStyle") != 0
        && qstrcmp(styleClass, "QCommonStyle") != 0)
        return false;
    // The style's margin on either side (QCommonStylePrivate::viewItemDrawText).
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = cell.rect.adjusted(margin, 0, -margin, 0);
    // Text that does not fit is wrapped or elided by the style's own rules: left to it.
    if (!cell.text.isEmpty() && QFontMetricsF(cell.font).horizontalAdvance(cell.text) > textRect.width() - 1)
        return false;
    painter->save();
    painter->setClipRect(cell.rect, Qt::IntersectClip);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &cell, painter, widget);
    if (!cell.text.isEmpty()) {
        QPalette::ColorGroup group = cell.state.testFlag(QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
        if (group == QPalette::Normal && !cell.state.testFlag(QStyle::State_Active))
            group = QPalette::Inactive;
        painter->setPen(cell.palette.color(
            group, cell.state.testFlag(QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
        painter->setFont(cell.font);
        painter->drawText(textRect, static_cast<int>(QStyle::visualAlignment(cell.direction, cell.displayAlignment)),
                          cell.text);
    }
    painter->restore();
    return true;
}

QColor CellDelegate::focusFrameColour(const QPalette& palette, const QColor& background)
{
    QColor best;
    for (const QPalette::ColorRole role : { QPalette::Text, QPalette::HighlightedText, QPalette::Highlight }) {
        const QColor candidate = palette.color(QPalette::Active, role);
        if (!best.isValid() || ColourContrast::ratio(candidate, background) > ColourContrast::ratio(best, background))
            best = candidate;
    }
    return ColourContrast::readableOn(best, { background }, focusFrameMinimumRatio);
}

QWidget* CellDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    Q_UNUSED(option)
    QWidget* editor = makeEditor(parent, index);
    editor->setProperty(cellEditorProperty, true);
    return editor;
}

QWidget* CellDelegate::makeEditor(QWidget* parent, const QModelIndex& index) const
{
    const auto* model = qobject_cast<const TableModel*>(index.model());
    const QVariant value = index.data(Qt::EditRole);
    if (model && model->isTimestampColumn(index.column())
        && (value.isNull() || TimestampEdit::parse(value.toString()).has_value())) {
        auto* editor = new TimestampEdit(parent);
        editor->setAutoFillBackground(true);
        // The column's name on the whole editor; its date-time field keeps its own name.
        editor->setAccessibleName(index.model()->headerData(index.column(), Qt::Horizontal).toString());
        announceOnceFocused(editor);
        return editor;
    }
    if (const QStringList choices = model ? model->columnChoices(index.column()) : QStringList(); !choices.isEmpty()) {
        // An enum or a boolean: only its values can be picked, so none is mistyped. NULL first
        // where the column takes it, as an item whose data is no value.
        auto* editor = new QComboBox(parent);
        editor->setObjectName(u"cellChoiceEdit"_s);
        if (model->isNullableColumn(index.column()))
            editor->addItem(u"NULL"_s, QVariant());
        for (const QString& choice : choices)
            editor->addItem(choice, choice);
        editor->setAccessibleName(index.model()->headerData(index.column(), Qt::Horizontal).toString());
        announceOnceFocused(editor);
        return editor;
    }
    auto* editor = new QLineEdit(parent);
    editor->setObjectName(u"cellLineEdit"_s);
    editor->setFrame(false);
    // The column's name, so a screen reader says which field is being edited.
    editor->setAccessibleName(index.model()->headerData(index.column(), Qt::Horizontal).toString());
    announceOnceFocused(editor);
    // QLineEdit cuts text at 32767 characters by default: a longer name would be truncated
    // without a word just by opening and closing its editor, and a long paste would be cut.
    editor->setMaxLength(std::numeric_limits<int>::max());
    if (value.isNull())
        editor->setPlaceholderText(u"NULL"_s);
    if (model) {
        // A uuid, json or varchar(n): the editor knows what the server would refuse (eventFilter).
        const QString typeSql = model->columnTypeSql(index.column());
        if (const ValueCheck check(typeSql); check.checks()) {
            editor->setProperty(checkedTypeProperty, typeSql);
            editor->setToolTip(check.hint());
        }
    }
    return editor;
}

bool CellDelegate::refuseUnfitText(QLineEdit* editor)
{
    const QVariant typeSql = editor->property(checkedTypeProperty);
    // Text the cell already held came from the server: only typing is checked. A NULL cell typed
    // in and cleared again would stage the empty string, which a uuid or json cannot take.
    if (!typeSql.isValid()
        || (!editor->isModified() && editor->text() == editor->property(initialTextProperty).toString()))
        return false;
    const QString problem = ValueCheck(typeSql.toString()).problem(editor->text());
    if (problem.isEmpty()) {
        editor->setAccessibleDescription(QString());
        return false;
    }
    // The editor stays open with the text as typed; Esc leaves the cell as it was. The reason is
    // shown at the editor and given to a screen reader as the editor's description.
    QToolTip::showText(editor->mapToGlobal(QPoint(0, editor->height())), problem, editor);
    editor->setAccessibleDescription(problem);
    QAccessibleEvent described(editor, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&described);
    emit textRefused(problem);
    return true;
}

void CellDelegate::announceOnceFocused(QWidget* editor)
{
    // The view gives the editor focus before it shows, so Qt announces only the cell's focus and
    // a screen reader never learns an editor opened. Announce the part that holds the focus (the
    // line edit, or the timestamp editor's date-time field) once it is shown.
    QTimer::singleShot(0, editor, [editor] {
        QWidget* focused = QApplication::focusWidget();
        if (focused && (focused == editor || editor->isAncestorOf(focused))) {
            QAccessibleEvent focus(focused, QAccessible::Focus);
            QAccessible::updateAccessibility(&focus);
        }
    });
}

void CellDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    const QVariant value = index.data(Qt::EditRole);
    if (auto* timestamp = qobject_cast<TimestampEdit*>(editor)) {
        if (!value.isNull()) {
            timestamp->setText(value.toString());
        } else {
            const QDateTime now = QDateTime::currentDateTime();
            timestamp->setText(QDateTime(now.date(), now.time()).toString(u"yyyy-MM-dd HH:mm:ss"_s));
        }
        timestamp->setProperty("initialText", timestamp->text());
        return;
    }
    if (auto* choice = qobject_cast<QComboBox*>(editor)) {
        // By the item's data, so an enum label spelled "NULL" is not the NULL item. Not found (a
        // new row's server default, a label added since the table was opened): nothing is
        // selected, and closing the editor changes nothing.
        choice->setCurrentIndex(choice->findData(value.isNull() ? QVariant() : QVariant(ValueText::of(value))));
        return;
    }
    if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        // A key that opened the editor has already been typed into it; keep that text.
        if (!line->isModified())
            line->setText(ValueText::of(value));
        line->setProperty(initialTextProperty, ValueText::of(value));
    }
}

void CellDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    if (auto* timestamp = qobject_cast<TimestampEdit*>(editor)) {
        if (index.data(Qt::EditRole).isNull() && timestamp->text() == timestamp->property("initialText").toString())
            return;
        model->setData(index, timestamp->text(), Qt::EditRole);
        return;
    }
    if (auto* choice = qobject_cast<QComboBox*>(editor)) {
        if (choice->currentIndex() >= 0)
            model->setData(index, choice->currentData(), Qt::EditRole); // no data: NULL
        return;
    }
    if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        // A screen reader sets the text through the accessibility interface, which leaves
        // isModified() false: text in a NULL cell's editor is a change however it got there.
        if (index.data(Qt::EditRole).isNull() && !line->isModified() && line->text().isEmpty())
            return;
        model->setData(index, line->text(), Qt::EditRole);
    }
}

bool CellDelegate::isElided(const QStyleOptionViewItem& option, const QModelIndex& index, const QWidget* widget) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QStyle* style = widget ? widget->style() : QApplication::style();
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &cell, widget);
    // The style draws the text inside this margin on either side (QCommonStyle's viewItemDrawText).
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    return cell.fontMetrics.horizontalAdvance(cell.text) > textRect.width() - 2 * margin;
}

bool CellDelegate::helpEvent(QHelpEvent* event, QAbstractItemView* view, const QStyleOptionViewItem& option,
                             const QModelIndex& index)
{
    if (event && view && index.isValid() && event->type() == QEvent::ToolTip) {
        const QString text = index.data(Qt::DisplayRole).toString();
        // Multi-line text has its full value in the model's tooltip already.
        if (!text.contains(u'\n') && isElided(option, index, view)) {
            const QString state = index.data(Qt::ToolTipRole).toString();
            const QString full = CellAppearance::fullValueTip(text);
            QToolTip::showText(event->globalPos(), state.isEmpty() ? full : state + u"\n\n"_s + full, view->viewport(),
                               option.rect);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

bool CellDelegate::eventFilter(QObject* object, QEvent* event)
{
    // The base filter commits on any Enter; a name may hold line breaks, so Shift+Enter adds one.
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        auto* line = qobject_cast<QLineEdit*>(object);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (line && enter && key->modifiers().testFlag(Qt::ShiftModifier)) {
            line->insert(u"\n"_s);
            return true;
        }
        // Every key that closes the editor and stages its text: Enter, Tab, and the keys a line
        // edit leaves to the view, which then moves to another cell.
        static const QList<int> closingKeys{ Qt::Key_Tab,  Qt::Key_Backtab, Qt::Key_Up,
                                             Qt::Key_Down, Qt::Key_PageUp,  Qt::Key_PageDown };
        if (line && (enter || closingKeys.contains(key->key())) && refuseUnfitText(line))
            return true;
    }
    return QStyledItemDelegate::eventFilter(object, event);
}
