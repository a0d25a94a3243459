#include "gui/AboutDialog.h"

#include "connection/VersionInfo.h"
#include "gui/ScreenFit.h"

#include <QApplication>
#include <QIcon>
#include <QUrl>

using namespace Qt::StringLiterals;

AboutDialog::AboutDialog(QWidget* parent)
    : QMessageBox(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About pgdesk"));
    setTextFormat(Qt::RichText);
    setText(text());
    // The homepage link opens in the browser; the versions can be selected and copied into a report.
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    const QIcon icon = QApplication::windowIcon();
    if (!icon.isNull())
        setIconPixmap(icon.pixmap(64, 64));
    setStandardButtons(QMessageBox::Ok);
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

QString AboutDialog::text()
{
    QString text = tr("<b>pgdesk %1</b><p>A desktop editor for one PostgreSQL table, configured from a .env file.</p>"
                      "<p>Running on Qt %2 and libpq %3.</p>")
                       .arg(VersionInfo::application().toHtmlEscaped(), VersionInfo::qt().toHtmlEscaped(),
                            VersionInfo::libpq().toHtmlEscaped());
    // No link while the project's homepage is still the reserved placeholder (RFC 2606 .invalid):
    // a user would follow it to nothing.
    const QString homepage = VersionInfo::homepage();
    if (!QUrl(homepage).host().endsWith(u".invalid"))
        text += u"<p><a href=\"%1\">%1</a></p>"_s.arg(homepage.toHtmlEscaped());
    return text;
}
