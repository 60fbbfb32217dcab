// Main window: layout, docks and settings; the run's lifecycle (start, stop, open, close, the
// outcome told in the status bar and the banner) and the exports' entry points. The run's
// widgets are RunDisplay's, the menus WindowActions', the thread TrainingThread's.
#include "ui/window/MainWindow.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>

#include "core/runfile/RunFile.h"
#include "core/training/TrainingSession.h"
#include "ui/export/Export.h"
#include "ui/run/LiveRunSource.h"
#include "ui/run/RunModel.h"
#include "ui/run/TrainingThread.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/widgets/MessageBanner.h"
#include "ui/widgets/RunProgress.h"
#include "ui/widgets/RunSummaryPanel.h"
#include "ui/widgets/SettingsPane.h"
#include "ui/widgets/Timeline.h"
#include "ui/window/CompareWindow.h"
#include "ui/window/RecentRuns.h"
#include "ui/window/RunDisplay.h"
#include "ui/window/WindowActions.h"

namespace centroid::ui {

MainWindow::MainWindow(QWidget* parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent),
      options_(options),
      training_(new TrainingThread(this)),
      display_(new RunDisplay(!options.disable3d && VtkOpenGLWidget::openGlAvailable(), this)) {
  registerMetaTypes();
  buildUi();
  actions_ = new WindowActions(this, display_, options_.useSettings);

  connect(training_, &TrainingThread::progress, display_->progress(), &RunProgress::batch);
  connect(training_, &TrainingThread::message, this,
          [this](const QString& text) { statusBar()->showMessage(text); });
  // A diverging run is told, not stopped: the banner stays until dismissed or the next run.
  connect(training_, &TrainingThread::warning, this, [this](const QString& text) {
    display_->banner()->showMessage(MessageBanner::Kind::Warning, text);
  });
  connect(training_, &TrainingThread::finished, this, &MainWindow::onFinished);
  connect(training_, &TrainingThread::failed, this, &MainWindow::onFailed);

  RunModel* model = display_->run();
  connect(model, &RunModel::error, this, &MainWindow::showError);
  connect(display_, &RunDisplay::statusMessage, statusBar(), &QStatusBar::showMessage);
  connect(display_, &RunDisplay::runShown, this, &MainWindow::onRunShown);
  connect(display_, &RunDisplay::epochShown, this, &MainWindow::epochShown);
  connect(display_, &RunDisplay::frameShown, this, &MainWindow::replayFrameShown);
  connect(display_, &RunDisplay::pointSelected, this, &MainWindow::pointSelected);
  connect(display_->timeline(), &Timeline::playingChanged, this, &MainWindow::updateActions);
  connect(model, &RunModel::opened, this, &MainWindow::updateActions);
  connect(model, &RunModel::closed, this, &MainWindow::updateActions);

  connect(controls_, &ControlsPanel::trainRequested, this, qOverload<>(&MainWindow::startTraining));
  connect(controls_, &ControlsPanel::stopRequested, this, &MainWindow::stopTraining);
  connect(controls_, &ControlsPanel::validityChanged, this, &MainWindow::updateActions);
  connect(display_->runSummary(), &RunSummaryPanel::closeRequested, this, &MainWindow::closeRun);
  connect(display_->runSummary(), &RunSummaryPanel::trainWithSettingsRequested, this, [this] {
    const TrainConfig config = run()->config();
    closeRun();
    controls_->setConfig(config);
    statusBar()->showMessage(
        tr("The replayed run's settings are in the controls; press Train to run them again."));
  });

  if (options_.useSettings) restoreSettings();
  updateActions();
  updateTitle();
}

MainWindow::~MainWindow() { training_->shutdown(); }

void MainWindow::buildUi() {
  setObjectName("mainWindow");
  setDockOptions(AnimatedDocks | AllowTabbedDocks);
  setAcceptDrops(true);
  // The settings run the full height on the left; the charts run under the view and the
  // cluster tables, whose epochs they share, and get the width a time axis wants.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
  setCentralWidget(display_->centre());

  auto dock = [this](const QString& title, const char* name, QWidget* content, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);  // saveState() needs names
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                   QDockWidget::DockWidgetClosable);
    addDockWidget(area, d);
    return d;
  };
  controls_ = new ControlsPanel;
  settings_ = new SettingsPane(controls_, display_->runSummary());
  auto* settingsDock = dock(tr("Settings"), "settingsDock", settings_, Qt::LeftDockWidgetArea);
  auto* clustersDock = dock(tr("Clusters"), "clustersDock", display_->purity(), Qt::RightDockWidgetArea);
  auto* chartsDock = dock(tr("Metrics"), "metricsDock", display_->charts(), Qt::BottomDockWidgetArea);
  // Wide enough for the purity table's five columns without a scroll bar.
  resizeDocks({settingsDock, clustersDock}, {settings_->controlsWidth(), 400}, Qt::Horizontal);
  resizeDocks({chartsDock}, {250}, Qt::Vertical);

  statusBar()->addPermanentWidget(display_->progress());
  statusBar()->showMessage(tr("Ready. Choose settings and press Train."));

  // Room for the view between the two docks; never larger than the screen.
  const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
  resize(std::min(1480, avail.width()), std::min(940, avail.height()));
}

