// Validation of TrainConfig and names of enum values.
#include "core/metrics/Types.h"

#include <cmath>
#include <sstream>
#include <string>

namespace centroid {

namespace {

// "-1e-09", not std::to_string's "-0.000000", which would hide why the value was refused.
std::string shortNumber(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string TrainConfig::validate() const {
  using std::to_string;
  if (dataset.empty()) return "dataset: must name mnist, fashion-mnist or a folder";
  if (subset < 0) return "subset: must be 0 (all) or a positive count, got " + to_string(subset);
  if (viewTrain < 0 || viewTest < 0) return "view set: counts must not be negative";
  if (viewTrain + viewTest <= 0) return "view set: must hold at least one image";
  if (viewTrain + viewTest > 70000) return "view set: at most 70000 images";
  if (clusters < 2) return "clusters: K must be at least 2, got " + to_string(clusters);
  if (embedDim < 1 || embedDim > 256)
    return "embedding dimension: must be 1 to 256, got " + to_string(embedDim);
  if (batchSize < 1) return "batch size: must be at least 1, got " + to_string(batchSize);
  if (clusters > batchSize)
    return "clusters: K (" + to_string(clusters) + ") must not exceed the batch size (" +
           to_string(batchSize) + ")";
  if (maxEpochs < 1) return "epochs: must be at least 1, got " + to_string(maxEpochs);
  if (patience < 1) return "patience: must be at least 1, got " + to_string(patience);
  if (!(learningRate > 0) || !std::isfinite(learningRate))
    return "learning rate: must be a positive number, got " + shortNumber(learningRate);
  if (kmeansMaxIter < 1) return "k-means iterations: must be at least 1, got " + to_string(kmeansMaxIter);
  if (threads < 0) return "threads: must be 0 (all cores) or positive, got " + to_string(threads);
  if (device.empty()) return "device: must be cpu or cuda[:N]";
  if (precision != "fp32" && precision != "bf16")
    return "precision: must be fp32 or bf16, got \"" + precision + "\"";
  return {};
}

const char* toString(TrainStatus s) {
  switch (s) {
    case TrainStatus::Completed: return "completed";
    case TrainStatus::EarlyStopped: return "early-stopped";
    case TrainStatus::Cancelled: return "cancelled";
    case TrainStatus::Failed: return "failed";
  }
  return "unknown";
}

}  // namespace centroid
