// RunReader: opens run files, finished, live or left behind by a killed writer, and reads them by epoch.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <new>
#include <optional>
#include <set>

#include "core/runfile/RunFileFormat.h"

namespace centroid {

using namespace runfile;

namespace {

struct Series {
  h5::Dataset step, value;
};

// True when the file's superblock (version 2 or 3, at byte 0) is marked as open for plain
// writing, not SWMR: the mark Centroid's writer leaves from H5Fcreate until the file is laid out.
bool markedAsBeingCreated(const std::string& path) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) return false;
  unsigned char head[12] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, in);
  std::fclose(in);
  static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (got < sizeof head || !std::equal(signature, signature + 8, head) || head[8] < 2) return false;
  const unsigned flags = head[11];  // file consistency flags: 0x1 open for writing, 0x4 SWMR
  return (flags & 0x1u) != 0 && (flags & 0x4u) == 0;
}

// Turns HDF5's reason for refusing to open a file into words a user can act on.
std::string describeOpenFailure(const std::string& path, const std::string& cause) {
  auto has = [&](const char* text) { return cause.find(text) != std::string::npos; };
  if (has("file signature not found")) return "not an HDF5 file";
  // A writer killed just after H5Fcreate leaves the bare superblock (48 bytes), which promises
  // a longer file: HDF5 calls that truncated, but it is a file that was never finished.
  if (has("truncated file") && markedAsBeingCreated(path)) {
    return "its writer stopped while creating the file, before any epoch was stored";
  }
  if (has("truncated file")) {
    unsigned long long eof = 0, base = 0, stored = 0;
    if (std::sscanf(cause.c_str(), "truncated file: eof = %llu, sblock->base_addr = %llu, stored_eof = %llu",
                    &eof, &base, &stored) == 3) {
      return "the file is truncated (" + std::to_string(eof) + " of " + std::to_string(stored) +
             " bytes); was it copied before its writer finished, or did the disk fill up?";
    }
    return "the file is truncated (" + cause + ")";
  }
  if (has("already open for write")) {
    // Marked as being written, but not in SWMR mode: Centroid's writer switches to SWMR as soon
    // as the file is laid out, and holds a lock until then. So it died while creating the file.
    return "its writer stopped while creating the file, before any epoch was stored";
  }
  if (has("unable to lock file") || has("Resource temporarily unavailable")) {
    return "locked by another program (a writer still setting the file up?); try again shortly";
  }
  if (has("Permission denied")) return "permission denied";
  return "cannot be opened as HDF5 (" + cause + ")";
}

// Where the raw references of the string lists lie (contiguous datasets of variable-length
// strings); a list that is missing, empty or not laid out so is left to the normal reads.
std::vector<ByteRange> textReferences(hid_t file) {
  std::vector<ByteRange> out;
  const std::pair<const char*, const char*> lists[] = {{"/view", "/view/class_names"},
                                                       {"/baselines", "/baselines/names"}};
  for (const auto& [group, name] : lists) {
    if (H5Lexists(file, group, H5P_DEFAULT) <= 0 || H5Lexists(file, name, H5P_DEFAULT) <= 0) continue;
    h5::Dataset d(H5Dopen2(file, name, H5P_DEFAULT));
    if (!d) continue;
    h5::Type type(H5Dget_type(d.get()));
    const haddr_t offset = H5Dget_offset(d.get());
    if (!type || H5Tis_variable_str(type.get()) <= 0 || offset == HADDR_UNDEF) continue;
    out.push_back({offset, H5Dget_storage_size(d.get())});
  }
  return out;
}

}  // namespace

struct RunReader::Impl {
  std::string path;
  h5::File file;      // first member, so it closes after every dataset below
  bool swmr = false;  // opened with H5F_ACC_SWMR_READ: refresh() must re-read metadata
  TrainConfig config;
  std::map<std::string, std::string> attributes;
  std::optional<ViewSet> view;     // read on first use; its images only when asked for
  h5::Dataset viewImages;          // open once the view set was read: viewImage() reads from it
  std::size_t viewImageCount = 0;  // images stored (0 or the view set's size)
  std::vector<Series> scalars;     // kScalarSeries order
  Series embedding, centroids, assignments;
  h5::Dataset bestEpoch, status, reason;
  int epochs = 0;

