// IDX reading and writing: a byte source (file or memory, raw or gzip) feeding one parser for all.
#include "core/data/Idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "core/metrics/Types.h"

namespace centroid {
namespace {

namespace fs = std::filesystem;

// A header claiming more is corrupt, not a dataset: MNIST's largest file holds 47 MB.
constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 31;
constexpr unsigned char kUnsignedByte = 0x08;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw DataError(name + ": " + what);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(v));
  return buf;
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::string shapeString(const std::vector<std::uint32_t>& dims) {
  std::string s;
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? " x " : "") + std::to_string(dims[i]);
  return s;
}

const char* typeName(unsigned char type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "16-bit integer";
    case 0x0C: return "32-bit integer";
    case 0x0D: return "32-bit float";
    case 0x0E: return "64-bit float";
    default: return "unknown type";
  }
}

// The magic a file named like MNIST's ("...-idx3-ubyte") should carry, for the error message.
std::string expectedMagic(const std::string& name) {
  const auto at = name.find("idx");
  if (at != std::string::npos && at + 3 < name.size() && name[at + 3] >= '1' && name[at + 3] <= '4')
    return hex32(0x800u + static_cast<unsigned>(name[at + 3] - '0'));
  return "0x000008NN (unsigned bytes, NN dimensions)";
}

// What the first bytes suggest the file is, so the user knows what to do about it.
std::string magicHint(const std::uint8_t* b, bool gzipped) {
  if (b[0] == 0x1f && b[1] == 0x8b) return "is the file still gzipped (compressed twice)? gunzip it once";
  if (b[0] == '<') return "is it an HTML page (a failed download)?";
  if (b[0] == 'P' && b[1] == 'K') return "is it a zip archive? unzip it first";
  if (b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') return "is it bzip2-compressed? decompress it first";
  if (b[0] == 0xfd && b[1] == '7' && b[2] == 'z') return "is it xz-compressed? decompress it first";
  return gzipped ? "the decompressed data is not an IDX file" : "not an IDX file";
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// The file's (decompressed) bytes front to back. The bytes already read to detect gzip are
// handed back in, so non-seekable files (pipes) work too.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; fewer only at the end of the data. Throws DataError on a corrupt stream.
  virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;
  // Bytes left, where that is cheap to know (a raw regular file, memory); nullopt otherwise.
  virtual std::optional<std::uint64_t> remaining() const { return std::nullopt; }
};

class FileSource : public ByteSource {
 public:
  FileSource(FilePtr file, std::string name, const std::uint8_t* prefix, std::size_t prefixLen,
             std::optional<std::uint64_t> size)
      : file_(std::move(file)), name_(std::move(name)), prefix_(prefix, prefix + prefixLen), size_(size) {}

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    std::size_t got = std::min(n, prefix_.size() - prefixPos_);
    std::memcpy(dst, prefix_.data() + prefixPos_, got);
    prefixPos_ += got;
    if (got < n) {
      const std::size_t r = std::fread(dst + got, 1, n - got, file_.get());
      if (r < n - got && std::ferror(file_.get()))
        fail(name_, std::string("read error: ") + std::strerror(errno));
      got += r;
    }
    pos_ += got;
    return got;
  }

  std::optional<std::uint64_t> remaining() const override {
    if (!size_) return std::nullopt;
    return *size_ > pos_ ? *size_ - pos_ : 0;
  }

 private:
  FilePtr file_;
  std::string name_;
  std::vector<std::uint8_t> prefix_;
  std::size_t prefixPos_ = 0;
  std::optional<std::uint64_t> size_;
  std::uint64_t pos_ = 0;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    const std::size_t got = std::min(n, size_ - pos_);
    if (got > 0) std::memcpy(dst, data_ + pos_, got);  // data_ may be null when size_ is 0
    pos_ += got;
    return got;
  }
  std::optional<std::uint64_t> remaining() const override { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Our own inflate loop rather than gzread: gzread silently ignores garbage after the stream
// and reports truncation only through gzerror, which is easy to miss. Inflates whatever source
// holds the compressed bytes (a file or memory), so files and parseIdx share this code.
class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)), in_(std::size_t{1} << 16) {
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) fail(name_, "cannot initialise zlib");  // 16: gzip only
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    std::size_t done = 0;
    while (done < n && !ended_) {
      if (zs_.avail_in == 0 && !refill()) {
        if (memberEnded_) {
          ended_ = true;
          break;
        }
        fail(name_, "gzip stream ends early: the file is truncated (an interrupted download?)");
      }
      if (memberEnded_) {  // more input after a complete member: gzip allows concatenated members
        inflateReset(&zs_);
        memberEnded_ = false;
      }
      const std::size_t chunk = std::min<std::size_t>(n - done, std::numeric_limits<uInt>::max());
      zs_.next_out = dst + done;
      zs_.avail_out = static_cast<uInt>(chunk);
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      done += chunk - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        memberEnded_ = true;
        ++members_;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {  // Z_BUF_ERROR: needs input, refilled above
        const std::string why = zs_.msg ? zs_.msg : "error " + std::to_string(rc);
        fail(name_, members_ > 0 ? "unexpected bytes after the end of the gzip stream (zlib: " + why + ")"
                                 : "corrupt gzip data (zlib: " + why + ")");
      }
    }
    return done;
  }

 private:
  bool refill() {
    const std::size_t got = compressed_->read(in_.data(), in_.size());
    zs_.next_in = in_.data();
    zs_.avail_in = static_cast<uInt>(got);
    return got > 0;
  }

  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<std::uint8_t> in_;
  z_stream zs_{};
  bool memberEnded_ = false;
  bool ended_ = false;
  int members_ = 0;
};

