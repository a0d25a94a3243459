#include "PgdeskRig.h"

#include "connection/SessionOpener.h"
#include "gui/CellDelegate.h"

#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace bench {

Rig::Rig(ConnectionSettings settings)
    : m_settings(std::move(settings))
    , m_view(std::make_unique<PaintTimedView>())
{
    // As MainWindow's constructor sets up its grid.
    QHeaderView* rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    rows->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSortIndicatorShown(true);
    m_view->setItemDelegate(new CellDelegate(m_view.get()));
    m_view->showAndWait();
}

Rig::~Rig()
{
    // The model holds queries on the session's connection: it goes first, as in ~MainWindow().
    m_view->setModel(nullptr);
    m_model.reset();
    m_session.reset();
}

void Rig::resetSignals()
{
    m_loadedMs = -1;
    m_firstMatchesShown = false;
    m_arrivedMs = -1;
    m_appliedMs = -1;
    m_paintsAtLoad = m_view->paintCount();
    m_failedMs = -1;
    m_failedCancelled = false;
    m_failure.clear();
    m_countedMs = -1;
}

QList<qint64> Rig::windowKeys() const
{
    QList<qint64> keys;
    if (!m_model)
        return keys;
    for (int row = 0; row < m_model->serverRowCount(); ++row)
        keys << m_model->keyAt(row).value_or(RowKey()).integer().value_or(-1);
    return keys;
}

Timing Rig::open(int timeoutMs)
{
    Timing timing;
    if (m_model) {
        timing.error = u"the rig is open already"_s;
        return timing;
    }
    resetSignals();
    StallMeter meter;
    meter.start();
    const double started = nowMs();
    // As StartupFlow::openWithTable(): connected in a network job (SessionOpener).
    m_session = std::make_unique<DatabaseSession>();
    if (!SessionOpener::openWithTable(*m_session, m_settings)) {
        timing.error = u"connecting failed: "_s + m_session->lastError().fullText();
        meter.stopMs();
        return timing;
    }
    const double connected = nowMs();
    // MainWindow::bindModel().
    m_model = std::make_unique<TableModel>(m_session->database());
    m_model->attachFetcher(m_session->settings());
    if (!m_model->setTableName(m_session->tableName())) {
        timing.error = u"the table could not be read"_s;
        meter.stopMs();
        return timing;
    }
    const double described = nowMs();
    const int keyColumn = m_model->keyColumns().value(0);
    QObject::connect(m_model.get(), &TableModel::windowLoaded, m_view.get(), [this] {
        m_loadedMs = nowMs();
        m_paintsAtLoad = m_view->paintCount();
    });
    QObject::connect(m_model.get(), &TableModel::firstMatchesShown, m_view.get(), [this] {
        m_firstMatchesShown = true;
        m_firstMatchesKeys = windowKeys();
        m_view->awaitPaint();
    });
    QObject::connect(m_model.get(), &TableModel::windowFailed, m_view.get(),
                     [this](const QString& message, bool cancelled) {
                         m_failedMs = nowMs();
                         m_failedCancelled = cancelled;
                         m_failure = message;
                     });
    QObject::connect(m_model.get(), &TableModel::matchingRowCountReady, m_view.get(),
                     [this] { m_countedMs = nowMs(); });
    QObject::connect(m_model.get(), &TableModel::loadingChanged, m_view.get(), [this](bool loading) {
        if (!loading)
            m_arrivedMs = nowMs();
    });
    // Connected before the view is: this runs after the model's own key index and before the
    // view's reset, which windowLoaded() follows.
    QObject::connect(m_model.get(), &QAbstractItemModel::modelReset, m_view.get(), [this] { m_appliedMs = nowMs(); });
    m_view->setModel(m_model.get());
    m_view->horizontalHeader()->setSortIndicator(keyColumn, Qt::AscendingOrder);
    m_model->loadFirst();
    const double requested = nowMs();
    const bool finished = waitUntil(
        [this] { return m_failedMs >= 0 || (m_loadedMs >= 0 && m_view->paintCount() > m_paintsAtLoad); }, timeoutMs);
    timing.stallMs = meter.stopMs();
    if (!finished) {
        timing.error = u"no rows within %1 ms"_s.arg(timeoutMs);
        return timing;
    }
    if (m_failedMs >= 0) {
        timing.error = u"the first window failed: "_s + m_failure;
        return timing;
    }
    if (m_model->rowCount() == 0) {
        timing.error = u"the first window is empty"_s;
        return timing;
    }
    timing.ok = true;
    m_opened = true;
    timing.ms = m_view->lastPaintMs() - started;
    timing.parts.insert(u"connect"_s, connected - started);
    timing.parts.insert(u"table"_s, described - connected);
    timing.parts.insert(u"window"_s, m_loadedMs - requested);
    timing.parts.insert(u"paint"_s, m_view->lastPaintMs() - m_loadedMs);
    return timing;
}

