// Linked into every suite: the tests read pgdesk's texts in English whatever the machine's language,
// and with English's plural forms ("1 row", "2 rows"), which come from pgdesk_en.ts like any other
// language's. The default QLocale is left alone, so numbers follow the environment as in the app.
#include "config/Translations.h"

#include <QCoreApplication>
#include <QLocale>

namespace {
void loadEnglishTexts()
{
    Translations::load(QLocale(QLocale::English));
}
} // namespace

Q_COREAPP_STARTUP_FUNCTION(loadEnglishTexts)
