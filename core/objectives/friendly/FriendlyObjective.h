// A k-means-friendly 3-D embedding on the seed's encoder. Before training: the k nearest
// neighbours of every training image in the PCA of its deskewed pixels. Each batch: the anchors
// and one random neighbour of each, both randomly distorted (rotation, scale, shift, shear), are
// embedded; soft assignments to K learned
// centroids (a Gaussian kernel on the squared distance) must agree between an anchor and its
// neighbour, while the batch's mean assignment stays balanced over the K clusters (SCAN's loss,
// Van Gansbeke et al. 2020, with centroids in the output space instead of a softmax head, so
// that "nearest centroid" is the clustering). An optional first stage pulls the two views
// together with InfoNCE (Cauchy kernel) before the centroids exist. docs/benchmarks.md,
// "Objectives", has what each ingredient measured.
#pragma once

#include <map>
#include <string>

#include "core/objectives/Objective.h"
#include "core/objectives/friendly/Augment.h"

namespace centroid {

// Its options (TrainConfig::objectiveOptions), with the defaults friendlyDefaults sets.
struct FriendlyOptions {
  int neighbours = 10;     // "neighbours": k of the kNN graph
  int pcaDims = 50;        // "pca_dims": dimensions of the pixels' PCA the graph is built in
  bool deskew = true;      // "deskew": the graph is built from deskewed images (the training is not)
  double temperature = 1;  // "temperature": assignments are softmax(-d^2 / temperature)
  // "output_std": before training, the last layer is scaled so that the outputs' spread per
  // axis is this. A fresh encoder's outputs lie within about 0.03 of each other: against a
  // temperature of 1 every assignment would be uniform and the loss flat (measured: stuck at
  // -2 log K from the first batch). 0 leaves the layer alone.
  double outputStd = 1;
  double balance = 3;    // "balance": weight of the negative entropy of the mean assignment
  double contrast = 0;   // "contrast": weight of InfoNCE between the views during clustering
  int warmupEpochs = 0;  // "warmup_epochs": InfoNCE only, before the centroids are placed
  bool augment = true;   // "augment": 0 trains on the images as they are
  AugmentOptions distortion{12, 0.1, 2, 0.3};  // "rotation" (degrees), "scale", "shift" (pixels), "shear"
  bool cosine = true;  // "cosine": learning rate on a half cosine from lr to 0 over the run
  // "lr_warmup": the learning rate rises linearly from 0 over this many first steps (Adam's first
  // steps at full rate can throw the outputs so far that the Gaussian kernel saturates).
  int lrWarmupSteps = 200;

  static FriendlyOptions from(const std::map<std::string, double>& options);  // ConfigError on unknown names
  std::map<std::string, double> toMap() const;
};

class FriendlyObjective : public Objective {
 public:
  explicit FriendlyObjective(const TrainConfig& config);

  void prepare(Encoder& encoder, const ObjectiveContext& context) override;
  std::vector<torch::Tensor> parameters() override { return {centroids_}; }
  double learningRate(int epoch, int batch, int batches, int maxEpochs, double base) const override;
  torch::Tensor loss(Encoder& encoder, const ObjectiveBatch& batch) override;
  torch::Tensor centroids() const override;
  std::vector<NamedArray> extraWeights() const override;

  const FriendlyOptions& options() const { return options_; }
  const torch::Tensor& neighbours() const { return neighbours_; }

 private:
  void placeCentroids(Encoder& encoder);
  void scaleOutputs(Encoder& encoder);  // fc2 scaled to options_.outputStd (see FriendlyOptions)  // k-means
                                        // on the embedding of up to 10,000 training images

  TrainConfig config_;
  FriendlyOptions options_;
  torch::Tensor train_;       // the training images (shared with the trainer, not copied)
  torch::Tensor neighbours_;  // N x k int64
  torch::Tensor centroids_;   // K x D, learnable
  bool placed_ = false;
  at::Generator generator_;  // neighbour picks and distortions
};

void friendlyDefaults(TrainConfig& config);

// The loss terms, on their own for tests (p: B x K soft assignments, rows summing to 1).
// -mean_i log sum_k pa[i,k] pn[i,k]: anchors and neighbours in the same cluster.
torch::Tensor agreementLoss(const torch::Tensor& pa, const torch::Tensor& pn);
// sum_k pbar_k log pbar_k of the mean assignment: lowest (-log K) when the clusters are equal.
torch::Tensor negativeEntropyOfMean(const torch::Tensor& p);
// softmax(-|z - mu_k|^2 / temperature) over k.
torch::Tensor softAssignments(const torch::Tensor& z, const torch::Tensor& mu, double temperature);
// Symmetric InfoNCE over the batch with Cauchy logits -log(1 + |a_i - b_j|^2): row i's positive is b_i.
torch::Tensor cauchyInfoNce(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace centroid
