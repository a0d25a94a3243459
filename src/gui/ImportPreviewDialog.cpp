#include "gui/ImportPreviewDialog.h"

#include "connection/NetworkThreadPool.h"
#include "gui/LabelTone.h"
#include "gui/ScreenFit.h"
#include "table/TableCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
enum DelimiterChoice { Comma, Semicolon, Tab, Other, OneNamePerLine };

// The table column a file column fills at first: the one its header names (exactly, else ignoring
// case), none for a column the server numbers; without a header the first column fills the line
// column. "" ignores it.
QString defaultTarget(const ImportTable& table, const QString& headerName, int column, bool hasHeader)
{
    if (!hasHeader)
        return column == 0 ? table.lineColumn : QString();
    const QString trimmed = headerName.trimmed();
    if (table.columns.contains(trimmed))
        return trimmed;
    for (const QString& name : table.columns) {
        if (name.compare(trimmed, Qt::CaseInsensitive) == 0)
            return name;
    }
    return {};
}
} // namespace

ImportPreviewDialog::ImportPreviewDialog(const QString& filePath, const ImportTable& table, QWidget* parent)
    : QDialog(parent)
    , m_filePath(filePath)
    , m_target(table)
{
    setObjectName(u"importPreviewDialog"_s);
    setWindowTitle(tr("Import rows – %1").arg(QFileInfo(filePath).fileName()));

    m_delimiter = new QComboBox(this);
    m_delimiter->setObjectName(u"delimiterCombo"_s);
    m_delimiter->addItem(tr("Comma ( , )"), Comma);
    m_delimiter->addItem(tr("Semicolon ( ; )"), Semicolon);
    m_delimiter->addItem(tr("Tab"), Tab);
    m_delimiter->addItem(tr("Other:"), Other);
    if (!table.lineColumn.isEmpty())
        m_delimiter->addItem(tr("None: one %1 per line").arg(table.lineColumn), OneNamePerLine);
    m_otherDelimiter = new QLineEdit(this);
    m_otherDelimiter->setObjectName(u"otherDelimiterEdit"_s);
    m_otherDelimiter->setMaxLength(1);
    m_otherDelimiter->setMaximumWidth(m_otherDelimiter->fontMetrics().horizontalAdvance(u"MMMM"_s));
    m_otherDelimiter->setText(u"|"_s);
    auto* delimiterRow = new QHBoxLayout;
    delimiterRow->addWidget(m_delimiter);
    delimiterRow->addWidget(m_otherDelimiter);
    delimiterRow->addStretch();

    m_encoding = new QComboBox(this);
    m_encoding->setObjectName(u"encodingCombo"_s);
    m_encoding->addItem(tr("UTF-8"), int(ImportOptions::Encoding::Utf8));
    m_encoding->addItem(tr("Latin-1 (ISO 8859-1)"), int(ImportOptions::Encoding::Latin1));
    m_encoding->addItem(tr("Windows-1252"), int(ImportOptions::Encoding::Windows1252));

    m_header = new QCheckBox(tr("First line is a header (names the columns, not imported)"), this);
    m_header->setObjectName(u"headerCheck"_s);

    auto* reading = new QFormLayout;
    // Every field at its own width, so the delimiter's and the encoding's boxes line up.
    reading->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    // A label made here rather than by addRow(): a row holding a layout gets no buddy, and the
    // mnemonic's '&' would show.
    auto* delimiterLabel = new QLabel(tr("&Delimiter:"), this);
    delimiterLabel->setBuddy(m_delimiter);
    reading->addRow(delimiterLabel, delimiterRow);
    reading->addRow(tr("&Encoding:"), m_encoding);
    reading->addRow(QString(), m_header);

    auto* mappingGroup = new QGroupBox(tr("Columns of the file"), this);
    m_mappingBox = mappingGroup;
    m_mappingLayout = new QGridLayout(mappingGroup);

    m_grid = new QTableWidget(0, int(table.columns.size()), this);
    m_grid->setObjectName(u"previewTable"_s);
    m_grid->setHorizontalHeaderLabels(table.columns);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // The line column (the tutorial's name) takes the room; the others as wide as what they hold.
    m_grid->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    if (const int line = int(table.columns.indexOf(table.lineColumn)); line >= 0 && table.columns.size() > 1)
        m_grid->horizontalHeader()->setSectionResizeMode(line, QHeaderView::Stretch);
    m_grid->setToolTip(tr("The first rows as they will land in the table"));

    m_rowCount = new QLabel(this);
    m_rowCount->setObjectName(u"rowCountLabel"_s);
    m_rowCount->setWordWrap(true);

    m_skipExisting = new QCheckBox(
        tr("&Skip rows whose %1 already exists in the table").arg(ImportOptions::columnsText(table.matchColumns)),
        this);
    m_skipExisting->setObjectName(u"skipExistingCheck"_s);
    m_skipExisting->setToolTip(tr("Compared as the table's types; text exactly: case, spaces and accents count. An "
                                  "empty value (NULL) counts as existing when the table has a row with NULL there. "
                                  "Rows repeated inside the file are all written."));
    // Without a key the file fills, or a text name, nothing tells a row of the file is there.
    m_skipExisting->setVisible(!table.matchColumns.isEmpty());

    m_message = new QLabel(this);
    m_message->setObjectName(u"messageLabel"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    LabelTone::set(m_message, LabelTone::Tone::Error);
    m_message->hide();

    m_buttons = new QDialogButtonBox(this);
    QPushButton* importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    importButton->setObjectName(u"importButton"_s);
    importButton->setDefault(true);
    QPushButton* cancelButton = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancelButton->setObjectName(u"cancelButton"_s);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(reading);
    layout->addWidget(mappingGroup);
    layout->addWidget(new QLabel(tr("First rows as they will land:"), this));
    layout->addWidget(m_grid, 1);
    layout->addWidget(m_rowCount);
    layout->addWidget(m_skipExisting);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    // What the importer did before the preview existed: .csv has a header line, anything else is
    // one name per line.
    const bool csv
        = QFileInfo(filePath).suffix().compare(u"csv"_s, Qt::CaseInsensitive) == 0 || table.lineColumn.isEmpty();
    m_delimiter->setCurrentIndex(m_delimiter->findData(csv ? Comma : OneNamePerLine));
    m_header->setChecked(csv);
    m_otherDelimiter->setVisible(false);

    connect(m_delimiter, &QComboBox::currentIndexChanged, this, [this] {
        m_otherDelimiter->setVisible(m_delimiter->currentData().toInt() == Other);
        reload();
    });
    connect(m_otherDelimiter, &QLineEdit::textChanged, this, &ImportPreviewDialog::reload);
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &ImportPreviewDialog::reload);
    connect(m_header, &QCheckBox::toggled, this, &ImportPreviewDialog::reload);
    connect(m_skipExisting, &QCheckBox::toggled, this, &ImportPreviewDialog::checkExistingNames);

    resize(720, 560);
    reload();
    ScreenFit::keep(this); // a small screen at 150 % or 200 % may not hold its designed size
}

