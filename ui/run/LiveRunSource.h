// A training in progress as a run source: the worker's signals for one run, the frames kept in
// memory as they arrive, so the timeline can go back to any epoch while training goes on.
#pragma once

#include <QString>
#include <vector>

#include "ui/run/RunSource.h"

namespace centroid::ui {

class TrainWorker;

// Frames are shared and immutable; holding every epoch costs 16 bytes per view point per epoch
// (20,000 points: 320 KB an epoch; 70,000 points for 100 epochs: 112 MB), which is why a live run
// keeps them rather than reading back a file the trainer is writing on another thread.
class LiveRunSource : public RunSource {
  Q_OBJECT

 public:
  // Takes the worker's signals of run runId() only (queued: the worker lives on its thread);
  // signals of any other run are stale and dropped. Connect first, then start the run and set
  // its id before control returns to the event loop.
  LiveRunSource(TrainWorker* worker, const TrainConfig& config, const QString& path,
                QObject* parent = nullptr);
  // Without a worker: tests and other feeders call the slots below themselves.
  LiveRunSource(const TrainConfig& config, const QString& path, QObject* parent = nullptr);
  ~LiveRunSource() override;

  quint64 runId() const { return runId_; }
  void setRunId(quint64 id) { runId_ = id; }

  QString path() const override { return path_; }
  const TrainConfig& config() const override { return config_; }
  const std::map<std::string, std::string>& attributes() const override { return attributes_; }
  ViewSetPtr viewSet() const override { return viewSet_; }
  const std::vector<BaselineRow>& baselines() const override { return baselines_; }
  const std::vector<EpochSummary>& summaries() const override { return summaries_; }
  EpochFramePtr readFrame(int index, QString* error) override;
  std::vector<std::uint8_t> viewImage(int index, QString* error) override;
  bool isGrowing() const override { return growing_; }
  QString status() const override { return status_; }
  QString statusReason() const override { return reason_; }
  int bestEpoch() const override { return bestEpoch_; }

  // The run's events, in the worker's order.
  void setReady(const ViewSetPtr& view, const std::vector<BaselineRow>& baselines, const QString& path);
  void appendFrame(const EpochFramePtr& frame);
  void finish(const TrainResult& result);
  void fail(const QString& message);  // could not start, or threw

 private:
  void end(const QString& status, const QString& reason);

  quint64 runId_ = 0;
  TrainConfig config_;
  std::map<std::string, std::string> attributes_;
  QString path_;
  ViewSetPtr viewSet_;
  std::vector<BaselineRow> baselines_;
  std::vector<EpochSummary> summaries_;
  std::vector<EpochFramePtr> frames_;
  bool growing_ = true;
  QString status_ = QStringLiteral("running");
  QString reason_;
  int bestEpoch_ = 0;
  double bestLoss_ = 0;
};

}  // namespace centroid::ui
