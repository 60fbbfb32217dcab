// The run-file layout that RunWriter and RunReader share: names, sizes, and how settings are encoded.
// Internal to core/; docs/run-file.md is the public description and must agree with this file.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"

namespace centroid::runfile {

// Scalar series, in this order everywhere. All but non_empty_clusters are float64 (it is int32);
// in memory they travel as doubles, which HDF5 converts exactly.
inline constexpr int kScalarCount = 8;
inline constexpr std::array<const char*, kScalarCount> kScalarSeries = {
    "loss", "seconds", "seed_purity", "purity", "nmi", "ari", "accuracy", "non_empty_clusters"};
std::array<double, kScalarCount> scalarsOf(double loss, double seconds, const Metrics& m);
void setScalars(EpochSummary& summary, const std::array<double, kScalarCount>& values);

// Array series: embedding (N x D float32), centroids (K x D float32), assignments (N int16/int32).
inline constexpr std::array<const char*, 3> kArraySeries = {"embedding", "centroids", "assignments"};

// Scalar series chunk this many epochs together; array series one epoch per chunk.
inline constexpr hsize_t kScalarChunkRows = 1024;
// View-set images per chunk (about 400 KB of pixels).
inline constexpr hsize_t kImageChunkRows = 512;

// Fixed-size text, because SWMR may overwrite a dataset but not allocate variable-length
// strings: longer text is cut at a character boundary.
inline constexpr std::size_t kStatusBytes = 64;
inline constexpr std::size_t kReasonBytes = 4096;

// Columns of /baselines/metrics, also stored in its "columns" attribute.
inline constexpr std::array<const char*, 6> kBaselineColumns = {
    "seed_purity", "purity", "nmi", "ari", "accuracy", "non_empty_clusters"};
std::array<double, 6> metricsRow(const Metrics& m);
Metrics metricsFromRow(const double* row);

// TrainConfig as JSON (snake_case keys) and back. Missing keys keep their defaults so that
// files stay readable when settings are added within format version 1.
std::string configToJson(const TrainConfig& config);
TrainConfig configFromJson(const std::string& json);  // throws RunFileError
// One root attribute per setting, named like its JSON key, except that TrainConfig::dataset
// becomes "dataset_setting": the root "dataset" attribute holds the dataset's display name.
void writeConfigAttributes(hid_t root, const TrainConfig& config);
std::vector<std::string> configAttributeNames();

// The dataset name under /best/weights for a parameter name. Torch's dotted names
// ("conv1.weight") are legal HDF5 link names and are kept verbatim; names HDF5 cannot hold
// (empty, ".", or containing '/') throw RunFileError.
std::string weightDatasetName(const std::string& parameterName);

// "the 6 epochs stored before are intact", for messages after a failed write.
std::string intactNote(long long storedEpochs);

// HDF5 1.10 trusts the global heap (where variable-length text lives), which has no checksum:
// a zeroed object size makes it loop forever, an oversized one or a reference to an index the
// collection lacks makes it read past its buffers and crash. This walks every collection in the
// file as HDF5 would, and checks the references stored in `references` (the raw data of
// contiguous string datasets; attributes sit in checksummed blocks). Empty when all is sound, or
// the file is not laid out as Centroid writes it (superblock at byte 0, 8-byte lengths).
struct ByteRange {
  std::uint64_t offset = 0, size = 0;
};
std::string globalHeapFault(const std::string& path, const std::vector<ByteRange>& references = {});

}  // namespace centroid::runfile
