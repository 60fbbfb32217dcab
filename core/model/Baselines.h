// Reference clusterings the learned embedding is compared against: k-means on raw pixels and
// k-means on a 3-D PCA projection, both scored with core/Metrics.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "core/metrics/Types.h"

namespace centroid {

struct KMeansResult {
  torch::Tensor centroids;    // float32, k x D
  torch::Tensor assignments;  // int64, N: index of the nearest centroid
  double inertia = 0;         // sum of squared distances to the assigned centroids
};

// k-means++ (greedy, several candidates per step, as scikit-learn does) then Lloyd iterations
// until assignments stop changing, the centroids move less than scikit-learn's tol (1e-4 of the
// mean feature variance) or maxIter; the run with the lowest inertia over `restarts` wins.
// x is N x D (any float dtype, any device; work and results are float32 on the CPU).
// Deterministic for a given seed and thread count: draws come from a local generator, the
// global torch seed is untouched. Throws std::invalid_argument for k < 1, k > N,
// restarts < 1, maxIter < 1 or an x that is not a non-empty 2-D tensor.
KMeansResult kmeans(const torch::Tensor& x, int k, std::uint64_t seed, int restarts = 4, int maxIter = 100);

// Projection of the centred rows of x (N x D) on its top `components` principal axes, N x
// components float32. Each axis is signed so that its largest-magnitude loading is positive,
// which makes the result reproducible across LAPACK builds.
torch::Tensor pcaProject(const torch::Tensor& x, int components);

// "k-means on pixels" and "PCA(3) + k-means" on images (N x anything, flattened per row),
// scored against labels. Classes are 0..max(label).
std::vector<BaselineRow> computeBaselines(const torch::Tensor& images,
                                          const std::vector<std::uint8_t>& labels, int clusters,
                                          std::uint64_t seed);

}  // namespace centroid
