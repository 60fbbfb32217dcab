// The training worker: runs centroid::trainToFile on its own thread and reports back
// through queued signals carrying value types (the Hotspot worker façade).
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

#include "core/metrics/Types.h"
#include "ui/run/MetaTypes.h"

namespace centroid::ui {

// Lives on a QThread owned by the window (moveToThread; never a QThread subclass).
//
// The training loop blocks this object's event loop for the whole run, so nothing that has
// to act during a run may be a queued slot: stopping is an atomic flag the trainer reads
// every batch. Every run gets an id; every signal carries it, and receivers drop signals
// whose id is not the run they are showing (a late epoch from a cancelled run must not
// land in the next run's charts).
class TrainWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainWorker(QObject* parent = nullptr);
  ~TrainWorker() override;

  // Thread-safe; call from the GUI thread. Queues a run on the worker's thread and returns
  // its id. A run still going is asked to stop first, so the new one starts as soon as the
  // old one has saved its last batch.
  quint64 start(const centroid::TrainConfig& config, const QString& runPath);
  // Thread-safe: the current run stops within one batch and keeps every saved epoch.
  void requestStop();
  // True from start() until finished/failed was emitted (thread-safe).
  bool isBusy() const { return busy_.load() > 0; }

 signals:
  // Data loaded and the run file created, before the first epoch.
  void ready(quint64 runId, centroid::ui::ViewSetPtr view, std::vector<centroid::BaselineRow> baselines,
             QString runPath);
  void epochFinished(quint64 runId, centroid::ui::EpochFramePtr frame);
  void progress(quint64 runId, centroid::BatchProgress progress);  // throttled by the trainer
  void message(quint64 runId, QString text);                       // "computing baselines", ...
  void warning(quint64 runId, QString text);                       // the run diverges
  // The run ended; status Failed carries the reason (NaN loss, disk full) and keeps the file.
  void finished(quint64 runId, centroid::TrainResult result);
  // The run could not start (bad settings, missing data, unwritable run file) or threw.
  void failed(quint64 runId, QString message);

 private:
  // Runs on the worker thread.
  void run(quint64 id, const centroid::TrainConfig& config, const QString& runPath,
           const std::shared_ptr<std::atomic<bool>>& stop);

  // One flag per run: a stop meant for an old run can never cancel a newer one, and
  // start() can cancel the old run without racing the new one's reset.
  std::shared_ptr<std::atomic<bool>> currentStop_;
  std::atomic<quint64> nextId_{0};
  std::atomic<int> busy_{0};
};

}  // namespace centroid::ui
