// IDX reader/writer: round trips (raw, gzip, subsets) and one test per malformed-file message.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "core/data/Idx.h"
#include "core/metrics/Types.h"

namespace centroid {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

// A folder of its own per test (and per process), so parallel ctest runs never collide.
class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(CENTROID_TEST_TMP) /
           ("test_idx-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

Bytes header(std::uint8_t type, const std::vector<std::uint32_t>& dims, std::uint8_t ndims) {
  Bytes h{0, 0, type, ndims};
  for (const auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) h.push_back(static_cast<std::uint8_t>(d >> shift));
  return h;
}
Bytes header(const std::vector<std::uint32_t>& dims) {
  return header(0x08, dims, static_cast<std::uint8_t>(dims.size()));
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 37 + i / 256) & 0xff);
  return b;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void writeRaw(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

void writeGzip(const std::string& path, const Bytes& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  }
  ASSERT_EQ(gzclose(gz), Z_OK);
}

Bytes readRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The DataError message readIdx throws, or a note that it threw nothing / something else.
std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a DataError> ") + e.what();
  }
  return "<no error>";
}

std::string readError(const std::string& path, std::size_t maxItems = 0) {
  return errorOf([&] { readIdx(path, maxItems); });
}

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)
#define EXPECT_STARTS(haystack, prefix) \
  EXPECT_EQ(std::string(haystack).rfind(prefix, 0), 0u) << "message: " << (haystack)

IdxArray makeArray(std::vector<std::uint32_t> dims) {
  std::size_t n = 1;
  for (const auto d : dims) n *= d;
  IdxArray a;
  a.dims = std::move(dims);
  a.data = pattern(n);
  return a;
}

// --- Round trips -----------------------------------------------------------------------------

TEST_F(IdxFiles, RoundTripRaw) {
  const IdxArray a = makeArray({3, 2, 4});
  writeIdx(path("a-idx3-ubyte"), a);
  const Bytes file = readRaw(path("a-idx3-ubyte"));
  ASSERT_EQ(file.size(), 16u + 24u);
  EXPECT_EQ(Bytes(file.begin(), file.begin() + 16), header({3, 2, 4}));

  const IdxArray b = readIdx(path("a-idx3-ubyte"));
  EXPECT_EQ(b.dims, a.dims);
  EXPECT_EQ(b.data, a.data);
  EXPECT_EQ(b.count(), 3u);
  EXPECT_EQ(b.fileItems, 3u);
}

TEST_F(IdxFiles, RoundTripGzip) {
  const IdxArray a = makeArray({5, 28, 28});
  writeIdx(path("a-idx3-ubyte.gz"), a, /*gzip=*/true);
  const Bytes file = readRaw(path("a-idx3-ubyte.gz"));
  ASSERT_GE(file.size(), 2u);
  EXPECT_EQ(file[0], 0x1f);
  EXPECT_EQ(file[1], 0x8b);

  const IdxArray b = readIdx(path("a-idx3-ubyte.gz"));
  EXPECT_EQ(b.dims, a.dims);
  EXPECT_EQ(b.data, a.data);
}

TEST_F(IdxFiles, RoundTripOneAndFourDimensions) {
  for (const bool gz : {false, true}) {
    const IdxArray one = makeArray({7});
    const IdxArray four = makeArray({2, 3, 4, 5});
    writeIdx(path("one"), one, gz);
    writeIdx(path("four"), four, gz);
    EXPECT_EQ(readIdx(path("one")).data, one.data) << "gzip " << gz;
    EXPECT_EQ(readIdx(path("four")).dims, four.dims) << "gzip " << gz;
    EXPECT_EQ(readIdx(path("four")).data, four.data) << "gzip " << gz;
  }
}

TEST_F(IdxFiles, LargeGzipCrossesBufferBoundaries) {
  // Bigger than the reader's 64 KiB input buffer and its 1 MiB first allocation.
  const IdxArray a = makeArray({3000, 28, 28});
  writeIdx(path("big.gz"), a, true);
  const IdxArray b = readIdx(path("big.gz"));
  EXPECT_EQ(b.dims, a.dims);
  EXPECT_EQ(b.data, a.data);
}

