// Worker side of a training run: calls the core session and turns callbacks and exceptions
// into queued signals.
#include "ui/run/TrainWorker.h"

#include <QMetaObject>
#include <exception>

#include "core/training/TrainingSession.h"

namespace centroid::ui {

void registerMetaTypes() {
  qRegisterMetaType<centroid::TrainConfig>();
  qRegisterMetaType<centroid::EpochFrame>();
  qRegisterMetaType<centroid::BatchProgress>();
  qRegisterMetaType<centroid::ViewSet>();
  qRegisterMetaType<centroid::TrainResult>();
  qRegisterMetaType<std::vector<centroid::BaselineRow>>();
  qRegisterMetaType<EpochFramePtr>();
  qRegisterMetaType<ViewSetPtr>();
}

TrainWorker::TrainWorker(QObject* parent) : QObject(parent) { registerMetaTypes(); }

TrainWorker::~TrainWorker() = default;

quint64 TrainWorker::start(const TrainConfig& config, const QString& runPath) {
  const quint64 id = ++nextId_;
  auto stop = std::make_shared<std::atomic<bool>>(false);
  // std::atomic_exchange on shared_ptr: start() and requestStop() may come from different
  // threads in tests; the GUI only ever calls them from its own.
  if (auto old = std::atomic_exchange(&currentStop_, stop)) old->store(true);
  ++busy_;
  // Queued: the lambda runs on this object's thread once any earlier run has returned.
  QMetaObject::invokeMethod(
      this, [this, id, config, runPath, stop] { run(id, config, runPath, stop); }, Qt::QueuedConnection);
  return id;
}

void TrainWorker::requestStop() {
  if (auto stop = std::atomic_load(&currentStop_)) stop->store(true);
}

void TrainWorker::run(quint64 id, const TrainConfig& config, const QString& runPath,
                      const std::shared_ptr<std::atomic<bool>>& stop) {
  // Decrement busy_ only after the last signal is emitted, so isBusy() never reads false
  // while a result is still on its way.
  struct BusyGuard {
    std::atomic<int>& n;
    ~BusyGuard() { --n; }
  } guard{busy_};

  if (stop->load()) {
    // Superseded before it began (a newer start() or a stop while queued): report it as a
    // run cancelled with nothing done, without touching the file.
    TrainResult r;
    r.status = TrainStatus::Cancelled;
    r.reason = "stopped before training began";
    emit finished(id, r);
    return;
  }

  SessionCallbacks cb;
  cb.onReady = [this, id](const ViewSet& view, const std::vector<BaselineRow>& baselines,
                          const std::string& path) {
    emit ready(id, std::make_shared<const ViewSet>(view), baselines, QString::fromStdString(path));
  };
  cb.onEpoch = [this, id](const EpochFrame& frame) {
    // A detached copy: the trainer reuses its buffers, the GUI keeps this one.
    emit epochFinished(id, std::make_shared<const EpochFrame>(frame));
  };
  cb.onBatch = [this, id](const BatchProgress& p) { emit progress(id, p); };
  cb.onMessage = [this, id](const std::string& text) { emit message(id, QString::fromStdString(text)); };
  cb.onWarning = [this, id](const std::string& text) { emit warning(id, QString::fromStdString(text)); };

  // Every exception becomes a message the window can show: a worker thread that lets one
  // escape takes the whole program down (std::terminate), losing the user's session.
  try {
    const TrainResult result = trainToFile(config, runPath.toStdString(), cb, stop.get());
    emit finished(id, result);
  } catch (const ConfigError& e) {
    emit failed(id, tr("Invalid settings: %1").arg(QString::fromStdString(e.what())));
  } catch (const DataError& e) {
    emit failed(id, tr("Cannot load the dataset: %1").arg(QString::fromStdString(e.what())));
  } catch (const RunFileError& e) {
    emit failed(id, tr("Cannot write the run file: %1").arg(QString::fromStdString(e.what())));
  } catch (const std::bad_alloc&) {
    emit failed(id, tr("Out of memory: try fewer points to show or a smaller batch size."));
  } catch (const std::exception& e) {
    emit failed(id, tr("Training stopped by an unexpected error: %1").arg(QString::fromStdString(e.what())));
  } catch (...) {
    emit failed(id, tr("Training stopped by an unknown error."));
  }
}

}  // namespace centroid::ui
