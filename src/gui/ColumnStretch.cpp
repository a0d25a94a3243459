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
    m_header->setStretchLastSection(!stretchOne);
    // Section by section: the header-wide setSectionResizeMode() rebuilds the sections, and every
    // width with them. Every other column keeps the width the user gave it.
    for (int section = 0; section < m_header->count(); ++section) {
        const QHeaderView::ResizeMode mode
            = stretchOne && section == m_column ? QHeaderView::Stretch : QHeaderView::Interactive;
        if (m_header->sectionResizeMode(section) != mode)
            m_header->setSectionResizeMode(section, mode);
    }
}