// "header says 10000 items, file holds 9000" or "... plus 8 trailing bytes".
[[noreturn]] void sizeMismatch(const std::string& name, std::uint64_t count, std::uint64_t itemSize,
                               std::uint64_t available) {
  std::string msg = "header says " + std::to_string(count) + " items, file holds ";
  if (available >= count * itemSize) {
    msg += std::to_string(count) + " items plus " + std::to_string(available - count * itemSize) +
           " trailing bytes";
  } else {
    msg += std::to_string(available / itemSize);
    if (const auto partial = available % itemSize)
      msg += " and " + std::to_string(partial) + " of the " + std::to_string(itemSize) + " bytes of the next";
  }
  fail(name, msg);
}

std::unique_ptr<ByteSource> openSource(const std::string& path, const std::string& name, bool& gzipped) {
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    fail(name, "cannot access " + path + ": " + ec.message());
  if (!fs::exists(st)) fail(name, "file not found: " + path);
  if (fs::is_directory(st)) fail(name, "is a folder, not an IDX file: " + path);
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) fail(name, "cannot open " + path + ": " + std::strerror(errno));
  std::uint8_t head[2];
  const std::size_t got = std::fread(head, 1, 2, file.get());
  if (got == 0 && std::ferror(file.get())) fail(name, std::string("read error: ") + std::strerror(errno));
  if (got == 0) fail(name, "file is empty: " + path);
  gzipped = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
  std::optional<std::uint64_t> size;
  if (!gzipped && fs::is_regular_file(st)) {
    const auto s = fs::file_size(path, ec);
    if (!ec) size = s;
  }
  auto raw = std::make_unique<FileSource>(std::move(file), name, head, got, size);
  if (gzipped) return std::make_unique<GzipSource>(std::move(raw), name);
  return raw;
}

// The name every message starts with; "folder/" has an empty filename(), so use the folder's.
std::string baseName(const std::string& path) {
  fs::path p(path);
  if (p.filename().empty() && p.has_parent_path()) p = p.parent_path();
  const std::string name = p.filename().string();
  return name.empty() ? path : name;
}

// The header and data of any source; readIdx and parseIdx differ only in where bytes come from.
IdxArray parse(ByteSource* src, const std::string& name, bool gzipped, std::size_t maxItems) {
  std::uint8_t head[4];
  const std::size_t got = src->read(head, 4);
  if (got == 0) fail(name, "gzip stream decompresses to nothing");
  if (got < 4) fail(name, "too short for an IDX header (" + std::to_string(got) + " bytes)");
  const std::uint32_t magic = bigEndian32(head);
  if (head[0] != 0 || head[1] != 0)
    fail(name, "expected magic " + expectedMagic(name) + ", found " + hex32(magic) + " \u2014 " +
                   magicHint(head, gzipped));
  if (head[2] != kUnsignedByte) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", head[2]);
    fail(name, "magic " + hex32(magic) + ": element type " + type + " (" + typeName(head[2]) +
                   ") is not supported; only 0x08 (unsigned byte) is");
  }
  const int ndims = head[3];
  if (ndims < 1 || ndims > 4)
    fail(name,
         "magic " + hex32(magic) + " declares " + std::to_string(ndims) + " dimensions; expected 1 to 4");

  std::uint8_t dimBytes[16];
  const std::size_t dimGot = src->read(dimBytes, 4u * ndims);
  if (dimGot < 4u * ndims)
    fail(name, "header is truncated: it declares " + std::to_string(ndims) +
                   " dimensions, the file ends after " + std::to_string(dimGot) + " of their " +
                   std::to_string(4 * ndims) + " bytes");
  std::vector<std::uint32_t> dims(ndims);
  for (int i = 0; i < ndims; ++i) dims[i] = bigEndian32(dimBytes + 4 * i);

  std::uint64_t total = 1;
  bool overflow = false;
  for (int i = 0; i < ndims; ++i) {
    if (dims[i] == 0)
      fail(name, "dimension " + std::to_string(i + 1) + " of " + std::to_string(ndims) + " is zero (" +
                     shapeString(dims) + ")");
    if (total > std::numeric_limits<std::uint64_t>::max() / dims[i]) overflow = true;
    total *= dims[i];  // wraps on overflow; only reported then, never used
  }
  if (overflow)
    fail(name,
         "dimensions " + shapeString(dims) + " multiply to more than 2^64 bytes; the header is corrupt");
  if (total > kMaxBytes)
    fail(name, "dimensions " + shapeString(dims) + " describe " + std::to_string(total) +
                   " bytes, more than the 2 GiB limit; the header is corrupt");

  const std::uint64_t count = dims[0];
  const std::uint64_t itemSize = total / count;
  // A raw file's length settles the whole claim before reading anything.
  if (const auto rem = src->remaining(); rem && *rem != total) sizeMismatch(name, count, itemSize, *rem);

  const std::uint64_t items = maxItems > 0 ? std::min<std::uint64_t>(maxItems, count) : count;
  const std::size_t want = static_cast<std::size_t>(items * itemSize);
  // A raw file's size is checked above, so allocate once; a stream grows as data arrives, so a
  // small corrupt gzip file claiming 2 GiB does not get 2 GiB.
  const bool sized = src->remaining().has_value();
  std::vector<std::uint8_t> data;
  std::size_t have = 0;
  while (have < want) {
    const std::size_t next =
        sized ? want : std::min(want, std::max<std::size_t>(have * 2, std::size_t{1} << 20));
    data.resize(next);
    have += src->read(data.data() + have, next - have);
    if (have < next) break;
  }
  if (have < want) sizeMismatch(name, count, itemSize, have);

  // Reading past the data also makes zlib check the gzip trailer (CRC and length).
  if (items == count && !src->remaining()) {
    std::uint8_t extra[1 << 14];
    std::uint64_t trailing = 0;
    while (const std::size_t r = src->read(extra, sizeof extra)) {
      trailing += r;
      if (trailing > kMaxBytes) break;  // enough to report; a gzip bomb need not be inflated fully
    }
    if (trailing > 0) sizeMismatch(name, count, itemSize, total + trailing);
  }

  IdxArray out;
  out.dims = std::move(dims);
  out.dims[0] = static_cast<std::uint32_t>(items);
  out.data = std::move(data);
  out.fileItems = static_cast<std::size_t>(count);
  return out;
}

}  // namespace

