// The seed objective: KMeansLoss on the encoder's outputs, centroids carried across batches.
#include "core/objectives/seed/SeedObjective.h"

namespace centroid {

SeedObjective::SeedObjective(const TrainConfig& config) : kmeans_(config.clusters, config.kmeansMaxIter) {}

torch::Tensor SeedObjective::loss(Encoder& encoder, const ObjectiveBatch& batch) {
  return kmeans_.forward(encoder->forward(batch.images)).loss;
}

std::vector<torch::Tensor> SeedObjective::state() const {
  // A clone: the carried tensor is replaced, not changed in place, but a snapshot must not alias.
  return {kmeans_.hasCentroids() ? kmeans_.centroids().clone() : torch::Tensor()};
}

void SeedObjective::setState(const std::vector<torch::Tensor>& state) {
  if (!state.empty() && state[0].defined()) kmeans_.setCentroids(state[0]);
  else kmeans_.reset();
}

void seedDefaults(TrainConfig& /*config*/) {}

}  // namespace centroid
