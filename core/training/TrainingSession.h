// One training run written to one run file: what both centroid-train and the GUI's worker
// call. Loads data, optionally computes baselines, trains, appends every epoch to the run
// file, records the best weights and how the run ended.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid {

class Trainer;

struct SessionCallbacks {
  // Data loaded and run file created, before the first epoch.
  std::function<void(const ViewSet&, const std::vector<BaselineRow>&, const std::string& runPath)> onReady;
  std::function<void(const EpochFrame&)> onEpoch;     // after the epoch was saved
  std::function<void(const BatchProgress&)> onBatch;  // throttled
  std::function<void(const std::string&)> onMessage;  // progress notes ("computing baselines")
  std::function<void(const std::string&)> onWarning;  // the run diverges (Trainer::Callbacks)
  std::function<void(Trainer&)> beforeTraining;       // test hooks (Trainer::injectNaN)
};

// Trains `config` and writes `runPath` (created or truncated). Throws ConfigError, DataError or
// RunFileError before training starts; afterwards every failure (NaN loss, a write error such
// as a full disk) ends the run with status Failed and the reason, keeping the saved epochs.
TrainResult trainToFile(const TrainConfig& config, const std::string& runPath,
                        const SessionCallbacks& callbacks, const std::atomic<bool>* stop = nullptr);

// "<folder>/<yyyymmdd-hhmmss>-<dataset>[-<objective>]-k<K>-lr<lr>.h5" (the objective named
// unless it is the seed's); creates the folder if needed.
std::string defaultRunPath(const TrainConfig& config, const std::string& folder);

}  // namespace centroid
