// The training thread: one TrainWorker on a QThread of its own, the run it trains, and that
// run's signals only (a late signal of an earlier run is dropped here, so no window has to).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

#include "core/metrics/Types.h"
#include "ui/run/MetaTypes.h"

namespace centroid::ui {

class LiveRunSource;
class TrainWorker;

class TrainingThread : public QObject {
  Q_OBJECT

 public:
  explicit TrainingThread(QObject* parent = nullptr);
  ~TrainingThread() override;  // shutdown()

  TrainWorker* worker() const { return worker_; }  // null after shutdown()
  bool isTraining() const { return training_; }
  quint64 currentRun() const { return currentRun_; }  // the worker's id of the newest run

  // Starts `config` into `path` on the worker's thread and returns the run's source for a
  // RunModel: it listens before the run starts and hears only this run. Null after shutdown()
  // or while a run trains.
  std::unique_ptr<LiveRunSource> start(const TrainConfig& config, const QString& path);
  // The run stops within one batch and keeps every saved epoch; finished() follows.
  void requestStop();
  // Stops a run and waits for the thread: when this returns the run file is closed.
  void shutdown();

 signals:
  // Of the current run only; queued from the worker's thread.
  void progress(centroid::BatchProgress progress);
  void message(QString text);
  void warning(QString text);  // the run diverges: told, not stopped
  // The run ended (isTraining() is already false): Completed, EarlyStopped, Cancelled, Failed.
  void finished(centroid::TrainResult result);
  void failed(QString message);  // could not start, or threw (isTraining() is false)

 private:
  bool isCurrent(quint64 id) const { return training_ && id == currentRun_; }

  QThread thread_;
  TrainWorker* worker_ = nullptr;  // lives on thread_; deleted after the thread ends
  quint64 currentRun_ = 0;
  bool training_ = false;
};

}  // namespace centroid::ui
