#include "model/CellAppearance.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>

using namespace Qt::StringLiterals;

namespace {
const QColor editedBackground(0xff, 0xf1, 0xb8);
const QColor newRowBackground(0xdc, 0xf3, 0xdc);
const QColor placeholderForeground(0x80, 0x80, 0x80);
const QColor changedElsewhereBackground(0xd6, 0xe9, 0xff);
const QColor deletedBackground(0xf6, 0xd0, 0xd0);
const QColor deletedForeground(0x6b, 0x1d, 0x1d);

QString tr(const char* text)
{
    return QCoreApplication::translate("TableModel", text);
}
} // namespace

QString CellAppearance::shortened(const QString& text)
{
    constexpr int limit = 40;
    return text.size() > limit ? text.left(limit) + u'…' : text;
}

QVariant CellAppearance::forRole(int role) const
{
    const bool placeholder = serverDefault || isNull;
    switch (role) {
    case Qt::FontRole: {
        if (!placeholder && !deleted)
            return {};
        QFont font;
        font.setItalic(placeholder);
        font.setStrikeOut(deleted);
        return font;
    }
    case Qt::ForegroundRole:
        if (deleted)
            return QBrush(deletedForeground);
        return placeholder ? QVariant(QBrush(placeholderForeground)) : QVariant();
    case Qt::BackgroundRole:
        if (newRow)
            return QBrush(newRowBackground);
        if (deleted)
            return QBrush(deletedBackground);
        if (staged)
            return QBrush(editedBackground);
        return changedElsewhere ? QVariant(QBrush(changedElsewhereBackground)) : QVariant();
    case Qt::ToolTipRole:
        if (serverDefault)
            return tr("The server fills this in when the row is saved.");
        if (deleted)
            return tr("Marked for deletion: Save deletes this row from the database; Undo keeps it.");
        if (staged && !newRow)
            return tr("Changed, not saved yet. The database holds: %1")
                .arg(serverValue.isNull() ? u"NULL"_s : shortened(serverValue.toString()));
        return newRow ? QVariant(tr("New row, not saved yet.")) : QVariant();
    case Qt::TextAlignmentRole:
        // Numbers line up by their last digit, as in a spreadsheet; decided by the column's type so
        // NULL and "default" cells of a number column line up with the numbers above them.
        return numberColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}
