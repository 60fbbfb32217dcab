// Replay controller: opening a run file, moving between its epochs, following a live writer.
#include "ui/window/ReplayController.h"

#include <algorithm>
#include <cstdlib>
#include <exception>

namespace centroid::ui {
namespace {

constexpr int kFollowIntervalMs = 500;  // a new epoch takes seconds; twice a second feels live
constexpr int kPrefetchDelayMs = 40;    // after the new epoch's first frame reached the screen

}  // namespace

ReplayController::ReplayController(QObject* parent) : QObject(parent) {
  registerMetaTypes();
  followTimer_.setInterval(kFollowIntervalMs);
  connect(&followTimer_, &QTimer::timeout, this, [this] { poll(); });
  prefetchTimer_.setSingleShot(true);
  prefetchTimer_.setInterval(kPrefetchDelayMs);
  connect(&prefetchTimer_, &QTimer::timeout, this, &ReplayController::prefetch);
}

ReplayController::~ReplayController() = default;

bool ReplayController::open(const QString& path) {
  // Everything is read into locals first: a bad file must leave the run on screen untouched.
  std::unique_ptr<RunReader> reader;
  ViewSetPtr view;
  std::vector<BaselineRow> baselines;
  std::vector<EpochSummary> summaries;
  std::string status;
  try {
    // follow = true: a file another process is still writing opens in SWMR-read mode so that
    // refresh() sees its new epochs (a finished file falls back to a plain read-only open).
    reader = std::make_unique<RunReader>(path.toStdString(), /*follow=*/true);
    view = std::make_shared<const ViewSet>(reader->viewSet());
    baselines = reader->baselines();
    summaries = reader->summaries();
    status = reader->status();
  } catch (const std::exception& e) {
    // RunFileError names the file and the fault; anything else (bad_alloc on a huge, damaged
    // extent) gets the file's name in front so the message still says which file.
    const QString what = QString::fromUtf8(e.what());
    error_ = dynamic_cast<const RunFileError*>(&e) ? what : QStringLiteral("%1: %2").arg(path, what);
    return false;
  }
  close();
  reader_ = std::move(reader);
  path_ = path;
  viewSet_ = std::move(view);
  baselines_ = std::move(baselines);
  summaries_ = std::move(summaries);
  error_.clear();
  emit opened(path_);
  if (!summaries_.empty()) setCurrentIndex(epochCount() - 1, false);
  if (status == "running") {
    followTimer_.start();
    emit followingChanged(true);
  }
  return true;
}

void ReplayController::close() {
  if (!reader_) return;
  stopFollowing();
  prefetchTimer_.stop();
  cache_.clear();
  reader_.reset();
  viewSet_.reset();
  baselines_.clear();
  summaries_.clear();
  current_ = -1;
  path_.clear();
  emit closed();
}

const TrainConfig& ReplayController::config() const {
  static const TrainConfig none;
  return reader_ ? reader_->config() : none;
}

const std::map<std::string, std::string>& ReplayController::attributes() const {
  static const std::map<std::string, std::string> none;
  return reader_ ? reader_->attributes() : none;
}

QString ReplayController::status() const {
  if (!reader_) return {};
  try {
    return QString::fromStdString(reader_->status());
  } catch (const std::exception&) {
    return {};
  }
}

QString ReplayController::statusReason() const {
  if (!reader_) return {};
  try {
    return QString::fromStdString(reader_->statusReason());
  } catch (const std::exception&) {
    return {};
  }
}

int ReplayController::bestEpoch() const {
  if (!reader_) return 0;
  try {
    return reader_->bestEpoch();
  } catch (const std::exception&) {
    return 0;
  }
}

int ReplayController::currentEpoch() const {
  return current_ >= 0 && current_ < epochCount() ? summaries_[static_cast<std::size_t>(current_)].epoch : 0;
}

EpochFramePtr ReplayController::currentFrame() const {
  auto it = cache_.find(current_);
  return it == cache_.end() ? nullptr : it->second;
}

int ReplayController::indexOfEpoch(int epoch) const {
  for (int i = 0; i < epochCount(); ++i)
    if (summaries_[static_cast<std::size_t>(i)].epoch == epoch) return i;
  return -1;
}

EpochFramePtr ReplayController::frameAt(int index) {
  if (!reader_ || index < 0 || index >= epochCount()) {
    error_ = reader_ ? tr("%1: no epoch at index %2").arg(path_).arg(index) : tr("no run file is open");
    return nullptr;
  }
  if (auto it = cache_.find(index); it != cache_.end()) return it->second;
  EpochFramePtr frame;
  try {
    frame = std::make_shared<const EpochFrame>(reader_->frame(index));
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
    return nullptr;
  }
  cache_[index] = frame;
  trimCache();
  return frame;
}

bool ReplayController::setCurrentIndex(int index, bool animate) {
  if (!reader_ || epochCount() == 0) return false;
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

void ReplayController::trimCache() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (current_ >= 0 && std::abs(it->first - current_) <= 1)
      ++it;
    else
      it = cache_.erase(it);
  }
}

void ReplayController::prefetch() {
  const int next = current_ + direction_;
  if (!reader_ || current_ < 0 || next < 0 || next >= epochCount() || cache_.count(next)) return;
  try {
    cache_[next] = std::make_shared<const EpochFrame>(reader_->frame(next));
  } catch (const std::exception&) {
    // Reported when the user actually goes there; a prefetch is only a guess.
  }
}

bool ReplayController::poll() {
  if (!reader_) return false;
  try {
    const bool stillRunning = reader_->status() == "running";
    // Refreshed after reading the status: a writer that appends its last epoch and then
    // reports "completed" between the two reads still has that epoch seen here.
    const bool grew = reader_->refresh();
    if (grew) {
      const int before = epochCount();
      const bool atEnd = current_ < 0 || current_ == before - 1;
      summaries_ = reader_->summaries();
      emit epochsAppended(epochCount());
      // Someone watching the newest epoch keeps watching the newest; someone looking back
      // at an older one is left there.
      if (atEnd) setCurrentIndex(epochCount() - 1, /*animate=*/true);
    }
    if (!stillRunning) stopFollowing();
    return grew;
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
    stopFollowing();
    emit error(error_);
    return false;
  }
}

void ReplayController::stopFollowing() {
  if (!followTimer_.isActive()) return;
  followTimer_.stop();
  emit followingChanged(false);
}

std::vector<int> ReplayController::cachedIndices() const {
  std::vector<int> out;
  for (const auto& [index, frame] : cache_) out.push_back(index);
  return out;
}

}  // namespace centroid::ui
