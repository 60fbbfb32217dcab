// Side-by-side comparison of two runs on a shared timeline.
#include "ui/window/CompareWindow.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

#include "ui/window/MainWindow.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/Timeline.h"

namespace centroid::ui {

CompareWindow::CompareWindow(QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName("compareWindow");
  setAttribute(Qt::WA_DeleteOnClose);
  setWindowTitle(tr("Compare Runs — Centroid"));
  auto* grid = new QGridLayout;
  grid->setSpacing(4);
  const bool gl = ScatterView::openGlAvailable();
  for (int s = 0; s < 2; ++s) {
    Side& side = sides_[static_cast<std::size_t>(s)];
    side.run = new RunModel(this);
    side.caption = new QLabel;
    side.caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(side.caption, 0, s);
    if (gl) {
      side.view = new ScatterView;
      side.view->setMinimumSize(320, 260);
      grid->addWidget(side.view, 1, s);
    } else {
      auto* none = new QLabel(tr("The 3-D view needs OpenGL 3.2."));
      none->setAlignment(Qt::AlignCenter);
      grid->addWidget(none, 1, s);
    }
    grid->setColumnStretch(s, 1);
    connect(side.run, &RunModel::currentChanged, this,
            [this, s](int, const EpochFramePtr& frame, bool animate) {
              Side& sd = sides_[static_cast<std::size_t>(s)];
              if (sd.view) {
                sd.view->setTransitionMs(timeline_->transitionMs());
                sd.view->setFrame(*frame, animate);
              }
              sd.caption->setText(caption(s));
            });
    // Labels before the first frame: setLabels clears the view (opened comes before it).
    connect(side.run, &RunModel::opened, this, [this, s] {
      Side& sd = sides_[static_cast<std::size_t>(s)];
      if (sd.view) sd.view->setLabels(sd.run->viewSet()->labels, sd.run->viewSet()->classNames);
    });
    // A followed run that grows extends the shared timeline.
    connect(side.run, &RunModel::epochsAppended, this, [this] { rebuildEpochs(); });
  }
  grid->setRowStretch(1, 1);
  timeline_ = new Timeline;
  connect(timeline_, &Timeline::indexRequested, this, &CompareWindow::showIndex);
  auto* reset = new QToolButton;
  reset->setText(tr("Reset Views"));
  reset->setToolTip(tr("Both views frame their own clouds again and follow them from epoch to epoch"));
  connect(reset, &QToolButton::clicked, this, &CompareWindow::resetCameras);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(timeline_, 1);
  bottom->addWidget(reset);
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(4, 4, 4, 4);
  v->addLayout(grid, 1);
  v->addLayout(bottom);
  resize(1200, 640);
}

CompareWindow::~CompareWindow() = default;

bool CompareWindow::open(const QString& left, const QString& right) {
  const QString paths[2] = {left, right};
  for (int s = 0; s < 2; ++s) {
    Side& side = sides_[static_cast<std::size_t>(s)];
    if (!side.run->open(paths[s])) {
      error_ = side.run->errorString();
      return false;
    }
  }
  rebuildEpochs();
  showIndex(static_cast<int>(epochs_.size()) - 1, false);
  setWindowTitle(tr("%1 vs %2 — Centroid").arg(QFileInfo(left).fileName(), QFileInfo(right).fileName()));
  linkCameras();
  return true;
}

QString CompareWindow::caption(int s) const {
  const Side& side = sides_[static_cast<std::size_t>(s)];
  if (!side.run->isOpen()) return {};
  const TrainConfig& c = side.run->config();
  QString text = QStringLiteral("<b>%1</b> · K=%2, lr %3, seed %4 · epoch %5")
                     .arg(QFileInfo(side.run->path()).fileName().toHtmlEscaped())
                     .arg(c.clusters)
                     .arg(c.learningRate, 0, 'g', 3)
                     .arg(c.seed)
                     .arg(side.run->currentEpoch());
  const int shown = timeline_->currentIndex();
  if (shown >= 0 && shown < static_cast<int>(epochs_.size()) &&
      epochs_[static_cast<std::size_t>(shown)] > side.run->currentEpoch())
    text += tr(" (its last)");
  return text;
}

void CompareWindow::setColorBy(ScatterView::ColorBy mode) {
  for (Side& side : sides_)
    if (side.view) side.view->setColorBy(mode);
}

bool CompareWindow::showEpoch(int epoch) {
  const auto it = std::find(epochs_.begin(), epochs_.end(), epoch);
  if (it == epochs_.end()) return false;
  showIndex(static_cast<int>(it - epochs_.begin()), false);
  return true;
}

void CompareWindow::rebuildEpochs() {
  std::set<int> all;
  for (const Side& side : sides_)
    for (const EpochSummary& e : side.run->summaries()) all.insert(e.epoch);
  const bool atEnd = timeline_->currentIndex() < 0 || timeline_->currentIndex() == timeline_->count() - 1;
  epochs_.assign(all.begin(), all.end());
  timeline_->setEpochs(epochs_);
  if (atEnd && !epochs_.empty()) showIndex(static_cast<int>(epochs_.size()) - 1, true);
}

void CompareWindow::showIndex(int index, bool animate) {
  if (epochs_.empty()) return;
  index = std::clamp(index, 0, static_cast<int>(epochs_.size()) - 1);
  timeline_->setCurrentIndex(index);
  for (int s = 0; s < 2; ++s) showSide(s, epochs_[static_cast<std::size_t>(index)], animate);
}

void CompareWindow::showSide(int s, int epoch, bool animate) {
  RunModel* r = sides_[static_cast<std::size_t>(s)].run;
  // The stored epoch at or before `epoch`: runs save every epoch, but one may have stopped
  // earlier (patience) or be a follower that is behind.
  int index = 0;
  for (int i = 0; i < r->epochCount(); ++i)
    if (r->summaries()[static_cast<std::size_t>(i)].epoch <= epoch) index = i;
  if (index == r->currentIndex()) {
    sides_[static_cast<std::size_t>(s)].caption->setText(caption(s));
    return;
  }
  r->setCurrentIndex(index, animate);
}

namespace {

double distance(const ScatterView::CameraState& c) {
  return std::hypot(c[0] - c[3], c[1] - c[4], c[2] - c[5]);
}

}  // namespace

void CompareWindow::linkCameras() {
  if (camerasLinked_ || !sides_[0].view || !sides_[1].view) return;
  for (int s = 0; s < 2; ++s) {
    ScatterView* v = sides_[static_cast<std::size_t>(s)].view;
    connect(v, &ScatterView::frameRendered, this, [this, s, v] {
      if (v->followsCloud()) fitDistance_[static_cast<std::size_t>(s)] = distance(v->cameraState());
    });
    // setCameraState does not emit cameraMoved, so the two views cannot ping-pong.
    connect(v, &ScatterView::cameraMoved, this, [this, s] { syncCamera(s); });
  }
  camerasLinked_ = true;
}

void CompareWindow::syncCamera(int from) {
  ScatterView* a = sides_[static_cast<std::size_t>(from)].view;
  ScatterView* b = sides_[static_cast<std::size_t>(1 - from)].view;
  if (!a || !b) return;
  const ScatterView::CameraState ca = a->cameraState();
  ScatterView::CameraState cb = b->cameraState();
  const double da = distance(ca), db = distance(cb);
  if (!(da > 0) || !(db > 0)) return;
  const double fa = fitDistance_[static_cast<std::size_t>(from)],
               fb = fitDistance_[static_cast<std::size_t>(1 - from)];
  // Zoomed in by half in one view: zoomed in by half in the other, whatever its scale.
  const double target = fa > 0 && fb > 0 ? fb * da / fa : db;
  for (std::size_t i = 0; i < 3; ++i) {
    cb[i] = cb[3 + i] + (ca[i] - ca[3 + i]) / da * target;
    cb[6 + i] = ca[6 + i];
  }
  cb[9] = ca[9];
  b->setCameraState(cb);
}

void CompareWindow::resetCameras() {
  for (Side& side : sides_)
    if (side.view) side.view->resetCamera();
}

}  // namespace centroid::ui
