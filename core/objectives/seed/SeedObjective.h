// The post's method, unchanged: Lloyd's k-means on each batch's outputs from the carried
// centroids, with gradients through the centroid means (KMeansLoss).
#pragma once

#include "core/objectives/Objective.h"
#include "core/objectives/seed/KMeansLoss.h"

namespace centroid {

class SeedObjective : public Objective {
 public:
  explicit SeedObjective(const TrainConfig& config);

  torch::Tensor loss(Encoder& encoder, const ObjectiveBatch& batch) override;
  torch::Tensor centroids() const override { return kmeans_.centroids(); }
  std::vector<torch::Tensor> state() const override;
  void setState(const std::vector<torch::Tensor>& state) override;

 private:
  KMeansLoss kmeans_;
};

// Defaults of the post's method: the TrainConfig defaults as they are.
void seedDefaults(TrainConfig& config);

}  // namespace centroid
