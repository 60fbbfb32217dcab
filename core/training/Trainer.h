// The training loop behind a torch-free interface: data, encoder, k-means loss, Adam,
// patience with best-weights restore, per-epoch frames to a callback, cancellation.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid {

class Objective;

class Trainer {
 public:
  struct Callbacks {
    // After every epoch, on the training thread. May throw (e.g. a full disk while saving):
    // the trainer then stops with status Failed and the exception's message as reason.
    std::function<void(const EpochFrame&)> onEpoch;
    // Within an epoch, throttled to about ten calls a second.
    std::function<void(const BatchProgress&)> onBatch;
    // When the best epoch improves: the encoder's weights at that epoch.
    std::function<void(int epoch, const std::vector<NamedArray>& weights)> onBest;
    // Once per run, after the epoch whose loss first reached 1000x the first batch's loss: the
    // run diverges (too high a learning rate). Training goes on; only a NaN stops it.
    std::function<void(const std::string& text)> onWarning;
    // Notes while the objective prepares (neighbour graph, pretraining), before epoch 1.
    std::function<void(const std::string& text)> onMessage;
  };

  // Validates the config (ConfigError) and loads the datasets (DataError). Sets the seed and threads.
  explicit Trainer(TrainConfig config);
  // The same with the caller's objective instead of config.objective's (tests of the interface).
  Trainer(TrainConfig config, std::unique_ptr<Objective> objective);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  const TrainConfig& config() const;
  const ViewSet& viewSet() const;
  int trainImages() const;
  // Names and shapes of the encoder's parameters (values empty): what onBest will deliver.
  std::vector<NamedArray> weightLayout() const;

  // k-means on pixels and PCA(3)+k-means on the view set (seeded, k-means++, restarts).
  std::vector<BaselineRow> baselines() const;

  // Trains until max epochs, patience, cancellation (checked every batch) or failure.
  // Restores the best weights before returning. `stop` may be null.
  TrainResult run(const Callbacks& callbacks, const std::atomic<bool>* stop = nullptr);

  // Embeds the view set with the current weights and evaluates against the current centroids.
  EpochFrame evaluate() const;

  // Test hook: make the loss of the given (1-based) epoch and batch NaN.
  void injectNaN(int epoch, int batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Applies saved encoder weights (RunReader::bestWeights) to new images: `count` images of
// 28x28 raw bytes in, count x embedDim floats out. Throws RunFileError on mismatched weights.
std::vector<float> embedImages(int embedDim, const std::vector<NamedArray>& weights,
                               const std::vector<std::uint8_t>& images, int count);

// libtorch and build versions for provenance ("1.13.1").
std::string torchVersion();
std::string centroidVersion();

// Process-wide tuning every program should call once at start: glibc malloc keeps large
// buffers mapped (halves epoch time here, see docs/benchmarks.md).
void tuneAllocator();

}  // namespace centroid
