// Two runs one after the other, then Compare (see TrainBoth.h).
#include "ui/window/TrainBoth.h"

#include "core/objectives/Objectives.h"
#include "ui/window/CompareWindow.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/MainWindow.h"

namespace centroid::ui {

TrainBoth::TrainBoth(MainWindow* window) : QObject(window), window_(window) {
  connect(window_, &MainWindow::runStarted, this, [this](const QString& path) { currentPath_ = path; });
  connect(window_, &MainWindow::runFinished, this, &TrainBoth::onRunFinished);
  connect(window_, &MainWindow::runFailed, this, &TrainBoth::onRunFailed);
}

std::pair<TrainConfig, TrainConfig> TrainBoth::configs(const TrainConfig& base) {
  return {withObjective(base, "seed"), withObjective(base, "friendly")};
}

bool TrainBoth::start(int maxEpochs) {
  if (isActive() || window_->isTraining()) return false;
  auto [first, second] = configs(window_->controls()->toConfig());
  if (maxEpochs > 0) first.maxEpochs = second.maxEpochs = maxEpochs;
  second_ = second;
  stage_ = Stage::First;
  if (!window_->startTraining(first)) {
    stage_ = Stage::Idle;
    return false;
  }
  return true;
}

void TrainBoth::onRunFinished(const TrainResult& result) {
  if (stage_ == Stage::Idle) return;
  const bool ok = result.status == TrainStatus::Completed || result.status == TrainStatus::EarlyStopped;
  if (!ok) {  // stopped or failed: the window already says so; nothing to compare
    stage_ = Stage::Idle;
    emit finished(nullptr);
    return;
  }
  if (stage_ == Stage::First) {
    firstPath_ = currentPath_;
    stage_ = Stage::Second;
    // Queued: the window finishes handling this run's end before the next one starts.
    QMetaObject::invokeMethod(
        this,
        [this] {
          if (!window_->startTraining(second_)) {
            stage_ = Stage::Idle;
            emit finished(nullptr);
          }
        },
        Qt::QueuedConnection);
    return;
  }
  stage_ = Stage::Idle;
  // The friendly run is on screen; the Compare window puts the seed's beside it, seed on the left.
  CompareWindow* compare = window_->compareRuns(firstPath_, currentPath_);
  emit finished(compare);
}

void TrainBoth::onRunFailed() {
  if (stage_ == Stage::Idle) return;
  stage_ = Stage::Idle;
  emit finished(nullptr);
}

}  // namespace centroid::ui