IdxArray readIdx(const std::string& path, std::size_t maxItems) {
  const std::string name = baseName(path);
  bool gzipped = false;
  const auto src = openSource(path, name, gzipped);
  return parse(src.get(), name, gzipped, maxItems);
}

IdxArray parseIdx(const std::uint8_t* data, std::size_t size, const std::string& name, std::size_t maxItems) {
  if (size == 0) fail(name, "file is empty");
  const bool gzipped = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  std::unique_ptr<ByteSource> src = std::make_unique<MemorySource>(data, size);
  if (gzipped) src = std::make_unique<GzipSource>(std::move(src), name);
  return parse(src.get(), name, gzipped, maxItems);
}

void writeIdx(const std::string& path, const IdxArray& array, bool gzip) {
  const std::string name = baseName(path);
  const std::size_t ndims = array.dims.size();
  if (ndims < 1 || ndims > 4)
    fail(name, "cannot write " + std::to_string(ndims) + " dimensions; IDX allows 1 to 4");
  std::uint64_t total = 1;
  for (const auto d : array.dims)  // saturate rather than wrap, so no product can fake a match
    total = d != 0 && total > kMaxBytes / d ? kMaxBytes + 1 : total * d;
  if (total == 0 || total > kMaxBytes || total != array.data.size())
    fail(name, "cannot write: dimensions " + shapeString(array.dims) + " do not match " +
                   std::to_string(array.data.size()) + " data bytes");

  std::vector<std::uint8_t> header{0, 0, kUnsignedByte, static_cast<std::uint8_t>(ndims)};
  for (const auto d : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8) header.push_back(static_cast<std::uint8_t>(d >> shift));

  if (gzip) {
    gzFile gz = gzopen(path.c_str(), "wb");
    if (!gz) fail(name, "cannot create " + path + ": " + std::strerror(errno));
    bool ok =
        gzwrite(gz, header.data(), static_cast<unsigned>(header.size())) == static_cast<int>(header.size());
    constexpr std::size_t kChunk = std::size_t{1} << 24;  // gzwrite takes an unsigned length
    for (std::size_t off = 0; ok && off < array.data.size(); off += kChunk) {
      const auto len = static_cast<unsigned>(std::min(kChunk, array.data.size() - off));
      ok = gzwrite(gz, array.data.data() + off, len) == static_cast<int>(len);
    }
    if (gzclose(gz) != Z_OK || !ok) fail(name, "cannot write " + path);
    return;
  }
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) fail(name, "cannot create " + path + ": " + std::strerror(errno));
  bool ok = std::fwrite(header.data(), 1, header.size(), file.get()) == header.size() &&
            std::fwrite(array.data.data(), 1, array.data.size(), file.get()) == array.data.size();
  ok = std::fclose(file.release()) == 0 && ok;
  if (!ok) fail(name, "cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace centroid
