#pragma once

#include <QJsonObject>
#include <QString>
#include <QVariant>

// One row of the tutorial's table as the server stores it. `date` is the server's own text for
// the TIMESTAMP (ISO text, see DateTimeText): QPSQL would shift a QDateTime by the client's zone.
struct TutorialRow
{
    qint64 id = 0;
    QVariant name; // a null QVariant for SQL NULL, which JSON keeps as null
    QString date;

    // {"id": 1, "name": "bob", "date": "2026-11-24 03:00:00.123456"}
    QJsonObject toJson() const;
};