  void open(bool follow);
  void checkFormat(hid_t root);
  void openObjects(hid_t root);
  int countEpochs() const;
  std::vector<const Series*> allSeries() const {
    std::vector<const Series*> all{&embedding, &centroids, &assignments};
    for (auto& s : scalars) all.push_back(&s);
    return all;
  }
  RunFileError error(const std::string& what) const { return RunFileError(path + ": " + what); }
};

void RunReader::Impl::open(bool follow) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto kind = fs::status(path, ec).type();
  if (kind == fs::file_type::not_found) throw error("no such file");
  if (kind == fs::file_type::directory) throw error("is a folder, not a run file");
  if (kind == fs::file_type::regular && fs::file_size(path, ec) == 0) {
    throw error("the file is empty (0 bytes): not a run file, or its writer stopped before writing anything");
  }

  // A file whose writer is alive, or was killed, is still marked as open for SWMR writing and
  // only opens in SWMR-read mode; a writer in this same process only shares its file with a
  // plain read-only open. So try the mode asked for, then the other one.
  auto attempt = [&](bool swmrRead, std::string& cause) {
    h5::PropList fapl = h5::fileAccess(H5F_LIBVER_EARLIEST);
    // The sieve buffer would keep serving stale status and best-epoch values to a follower.
    if (swmrRead) h5::check(H5Pset_sieve_buf_size(fapl.get(), 0), "disabling the sieve buffer");
    // SWMR-read retries metadata whose checksum fails (a torn read of a block being rewritten),
    // sleeping 1 ns, 2 ns, 4 ns, ... HDF5's default of 100 attempts sleeps for ages on a file
    // that is simply damaged; 26 attempts give a writer about 67 ms to finish a block.
    if (swmrRead) h5::check(H5Pset_metadata_read_attempts(fapl.get(), 26), "setting read attempts");
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY | (swmrRead ? H5F_ACC_SWMR_READ : 0u), fapl.get());
    if (f < 0) cause = h5::errorCause();
    return f;
  };
  std::string firstCause, secondCause;
  hid_t f = attempt(follow, firstCause);
  swmr = follow;
  if (f < 0) {
    f = attempt(!follow, secondCause);
    swmr = !follow;
  }
  // The plain read-only attempt's reason tells most ("truncated", "already open for write");
  // SWMR-read mostly just says the file is not being written.
  if (f < 0) throw error(describeOpenFailure(path, follow ? secondCause : firstCause));
  file = h5::File(f);
  // Before the first text is read: HDF5 would hang or crash on a damaged heap.
  if (const std::string fault = globalHeapFault(path, textReferences(file.get())); !fault.empty()) {
    throw error("damaged file: " + fault + " (where HDF5 keeps the file's text)");
  }

  h5::Group root;
  try {
    root = h5::Group(h5::check(H5Gopen2(file.get(), "/", H5P_DEFAULT), "opening the root group"));
    checkFormat(root.get());
  } catch (const RunFileError& e) {
    std::string text = e.what();
    if (text.rfind(path + ": ", 0) == 0) throw;  // a verdict of checkFormat's own
    // HDF5 could open the file but not read its root: typically a live or killed writer's file
    // that was copied or cut short (such files skip HDF5's own length check).
    throw error("damaged file, perhaps cut short: " + text);
  }
  try {
    openObjects(root.get());
  } catch (const RunFileError& e) {
    throw error(std::string("damaged run file: ") + e.what());
  }
}

void RunReader::Impl::checkFormat(hid_t root) {
  if (!h5::hasAttribute(root, "format")) throw error("not a Centroid run file (no 'format' attribute)");
  if (h5::attributeClass(root, "format") != H5T_STRING) {
    throw error("not a Centroid run file ('format' attribute is not text)");
  }
  std::string format = h5::readStringAttribute(root, "format");
  if (format != kRunFormatName) throw error("not a Centroid run file (format is '" + format + "')");
  if (!h5::hasAttribute(root, "format_version") ||
      h5::attributeClass(root, "format_version") != H5T_INTEGER) {
    throw error("damaged run file (no integer 'format_version' attribute)");
  }
  long long version = h5::readIntAttribute(root, "format_version");
  if (version > kRunFormatVersion) {
    throw error("written by a newer Centroid (format " + std::to_string(version) + ", this reads " +
                std::to_string(kRunFormatVersion) + ")");
  }
  if (version < 1) throw error("damaged run file (format_version " + std::to_string(version) + ")");
}

