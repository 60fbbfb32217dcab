// Run files (HDF5): one per training run, appended and flushed after every epoch under
// HDF5's single-writer/multiple-reader mode, so a killed writer loses at most the epoch it
// was writing. Layout and an h5py example: docs/run-file.md. Torch-free.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid {

inline constexpr const char* kRunFormatName = "centroid-run";
// 2: the config records the objective and its options; /best/weights may hold the objective's
// own weights ("objective.centroids") beside the encoder's. Version 1 files still open.
inline constexpr int kRunFormatVersion = 2;

class RunWriter {
 public:
  // Creates (truncates) `path`, writes the attributes, the view set and the baselines, creates
  // every dataset, then switches to SWMR writing. weightLayout: names and shapes of the model's
  // parameters (values ignored). extraAttributes: more provenance as root text attributes, e.g.
  // {"torch_version", "2.1.0"} (torch_version is "unknown" unless given here); names the format
  // itself uses are refused. Throws RunFileError naming the file and the fault.
  RunWriter(const std::string& path, const TrainConfig& config, const ViewSet& view,
            const std::vector<NamedArray>& weightLayout, const std::vector<BaselineRow>& baselines,
            const std::string& datasetName, const std::map<std::string, std::string>& extraAttributes = {});
  ~RunWriter();  // closes; status stays as last set
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Appends one epoch to every series and flushes. Throws RunFileError (e.g. disk full);
  // epochs appended before stay readable.
  void append(const EpochFrame& frame);
  // Overwrites the best-epoch marker and weights, then flushes.
  void setBest(int epoch, const std::vector<NamedArray>& weights);
  // Records how the run ended ("running" until then) and the reason; flushes.
  void setStatus(const std::string& status, const std::string& reason);
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One thread at a time per reader (viewSet() loads on first use). Readers and a writer may live
// on different threads: Centroid needs HDF5 built thread-safe, as Debian's libhdf5 is.
class RunReader {
 public:
  // Opens read-only. follow = true opens in SWMR-read mode so refresh() sees epochs a live
  // writer appends. Files of a live or killed writer open either way (HDF5 insists on SWMR-read
  // mode for those; the reader falls back to it). Throws RunFileError for a missing, empty,
  // truncated, non-HDF5, foreign or newer-format file.
  explicit RunReader(const std::string& path, bool follow = false);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  const std::string& path() const;
  const TrainConfig& config() const;
  // Provenance attributes: format, format_version, program, torch_version, dataset, created,
  // and any extraAttributes the writer was given (numbers as text; settings are in config()).
  const std::map<std::string, std::string>& attributes() const;
  // The view set. Without images, `images` stays empty until a later call asks for them:
  // 70,000 thumbnails are 55 MB, most of the time it takes to open a run, and only the hover
  // popup needs them, one at a time (viewImage).
  const ViewSet& viewSet(bool withImages = true) const;
  // The index-th view image, width x height bytes, reading only its rows (neighbours then come
  // from HDF5's chunk cache); empty when the run stored no images or index is out of range.
  std::vector<std::uint8_t> viewImage(std::size_t index) const;
  std::vector<BaselineRow> baselines() const;

  int epochCount() const;                       // complete epochs stored
  std::vector<EpochSummary> summaries() const;  // one per stored epoch, in order
  // The index-th stored epoch (0-based), reading only that epoch's slices. Throws RunFileError.
  EpochFrame frame(int index) const;

  int bestEpoch() const;  // 0 until an epoch was marked best
  std::vector<NamedArray> bestWeights() const;
  std::string status() const;  // "running", "completed", "early-stopped", "cancelled", "failed"
  std::string statusReason() const;

  // SWMR readers: re-reads the dataset extents; true when new epochs became visible. status()
  // and bestEpoch() read the file on every call and need no refresh.
  bool refresh();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace centroid
