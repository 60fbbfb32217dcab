// A training objective: what the trainer minimises on each batch, and which centroids the view
// shows and assigns the points to. The trainer, the run file, the charts and the tables work
// with any objective; adding one is a folder under core/objectives/ and one line in
// Objectives.cpp (docs/architecture.md, "Where does a new X go").
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/metrics/Types.h"
#include "core/model/Encoder.h"

namespace centroid {

// What an objective may use before training starts.
struct ObjectiveContext {
  const TrainConfig& config;
  const torch::Tensor& train;                   // N x 1 x 28 x 28 float in [0, 1], on the training device
  std::function<void(const std::string&)> say;  // progress notes for the user ("building ...")
  const std::atomic<bool>* stop = nullptr;      // long preparations check it
};

// One optimisation step's input.
struct ObjectiveBatch {
  const torch::Tensor& images;   // B x 1 x 28 x 28
  const torch::Tensor& indices;  // B, int64: the images' rows in the training set
  int epoch = 0;                 // 1-based
  int batch = 0;                 // 0-based within the epoch
  int batches = 0;               // per epoch
};

class Objective {
 public:
  virtual ~Objective() = default;

  // Once, before the first epoch: neighbour graphs, pretraining, initial centroids.
  virtual void prepare(Encoder& /*encoder*/, const ObjectiveContext& /*context*/) {}
  // Trainable tensors besides the encoder's (learnable centroids, a decoder); the trainer's
  // optimiser steps them too, and best-weights restore covers them.
  virtual std::vector<torch::Tensor> parameters() { return {}; }
  // The learning rate of a batch (epoch 1-based, batch 0-based of `batches`) for a run of
  // maxEpochs configured with `base`: a schedule, if the objective has one.
  virtual double learningRate(int /*epoch*/, int /*batch*/, int /*batches*/, int /*maxEpochs*/,
                              double base) const {
    return base;
  }

  // The batch's loss (a scalar with its graph). May advance state that batches carry (the
  // seed's centroids); state()/setState() undo that when the loss turns out NaN.
  virtual torch::Tensor loss(Encoder& encoder, const ObjectiveBatch& batch) = 0;

  // The centroids the view shows and assigns to, K x D (detached), or an undefined tensor while
  // the objective has none yet (the frame then stands in the first K training images).
  virtual torch::Tensor centroids() const = 0;

  // Non-parameter state that loss() changes, for undoing a batch and restoring the best epoch.
  virtual std::vector<torch::Tensor> state() const { return {}; }
  virtual void setState(const std::vector<torch::Tensor>& /*state*/) {}

  // Weights beyond the encoder's, stored with the best weights ("objective.centroids").
  virtual std::vector<NamedArray> extraWeights() const { return {}; }
};

}  // namespace centroid
