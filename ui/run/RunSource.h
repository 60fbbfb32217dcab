// Where a run's data comes from: a training in progress (LiveRunSource) or a run file, which may
// still be growing (FileRunSource). RunModel holds one source and is what the window, the compare
// window, the exports and the command line observe; they never ask which kind it is.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/metrics/Types.h"
#include "ui/run/MetaTypes.h"

namespace centroid::ui {

// One thread (the GUI's). Every accessor is cheap except readFrame and viewImage, which may read
// the disk; the model caches frames and calls readFrame only for epochs it does not hold.
class RunSource : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;
  ~RunSource() override;

  virtual QString path() const = 0;
  virtual const TrainConfig& config() const = 0;
  virtual const std::map<std::string, std::string>& attributes() const = 0;
  // Null until the source is ready (a training first loads its data).
  virtual ViewSetPtr viewSet() const = 0;
  virtual const std::vector<BaselineRow>& baselines() const = 0;
  // One per epoch available so far, in order; grows while isGrowing().
  virtual const std::vector<EpochSummary>& summaries() const = 0;
  // The index-th epoch's frame; null with *error set when it cannot be had.
  virtual EpochFramePtr readFrame(int index, QString* error) = 0;
  // The index-th view image (width x height bytes); empty with *error set when unreadable.
  virtual std::vector<std::uint8_t> viewImage(int index, QString* error) = 0;

  virtual bool isReady() const { return viewSet() != nullptr; }
  // More epochs may come: a training in progress, or a file whose writer is still running.
  virtual bool isGrowing() const = 0;
  // "running", "completed", "early-stopped", "cancelled", "failed"; empty when unknown.
  virtual QString status() const = 0;
  virtual QString statusReason() const = 0;
  virtual int bestEpoch() const = 0;  // 0 when none

 signals:
  void ready();                    // viewSet() and baselines() are known
  void epochsAppended(int count);  // summaries() grew to count
  void growingChanged(bool growing);
  void error(const QString& message);  // the source broke; what it had stays available
};

}  // namespace centroid::ui
