#pragma once
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

struct EnvFileProblem
{
    int line = 0; // 1-based line number where the bad entry starts
    QString
        message; // human readable, e.g. "unterminated double quote"; never contains the value (it may be a password)
};

// A `.env` file read the way python-dotenv reads it (dotenv_values() with interpolation; 0.21 as Debian ships it and
// 1.x agree), except that a malformed entry only costs that entry: it is reported in problems() and the following
// lines still load. The other deliberate differences are listed in tests/core/envfile-differences.txt.
class EnvFile
{
public:
    static constexpr qint64 MaxFileSize = 1024 * 1024;

    static EnvFile parse(const QByteArray& content, const QString& path = {});
    // Reads the file; on failure isLoaded()==false and errorString() says why (missing, unreadable, a directory,
    // larger than MaxFileSize...).
    static EnvFile load(const QString& path);

    bool isLoaded() const;
    QString errorString() const;
    QString path() const;
    // Keys with "KEY" alone on a line (no '=') are NOT contained, like python-dotenv's None.
    bool contains(const QString& key) const;
    QString value(const QString& key, const QString& fallback = {}) const;
    // In the order of first definition; the last definition gives the value.
    QStringList keys() const;
    QList<EnvFileProblem> problems() const;

private:
    struct Entry
    {
        QString key;
        std::optional<QString> value;
    };

    const Entry* findEntry(const QString& key) const;
    void define(const QString& key, const std::optional<QString>& value);

    QString m_path;
    bool m_loaded = false;
    QString m_errorString;
    QList<Entry> m_entries;
    QHash<QString, qsizetype> m_entryIndexByKey;
    QList<EnvFileProblem> m_problems;
};
