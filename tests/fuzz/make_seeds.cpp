// Writes the fuzzing seed corpora (tests/fuzz/corpus/{idx,runfile}/): small valid files from our
// own writers plus the malformed shapes the readers' tests name. Deterministic, so re-running it
// changes nothing unless the formats change.
// Usage: fuzz_make_seeds <corpus-dir>
#include <hdf5.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "core/data/Idx.h"
#include "core/runfile/RunFile.h"
#include "core/runfile_fixture.h"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using namespace centroid;

Bytes slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

Bytes gzip(const Bytes& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size())) + 32;
  Bytes out(size);
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // 16: gzip wrapper
  zs.next_in = const_cast<Bytes::value_type*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

Bytes idxFile(std::uint8_t type, const std::vector<std::uint32_t>& dims, std::size_t dataBytes) {
  Bytes b{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(d >> shift));
  for (std::size_t i = 0; i < dataBytes; ++i) b.push_back(static_cast<std::uint8_t>(i * 37));
  return b;
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void idxSeeds(const fs::path& dir) {
  const Bytes images = idxFile(0x08, {3, 4, 4}, 48), labels = idxFile(0x08, {10}, 10);
  spit(dir / "valid-images-idx3-ubyte", images);
  spit(dir / "valid-labels-idx1-ubyte", labels);
  spit(dir / "valid-images-idx3-ubyte.gz", gzip(images));
  spit(dir / "valid-two-members.gz",
       gzip(Bytes(images.begin(), images.begin() + 20)) + gzip(Bytes(images.begin() + 20, images.end())));
  spit(dir / "valid-4d", idxFile(0x08, {2, 1, 2, 3}, 12));
  spit(dir / "truncated-data", Bytes(images.begin(), images.end() - 5));
  spit(dir / "trailing-bytes", images + Bytes{1, 2, 3});
  spit(dir / "truncated-header", Bytes(images.begin(), images.begin() + 9));
  spit(dir / "zero-dimension", idxFile(0x08, {3, 0, 4}, 0));
  spit(dir / "dims-overflow", idxFile(0x08, {0xffffffff, 0xffffffff, 0xffffffff}, 0));
  spit(dir / "over-2gib", idxFile(0x08, {0x10000, 0x10000}, 4));
  spit(dir / "float-type", idxFile(0x0D, {2}, 8));
  spit(dir / "five-dims", idxFile(0x08, {1, 1, 1, 1, 1}, 1));
  const Bytes gz = gzip(images);
  spit(dir / "gzip-truncated", Bytes(gz.begin(), gz.end() - 6));
  spit(dir / "gzip-garbage-after", gz + Bytes{'j', 'u', 'n', 'k'});
  Bytes badCrc = gz;
  badCrc[badCrc.size() - 6] ^= 0x5a;  // CRC32 in the trailer
  spit(dir / "gzip-bad-crc", badCrc);
  spit(dir / "gzip-twice", gzip(gz));
  spit(dir / "html", Bytes{'<', 'h', 't', 'm', 'l', '>'});
}

// The smallest run file RunReader reads completely, built with the HDF5 C API in the earliest
// format (version 0 superblock, version 1 object headers: no metadata checksums, so mutated
// bytes reach HDF5's parsing and ours instead of failing a checksum): the format attributes, every series
// with `epochs` rows (chunked, never written: rows read as zeros), a view set of 4 points, one baseline, one
// weight, best epoch and status; text in fixed-size strings (variable-length ones cost a 4 KB global heap). A
// few KB, so the fuzzer mutates it quickly. `reshape` gives the named datasets another shape (int32, all
// ones), for the regression inputs: right names, shapes the format never has.
using Shapes = std::map<std::string, std::vector<hsize_t>>;

void minimalRun(const fs::path& path, hsize_t epochs, const Shapes& reshape = {}) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_istore_k(fcpl, 1);  // small B-tree nodes: the default ones take 2.5 KB per dataset
  H5Pset_sym_k(fcpl, 1, 1);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST);
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
  if (f < 0) throw std::runtime_error("cannot create " + path.string());
  auto text = [](std::size_t size) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, size);
    return t;
  };
  auto attribute = [&](const char* name, hid_t type, const void* value) {
    hid_t space = H5Screate(H5S_SCALAR), a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, value);
    H5Aclose(a);
    H5Sclose(space);
  };
  hid_t formatType = text(12), jsonType = text(2);
  attribute("format", formatType, "centroid-run");
  const int version = 1;
  attribute("format_version", H5T_NATIVE_INT, &version);
  attribute("config_json", jsonType, "{}");  // missing settings keep their defaults
  // A dataset of `type` and `dims`; series (unlimited first axis) when `series`; `data` or zeros.
  auto dataset = [&](const std::string& name, hid_t type, std::vector<hsize_t> dims, bool series,
                     const void* data = nullptr) {
    std::vector<std::int32_t> ones;
    if (auto it = reshape.find(name); it != reshape.end()) {
      dims = it->second;
      std::size_t n = 1;
      for (hsize_t d : dims) n *= d;
      ones.assign(n, 1);
      type = H5T_NATIVE_INT32;
      data = ones.data();
      series = false;
    }
    std::vector<hsize_t> maxDims = dims, chunk = dims;
    maxDims[0] = H5S_UNLIMITED;
    chunk[0] = 1;
    for (auto& c : chunk) c = std::max<hsize_t>(c, 1);
    hid_t space =
        H5Screate_simple(static_cast<int>(dims.size()), dims.data(), series ? maxDims.data() : nullptr);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    if (series) H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
    hid_t d = H5Dcreate2(f, name.c_str(), type, space, lcpl, dcpl, H5P_DEFAULT);
    if (d < 0 || (data && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0))
      throw std::runtime_error("cannot write " + name);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Pclose(lcpl);
    H5Sclose(space);
  };
  const hsize_t points = 4, clusters = 2, dim = 3;
  for (const char* series : {"loss", "seconds", "seed_purity", "purity", "nmi", "ari", "accuracy",
                             "non_empty_clusters", "embedding", "centroids", "assignments"}) {
    const std::string group = std::string("/series/") + series;
    dataset(group + "/step", H5T_NATIVE_INT32, {epochs}, true);
    if (group == "/series/embedding")
      dataset(group + "/value", H5T_NATIVE_FLOAT, {epochs, points, dim}, true);
    else if (group == "/series/centroids")
      dataset(group + "/value", H5T_NATIVE_FLOAT, {epochs, clusters, dim}, true);
    else if (group == "/series/assignments")
      dataset(group + "/value", H5T_NATIVE_INT32, {epochs, points}, true);
    else dataset(group + "/value", H5T_NATIVE_DOUBLE, {epochs}, true);
  }
  const std::uint8_t labels[points] = {0, 1, 1, 0};
  const std::int32_t indices[points] = {0, 1, 2, 3};
  dataset("/view/labels", H5T_NATIVE_UINT8, {points}, false, labels);
  dataset("/view/indices", H5T_NATIVE_INT32, {points}, false, indices);
  dataset("/view/split", H5T_NATIVE_UINT8, {points}, false);
  dataset("/view/images", H5T_NATIVE_UINT8, {points, 2, 2}, false);
  hid_t nameType = text(4);
  dataset("/view/class_names", nameType, {2}, false, "zeroone ");
  dataset("/baselines/names", nameType, {1}, false, "pca ");
  dataset("/baselines/metrics", H5T_NATIVE_DOUBLE, {1, 6}, false);
  const std::int32_t best = 1;
  dataset("/best/epoch", H5T_NATIVE_INT32, {1}, false, &best);
  {
    // /best/weights lists the model's parameters in creation order, so it tracks that order.
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Gclose(H5Gcreate2(f, "/best/weights", H5P_DEFAULT, gcpl, H5P_DEFAULT));
    H5Pclose(gcpl);
  }
  const float weight[2] = {0.5f, -0.5f};
  dataset("/best/weights/w", H5T_NATIVE_FLOAT, {2}, false, weight);
  hid_t statusType = text(9);
  dataset("/status/status", statusType, {1}, false, "completed");
  dataset("/status/reason", nameType, {1}, false, "done");
  for (hid_t t : {formatType, jsonType, nameType, statusType}) H5Tclose(t);
  H5Fclose(f);
  H5Pclose(fapl);
  H5Pclose(fcpl);
}

