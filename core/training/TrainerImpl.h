// The trainer's state behind Trainer's pimpl, shared by Trainer.cpp and TrainerFrames.cpp.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/Device.h"
#include "core/model/Encoder.h"
#include "core/objectives/Objective.h"
#include "core/training/Trainer.h"

namespace centroid {

struct Trainer::Impl {
  // objective: null means config.objective's, from the registry.
  Impl(TrainConfig c, std::unique_ptr<Objective> objective);

  TrainConfig config;
  torch::Device device{torch::kCPU};
  int threads = 1;
  ViewSet view;
  int classes = 10;
  torch::Tensor train;       // float N x 1 x 28 x 28, contiguous, on device: batches are gathered from it
  torch::Tensor viewImages;  // float V x 1 x 28 x 28 on device
  Encoder encoder{nullptr};
  std::unique_ptr<torch::optim::Adam> optimizer;
  std::unique_ptr<Objective> objective;
  bool prepared = false;  // objective->prepare() ran (once per trainer, before the first epoch)

  int epoch = 0;           // last finished epoch (1-based; 0 before training)
  double currentLoss = 0;  // epoch loss belonging to the current weights
  int bestEpoch = 0;
  double bestLoss = 0;
  std::vector<torch::Tensor> bestParams;  // encoder's, then the objective's parameters
  std::vector<torch::Tensor> bestState;   // the objective's state()
  int nanEpoch = 0, nanBatch = 0;

  // Per-thread with OpenMP: run() may execute on a worker thread, so every entry point sets it.
  void applyThreads() const;

  // View-set embedding, nearest carried centroid and metrics, all copied to the CPU.
  EpochFrame frame(int epochNumber, double loss, double seconds);
  std::vector<NamedArray> weights() const;
  std::vector<torch::Tensor> allParameters() const;  // encoder's, then the objective's
  void snapshotBest(int epochNumber, double loss);
  void restoreBest();
};

// Copies named weights into the encoder; RunFileError on a missing name or shape mismatch.
void loadWeights(Encoder& encoder, const std::vector<NamedArray>& weights);

}  // namespace centroid
