#include "live/LiveUpdates.h"

#include "connection/NetworkThreadPool.h"
#include "model/TableModel.h"

#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int coalesceMilliseconds = 250;
constexpr int defaultPollMilliseconds = 1500;
// TableStatistics counts a table below this many rows exactly.
constexpr qint64 countedWithoutSerialKey = 200000;
} // namespace

LiveUpdates::LiveUpdates(TableModel* model, const QSqlDatabase& database, const ConnectionSettings& settings,
                         QObject* parent)
    : QObject(parent)
    , m_model(model)
    , m_database(database)
    , m_settings(settings)
{
    m_coalesceTimer.setSingleShot(true);
    m_coalesceTimer.setInterval(coalesceMilliseconds);
    connect(&m_coalesceTimer, &QTimer::timeout, this, &LiveUpdates::tableChanged);
    m_pollTimer.setInterval(defaultPollMilliseconds);
    connect(&m_pollTimer, &QTimer::timeout, this, &LiveUpdates::poll);
    // Moving the window changes the fingerprint without any write: take a new baseline. Not after
    // a Next served from the rows read ahead: they were read with the window before and are
    // watched since (a baseline now would take in a change made since then, unseen).
    connect(m_model, &TableModel::windowLoaded, this, [this] {
        if (m_mode == Mode::Polling && !(m_model->lastWindowWasReadAhead() && watchesWindow()))
            requestFingerprint(true);
    });
    // So are a search's first matches: Esc may leave them as the window, with no windowLoaded().
    connect(m_model, &TableModel::firstMatchesShown, this, [this] {
        if (m_mode == Mode::Polling)
            requestFingerprint(true);
    });
    connect(m_database.driver(), &QSqlDriver::notification, this,
            [this](const QString& name, QSqlDriver::NotificationSource, const QVariant&) { onNotification(name); });
    readTraits();
}

void LiveUpdates::readTraits()
{
    const quint64 generation = ++m_traitsGeneration;
    const ConnectionSettings settings = m_settings;
    const TableName table = m_model->tableName();
    NetworkThreadPool::run(
        this, [settings, table] { return TableCatalog::liveTraits(settings, table); },
        [this, generation](const TableCatalog::LiveTraits& traits) {
            if (generation != m_traitsGeneration)
                return;
            if (!traits.error.isEmpty())
                return; // offline or refused: polling goes on; the connection watcher says why
            // After a reconnect to a table dropped and created again, its OID and so its channel
            // are new: listening on the old one would leave the trigger's announcements unheard.
            if (m_subscribed && traits.channel != m_traits.channel) {
                m_database.driver()->unsubscribeFromNotification(m_traits.channel);
                m_subscribed = false;
            }
            m_traits = traits;
            subscribeIfPossible();
            updateMode();
            emit traitsRead();
        });
}

void LiveUpdates::subscribeIfPossible()
{
    if (m_enabled && !m_subscribed && !m_traits.channel.isEmpty() && m_notificationsUnavailable.isEmpty())
        m_subscribed = m_database.driver()->subscribeToNotification(m_traits.channel);
}

LiveUpdates::~LiveUpdates()
{
    if (m_subscribed && m_database.isOpen())
        m_database.driver()->unsubscribeFromNotification(m_traits.channel);
}

void LiveUpdates::setEnabled(bool enabled)
{
    m_enabled = enabled;
    subscribeIfPossible();
    if (!enabled && m_subscribed) {
        m_database.driver()->unsubscribeFromNotification(m_traits.channel);
        m_subscribed = false;
    }
    updateMode();
}

void LiveUpdates::setNotificationsUnavailable(const QString& reason)
{
    m_notificationsUnavailable = reason;
    if (!reason.isEmpty() && m_subscribed) {
        m_database.driver()->unsubscribeFromNotification(m_traits.channel);
        m_subscribed = false;
    }
    updateMode();
}

void LiveUpdates::resubscribe()
{
    m_subscribed = false;
    setEnabled(m_enabled);
    readTraits(); // the table may have been dropped and created again, or the trigger added
}

void LiveUpdates::updateMode()
{
    Mode mode = Mode::Off;
    // Without a subscription (refused, as on a standby, or not sent, as behind a pooler) the
    // trigger's notifications would never arrive: poll.
    if (m_enabled)
        mode = m_subscribed && triggerInstalled() ? Mode::Trigger : Mode::Polling;
    if (mode == Mode::Polling) {
        // Only when polling starts: a new baseline while it runs (the traits arriving, say) could
        // take in a change made since the last one, which would then never show.
        if (m_mode != Mode::Polling || !m_pollTimer.isActive()) {
            // Rows read ahead while the trigger announced changes were never hashed: a change
            // unannounced since (the trigger disabled) would go into this baseline unseen.
            m_model->dropReadAhead();
            requestFingerprint(true);
            m_pollTimer.start();
        }
    } else {
        m_pollTimer.stop();
    }
    // Rows read ahead are only as fresh as the window, so they are used only while changes to
    // them are seen: announced (onNotification() drops them) or polled with the window's.
    m_model->setReadAhead(mode != Mode::Off);
    if (mode != m_mode) {
        m_mode = mode;
        emit modeChanged(mode);
    }
}

void LiveUpdates::triggerWasInstalled()
{
    m_traits.triggerInstalled = true;
    updateMode();
}

void LiveUpdates::notifyOwnWrite()
{
    if (m_traits.channel.isEmpty())
        return;
    // Fire and forget: a dead path holds up only the pooled thread, which quitting never waits for.
    NetworkThreadPool::start(
        [settings = m_settings, channel = m_traits.channel] { TableCatalog::notifyChange(settings, channel); });
}

