// Main window, replay: opening saved runs (menu, recent list, drag and drop), the timeline, the
// class filter, hover and click on points. The reading itself is RunModel's.
#include <QAction>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/widgets/ClassFilter.h"
#include "ui/window/CompareWindow.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/FocusKeys.h"
#include "ui/window/MainWindow.h"
#include "ui/widgets/MainWindowWidgets.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/widgets/PointInspector.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/run/FileRunSource.h"
#include "ui/run/LiveRunSource.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/RunSummaryPanel.h"
#include "ui/widgets/Timeline.h"

namespace centroid::ui {
namespace {

constexpr int kRecentRuns = 8;
const char* const kRecentKey = "replay/recent";

std::vector<int> epochNumbers(const std::vector<EpochSummary>& summaries) {
  std::vector<int> out;
  out.reserve(summaries.size());
  for (const EpochSummary& s : summaries) out.push_back(s.epoch);
  return out;
}

}  // namespace

bool MainWindow::isReplaying() const { return run_ && run_->isOpen() && !training_; }
CompareWindow* MainWindow::compareWindow() const { return compare_; }

void MainWindow::buildReplayUi(QVBoxLayout* centre) {
  run_ = new RunModel(this);
  classFilter_ = new ClassFilter;
  timeline_ = new Timeline;
  timeline_->setVisible(false);
  centre->addWidget(classFilter_);
  centre->addWidget(timeline_);
  inspector_ = new PointInspector(this);
  inspector_->hide();
  setAcceptDrops(true);
  if (view_) liveTransitionMs_ = view_->transitionMs();
  if (options_.useSettings) recentRuns_ = QSettings().value(kRecentKey).toStringList();

  connect(run_, &RunModel::opened, this, &MainWindow::onRunOpened);
  connect(run_, &RunModel::currentChanged, this, &MainWindow::onFrame);
  connect(run_, &RunModel::epochsAppended, this, &MainWindow::onEpochsAppended);
  connect(run_, &RunModel::followingChanged, this, &MainWindow::onFollowingChanged);
  connect(run_, &RunModel::error, this, &MainWindow::showError);
  connect(timeline_, &Timeline::indexRequested, this,
          [this](int index, bool animate) { run_->setCurrentIndex(index, animate); });
  connect(timeline_, &Timeline::playingChanged, this, [this] { updateReplayActions(); });
  connect(charts_, &MetricsCharts::epochClicked, this, [this](int epoch) {
    if (const int i = run_->indexOfEpoch(epoch); i >= 0) run_->setCurrentIndex(i, false);
  });
  if (view_) {
    connect(classFilter_, &ClassFilter::classVisibilityChanged, view_, &ScatterView::setClassVisible);
    connect(view_, &ScatterView::pointHovered, this, &MainWindow::showHover);
    connect(view_, &ScatterView::pointClicked, this, &MainWindow::selectPoint);
  }
}

QWidget* MainWindow::settingsPane(QWidget* controls) {
  settingsStack_ = new QStackedWidget;
  settingsStack_->addWidget(controls);
  runSummary_ = new RunSummaryPanel;
  auto* scroll = new QScrollArea;
  scroll->setWidget(runSummary_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  settingsStack_->addWidget(scroll);
  connect(runSummary_, &RunSummaryPanel::closeRequested, this, &MainWindow::closeRun);
  connect(runSummary_, &RunSummaryPanel::trainWithSettingsRequested, this, [this] {
    const TrainConfig config = run_->config();
    closeRun();
    controls_->setConfig(config);
    statusBar()->showMessage(
        tr("The replayed run's settings are in the controls; press Train to run them again."));
  });
  return settingsStack_;
}

void MainWindow::addOpenActions(QMenu* file) {
  auto* open = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Run…"), this);
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(tr("Replay a saved run file (.h5), or follow one that is still being written (Ctrl+O)"));
  connect(open, &QAction::triggered, this, &MainWindow::openDialog);
  file->addAction(open);
  openAction_ = open;
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();  // so the menu is enabled (or not) before it is first shown
  auto* compare = new QAction(tr("Co&mpare With…"), this);
  compare->setToolTip(tr("Show this run and another side by side, on one timeline"));
  connect(compare, &QAction::triggered, this, &MainWindow::compareDialog);
  file->addAction(compare);
  needsRunActions_ << compare;
  auto* close = new QAction(tr("&Close Run"), this);
  close->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
  close->setToolTip(tr("Leave the replay and return to the training controls (Ctrl+W)"));
  connect(close, &QAction::triggered, this, &MainWindow::closeRun);
  file->addAction(close);
  replayActions_ << close;
}

void MainWindow::addReplayMenu() {
  QMenu* menu = new QMenu(tr("&Replay"), this);
  menuBar()->insertMenu(viewMenu_->menuAction(), menu);
  // Window-wide shortcuts, so ← → and Space work wherever the focus is in the window, except
  // in widgets that use those keys themselves: text fields, tables, buttons (FocusKeys).
  new FocusKeys(this);
  auto add = [&](const QString& text, const QKeySequence& key, auto slot) {
    auto* a = new QAction(text, this);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, slot);
    menu->addAction(a);
    addAction(a);  // shortcuts work while the menu bar is hidden too
    replayActions_ << a;
    return a;
  };
  add(tr("&Play / Pause"), QKeySequence(Qt::Key_Space), [this] {
    timeline_->togglePlaying();
  })->setObjectName("playPause");
  add(tr("&Previous Epoch"), QKeySequence(Qt::Key_Left), [this] {
    timeline_->step(-1);
  })->setObjectName("stepBack");
  add(tr("&Next Epoch"), QKeySequence(Qt::Key_Right), [this] {
    timeline_->step(1);
  })->setObjectName("stepForward");
  add(tr("&First Epoch"), QKeySequence(Qt::Key_Home), [this] { run_->setCurrentIndex(0); });
  add(tr("&Last Epoch"), QKeySequence(Qt::Key_End),
      [this] { run_->setCurrentIndex(run_->epochCount() - 1); });
  updateReplayActions();
}

void MainWindow::updateReplayActions() {
  // The timeline's actions work on any run on screen, a training one included.
  const bool replaying = run_->isOpen();
  for (QAction* a : replayActions_) a->setEnabled(replaying);
  // A training run can be exported and compared as it grows (its frames wait for its end).
  for (QAction* a : needsRunActions_) a->setEnabled(run_->isReady());
  // Opening a run replaces what is on screen: not while a run trains into it.
  if (openAction_) openAction_->setEnabled(!training_);
  if (recentMenu_) recentMenu_->setEnabled(!training_ && !recentRuns_.isEmpty());
}

bool MainWindow::openRun(const QString& path) {
  if (training_) {
    showError(tr("Stop the run in progress before opening a saved one."));
    return false;
  }
  timeline_->setPlaying(false);
  if (!run_->open(path)) {
    // What was on screen stays: a bad file must not cost the user the run they were viewing.
    showError(tr("Could not open the run file.\n%1").arg(run_->errorString()));
    return false;
  }
  return true;
}

void MainWindow::onRunOpened() {
  // A training's run is opened when its data has loaded; a file's at once. Both show the same.
  const bool live = training_;
  if (!live) banner_->dismiss();
  viewSet_ = run_->viewSet();
  lastFrame_.reset();
  selectedPoint_ = -1;
  runPath_ = run_->path();
  epochsShown_ = 0;
  inspector_->hide();
  if (!live) progress_->end();
  if (view_) view_->setLabels(viewSet_->labels, viewSet_->classNames);
  classFilter_->setClassNames(viewSet_->classNames);
  purity_->clear();
  purity_->setClassNames(viewSet_->classNames);
  purity_->setBaselines(run_->baselines());
  charts_->clear();
  showMethod(run_->config().objective);
  charts_->setBaselines(run_->baselines());
  charts_->setEpochs(run_->summaries());
  timeline_->setEpochs(epochNumbers(run_->summaries()));
  timeline_->setLive(false);
  timeline_->setVisible(true);
  runSummary_->setRun(runPath_, run_->config(), run_->attributes());
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), run_->epochCount());
  // While training, the controls stay (Stop is there); a saved run shows its settings.
  settingsStack_->setCurrentIndex(live ? 0 : 1);
  rememberRun(runPath_);
  updateTitle();
  updateReplayActions();
  if (live) {
    statusBar()->showMessage(
        tr("Training on %1 points shown… first epoch under way").arg(viewSet_->labels.size()));
    return;
  }
  if (auto* file = dynamic_cast<FileRunSource*>(run_->source()); file && file->writerGone())
    banner_->showMessage(MessageBanner::Kind::Info,
                         tr("This run's writer stopped without closing the file (it was killed or crashed): "
                            "its %1 saved epochs are all here. centroid-train --repair \"%2\" closes it, so "
                            "that other HDF5 tools open it too.")
                             .arg(run_->epochCount())
                             .arg(QDir::toNativeSeparators(runPath_)));
  else if (run_->epochCount() == 0)
    banner_->showMessage(MessageBanner::Kind::Info, tr("No epoch is saved in this run yet."));
  statusBar()->showMessage(tr("Opened %1: %2 epochs of %3 points.")
                               .arg(QFileInfo(runPath_).fileName())
                               .arg(run_->epochCount())
                               .arg(viewSet_->labels.size()));
  emit runOpened(runPath_);
}

