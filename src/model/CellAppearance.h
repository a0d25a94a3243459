#pragma once

#include "model/CellColours.h"

#include <QVariant>

// How a grid cell looks and what its tooltip says, decided from its state alone: the colours of
// staged, new, deleted and changed-elsewhere rows (CellColours, from the application's palette),
// the italics of NULL and server defaults, numbers aligned right. TableModel::data() fills one in
// for the styling roles.
struct CellAppearance
{
    bool newRow = false;
    bool deleted = false; // marked for deletion
    bool staged = false; // an edit not saved yet
    bool serverDefault = false; // a new row's column the server fills in
    bool isNull = false;
    bool changedElsewhere = false; // another client changed the row a moment ago
    bool numberColumn = false;
    QVariant serverValue; // what the database holds, for an edited cell's tooltip
    QVariant value; // what the cell shows, for the tooltip of multi-line text

    // Which state's colours the cell takes.
    CellColours::State state() const;
    // Font, foreground, background, tooltip, alignment and the accessible description (the
    // cell's state in words, for screen readers that cannot see the colours); an invalid
    // QVariant for any other role.
    QVariant forRole(int role) const;
    // The text of a value shortened for a tooltip.
    // The state a screen reader announces after the cell's text: new, edited, deleted, NULL...
    QString spokenState() const;
    static QString shortened(const QString& text, int limit = 40);
    // A value in full for a tooltip: the grid shows only the first line of multi-line text, and
    // elides text wider than its column. Huge values are cut, and the tooltip says how long they are.
    static QString fullValueTip(const QString& text);
    // Both values of the tooltip role, in one call so TableModel::data() stays short.
    void setToolTipValues(const QVariant& shown, const QVariant& server)
    {
        value = shown;
        serverValue = server;
    }
};
