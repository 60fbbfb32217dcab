// bench_gui's run files: written by the core's RunWriter, shaped like a real run so that
// HDF5's compression and read times are the product's: the view set holds real MNIST images
// and labels (the product's default 10,000 train + 10,000 test, or 60,000 + 10,000), and every
// epoch a 3-D "ribbon" embedding with per-point noise (the k-means loss's typical picture, as
// in bench_render), ten centroids and nearest-centroid assignments. Torch-free.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/data/Idx.h"
#include "core/runfile/RunFile.h"
#include "bench/Ribbon.h"

namespace centroid::bench {

// The view set as the trainer builds it: the first `train` training images, then the first
// `test` test images. Without MNIST in dataDir: random labels and blank images (said in `note`).
inline ViewSet mnistViewSet(const std::string& dataDir, int train, int test, std::string* note) {
  ViewSet v;
  for (int d = 0; d < 10; ++d) v.classNames.push_back(std::to_string(d));
  auto add = [&](const char* images, const char* labels, int count, std::uint8_t split) {
    try {
      const IdxArray im = readIdx(dataDir + "/" + images, static_cast<std::size_t>(count));
      const IdxArray lb = readIdx(dataDir + "/" + labels, static_cast<std::size_t>(count));
      v.images.insert(v.images.end(), im.data.begin(), im.data.end());
      v.labels.insert(v.labels.end(), lb.data.begin(), lb.data.end());
    } catch (const std::exception& e) {
      if (note) *note = std::string("no MNIST (") + e.what() + "): random labels, blank images";
      v.images.resize(v.images.size() + static_cast<std::size_t>(count) * 784, 0);
      for (int i = 0; i < count; ++i) v.labels.push_back(static_cast<std::uint8_t>(i * 7 % 10));
    }
    for (int i = 0; i < count; ++i) v.indices.push_back(i), v.split.push_back(split);
  };
  add("train-images-idx3-ubyte", "train-labels-idx1-ubyte", train, 0);
  add("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test, 1);
  return v;
}

// A completed run of `epochs` epochs over `view`, as Trainer + RunWriter leave it.
inline void writeRibbonRun(const std::string& path, const ViewSet& view, int viewTrain, int epochs) {
  TrainConfig c;
  c.viewTrain = viewTrain;
  c.viewTest = static_cast<int>(view.labels.size()) - viewTrain;
  c.maxEpochs = epochs;
  c.patience = epochs;
  c.threads = 2;
  // The encoder's parameters (core/Encoder.cpp): names and shapes as a real run stores them.
  std::vector<NamedArray> weights = {{"conv1.weight", {32, 1, 3, 3}, {}},  {"conv1.bias", {32}, {}},
                                     {"conv2.weight", {16, 32, 5, 5}, {}}, {"conv2.bias", {16}, {}},
                                     {"fc1.weight", {12, 256}, {}},        {"fc1.bias", {12}, {}},
                                     {"fc2.weight", {3, 12}, {}},          {"fc2.bias", {3}, {}}};
  const std::vector<BaselineRow> baselines = {{"k-means on pixels", {0.64, 0.59, 0.49, 0.36, 0.51, 10}},
                                              {"PCA(3) + k-means", {0.47, 0.45, 0.35, 0.25, 0.39, 10}}};
  RunWriter w(path, c, view, weights, baselines, "MNIST", {{"torch_version", "bench"}});
  for (int e = 1; e <= epochs; ++e) w.append(ribbonEpoch(view.labels, e, 1));
  for (auto& a : weights) {
    std::size_t count = 1;
    for (auto s : a.shape) count *= static_cast<std::size_t>(s);
    a.values.assign(count, 0.01f);
  }
  w.setBest(epochs, weights);
  w.setStatus("completed", "max epochs reached");
}

}  // namespace centroid::bench
