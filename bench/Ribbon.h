// A synthetic epoch shaped like what the k-means loss produces after a few epochs (see the
// shared anchors): a thin, slightly curved ribbon with per-axis spread about (0.03, 0.12, 0.18),
// digits overlapping along it, and ten centroids slicing it into clusters. For bench_render and
// bench_gui. Torch-free.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::bench {

// Epoch e of a ribbon that stretches and drifts a little every epoch; noise is per point, so
// consecutive epochs differ in every coordinate (as a trained encoder's outputs do).
inline EpochFrame ribbonEpoch(const std::vector<std::uint8_t>& labels, int epoch, std::uint32_t seed,
                              double driftPerEpoch = 0.01) {
  const double along[10] = {-1.2, 0.9, 0.1, -0.2, 0.5, -0.5, -0.9, 1.3, 0.2, 0.7};
  const double across[10] = {0.3, -0.6, 0.5, -0.1, -0.4, 0.0, 0.6, -0.3, 0.1, 0.2};
  std::mt19937 rng(seed + static_cast<std::uint32_t>(epoch) * 7919u);
  std::normal_distribution<double> normal;
  const int n = static_cast<int>(labels.size());
  EpochFrame f;
  f.epoch = epoch;
  f.loss = 0.0412 / (1 + 0.1 * epoch);
  f.seconds = 2.3;
  f.dim = 3;
  f.clusters = 10;
  f.embedding.resize(static_cast<std::size_t>(n) * 3);
  const double drift = driftPerEpoch * epoch;
  for (int i = 0; i < n; ++i) {
    const int l = labels[static_cast<std::size_t>(i)] % 10;
    const double s = along[l] * (1 + drift) + 0.45 * normal(rng);
    const double u = across[l] + 0.55 * normal(rng);
    float* p = &f.embedding[static_cast<std::size_t>(i) * 3];
    p[0] = static_cast<float>(0.02 * s * s + 0.012 * normal(rng));
    p[1] = static_cast<float>(0.12 * u + 0.03 * s);
    p[2] = static_cast<float>(0.16 * s);
  }
  std::vector<float> z(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    z[static_cast<std::size_t>(i)] = f.embedding[static_cast<std::size_t>(i) * 3 + 2];
  std::sort(z.begin(), z.end());
  for (int k = 0; k < 10; ++k) {
    const float zk = z[static_cast<std::size_t>((k + 0.5) / 10 * (n - 1))];
    const double s = zk / 0.16;
    f.centroids.insert(f.centroids.end(),
                       {static_cast<float>(0.02 * s * s), static_cast<float>(0.03 * s), zk});
  }
  f.assignments.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const float* p = &f.embedding[static_cast<std::size_t>(i) * 3];
    int best = 0;
    float bestD = 1e30f;
    for (int k = 0; k < 10; ++k) {
      const float* c = &f.centroids[static_cast<std::size_t>(k) * 3];
      const float d =
          (p[0] - c[0]) * (p[0] - c[0]) + (p[1] - c[1]) * (p[1] - c[1]) + (p[2] - c[2]) * (p[2] - c[2]);
      if (d < bestD) bestD = d, best = k;
    }
    f.assignments[static_cast<std::size_t>(i)] = best;
  }
  const double q = std::min(1.0, 0.2 + 0.002 * epoch);
  f.metrics = {0.37 * q + 0.1, 0.28 * q + 0.1, 0.18 * q, 0.09 * q, 0.23 * q + 0.05, 10};
  return f;
}

}  // namespace centroid::bench