void RunReader::Impl::openObjects(hid_t root) {
  config = configFromJson(h5::readStringAttribute(root, "config_json"));
  std::set<std::string> settings;
  for (const auto& name : configAttributeNames()) settings.insert(name);
  settings.insert("config_json");
  for (const auto& name : h5::attributeNames(root)) {
    if (settings.count(name)) continue;
    switch (h5::attributeClass(root, name)) {
      case H5T_STRING: attributes[name] = h5::readStringAttribute(root, name); break;
      case H5T_INTEGER: attributes[name] = std::to_string(h5::readIntAttribute(root, name)); break;
      case H5T_FLOAT: {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", h5::readFloatAttribute(root, name));
        attributes[name] = text;
        break;
      }
      default: break;  // nothing the format writes
    }
  }

  auto openDataset = [&](const std::string& name) {
    hid_t d = H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT);
    if (d < 0) h5::fail("cannot open " + name);
    return h5::Dataset(d);
  };
  auto openSeries = [&](const std::string& name) {
    return Series{openDataset("/series/" + name + "/step"), openDataset("/series/" + name + "/value")};
  };
  for (const char* name : kScalarSeries) scalars.push_back(openSeries(name));
  embedding = openSeries("embedding");
  centroids = openSeries("centroids");
  assignments = openSeries("assignments");
  bestEpoch = openDataset("/best/epoch");
  status = openDataset("/status/status");
  reason = openDataset("/status/reason");

  auto e = h5::dims(embedding.value.get()), c = h5::dims(centroids.value.get()),
       a = h5::dims(assignments.value.get());
  if (e.size() != 3 || c.size() != 3 || a.size() != 2 || e[1] != a[1] || e[2] != c[2]) {
    throw RunFileError("/series: embedding, centroids and assignments disagree in shape");
  }
  epochs = countEpochs();
}

int RunReader::Impl::countEpochs() const {
  // The writer extends the steps last, after the values reached the disk, so the shortest
  // dataset counts the complete epochs.
  hsize_t n = h5::rows(embedding.step.get());
  for (const Series* s : allSeries()) {
    n = std::min({n, h5::rows(s->step.get()), h5::rows(s->value.get())});
  }
  // Chunked datasets grow without data, so a damaged file may claim any count; an int holds ours.
  if (n > static_cast<hsize_t>(std::numeric_limits<int>::max())) {
    throw RunFileError("/series: " + std::to_string(n) + " epochs claimed, more than any run stores");
  }
  return static_cast<int>(n);
}

RunReader::RunReader(const std::string& path, bool follow) : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  impl_->path = path;
  try {
    impl_->open(follow);
  } catch (const RunFileError& e) {
    std::string text = e.what();
    // Messages built by Impl::error already start with the path.
    throw RunFileError(text.rfind(path + ": ", 0) == 0 ? text : path + ": " + text);
  }
}

RunReader::~RunReader() {
  h5::QuietErrors quiet;
  impl_.reset();
}

namespace {

// Runs a read, naming the file in any failure.
template <class F>
auto guarded(const std::string& path, const std::string& what, F read) {
  h5::QuietErrors quiet;
  try {
    return read();
  } catch (const RunFileError& e) {
    throw RunFileError(path + ": reading " + what + " failed: " + e.what());
  } catch (const std::bad_alloc&) {
    // Sizes are capped at h5::kMaxReadBytes; a machine may still lack that much.
    throw RunFileError(path + ": reading " + what + " failed: not enough memory");
  }
}

}  // namespace

const std::string& RunReader::path() const { return impl_->path; }
const TrainConfig& RunReader::config() const { return impl_->config; }
const std::map<std::string, std::string>& RunReader::attributes() const { return impl_->attributes; }