TEST_F(IdxFiles, GzipDetectedByContentNotName) {
  const IdxArray a = makeArray({4, 3});
  writeIdx(path("looks-raw"), a, /*gzip=*/true);
  writeIdx(path("looks-gzipped.gz"), a, /*gzip=*/false);
  EXPECT_EQ(readIdx(path("looks-raw")).data, a.data);
  EXPECT_EQ(readIdx(path("looks-gzipped.gz")).data, a.data);
}

TEST_F(IdxFiles, ConcatenatedGzipMembersAreOneStream) {
  // `cat a.gz b.gz` is valid gzip; a reader that stops after the first member would say truncated.
  const Bytes data = pattern(10 * 6);
  writeGzip(path("m1"), concat(header({10, 6}), Bytes(data.begin(), data.begin() + 25)));
  writeGzip(path("m2"), Bytes(data.begin() + 25, data.end()));
  writeRaw(path("both"), concat(readRaw(path("m1")), readRaw(path("m2"))));
  EXPECT_EQ(readIdx(path("both")).data, data);
}

TEST_F(IdxFiles, MaxItemsReadsOnlyTheFirstItems) {
  const IdxArray a = makeArray({10, 4, 4});
  for (const bool gz : {false, true}) {
    writeIdx(path("a"), a, gz);
    const IdxArray b = readIdx(path("a"), 3);
    EXPECT_EQ(b.dims, (std::vector<std::uint32_t>{3, 4, 4})) << "gzip " << gz;
    EXPECT_EQ(b.count(), 3u);
    EXPECT_EQ(b.fileItems, 10u) << "the header's count survives a subset read";
    EXPECT_EQ(b.data, Bytes(a.data.begin(), a.data.begin() + 3 * 16));
    EXPECT_EQ(readIdx(path("a"), 1000).data, a.data) << "more than the file holds means all";
  }
}

TEST_F(IdxFiles, MaxItemsStillChecksRawFileSize) {
  writeRaw(path("t10k-labels-idx1-ubyte"), concat(header({10000}), pattern(9000)));
  EXPECT_HAS(readError(path("t10k-labels-idx1-ubyte"), 5), "header says 10000 items, file holds 9000");
}

TEST_F(IdxFiles, WriteRejectsInconsistentArrays) {
  IdxArray a = makeArray({3, 4});
  a.data.pop_back();
  EXPECT_HAS(errorOf([&] { writeIdx(path("x"), a); }), "do not match 11 data bytes");
  IdxArray five = makeArray({1, 1, 1, 1, 1});
  EXPECT_HAS(errorOf([&] { writeIdx(path("x"), five); }), "IDX allows 1 to 4");
}

// --- Malformed files: each names the file and its specific fault ------------------------------

TEST_F(IdxFiles, WrongMagic) {
  Bytes h = header({2, 28, 28});
  h[0] = 0x12;
  h[1] = 0x34;
  writeRaw(path("train-images-idx3-ubyte"), concat(h, pattern(2 * 784)));
  const std::string msg = readError(path("train-images-idx3-ubyte"));
  EXPECT_STARTS(msg, "train-images-idx3-ubyte: expected magic 0x00000803, found 0x12340803");
  EXPECT_HAS(msg, "not an IDX file");
}

TEST_F(IdxFiles, DoublyGzippedFileSaysSo) {
  writeIdx(path("inner.gz"), makeArray({2, 28, 28}), true);
  writeGzip(path("train-images-idx3-ubyte.gz"), readRaw(path("inner.gz")));
  const std::string msg = readError(path("train-images-idx3-ubyte.gz"));
  EXPECT_STARTS(msg, "train-images-idx3-ubyte.gz: expected magic 0x00000803, found 0x1f8b08");
  EXPECT_HAS(msg, "still gzipped");
}

TEST_F(IdxFiles, HtmlInsteadOfIdx) {
  const std::string html = "<!DOCTYPE html><html>Not Found</html>";
  writeRaw(path("t10k-labels-idx1-ubyte"), Bytes(html.begin(), html.end()));
  const std::string msg = readError(path("t10k-labels-idx1-ubyte"));
  EXPECT_STARTS(msg, "t10k-labels-idx1-ubyte: expected magic 0x00000801, found 0x3c21444f");
  EXPECT_HAS(msg, "HTML page");
}

