// The run-file pieces shared by the writer and the reader: series order, settings as JSON and attributes.
#include "core/RunFileFormat.h"

#include <nlohmann/json.hpp>

namespace centroid::runfile {

std::array<double, kScalarCount> scalarsOf(double loss, double seconds, const Metrics& m) {
  return {loss,  seconds, m.seedPurity, m.purity, m.nmi, m.ari, m.accuracy,
          static_cast<double>(m.nonEmptyClusters)};
}

void setScalars(EpochSummary& s, const std::array<double, kScalarCount>& v) {
  s.loss = v[0];
  s.seconds = v[1];
  s.metrics.seedPurity = v[2];
  s.metrics.purity = v[3];
  s.metrics.nmi = v[4];
  s.metrics.ari = v[5];
  s.metrics.accuracy = v[6];
  s.metrics.nonEmptyClusters = static_cast<int>(v[7]);
}

std::array<double, 6> metricsRow(const Metrics& m) {
  return {m.seedPurity, m.purity, m.nmi, m.ari, m.accuracy, static_cast<double>(m.nonEmptyClusters)};
}

Metrics metricsFromRow(const double* row) {
  Metrics m;
  m.seedPurity = row[0];
  m.purity = row[1];
  m.nmi = row[2];
  m.ari = row[3];
  m.accuracy = row[4];
  m.nonEmptyClusters = static_cast<int>(row[5]);
  return m;
}

namespace {

// Internal linkage on purpose: other layers may define their own JSON for TrainConfig.
nlohmann::json toJson(const TrainConfig& c) {
  return {{"dataset", c.dataset},
          {"data_dir", c.dataDir},
          {"subset", c.subset},
          {"view_train", c.viewTrain},
          {"view_test", c.viewTest},
          {"clusters", c.clusters},
          {"embed_dim", c.embedDim},
          {"batch_size", c.batchSize},
          {"max_epochs", c.maxEpochs},
          {"patience", c.patience},
          {"learning_rate", c.learningRate},
          {"kmeans_max_iter", c.kmeansMaxIter},
          {"seed", c.seed},
          {"threads", c.threads},
          {"device", c.device},
          {"baselines", c.baselines}};
}

template <class T>
void take(const nlohmann::json& j, const char* key, T& field) {
  if (auto it = j.find(key); it != j.end()) field = it->template get<T>();
}

std::string attributeNameFor(const std::string& key) {
  return key == "dataset" ? "dataset_setting" : key;
}

}  // namespace

std::string configToJson(const TrainConfig& config) { return toJson(config).dump(); }

TrainConfig configFromJson(const std::string& text) {
  TrainConfig c;
  try {
    auto j = nlohmann::json::parse(text);
    if (!j.is_object()) throw RunFileError("config_json: expected a JSON object");
    take(j, "dataset", c.dataset);
    take(j, "data_dir", c.dataDir);
    take(j, "subset", c.subset);
    take(j, "view_train", c.viewTrain);
    take(j, "view_test", c.viewTest);
    take(j, "clusters", c.clusters);
    take(j, "embed_dim", c.embedDim);
    take(j, "batch_size", c.batchSize);
    take(j, "max_epochs", c.maxEpochs);
    take(j, "patience", c.patience);
    take(j, "learning_rate", c.learningRate);
    take(j, "kmeans_max_iter", c.kmeansMaxIter);
    take(j, "seed", c.seed);
    take(j, "threads", c.threads);
    take(j, "device", c.device);
    take(j, "baselines", c.baselines);
  } catch (const nlohmann::json::exception& e) {
    throw RunFileError(std::string("config_json: ") + e.what());
  }
  return c;
}

void writeConfigAttributes(hid_t root, const TrainConfig& config) {
  h5::Type boolType = h5::boolType();
  const nlohmann::json settings = toJson(config);  // items() only refers to it
  for (const auto& [key, value] : settings.items()) {
    std::string name = attributeNameFor(key);
    if (value.is_string()) {
      h5::writeAttribute(root, name, value.get<std::string>());
    } else if (value.is_boolean()) {
      std::int8_t b = value.get<bool>() ? 1 : 0;
      h5::writeAttribute(root, name, boolType.get(), boolType.get(), &b);  // HDF5 won't convert int to enum
    } else if (value.is_number_unsigned()) {  // only the 64-bit seed
      std::uint64_t u = value.get<std::uint64_t>();
      h5::writeAttribute(root, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &u);
    } else if (value.is_number_integer()) {
      std::int32_t i = value.get<std::int32_t>();
      h5::writeAttribute(root, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &i);
    } else {
      double d = value.get<double>();
      h5::writeAttribute(root, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &d);
    }
  }
}

std::vector<std::string> configAttributeNames() {
  std::vector<std::string> names;
  const nlohmann::json settings = toJson(TrainConfig{});
  for (const auto& item : settings.items()) names.push_back(attributeNameFor(item.key()));
  return names;
}

std::string weightDatasetName(const std::string& name) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos) {
    throw RunFileError("weight name '" + name + "' cannot name an HDF5 dataset (empty, '.' or contains '/')");
  }
  return name;
}

std::string intactNote(long long stored) {
  if (stored == 0) return "no epoch had been stored yet";
  if (stored == 1) return "the 1 epoch stored before is intact";
  return "the " + std::to_string(stored) + " epochs stored before are intact";
}

}  // namespace centroid::runfile