CompareWindow* MainWindow::compareWindow() const { return compare_; }
bool MainWindow::isReplaying() const { return run()->isOpen() && !isTraining(); }
QStringList MainWindow::recentRuns() const { return actions_->recent()->paths(); }
QString MainWindow::bannerText() const { return display_->banner()->text(); }
TrainBoth* MainWindow::trainBoth() const { return actions_->trainBoth(); }

void MainWindow::showError(const QString& text) {
  display_->banner()->showMessage(MessageBanner::Kind::Error, text);
  statusBar()->showMessage(text.section('\n', 0, 0));
}

bool MainWindow::startTraining() {
  if (const QString m = controls_->validationMessage(); !m.isEmpty()) {
    showError(tr("Cannot start: %1").arg(m));
    return false;
  }
  return startTraining(controls_->toConfig());
}

bool MainWindow::startTraining(const TrainConfig& config) {
  if (isTraining() || !training_->worker()) return false;
  if (const std::string m = config.validate(); !m.empty()) {
    showError(tr("Cannot start: %1").arg(QString::fromStdString(m)));
    emit runFailed(QString::fromStdString(m));
    emit runEnded(false);
    return false;
  }
  QString path;
  try {
    path = QString::fromStdString(defaultRunPath(config, controls_->runsFolder().toStdString()));
  } catch (const std::exception& e) {  // the runs folder cannot be created
    showError(tr("Cannot create the run file: %1").arg(QString::fromUtf8(e.what())));
    emit runFailed(QString::fromUtf8(e.what()));
    emit runEnded(false);
    return false;
  }
  if (options_.useSettings) saveSettings();  // a crash mid-run still remembers these settings
  if (isReplaying()) closeRun();             // the new run replaces the replayed one on screen

  runPath_ = path;
  display_->beginTraining(config);
  std::unique_ptr<LiveRunSource> source = training_->start(config, path);
  updateActions();  // before the model hears of the run: the display knows it is live
  run()->setSource(std::move(source));
  updateTitle();
  statusBar()->showMessage(tr("Loading %1…").arg(QString::fromStdString(config.dataset)));
  emit runStarted(path);
  return true;
}

void MainWindow::stopTraining() {
  if (!isTraining()) return;
  training_->requestStop();
  actions_->stop()->setEnabled(false);
  controls_->stopButton()->setEnabled(false);
  statusBar()->showMessage(tr("Stopping after the current batch…"));
}

void MainWindow::updateActions() {
  const bool training = isTraining();
  display_->setTraining(training);
  controls_->setRunning(training);
  actions_->update(training, controls_->isValid(), run()->isOpen(), run()->isReady());
}

