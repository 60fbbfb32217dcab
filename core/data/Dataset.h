// Datasets: MNIST, Fashion-MNIST or any folder with the four IDX files; train/test splits
// as float tensors in [0,1] shaped N x 1 x 28 x 28 with int64 labels.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/metrics/Types.h"

namespace centroid {

struct Split {
  torch::Tensor images;                 // float32, N x 1 x H x W, values in [0,1]
  torch::Tensor labels;                 // int64, N
  std::vector<std::uint8_t> rawImages;  // N x H x W bytes (for thumbnails)
  std::vector<std::uint8_t> rawLabels;  // N
  int height = 28, width = 28;
  int size() const { return static_cast<int>(rawLabels.size()); }
};

struct Dataset {
  std::string name;    // "mnist", "fashion-mnist" or the folder
  std::string folder;  // where the files were found
  Split train;
  Split test;
  std::vector<std::string> classNames;  // 10 names
};

// The data folders of an installed program: $XDG_DATA_HOME/centroid (default
// ~/.local/share/centroid) and <prefix>/share/centroid beside the running program
// (<prefix>/bin). Each may hold mnist/ and fashion-mnist/. Empty when unknown.
std::string userDataDir();
std::string installedDataDir();

// Resolves the folder: for "mnist"/"fashion-mnist", looks in dataDir, then $CENTROID_DATA_DIR,
// then userDataDir(), installedDataDir(), then the build's default data folder (and, for fashion-mnist,
// /usr/share/datasets/fashion-mnist). dataDir and $CENTROID_DATA_DIR may be a root holding <name>/ or the
// dataset folder itself; the first folder holding all four files wins. Any other name is a folder. Accepts
// raw or .gz IDX files (raw preferred when both exist). Throws DataError naming the file and fault. Images
// must be N x 28 x 28 and labels 0..9, with matching counts in each split. maxTrain/maxTest > 0 read only the
// first N items of each split (0 = all).
Dataset loadDataset(const std::string& name, const std::string& dataDir, int maxTrain = 0, int maxTest = 0);

// The folder loadDataset would use, or throws DataError listing where it looked.
std::string resolveDatasetFolder(const std::string& name, const std::string& dataDir);

}  // namespace centroid
