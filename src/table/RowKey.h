#pragma once

#include <QDebug>
#include <QHashFunctions>
#include <QString>
#include <QVariant>

#include <optional>

// One row's primary key value, as the text PostgreSQL prints for it: exact for any key type
// (bigint, uuid, text, numeric, a timestamp read as ISO text), hashable, and bound back as a
// literal of unknown type that the server reads as the key column's own type ("id = '7'" compares
// bigints). An integer key is made from its number, so the tutorial's ids read as before.
class RowKey
{
public:
    RowKey() = default;
    // Implicit: the tutorial's BIGSERIAL ids are keys as they are.
    RowKey(qint64 integer) // NOLINT(google-explicit-constructor)
        : m_text(QString::number(integer))
        , m_isInteger(true)
    {
    }
    static RowKey fromText(const QString& text);
    // The key column's value as a window read it (TableColumns::exactReadSql()): a number, or text.
    static RowKey fromValue(const QVariant& value);

    bool isNull() const { return m_text.isNull(); }
    const QString& text() const { return m_text; }
    // What a statement binds for it: an integer key its number, any other its text, which
    // SqlLiteral writes as a quoted literal the server reads as the column's type. Never a text
    // key as a number: "code = 7" on a text column is an error, and "007" would become 7.
    QVariant bindValue() const { return m_isInteger ? QVariant(m_text.toLongLong()) : QVariant(m_text); }
    // The number, for a key read from an integer column (the histogram of an integer key places
    // rows by arithmetic); nothing for any other, even a text key that holds digits.
    std::optional<qint64> integer() const;

    // Keys of one column: an integer key and a text key never meet, so the text alone decides.
    friend bool operator==(const RowKey& a, const RowKey& b) { return a.m_text == b.m_text; }
    friend bool operator!=(const RowKey& a, const RowKey& b) { return a.m_text != b.m_text; }
    // A fixed order for sorting (a save writes rows in it): integers by number, others by their
    // text, which need not be the column's order.
    friend bool operator<(const RowKey& a, const RowKey& b)
    {
        if (a.m_isInteger && b.m_isInteger)
            return a.m_text.toLongLong() < b.m_text.toLongLong();
        return a.m_text < b.m_text;
    }
    friend size_t qHash(const RowKey& key, size_t seed = 0) { return qHash(key.m_text, seed); }

private:
    explicit RowKey(const QString& text)
        : m_text(text)
    {
    }
    QString m_text;
    bool m_isInteger = false;
};

// For QCOMPARE's messages on keys and lists of them.
QDebug operator<<(QDebug debug, const RowKey& key);