const ViewSet& RunReader::viewSet(bool withImages) const {
  Impl& m = *impl_;
  if (!m.view) {
    m.view = guarded(m.path, "the view set", [&] {
      hid_t f = m.file.get();
      auto open = [&](const char* name) {
        hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
        if (d < 0) h5::fail(std::string("cannot open ") + name);
        return h5::Dataset(d);
      };
      ViewSet v;
      h5::Dataset labels = open("/view/labels"), indices = open("/view/indices"), split = open("/view/split");
      m.viewImages = open("/view/images");
      hsize_t n = h5::rows(labels.get());
      if (h5::rows(indices.get()) != n || h5::rows(split.get()) != n) {
        throw RunFileError("/view: labels, indices and split differ in length");
      }
      const std::size_t count = h5::checkedElements({n}, sizeof(std::int32_t), "/view/indices");
      v.labels.resize(count);
      v.indices.resize(count);
      v.split.resize(count);
      h5::readAll(labels.get(), H5T_NATIVE_UINT8, v.labels.data(), count);
      h5::readAll(indices.get(), H5T_NATIVE_INT32, v.indices.data(), count);
      h5::readAll(split.get(), H5T_NATIVE_UINT8, v.split.data(), count);
      auto d = h5::dims(m.viewImages.get());
      if (d.size() != 3 || (d[0] != 0 && d[0] != n)) throw RunFileError("/view/images: unexpected shape");
      h5::checkedElements(d, 1, "/view/images");
      v.height = static_cast<int>(d[1]);
      v.width = static_cast<int>(d[2]);
      m.viewImageCount = static_cast<std::size_t>(d[0]);
      v.classNames = h5::readStrings(open("/view/class_names").get());
      return v;
    });
  }
  if (withImages && m.view->images.empty() && m.viewImageCount > 0) {
    const ViewSet& v = *m.view;
    const std::size_t bytes =
        m.viewImageCount * static_cast<std::size_t>(v.width) * static_cast<std::size_t>(v.height);
    m.view->images = guarded(m.path, "the view images", [&] {
      std::vector<std::uint8_t> images(bytes);
      h5::readAll(m.viewImages.get(), H5T_NATIVE_UINT8, images.data(), images.size());
      return images;
    });
  }
  return *m.view;
}

std::vector<std::uint8_t> RunReader::viewImage(std::size_t index) const {
  Impl& m = *impl_;
  const ViewSet& v = viewSet(/*withImages=*/false);
  const std::size_t pixels = static_cast<std::size_t>(v.width) * static_cast<std::size_t>(v.height);
  if (index >= m.viewImageCount || pixels == 0) return {};
  if (!v.images.empty()) {
    const auto first = v.images.begin() + static_cast<std::ptrdiff_t>(index * pixels);
    return {first, first + static_cast<std::ptrdiff_t>(pixels)};
  }
  return guarded(m.path, "view image " + std::to_string(index), [&] {
    std::vector<std::uint8_t> image(pixels);
    h5::readRows(m.viewImages.get(), index, 1, H5T_NATIVE_UINT8, image.data(), image.size());
    return image;
  });
}

std::vector<BaselineRow> RunReader::baselines() const {
  return guarded(impl_->path, "the baselines", [&] {
    hid_t f = impl_->file.get();
    h5::Dataset names(h5::check(H5Dopen2(f, "/baselines/names", H5P_DEFAULT), "opening /baselines/names"));
    h5::Dataset metrics(
        h5::check(H5Dopen2(f, "/baselines/metrics", H5P_DEFAULT), "opening /baselines/metrics"));
    auto labels = h5::readStrings(names.get());
    auto d = h5::dims(metrics.get());
    if (d.size() != 2 || d[0] != labels.size() || d[1] != kBaselineColumns.size()) {
      throw RunFileError("/baselines/metrics: unexpected shape");
    }
    std::vector<double> table(h5::checkedElements(d, sizeof(double), "/baselines/metrics"));
    if (!table.empty()) h5::readAll(metrics.get(), H5T_NATIVE_DOUBLE, table.data(), table.size());
    std::vector<BaselineRow> rows;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      rows.push_back({labels[i], metricsFromRow(table.data() + i * d[1])});
    }
    return rows;
  });
}

int RunReader::epochCount() const { return impl_->epochs; }

std::vector<EpochSummary> RunReader::summaries() const {
  return guarded(impl_->path, "the epoch summaries", [&] {
    auto n = static_cast<hsize_t>(impl_->epochs);
    // A step and the scalars per epoch, all held at once.
    h5::checkedElements({n, kScalarCount + 1}, sizeof(double), "/series");
    std::vector<std::int32_t> steps(n);
    h5::readRows(impl_->scalars[0].step.get(), 0, n, H5T_NATIVE_INT32, steps.data(), steps.size());
    std::vector<std::vector<double>> columns(kScalarCount, std::vector<double>(n));
    for (int i = 0; i < kScalarCount; ++i) {
      h5::readRows(impl_->scalars[i].value.get(), 0, n, H5T_NATIVE_DOUBLE, columns[i].data(), n);
    }
    std::vector<EpochSummary> out(n);
    for (hsize_t e = 0; e < n; ++e) {
      out[e].epoch = steps[e];
      std::array<double, kScalarCount> values{};
      for (int i = 0; i < kScalarCount; ++i) values[i] = columns[i][e];
      setScalars(out[e], values);
    }
    return out;
  });
}