void MainWindow::closeRun() {
  if (!isReplaying()) return;  // a training run stays until it ends
  timeline_->setPlaying(false);
  run_->close();
  timeline_->setEpochs({});
  timeline_->setVisible(false);
  settingsStack_->setCurrentIndex(0);
  inspector_->hide();
  if (view_) {
    view_->setTransitionMs(liveTransitionMs_);
    view_->clear();
  }
  charts_->clear();
  purity_->clear();
  banner_->dismiss();
  lastFrame_.reset();
  viewSet_.reset();
  runPath_.clear();
  selectedPoint_ = -1;
  updateTitle();
  updateReplayActions();
  statusBar()->showMessage(tr("Ready. Choose settings and press Train."));
}

void MainWindow::onFrame(int index, const EpochFramePtr& frame, bool animate) {
  QElapsedTimer clock;
  clock.start();
  lastFrame_ = frame;
  ++epochsShown_;
  inspector_->hide();  // the point under the cursor has moved
  const bool newest = training_ && index == run_->epochCount() - 1;
  if (view_) {
    // Playback at 4x leaves 250 ms per epoch: the glide must end before the next one starts.
    // A training's new epoch glides as long as the view's own transition.
    view_->setTransitionMs(newest ? liveTransitionMs_ : timeline_->transitionMs());
    view_->setFrame(*frame, animate && animateAction_->isChecked());
  }
  charts_->setCurrentEpoch(frame->epoch);
  if (viewSet_) purity_->setFrame(*frame, viewSet_->labels);
  timeline_->setCurrentIndex(index);
  const Metrics& m = frame->metrics;
  statusBar()->showMessage(tr("Epoch %1 (%2 of %3): loss %4, NMI %5, accuracy %6")
                               .arg(frame->epoch)
                               .arg(index + 1)
                               .arg(run_->epochCount())
                               .arg(frame->loss, 0, 'g', 4)
                               .arg(m.nmi, 0, 'f', 3)
                               .arg(m.accuracy, 0, 'f', 3));
  if (newest) {
    slowestEpochUpdateMs_ = std::max(slowestEpochUpdateMs_, clock.nsecsElapsed() / 1e6);
    emit epochShown(frame->epoch);
  }
  emit replayFrameShown(frame->epoch);
}

