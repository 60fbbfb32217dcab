// Training controls: form layout, validation through TrainConfig::validate(), QSettings.
#include "ui/widgets/ControlsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

// The one torch header the GUI touches, and only here: is a CUDA device present?
// (torch/cuda.h declares two functions and pulls in nothing else.)
#include <torch/cuda.h>

#include "core/model/CpuFeatures.h"
#include "core/objectives/Objectives.h"

namespace centroid::ui {
namespace {

const char* const kDatasetIds[] = {"mnist", "fashion-mnist"};
constexpr int kFolderIndex = 2;

QSpinBox* spin(int min, int max, int step, const QString& tip) {
  auto* s = new QSpinBox;
  s->setRange(min, max);
  s->setSingleStep(step);
  s->setGroupSeparatorShown(true);
  s->setToolTip(tip);
  s->setAccelerated(true);
  return s;
}

QString pointsText(int train, int test) {
  auto k = [](int n) { return n % 1000 == 0 ? QStringLiteral("%1k").arg(n / 1000) : QString::number(n); };
  if (test == 0) return QObject::tr("%1 (train images)").arg(k(train));
  if (train == 0) return QObject::tr("%1 (test images)").arg(k(test));
  return QObject::tr("%1 (%2 train + %3 test)").arg(k(train + test), k(train), k(test));
}

int cudaDevices() {
  try {
    return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
  } catch (...) {
    return 0;  // a broken driver is "no GPU", not a reason to fail opening the window
  }
}

}  // namespace

QString formatLearningRate(double lr) {
  if (!(lr > 0) || lr >= 0.01) return QString::number(lr, 'g', 15);
  for (int p = 0; p < 16; ++p) {  // the shortest mantissa that reads back exactly
    QString s = QString::number(lr, 'e', p);
    if (s.toDouble() == lr) return s.replace("e-0", "e-").replace("e+0", "e+");
  }
  return QString::number(lr, 'e', 16);
}

bool parseLearningRate(const QString& text, double* out) {
  bool ok = false;
  const double v = QLocale::c().toDouble(text.trimmed(), &ok);
  if (ok && out) *out = v;
  return ok;
}

ControlsPanel::ControlsPanel(QWidget* parent) : QWidget(parent) {
  buildUi();
  setConfig(TrainConfig{});
  setRunsFolder(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + "/Centroid runs");
}

ControlsPanel::~ControlsPanel() = default;

void ControlsPanel::buildUi() {
  form_ = new QWidget;
  auto* formBox = new QVBoxLayout(form_);
  formBox->setContentsMargins(0, 0, 0, 0);

  auto group = [&](const QString& title) {
    auto* g = new QGroupBox(title);
    auto* f = new QFormLayout(g);
    f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    f->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    formBox->addWidget(g);
    return f;
  };
  auto browseRow = [](QLineEdit* edit, QToolButton* button) {
    auto* row = new QWidget;
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(4);
    h->addWidget(edit, 1);
    button->setText(QStringLiteral("…"));
    h->addWidget(button);
    return row;
  };

  // Data
  auto* dataForm = group(tr("Data"));
  dataset_ = new QComboBox;
  dataset_->addItems({tr("MNIST"), tr("Fashion-MNIST"), tr("Folder…")});
  dataset_->setToolTip(
      tr("MNIST and Fashion-MNIST are looked up in the data folder; "
         "“Folder…” takes any folder holding the four IDX files."));
  dataForm->addRow(tr("Dataset"), dataset_);
  folder_ = new QLineEdit;
  folder_->setPlaceholderText(tr("folder with the four IDX files"));
  auto* folderButton = new QToolButton;
  folderButton->setToolTip(tr("Choose the dataset folder"));
  folderRow_ = browseRow(folder_, folderButton);
  dataForm->addRow(tr("Folder"), folderRow_);
  subset_ = spin(0, 10'000'000, 1000, tr("Train on the first N training images (all: every image)"));
  subset_->setSpecialValueText(tr("all"));
  dataForm->addRow(tr("Train images"), subset_);
  points_ = new QComboBox;
  for (const auto& p : kPointsPresets) points_->addItem(pointsText(p.train, p.test), QSize(p.train, p.test));
  points_->setToolTip(
      tr("Images embedded and drawn every epoch: the first training images, "
         "then the first test images. Fewer points keep the view fluid."));
  dataForm->addRow(tr("Points shown"), points_);

  // Model and optimisation
  auto* train = group(tr("Training"));
  objective_ = new QComboBox;
  for (const ObjectiveInfo& o : objectives()) {
    objective_->addItem(QString::fromUtf8(o.title), QString::fromUtf8(o.name));
    objective_->setItemData(objective_->count() - 1, QString::fromUtf8(o.summary), Qt::ToolTipRole);
  }
  objective_->setToolTip(
      tr("What the network is trained to do; choosing one sets its own learning rate, "
         "epochs, batch size and patience"));
  train->addRow(tr("Objective"), objective_);
  clusters_ = spin(1, 1000, 1, tr("K, the number of k-means clusters (2 to the batch size)"));
  train->addRow(tr("Clusters K"), clusters_);
  dim_ =
      spin(1, 256, 1, tr("Embedding dimension; the view shows the first three principal axes when above 3"));
  train->addRow(tr("Embedding dim"), dim_);
  batch_ = spin(1, 60000, 32, tr("Images per optimisation step; k-means runs within each batch"));
  train->addRow(tr("Batch size"), batch_);
  lr_ = new QLineEdit;
  lr_->setToolTip(tr("Adam learning rate, a positive number such as 1e-4 or 0.001"));
  train->addRow(tr("Learning rate"), lr_);
  epochs_ = spin(1, 100000, 1, tr("Hard cap on the number of epochs"));
  train->addRow(tr("Max epochs"), epochs_);
  patience_ = spin(0, 100000, 1, tr("Stop after this many epochs without a lower epoch loss"));
  train->addRow(tr("Patience"), patience_);
  seed_ = spin(0, std::numeric_limits<int>::max(), 1, tr("Seed for weights, shuffling and k-means"));
  seed_->setGroupSeparatorShown(false);
  train->addRow(tr("Seed"), seed_);
  baselines_ = new QCheckBox(tr("Compute baselines"));
  baselines_->setToolTip(
      tr("Also cluster the shown points with k-means on pixels and "
         "PCA(3)+k-means, for comparison (takes a few seconds more)"));
  train->addRow(QString(), baselines_);

  // Compute
  auto* compute = group(tr("Compute"));
  device_ = new QComboBox;
  device_->addItem(QStringLiteral("cpu"), QStringLiteral("cpu"));
  const int gpus = cudaDevices();
  if (gpus == 0) {
    // Shown but disabled, so users learn the option exists and why it is off.
    device_->addItem(tr("cuda (no GPU found)"), QStringLiteral("cuda"));
    if (auto* model = qobject_cast<QStandardItemModel*>(device_->model())) model->item(1)->setEnabled(false);
  }
  for (int i = 0; i < gpus; ++i) {
    const QString id = gpus == 1 ? QStringLiteral("cuda") : QStringLiteral("cuda:%1").arg(i);
    device_->addItem(id, id);
  }
  compute->addRow(tr("Device"), device_);
  threads_ = spin(0, 1024, 1, tr("CPU threads for training (all: every core)"));
  threads_->setSpecialValueText(tr("all cores"));
  compute->addRow(tr("Threads"), threads_);
  precision_ = new QComboBox;
  precision_->addItem(tr("fp32"), QStringLiteral("fp32"));
  // bf16 is offered everywhere (a run file may ask for it) but says when this CPU would emulate it.
  const QString isa = QString::fromStdString(nativeBf16Instructions());
  precision_->addItem(isa.isEmpty() ? tr("bf16 (emulated on this CPU: slow)") : tr("bf16"),
                      QStringLiteral("bf16"));
  precision_->setToolTip(tr("bf16 runs the encoder's conv2 in bfloat16 (%1)")
                             .arg(isa.isEmpty() ? tr("this CPU has no bfloat16 instructions") : isa));
  compute->addRow(tr("Precision"), precision_);

  // Output
  auto* output = group(tr("Output"));
  runs_ = new QLineEdit;
  runs_->setToolTip(tr("Each run writes one HDF5 file here, named by date, dataset, K and rate"));
  auto* runsButton = new QToolButton;
  runsButton->setToolTip(tr("Choose the runs folder"));
  output->addRow(tr("Runs folder"), browseRow(runs_, runsButton));
  // Long paths scroll out of the field: the tooltip always has the whole one.
  const QString runsTip = runs_->toolTip();
  connect(runs_, &QLineEdit::textChanged, runs_,
          [this, runsTip](const QString& t) { runs_->setToolTip(runsTip + "\n" + t); });

  message_ = new QLabel;
  message_->setObjectName("validationMessage");
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #b3261e;");
  message_->setVisible(false);

  trainButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Train"));
  trainButton_->setDefault(true);
  trainButton_->setToolTip(tr("Start a run with these settings (Ctrl+T)"));
  stopButton_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
  stopButton_->setToolTip(tr("Stop after the current batch; saved epochs are kept (Esc)"));
  defaultsButton_ = new QToolButton;
  defaultsButton_->setText(tr("Defaults"));
  defaultsButton_->setToolTip(tr("Restore every setting to its default"));
  defaultsButton_->setAutoRaise(true);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(trainButton_, 1);
  buttons->addWidget(stopButton_, 1);
  buttons->addWidget(defaultsButton_);

  auto* top = new QVBoxLayout(this);
  top->addWidget(form_);
  top->addWidget(message_);
  top->addLayout(buttons);
  top->addStretch(1);

  // Invalid fields get a red frame through a dynamic property, so the style's own look is
  // kept for valid ones.
  setStyleSheet("*[invalid=\"true\"] { border: 1px solid #b3261e; border-radius: 3px; }");

  for (QSpinBox* s : {subset_, clusters_, dim_, batch_, epochs_, patience_, seed_, threads_})
    connect(s, &QSpinBox::valueChanged, this, &ControlsPanel::revalidate);
  for (QLineEdit* e : {folder_, lr_, runs_})
    connect(e, &QLineEdit::textChanged, this, &ControlsPanel::revalidate);
  for (QComboBox* c : {dataset_, points_, device_, precision_})
    connect(c, &QComboBox::currentIndexChanged, this, &ControlsPanel::revalidate);
  connect(dataset_, &QComboBox::currentIndexChanged, this, &ControlsPanel::updateDatasetRow);
  connect(dataset_, &QComboBox::activated, this, &ControlsPanel::onDatasetActivated);
  connect(objective_, &QComboBox::activated, this, &ControlsPanel::onObjectiveActivated);
  connect(folderButton, &QToolButton::clicked, this, &ControlsPanel::browseDatasetFolder);
  connect(runsButton, &QToolButton::clicked, this, &ControlsPanel::browseRunsFolder);
  connect(defaultsButton_, &QToolButton::clicked, this, &ControlsPanel::restoreDefaults);
  connect(trainButton_, &QPushButton::clicked, this, [this] {
    if (isValid() && !running_) emit trainRequested();
  });
  connect(stopButton_, &QPushButton::clicked, this, &ControlsPanel::stopRequested);
  // Enter in any field trains, as the default button would in a dialog.
  for (QLineEdit* e : {folder_, lr_, runs_})
    connect(e, &QLineEdit::returnPressed, trainButton_, &QPushButton::click);
}

TrainConfig ControlsPanel::toConfig() const {
  TrainConfig c = hidden_;
  c.objective = objective_->currentData().toString().toStdString();
  const int d = dataset_->currentIndex();
  c.dataset = d == kFolderIndex ? folder_->text().trimmed().toStdString() : kDatasetIds[d < 0 ? 0 : d];
  c.subset = subset_->value();
  const QSize view = points_->currentData().toSize();
  c.viewTrain = view.width();
  c.viewTest = view.height();
  c.clusters = clusters_->value();
  c.embedDim = dim_->value();
  c.batchSize = batch_->value();
  double lr = 0;
  c.learningRate = parseLearningRate(lr_->text(), &lr) ? lr : std::nan("");
  c.maxEpochs = epochs_->value();
  c.patience = patience_->value();
  c.seed = static_cast<std::uint64_t>(seed_->value());
  c.baselines = baselines_->isChecked();
  c.device = device_->currentData().toString().toStdString();
  c.threads = threads_->value();
  c.precision = precision_->currentData().toString().toStdString();
  return c;
}

void ControlsPanel::setConfig(const TrainConfig& c) {
  // One validation at the end: field by field, a valid config can pass through invalid
  // intermediate states (K = 10 against the old batch size 2) and flicker validityChanged.
  const bool wasLoading = loading_;
  loading_ = true;
  hidden_ = c;
  objective_->setCurrentIndex(std::max(0, objective_->findData(QString::fromStdString(c.objective))));
  const QString ds = QString::fromStdString(c.dataset);
  int d = kFolderIndex;
  for (int i = 0; i < kFolderIndex; ++i)
    if (ds == kDatasetIds[i]) d = i;
  if (d == kFolderIndex) folder_->setText(ds);
  dataset_->setCurrentIndex(d);
  subset_->setValue(c.subset);
  points_->setCurrentIndex(pointsIndexFor(c.viewTrain, c.viewTest));
  clusters_->setValue(c.clusters);
  dim_->setValue(c.embedDim);
  batch_->setValue(c.batchSize);
  lr_->setText(formatLearningRate(c.learningRate));
  epochs_->setValue(c.maxEpochs);
  patience_->setValue(c.patience);
  seed_->setValue(static_cast<int>(std::min<std::uint64_t>(c.seed, std::numeric_limits<int>::max())));
  baselines_->setChecked(c.baselines);
  int dev = device_->findData(QString::fromStdString(c.device));
  if (dev < 0 || !(device_->model()->flags(device_->model()->index(dev, 0)) & Qt::ItemIsEnabled)) dev = 0;
  device_->setCurrentIndex(dev);
  threads_->setValue(c.threads);
  precision_->setCurrentIndex(std::max(0, precision_->findData(QString::fromStdString(c.precision))));
  updateDatasetRow();
  loading_ = wasLoading;
  revalidate();
}

QString ControlsPanel::runsFolder() const { return runs_->text().trimmed(); }

void ControlsPanel::setRunsFolder(const QString& folder) { runs_->setText(QDir::toNativeSeparators(folder)); }

int ControlsPanel::pointsIndexFor(int train, int test) {
  const int i = points_->findData(QSize(train, test));
  if (i >= 0) return i;
  // Keeps a scripted or remembered custom view set (tests use 1000 + 500) instead of snapping
  // it to a preset: setConfig then toConfig must give back what went in.
  points_->addItem(pointsText(train, test), QSize(train, test));
  return points_->count() - 1;
}

QString ControlsPanel::validationMessage() const {
  double lr = 0;
  if (!parseLearningRate(lr_->text(), &lr))
    return tr("Learning rate: “%1” is not a number (write e.g. 1e-4)").arg(lr_->text().trimmed());
  if (dataset_->currentIndex() == kFolderIndex) {
    const QString f = folder_->text().trimmed();
    if (f.isEmpty()) return tr("Dataset folder: choose the folder holding the IDX files");
    if (!QFileInfo(f).isDir()) return tr("Dataset folder: %1 does not exist").arg(f);
  }
  QString m = QString::fromStdString(toConfig().validate());
  if (!m.isEmpty()) {
    m[0] = m[0].toUpper();
    return m;
  }
  if (runsFolder().isEmpty()) return tr("Runs folder: choose where run files are written");
  return {};
}

QWidget* ControlsPanel::fieldForMessage(const QString& message) const {
  // validate() starts every message with the setting's name; map it back to its widget.
  const QString key = message.section(':', 0, 0).toLower();
  if (key == "learning rate") return lr_;
  if (key == "dataset folder" || key == "dataset") {
    if (dataset_->currentIndex() == kFolderIndex) return folder_;
    return dataset_;
  }
  if (key == "subset") return subset_;
  if (key == "view set") return points_;
  if (key == "clusters") return clusters_;
  if (key == "embedding dimension") return dim_;
  if (key == "batch size") return batch_;
  if (key == "epochs") return epochs_;
  if (key == "patience") return patience_;
  if (key == "threads") return threads_;
  if (key == "device") return device_;
  if (key == "precision") return precision_;
  if (key == "runs folder") return runs_;
  return nullptr;
}

void ControlsPanel::revalidate() {
  if (loading_) return;
  const QString m = validationMessage();
  QWidget* bad = m.isEmpty() ? nullptr : fieldForMessage(m);
  // "K must not exceed the batch size" is a fault of the pair: mark both.
  const bool pair = bad == clusters_ && m.contains("batch size");
  for (QWidget* w :
       std::initializer_list<QWidget*>{folder_, dataset_, subset_, points_, clusters_, dim_, batch_, lr_,
                                       epochs_, patience_, threads_, device_, precision_, runs_}) {
    const bool invalid = w == bad || (pair && w == batch_);
    if (w->property("invalid").toBool() == invalid) continue;
    w->setProperty("invalid", invalid);
    w->style()->unpolish(w);  // dynamic properties need a re-polish to restyle
    w->style()->polish(w);
  }
  message_->setText(m);
  message_->setVisible(!m.isEmpty());
  trainButton_->setEnabled(m.isEmpty() && !running_);
  stopButton_->setEnabled(running_);
  if (m.isEmpty() != lastValid_) {
    lastValid_ = m.isEmpty();
    emit validityChanged(lastValid_);
  }
}

void ControlsPanel::setRunning(bool running) {
  running_ = running;
  form_->setEnabled(!running);
  defaultsButton_->setEnabled(!running);
  revalidate();
}

void ControlsPanel::updateDatasetRow() {
  const bool folder = dataset_->currentIndex() == kFolderIndex;
  folderRow_->setVisible(folder);
  if (auto* form = qobject_cast<QFormLayout*>(folderRow_->parentWidget()->layout())) {
    if (QWidget* label = form->labelForField(folderRow_)) label->setVisible(folder);
  }
}

void ControlsPanel::onDatasetActivated(int index) {
  // Only a user's pick reaches here (activated, not currentIndexChanged), so scripted
  // setConfig() calls never open a dialog.
  if (index == kFolderIndex && folder_->text().trimmed().isEmpty()) browseDatasetFolder();
}

void ControlsPanel::browseDatasetFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), folder_->text());
  if (!dir.isEmpty()) folder_->setText(QDir::toNativeSeparators(dir));
}

