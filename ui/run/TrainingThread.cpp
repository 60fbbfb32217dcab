// The training thread (see TrainingThread.h).
#include "ui/run/TrainingThread.h"

#include "ui/run/LiveRunSource.h"
#include "ui/run/TrainWorker.h"

namespace centroid::ui {

TrainingThread::TrainingThread(QObject* parent) : QObject(parent) {
  registerMetaTypes();
  worker_ = new TrainWorker;  // no parent: it moves to thread_
  worker_->moveToThread(&thread_);
  thread_.setObjectName("centroid-train");
  const auto q = Qt::QueuedConnection;
  connect(
      worker_, &TrainWorker::progress, this,
      [this](quint64 id, const BatchProgress& p) {
        if (isCurrent(id)) emit progress(p);
      },
      q);
  connect(
      worker_, &TrainWorker::message, this,
      [this](quint64 id, const QString& text) {
        if (isCurrent(id)) emit message(text);
      },
      q);
  connect(
      worker_, &TrainWorker::warning, this,
      [this](quint64 id, const QString& text) {
        if (isCurrent(id)) emit warning(text);
      },
      q);
  // The worker's signals of one run arrive in order, so nothing legitimate follows its end.
  connect(
      worker_, &TrainWorker::finished, this,
      [this](quint64 id, const TrainResult& result) {
        if (!isCurrent(id)) return;
        training_ = false;
        emit finished(result);
      },
      q);
  connect(
      worker_, &TrainWorker::failed, this,
      [this](quint64 id, const QString& text) {
        if (!isCurrent(id)) return;
        training_ = false;
        emit failed(text);
      },
      q);
  thread_.start();
}

TrainingThread::~TrainingThread() { shutdown(); }

std::unique_ptr<LiveRunSource> TrainingThread::start(const TrainConfig& config, const QString& path) {
  if (!worker_ || training_) return nullptr;
  // The source listens before the run starts; its id is set before any queued signal of the
  // run can be delivered (they wait for this GUI-thread call to return).
  auto source = std::make_unique<LiveRunSource>(worker_, config, path);
  training_ = true;
  currentRun_ = worker_->start(config, path);
  source->setRunId(currentRun_);
  return source;
}

void TrainingThread::requestStop() {
  if (worker_ && training_) worker_->requestStop();
}

void TrainingThread::shutdown() {
  if (!worker_) return;
  // The trainer reads the flag every batch and closes the run file (status "cancelled")
  // before returning; quit() takes effect once the run's slot returns, and wait() makes
  // sure the file is closed before the process can exit.
  worker_->requestStop();
  thread_.quit();
  thread_.wait();
  delete worker_;  // its thread has ended: deleting it from here is safe
  worker_ = nullptr;
  training_ = false;
}

}  // namespace centroid::ui
