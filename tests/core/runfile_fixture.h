// Deterministic run-file inputs shared by test_runfile and runfile_writer_child, so the test can
// check bit for bit what another process wrote.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::testing {

// splitmix64: cheap, portable, and the same in every process.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// A float in [-4, 4) with a full mantissa, like a real embedding (so compression is realistic).
inline float noise(std::uint64_t a, std::uint64_t b) {
  return static_cast<float>(mix(a * 0x100000001b3ull + b) >> 40) / static_cast<float>(1u << 24) * 8.f - 4.f;
}

inline TrainConfig testConfig() {
  TrainConfig c;
  c.dataset = "fashion-mnist";
  c.dataDir = "/data/ünïcode";
  c.subset = 1234;
  c.viewTrain = 1500;
  c.viewTest = 500;
  c.clusters = 10;
  c.embedDim = 3;
  c.batchSize = 128;
  c.maxEpochs = 40;
  c.patience = 7;
  c.learningRate = 3.25e-4;
  c.kmeansMaxIter = 25;
  c.seed = 0xfedcba9876543210ull;  // above 2^63: the attribute must be unsigned
  c.threads = 2;
  c.device = "cpu";
  c.baselines = true;
  return c;
}

inline ViewSet testView(int n, bool images = true) {
  ViewSet v;
  for (int i = 0; i < n; ++i) {
    v.labels.push_back(static_cast<std::uint8_t>(mix(i) % 10));
    v.indices.push_back(i % 1500);
    v.split.push_back(i < 1500 ? 0 : 1);
  }
  if (images) {
    v.images.resize(static_cast<std::size_t>(n) * 28 * 28);
    for (std::size_t i = 0; i < v.images.size(); ++i) {
      v.images[i] = static_cast<std::uint8_t>(i % 784 < 200 ? 0 : mix(i) & 0xff);  // blank borders
    }
  }
  v.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                  "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return v;
}

inline std::vector<NamedArray> testLayout() {
  return {{"conv1.weight", {8, 1, 3, 3}, {}},
          {"conv1.bias", {8}, {}},
          {"fc.weight", {3, 72}, {}},
          {"temperature", {}, {}}};  // a 0-d parameter
}

inline std::vector<NamedArray> testWeights(int epoch) {
  auto w = testLayout();
  for (std::size_t a = 0; a < w.size(); ++a) {
    std::size_t n = 1;
    for (auto d : w[a].shape) n *= static_cast<std::size_t>(d);
    for (std::size_t i = 0; i < n; ++i) w[a].values.push_back(noise(epoch * 100 + a, i));
  }
  return w;
}

inline std::vector<BaselineRow> testBaselines() {
  Metrics pixels{0.61, 0.58, 0.51, 0.37, 0.55, 10};
  Metrics pca{0.47, 0.45, 0.39, 0.25, 0.44, 9};
  return {{"k-means on pixels", pixels}, {"PCA(3) + k-means", pca}};
}

inline EpochFrame testFrame(int epoch, int points, int clusters = 10, int dim = 3) {
  EpochFrame f;
  f.epoch = epoch;
  f.loss = 1.0 / epoch + noise(epoch, 1) * 1e-9;
  f.seconds = 0.25 * epoch;
  f.dim = dim;
  f.clusters = clusters;
  for (int i = 0; i < points * dim; ++i) f.embedding.push_back(noise(epoch, 1000 + i));
  for (int i = 0; i < clusters * dim; ++i) f.centroids.push_back(noise(-epoch, i));
  for (int i = 0; i < points; ++i)
    f.assignments.push_back(static_cast<std::int32_t>(mix(epoch * 7919 + i) % clusters));
  f.metrics = {0.5 + epoch * 0.01,  0.4 + epoch * 0.01,  0.3 + epoch * 0.001,
               0.2 - epoch * 0.001, 0.45 + epoch * 1e-3, clusters - epoch % 2};
  return f;
}

}  // namespace centroid::testing
