#include "gui/AboutDialog.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace {
struct Release
{
    QString version;
    QString date; // yyyy-MM-dd

    bool operator==(const Release& other) const { return version == other.version && date == other.date; }
};

QString readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Each entry's "pgdesk (VERSION)" and its trailer's RFC 2822 date, newest first. Read here with
// Qt's date parser, apart from the CMake code that turns the changelog into the metainfo.
QList<Release> changelogReleases(const QString& text)
{
    static const QRegularExpression header(u"^pgdesk \\(([^)]+)\\)"_s, QRegularExpression::MultilineOption);
    static const QRegularExpression trailer(u"^ -- [^<]+<[^>]+>  (.+)$"_s, QRegularExpression::MultilineOption);
    QList<Release> releases;
    QRegularExpressionMatchIterator headers = header.globalMatch(text);
    QRegularExpressionMatchIterator trailers = trailer.globalMatch(text);
    while (headers.hasNext() && trailers.hasNext()) {
        const QDateTime date = QDateTime::fromString(trailers.next().captured(1), Qt::RFC2822Date);
        releases.append({ headers.next().captured(1), date.isValid() ? date.toString(u"yyyy-MM-dd"_s) : QString() });
    }
    return releases;
}

QList<Release> metainfoReleases(const QString& text)
{
    QList<Release> releases;
    QXmlStreamReader xml(text);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"release"_s) {
            releases.append(
                { xml.attributes().value(u"version"_s).toString(), xml.attributes().value(u"date"_s).toString() });
        }
    }
    return xml.hasError() ? QList<Release>{ { u"XML error: "_s + xml.errorString(), {} } } : releases;
}

// The libpq line of --version, turned back into PQlibVersion()'s number.
int libpqNumber(const QString& version)
{
    const QStringList parts = version.split(u'.');
    if (parts.size() == 2)
        return parts[0].toInt() * 10000 + parts[1].toInt();
    if (parts.size() == 3)
        return parts[0].toInt() * 10000 + parts[1].toInt() * 100 + parts[2].toInt();
    return -1;
}
} // namespace

// Issue 17: one version, VERSION in the top-level CMakeLists.txt, everywhere it is shown:
// `pgdesk --version` (with the Qt and libpq the binary runs on), About, the Debian changelog and
// the AppStream releases made from it.
class TestVersions : public QObject
{
    Q_OBJECT

private:
    const QString m_version = QStringLiteral(PGDESK_PROJECT_VERSION);

    QStringList versionLines(const QStringList& arguments)
    {
        QProcess pgdesk;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString& name : { u"QT_QPA_PLATFORM"_s, u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s })
            environment.remove(name); // --version needs no display
        pgdesk.setProcessEnvironment(environment);
        pgdesk.start(QStringLiteral(PGDESK_BINARY), arguments);
        if (!pgdesk.waitForFinished(60000) || pgdesk.exitStatus() != QProcess::NormalExit || pgdesk.exitCode() != 0)
            return { u"pgdesk failed: "_s + QString::fromUtf8(pgdesk.readAllStandardError()) };
        return QString::fromUtf8(pgdesk.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    }

private slots:
    void versionNamesQtAndLibpq()
    {
        const QStringList lines = versionLines({ u"--version"_s });
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], u"pgdesk "_s + m_version);
        // The test links the same shared QtCore and libpq as the binary, so it runs on the same ones.
        QCOMPARE(lines[1], u"Qt "_s + QString::fromLatin1(qVersion()));
        QVERIFY2(lines[2].startsWith(u"libpq "_s), qPrintable(lines[2]));
        QCOMPARE(libpqNumber(lines[2].mid(6)), PQlibVersion());

        // A subcommand's --version says the same.
        QCOMPARE(versionLines({ u"check"_s, u"--version"_s }), lines);
        QCOMPARE(versionLines({ u"-v"_s }), lines);
    }

    void changelogAndMetainfoAgree()
    {
        const QList<Release> changelog = changelogReleases(readAll(QStringLiteral(PGDESK_CHANGELOG)));
        QVERIFY(!changelog.isEmpty());
        QCOMPARE(changelog.first().version, m_version);
        for (const Release& release : changelog)
            QVERIFY2(!release.date.isEmpty(), qPrintable(u"the changelog date of "_s + release.version));

        const QList<Release> metainfo = metainfoReleases(readAll(QStringLiteral(PGDESK_METAINFO)));
        QCOMPARE(metainfo.size(), changelog.size());
        for (qsizetype i = 0; i < metainfo.size(); ++i) {
            QCOMPARE(metainfo[i].version, changelog[i].version);
            QCOMPARE(metainfo[i].date, changelog[i].date);
        }
    }

    void aboutSaysTheSame()
    {
        AboutDialog about;
        QCOMPARE(about.objectName(), u"aboutDialog"_s);
        const QString text = about.text();
        QVERIFY2(text.contains(u"pgdesk "_s + m_version + u"<"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Qt "_s + QString::fromLatin1(qVersion()) + u" "_s), qPrintable(text));
        const QStringList versionLine = versionLines({ u"--version"_s });
        QCOMPARE(versionLine.size(), 3);
        QVERIFY2(text.contains(versionLine[2] + u"."_s), qPrintable(text));
    }
};

QTEST_MAIN(TestVersions)
#include "tst_versions.moc"
