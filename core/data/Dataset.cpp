// Finding a dataset's folder and turning its four IDX files into checked train/test splits.
#include "core/data/Dataset.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "core/data/Idx.h"

#ifndef CENTROID_DEFAULT_DATA_DIR
#define CENTROID_DEFAULT_DATA_DIR ""
#endif

namespace centroid {
namespace {

namespace fs = std::filesystem;

constexpr int kSide = 28;     // the encoder is built for 28 x 28 images
constexpr int kClasses = 10;  // MNIST and Fashion-MNIST both have ten
const char* const kFashionSystemDir = "/usr/share/datasets/fashion-mnist";  // Debian's dataset-fashion-mnist

const char* const kTrainImages = "train-images-idx3-ubyte";
const char* const kTrainLabels = "train-labels-idx1-ubyte";
const char* const kTestImages = "t10k-images-idx3-ubyte";
const char* const kTestLabels = "t10k-labels-idx1-ubyte";
const char* const kAllFiles[] = {kTrainImages, kTrainLabels, kTestImages, kTestLabels};

bool isBuiltin(const std::string& name) { return name == "mnist" || name == "fashion-mnist"; }

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The raw file when present (no inflating), else the .gz; empty when neither exists.
std::string findIdxFile(const std::string& folder, const std::string& base) {
  const fs::path raw = fs::path(folder) / base;
  if (isFile(raw)) return raw.string();
  fs::path gz = raw;
  gz += ".gz";
  return isFile(gz) ? gz.string() : std::string();
}

// Empty when the folder holds all four files; otherwise why it does not qualify.
std::string whyNotUsable(const std::string& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return "no such folder";
  if (!fs::is_directory(folder, ec)) return "not a folder";
  std::string missing;
  for (const char* f : kAllFiles) {
    if (!findIdxFile(folder, f).empty()) continue;
    // Present under the right name but not a file: "lacks" would contradict what the user sees.
    const fs::path raw = fs::path(folder) / f;
    if (fs::is_directory(raw, ec)) return std::string(f) + " is a folder, not a file";
    if (fs::exists(raw, ec)) return std::string(f) + " is not a regular file";
    missing += std::string(missing.empty() ? "" : ", ") + f;
  }
  return missing.empty() ? std::string() : "lacks " + missing + " (raw or .gz)";
}

}  // namespace

std::string userDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return (fs::path(xdg) / "centroid").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".local" / "share" / "centroid").string();
  return {};
}

std::string installedDataDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  // <prefix>/bin/centroid-train -> <prefix>/share/centroid
  return (exe.parent_path().parent_path() / "share" / "centroid").lexically_normal().string();
}

