// The widgets of one run, in step with its RunModel (see RunDisplay.h).
#include "ui/window/RunDisplay.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QVBoxLayout>

#include "core/objectives/Objectives.h"
#include "ui/models/MetricsTableModel.h"
#include "ui/run/FileRunSource.h"
#include "ui/run/LiveRunSource.h"
#include "ui/run/RunModel.h"
#include "ui/view/ScatterView.h"
#include "ui/widgets/ClassFilter.h"
#include "ui/widgets/MessageBanner.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/widgets/PointInspector.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/widgets/RunProgress.h"
#include "ui/widgets/RunSummaryPanel.h"
#include "ui/widgets/Timeline.h"

namespace centroid::ui {
namespace {

std::vector<int> epochNumbers(const std::vector<EpochSummary>& summaries) {
  std::vector<int> out;
  out.reserve(summaries.size());
  for (const EpochSummary& s : summaries) out.push_back(s.epoch);
  return out;
}

}  // namespace

RunDisplay::RunDisplay(bool with3d, QWidget* window)
    : QObject(window),
      run_(new RunModel(this)),
      centre_(new QWidget),
      banner_(new MessageBanner),
      classFilter_(new ClassFilter),
      timeline_(new Timeline),
      charts_(new MetricsCharts),
      purity_(new PurityPanel),
      runSummary_(new RunSummaryPanel),
      progress_(new RunProgress),
      inspector_(new PointInspector(window)) {
  auto* v = new QVBoxLayout(centre_);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(0);
  v->addWidget(banner_);
  if (with3d) {
    view_ = new ScatterView;
    view_->setMinimumSize(320, 240);
    v->addWidget(view_, 1);
    liveTransitionMs_ = view_->transitionMs();
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
  v->addWidget(classFilter_);
  v->addWidget(timeline_);
  timeline_->setVisible(false);
  inspector_->hide();
  charts_->setMinimumHeight(200);

  connect(run_, &RunModel::opened, this, &RunDisplay::onOpened);
  connect(run_, &RunModel::currentChanged, this, &RunDisplay::onFrame);
  connect(run_, &RunModel::epochsAppended, this, &RunDisplay::onEpochsAppended);
  connect(run_, &RunModel::followingChanged, this, &RunDisplay::onFollowingChanged);
  connect(timeline_, &Timeline::indexRequested, this,
          [this](int index, bool animate) { run_->setCurrentIndex(index, animate); });
  connect(charts_, &MetricsCharts::epochClicked, this, [this](int epoch) {
    if (const int i = run_->indexOfEpoch(epoch); i >= 0) run_->setCurrentIndex(i, false);
  });
  if (view_) {
    connect(classFilter_, &ClassFilter::classVisibilityChanged, view_, &ScatterView::setClassVisible);
    connect(view_, &ScatterView::pointHovered, this, &RunDisplay::showHover);
    connect(view_, &ScatterView::pointClicked, this, &RunDisplay::selectPoint);
  }
}

RunDisplay::~RunDisplay() = default;

void RunDisplay::showMethod(const std::string& objective) {
  const QString method = QString::fromStdString(methodLabel(objective));
  charts_->setLossTitle(method);
  purity_->metricsModel()->setMethod(method);
}

void RunDisplay::beginTraining(const TrainConfig& config) {
  banner_->dismiss();
  epochsShown_ = 0;
  slowestEpochUpdateMs_ = 0;
  charts_->clear();
  purity_->clear();
  showMethod(config.objective);
  if (view_) view_->clear();
  progress_->begin(config.maxEpochs);
}

void RunDisplay::clear() {
  timeline_->setPlaying(false);
  timeline_->setEpochs({});
  timeline_->setVisible(false);
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
  selectedPoint_ = -1;
}

void RunDisplay::onOpened() {
  // A training's run is opened when its data has loaded; a file's at once. Both show the same.
  const bool live = training_;
  if (!live) banner_->dismiss();
  viewSet_ = run_->viewSet();
  lastFrame_.reset();
  selectedPoint_ = -1;
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
  const QString path = run_->path();
  runSummary_->setRun(path, run_->config(), run_->attributes());
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), run_->epochCount());
  if (live) {
    emit statusMessage(tr("Training on %1 points shown… first epoch under way").arg(viewSet_->labels.size()));
    emit runShown(path);
    return;
  }
  if (auto* file = dynamic_cast<FileRunSource*>(run_->source()); file && file->writerGone())
    banner_->showMessage(MessageBanner::Kind::Info,
                         tr("This run's writer stopped without closing the file (it was killed or crashed): "
                            "its %1 saved epochs are all here. centroid-train --repair \"%2\" closes it, so "
                            "that other HDF5 tools open it too.")
                             .arg(run_->epochCount())
                             .arg(QDir::toNativeSeparators(path)));
  else if (run_->epochCount() == 0)
    banner_->showMessage(MessageBanner::Kind::Info, tr("No epoch is saved in this run yet."));
  emit statusMessage(tr("Opened %1: %2 epochs of %3 points.")
                         .arg(QFileInfo(path).fileName())
                         .arg(run_->epochCount())
                         .arg(viewSet_->labels.size()));
  emit runShown(path);
}

void RunDisplay::onFrame(int index, const EpochFramePtr& frame, bool animate) {
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
    view_->setFrame(*frame, animate && animate_);
  }
  charts_->setCurrentEpoch(frame->epoch);
  if (viewSet_) purity_->setFrame(*frame, viewSet_->labels);
  timeline_->setCurrentIndex(index);
  const Metrics& m = frame->metrics;
  emit statusMessage(tr("Epoch %1 (%2 of %3): loss %4, NMI %5, accuracy %6")
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
  emit frameShown(frame->epoch);
}

void RunDisplay::onEpochsAppended(int count) {
  const auto& all = run_->summaries();
  // Charts take only the new epochs: appending keeps their axes steady while a run grows.
  for (int i = charts_->epochCount(); i < count; ++i) charts_->appendEpoch(all[static_cast<std::size_t>(i)]);
  timeline_->setEpochs(epochNumbers(all));
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), count);
  if (training_ && count > 0) progress_->epochDone(all.back().epoch);
  if (banner_->kind() == MessageBanner::Kind::Info) banner_->dismiss();
}

void RunDisplay::onFollowingChanged(bool following) {
  timeline_->setLive(following);
  if (!run_->isOpen()) return;
  runSummary_->setState(run_->status(), run_->statusReason(), run_->bestEpoch(), run_->epochCount());
  // A training's start and end are told by the worker's own messages (the window's).
  if (dynamic_cast<LiveRunSource*>(run_->source())) return;
  emit statusMessage(following ? tr("Following %1 as it trains.").arg(QFileInfo(run_->path()).fileName())
                               : tr("The run stopped being written (%1).").arg(run_->status()));
}

void RunDisplay::showHover(int index) {
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
    if (!error.isEmpty()) emit statusMessage(tr("The digit's image cannot be read: %1").arg(error), 8000);
  }
  inspector_->showPoint(info, view_->mapToGlobal(view_->projectedPoint(index).toPoint()));
}

void RunDisplay::selectPoint(int index) {
  if (!lastFrame_ || !viewSet_) return;
  const PointInfo info = PointInfo::describe(index, *lastFrame_, *viewSet_);
  if (info.index < 0) return;
  selectedPoint_ = index;
  emit statusMessage(tr("Selected: %1").arg(info.summary()));
  emit pointSelected(index);
}

}  // namespace centroid::ui
