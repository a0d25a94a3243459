#include "gui/ColumnStretch.h"

#include <QHeaderView>
#include <QScopedValueRollback>

ColumnStretch::ColumnStretch(QHeaderView* header)
    : QObject(header)
    , m_header(header)
{
    connect(header, &QHeaderView::sectionCountChanged, this, &ColumnStretch::apply);
    apply();
}

void ColumnStretch::setColumn(int column)
{
    m_column = column;
    apply();
}

void ColumnStretch::apply()
{
    // Setting the resize modes announces the section count again.
    if (m_applying)
        return;
    const QScopedValueRollback applying(m_applying, true);
    const bool stretchOne = m_column >= 0 && m_column < m_header->count();
    // Every other column keeps the width the user gave it (and the saved header state restores).
    m_header->setSectionResizeMode(QHeaderView::Interactive);
    m_header->setStretchLastSection(!stretchOne);
    if (stretchOne)
        m_header->setSectionResizeMode(m_column, QHeaderView::Stretch);
}
