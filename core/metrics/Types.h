// Plain value types that cross every layer: training settings, per-epoch frames, results.
// No torch, no HDF5, no Qt: the GUI, the run-file code and the fuzzers include this cheaply.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace centroid {

// Every training setting. The same struct is written into the run file's attributes.
struct TrainConfig {
  std::string dataset = "mnist";  // "mnist", "fashion-mnist", or a folder holding the four IDX files
  std::string dataDir;            // root for "mnist"/"fashion-mnist"; empty = default search
  int subset = 0;                 // train on the first N training images; 0 = all
  int viewTrain = 10000;          // view set: the first viewTrain training images ...
  int viewTest = 10000;           // ... followed by the first viewTest test images
  int clusters = 10;              // K
  int embedDim = 3;               // encoder output size
  int batchSize = 256;            // images per optimisation step
  int maxEpochs = 30;             // hard cap on epochs
  int patience = 5;               // stop after this many epochs without a lower epoch loss
  double learningRate = 1e-4;     // Adam
  int kmeansMaxIter = 50;         // Lloyd iterations per batch (stops early when assignments settle)
  std::uint64_t seed = 0;         // torch and shuffle seed
  int threads = 0;                // intra-op threads; 0 = all cores
  std::string device = "cpu";     // "cpu", "cuda", "cuda:1", ...
  // "fp32", or "bf16": the encoder's conv2 in bfloat16 for training and snapshots (opt-in; fast
  // only where the CPU has AVX512-BF16 or AMX; docs/benchmarks.md measures what it changes).
  std::string precision = "fp32";
  bool baselines = false;          // also compute k-means on pixels and PCA(3)+k-means on the view set
  std::string objective = "seed";  // core/objectives/Objectives.h: "seed" (the post's) or "friendly"
  // The objective's own settings by name (FriendlyObjective.h lists its); a registered
  // objective's defaults fill them in, so a run file records every value the run used.
  std::map<std::string, double> objectiveOptions;

  // Empty when valid; otherwise one line naming the setting and the fault.
  std::string validate() const;
};

// Clustering quality of one assignment against the true labels.
struct Metrics {
  double seedPurity = 0;  // the post's purity: mean over non-empty clusters of the majority share
  double purity = 0;      // standard purity: sum of column maxima / N
  double nmi = 0;         // arithmetic normalisation (scikit-learn's default)
  double ari = 0;
  double accuracy = 0;  // Hungarian accuracy
  int nonEmptyClusters = 0;
};

// Per-cluster row of the purity table.
struct ClusterRow {
  int cluster = 0;
  int size = 0;
  int majorityLabel = -1;  // -1 for an empty cluster
  double purity = 0;       // majority share; 0 for an empty cluster
};

// One epoch as the trainer reports it: everything the view, charts and run file need.
struct EpochFrame {
  int epoch = 0;                          // 1-based
  double loss = 0;                        // mean batch loss over the epoch
  double seconds = 0;                     // wall time of the epoch's training steps
  int dim = 0;                            // embedding dimension D
  int clusters = 0;                       // K
  std::vector<float> embedding;           // view set, row-major N x D
  std::vector<float> centroids;           // row-major K x D (the carried centroids after the epoch)
  std::vector<std::int32_t> assignments;  // N: nearest centroid of each view point
  Metrics metrics;                        // of assignments against the view set's labels

  int points() const { return dim > 0 ? static_cast<int>(embedding.size()) / dim : 0; }
};

// One epoch's scalars, as the charts and tables need them (no embeddings).
struct EpochSummary {
  int epoch = 0;
  double loss = 0;
  double seconds = 0;
  Metrics metrics;
};

// The view set: which images are embedded every epoch, and their labels.
struct ViewSet {
  std::vector<std::uint8_t> labels;   // N
  std::vector<std::int32_t> indices;  // N: index within its split
  std::vector<std::uint8_t> split;    // N: 0 = train, 1 = test
  std::vector<std::uint8_t> images;   // N x 28 x 28, raw pixels (for hover thumbnails)
  int width = 28, height = 28;
  std::vector<std::string> classNames;  // one per label value ("0".."9", "T-shirt/top", ...)
};

// A baseline's evaluation on the view set (k-means on pixels, PCA(3)+k-means).
struct BaselineRow {
  std::string name;
  Metrics metrics;
};

// A named float array: model weights in a torch-free form.
struct NamedArray {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

// Within-epoch progress, throttled by the trainer to about ten reports a second.
struct BatchProgress {
  int epoch = 0;    // 1-based
  int batch = 0;    // batches done in this epoch
  int batches = 0;  // batches per epoch
  double imagesPerSecond = 0;
  double loss = 0;  // running mean loss of this epoch
};

enum class TrainStatus { Completed, EarlyStopped, Cancelled, Failed };
const char* toString(TrainStatus s);

struct TrainResult {
  TrainStatus status = TrainStatus::Completed;
  std::string reason;  // why it stopped ("patience 5 reached", "loss became NaN at epoch 3 batch 17", ...)
  int epochsRun = 0;
  int bestEpoch = 0;  // 1-based; 0 when no epoch finished
  double bestLoss = 0;
};

// Errors a user can act on. The message names the file or setting and the fault.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RunFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace centroid
