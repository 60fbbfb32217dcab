// The registry of training objectives: --objective, the GUI's selector and the run file name
// them by ObjectiveInfo::name. Adding one: its folder under core/objectives/ and one line in
// Objectives.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid {

class Objective;

struct ObjectiveInfo {
  const char* name;     // "seed", "friendly"
  const char* title;    // for menus: "k-means loss (the post's method)"
  const char* method;   // the trained rows of tables and the loss chart: "k-means loss"
  const char* summary;  // one sentence for --help and tooltips
  // The objective's own defaults (epochs, learning rate, batch size, patience, options) on top
  // of TrainConfig's; what a run with no other switch uses.
  void (*defaults)(TrainConfig& config);
  std::unique_ptr<Objective> (*make)(const TrainConfig& config);
};

// In registration order; the first is the default ("seed").
const std::vector<ObjectiveInfo>& objectives();
// The method label of a run trained with `objective` (its name when unknown: a newer file).
std::string methodLabel(const std::string& objective);
// Null for an unknown name.
const ObjectiveInfo* findObjective(const std::string& name);
// TrainConfig{} for that objective with its defaults applied; ConfigError for an unknown name.
TrainConfig defaultConfig(const std::string& objective);
// `base` switched to `objective`: its training defaults (learning rate, epochs, batch size,
// patience, options) replace base's; data, view set, K, embedding size, seed and compute stay.
// What choosing an objective in the GUI, --objective and Train Both do. ConfigError if unknown.
TrainConfig withObjective(TrainConfig base, const std::string& objective);
// ConfigError naming the known objectives when config.objective is unknown.
std::unique_ptr<Objective> makeObjective(const TrainConfig& config);

}  // namespace centroid
