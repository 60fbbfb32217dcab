// Reads a left-behind run file back in full (see RunCheck.h).
#include "tests/reliability/RunCheck.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <regex>
#include <sstream>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"

namespace centroid::reliability {
namespace {

bool finite(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

bool finite(const Metrics& m) {
  return std::isfinite(m.seedPurity) && std::isfinite(m.purity) && std::isfinite(m.nmi) &&
         std::isfinite(m.ari) && std::isfinite(m.accuracy);
}

// Longest minus shortest first axis over every /series/<name>/{step,value}. RunReader counts
// the shortest; a longer one is an epoch whose append was cut short. HDF5 directly, because
// RunReader (rightly) hides those rows.
int partialRows(const std::string& path) {
  h5::QuietErrors quiet;
  h5::PropList fapl = h5::fileAccess(H5F_LIBVER_EARLIEST);
  // A killed writer's file only opens in SWMR-read mode; a closed one only without it.
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get());
  if (f < 0) f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (f < 0) return 0;  // RunReader opened it, so this cannot happen; the caller saw the file
  h5::File file(f);
  h5::Group series(H5Gopen2(file.get(), "/series", H5P_DEFAULT));
  if (!series) return 0;
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  H5Literate(series.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names);
  hsize_t shortest = ~hsize_t{0}, longest = 0;
  for (const auto& name : names) {
    for (const char* part : {"/step", "/value"}) {
      h5::Dataset d(H5Dopen2(series.get(), (name + part).c_str(), H5P_DEFAULT));
      if (!d) continue;
      const hsize_t rows = h5::rows(d.get());
      shortest = std::min(shortest, rows);
      longest = std::max(longest, rows);
    }
  }
  return longest > shortest ? static_cast<int>(longest - shortest) : 0;
}

}  // namespace

int reportedEpochs(const std::string& progressText) {
  static const std::regex line(R"(^epoch +[0-9]+  loss )");
  int n = 0;
  std::istringstream in(progressText);
  for (std::string l; std::getline(in, l);) n += std::regex_search(l, line);
  return n;
}

std::string RunCheck::faultText() const {
  std::string s;
  for (const auto& f : faults) s += (s.empty() ? "" : "; ") + f;
  return s;
}

RunCheck checkRun(const std::string& path) {
  RunCheck c;
  std::error_code ec;
  c.exists = std::filesystem::exists(path, ec);
  if (!c.exists) return c;
  std::unique_ptr<RunReader> reader;
  try {
    reader = std::make_unique<RunReader>(path);
  } catch (const RunFileError& e) {
    c.openError = e.what();
    return c;
  }
  try {
    const RunReader& r = *reader;
    c.epochs = r.epochCount();
    c.status = r.status();
    c.reason = r.statusReason();
    c.bestEpoch = r.bestEpoch();
    const ViewSet& view = r.viewSet();
    const std::size_t points = view.labels.size();
    const TrainConfig& config = r.config();
    const auto summaries = r.summaries();
    if (static_cast<int>(summaries.size()) != c.epochs)
      c.faults.push_back("summaries and epoch count differ");
    for (int i = 0; i < c.epochs; ++i) {
      const std::string at = "epoch " + std::to_string(i + 1) + ": ";
      const EpochFrame f = r.frame(i);
      if (f.epoch != i + 1) c.faults.push_back(at + "stored as epoch " + std::to_string(f.epoch));
      if (!std::isfinite(f.loss) || !std::isfinite(f.seconds) || !finite(f.metrics))
        c.faults.push_back(at + "a scalar is not finite");
      if (f.embedding.size() != points * static_cast<std::size_t>(config.embedDim))
        c.faults.push_back(at + "embedding has " + std::to_string(f.embedding.size()) + " values");
      if (!finite(f.embedding)) c.faults.push_back(at + "embedding not finite");
      if (!finite(f.centroids)) c.faults.push_back(at + "centroids not finite");
      if (f.assignments.size() != points) c.faults.push_back(at + "wrong number of assignments");
      for (auto a : f.assignments) {
        if (a < 0 || a >= config.clusters) {
          c.faults.push_back(at + "assignment " + std::to_string(a) + " out of range");
          break;
        }
      }
      if (i < static_cast<int>(summaries.size()) && summaries[i].loss != f.loss)
        c.faults.push_back(at + "summary and frame disagree");
    }
    if (c.bestEpoch < 0 || c.bestEpoch > c.epochs)
      c.faults.push_back("best epoch " + std::to_string(c.bestEpoch) + " of " + std::to_string(c.epochs));
    for (const auto& w : r.bestWeights()) {
      if (!finite(w.values)) c.faults.push_back("best weight " + w.name + " not finite");
    }
  } catch (const RunFileError& e) {
    c.faults.push_back(e.what());
    return c;
  }
  c.partialRows = partialRows(path);
  return c;
}

}  // namespace centroid::reliability