EpochFrame RunReader::frame(int index) const {
  if (index < 0 || index >= impl_->epochs) {
    throw RunFileError(impl_->path + ": no epoch at index " + std::to_string(index) + " (" +
                       std::to_string(impl_->epochs) + " stored)");
  }
  return guarded(impl_->path, "an epoch", [&] {
    Impl& m = *impl_;
    auto row = static_cast<hsize_t>(index);
    auto e = h5::dims(m.embedding.value.get()), c = h5::dims(m.centroids.value.get());
    EpochFrame f;
    h5::readRows(m.embedding.step.get(), row, 1, H5T_NATIVE_INT32, &f.epoch, 1);
    std::array<double, kScalarCount> values{};
    for (int i = 0; i < kScalarCount; ++i) {
      h5::readRows(m.scalars[i].value.get(), row, 1, H5T_NATIVE_DOUBLE, &values[i], 1);
    }
    EpochSummary s;
    setScalars(s, values);
    f.loss = s.loss;
    f.seconds = s.seconds;
    f.metrics = s.metrics;
    f.dim = static_cast<int>(e[2]);
    f.clusters = static_cast<int>(c[1]);
    f.embedding.resize(h5::checkedElements({e[1], e[2]}, sizeof(float), "/series/embedding/value"));
    f.centroids.resize(h5::checkedElements({c[1], c[2]}, sizeof(float), "/series/centroids/value"));
    f.assignments.resize(e[1]);  // a factor of the embedding's count, so checked with it
    h5::readRows(m.embedding.value.get(), row, 1, H5T_NATIVE_FLOAT, f.embedding.data(), f.embedding.size());
    h5::readRows(m.centroids.value.get(), row, 1, H5T_NATIVE_FLOAT, f.centroids.data(), f.centroids.size());
    h5::readRows(m.assignments.value.get(), row, 1, H5T_NATIVE_INT32, f.assignments.data(),
                 f.assignments.size());
    return f;
  });
}

int RunReader::bestEpoch() const {
  return guarded(impl_->path, "the best epoch", [&] {
    std::int32_t e = 0;
    h5::readAll(impl_->bestEpoch.get(), H5T_NATIVE_INT32, &e, 1);
    return static_cast<int>(e);
  });
}

std::vector<NamedArray> RunReader::bestWeights() const {
  return guarded(impl_->path, "the best weights", [&] {
    h5::Group g(
        h5::check(H5Gopen2(impl_->file.get(), "/best/weights", H5P_DEFAULT), "opening /best/weights"));
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
      static_cast<std::vector<std::string>*>(out)->emplace_back(name);
      return 0;
    };
    hsize_t at = 0;  // creation order: the order of the model's parameters
    h5::check(H5Literate(g.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &at, collect, &names),
              "listing /best/weights");
    std::vector<NamedArray> out;
    for (const auto& name : names) {
      h5::Dataset d(H5Dopen2(g.get(), name.c_str(), H5P_DEFAULT));
      if (!d) h5::fail("cannot open /best/weights/" + name);
      NamedArray a;
      a.name = name;
      const auto shape = h5::dims(d.get());
      for (hsize_t n : shape) a.shape.push_back(static_cast<std::int64_t>(n));
      a.values.resize(h5::checkedElements(shape, sizeof(float), "/best/weights/" + name));
      if (!a.values.empty()) h5::readAll(d.get(), H5T_NATIVE_FLOAT, a.values.data(), a.values.size());
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::string RunReader::status() const {
  return guarded(impl_->path, "the status", [&] { return h5::readStrings(impl_->status.get()).at(0); });
}

std::string RunReader::statusReason() const {
  return guarded(impl_->path, "the status reason",
                 [&] { return h5::readStrings(impl_->reason.get()).at(0); });
}

bool RunReader::refresh() {
  return guarded(impl_->path, "new epochs", [&] {
    Impl& m = *impl_;
    if (m.swmr) {
      for (const Series* s : m.allSeries()) {
        h5::check(H5Drefresh(s->step.get()), "refreshing a step dataset");
        h5::check(H5Drefresh(s->value.get()), "refreshing a value dataset");
      }
    }
    int before = m.epochs;
    m.epochs = m.countEpochs();
    return m.epochs > before;
  });
}

}  // namespace centroid