void LiveUpdates::onNotification(const QString& name)
{
    if (!m_enabled || name != m_traits.channel)
        return;
    // At once, not after the burst: a Next meanwhile must read the table, not the rows read ahead.
    m_model->dropReadAhead();
    m_coalesceTimer.start(); // restarted by every notification of a burst
}

QList<RowKey> LiveUpdates::windowKeys() const
{
    QList<RowKey> keys;
    for (int row = 0; row < m_model->serverRowCount(); ++row) {
        if (const auto value = m_model->keyAt(row))
            keys << *value;
    }
    return keys;
}

bool LiveUpdates::watchesWindow() const
{
    if (m_watchedKeys.isEmpty())
        return false;
    const QSet<RowKey> watched(m_watchedKeys.cbegin(), m_watchedKeys.cend());
    const QList<RowKey> shown = windowKeys();
    return std::all_of(shown.cbegin(), shown.cend(), [&watched](const RowKey& key) { return watched.contains(key); });
}

QString LiveUpdates::fingerprintStatement(bool countRows) const
{
    // Cheap at any table size: the greatest key by the primary key index (max() has no uuid form), and a hash of the
    // window's own rows and those read ahead (at most two windows' worth, by primary key).
    if (!m_model->hasKey())
        return {};
    // The key's columns as stored: any text of the greatest key will do, as long as it changes.
    const KeyColumns key(m_model->key().columns());
    const QList<RowKey>& keys = m_watchedKeys;
    // Ordered by the stored columns through the alias: a bare name would sort by the select list's
    // text of it, where "9" comes after "20".
    const KeyColumns greatest
        = key.mapped([](const QString& column) -> QString { return u"greatest_key."_s + column; });
    QString sql = u"SELECT (SELECT ("_s + greatest.readSql() + u")::text FROM "_s + m_model->tableName().sql()
        + u" AS greatest_key ORDER BY "_s + greatest.orderSql(u"DESC"_s) + u" LIMIT 1)"_s;
    // A small table's total is shown exact, so a delete outside the window must be noticed too;
    // counting a table that small costs about as much as the hash below.
    if (countRows)
        sql += u" || ':' || (SELECT count(*) FROM "_s + m_model->tableName().sql() + u")::text"_s;
    if (!keys.isEmpty()) {
        sql += u" || ':' || coalesce((SELECT md5(string_agg(to_json(t)::text, ',' ORDER BY "_s + key.orderSql(u"ASC"_s)
            + u")) FROM "_s + m_model->tableName().sql() + u" t WHERE "_s + key.inSql(keys) + u"), '')"_s;
    }
    return sql;
}

void LiveUpdates::requestFingerprint(bool baseline)
{
    // A serial key's new rows come last and move the greatest key; a uuid's or a text's land
    // anywhere, so a table that small (or not yet counted when the window opened) is counted too.
    // A larger one's insert outside the window's rows shows with the next move or the trigger.
    if (baseline) {
        m_fingerprintCountsRows = m_model->isTotalExact()
            || (!m_model->isIntegerKey() && m_model->totalRowCount() < countedWithoutSerialKey);
        // Polls must hash the same rows as the baseline did, whatever the window shows meanwhile.
        m_watchedKeys = windowKeys() + m_model->readAheadKeys();
    }
    const QString sql = fingerprintStatement(m_fingerprintCountsRows);
    if (sql.isEmpty())
        return;
    if (!m_fingerprintFetcher) {
        m_fingerprintFetcher = std::make_unique<KeysetFetcher>(m_settings);
        connect(m_fingerprintFetcher.get(), &KeysetFetcher::finished, this, &LiveUpdates::onFingerprint);
    }
    // A baseline (the window moved) makes any answer still under way meaningless: it hashed other
    // rows. A poll never queues behind one that waits (a lock, a dead path).
    if (!baseline && m_fingerprintInFlight)
        return;
    KeysetFetcher::Request request;
    request.generation = ++m_fingerprintGeneration;
    request.statements << WorkerStatement{ sql, {}, false };
    m_awaitingBaseline = baseline || m_awaitingBaseline;
    m_fingerprintInFlight = true;
    m_fingerprintFetcher->submit(request);
}

void LiveUpdates::onFingerprint(const KeysetFetcher::Result& result)
{
    if (result.generation != m_fingerprintGeneration)
        return; // superseded by a newer baseline
    m_fingerprintInFlight = false;
    const bool baseline = m_awaitingBaseline;
    m_awaitingBaseline = false;
    if (!result.error.isEmpty() || result.cancelled || result.rows.isEmpty() || result.rows.constFirst().isEmpty())
        return; // offline or failed: no change to report; the connection watcher says why
    const QString fingerprint = result.rows.constFirst().constFirst().value(0).toString();
    if (baseline) {
        m_lastFingerprint = fingerprint;
        return;
    }
    // Paused, a poll sent before is not acted on: the baseline stays, so the first poll after the
    // pause finds the same difference.
    if (m_paused)
        return;
    if (fingerprint != m_lastFingerprint) {
        m_lastFingerprint = fingerprint;
        m_model->dropReadAhead(); // a Next before the refresh must read the table
        emit tableChanged();
    }
}

void LiveUpdates::setPaused(bool paused)
{
    m_paused = paused;
}

void LiveUpdates::poll()
{
    if (m_paused || m_model->isLoading())
        return;
    requestFingerprint(false);
}