void MainWindow::onEpochsAppended(int count) {
  const auto& all = run_->summaries();
  // Charts take only the new epochs: appending keeps their axes steady while a run grows.
  for (int i = charts_->epochCount(); i < count; ++i) charts_->appendEpoch(all[static_cast<std::size_t>(i)]);
  timeline_->setEpochs(epochNumbers(all));
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), count);
  if (training_ && count > 0) progress_->epochDone(all.back().epoch);
  if (banner_->kind() == MessageBanner::Kind::Info) banner_->dismiss();
}

void MainWindow::onFollowingChanged(bool following) {
  timeline_->setLive(following);
  if (!run_->isOpen()) return;
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), run_->epochCount());
  // A training's start and end are told by the worker's own messages (onFinished).
  if (dynamic_cast<LiveRunSource*>(run_->source())) return;
  statusBar()->showMessage(following ? tr("Following %1 as it trains.").arg(QFileInfo(runPath_).fileName())
                                     : tr("The run stopped being written (%1).").arg(run_->status()));
}

void MainWindow::showHover(int index) {
  if (index < 0 || !lastFrame_ || !viewSet_ || !view_) {
    inspector_->hide();
    return;
  }
  PointInfo info = PointInfo::describe(index, *lastFrame_, *viewSet_);
  if (info.index < 0) {
    inspector_->hide();
    return;
  }
  if (info.image.isNull()) {  // a saved run reads the one image it shows
    QString error;
    const std::vector<std::uint8_t> pixels = run_->viewImage(index, &error);
    info.setImage(pixels.data(), pixels.size(), viewSet_->width, viewSet_->height);
    // A damaged thumbnail leaves the popup without its image; the rest of the run is fine.
    if (!error.isEmpty())
      statusBar()->showMessage(tr("The digit's image cannot be read: %1").arg(error), 8000);
  }
  inspector_->showPoint(info, view_->mapToGlobal(view_->projectedPoint(index).toPoint()));
}

