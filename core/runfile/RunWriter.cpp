// RunWriter: creates a run file with every object up front, then appends epochs under SWMR.
#include <ctime>
#include <filesystem>
#include <set>

#include <unistd.h>

#include "core/runfile/RunFileFormat.h"
#include "core/runfile/RunRepair.h"

namespace centroid {

using namespace runfile;

namespace {

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

struct Series {
  h5::Dataset step, value;
};

}  // namespace

struct RunWriter::Impl {
  std::string path;
  h5::File file;                // first member, so it closes after every dataset below
  std::vector<Series> scalars;  // kScalarSeries order
  Series embedding, centroids, assignments;
  h5::Dataset bestEpoch, status, reason;
  std::vector<std::pair<h5::Dataset, hsize_t>> weights;  // weightLayout order, element count
  std::vector<std::string> weightNames;
  hsize_t points = 0, clusters = 0, dim = 0;
  hsize_t epochs = 0;  // rows complete in every series

  void create(const TrainConfig& config, const ViewSet& view, const std::vector<NamedArray>& layout,
              const std::vector<BaselineRow>& baselines, const std::string& datasetName,
              const std::map<std::string, std::string>& extra);
  void flush(const char* what) {
    if (H5Fflush(file.get(), H5F_SCOPE_LOCAL) < 0) h5::fail(std::string("flushing ") + what + " failed");
  }
};

namespace {

void checkInputs(const TrainConfig& config, const ViewSet& view, const std::vector<NamedArray>& layout,
                 const std::map<std::string, std::string>& extra) {
  std::size_t n = view.labels.size();
  if (view.indices.size() != n || view.split.size() != n) {
    throw RunFileError("view set: labels, indices and split differ in length (" + std::to_string(n) + ", " +
                       std::to_string(view.indices.size()) + ", " + std::to_string(view.split.size()) + ")");
  }
  std::size_t pixels = n * static_cast<std::size_t>(view.width) * static_cast<std::size_t>(view.height);
  if (!view.images.empty() && view.images.size() != pixels) {
    throw RunFileError("view set: " + std::to_string(view.images.size()) + " pixels for " +
                       std::to_string(n) + " images of " + std::to_string(view.width) + " x " +
                       std::to_string(view.height));
  }
  if (config.clusters < 1 || config.embedDim < 1) {
    throw RunFileError("settings: clusters and embedding dimension must be at least 1");
  }
  for (const auto& w : layout) weightDatasetName(w.name);
  std::set<std::string> reserved{"format",      "format_version", "program",    "dataset",     "created",
                                 "config_json", "writer_host",    "writer_pid", "writer_start"};
  for (const auto& name : configAttributeNames()) reserved.insert(name);
  for (const auto& [name, value] : extra) {
    if (reserved.count(name)) {
      throw RunFileError("extra attribute '" + name + "' would replace one the run format defines");
    }
  }
}

}  // namespace

void RunWriter::Impl::create(const TrainConfig& config, const ViewSet& view,
                             const std::vector<NamedArray>& layout, const std::vector<BaselineRow>& baselines,
                             const std::string& datasetName,
                             const std::map<std::string, std::string>& extra) {
  // SWMR needs the 1.10 file format; readers older than HDF5 1.10 cannot open the file.
  h5::PropList fapl = h5::fileAccess(H5F_LIBVER_LATEST);
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (f < 0) h5::fail("cannot create the file");
  file = h5::File(f);
  h5::Group root(h5::check(H5Gopen2(file.get(), "/", H5P_DEFAULT), "opening the root group"));

  // Provenance and settings.
  h5::writeAttribute(root.get(), "format", kRunFormatName);
  std::int32_t version = kRunFormatVersion;
  h5::writeAttribute(root.get(), "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, &version);
  h5::writeAttribute(root.get(), "program", std::string("centroid ") + CENTROID_VERSION);
  auto torch = extra.find("torch_version");
  h5::writeAttribute(root.get(), "torch_version", torch != extra.end() ? torch->second : "unknown");
  h5::writeAttribute(root.get(), "dataset", datasetName);
  h5::writeAttribute(root.get(), "created", utcNow());
  // Who writes it, so that a file whose writer died can be told from one still being written
  // (RunRepair): the host, the process and that process's start time (pids are reused).
  h5::writeAttribute(root.get(), "writer_host", writerHost());
  h5::writeAttribute(root.get(), "writer_pid", std::to_string(::getpid()));
  h5::writeAttribute(root.get(), "writer_start", std::to_string(writerStartTicks(::getpid())));
  h5::writeAttribute(root.get(), "config_json", configToJson(config));
  writeConfigAttributes(root.get(), config);
  for (const auto& [name, value] : extra) {
    if (name != "torch_version") h5::writeAttribute(root.get(), name, value);
  }

  // The view set, written once.
  points = view.labels.size();
  clusters = static_cast<hsize_t>(config.clusters);
  dim = static_cast<hsize_t>(config.embedDim);
  {
    h5::Group g = h5::createGroup(file.get(), "view");
    h5::createDataset(g.get(), "labels", H5T_STD_U8LE, {points}, H5T_NATIVE_UINT8, view.labels.data());
    h5::createDataset(g.get(), "indices", H5T_STD_I32LE, {points}, H5T_NATIVE_INT32, view.indices.data());
    h5::createDataset(g.get(), "split", H5T_STD_U8LE, {points}, H5T_NATIVE_UINT8, view.split.data());
    hsize_t stored = view.images.empty() ? 0 : points;
    h5::createDataset(g.get(), "images", H5T_STD_U8LE,
                      {stored, static_cast<hsize_t>(view.height), static_cast<hsize_t>(view.width)},
                      H5T_NATIVE_UINT8, view.images.data(), kImageChunkRows);
    h5::createStrings(g.get(), "class_names", view.classNames);
  }

  // Every series, empty: SWMR forbids creating objects later.
  {
    h5::Group g = h5::createGroup(file.get(), "series");
    auto make = [&](const char* name, hid_t type, const std::vector<hsize_t>& rowDims, hsize_t chunkRows) {
      h5::Group s = h5::createGroup(g.get(), name);
      return Series{h5::createSeries(s.get(), "step", H5T_STD_I32LE, {}, kScalarChunkRows),
                    h5::createSeries(s.get(), "value", type, rowDims, chunkRows)};
    };
    for (const char* name : kScalarSeries) {
      bool count = std::string(name) == "non_empty_clusters";
      scalars.push_back(make(name, count ? H5T_STD_I32LE : H5T_IEEE_F64LE, {}, kScalarChunkRows));
    }
    embedding = make("embedding", H5T_IEEE_F32LE, {points, dim}, 1);
    centroids = make("centroids", H5T_IEEE_F32LE, {clusters, dim}, 1);
    // int16 halves the largest integer series; HDF5 widens it to int32 on reading.
    assignments = make("assignments", clusters <= 32767 ? H5T_STD_I16LE : H5T_STD_I32LE, {points}, 1);
  }

  // Baselines: names plus a metrics table, one row each.
  {
    h5::Group g = h5::createGroup(file.get(), "baselines");
    std::vector<std::string> names;
    std::vector<double> table;
    for (const auto& b : baselines) {
      names.push_back(b.name);
      auto row = metricsRow(b.metrics);
      table.insert(table.end(), row.begin(), row.end());
    }
    h5::createStrings(g.get(), "names", names);
    h5::Dataset metrics =
        h5::createDataset(g.get(), "metrics", H5T_IEEE_F64LE, {names.size(), kBaselineColumns.size()},
                          H5T_NATIVE_DOUBLE, table.data());
    std::vector<const char*> columns(kBaselineColumns.begin(), kBaselineColumns.end());
    h5::Type text = h5::variableString();
    h5::Dataspace space(h5::check(H5Screate_simple(1, std::vector<hsize_t>{columns.size()}.data(), nullptr),
                                  "creating a dataspace"));
    h5::Attribute a(H5Acreate2(metrics.get(), "columns", text.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a || H5Awrite(a.get(), text.get(), columns.data()) < 0) h5::fail("writing baseline columns failed");
  }

  // Best epoch and its weights, overwritten in place by setBest.
  {
    h5::Group g = h5::createGroup(file.get(), "best");
    std::int32_t none = 0;
    bestEpoch = h5::createDataset(g.get(), "epoch", H5T_STD_I32LE, {}, H5T_NATIVE_INT32, &none);
    h5::Group w = h5::createGroup(g.get(), "weights", /*trackOrder=*/true);
    for (const auto& array : layout) {
      std::vector<hsize_t> shape(array.shape.begin(), array.shape.end());
      hsize_t count = 1;
      for (hsize_t d : shape) count *= d;
      weights.emplace_back(h5::createDataset(w.get(), weightDatasetName(array.name), H5T_IEEE_F32LE, shape,
                                             H5T_NATIVE_FLOAT, nullptr),
                           count);
      weightNames.push_back(array.name);
    }
  }

  {
    h5::Group g = h5::createGroup(file.get(), "status");
    h5::Type statusType = h5::fixedString(kStatusBytes), reasonType = h5::fixedString(kReasonBytes);
    status = h5::createDataset(g.get(), "status", statusType.get(), {}, statusType.get(), nullptr);
    reason = h5::createDataset(g.get(), "reason", reasonType.get(), {}, reasonType.get(), nullptr);
    h5::writeString(status.get(), "running");
    h5::writeString(reason.get(), "");
  }

  root.reset();  // SWMR refuses to start while attributes or named types are open
  h5::check(H5Fstart_swmr_write(file.get()), "starting SWMR writing");
}

RunWriter::RunWriter(const std::string& path, const TrainConfig& config, const ViewSet& view,
                     const std::vector<NamedArray>& weightLayout, const std::vector<BaselineRow>& baselines,
                     const std::string& datasetName,
                     const std::map<std::string, std::string>& extraAttributes)
    : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  impl_->path = path;
  try {
    checkInputs(config, view, weightLayout, extraAttributes);
  } catch (const RunFileError& e) {
    throw RunFileError(path + ": " + e.what());
  }
  try {
    impl_->create(config, view, weightLayout, baselines, datasetName, extraAttributes);
  } catch (const RunFileError& e) {
    bool created = static_cast<bool>(impl_->file);
    impl_.reset();  // closes every handle
    // A half-built file would only confuse readers later.
    std::error_code ignored;
    if (created) std::filesystem::remove(path, ignored);
    throw RunFileError(path + ": creating the run file failed: " + e.what());
  }
}

RunWriter::~RunWriter() {
  h5::QuietErrors quiet;
  impl_.reset();
}

void RunWriter::append(const EpochFrame& frame) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  auto fault = [&](const std::string& what) {
    return RunFileError(m.path + ": epoch " + std::to_string(frame.epoch) + " not written: " + what);
  };
  if (frame.embedding.size() != m.points * m.dim) {
    throw fault(std::to_string(frame.embedding.size()) + " embedding values, expected " +
                std::to_string(m.points) + " x " + std::to_string(m.dim));
  }
  if (frame.centroids.size() != m.clusters * m.dim) {
    throw fault(std::to_string(frame.centroids.size()) + " centroid values, expected " +
                std::to_string(m.clusters) + " x " + std::to_string(m.dim));
  }
  if (frame.assignments.size() != m.points) {
    throw fault(std::to_string(frame.assignments.size()) + " assignments, expected " +
                std::to_string(m.points));
  }
  hsize_t row = m.epochs;
  try {
    // Values first, flushed, then the steps: readers count epochs by the shortest dataset, so
    // an epoch becomes visible only once everything it holds is on disk.
    auto scalars = scalarsOf(frame.loss, frame.seconds, frame.metrics);
    for (int i = 0; i < kScalarCount; ++i) {
      h5::writeRow(m.scalars[i].value.get(), row, H5T_NATIVE_DOUBLE, &scalars[i]);
    }
    h5::writeRow(m.embedding.value.get(), row, H5T_NATIVE_FLOAT, frame.embedding.data());
    h5::writeRow(m.centroids.value.get(), row, H5T_NATIVE_FLOAT, frame.centroids.data());
    h5::writeRow(m.assignments.value.get(), row, H5T_NATIVE_INT32, frame.assignments.data());
    m.flush("the epoch's values");
    std::int32_t step = frame.epoch;
    for (auto* s : {&m.embedding, &m.centroids, &m.assignments}) {
      h5::writeRow(s->step.get(), row, H5T_NATIVE_INT32, &step);
    }
    for (auto& s : m.scalars) h5::writeRow(s.step.get(), row, H5T_NATIVE_INT32, &step);
    m.flush("the epoch's steps");
  } catch (const RunFileError& e) {
    throw fault(std::string(e.what()) + "; " + intactNote(static_cast<long long>(row)));
  }
  ++m.epochs;
}

void RunWriter::setBest(int epoch, const std::vector<NamedArray>& weights) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  auto fault = [&](const std::string& what) {
    return RunFileError(m.path + ": best weights of epoch " + std::to_string(epoch) + " not saved: " + what);
  };
  if (weights.size() != m.weightNames.size()) {
    throw fault(std::to_string(weights.size()) + " arrays given, the layout has " +
                std::to_string(m.weightNames.size()));
  }
  // Check everything before writing anything, so a mistake never leaves mixed weights behind.
  std::vector<std::pair<hid_t, const float*>> writes;  // arrays with at least one value
  for (const auto& w : weights) {
    std::size_t i = 0;
    while (i < m.weightNames.size() && m.weightNames[i] != w.name) ++i;
    if (i == m.weightNames.size()) throw fault("'" + w.name + "' is not in the weight layout");
    if (w.values.size() != m.weights[i].second) {
      throw fault("'" + w.name + "' has " + std::to_string(w.values.size()) + " values, the layout " +
                  std::to_string(m.weights[i].second));
    }
    if (!w.values.empty()) writes.emplace_back(m.weights[i].first.get(), w.values.data());
  }
  try {
    // The marker never names weights it does not describe: it says "none" (0) while they are
    // replaced, and names the new epoch only once they are on disk. A kill or a failed write in
    // between leaves no best weights rather than another epoch's under this one's number.
    std::int32_t none = 0;
    h5::writeAll(m.bestEpoch.get(), H5T_NATIVE_INT32, &none);
    m.flush("the best epoch");
    for (const auto& [dataset, values] : writes) {
      h5::writeAll(dataset, H5T_NATIVE_FLOAT, values);
    }
    m.flush("the best weights");
    std::int32_t e = epoch;
    h5::writeAll(m.bestEpoch.get(), H5T_NATIVE_INT32, &e);
    m.flush("the best epoch");
  } catch (const RunFileError& e) {
    throw fault(e.what());
  }
}

void RunWriter::setStatus(const std::string& status, const std::string& reason) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  try {
    h5::writeString(m.reason.get(), reason);
    h5::writeString(m.status.get(), status);
    m.flush("the status");
  } catch (const RunFileError& e) {
    throw RunFileError(m.path + ": status '" + status + "' not saved: " + e.what());
  }
}

const std::string& RunWriter::path() const { return impl_->path; }

}  // namespace centroid
