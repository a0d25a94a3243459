#pragma once

#include <QObject>

class QHeaderView;

// Gives a header's spare width to one column (the name, whose values are the long ones) instead
// of to the last one. The header forgets resize modes whenever its sections are rebuilt or its
// state restored, so the mode is put back then.
class ColumnStretch : public QObject
{
    Q_OBJECT

public:
    explicit ColumnStretch(QHeaderView* header);

    // -1: the last section stretches, as QHeaderView does by default.
    void setColumn(int column);

private:
    void apply();

    QHeaderView* m_header;
    int m_column = -1;
    bool m_applying = false;
};