void MainWindow::selectPoint(int index) {
  if (!lastFrame_ || !viewSet_) return;
  const PointInfo info = PointInfo::describe(index, *lastFrame_, *viewSet_);
  if (info.index < 0) return;
  selectedPoint_ = index;
  statusBar()->showMessage(tr("Selected: %1").arg(info.summary()));
  emit pointSelected(index);
}

void MainWindow::rememberRun(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recentRuns_.removeAll(absolute);
  recentRuns_.prepend(absolute);
  while (recentRuns_.size() > kRecentRuns) recentRuns_.removeLast();
  if (options_.useSettings) QSettings().setValue(kRecentKey, recentRuns_);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  for (int i = 0; i < recentRuns_.size(); ++i) {
    const QString path = recentRuns_[i];
    QAction* a = recentMenu_->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
    a->setToolTip(path);
    a->setStatusTip(path);
    a->setData(path);
    connect(a, &QAction::triggered, this, [this, path] { openRun(path); });
  }
  if (!recentRuns_.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("&Clear Menu"), this, [this] {
      recentRuns_.clear();
      if (options_.useSettings) QSettings().remove(kRecentKey);
      rebuildRecentMenu();
    });
  }
  recentMenu_->setEnabled(!training_ && !recentRuns_.isEmpty());
}

void MainWindow::openDialog() {
  const QString start =
      recentRuns_.isEmpty() ? controls_->runsFolder() : QFileInfo(recentRuns_.first()).path();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Run"), start,
                                                    tr("Centroid runs (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) openRun(path);
}

void MainWindow::compareDialog() {
  const QString start = QFileInfo(runPath_).path();
  const QString path = QFileDialog::getOpenFileName(this, tr("Compare With"), start,
                                                    tr("Centroid runs (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) compareWith(path);
}

CompareWindow* MainWindow::compareWith(const QString& path) {
  // A run still training opens there as a file being written: it grows on its side too.
  const QString first = run_->isReady() ? run_->path() : runPath_;
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
  if (view_) window->setColorBy(view_->colorBy());
  window->show();
  return window;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  // Any local file is accepted: a wrong one is better answered by the reader's message than
  // by a drop the window silently refuses.
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!training_ && urls.size() == 1 && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.first().isLocalFile()) return;
  event->acceptProposedAction();
  openRun(urls.first().toLocalFile());
}

}  // namespace centroid::ui
