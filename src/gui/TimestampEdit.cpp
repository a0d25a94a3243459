#include "gui/TimestampEdit.h"

#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTimeZone>

using namespace Qt::StringLiterals;

TimestampEdit::TimestampEdit(QWidget* parent)
    : QWidget(parent)
    , m_dateTime(new QDateTimeEdit(this))
    , m_microseconds(new QSpinBox(this))
{
    setObjectName(u"timestampEdit"_s);
    m_dateTime->setObjectName(u"timestampDateTimeEdit"_s);
    m_microseconds->setObjectName(u"timestampMicrosecondsSpinBox"_s);
    // The value shown is the stored wall clock, never converted: UTC has no daylight-saving gaps.
    // setTimeSpec() is deprecated from Qt 6.8 (an error under -Werror); setTimeZone() is 6.7's.
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    m_dateTime->setTimeZone(QTimeZone::utc());
#else
    m_dateTime->setTimeSpec(Qt::UTC);
#endif
    m_dateTime->setDisplayFormat(u"yyyy-MM-dd HH:mm:ss"_s);
    m_dateTime->setCalendarPopup(true);
    m_microseconds->setRange(0, 999999);
    m_microseconds->setPrefix(u"."_s);
    m_microseconds->setToolTip(tr("Microseconds"));
    m_microseconds->setAccessibleName(m_microseconds->toolTip());
    m_dateTime->setAccessibleName(tr("Date and time"));
    m_microseconds->setFrame(false);
    m_dateTime->setFrame(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_dateTime, 1);
    layout->addWidget(m_microseconds);
    setFocusProxy(m_dateTime);
}

std::optional<TimestampEdit::Parts> TimestampEdit::parse(const QString& text)
{
    static const QRegularExpression pattern(
        u"^(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?$"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    const QTime time(match.captured(4).toInt(), match.captured(5).toInt(), match.captured(6).toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    Parts parts;
    parts.wallClock = QDateTime(date, time, QTimeZone::utc());
    const QString fraction = match.captured(7);
    parts.microseconds = fraction.isEmpty() ? 0 : fraction.leftJustified(6, u'0').toInt();
    return parts;
}

QString TimestampEdit::format(const QDateTime& wallClock, int microseconds)
{
    QString text = wallClock.toString(u"yyyy-MM-dd HH:mm:ss"_s);
    if (microseconds > 0) {
        QString fraction = QString::number(microseconds).rightJustified(6, u'0');
        while (fraction.endsWith(u'0'))
            fraction.chop(1);
        text += u'.' + fraction;
    }
    return text;
}

bool TimestampEdit::setText(const QString& text)
{
    const auto parts = parse(text);
    if (!parts)
        return false;
    m_dateTime->setDateTime(parts->wallClock);
    m_microseconds->setValue(parts->microseconds);
    return true;
}

QString TimestampEdit::text() const
{
    return format(m_dateTime->dateTime().toUTC(), m_microseconds->value());
}
