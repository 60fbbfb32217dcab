// The trainer's state behind Trainer's pimpl, shared by Trainer.cpp and TrainerFrames.cpp.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/Encoder.h"
#include "core/KMeansLoss.h"
#include "core/Trainer.h"

namespace centroid {

struct Trainer::Impl {
  explicit Impl(TrainConfig c);

  TrainConfig config;
  torch::Device device{torch::kCPU};
  int threads = 1;
  ViewSet view;
  int classes = 10;
  torch::Tensor train;       // float N x 1 x 28 x 28, contiguous, on device: batches are gathered from it
  torch::Tensor viewImages;  // float V x 1 x 28 x 28 on device
  Encoder encoder{nullptr};
  std::unique_ptr<torch::optim::Adam> optimizer;
  KMeansLoss kmeans;

  int epoch = 0;             // last finished epoch (1-based; 0 before training)
  double currentLoss = 0;    // epoch loss belonging to the current weights
  int bestEpoch = 0;
  double bestLoss = 0;
  std::vector<torch::Tensor> bestParams;
  torch::Tensor bestCentroids;
  int nanEpoch = 0, nanBatch = 0;

  // Per-thread with OpenMP: run() may execute on a worker thread, so every entry point sets it.
  void applyThreads() const;

  // View-set embedding, nearest carried centroid and metrics, all copied to the CPU.
  EpochFrame frame(int epochNumber, double loss, double seconds);
  std::vector<NamedArray> weights() const;
  void snapshotBest(int epochNumber, double loss);
  void restoreBest();
};

// "cpu", "cuda", "cuda:N"; ConfigError when the device is unknown or not available.
torch::Device parseDevice(const std::string& name);

// images (N x 1 x 28 x 28 float) -> N x D float, in inference mode, `batch` images at a time.
// Batch 500: 20,000 view images took 0.239 s against 0.264 s at 2000 and 0.233–0.237 s at 256
// or 1000 (bench_train --explore, docs/benchmarks.md).
torch::Tensor embed(Encoder& encoder, const torch::Tensor& images, std::int64_t batch = 500);

// Index of the nearest centroid (squared Euclidean, as the loss measures) of every row.
torch::Tensor nearestCentroid(const torch::Tensor& points, const torch::Tensor& centroids);

// Copies named weights into the encoder; RunFileError on a missing name or shape mismatch.
void loadWeights(Encoder& encoder, const std::vector<NamedArray>& weights);

}  // namespace centroid
