// "Train Both Objectives": the post's k-means loss, then the k-means-friendly objective, on the
// same data, seed, view set, K and embedding size, then the two runs side by side in the Compare
// window (one timeline, linked cameras, both tables): the ribbon beside the ten blobs.
#pragma once

#include <QObject>
#include <QString>
#include <utility>

#include "core/metrics/Types.h"

namespace centroid::ui {

class CompareWindow;
class MainWindow;

class TrainBoth : public QObject {
  Q_OBJECT

 public:
  explicit TrainBoth(MainWindow* window);

  // From the settings in the window's panel; false (the window says why) when the first run
  // cannot start or a run is already going. maxEpochs > 0 replaces both objectives' own.
  bool start(int maxEpochs = 0);
  bool isActive() const { return stage_ != Stage::Idle; }

  // The two runs' settings: `base` with each objective's own training defaults (learning rate,
  // epochs, batch size, patience, options); everything else shared.
  static std::pair<TrainConfig, TrainConfig> configs(const TrainConfig& base);

 signals:
  // Both runs ended and the Compare window shows them; null when a run failed or was stopped.
  void finished(centroid::ui::CompareWindow* compare);

 private:
  enum class Stage { Idle, First, Second };
  void onRunFinished(const TrainResult& result);
  void onRunFailed();

  MainWindow* window_;
  Stage stage_ = Stage::Idle;
  TrainConfig second_;
  QString firstPath_, currentPath_;
};

}  // namespace centroid::ui
