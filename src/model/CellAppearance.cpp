#include "model/CellAppearance.h"

#include "model/CellColours.h"

#include <QBrush>
#include <QCoreApplication>
#include <QFont>
#include <QLocale>
#include <QStringList>

using namespace Qt::StringLiterals;

QString CellAppearance::shortened(const QString& text, int limit)
{
    return text.size() > limit ? text.left(limit) + u'…' : text;
}

QString CellAppearance::fullValueTip(const QString& text)
{
    // A tooltip of a million characters takes seconds to lay out and covers the screen.
    constexpr int limit = 2000;
    if (text.size() <= limit)
        return text;
    return QCoreApplication::translate("TableModel", "%1 (%2 characters)")
        .arg(shortened(text, limit), QLocale().toString(qlonglong(text.size())));
}

CellColours::State CellAppearance::state() const
{
    // The order the background shows them in: a new row stays green whatever else holds.
    if (newRow)
        return CellColours::State::NewRow;
    if (deleted)
        return CellColours::State::Deleted;
    if (staged)
        return CellColours::State::Edited;
    return changedElsewhere ? CellColours::State::ChangedElsewhere : CellColours::State::Plain;
}

QString CellAppearance::spokenState() const
{
    QStringList parts;
    if (newRow)
        parts << QCoreApplication::translate("TableModel", "new row, not saved");
    else if (deleted)
        parts << QCoreApplication::translate("TableModel", "marked for deletion");
    else if (staged)
        parts << QCoreApplication::translate("TableModel", "edited, not saved; the database holds %1")
                     .arg(serverValue.isNull() ? u"NULL"_s : shortened(serverValue.toString()));
    if (serverDefault)
        parts << QCoreApplication::translate("TableModel", "server default");
    else if (isNull)
        parts << QCoreApplication::translate("TableModel", "NULL value");
    if (changedElsewhere)
        parts << QCoreApplication::translate("TableModel", "changed elsewhere");
    return parts.join(u"; "_s);
}

QVariant CellAppearance::forRole(int role) const
{
    const bool placeholder = serverDefault || isNull;
    const CellColours::State shown = state();
    switch (role) {
    case Qt::FontRole: {
        if (!placeholder && !deleted)
            return {};
        QFont font;
        font.setItalic(placeholder);
        font.setStrikeOut(deleted);
        return font;
    }
    case Qt::ForegroundRole: {
        // Always given with a background: the view's own text colour may be unreadable on it.
        const CellColours& colours = CellColours::forApplication();
        if (placeholder && shown != CellColours::State::Deleted)
            return QBrush(colours.placeholder());
        return shown == CellColours::State::Plain ? QVariant() : QVariant(QBrush(colours.foreground(shown)));
    }
    case Qt::BackgroundRole:
        return shown == CellColours::State::Plain ? QVariant()
                                                  : QVariant(QBrush(CellColours::forApplication().background(shown)));
    case Qt::ToolTipRole: {
        if (serverDefault)
            return QCoreApplication::translate("TableModel", "The server fills this in when the row is saved.");
        QString state;
        if (deleted)
            state = QCoreApplication::translate(
                "TableModel", "Marked for deletion: Save deletes this row from the database; Undo keeps it.");
        else if (staged && !newRow)
            state = QCoreApplication::translate("TableModel", "Changed, not saved yet. The database holds: %1")
                        .arg(serverValue.isNull() ? u"NULL"_s : shortened(serverValue.toString()));
        else if (newRow)
            state = QCoreApplication::translate("TableModel", "New row, not saved yet.");
        // Multi-line text shows only its first line; wider text is the delegate's (CellDelegate).
        const QString text = value.isNull() ? QString() : value.toString();
        const QString full = text.contains(u'\n') ? fullValueTip(text) : QString();
        if (full.isEmpty())
            return state.isEmpty() ? QVariant() : QVariant(state);
        return QVariant(state.isEmpty() ? full : state + u"\n\n"_s + full);
    }
    case Qt::AccessibleDescriptionRole: {
        const QString spoken = spokenState();
        return spoken.isEmpty() ? QVariant() : QVariant(spoken);
    }
    case Qt::TextAlignmentRole:
        // Numbers line up by their last digit, as in a spreadsheet; decided by the column's type so
        // NULL and "default" cells of a number column line up with the numbers above them.
        return numberColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}