TEST_F(IdxFiles, WrongElementType) {
  writeRaw(path("floats"), concat(header(0x0D, {2, 3}, 2), Bytes(24)));
  EXPECT_STARTS(readError(path("floats")),
                "floats: magic 0x00000d02: element type 0x0d (32-bit float) is not supported; only 0x08");
  writeRaw(path("shorts"), concat(header(0x0B, {2}, 1), Bytes(4)));
  EXPECT_HAS(readError(path("shorts")), "element type 0x0b (16-bit integer)");
  writeRaw(path("odd"), concat(header(0x42, {2}, 1), Bytes(2)));
  EXPECT_HAS(readError(path("odd")), "element type 0x42 (unknown type)");
}

TEST_F(IdxFiles, TruncatedDataRaw) {
  writeRaw(path("t10k-labels-idx1-ubyte"), concat(header({10000}), pattern(9000)));
  EXPECT_EQ(readError(path("t10k-labels-idx1-ubyte")),
            "t10k-labels-idx1-ubyte: header says 10000 items, file holds 9000");
  writeRaw(path("imgs"), concat(header({3, 28, 28}), pattern(784 + 100)));
  EXPECT_EQ(readError(path("imgs")),
            "imgs: header says 3 items, file holds 1 and 100 of the 784 bytes of the next");
}

TEST_F(IdxFiles, TruncatedDataInsideValidGzip) {
  writeGzip(path("t10k-labels-idx1-ubyte.gz"), concat(header({10000}), pattern(9000)));
  EXPECT_EQ(readError(path("t10k-labels-idx1-ubyte.gz")),
            "t10k-labels-idx1-ubyte.gz: header says 10000 items, file holds 9000");
}

TEST_F(IdxFiles, TrailingBytes) {
  writeRaw(path("labels"), concat(header({10}), pattern(18)));
  EXPECT_EQ(readError(path("labels")),
            "labels: header says 10 items, file holds 10 items plus 8 trailing bytes");
  writeGzip(path("labels.gz"), concat(header({10}), pattern(100010)));
  EXPECT_EQ(readError(path("labels.gz")),
            "labels.gz: header says 10 items, file holds 10 items plus 100000 trailing bytes");
}

TEST_F(IdxFiles, ZeroDimension) {
  writeRaw(path("zero"), header({5, 0, 28}));
  EXPECT_EQ(readError(path("zero")), "zero: dimension 2 of 3 is zero (5 x 0 x 28)");
  writeRaw(path("nodims"), header(0x08, {}, 0));
  EXPECT_HAS(readError(path("nodims")), "nodims: magic 0x00000800 declares 0 dimensions; expected 1 to 4");
}

TEST_F(IdxFiles, TooManyDimensions) {
  writeRaw(path("five"), concat(header({1, 1, 1, 1, 1}), Bytes(1)));
  EXPECT_EQ(readError(path("five")), "five: magic 0x00000805 declares 5 dimensions; expected 1 to 4");
}

TEST_F(IdxFiles, AbsurdDimensions) {
  writeRaw(path("huge"), concat(header({60000, 60000, 60000}), pattern(10)));
  const std::string msg = readError(path("huge"));
  EXPECT_STARTS(msg, "huge: dimensions 60000 x 60000 x 60000 describe 216000000000000 bytes");
  EXPECT_HAS(msg, "more than the 2 GiB limit");
  // Just over the limit in a gzip file: rejected from the header, before any allocation.
  writeGzip(path("big.gz"), header({2, 1024, 1024, 1025}));
  EXPECT_HAS(readError(path("big.gz")), "more than the 2 GiB limit");
}

TEST_F(IdxFiles, OverflowingDimensions) {
  writeRaw(path("wrap"), header({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}));
  EXPECT_HAS(readError(path("wrap")),
             "wrap: dimensions 4294967295 x 4294967295 x 4294967295 x 4294967295 "
             "multiply to more than 2^64 bytes");
  // 2^16 four times is 2^64, which a 64-bit product wraps to 0: the check must not be fooled.
  writeRaw(path("wrap2"), header({0x10000u, 0x10000u, 0x10000u, 0x10000u}));
  EXPECT_HAS(readError(path("wrap2")), "multiply to more than 2^64 bytes");
}

TEST_F(IdxFiles, TruncatedHeader) {
  writeRaw(path("short"), Bytes{0, 0, 8});
  EXPECT_EQ(readError(path("short")), "short: too short for an IDX header (3 bytes)");
  const Bytes h = header({60000, 28, 28});
  writeRaw(path("cut"), Bytes(h.begin(), h.begin() + 10));
  EXPECT_EQ(readError(path("cut")),
            "cut: header is truncated: it declares 3 dimensions, the file ends after 6 of their 12 bytes");
}

