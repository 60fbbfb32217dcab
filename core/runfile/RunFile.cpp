// The run-file pieces shared by the writer and the reader: series order, settings as JSON and attributes.
#include "core/runfile/RunFileFormat.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

namespace centroid::runfile {

std::array<double, kScalarCount> scalarsOf(double loss, double seconds, const Metrics& m) {
  return {loss,  seconds, m.seedPurity, m.purity,
          m.nmi, m.ari,   m.accuracy,   static_cast<double>(m.nonEmptyClusters)};
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
          {"precision", c.precision},
          {"baselines", c.baselines},
          {"objective", c.objective},
          {"objective_options", c.objectiveOptions}};
}

template <class T>
void take(const nlohmann::json& j, const char* key, T& field) {
  if (auto it = j.find(key); it != j.end()) field = it->template get<T>();
}

std::string attributeNameFor(const std::string& key) { return key == "dataset" ? "dataset_setting" : key; }

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
    take(j, "precision", c.precision);  // absent before bf16: those runs were fp32
    take(j, "baselines", c.baselines);
    // Format version 1 files predate objectives: they were all trained with the post's method.
    take(j, "objective", c.objective);
    take(j, "objective_options", c.objectiveOptions);
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
    } else if (value.is_object()) {  // objective_options: JSON text, readable in HDFView
      h5::writeAttribute(root, name, value.dump());
    } else if (value.is_boolean()) {
      std::int8_t b = value.get<bool>() ? 1 : 0;
      h5::writeAttribute(root, name, boolType.get(), boolType.get(), &b);  // HDF5 won't convert int to enum
    } else if (value.is_number_unsigned()) {                               // only the 64-bit seed
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

namespace centroid::runfile {
namespace {

std::uint64_t littleEndian(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

bool readAt(std::FILE* file, std::uint64_t at, unsigned char* out, std::size_t bytes) {
  return std::fseek(file, static_cast<long>(at), SEEK_SET) == 0 && std::fread(out, 1, bytes, file) == bytes;
}

using Objects = std::map<std::uint64_t, std::uint64_t>;  // object index -> size

// One collection at `at`: "GCOL", version 1, 3 reserved bytes, its size (8 bytes), then
// objects of {index (2), references (2), reserved (4), size (8), data padded to 8 bytes};
// index 0 is the free space, whose size counts its own header. As H5HG__cache_heap_deserialize.
std::string walkCollection(std::FILE* file, std::uint64_t at, std::uint64_t fileSize, Objects& objects) {
  const std::string where = "the global heap at byte " + std::to_string(at);
  unsigned char head[16];
  if (!readAt(file, at, head, sizeof head)) return {};
  const std::uint64_t size = littleEndian(head + 8, 8);
  if (size < 16) return where + " claims " + std::to_string(size) + " bytes";
  if (size > fileSize - at) return where + " runs past the end of the file";
  std::vector<unsigned char> heap(static_cast<std::size_t>(size));
  if (!readAt(file, at, heap.data(), heap.size())) return {};
  constexpr std::uint64_t kHeader = 16;
  for (std::uint64_t p = kHeader; p + kHeader <= size;) {  // a shorter tail is free space
    const std::uint64_t index = littleEndian(&heap[p], 2), bytes = littleEndian(&heap[p + 8], 8);
    if (bytes > size) return where + " holds an object of " + std::to_string(bytes) + " bytes";
    const std::uint64_t need = index > 0 ? kHeader + ((bytes + 7) & ~std::uint64_t{7}) : bytes;
    if (need == 0 || need > size - p)
      return where + " has a corrupt object at byte " + std::to_string(at + p);
    if (index > 0) objects[index] = bytes;
    p += need;
  }
  return {};
}

// Byte offsets of every "GCOL" signature with version 1 and zero reserved bytes: 8 bytes that
// compressed data will not fake.
std::vector<std::uint64_t> findCollections(std::FILE* file) {
  static const unsigned char kSignature[8] = {'G', 'C', 'O', 'L', 1, 0, 0, 0};
  constexpr std::size_t kBlock = std::size_t{4} << 20;
  std::vector<unsigned char> buffer(kBlock + sizeof kSignature);
  std::vector<std::uint64_t> found;
  std::uint64_t base = 0;  // file offset of buffer[0]
  std::size_t carried = 0;
  std::fseek(file, 0, SEEK_SET);
  while (true) {
    const std::size_t got = std::fread(buffer.data() + carried, 1, kBlock, file);
    const std::size_t have = carried + got;
    for (std::size_t i = 0; i + sizeof kSignature <= have;) {
      const void* hit = memmem(buffer.data() + i, have - i, kSignature, sizeof kSignature);
      if (!hit) break;
      const auto at = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - buffer.data());
      found.push_back(base + at);
      i = at + 1;
    }
    if (got == 0) break;
    // A signature may straddle two blocks: keep the last 7 bytes.
    const std::size_t keep = std::min(have, sizeof kSignature - 1);
    std::memmove(buffer.data(), buffer.data() + have - keep, keep);
    base += have - keep;
    carried = keep;
  }
  return found;
}

}  // namespace

std::string globalHeapFault(const std::string& path, const std::vector<ByteRange>& references) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return {};  // HDF5 opened it, so it will say what is wrong
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  // Superblock v0/v1 keeps the size of lengths in byte 14, v2/v3 in byte 10.
  unsigned char super[16];
  if (!readAt(file, 0, super, sizeof super) || std::memcmp(super, "\211HDF\r\n\032\n", 8) != 0) return {};
  if (super[super[8] >= 2 ? 10 : 14] != 8) return {};
  std::fseek(file, 0, SEEK_END);
  const auto fileSize = static_cast<std::uint64_t>(std::ftell(file));

  std::map<std::uint64_t, Objects> collections;
  for (std::uint64_t at : findCollections(file)) {
    if (std::string fault = walkCollection(file, at, fileSize, collections[at]); !fault.empty()) return fault;
  }
  // A reference is {length (4), collection address (8), object index (4)}; HDF5 looks the
  // index up without a bounds check.
  for (const ByteRange& range : references) {
    if (range.size % 16 != 0 || range.size > fileSize || range.offset > fileSize - range.size) {
      return "text references at byte " + std::to_string(range.offset) + " lie outside the file";
    }
    std::vector<unsigned char> raw(static_cast<std::size_t>(range.size));
    if (!readAt(file, range.offset, raw.data(), raw.size())) return {};
    for (std::size_t i = 0; i < raw.size(); i += 16) {
      const std::uint64_t length = littleEndian(&raw[i], 4), heap = littleEndian(&raw[i + 4], 8),
                          index = littleEndian(&raw[i + 12], 4);
      if (length == 0) continue;  // an empty string: nothing is read from a heap
      const auto c = collections.find(heap);
      const auto o = c == collections.end() ? Objects::const_iterator{} : c->second.find(index);
      if (c == collections.end() || o == c->second.end() || length > o->second) {
        return "the text reference at byte " + std::to_string(range.offset + i) + " points at no stored text";
      }
    }
  }
  return {};
}

}  // namespace centroid::runfile
