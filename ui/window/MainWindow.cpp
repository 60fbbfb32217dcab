// Main window: layout, the training thread, and the run lifecycle (start, per-epoch updates,
// stop, errors). Menus and toolbar live in MainWindowActions.cpp.
#include "ui/window/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>

#include "core/objectives/Objectives.h"
#include "core/runfile/RunFile.h"
#include "core/training/TrainingSession.h"
#include "ui/widgets/ClassFilter.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/widgets/MainWindowWidgets.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/models/MetricsTableModel.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/export/Export.h"
#include "ui/run/LiveRunSource.h"
#include "ui/run/RunModel.h"
#include "ui/run/TrainWorker.h"
#include "ui/widgets/Timeline.h"

namespace centroid::ui {

bool MainWindow::openGlAvailable() {
  // Qt 6.4's QOpenGLWidget crashes on these platforms even when a context can be created.
  const QString platform = QGuiApplication::platformName();
  if (platform == "offscreen" || platform == "minimal" || platform == "minimalegl") return false;
  if (qEnvironmentVariableIsSet("CENTROID_NO_3D")) return false;
  QOpenGLContext context;
  context.setFormat(QSurfaceFormat::defaultFormat());
  if (!context.create()) return false;
  QOffscreenSurface surface;
  surface.setFormat(context.format());
  surface.create();
  const bool ok = surface.isValid() && context.makeCurrent(&surface);
  if (ok) context.doneCurrent();
  return ok;
}

MainWindow::MainWindow(QWidget* parent) : MainWindow(Options{}, parent) {}

MainWindow::MainWindow(const Options& options, QWidget* parent) : QMainWindow(parent), options_(options) {
  registerMetaTypes();
  buildUi(options);
  createActions();

  worker_ = new TrainWorker;  // no parent: it moves to thread_
  worker_->moveToThread(&thread_);
  thread_.setObjectName("centroid-train");
  const auto q = Qt::QueuedConnection;
  connect(worker_, &TrainWorker::progress, this, &MainWindow::onProgress, q);
  connect(worker_, &TrainWorker::message, this, &MainWindow::onMessage, q);
  // A diverging run is told, not stopped: the banner stays until dismissed or the next run.
  connect(
      worker_, &TrainWorker::warning, this,
      [this](quint64 id, const QString& text) {
        if (isCurrent(id)) banner_->showMessage(MessageBanner::Kind::Warning, text);
      },
      q);
  connect(worker_, &TrainWorker::finished, this, &MainWindow::onFinished, q);
  connect(worker_, &TrainWorker::failed, this, &MainWindow::onFailed, q);
  thread_.start();

  connect(controls_, &ControlsPanel::trainRequested, this, qOverload<>(&MainWindow::startTraining));
  connect(controls_, &ControlsPanel::stopRequested, this, &MainWindow::stopTraining);
  connect(controls_, &ControlsPanel::validityChanged, this, [this] { setTraining(training_); });

  if (options_.useSettings) restoreSettings();
  setTraining(false);
  updateTitle();
}

MainWindow::~MainWindow() { stopWorkerThread(); }

void MainWindow::buildUi(const Options& options) {
  setObjectName("mainWindow");
  setDockOptions(AnimatedDocks | AllowTabbedDocks);
  // The settings run the full height on the left; the charts run under the view and the
  // cluster tables, whose epochs they share, and get the width a time axis wants.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);

  auto* centre = new QWidget;
  auto* v = new QVBoxLayout(centre);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(0);
  banner_ = new MessageBanner;
  v->addWidget(banner_);
  if (!options.disable3d && openGlAvailable()) {
    view_ = new ScatterView;
    view_->setMinimumSize(320, 240);
    v->addWidget(view_, 1);
  } else {
    // Training, charts and tables all work without OpenGL; only the 3-D view is missing.
    placeholder_ =
        new QLabel(tr("The 3-D view needs OpenGL 3.2, which this display does not "
                      "offer.\nTraining, charts and tables work as usual."));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setStyleSheet("color: palette(mid); font-size: 13pt;");
    v->addWidget(placeholder_, 1);
  }
  setCentralWidget(centre);

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
  auto* scroll = new QScrollArea;  // small screens: the form scrolls instead of clipping
  scroll->setWidget(controls_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(controls_->sizeHint().width() + 12);
  auto* settingsDock = dock(tr("Settings"), "settingsDock", settingsPane(scroll), Qt::LeftDockWidgetArea);

  purity_ = new PurityPanel;
  auto* clustersDock = dock(tr("Clusters"), "clustersDock", purity_, Qt::RightDockWidgetArea);
  charts_ = new MetricsCharts;
  charts_->setMinimumHeight(200);
  auto* chartsDock = dock(tr("Metrics"), "metricsDock", charts_, Qt::BottomDockWidgetArea);
  // Wide enough for the purity table's five columns without a scroll bar.
  resizeDocks({settingsDock, clustersDock}, {scroll->minimumWidth(), 400}, Qt::Horizontal);
  resizeDocks({chartsDock}, {250}, Qt::Vertical);

  buildReplayUi(v);  // class filter, timeline, hover popup (MainWindowReplay.cpp)

  progress_ = new RunProgress;
  statusBar()->addPermanentWidget(progress_);
  statusBar()->showMessage(tr("Ready. Choose settings and press Train."));

  // Room for the view between the two docks; never larger than the screen.
  const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
  resize(std::min(1480, avail.width()), std::min(940, avail.height()));
}

QString MainWindow::bannerText() const { return banner_->text(); }

void MainWindow::showMethod(const std::string& objective) {
  const QString method = QString::fromStdString(methodLabel(objective));
  charts_->setLossTitle(method);
  purity_->metricsModel()->setMethod(method);
}

void MainWindow::showError(const QString& text) {
  banner_->showMessage(MessageBanner::Kind::Error, text);
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
  if (training_ || !worker_) return false;
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

  banner_->dismiss();
  epochsShown_ = 0;
  slowestEpochUpdateMs_ = 0;
  runPath_ = path;
  charts_->clear();
  purity_->clear();
  showMethod(config.objective);
  if (view_) view_->clear();
  progress_->begin(config.maxEpochs);
  // The source listens before the run starts; its id is set before any queued signal of the
  // run can be delivered (they wait for this GUI-thread call to return).
  auto source = std::make_unique<LiveRunSource>(worker_, config, path);
  LiveRunSource* live = source.get();
  setTraining(true);  // before the model hears of the run: the window knows it is live
  currentRun_ = worker_->start(config, path);
  live->setRunId(currentRun_);
  run_->setSource(std::move(source));
  updateTitle();
  statusBar()->showMessage(tr("Loading %1…").arg(QString::fromStdString(config.dataset)));
  emit runStarted(path);
  return true;
}

void MainWindow::stopTraining() {
  if (!training_) return;
  worker_->requestStop();
  stopAction_->setEnabled(false);
  controls_->stopButton()->setEnabled(false);
  statusBar()->showMessage(tr("Stopping after the current batch…"));
}

void MainWindow::setTraining(bool training) {
  training_ = training;
  controls_->setRunning(training);
  trainAction_->setEnabled(!training && controls_->isValid());
  stopAction_->setEnabled(training);
  updateReplayActions();  // no opening or comparing runs while one trains
}

void MainWindow::updateTitle() {
  const QString file = runPath_.isEmpty() ? QString() : QFileInfo(runPath_).fileName();
  setWindowFilePath(runPath_);
  setWindowTitle(file.isEmpty() ? tr("Centroid") : tr("%1 — Centroid").arg(file));
}

void MainWindow::onProgress(quint64 id, const BatchProgress& p) {
  if (isCurrent(id)) progress_->batch(p);
}

void MainWindow::onMessage(quint64 id, const QString& text) {
  if (isCurrent(id)) statusBar()->showMessage(text);
}

void MainWindow::onFinished(quint64 id, const TrainResult& r) {
  if (!isCurrent(id)) return;
  setTraining(false);
  progress_->end();
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

void MainWindow::onFailed(quint64 id, const QString& message) {
  if (!isCurrent(id)) return;
  setTraining(false);
  progress_->end();
  showError(message);
  emit runFailed(message);
  emit runEnded(false);
}

void MainWindow::resetView() {
  if (view_) view_->resetCamera();
}

void MainWindow::setColorBy(ScatterView::ColorBy mode) {
  (mode == ScatterView::ColorBy::Label ? colorByLabel_ : colorByCluster_)->setChecked(true);
  if (view_) view_->setColorBy(mode);
}

// Exports: each is a unit of the registry (ui/export); the window supplies its run, view and
// itself, and shows the outcome.
ExportJob MainWindow::exportJob() const {
  ExportJob job;
  job.run = run_;
  job.view = view_;
  job.window = const_cast<MainWindow*>(this);
  return job;
}

bool MainWindow::runExport(const QString& id, const ExportJob& job, const QString& path) {
  const ExportOutcome out = centroid::ui::runExport(id, job, path);
  if (out.ok) statusBar()->showMessage(out.message);
  else if (out.cancelled) statusBar()->showMessage(out.message);
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
  if (training_) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its animation."));
    return false;
  }
  timeline_->setPlaying(false);
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
  if (training_) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its frames."));
    return false;
  }
  timeline_->setPlaying(false);
  ExportJob job = exportJob();
  job.scale = scale;
  job.framesPerEpoch = framesPerEpoch;
  job.progress = progress;
  return runExport("frames", job, dir);
}

void MainWindow::stopWorkerThread() {
  if (!worker_) return;
  // The trainer reads the flag every batch and closes the run file (status "cancelled")
  // before returning; quit() takes effect once the run's slot returns, and wait() makes
  // sure the file is closed before the process can exit.
  worker_->requestStop();
  thread_.quit();
  thread_.wait();
  delete worker_;  // its thread has ended: deleting it from here is safe
  worker_ = nullptr;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (training_) statusBar()->showMessage(tr("Stopping the run and closing the run file…"));
  if (options_.useSettings) saveSettings();
  stopWorkerThread();
  training_ = false;
  event->accept();
}

void MainWindow::saveSettings() {
  QSettings s;
  controls_->save(s);
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  s.setValue("view/colorBy", colorByCluster_->isChecked() ? "cluster" : "label");
  s.setValue("view/animate", animateAction_->isChecked());
}

void MainWindow::restoreSettings() {
  QSettings s;
  controls_->restore(s);
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  setColorBy(s.value("view/colorBy").toString() == "cluster" ? ScatterView::ColorBy::Cluster
                                                             : ScatterView::ColorBy::Label);
  animateAction_->setChecked(s.value("view/animate", true).toBool());
}

}  // namespace centroid::ui