namespace {

// Where a built-in dataset may live, in search order. dataDir and $CENTROID_DATA_DIR may name
// either a root holding <name>/ or the dataset folder itself.
std::vector<std::string> candidateFolders(const std::string& name, const std::string& dataDir) {
  std::vector<std::string> out;
  const auto add = [&out](const fs::path& p) {
    const std::string s = p.lexically_normal().string();
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  if (!dataDir.empty()) {
    add(fs::path(dataDir) / name);
    add(dataDir);
  }
  if (const char* env = std::getenv("CENTROID_DATA_DIR"); env && *env) {
    add(fs::path(env) / name);
    add(env);
  }
  // An installed program: the user's data folder, then the one beside the installed program.
  if (const std::string user = userDataDir(); !user.empty()) add(fs::path(user) / name);
  if (const std::string installed = installedDataDir(); !installed.empty()) add(fs::path(installed) / name);
  if (*CENTROID_DEFAULT_DATA_DIR) add(fs::path(CENTROID_DEFAULT_DATA_DIR) / name);
  if (name == "fashion-mnist") add(kFashionSystemDir);
  return out;
}

std::string howToFix(const std::string& name) {
  const std::string files = std::string(kTrainImages) + ", " + kTrainLabels + ", " + kTestImages + " and " +
                            kTestLabels + " (raw or .gz)";
  if (name == "mnist")
    return "Run scripts/setup.sh (it fetches MNIST into " + std::string(CENTROID_DEFAULT_DATA_DIR) +
           "/mnist), or pass --data-dir (or set CENTROID_DATA_DIR) to a folder holding " + files + ".";
  if (name == "fashion-mnist")
    return "Install Debian's dataset-fashion-mnist package (scripts/setup.sh does), or pass --data-dir "
           "(or set CENTROID_DATA_DIR) to a folder holding " +
           files + ".";
  return "Pass a folder holding " + files + ", or use --dataset mnist or fashion-mnist.";
}

std::string shapeOf(const IdxArray& a) {
  std::string s = std::to_string(a.fileItems);
  for (std::size_t i = 1; i < a.dims.size(); ++i) s += " x " + std::to_string(a.dims[i]);
  return s;
}

Split loadSplit(const std::string& folder, const char* imagesBase, const char* labelsBase, int maxItems) {
  // resolveDatasetFolder found both; should one vanish since, readIdx names it.
  std::string imagesPath = findIdxFile(folder, imagesBase);
  std::string labelsPath = findIdxFile(folder, labelsBase);
  if (imagesPath.empty()) imagesPath = (fs::path(folder) / imagesBase).string();
  if (labelsPath.empty()) labelsPath = (fs::path(folder) / labelsBase).string();
  const std::string imagesName = fs::path(imagesPath).filename().string();
  const std::string labelsName = fs::path(labelsPath).filename().string();

  IdxArray images = readIdx(imagesPath, static_cast<std::size_t>(maxItems));
  IdxArray labels = readIdx(labelsPath, static_cast<std::size_t>(maxItems));
  if (images.dims.size() != 3 || images.dims[1] != kSide || images.dims[2] != kSide)
    throw DataError(imagesName + ": expected images shaped N x 28 x 28, found " + shapeOf(images));
  if (labels.dims.size() != 1)
    throw DataError(labelsName + ": expected a 1-D array of labels, found " + shapeOf(labels));
  // Compare the headers' counts, not the items read: a maxItems read would hide a mismatch.
  if (images.fileItems != labels.fileItems)
    throw DataError(imagesName + " holds " + std::to_string(images.fileItems) + " images but " + labelsName +
                    " holds " + std::to_string(labels.fileItems) + " labels; they must match");
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] >= kClasses)
      throw DataError(labelsName + ": label " + std::to_string(labels.data[i]) + " at index " +
                      std::to_string(i) + " is out of range; expected 0 to " + std::to_string(kClasses - 1));

  Split split;
  split.height = kSide;
  split.width = kSide;
  split.rawImages = std::move(images.data);
  split.rawLabels = std::move(labels.data);
  const auto n = static_cast<std::int64_t>(split.rawLabels.size());
  // from_blob borrows the vectors; .to() copies into tensors that own their memory.
  split.images = torch::from_blob(split.rawImages.data(), {n, 1, kSide, kSide}, torch::kUInt8)
                     .to(torch::kFloat32)
                     .div_(255.0f);
  split.labels = torch::from_blob(split.rawLabels.data(), {n}, torch::kUInt8).to(torch::kInt64);
  return split;
}

std::vector<std::string> classNamesFor(const std::string& name) {
  if (name == "fashion-mnist")
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",  // Zalando's label order
            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  std::vector<std::string> names;
  names.reserve(kClasses);
  for (int i = 0; i < kClasses; ++i) names.push_back(std::to_string(i));
  return names;
}

}  // namespace

std::string resolveDatasetFolder(const std::string& name, const std::string& dataDir) {
  if (name.empty()) throw DataError("dataset: no name given. " + howToFix(name));
  if (!isBuiltin(name)) {
    const std::string why = whyNotUsable(name);
    if (why.empty()) return name;
    throw DataError("dataset folder " + name + ": " + why + ". " + howToFix(name));
  }
  std::string looked;
  for (const auto& folder : candidateFolders(name, dataDir)) {
    const std::string why = whyNotUsable(folder);
    if (why.empty()) return folder;
    looked.append("\n  ").append(folder).append(": ").append(why);
  }
  throw DataError("dataset " + name + ": not found. Looked in:" + looked + "\n" + howToFix(name));
}

Dataset loadDataset(const std::string& name, const std::string& dataDir, int maxTrain, int maxTest) {
  if (maxTrain < 0 || maxTest < 0)
    throw DataError("dataset " + name + ": item limits must be 0 (all) or positive, got " +
                    std::to_string(maxTrain) + " and " + std::to_string(maxTest));
  Dataset ds;
  ds.name = name;
  ds.folder = resolveDatasetFolder(name, dataDir);
  ds.train = loadSplit(ds.folder, kTrainImages, kTrainLabels, maxTrain);
  ds.test = loadSplit(ds.folder, kTestImages, kTestLabels, maxTest);
  ds.classNames = classNamesFor(name);
  return ds;
}

}  // namespace centroid