void runFileSeeds(const fs::path& dir) {
  using namespace centroid::testing;
  const int points = 20, epochs = 2;
  const fs::path valid = dir / "valid-run.h5";
  {
    RunWriter w(valid.string(), testConfig(), testView(points, /*images=*/false), testLayout(),
                testBaselines(), "Fashion-MNIST", {{"torch_version", "2.1.2"}});
    for (int e = 1; e <= epochs; ++e) w.append(testFrame(e, points));
    w.setBest(2, testWeights(2));
    w.setStatus("completed", "max epochs reached");
  }
  const Bytes bytes = slurp(valid);
  spit(dir / "truncated-run.h5", Bytes(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() / 2)));
  minimalRun(dir / "valid-minimal-run.h5", 2);
  // Regression inputs (docs/reliability.md, "Fuzzing"): epoch counts past what an int holds,
  // and datasets holding more than the reader's buffers for them.
  minimalRun(dir / "regress-2e31-epochs.h5", hsize_t{1} << 31);
  minimalRun(dir / "regress-2e32-epochs.h5", (hsize_t{1} << 32) + 1);
  minimalRun(dir / "regress-best-epoch-array.h5", 2, {{"/best/epoch", {64}}});
  minimalRun(dir / "regress-step-2d.h5", 2, {{"/series/embedding/step", {2, 64}}});
  minimalRun(dir / "regress-loss-2d.h5", 2, {{"/series/loss/value", {2, 64}}});
  minimalRun(dir / "regress-labels-2d.h5", 2, {{"/view/labels", {4, 64}}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds <corpus-dir>\n";
    return 2;
  }
  try {
    const fs::path corpus = argv[1];
    fs::create_directories(corpus / "idx");
    fs::create_directories(corpus / "runfile");
    idxSeeds(corpus / "idx");
    runFileSeeds(corpus / "runfile");
  } catch (const std::exception& e) {
    std::cerr << "fuzz_make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
