// What centroid-train prints: the progress line or bar, the closing table, the JSON summary.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::app {

class ProgressPrinter {
 public:
  // A redrawn bar when `out` is a terminal, plain lines otherwise.
  ProgressPrinter(std::FILE* out, int maxEpochs);
  void batch(const BatchProgress& p);
  void epoch(const EpochSummary& row);
  void message(const std::string& text);
  void finish();

 private:
  std::FILE* out_;
  bool tty_;
  int maxEpochs_;
  bool barShown_ = false;
};

// core's metrics table (epoch rows named after the objective, the best marked with *, then the
// baselines' rows) as fixed-width text.
std::string formatTable(const std::vector<EpochSummary>& rows, int bestEpoch,
                        const std::vector<BaselineRow>& baselines, const std::string& objective);

std::string formatJson(const TrainResult& result, const std::string& runFile,
                       const std::vector<EpochSummary>& rows, const std::vector<BaselineRow>& baselines,
                       const TrainConfig& config);

}  // namespace centroid::app