void MainWindow::updateTitle() {
  const QString file = runPath_.isEmpty() ? QString() : QFileInfo(runPath_).fileName();
  setWindowFilePath(runPath_);
  setWindowTitle(file.isEmpty() ? tr("Centroid") : tr("%1 — Centroid").arg(file));
}

void MainWindow::onFinished(const TrainResult& r) {
  updateActions();
  display_->progress()->end();
  const QString epochs = r.epochsRun == 1 ? tr("1 epoch") : tr("%1 epochs").arg(r.epochsRun);
  const QString best = r.bestEpoch > 0
                           ? tr("best epoch %1 (loss %2)").arg(r.bestEpoch).arg(r.bestLoss, 0, 'g', 4)
                           : tr("no epoch finished");
  const QString file = QFileInfo(runPath_).fileName();
  const QString reason = QString::fromStdString(r.reason);
  switch (r.status) {
    case TrainStatus::Completed:
      statusBar()->showMessage(tr("Completed %1; %2. Saved to %3.").arg(epochs, best, file));
      break;
    case TrainStatus::EarlyStopped:
      statusBar()->showMessage(
          tr("Stopped early after %1 (%2); %3. Saved to %4.").arg(epochs, reason, best, file));
      break;
    case TrainStatus::Cancelled:
      statusBar()->showMessage(
          tr("Stopped after %1; %2. Saved epochs are kept in %3.").arg(epochs, best, file));
      break;
    case TrainStatus::Failed:
      // Data, not a crash: the saved epochs stay in the file and on screen.
      showError(
          r.epochsRun > 0
              ? tr("Training failed: %1\nThe %2 saved before are kept in %3.").arg(reason, epochs, runPath_)
              : tr("Training failed: %1").arg(reason));
      break;
  }
  emit runFinished(r);
  emit runEnded(r.status != TrainStatus::Failed);
}

void MainWindow::onFailed(const QString& message) {
  updateActions();
  display_->progress()->end();
  showError(message);
  emit runFailed(message);
  emit runEnded(false);
}

void MainWindow::resetView() {
  if (view()) view()->resetCamera();
}

void MainWindow::setColorBy(ScatterView::ColorBy mode) {
  (mode == ScatterView::ColorBy::Label ? actions_->colorByLabel() : actions_->colorByCluster())
      ->setChecked(true);
  if (view()) view()->setColorBy(mode);
}

// Exports: each is a unit of the registry (ui/export); the window supplies its run, view and
// itself, and shows the outcome.
ExportJob MainWindow::exportJob() const {
  ExportJob job;
  job.run = display_->run();
  job.view = display_->view();
  job.window = const_cast<MainWindow*>(this);
  return job;
}

bool MainWindow::runExport(const QString& id, const ExportJob& job, const QString& path) {
  const ExportOutcome out = centroid::ui::runExport(id, job, path);
  if (out.ok || out.cancelled) statusBar()->showMessage(out.message);  // a cancel is not an error
  else showError(out.message);
  return out.ok;
}

bool MainWindow::exportMetricsTable(const QString& path) { return runExport("metrics", exportJob(), path); }
bool MainWindow::exportClusterTable(const QString& path) { return runExport("clusters", exportJob(), path); }

bool MainWindow::exportEmbedding(const QString& path, bool allEpochs) {
  ExportJob job = exportJob();
  job.allEpochs = allEpochs;
  return runExport("embedding", job, path);
}

bool MainWindow::exportViewImage(const QString& path, int scale) {
  ExportJob job = exportJob();
  job.scale = scale;
  return runExport("view", job, path);
}

bool MainWindow::exportWindowImage(const QString& path) { return runExport("window", exportJob(), path); }

