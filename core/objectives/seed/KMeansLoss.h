// k-means as a loss: Lloyd's algorithm on each batch of embeddings, carrying centroids across batches.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace centroid {

struct KMeansLossResult {
  torch::Tensor loss;         // scalar, with graph through the outputs and the centroids
  torch::Tensor centroids;    // K x D, detached: what the next batch starts from
  torch::Tensor assignments;  // int64, B: nearest final centroid of each output
  int iterations = 0;         // Lloyd updates run (< maxIter when the assignments settled)
};

// One batch: Lloyd's k-means on `outputs` (B x D) from `initial` (K x D), at most maxIter
// updates or until the assignments stop changing. A cluster that goes empty keeps its previous
// centroid. The final centroids are means of their outputs with the graph kept, so the loss
//   sum_i min_k d[k,i] / B  +  1 / ((sum_{k,i} d[k,i] - sum_i min_k d[k,i]) / B),
// d = squared Euclidean distance, pulls outputs to their centroids and pushes centroids apart.
class KMeansLoss {
 public:
  explicit KMeansLoss(int clusters, int maxIter = 50);

  // Runs one batch and carries its final centroids on. The first call starts from the first K
  // outputs (detached); B may be below K later (a short last batch): clusters simply go empty.
  KMeansLossResult forward(const torch::Tensor& outputs);

  // The same step from explicit centroids; does not touch the carried state.
  KMeansLossResult compute(const torch::Tensor& outputs, const torch::Tensor& initial);

  int clusters() const { return clusters_; }
  int maxIter() const { return maxIter_; }
  bool hasCentroids() const { return centroids_.defined(); }
  const torch::Tensor& centroids() const { return centroids_; }
  // Detached copy in; used to restore the best epoch or to undo a failed batch.
  void setCentroids(const torch::Tensor& centroids);
  void reset() { centroids_ = torch::Tensor(); }

  // On the CPU the Lloyd loop runs as plain loops: thousands of tiny tensor ops per epoch cost
  // far more in dispatch (and, under load, in waking thread pools) than the arithmetic. Tests
  // switch this on to check the tensor-op loop, which other devices use, gives the same result.
  void setTensorLoop(bool on) { tensorLoop_ = on; }

 private:
  void prepare(const torch::Tensor& x);
  // Both fill masks_ / maskCounts_ (see compute) and return the number of updates.
  int lloydWithTensors(const torch::Tensor& xd, const torch::Tensor& c0);
  int lloydOnHost(const torch::Tensor& xd, const torch::Tensor& c0);
  template <typename T>
  int lloydOnHostTyped(const torch::Tensor& xd, const torch::Tensor& c0);

  int clusters_;
  int maxIter_;
  bool tensorLoop_ = false;
  torch::Tensor centroids_;
  // Scratch for the Lloyd loop, reused between batches (resize_ keeps the storage, so only a
  // larger batch allocates).
  torch::Tensor diff_, dist_, assign_, prevAssign_, onehotBool_, onehot_, counts_, masks_, maskCounts_, sums_,
      clusterIds_;
  std::vector<double> hostCentroids_, hostSums_;
  std::vector<std::int64_t> hostCounts_;
};

}  // namespace centroid
