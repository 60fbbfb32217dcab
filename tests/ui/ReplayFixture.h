// Run files for the replay and export tests, written by the core's RunWriter with synthetic
// epochs whose every number is known: positions, assignments and metrics per epoch.
#pragma once

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"

namespace centroid::replaytest {

// splitmix64, as the core tests use: the same numbers in every process.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline float unit(std::uint64_t a) { return static_cast<float>(mix(a) >> 40) / static_cast<float>(1u << 24); }

inline int labelOf(int i) { return i % 10; }

inline TrainConfig fixtureConfig(int points) {
  TrainConfig c;
  c.viewTrain = points - points / 4;
  c.viewTest = points / 4;
  c.clusters = 10;
  c.embedDim = 3;
  c.learningRate = 3e-4;
  c.maxEpochs = 30;
  c.seed = 42;
  return c;
}

// Labels i % 10; the first three quarters come from the training split, the rest from the
// test split; each image is a filled square whose size grows with the label.
inline ViewSet fixtureView(int points, bool images = true) {
  ViewSet v;
  const int train = points - points / 4;
  for (int i = 0; i < points; ++i) {
    v.labels.push_back(static_cast<std::uint8_t>(labelOf(i)));
    v.split.push_back(i < train ? 0 : 1);
    v.indices.push_back(i < train ? 1000 + i : i - train);
  }
  if (images) {
    v.images.assign(static_cast<std::size_t>(points) * 784, 0);
    for (int i = 0; i < points; ++i)
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
          if (std::abs(x - 14) <= 2 + labelOf(i) && std::abs(y - 14) <= 2 + labelOf(i))
            v.images[static_cast<std::size_t>(i) * 784 + y * 28 + x] = 255;
  }
  for (int l = 0; l < 10; ++l) v.classNames.push_back("digit " + std::to_string(l));
  return v;
}

// Point i of epoch e: a fixed random place in [-4, 4)^3, scaled by 1 + 0.25 (e - 1) and moved
// by (e - 1) along its label's own direction in the x-y plane, so each epoch's positions are
// known, different, and not just a zoom of the last (the camera follows the cloud's size).
// Assigned to cluster (i + e) % 10.
inline EpochFrame fixtureFrame(int epoch, int points) {
  EpochFrame f;
  f.epoch = epoch;
  f.loss = 1.0 / epoch;
  f.seconds = 0.5;
  f.dim = 3;
  f.clusters = 10;
  const float scale = 1.0f + 0.25f * static_cast<float>(epoch - 1);
  for (int i = 0; i < points * 3; ++i) {
    const double angle = 0.6283185307179586 * labelOf(i / 3);
    const double drift = i % 3 == 0 ? std::cos(angle) : i % 3 == 1 ? std::sin(angle) : 0.0;
    f.embedding.push_back((unit(static_cast<std::uint64_t>(i)) * 8 - 4) * scale +
                          static_cast<float>(drift * (epoch - 1)));
  }
  for (int k = 0; k < 10; ++k)
    for (int d = 0; d < 3; ++d) f.centroids.push_back((unit(1000000u + k * 3 + d) * 6 - 3) * scale);
  for (int i = 0; i < points; ++i) f.assignments.push_back((i + epoch) % 10);
  f.metrics = {0.5 + epoch * 0.01,  0.4 + epoch * 0.01,  0.3 + epoch * 0.001,
               0.2 - epoch * 0.001, 0.45 + epoch * 1e-3, 10 - epoch % 2};
  return f;
}

inline std::vector<BaselineRow> fixtureBaselines() {
  return {{"k-means on pixels", {0.61, 0.58, 0.51, 0.37, 0.55, 10}},
          {"PCA(3) + k-means", {0.47, 0.45, 0.39, 0.25, 0.44, 9}}};
}

inline std::vector<NamedArray> fixtureLayout() { return {{"fc.weight", {3, 4}, {}}}; }

// A finished run of `epochs` epochs.
inline void writeFixtureRun(const std::string& path, int points, int epochs, bool images = true) {
  RunWriter w(path, fixtureConfig(points), fixtureView(points, images), fixtureLayout(), fixtureBaselines(),
              "MNIST", {{"torch_version", "test"}});
  for (int e = 1; e <= epochs; ++e) w.append(fixtureFrame(e, points));
  w.setBest(epochs, {{"fc.weight", {3, 4}, std::vector<float>(12, 0.5f)}});
  w.setStatus("completed", "max epochs reached");
}

// The damaged and foreign files a user may hand the window. Returns the path written.
enum class BadFile { Truncated, Foreign, Newer, Empty, NotHdf5 };

inline std::string writeBadFile(BadFile kind, const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string names[] = {"truncated.h5", "foreign.h5", "newer.h5", "empty.h5", "notes.h5"};
  const std::string path = (fs::path(dir) / names[static_cast<int>(kind)]).string();
  fs::remove(path);
  switch (kind) {
    case BadFile::Truncated: {
      const std::string good = path + ".good";
      writeFixtureRun(good, 300, 2);
      fs::copy_file(good, path, fs::copy_options::overwrite_existing);
      fs::resize_file(path, fs::file_size(good) / 2);
      break;
    }
    case BadFile::Foreign: {
      h5::QuietErrors quiet;
      h5::File f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
      double data[4] = {1, 2, 3, 4};
      h5::createDataset(f.get(), "temperatures", H5T_IEEE_F64LE, {4}, H5T_NATIVE_DOUBLE, data);
      break;
    }
    case BadFile::Newer: {
      writeFixtureRun(path, 50, 1);
      h5::QuietErrors quiet;
      h5::File f(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
      h5::Attribute a(H5Aopen_by_name(f.get(), "/", "format_version", H5P_DEFAULT, H5P_DEFAULT));
      std::int32_t newer = kRunFormatVersion + 1;
      H5Awrite(a.get(), H5T_NATIVE_INT32, &newer);
      break;
    }
    case BadFile::Empty: std::ofstream(path).close(); break;
    case BadFile::NotHdf5: std::ofstream(path) << "epoch,loss\n1,0.5\n"; break;
  }
  return path;
}

// What the reader says about each (docs/run-file.md, "Errors").
inline const char* badFileMessage(BadFile kind) {
  switch (kind) {
    case BadFile::Truncated: return "the file is truncated";
    case BadFile::Foreign: return "not a Centroid run file";
    case BadFile::Newer: return "written by a newer Centroid (format 3, this reads 2)";
    case BadFile::Empty: return "the file is empty";
    case BadFile::NotHdf5: return "not an HDF5 file";
  }
  return "";
}

}  // namespace centroid::replaytest