ImportPreviewDialog::~ImportPreviewDialog()
{
    if (m_cancelCount)
        m_cancelCount->store(true);
}

ImportOptions ImportPreviewDialog::readingOptions() const
{
    ImportOptions options;
    const int delimiter = m_delimiter->currentData().toInt();
    options.lines = delimiter == OneNamePerLine;
    switch (delimiter) {
    case Semicolon:
        options.delimiter = ';';
        break;
    case Tab:
        options.delimiter = '\t';
        break;
    case Other: {
        const QString text = m_otherDelimiter->text();
        options.delimiter = text.size() == 1 && text.at(0).unicode() < 0x80 ? char(text.at(0).unicode()) : '\0';
        break;
    }
    default:
        options.delimiter = ',';
        break;
    }
    options.header = m_header->isChecked();
    options.encoding = static_cast<ImportOptions::Encoding>(m_encoding->currentData().toInt());
    return options;
}

ImportOptions ImportPreviewDialog::options() const
{
    ImportOptions options = readingOptions();
    if (!options.lines) {
        for (const QComboBox* combo : m_mappingCombos)
            options.mapping << combo->currentData().toString();
    }
    options.lineColumn = m_target.lineColumn;
    // The whole key when the file fills it, else the name: follows the mapping.
    const QStringList filled = options.targetColumns();
    options.matchColumns = m_target.matchColumnsFor(filled);
    options.matchTypes = m_target.matchTypesFor(filled);
    options.skipExisting = m_skipExisting->isChecked() && !options.matchColumns.isEmpty();
    return options;
}

void ImportPreviewDialog::setTable(const ConnectionSettings& settings, const TableName& table)
{
    m_settings = settings;
    m_table = table;
    checkExistingNames();
}

int ImportPreviewDialog::fieldOf(const QString& column) const
{
    if (column.isEmpty())
        return -1;
    if (readingOptions().lines)
        return column == m_target.lineColumn ? 0 : -1;
    for (int field = 0; field < m_mappingCombos.size(); ++field) {
        if (m_mappingCombos.at(field)->currentData().toString() == column)
            return field;
    }
    return -1;
}

QList<int> ImportPreviewDialog::matchFields() const
{
    QList<int> fields;
    for (const QString& column : options().matchColumns) {
        const int field = fieldOf(column);
        if (field < 0)
            return {};
        fields << field;
    }
    return fields;
}

