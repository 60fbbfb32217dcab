// A training in progress as a run source (see LiveRunSource.h).
#include "ui/run/LiveRunSource.h"

#include <algorithm>

#include "ui/run/TrainWorker.h"

namespace centroid::ui {

LiveRunSource::LiveRunSource(const TrainConfig& config, const QString& path, QObject* parent)
    : RunSource(parent), config_(config), path_(path) {}

LiveRunSource::LiveRunSource(TrainWorker* worker, const TrainConfig& config, const QString& path,
                             QObject* parent)
    : LiveRunSource(config, path, parent) {
  const auto q = Qt::QueuedConnection;
  connect(
      worker, &TrainWorker::ready, this,
      [this](quint64 id, const ViewSetPtr& view, const std::vector<BaselineRow>& baselines,
             const QString& p) {
        if (id == runId_) setReady(view, baselines, p);
      },
      q);
  connect(
      worker, &TrainWorker::epochFinished, this,
      [this](quint64 id, const EpochFramePtr& frame) {
        if (id == runId_) appendFrame(frame);
      },
      q);
  connect(
      worker, &TrainWorker::finished, this,
      [this](quint64 id, const TrainResult& result) {
        if (id == runId_) finish(result);
      },
      q);
  connect(
      worker, &TrainWorker::failed, this,
      [this](quint64 id, const QString& message) {
        if (id == runId_) fail(message);
      },
      q);
}

LiveRunSource::~LiveRunSource() = default;

void LiveRunSource::setReady(const ViewSetPtr& view, const std::vector<BaselineRow>& baselines,
                             const QString& path) {
  if (!view || viewSet_ || !growing_) return;
  viewSet_ = view;
  baselines_ = baselines;
  if (!path.isEmpty()) path_ = path;
  emit ready();
}

void LiveRunSource::appendFrame(const EpochFramePtr& frame) {
  if (!frame || !viewSet_ || !growing_) return;
  frames_.push_back(frame);
  summaries_.push_back(EpochSummary{frame->epoch, frame->loss, frame->seconds, frame->metrics});
  // The trainer's own rule: the best epoch is the one with the lowest loss so far.
  if (bestEpoch_ == 0 || frame->loss < bestLoss_) {
    bestEpoch_ = frame->epoch;
    bestLoss_ = frame->loss;
  }
  emit epochsAppended(static_cast<int>(summaries_.size()));
}

void LiveRunSource::finish(const TrainResult& result) {
  if (result.bestEpoch > 0) bestEpoch_ = result.bestEpoch;
  end(QString::fromLatin1(toString(result.status)), QString::fromStdString(result.reason));
}

void LiveRunSource::fail(const QString& message) { end(QStringLiteral("failed"), message); }

void LiveRunSource::end(const QString& status, const QString& reason) {
  if (!growing_) return;
  growing_ = false;
  status_ = status;
  reason_ = reason;
  emit growingChanged(false);
}

EpochFramePtr LiveRunSource::readFrame(int index, QString* error) {
  if (index < 0 || index >= static_cast<int>(frames_.size())) {
    if (error) *error = tr("%1: no epoch at index %2").arg(path_).arg(index);
    return nullptr;
  }
  return frames_[static_cast<std::size_t>(index)];
}

std::vector<std::uint8_t> LiveRunSource::viewImage(int index, QString* error) {
  if (!viewSet_ || index < 0) return {};
  const std::size_t size =
      static_cast<std::size_t>(viewSet_->width) * static_cast<std::size_t>(viewSet_->height);
  const std::size_t begin = static_cast<std::size_t>(index) * size;
  if (begin + size > viewSet_->images.size()) {
    if (error) *error = tr("the view set holds no image %1").arg(index);
    return {};
  }
  return {viewSet_->images.begin() + static_cast<std::ptrdiff_t>(begin),
          viewSet_->images.begin() + static_cast<std::ptrdiff_t>(begin + size)};
}

}  // namespace centroid::ui