TEST_F(IdxFiles, GzipGarbage) {
  writeRaw(path("garbage.gz"), concat(Bytes{0x1f, 0x8b}, pattern(500)));
  const std::string msg = readError(path("garbage.gz"));
  EXPECT_STARTS(msg, "garbage.gz: corrupt gzip data (zlib: ");
  // A valid gzip header followed by an invalid deflate block.
  writeRaw(path("badblock.gz"),
           Bytes{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  EXPECT_STARTS(readError(path("badblock.gz")), "badblock.gz: corrupt gzip data (zlib: ");
}

TEST_F(IdxFiles, TruncatedGzip) {
  writeIdx(path("full.gz"), makeArray({200, 28, 28}), true);
  const Bytes full = readRaw(path("full.gz"));
  for (const std::size_t keep : {std::size_t{2}, std::size_t{12}, full.size() / 2, full.size() - 4}) {
    writeRaw(path("cut.gz"), Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(keep)));
    EXPECT_EQ(readError(path("cut.gz")),
              "cut.gz: gzip stream ends early: the file is truncated (an interrupted download?)")
        << "kept " << keep << " of " << full.size() << " bytes";
  }
}

TEST_F(IdxFiles, GzipChecksumMismatch) {
  writeIdx(path("crc.gz"), makeArray({20, 28, 28}), true);
  Bytes b = readRaw(path("crc.gz"));
  b[b.size() - 6] ^= 0xff;  // inside the CRC-32 of the trailer: the data decompress, the check fails
  writeRaw(path("crc.gz"), b);
  EXPECT_EQ(readError(path("crc.gz")), "crc.gz: corrupt gzip data (zlib: incorrect data check)");
}

TEST_F(IdxFiles, GarbageAfterGzipStream) {
  writeIdx(path("tail.gz"), makeArray({4, 4}), true);
  writeRaw(path("tail.gz"), concat(readRaw(path("tail.gz")), Bytes{'j', 'u', 'n', 'k'}));
  EXPECT_HAS(readError(path("tail.gz")), "tail.gz: unexpected bytes after the end of the gzip stream");
}

TEST_F(IdxFiles, EmptyFile) {
  writeRaw(path("empty"), {});
  EXPECT_STARTS(readError(path("empty")), "empty: file is empty: ");
  writeGzip(path("empty.gz"), {});
  EXPECT_EQ(readError(path("empty.gz")), "empty.gz: gzip stream decompresses to nothing");
}

TEST_F(IdxFiles, MissingFileAndFolder) {
  const std::string missing = path("train-images-idx3-ubyte");
  EXPECT_EQ(readError(missing), "train-images-idx3-ubyte: file not found: " + missing);
  EXPECT_EQ(readError(dir_.string()),
            dir_.filename().string() + ": is a folder, not an IDX file: " + dir_.string());
}

// --- parseIdx: the same parser over memory (what the fuzzer drives) -------------------------

TEST_F(IdxFiles, ParseIdxMatchesReadIdx) {
  const IdxArray a = makeArray({4, 3, 5});
  const Bytes raw = concat(header({4, 3, 5}), a.data);
  writeRaw(path("m-idx3-ubyte"), raw);
  writeGzip(path("m-idx3-ubyte.gz"), raw);
  for (const char* name : {"m-idx3-ubyte", "m-idx3-ubyte.gz"}) {
    SCOPED_TRACE(name);
    const Bytes file = readRaw(path(name));
    const IdxArray fromFile = readIdx(path(name), 2);
    const IdxArray fromMemory = parseIdx(file.data(), file.size(), name, 2);
    EXPECT_EQ(fromMemory.dims, fromFile.dims);
    EXPECT_EQ(fromMemory.data, fromFile.data);
    EXPECT_EQ(fromMemory.fileItems, 4u);
  }
  // Damage gives the same message, file name first, whichever entry point read it.
  const Bytes cut(raw.begin(), raw.end() - 7);
  writeRaw(path("cut-idx3-ubyte"), cut);
  EXPECT_EQ(errorOf([&] { parseIdx(cut.data(), cut.size(), "cut-idx3-ubyte"); }),
            readError(path("cut-idx3-ubyte")));
  EXPECT_EQ(errorOf([&] { parseIdx(nullptr, 0, "none"); }), "none: file is empty");
}

}  // namespace
}  // namespace centroid
