#pragma once

#include <QString>

// Dates and times read as text that does not depend on the session's DateStyle. pgdesk reads
// timestamps as text (QPSQL would shift a QDateTime by the client's zone); `::text` follows
// DateStyle, which a pooler may leave at whatever the server connection it hands out had, so the
// text comes from to_json() instead (always ISO 8601), made to look exactly like ISO DateStyle's
// output: a space for the 'T', a zone offset of "+00" rather than "+00:00". Checked against
// `::text` under DateStyle ISO for fractions, BC, infinity, years past 9999 and odd offsets.
class DateTimeText
{
public:
    // An SQL expression of type text for `expression`: ISO text for timestamp, timestamptz and
    // date values, `::text` for any other type (whose text DateStyle does not change).
    static QString isoSql(const QString& expression);
};
