// Hostile datasets: a valid synthetic IDX folder with one file spoilt, passed to centroid-train
// with --dataset <folder>. Every case reads whole files (no --subset), so damage anywhere shows.
#include <zlib.h>

#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include "tests/reliability/Hostile.h"

namespace centroid::reliability {

void writeBytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

Bytes readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

Bytes gzip(const Bytes& raw) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)  // 16: gzip
    throw std::runtime_error("deflateInit2 failed");
  Bytes out(deflateBound(&zs, raw.size()) + 32);
  zs.next_in = const_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

Bytes idx(std::uint32_t magic, const std::vector<std::uint32_t>& dims, const Bytes& data) {
  Bytes out;
  auto put = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
  };
  put(magic);
  for (auto d : dims) put(d);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes idxImages(std::uint32_t count, std::uint32_t side) {
  std::mt19937 rng(count);
  Bytes pixels(static_cast<std::size_t>(count) * side * side);
  for (auto& p : pixels) p = static_cast<std::uint8_t>(rng());
  return idx(0x803, {count, side, side}, pixels);
}

Bytes idxLabels(std::uint32_t count) {
  Bytes labels(count);
  for (std::uint32_t i = 0; i < count; ++i) labels[i] = static_cast<std::uint8_t>(i % 10);
  return idx(0x801, {count}, labels);
}

fs::path writeDataset(const fs::path& dir) {
  const fs::path data = dir / "data";
  fs::create_directories(data);
  writeBytes(data / kTrainImages, idxImages(kTrainCount));
  writeBytes(data / kTrainLabels, idxLabels(kTrainCount));
  writeBytes(data / kTestImages, idxImages(kTestCount));
  writeBytes(data / kTestLabels, idxLabels(kTestCount));
  return data;
}

std::vector<std::string> trainArgs(const fs::path& dir, const std::map<std::string, std::string>& changes) {
  std::map<std::string, std::string> options = {{"--dataset", (dir / "data").string()},
                                                {"--view-train", "100"},
                                                {"--view-test", "50"},
                                                {"--batch-size", "50"},
                                                {"--epochs", "1"},
                                                {"--threads", "1"},
                                                {"-o", (dir / "run.h5").string()}};
  for (const auto& [name, value] : changes) options[name] = value;
  std::vector<std::string> args;
  for (const auto& [name, value] : options) {
    args.push_back(name);
    args.push_back(value);
  }
  return args;
}

HostileCase datasetCase(std::string name, std::string input, std::function<void(const fs::path&)> damage,
                        std::string message) {
  auto setup = [damage = std::move(damage)](const fs::path& dir) {
    damage(writeDataset(dir));
    return Prepared{trainArgs(dir)};
  };
  return {std::move(name), std::move(input), Program::Train, setup, std::move(message)};
}