Timing Rig::show(const std::function<void()>& start, int timeoutMs)
{
    Timing timing;
    if (!m_model) {
        timing.error = u"not open"_s;
        return timing;
    }
    resetSignals();
    StallMeter meter;
    meter.start();
    const double started = nowMs();
    start();
    const double returned = nowMs();
    if (!m_model->isLoading() && m_loadedMs < 0 && m_failedMs < 0) {
        meter.stopMs();
        timing.error = u"nothing was asked of the server (at the end already?)"_s;
        return timing;
    }
    const bool finished = waitUntil(
        [this] { return m_failedMs >= 0 || (m_loadedMs >= 0 && m_view->paintCount() > m_paintsAtLoad); }, timeoutMs);
    timing.stallMs = meter.stopMs();
    if (!finished) {
        timing.error = u"no rows within %1 ms"_s.arg(timeoutMs);
        return timing;
    }
    if (m_failedMs >= 0) {
        timing.error = m_failedCancelled ? u"cancelled"_s : m_failure;
        return timing;
    }
    timing.ok = true;
    timing.ms = m_view->lastPaintMs() - started;
    if (m_firstMatchesShown && m_view->awaitedPaintMs() >= 0)
        timing.firstRowsMs = m_view->awaitedPaintMs() - started;
    timing.steps = { started,
                     returned,
                     qMax(m_arrivedMs, 0.0),
                     qMax(m_appliedMs, 0.0),
                     m_loadedMs,
                     m_view->lastPaintStartMs(),
                     m_view->lastPaintMs() };
    return timing;
}

Timing Rig::count(int timeoutMs)
{
    Timing timing;
    if (!m_model) {
        timing.error = u"not open"_s;
        return timing;
    }
    resetSignals();
    StallMeter meter;
    meter.start();
    const double started = nowMs();
    m_model->countMatchingRows();
    const bool finished = waitUntil([this] { return m_countedMs >= 0; }, timeoutMs);
    timing.stallMs = meter.stopMs();
    if (!finished) {
        timing.error = u"no count within %1 ms"_s.arg(timeoutMs);
        return timing;
    }
    timing.ok = true;
    timing.ms = m_countedMs - started;
    return timing;
}

Cancellation Rig::cancelAfter(const std::function<void()>& start, int afterMs, int timeoutMs)
{
    Cancellation result;
    if (!m_model) {
        result.error = u"not open"_s;
        return result;
    }
    const QList<qint64> before = windowKeys();
    resetSignals();
    StallMeter meter;
    meter.start();
    const double started = nowMs();
    start();
    auto settled = [this] { return m_failedMs >= 0 || m_loadedMs >= 0; };
    waitUntil([&] { return settled() || nowMs() - started >= afterMs; }, afterMs + 1000);
    if (!settled()) {
        const double cancelledAt = nowMs();
        m_model->cancelLoading(); // what Esc runs
        result.callMs = nowMs() - cancelledAt;
        if (!waitUntil(settled, timeoutMs)) {
            result.stallMs = meter.stopMs();
            result.error = u"neither rows nor a cancellation within %1 ms"_s.arg(timeoutMs);
            return result;
        }
        if (m_failedMs >= 0 && m_failedCancelled) {
            result.cancelled = true;
            result.latencyMs = m_failedMs - cancelledAt;
        }
    }
    result.stallMs = meter.stopMs();
    if (m_failedMs >= 0 && !m_failedCancelled) {
        result.error = m_failure;
        return result;
    }
    // A search that had shown its first matches keeps those: the rows from before are gone by then.
    result.rowsKept = !result.cancelled || windowKeys() == (m_firstMatchesShown ? m_firstMatchesKeys : before);
    result.ok = true;
    return result;
}

} // namespace bench
