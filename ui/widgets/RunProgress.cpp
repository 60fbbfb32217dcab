// Run progress strip (with a time-left estimate).
#include "ui/widgets/RunProgress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <algorithm>
#include <cmath>

namespace centroid::ui {
namespace {

// QProgressBar::setValue (and setRange, through reset()) repaints at once, QWidget::repaint,
// whenever the bar moves by a pixel. In a window that holds an OpenGL widget every repaint
// recomposes the whole window: 15-50 ms of the GUI thread under software OpenGL (Mesa llvmpipe),
// on top of the ordinary repaint that the labels' new texts schedule anyway. At ten progress
// reports a second that doubled the window's repaints while training and made the epoch
// update the GUI thread's longest stall (docs/benchmarks.md, "Replay and GUI"). With updates
// off during the change, the bar is painted with everything else in the next ordinary repaint.
template <class Change>
void changeBar(QProgressBar* bar, Change change) {
  bar->setUpdatesEnabled(false);
  change();
  bar->setUpdatesEnabled(true);  // schedules update()
}

}  // namespace

RunProgress::RunProgress(QWidget* parent) : QWidget(parent) {
  auto bar = [](const QString& tip) {
    auto* b = new QProgressBar;
    b->setToolTip(tip);
    b->setFixedWidth(150);
    b->setMaximumHeight(16);
    b->setTextVisible(true);
    return b;
  };
  epochBar_ = bar(tr("Epochs run of the maximum (patience may end the run earlier)"));
  batchBar_ = bar(tr("Batches done in the current epoch"));
  rate_ = new QLabel;
  rate_->setToolTip(tr("Training throughput, images per second"));
  eta_ = new QLabel;
  eta_->setToolTip(tr("Time left if the run goes to the maximum number of epochs"));
  auto* h = new QHBoxLayout(this);
  h->setContentsMargins(0, 0, 4, 0);
  h->setSpacing(8);
  h->addWidget(epochBar_);
  h->addWidget(batchBar_);
  h->addWidget(rate_);
  h->addWidget(eta_);
  refresh_.setSingleShot(true);
  refresh_.setInterval(kBatchRefreshMs);
  connect(&refresh_, &QTimer::timeout, this, [this] {
    if (!pending_) return;
    pending_ = false;
    showBatch();
    refresh_.start();
  });
  end();
}

QString RunProgress::formatDuration(double s) {
  if (!std::isfinite(s) || s < 0) return QStringLiteral("–");
  const long t = std::lround(s);
  if (t < 60) return tr("%1 s").arg(t);
  if (t < 3600) return tr("%1 min %2 s").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
  return tr("%1 h %2 min").arg(t / 3600).arg((t % 3600) / 60, 2, 10, QLatin1Char('0'));
}

void RunProgress::begin(int maxEpochs) {
  maxEpochs_ = std::max(1, maxEpochs);
  epochsDone_ = 0;
  firstBatchAt_ = lastEpochAt_ = -1;
  last_ = {};
  clock_.start();
  changeBar(epochBar_, [&] {
    epochBar_->setRange(0, maxEpochs_);
    epochBar_->setValue(0);
  });
  epochBar_->setFormat(tr("epoch 0 / %1").arg(maxEpochs_));
  changeBar(batchBar_, [&] { batchBar_->setRange(0, 0); });  // busy indicator while data loads
  batchBar_->setFormat(tr("loading…"));
  rate_->clear();
  eta_->clear();
  setVisible(true);
}

void RunProgress::batch(const BatchProgress& p) {
  if (firstBatchAt_ < 0) firstBatchAt_ = clock_.elapsed() / 1000.0;
  last_ = p;
  if (refresh_.isActive()) {
    pending_ = true;
    return;
  }
  showBatch();
  refresh_.start();
}

void RunProgress::showBatch() {
  const BatchProgress& p = last_;
  changeBar(batchBar_, [&] {
    batchBar_->setRange(0, std::max(1, p.batches));
    batchBar_->setValue(p.batch);
  });
  batchBar_->setFormat(tr("batch %1 / %2").arg(p.batch).arg(p.batches));
  epochBar_->setFormat(tr("epoch %1 / %2").arg(p.epoch).arg(maxEpochs_));
  rate_->setText(tr("%1 img/s").arg(QLocale().toString(std::lround(p.imagesPerSecond))));
  updateEta();
}

void RunProgress::epochDone(int epoch) {
  pending_ = false;  // a report held back belongs to the epoch that just ended
  epochsDone_ = epoch;
  lastEpochAt_ = clock_.elapsed() / 1000.0;
  if (firstBatchAt_ < 0) firstBatchAt_ = 0;
  changeBar(epochBar_, [&] { epochBar_->setValue(std::min(epoch, maxEpochs_)); });
  epochBar_->setFormat(tr("epoch %1 / %2").arg(epoch).arg(maxEpochs_));
  changeBar(batchBar_, [&] { batchBar_->setValue(batchBar_->maximum()); });
  updateEta();
}

void RunProgress::updateEta() {
  const double now = clock_.elapsed() / 1000.0;
  // Whole epochs (training plus evaluating the view set plus saving) measured by the wall
  // clock once one has finished; before that, extrapolated from the batches done so far.
  double perEpoch = -1;
  if (epochsDone_ > 0 && lastEpochAt_ > firstBatchAt_) {
    perEpoch = (lastEpochAt_ - firstBatchAt_) / epochsDone_;
  } else if (last_.batch > 0 && last_.batches > 0 && firstBatchAt_ >= 0) {
    perEpoch = (now - firstBatchAt_) * last_.batches / last_.batch;
  }
  if (perEpoch <= 0) {
    eta_->clear();
    return;
  }
  // Within the current epoch: what is left of it, by the latest batch report.
  const bool inEpoch = last_.epoch > epochsDone_ && last_.batches > 0;
  const double thisEpochLeft = inEpoch ? perEpoch * (1.0 - double(last_.batch) / last_.batches) : 0;
  const int epochsAfter = std::max(0, maxEpochs_ - std::max(epochsDone_, inEpoch ? last_.epoch : 0));
  eta_->setText(tr("≤ %1 left").arg(formatDuration(thisEpochLeft + epochsAfter * perEpoch)));
}

QString RunProgress::timeLeftText() const { return eta_->text(); }

void RunProgress::end() {
  refresh_.stop();
  pending_ = false;
  changeBar(batchBar_, [&] {
    batchBar_->setRange(0, 1);
    batchBar_->setValue(0);
  });
  rate_->clear();
  eta_->clear();
  setVisible(false);
}

}  // namespace centroid::ui
