#pragma once

#include "config/ConnectionSettings.h"
#include "connection/KeysetFetcher.h"
#include "table/RowKey.h"
#include "table/TableCatalog.h"

#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

#include <memory>

class TableModel;

// Notices other clients' writes to the table so the window can show them without Refresh.
// Preferred: LISTEN on a channel that a statement-level trigger NOTIFYs (one notification per
// statement, so a 100k-row bulk insert is one event). The trigger is installed only with the
// user's consent and only by the table's owner. Without it, a cheap poll (the window's rows and
// those read ahead hashed by the server, and max(id) for inserts) runs every couple of seconds on
// a worker connection of its own (fingerprintFetcher): another client's lock or a dead network
// path makes it wait there, never on the GUI thread, and no new poll starts while one waits.
// pgdesk also NOTIFYs its own writes, so other pgdesk windows follow each other even without the
// trigger.
//
// What it needs to know of the table (the channel, whether the trigger is there, whether the
// role may install it) is read once, on a connection of its own (TableCatalog::liveTraits() on
// NetworkThreadPool); until that answers it polls. The notifications themselves can only arrive on
// a connection whose socket the GUI thread's event loop watches: LISTEN and UNLISTEN are the one
// thing it sends on the window's connection, when the traits arrive and after a reconnect.
//
// Where notifications cannot arrive it polls by itself, trigger or not: behind a transaction
// pooler the LISTEN would stay on a server connection that is handed to other clients between
// transactions (so pgdesk does not even send it), and a hot standby refuses LISTEN. The window
// says so in the status bar (pollingReason()).
class LiveUpdates : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Off, Trigger, Polling };

    // database: the window's connection, for LISTEN (notifications arrive through its socket
    // without waiting). settings: for the poll's own worker connection.
    LiveUpdates(TableModel* model, const QSqlDatabase& database, const ConnectionSettings& settings,
                QObject* parent = nullptr);
    ~LiveUpdates() override;

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    Mode mode() const { return m_mode; }
    QString channel() const { return m_traits.channel; }

    // Notifications cannot reach this connection (a pooler, a standby): poll even with the
    // trigger, and never LISTEN. reason is a sentence for the status bar. Call before setEnabled().
    void setNotificationsUnavailable(const QString& reason);
    // Why the live view polls although the trigger is installed; empty when it does not.
    QString pollingReason() const { return m_notificationsUnavailable; }
    // Whether installing the trigger would make changes appear at once.
    bool triggerWouldHelp() const { return m_notificationsUnavailable.isEmpty(); }

    // As the last read of the table's traits found them (false until it answers).
    bool triggerInstalled() const { return m_traits.triggerInstalled; }
    bool canInstallTrigger() const { return m_traits.ownsTable; } // the session's role owns the table
    // TableCatalog::installChangeTrigger() committed: switch to the trigger's notifications.
    void triggerWasInstalled();
    // Whether LISTEN is on (the traits arrived, notifications can reach this connection).
    bool isListening() const { return m_subscribed; }

    // After pgdesk itself committed a change to the table: a NOTIFY, sent from a connection of
    // its own, never waited for.
    void notifyOwnWrite();
    // Re-subscribes after the connection was reopened (LISTEN ends with the connection).
    void resubscribe();

    // Polling, with the fingerprint of the window as it now stands to compare each poll with.
    // A change committed after the window was read but before this answered is in the baseline
    // and is missed until the next one (a known race: the baseline is not the read's snapshot).
    bool hasBaseline() const { return m_mode == Mode::Polling && !m_awaitingBaseline && !m_lastFingerprint.isEmpty(); }

    void setPollInterval(int milliseconds) { m_pollTimer.setInterval(milliseconds); }
    // While the link is down the poll would only wait in connects and timeouts on its worker
    // (and make closing the window wait for them): the window pauses it until it is back.
    void setPaused(bool paused);

signals:
    // Coalesced: many notifications in a burst become one.
    void tableChanged();
    void modeChanged(LiveUpdates::Mode mode);
    // The table's traits arrived: whether the trigger can be installed may have changed.
    void traitsRead();

private:
    void updateMode();
    void readTraits();
    void subscribeIfPossible();
    void onNotification(const QString& name);
    void poll();
    // Asks the worker for the fingerprint; a baseline only replaces the last one, a poll's answer
    // is compared with it.
    void requestFingerprint(bool baseline);
    void onFingerprint(const KeysetFetcher::Result& result);
    QString fingerprintStatement(bool countRows) const;
    QList<RowKey> windowKeys() const;
    // Every row the window shows is among those the baseline hashed.
    bool watchesWindow() const;

    TableModel* m_model;
    QSqlDatabase m_database;
    TableCatalog::LiveTraits m_traits;
    quint64 m_traitsGeneration = 0; // an answer for an older read (before a reconnect) is dropped
    bool m_enabled = false;
    Mode m_mode = Mode::Off;
    bool m_subscribed = false;
    QString m_notificationsUnavailable;
    QTimer m_coalesceTimer;
    QTimer m_pollTimer;
    QString m_lastFingerprint;
    // The rows the baseline hashed (the window's and those read ahead then); polls hash the same.
    QList<RowKey> m_watchedKeys;
    ConnectionSettings m_settings;
    std::unique_ptr<KeysetFetcher> m_fingerprintFetcher;
    quint64 m_fingerprintGeneration = 0;
    bool m_fingerprintInFlight = false;
    bool m_awaitingBaseline = false;
    // Whether the fingerprint counts the table's rows, decided with each baseline: polls must ask
    // the same question, or the exact total arriving after the baseline would read as a change.
    bool m_fingerprintCountsRows = false;
    bool m_paused = false;
};