namespace {

// Replaces `file` in the dataset folder.
auto replace(const char* file, Bytes bytes) {
  return [file, bytes = std::move(bytes)](const fs::path& data) { writeBytes(data / file, bytes); };
}

// Keeps the first `keep` bytes of `file` (negative: drops that many from the end).
auto cut(const char* file, long keep) {
  return [file, keep](const fs::path& data) {
    Bytes b = readBytes(data / file);
    b.resize(keep >= 0 ? static_cast<std::size_t>(keep) : b.size() - static_cast<std::size_t>(-keep));
    writeBytes(data / file, b);
  };
}

// Swaps the raw `file` for `file`.gz holding `bytes(raw)`.
template <class F>
auto asGzip(const char* file, F bytes) {
  return [file, bytes](const fs::path& data) {
    const Bytes raw = readBytes(data / file);
    fs::remove(data / file);
    writeBytes(data / (std::string(file) + ".gz"), bytes(raw));
  };
}

Bytes html() {
  const std::string page = "<!DOCTYPE html><html><body>404 Not Found</body></html>\n";
  return Bytes(page.begin(), page.end());
}

Bytes labelsWith(std::uint32_t count, std::size_t at, std::uint8_t value) {
  Bytes b = idxLabels(count);
  b[8 + at] = value;
  return b;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(
    Idx, HostileInput,
    ::testing::Values(datasetCase("WrongMagic", "train images start 0x12345678",
                                  replace(kTrainImages,
                                          idx(0x12345678, {kTrainCount, 28, 28}, Bytes(kTrainCount * 784))),
                                  "train-images-idx3-ubyte: expected magic 0x00000803, found 0x12345678"),
                      datasetCase("WrongElementType", "train images of 32-bit floats (magic 0x00000d03)",
                                  replace(kTrainImages,
                                          idx(0xD03, {kTrainCount, 28, 28}, Bytes(kTrainCount * 784))),
                                  "element type 0x0d (32-bit float) is not supported"),
                      datasetCase("FiveDimensions", "train labels declaring 5 dimensions",
                                  replace(kTrainLabels, idx(0x805, {1, 1, 1, 1, 1}, Bytes(1))),
                                  "declares 5 dimensions"),
                      datasetCase("TruncatedHeader",
                                  "train images: header ends after one of three dimensions",
                                  cut(kTrainImages, 8), "header is truncated"),
                      datasetCase(
                          "TruncatedImages", "train images missing their last 100 bytes",
                          cut(kTrainImages, -100),
                          "header says 300 items, file holds 299 and 684 of the 784 bytes of the next"),
                      datasetCase("TruncatedLabels", "train labels missing their last 10 bytes",
                                  cut(kTrainLabels, -10),
                                  "train-labels-idx1-ubyte: header says 300 items, file holds 290"),
                      datasetCase(
                          "TrailingBytes", "test labels with 8 bytes of junk appended",
                          [](const fs::path& data) {
                            Bytes b = idxLabels(kTestCount);
                            b.insert(b.end(), 8, 0xAB);
                            writeBytes(data / kTestLabels, b);
                          },
                          "header says 100 items, file holds 100 items plus 8 trailing bytes"),
                      datasetCase("DimensionOverflow", "train images 4294967295 x 4294967295 x 4294967295",
                                  replace(kTrainImages, idx(0x803, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {})),
                                  "multiply to more than 2^64 bytes"),
                      datasetCase("DimensionTooLarge",
                                  "train images 4000000 x 28 x 28 (3.1 GB) in a 16-byte file",
                                  replace(kTrainImages, idx(0x803, {4000000, 28, 28}, {})),
                                  "more than the 2 GiB limit"),
                      datasetCase("ZeroDimension", "train images 0 x 28 x 28",
                                  replace(kTrainImages, idx(0x803, {0, 28, 28}, {})),
                                  "dimension 1 of 3 is zero"),
                      datasetCase("WrongImageSize", "train images 300 x 32 x 32",
                                  replace(kTrainImages, idxImages(300, 32)),
                                  "expected images shaped N x 28 x 28, found 300 x 32 x 32"),
                      datasetCase("CountMismatch", "299 train labels for 300 train images",
                                  replace(kTrainLabels, idxLabels(299)),
                                  "holds 300 images but train-labels-idx1-ubyte holds 299 labels"),
                      datasetCase("LabelOutOfRange", "train label 12 at index 5",
                                  replace(kTrainLabels, labelsWith(300, 5, 12)),
                                  "label 12 at index 5 is out of range"),
                      datasetCase("GzipGarbage",
                                  "train-images-idx3-ubyte.gz: a gzip header, then random bytes",
                                  asGzip(kTrainImages,
                                         [](const Bytes&) {
                                           Bytes b{0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03};
                                           std::mt19937 rng(7);
                                           for (int i = 0; i < 4096; ++i)
                                             b.push_back(static_cast<std::uint8_t>(rng()));
                                           return b;
                                         }),
                                  "train-images-idx3-ubyte.gz: corrupt gzip data"),
                      datasetCase("TruncatedGzip", "train-images-idx3-ubyte.gz cut in half",
                                  asGzip(kTrainImages,
                                         [](const Bytes& raw) {
                                           Bytes b = gzip(raw);
                                           b.resize(b.size() / 2);
                                           return b;
                                         }),
                                  "gzip stream ends early: the file is truncated"),
                      datasetCase("GzipTrailingGarbage",
                                  "train-labels-idx1-ubyte.gz with junk after the gzip stream",
                                  asGzip(kTrainLabels,
                                         [](const Bytes& raw) {
                                           Bytes b = gzip(raw);
                                           const std::string junk = "not gzip";
                                           b.insert(b.end(), junk.begin(), junk.end());
                                           return b;
                                         }),
                                  "unexpected bytes after the end of the gzip stream"),
                      datasetCase("GzippedTwice", "train images gzipped twice, named .gz once",
                                  asGzip(kTrainImages, [](const Bytes& raw) { return gzip(gzip(raw)); }),
                                  "is the file still gzipped (compressed twice)? gunzip it once"),
                      datasetCase("HtmlPage", "train labels replaced by an HTML error page",
                                  replace(kTrainLabels, html()), "is it an HTML page (a failed download)?"),
                      datasetCase("EmptyFile", "train labels: 0 bytes", replace(kTrainLabels, {}),
                                  "train-labels-idx1-ubyte: file is empty"),
                      datasetCase(
                          "MissingFile", "no test labels, raw or .gz",
                          [](const fs::path& data) { fs::remove(data / kTestLabels); },
                          "lacks t10k-labels-idx1-ubyte (raw or .gz)"),
                      datasetCase(
                          "FolderInsteadOfFile", "train-images-idx3-ubyte is a folder",
                          [](const fs::path& data) {
                            fs::remove(data / kTrainImages);
                            fs::create_directory(data / kTrainImages);
                          },
                          "train-images-idx3-ubyte is a folder, not a file")),
    caseName);

}  // namespace centroid::reliability
