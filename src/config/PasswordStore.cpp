#include "config/PasswordStore.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QTimer>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

PasswordStore::PasswordStore(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<PasswordStore::Result>();
}

QString PasswordStore::keyFor(const ConnectionSettings& settings)
{
    // The libpq defaults are spelled out so an entry made with an empty field still means one server.
    const QString host = settings.host().isEmpty() ? u"local socket"_s : settings.host();
    const QString user = settings.user().isEmpty() ? u"(login name)"_s : settings.user();
    const QString database = settings.database().isEmpty() ? user : settings.database();
    return user + u'@' + host + u':' + settings.text(ConnectionSettings::Field::Port).trimmed() + u'/' + database;
}

namespace {
bool inMemoryKeychain = false;
QHash<QString, QString>& inMemoryEntries()
{
    static QHash<QString, QString> entries;
    return entries;
}
} // namespace

void PasswordStore::useInMemoryKeychainForTesting(bool inMemory)
{
    inMemoryKeychain = inMemory;
    inMemoryEntries().clear();
}

PasswordStore::Result PasswordStore::inMemoryRequest(Operation operation, const QString& key, const QString& password)
{
    Result result;
    result.operation = operation;
    result.key = key;
    result.ok = true;
    switch (operation) {
    case Operation::Read:
        result.found = inMemoryEntries().contains(key);
        result.password = inMemoryEntries().value(key);
        break;
    case Operation::Write:
        inMemoryEntries().insert(key, password);
        break;
    case Operation::Remove:
        inMemoryEntries().remove(key);
        break;
    }
    return result;
}

void PasswordStore::startRequest(Operation operation, const QString& key, const QString& password, QObject* context,
                                 const std::function<void(const Result&)>& done)
{
    if (inMemoryKeychain) {
        const Result result = inMemoryRequest(operation, key, password);
        // Answers later, like the real keychain, so callers cannot come to rely on an instant reply.
        QTimer::singleShot(0, context, [done, result] { done(result); });
        return;
    }
    QKeychain::Job* job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Operation::Write: {
        auto* writeJob = new QKeychain::WritePasswordJob(m_service);
        writeJob->setTextData(password);
        job = writeJob;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // The fallback would store the password in a QSettings file on disk: never.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    // Connected before start(): a backend that fails at once may answer inside start().
    connect(job, &QKeychain::Job::finished, context,
            [done, operation, key](QKeychain::Job* finishedJob) { done(resultOf(operation, key, finishedJob)); });
    job->start();
}

PasswordStore::Result PasswordStore::resultOf(Operation operation, const QString& key, QKeychain::Job* job)
{
    Result result;
    result.operation = operation;
    result.key = key;
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        result.ok = true;
        if (operation == Operation::Read) {
            result.found = true;
            result.password = static_cast<QKeychain::ReadPasswordJob*>(job)->textData();
        }
        return result;
    }
    if (error == QKeychain::EntryNotFound && operation != Operation::Write) {
        result.ok = true; // nothing stored (or nothing left to remove)
        return result;
    }
    // Without a D-Bus session qtkeychain answers OtherError, "Unknown error": that is no keychain.
    result.noKeychain = error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
        || (error == QKeychain::OtherError && !sessionBusExpected());
    if (result.noKeychain) {
        const QString none = tr("no system keychain is available on this computer (no Secret Service, KWallet or "
                                "similar is running)");
        switch (operation) {
        case Operation::Read:
            result.error = tr("No system keychain is available on this computer (no Secret Service, KWallet or "
                              "similar is running), so the password will not be remembered.");
            break;
        case Operation::Write:
            result.error = tr("The password was not remembered: %1. pgdesk will ask for it next time.").arg(none);
            break;
        case Operation::Remove:
            result.error = tr("The remembered password could not be removed: %1.").arg(none);
            break;
        }
        return result;
    }
    QString why;
    switch (error) {
    case QKeychain::AccessDeniedByUser:
        why = tr("access to the keychain was denied");
        break;
    case QKeychain::AccessDenied:
        why = tr("the keychain refused access");
        break;
    default:
        why = tr("the keychain reported an error");
        break;
    }
    const QString detail = job->errorString().trimmed();
    // qtkeychain's placeholder says nothing the sentence does not.
    if (!detail.isEmpty() && detail != u"Unknown error")
        why += u" ("_s + detail + u')';
    switch (operation) {
    case Operation::Read:
        result.error = tr("The password could not be read from the system keychain: %1.").arg(why);
        break;
    case Operation::Write:
        result.error = tr("The password was not remembered: %1. pgdesk will ask for it next time.").arg(why);
        break;
    case Operation::Remove:
        result.error = tr("The remembered password could not be removed from the system keychain: %1.").arg(why);
        break;
    }
    return result;
}

bool PasswordStore::sessionBusExpected()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    // Secret Service and KWallet are D-Bus services: no session bus address and no bus socket in
    // the runtime folder means there is nothing to ask.
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QFileInfo::exists(runtime + u"/bus"_s);
#else
    return true;
#endif
}

void PasswordStore::read(const ConnectionSettings& settings)
{
    startRequest(Operation::Read, keyFor(settings), {}, this, [this](const Result& result) { emit finished(result); });
}

void PasswordStore::write(const ConnectionSettings& settings, const QString& password)
{
    startRequest(Operation::Write, keyFor(settings), password, this,
                 [this](const Result& result) { emit finished(result); });
}

void PasswordStore::remove(const ConnectionSettings& settings)
{
    startRequest(Operation::Remove, keyFor(settings), {}, this,
                 [this](const Result& result) { emit finished(result); });
}

PasswordStore::Result PasswordStore::waitFor(Operation operation, const QString& key, const QString& password,
                                             int timeoutMs)
{
    Result result;
    result.operation = operation;
    result.key = key;
    result.error = tr("The system keychain did not answer within %1 s.").arg((timeoutMs + 999) / 1000);
    bool done = false;
    QEventLoop loop;
    // The answer is dropped if it comes after the timeout: its context, the loop, is gone by then.
    startRequest(operation, key, password, &loop, [&](const Result& answer) {
        result = answer;
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return result;
}

PasswordStore::Result PasswordStore::readAndWait(const ConnectionSettings& settings, int timeoutMs)
{
    return waitFor(Operation::Read, keyFor(settings), {}, timeoutMs);
}

PasswordStore::Result PasswordStore::writeAndWait(const ConnectionSettings& settings, const QString& password,
                                                  int timeoutMs)
{
    return waitFor(Operation::Write, keyFor(settings), password, timeoutMs);
}

PasswordStore::Result PasswordStore::removeAndWait(const ConnectionSettings& settings, int timeoutMs)
{
    return waitFor(Operation::Remove, keyFor(settings), {}, timeoutMs);
}
