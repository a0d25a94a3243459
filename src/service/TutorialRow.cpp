#include "service/TutorialRow.h"

using namespace Qt::StringLiterals;

QJsonObject TutorialRow::toJson() const
{
    return QJsonObject{ { u"id"_s, id },
                        { u"name"_s, name.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(name.toString()) },
                        { u"date"_s, date } };
}
