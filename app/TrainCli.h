// Command-line options of centroid-train, parsed into a TrainConfig (CLI11).
#pragma once

#include <string>

#include "core/metrics/Types.h"

namespace centroid::app {

struct TrainOptions {
  TrainConfig config;
  std::string output;  // run file; empty = runs/<generated name>.h5
  bool force = false;  // --force: replace an existing -o file (never done silently); with --repair,
                       // repair a file written on another host
  std::string repair;  // --repair FILE: close a run whose writer died, then exit
  std::string runsDir = "runs";
  bool json = false;       // machine-readable summary on stdout
  bool quiet = false;      // no progress output
  int injectNanEpoch = 0;  // test hook (hidden option)
  int injectNanBatch = 0;
};

// Parses argv. Returns -1 to go on, otherwise the exit code to return at once (0 after
// --help/--version, 2 after a bad argument, with a one-line reason on stderr).
int parseTrainOptions(int argc, char** argv, TrainOptions& options);

}  // namespace centroid::app