void ControlsPanel::browseRunsFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Runs folder"), runsFolder());
  if (!dir.isEmpty()) setRunsFolder(dir);
}

void ControlsPanel::restoreDefaults() {
  TrainConfig d = defaultConfig(objective_->currentData().toString().toStdString());
  d.dataDir = hidden_.dataDir;  // where the data lives is not a training setting
  setConfig(d);
}

void ControlsPanel::onObjectiveActivated(int index) {
  // The objective's training defaults; data, view, model size, seed and compute stay.
  setConfig(withObjective(toConfig(), objective_->itemData(index).toString().toStdString()));
}

namespace {
// The integer settings, by key: save() and restore() walk the same table.
struct IntSetting {
  const char* key;
  int TrainConfig::*field;
};
constexpr IntSetting kIntSettings[] = {
    {"subset", &TrainConfig::subset},       {"viewTrain", &TrainConfig::viewTrain},
    {"viewTest", &TrainConfig::viewTest},   {"clusters", &TrainConfig::clusters},
    {"embedDim", &TrainConfig::embedDim},   {"batchSize", &TrainConfig::batchSize},
    {"maxEpochs", &TrainConfig::maxEpochs}, {"patience", &TrainConfig::patience},
    {"threads", &TrainConfig::threads}};
}  // namespace