// A statement, so a network job; the answer for older rows or options is dropped.
void ImportPreviewDialog::checkExistingNames()
{
    const quint64 generation = ++m_namesGeneration;
    m_present.clear();
    m_namesError.clear();
    const ImportOptions current = options();
    m_skipExisting->setText(
        tr("&Skip rows whose %1 already exists in the table").arg(ImportOptions::columnsText(current.matchColumns)));
    // Without a key the file fills, or a text name, nothing tells a row of the file is there.
    m_skipExisting->setVisible(!current.matchColumns.isEmpty());
    const QList<int> fields = matchFields();
    m_checkingNames
        = m_settings && m_skipExisting->isChecked() && m_previewReady && !fields.isEmpty() && !m_preview.rows.isEmpty();
    fillGrid();
    updateState();
    if (!m_checkingNames)
        return;
    QList<QVariantList> rows;
    for (const QList<ImportPreview::Field>& row : std::as_const(m_preview.rows)) {
        QVariantList values;
        for (int field : fields)
            values << (field < row.size() && row.at(field).has_value() ? QVariant(*row.at(field)) : QVariant());
        rows << values;
    }
    NetworkThreadPool::run(
        this,
        [settings = *m_settings, table = m_table, columns = current.matchColumns, types = current.matchTypes, rows] {
            TableCatalog::Outcome outcome;
            QList<bool> present = TableCatalog::rowsPresent(settings, table, columns, types, rows, &outcome);
            return std::make_pair(present, outcome.error);
        },
        [this, generation](const std::pair<QList<bool>, QString>& answer) {
            if (generation != m_namesGeneration)
                return;
            m_checkingNames = false;
            m_present = answer.first;
            m_namesError = answer.second;
            fillGrid();
            updateState();
        });
}

void ImportPreviewDialog::reload()
{
    if (m_cancelCount)
        m_cancelCount->store(true);
    const quint64 generation = ++m_generation;
    m_previewReady = false;
    m_countReady = false;
    m_countError.clear();
    updateState();
    const ImportOptions options = readingOptions();
    NetworkThreadPool::run(
        this, [path = m_filePath, options] { return ImportPreview::read(path, options, previewRows); },
        [this, generation](const ImportPreview& preview) {
            if (generation == m_generation)
                showPreview(preview);
        });
}

void ImportPreviewDialog::showPreview(const ImportPreview& preview)
{
    m_preview = preview;
    m_previewReady = true;
    rebuildMapping();
    checkExistingNames();
    if (!preview.error.isEmpty() || preview.wholeFile) {
        // Nothing more to learn from reading the whole file.
        m_countReady = true;
        m_countedRows = preview.rows.size();
        updateState();
        return;
    }
    updateState();
    m_cancelCount = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = m_generation;
    NetworkThreadPool::run(
        this,
        [path = m_filePath, options = readingOptions(), cancel = m_cancelCount] {
            return ImportPreview::count(path, options, *cancel);
        },
        [this, generation](const ImportPreview::Count& count) {
            if (generation != m_generation || count.cancelled)
                return;
            m_countReady = true;
            m_countedRows = count.rows;
            m_countError = count.error;
            updateState();
        });
}

