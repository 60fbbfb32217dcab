// The registered objectives, one line each.
#include "core/objectives/Objectives.h"

#include "core/objectives/friendly/FriendlyObjective.h"
#include "core/objectives/seed/SeedObjective.h"

namespace centroid {

namespace {

template <class T>
std::unique_ptr<Objective> make(const TrainConfig& config) {
  return std::make_unique<T>(config);
}

}  // namespace

const std::vector<ObjectiveInfo>& objectives() {
  static const std::vector<ObjectiveInfo> all = {
      {"seed", "k-means loss (the post's method)", "k-means loss",
       "Lloyd's k-means on each batch as the loss, as in \"How not to reduce dimensionality for clustering\"",
       seedDefaults, make<SeedObjective>},
      {"friendly", "k-means-friendly embedding", "friendly objective",
       "neighbours and two augmented views of each digit land together around ten learned centroids",
       friendlyDefaults, make<FriendlyObjective>},
  };
  return all;
}

const ObjectiveInfo* findObjective(const std::string& name) {
  for (const ObjectiveInfo& o : objectives())
    if (name == o.name) return &o;
  return nullptr;
}

std::string methodLabel(const std::string& objective) {
  const ObjectiveInfo* info = findObjective(objective);
  return info ? info->method : objective;
}

namespace {

ConfigError unknown(const std::string& name) {
  std::string known;
  for (const ObjectiveInfo& o : objectives()) known += (known.empty() ? "" : ", ") + std::string(o.name);
  return ConfigError("objective: unknown objective \"" + name + "\"; known: " + known);
}

}  // namespace

TrainConfig defaultConfig(const std::string& objective) {
  const ObjectiveInfo* info = findObjective(objective);
  if (!info) throw unknown(objective);
  TrainConfig c;
  c.objective = info->name;
  info->defaults(c);
  return c;
}

TrainConfig withObjective(TrainConfig c, const std::string& objective) {
  const TrainConfig d = defaultConfig(objective);
  c.objective = d.objective;
  c.objectiveOptions = d.objectiveOptions;
  c.learningRate = d.learningRate;
  c.maxEpochs = d.maxEpochs;
  c.patience = d.patience;
  c.batchSize = d.batchSize;
  return c;
}

std::unique_ptr<Objective> makeObjective(const TrainConfig& config) {
  const ObjectiveInfo* info = findObjective(config.objective);
  if (!info) throw unknown(config.objective);
  return info->make(config);
}

}  // namespace centroid
