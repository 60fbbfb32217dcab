// The run model: one run on screen, from a training or a file (see RunModel.h).
#include "ui/run/RunModel.h"

#include <algorithm>
#include <cstdlib>

#include "ui/run/FileRunSource.h"

namespace centroid::ui {
namespace {

constexpr int kPrefetchDelayMs = 40;  // after the new epoch's first frame reached the screen

}  // namespace

RunModel::RunModel(QObject* parent) : QObject(parent) {
  registerMetaTypes();
  prefetchTimer_.setSingleShot(true);
  prefetchTimer_.setInterval(kPrefetchDelayMs);
  connect(&prefetchTimer_, &QTimer::timeout, this, &RunModel::prefetch);
}

RunModel::~RunModel() = default;

bool RunModel::open(const QString& path) {
  QString error;
  std::unique_ptr<FileRunSource> source = FileRunSource::open(path, &error);
  if (!source) {
    error_ = error;  // the run on screen stays
    return false;
  }
  setSource(std::move(source));
  return true;
}

void RunModel::setSource(std::unique_ptr<RunSource> source) {
  close();
  if (!source) return;
  source_ = std::move(source);
  error_.clear();
  RunSource* s = source_.get();
  connect(s, &RunSource::ready, this, &RunModel::onReady);
  connect(s, &RunSource::epochsAppended, this, &RunModel::onAppended);
  connect(s, &RunSource::growingChanged, this, &RunModel::followingChanged);
  connect(s, &RunSource::error, this, [this](const QString& message) {
    error_ = message;
    emit error(message);
  });
  if (s->isReady()) onReady();
}

void RunModel::onReady() {
  known_ = epochCount();
  emit opened(source_->path());
  if (epochCount() > 0) setCurrentIndex(epochCount() - 1, false);
  if (source_->isGrowing()) emit followingChanged(true);
}

void RunModel::onAppended(int count) {
  // Someone watching the newest epoch keeps watching the newest; someone looking back at an
  // older one is left there.
  const bool atNewest = current_ < 0 || current_ == known_ - 1;
  known_ = count;
  emit epochsAppended(count);
  if (atNewest && current_ != count - 1) setCurrentIndex(count - 1, /*animate=*/true);
}

void RunModel::close() {
  if (!source_) return;
  prefetchTimer_.stop();
  cache_.clear();
  source_->disconnect(this);
  source_.reset();
  current_ = -1;
  known_ = 0;
  emit closed();
}

const TrainConfig& RunModel::config() const {
  static const TrainConfig none;
  return source_ ? source_->config() : none;
}

const std::map<std::string, std::string>& RunModel::attributes() const {
  static const std::map<std::string, std::string> none;
  return source_ ? source_->attributes() : none;
}

const std::vector<BaselineRow>& RunModel::baselines() const {
  static const std::vector<BaselineRow> none;
  return source_ ? source_->baselines() : none;
}

const std::vector<EpochSummary>& RunModel::summaries() const {
  static const std::vector<EpochSummary> none;
  return source_ ? source_->summaries() : none;
}

std::vector<std::uint8_t> RunModel::viewImage(int index, QString* error) {
  return source_ ? source_->viewImage(index, error) : std::vector<std::uint8_t>{};
}

QString RunModel::status() const { return source_ ? source_->status() : QString(); }
QString RunModel::statusReason() const { return source_ ? source_->statusReason() : QString(); }
int RunModel::bestEpoch() const { return source_ ? source_->bestEpoch() : 0; }

int RunModel::currentEpoch() const {
  return current_ >= 0 && current_ < epochCount() ? summaries()[static_cast<std::size_t>(current_)].epoch : 0;
}

EpochFramePtr RunModel::currentFrame() const {
  auto it = cache_.find(current_);
  return it == cache_.end() ? nullptr : it->second;
}

int RunModel::indexOfEpoch(int epoch) const {
  const auto& all = summaries();
  for (int i = 0; i < epochCount(); ++i)
    if (all[static_cast<std::size_t>(i)].epoch == epoch) return i;
  return -1;
}

QString RunModel::missingEpochText(int epoch) const {
  const auto& all = summaries();
  if (all.empty()) return tr("--epoch %1: the run has no saved epoch").arg(epoch);
  return tr("--epoch %1: the run has epochs %2 to %3")
      .arg(epoch)
      .arg(all.front().epoch)
      .arg(all.back().epoch);
}

EpochFramePtr RunModel::frameAt(int index) {
  if (!source_ || index < 0 || index >= epochCount()) {
    error_ = source_ ? tr("%1: no epoch at index %2").arg(path()).arg(index) : tr("no run file is open");
    return nullptr;
  }
  if (auto it = cache_.find(index); it != cache_.end()) return it->second;
  EpochFramePtr frame = source_->readFrame(index, &error_);
  if (!frame) return nullptr;
  cache_[index] = frame;
  trimCache();
  return frame;
}

bool RunModel::setCurrentIndex(int index, bool animate) {
  if (!source_ || epochCount() == 0) return false;
  index = std::clamp(index, 0, epochCount() - 1);
  const int previous = current_;
  const EpochFramePtr frame = frameAt(index);
  if (!frame) {
    emit error(error_);
    return false;
  }
  if (previous >= 0 && index != previous) direction_ = index > previous ? 1 : -1;
  current_ = index;
  cache_[index] = frame;  // trimmed away if it was far from the old current epoch
  trimCache();
  emit currentChanged(index, frame, animate);
  prefetchTimer_.start();
  return true;
}

void RunModel::trimCache() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (current_ >= 0 && std::abs(it->first - current_) <= 1) ++it;
    else it = cache_.erase(it);
  }
}

void RunModel::prefetch() {
  const int next = current_ + direction_;
  if (!source_ || current_ < 0 || next < 0 || next >= epochCount() || cache_.count(next)) return;
  QString ignored;  // reported when the user actually goes there; a prefetch is only a guess
  if (EpochFramePtr frame = source_->readFrame(next, &ignored)) cache_[next] = frame;
}

void RunModel::setFollowIntervalMs(int ms) {
  if (auto* file = dynamic_cast<FileRunSource*>(source_.get())) file->setFollowIntervalMs(ms);
}

bool RunModel::poll() {
  auto* file = dynamic_cast<FileRunSource*>(source_.get());
  return file && file->poll();
}

std::vector<int> RunModel::cachedIndices() const {
  std::vector<int> out;
  for (const auto& [index, frame] : cache_) out.push_back(index);
  return out;
}

}  // namespace centroid::ui