bool MainWindow::exportAnimation(const QString& path, int fps, int framesPerEpoch, int scale, int firstEpoch,
                                 int lastEpoch, const std::function<bool(int, int)>& progress) {
  if (isTraining()) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its animation."));
    return false;
  }
  display_->timeline()->setPlaying(false);
  ExportJob job = exportJob();
  job.fps = fps;
  job.framesPerEpoch = framesPerEpoch;
  job.scale = scale;
  job.firstEpoch = firstEpoch;
  job.lastEpoch = lastEpoch;
  job.progress = progress;
  return runExport("animation", job, path);
}

bool MainWindow::exportFrames(const QString& dir, int scale, int framesPerEpoch,
                              const std::function<bool(int, int)>& progress) {
  if (isTraining()) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its frames."));
    return false;
  }
  display_->timeline()->setPlaying(false);
  ExportJob job = exportJob();
  job.scale = scale;
  job.framesPerEpoch = framesPerEpoch;
  job.progress = progress;
  return runExport("frames", job, dir);
}

bool MainWindow::openRun(const QString& path) {
  if (isTraining()) {
    showError(tr("Stop the run in progress before opening a saved one."));
    return false;
  }
  display_->timeline()->setPlaying(false);
  if (!run()->open(path)) {
    // What was on screen stays: a bad file must not cost the user the run they were viewing.
    showError(tr("Could not open the run file.\n%1").arg(run()->errorString()));
    return false;
  }
  return true;
}

void MainWindow::onRunShown(const QString& path) {
  runPath_ = path;
  // While training, the controls stay (Stop is there); a saved run shows its settings.
  isTraining() ? settings_->showControls() : settings_->showRun();
  actions_->recent()->remember(path);
  updateTitle();
  updateActions();
  if (!isTraining()) emit runOpened(path);
}

void MainWindow::closeRun() {
  if (!isReplaying()) return;  // a training run stays until it ends
  display_->timeline()->setPlaying(false);
  run()->close();
  display_->clear();
  settings_->showControls();
  runPath_.clear();
  updateTitle();
  updateActions();
  statusBar()->showMessage(tr("Ready. Choose settings and press Train."));
}

CompareWindow* MainWindow::compareWith(const QString& path) {
  // A run still training opens there as a file being written: it grows on its side too.
  const QString first = run()->isReady() ? run()->path() : runPath_;
  if (first.isEmpty()) {
    showError(tr("Open a run first: Compare puts another run beside the one on screen."));
    return nullptr;
  }
  return compareRuns(first, path);
}

CompareWindow* MainWindow::compareRuns(const QString& first, const QString& path) {
  auto* window = new CompareWindow(this);
  if (!window->open(first, path)) {
    showError(tr("Could not compare the runs.\n%1").arg(window->errorString()));
    delete window;
    return nullptr;
  }
  if (compare_) compare_->close();
  compare_ = window;
  if (view()) window->setColorBy(view()->colorBy());
  window->show();
  return window;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  // Any local file is accepted: a wrong one is better answered by the reader's message than
  // by a drop the window silently refuses.
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!isTraining() && urls.size() == 1 && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.first().isLocalFile()) return;
  event->acceptProposedAction();
  openRun(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (isTraining()) statusBar()->showMessage(tr("Stopping the run and closing the run file…"));
  if (options_.useSettings) saveSettings();
  training_->shutdown();
  event->accept();
}

void MainWindow::saveSettings() {
  QSettings s;
  controls_->save(s);
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  s.setValue("view/colorBy", actions_->colorByCluster()->isChecked() ? "cluster" : "label");
  s.setValue("view/animate", actions_->animate()->isChecked());
}

void MainWindow::restoreSettings() {
  QSettings s;
  controls_->restore(s);
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  setColorBy(s.value("view/colorBy").toString() == "cluster" ? ScatterView::ColorBy::Cluster
                                                             : ScatterView::ColorBy::Label);
  actions_->animate()->setChecked(s.value("view/animate", true).toBool());
}

}  // namespace centroid::ui
