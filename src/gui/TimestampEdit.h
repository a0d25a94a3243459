#pragma once

#include <QDateTime>
#include <QWidget>

#include <optional>

class QDateTimeEdit;
class QSpinBox;

// Edits a PostgreSQL TIMESTAMP as the wall-clock text the server prints, to the microsecond.
// QDateTimeEdit alone stops at milliseconds, and in local time it would refuse times that a
// daylight-saving change skips; so it runs in UTC (no gaps) and a spin box holds the microseconds.
class TimestampEdit : public QWidget
{
    Q_OBJECT

public:
    explicit TimestampEdit(QWidget* parent = nullptr);

    // Parses "YYYY-MM-DD HH:MM:SS[.ffffff]"; nothing for other text (infinity, BC dates).
    struct Parts
    {
        QDateTime wallClock; // in UTC, standing for the naive value
        int microseconds = 0;
    };
    static std::optional<Parts> parse(const QString& text);
    // The server's own formatting: trailing zeros of the fraction dropped.
    static QString format(const QDateTime& wallClock, int microseconds);

    bool setText(const QString& text);
    QString text() const;

private:
    QDateTimeEdit* m_dateTime;
    QSpinBox* m_microseconds;
};
