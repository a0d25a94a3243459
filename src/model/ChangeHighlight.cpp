#include "model/ChangeHighlight.h"

#include <QStringList>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
QString fingerprint(const QVariantList& row)
{
    QStringList values;
    for (const QVariant& value : row)
        values << (value.isNull() ? u"\\N"_s : value.toString());
    return values.join(QChar(0x1f));
}
} // namespace

void ChangeHighlight::remember(const RowWindow& window)
{
    m_remembered.clear();
    for (int row = 0; row < window.rows().size(); ++row) {
        if (const auto key = window.keyAt(row))
            m_remembered.insert(*key, fingerprint(window.rows().at(row)));
    }
}

void ChangeHighlight::markChangedSince(const RowWindow& window, int milliseconds)
{
    QSet<RowKey> changed;
    for (int row = 0; row < window.rows().size(); ++row) {
        const auto key = window.keyAt(row);
        if (!key)
            continue;
        const auto before = m_remembered.constFind(*key);
        if (before == m_remembered.constEnd() || *before != fingerprint(window.rows().at(row)))
            changed.insert(*key);
    }
    m_remembered.clear();
    if (changed.isEmpty())
        return;
    m_highlighted = changed;
    emit marksChanged();
    QTimer::singleShot(milliseconds, this, [this, changed] {
        m_highlighted.subtract(changed);
        emit marksChanged();
    });
}