void ImportPreviewDialog::rebuildMapping()
{
    const bool lines = readingOptions().lines;
    m_mappingBox->setVisible(!lines);
    const int columns = m_preview.columnCount;
    // The user's choices stay while the columns are the same ones. Lines mode has no choices, so
    // leaving it always makes them (a one-column file reads the same either way).
    if (columns == m_mappedColumns && m_preview.headerNames == m_mappedHeader && !lines && !m_mappingCombos.isEmpty())
        return;
    m_mappedColumns = columns;
    m_mappedHeader = m_preview.headerNames;
    qDeleteAll(m_mappingCombos);
    m_mappingCombos.clear();
    while (QLayoutItem* item = m_mappingLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (lines)
        return;
    const bool hasHeader = !m_preview.headerNames.isEmpty();
    for (int column = 0; column < columns; ++column) {
        const QString headerName = hasHeader ? m_preview.headerNames.value(column) : QString();
        auto* label = new QLabel(hasHeader ? tr("Column %1, “%2”:").arg(column + 1).arg(headerName.left(40))
                                           : tr("Column %1:").arg(column + 1),
                                 m_mappingBox);
        auto* combo = new QComboBox(m_mappingBox);
        combo->setObjectName(u"mappingCombo%1"_s.arg(column));
        combo->addItem(tr("ignore"), QString());
        for (const QString& name : std::as_const(m_target.columns))
            combo->addItem(name, name);
        combo->setCurrentIndex(combo->findData(defaultTarget(m_target, headerName, column, hasHeader)));
        for (const QString& numbered : std::as_const(m_target.serverNumbered)) {
            if (hasHeader && headerName.trimmed().compare(numbered, Qt::CaseInsensitive) == 0)
                combo->setToolTip(tr("The server numbers new rows: a file's %1 is never imported.").arg(numbered));
        }
        label->setBuddy(combo);
        if (column % 2 == 1)
            label->setContentsMargins(label->fontMetrics().horizontalAdvance(u"MM"_s), 0, 0,
                                      0); // apart from the pair before
        // Two pairs a row, so a wide file stays within the dialog.
        m_mappingLayout->addWidget(label, column / 2, (column % 2) * 2);
        m_mappingLayout->addWidget(combo, column / 2, (column % 2) * 2 + 1);
        m_mappingCombos << combo;
        connect(combo, &QComboBox::currentIndexChanged, this, &ImportPreviewDialog::checkExistingNames);
    }
    m_mappingLayout->setColumnStretch(4, 1);
}

void ImportPreviewDialog::fillGrid()
{
    const ImportOptions options = this->options();
    QList<int> fields; // per column of the grid (the table's), the file field shown in it
    for (const QString& column : std::as_const(m_target.columns))
        fields << fieldOf(column);
    const QColor dim = palette().color(QPalette::PlaceholderText);
    const auto cell = [&](const QList<ImportPreview::Field>& row, int column) {
        auto* item = new QTableWidgetItem;
        if (column < 0 || column >= row.size()) {
            // No column of the file goes here: the table's default fills it.
            item->setText(tr("default"));
            item->setForeground(dim);
        } else if (!row.at(column).has_value()) {
            // As the grid shows NULL.
            item->setText(u"NULL"_s);
            QFont font = item->font();
            font.setItalic(true);
            item->setFont(font);
            item->setForeground(dim);
        } else {
            item->setText(*row.at(column));
        }
        return item;
    };
    m_grid->setRowCount(int(m_preview.rows.size()));
    const bool marking = options.skipExisting && m_present.size() == m_preview.rows.size();
    for (int row = 0; row < m_preview.rows.size(); ++row) {
        QList<QTableWidgetItem*> items;
        for (int field : std::as_const(fields))
            items << cell(m_preview.rows.at(row), field);
        if (marking && m_present.at(row)) {
            // Struck through: this row will not be written.
            for (QTableWidgetItem* item : std::as_const(items)) {
                QFont font = item->font();
                font.setStrikeOut(true);
                item->setFont(font);
                item->setForeground(dim);
                item->setToolTip(tr("Already in the table: skipped"));
            }
        }
        for (int column = 0; column < items.size(); ++column)
            m_grid->setItem(row, column, items.at(column));
    }
}

void ImportPreviewDialog::updateState()
{
    const ImportOptions options = this->options();
    QString problem;
    if (m_previewReady) {
        problem = m_preview.error;
        if (problem.isEmpty())
            problem = m_countError;
        if (problem.isEmpty())
            problem = options.problem();
    }
    m_message->setText(problem);
    m_message->setVisible(!problem.isEmpty());
    auto* importButton = findChild<QPushButton*>(u"importButton"_s);
    importButton->setEnabled(m_previewReady && problem.isEmpty());

    const auto existingNote = [&]() -> QString {
        if (m_checkingNames)
            return u' ' + tr("Checking the rows shown against the table…");
        if (!m_namesError.isEmpty())
            return u' ' + tr("The rows shown could not be checked against the table: %1").arg(m_namesError);
        if (m_present.isEmpty())
            return {};
        const auto present = m_present.count(true);
        return u' '
            + (present == 1 ? tr("1 of the %1 rows shown is there already (struck through).").arg(m_present.size())
                            : tr("%1 of the %2 rows shown are there already (struck through).")
                                  .arg(present)
                                  .arg(m_present.size()));
    };
    QString count;
    if (!m_previewReady) {
        count = tr("Reading the file…");
    } else if (!problem.isEmpty()) {
        count = tr("Nothing will be written.");
    } else if (m_countReady) {
        const QString rows = m_countedRows == 1 ? tr("1 row") : tr("%L1 rows").arg(m_countedRows);
        count = options.skipExisting
            ? tr("The file has %1. Those whose %2 is already in the table will be skipped; the import says how "
                 "many.")
                    .arg(rows, ImportOptions::columnsText(options.matchColumns))
                + existingNote()
            : (m_countedRows == 1 ? tr("1 row will be written.") : tr("%L1 rows will be written.").arg(m_countedRows));
    } else {
        // An estimate from the rows read so far, until the count over the whole file arrives.
        const double perRow = m_preview.rows.isEmpty() ? 0.0 : double(m_preview.bytesForRows) / m_preview.rows.size();
        const qint64 about = perRow > 0 ? qint64(double(m_preview.fileSize) / perRow) : 0;
        count = tr("About %L1 rows (counting…)").arg(about);
    }
    m_rowCount->setText(count);
}
