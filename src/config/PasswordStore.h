#pragma once

#include "config/ConnectionSettings.h"

#include <QObject>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

// Remembers connection passwords in the system keychain (Secret Service, KWallet, macOS
// Keychain, Windows Credential Store) through qtkeychain, and nowhere else: qtkeychain's
// "insecure fallback", which would write the password into a settings file, stays off. pgdesk
// only stores a password when the user ticks "Remember password" in the connection dialog.
//
// A machine without a keychain (a headless server, no D-Bus session) answers every request
// with ok == false and a sentence saying so, quickly; every *AndWait call gives up after its
// timeout while still processing events, so nothing here can hang the program.
class PasswordStore : public QObject
{
    Q_OBJECT

public:
    enum class Operation { Read, Write, Remove };

    struct Result
    {
        Operation operation = Operation::Read;
        QString key;
        bool ok = false; // the keychain did what was asked (a read of a missing entry is ok, !found)
        bool found = false; // Read: an entry existed
        QString password; // Read: the stored password
        QString error; // a sentence for the dialog when !ok; never contains the password
        bool noKeychain = false; // !ok because this machine has no keychain to ask
    };

    static constexpr int defaultTimeoutMs = 3000;

    explicit PasswordStore(QObject* parent = nullptr);

    // The keychain entry's name for these settings: "user@host:port/database" (no password).
    static QString keyFor(const ConnectionSettings& settings);

    // Asynchronous: each answers once with finished().
    void read(const ConnectionSettings& settings);
    void write(const ConnectionSettings& settings, const QString& password);
    void remove(const ConnectionSettings& settings);

    // The same, waiting (with the event loop running) at most timeoutMs for the answer.
    Result readAndWait(const ConnectionSettings& settings, int timeoutMs = defaultTimeoutMs);
    Result writeAndWait(const ConnectionSettings& settings, const QString& password, int timeoutMs = defaultTimeoutMs);
    Result removeAndWait(const ConnectionSettings& settings, int timeoutMs = defaultTimeoutMs);

    // The service name entries are filed under; tests use their own.
    void setServiceName(const QString& service) { m_service = service; }
    QString serviceName() const { return m_service; }

    // Replaces the system keychain, process-wide, with a map in memory, so tests of the dialog
    // and the start-up flow can see a remembered password on a machine without a keychain.
    // pgdesk itself never calls it.
    static void useInMemoryKeychainForTesting(bool inMemory);

signals:
    void finished(const PasswordStore::Result& result);

private:
    // Starts one request; `done` runs once on `context`'s thread, unless context is gone by then.
    void startRequest(Operation operation, const QString& key, const QString& password, QObject* context,
                      const std::function<void(const Result&)>& done);
    Result waitFor(Operation operation, const QString& key, const QString& password, int timeoutMs);
    static Result resultOf(Operation operation, const QString& key, QKeychain::Job* job);
    // False where a keychain can only be reached over a D-Bus session and none exists.
    static bool sessionBusExpected();
    static Result inMemoryRequest(Operation operation, const QString& key, const QString& password);

    QString m_service = QStringLiteral("pgdesk");
};

Q_DECLARE_METATYPE(PasswordStore::Result)
