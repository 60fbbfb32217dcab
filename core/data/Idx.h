// IDX file reading and writing (the MNIST container format), raw or gzip-compressed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace centroid {

// An unsigned-byte IDX array (the only element type MNIST uses).
struct IdxArray {
  std::vector<std::uint32_t> dims;  // dims[0] = items actually read (maxItems may cut it)
  std::vector<std::uint8_t> data;
  std::size_t fileItems = 0;  // items the file's header declares; lets callers compare
                              // two files' counts even after a maxItems read
  std::size_t count() const { return dims.empty() ? 0 : dims[0]; }
};

// Reads a raw or gzip IDX file (detected by content, not by name). Checks the magic, the
// element type (unsigned byte), the dimensions (non-zero, no overflow, plausible size) and
// that the file holds exactly what the header claims. Throws DataError whose message starts
// with the file name, e.g. "t10k-labels-idx1-ubyte: header says 10000 items, file holds 9000".
// maxItems > 0 reads only the first maxItems items along the first dimension. The header is
// always checked; a raw file's total size too (cheap), a gzip file's tail is not read.
IdxArray readIdx(const std::string& path, std::size_t maxItems = 0);

// The same parser over an IDX file already in memory (raw or gzip, detected by content); `name`
// starts every message as the file name does for readIdx. Same checks, same DataError messages.
// The fuzzer (tests/fuzz/) drives this, so it exercises readIdx's code without file I/O.
IdxArray parseIdx(const std::uint8_t* data, std::size_t size, const std::string& name,
                  std::size_t maxItems = 0);

// Writes an unsigned-byte IDX file; gzip when `gzip` is true. For tests and tools.
void writeIdx(const std::string& path, const IdxArray& array, bool gzip = false);

}  // namespace centroid