void ControlsPanel::save(QSettings& s) const {
  const TrainConfig c = toConfig();
  s.beginGroup("controls");
  s.setValue("objective", QString::fromStdString(c.objective));
  s.setValue("datasetIndex", dataset_->currentIndex());
  s.setValue("datasetFolder", folder_->text().trimmed());
  for (const IntSetting& i : kIntSettings) s.setValue(i.key, c.*i.field);
  s.setValue("learningRate", lr_->text().trimmed());  // as typed: "1e-4" stays "1e-4"
  s.setValue("seed", QString::number(c.seed));        // QVariant has no uint64 in INI files
  s.setValue("baselines", c.baselines);
  s.setValue("device", QString::fromStdString(c.device));
  s.setValue("precision", QString::fromStdString(c.precision));
  s.setValue("runsFolder", runsFolder());
  s.endGroup();
}

void ControlsPanel::restore(QSettings& s) {
  // A missing or hand-edited broken key keeps the current value, never fails.
  TrainConfig c = toConfig();
  s.beginGroup("controls");
  bool ok = false;
  for (const IntSetting& i : kIntSettings)
    if (const int v = s.value(i.key).toInt(&ok); ok) c.*i.field = v;
  const int datasetIndex = s.value("datasetIndex").toInt(&ok);
  const QString folder = s.value("datasetFolder").toString();
  if (ok && datasetIndex >= 0 && datasetIndex < kFolderIndex) c.dataset = kDatasetIds[datasetIndex];
  if (ok && datasetIndex == kFolderIndex && !folder.isEmpty()) c.dataset = folder.toStdString();
  if (!folder.isEmpty()) folder_->setText(folder);
  if (double lr = 0; parseLearningRate(s.value("learningRate").toString(), &lr)) c.learningRate = lr;
  if (const qulonglong seed = s.value("seed").toString().toULongLong(&ok); ok) c.seed = seed;
  if (s.contains("baselines")) c.baselines = s.value("baselines").toBool();
  if (s.contains("device")) c.device = s.value("device").toString().toStdString();
  if (s.contains("precision")) c.precision = s.value("precision").toString().toStdString();
  // An objective this build does not know keeps the current one; a known one brings its options.
  if (const std::string o = s.value("objective").toString().toStdString();
      findObjective(o) && o != c.objective) {
    c.objective = o;
    c.objectiveOptions = defaultConfig(o).objectiveOptions;
  }
  const QString runs = s.value("runsFolder").toString();
  s.endGroup();
  if (std::isnan(c.learningRate)) c.learningRate = TrainConfig{}.learningRate;
  setConfig(c);
  if (!runs.isEmpty()) setRunsFolder(runs);
}

}  // namespace centroid::ui
