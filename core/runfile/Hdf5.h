// RAII over HDF5 C handles, and the helpers the run-file code builds on; HDF5 failures become RunFileError.
// Internal to core/: nothing above the run-file layer includes HDF5.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::h5 {

// Owns one HDF5 identifier and closes it with the matching H5?close. Predefined types
// (H5T_NATIVE_INT, ...) are not owned: pass them as plain hid_t.
template <herr_t (*Close)(hid_t)>
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}
  ~Id() { reset(); }
  Id(Id&& other) noexcept : id_(other.release()) {}
  Id& operator=(Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.release();
    }
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  hid_t release() {
    hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }
  void reset() {
    if (id_ >= 0) Close(id_);  // a failing close has nothing left to tell the user
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Id<H5Fclose>;
using Group = Id<H5Gclose>;
using Dataset = Id<H5Dclose>;
using Dataspace = Id<H5Sclose>;
using Type = Id<H5Tclose>;
using PropList = Id<H5Pclose>;
using Attribute = Id<H5Aclose>;

// Turns HDF5's automatic error printing off while alive and restores it after. The setting is
// per thread in thread-safe builds, so every public run-file call opens one: failures then
// reach the user once, as a RunFileError, and stderr stays clean.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// The innermost cause on this thread's HDF5 error stack, as one line: the operating system's
// words when HDF5 recorded an errno ("No space left on device"), else HDF5's own description.
std::string errorCause();
// Throws RunFileError("<what> (<cause>)"). Call it straight after the failing HDF5 call: any
// other HDF5 call, even H5Iget_name, clears the error stack.
[[noreturn]] void fail(const std::string& what);
// Throws RunFileError("<object's path>: <what> (<cause>)").
[[noreturn]] void fail(hid_t object, const std::string& what);
// HDF5 calls return a negative value on failure.
template <class T>
T check(T result, const char* what) {
  if (result < 0) fail(what);
  return result;
}
// The path of an object inside its file ("/series/loss/value"), for messages.
std::string nameOf(hid_t object);

// File access: the given lowest format version, and file locking that tolerates file systems
// without lock support (network mounts) instead of refusing to open.
PropList fileAccess(H5F_libver_t low);

// ---- creation (the writer, before SWMR writing starts) ----
Type variableString();                // UTF-8, what h5py writes for str
Type fixedString(std::size_t bytes);  // UTF-8, NUL-padded: the only strings SWMR may overwrite
Type boolType();                      // enum int8 FALSE/TRUE: h5py reads it as numpy.bool_
// trackOrder: remember link creation order, so members list in the order they were made.
Group createGroup(hid_t loc, const std::string& name, bool trackOrder = false);
// A fixed-size dataset, written from `data` (nullptr: left at zero). chunkRows > 0 chunks it
// along the first axis and deflates it; otherwise it is contiguous and allocated at once, so a
// later overwrite under SWMR never needs new file space.
Dataset createDataset(hid_t loc, const std::string& name, hid_t fileType, const std::vector<hsize_t>& dims,
                      hid_t memType, const void* data, hsize_t chunkRows = 0);
Dataset createStrings(hid_t loc, const std::string& name, const std::vector<std::string>& values);
// An appendable series: 0 rows of rowDims, first axis unlimited, chunkRows rows per chunk,
// shuffle + deflate level 1.
Dataset createSeries(hid_t loc, const std::string& name, hid_t fileType, const std::vector<hsize_t>& rowDims,
                     hsize_t chunkRows);
void writeAttribute(hid_t object, const std::string& name, hid_t fileType, hid_t memType, const void* value);
void writeAttribute(hid_t object, const std::string& name, const std::string& value);

// ---- data ----
std::vector<hsize_t> dims(hid_t dataset);
hsize_t rows(hid_t dataset);  // first-axis extent; 1 for a scalar dataset
// Extends the first axis to row + 1 rows (never shrinks) and writes that one row.
void writeRow(hid_t dataset, hsize_t row, hid_t memType, const void* data);
// Reads rows first..first+count into `out`, which holds `capacity` elements: a dataset whose rows
// hold another number of elements than that is refused (RunFileError), never read past `out`.
void readRows(hid_t dataset, hsize_t first, hsize_t count, hid_t memType, void* out, std::size_t capacity);
void writeAll(hid_t dataset, hid_t memType, const void* data);
// Reads the whole dataset into `out`, which holds `capacity` elements; refused unless it holds that many.
void readAll(hid_t dataset, hid_t memType, void* out, std::size_t capacity);

// The most one read may return. A damaged or hostile file can claim extents no run ever wrote
// (a chunked dataset grows without data), and sizing a buffer from those would exhaust memory.
// 2 GiB, like readIdx's limit: a 70,000-image view set is 55 MB.
inline constexpr std::uint64_t kMaxReadBytes = std::uint64_t{1} << 31;
// Elements in an array of shape `dims`, each `elementBytes` large. Throws RunFileError naming
// `what` when that reaches kMaxReadBytes, counting a zero extent as 1 so no axis can hide behind
// another one's zero; so every extent that passes also fits an int.
std::size_t checkedElements(const std::vector<hsize_t>& dims, std::size_t elementBytes,
                            const std::string& what);
// Strings of any storage (variable or fixed length), trailing NULs dropped.
std::vector<std::string> readStrings(hid_t dataset);
void writeString(hid_t dataset, const std::string& value);  // scalar fixed-length; cut to fit

// ---- attributes ----
bool hasAttribute(hid_t object, const std::string& name);
H5T_class_t attributeClass(hid_t object, const std::string& name);
std::string readStringAttribute(hid_t object, const std::string& name);
long long readIntAttribute(hid_t object, const std::string& name);
double readFloatAttribute(hid_t object, const std::string& name);
std::vector<std::string> attributeNames(hid_t object);  // by name

}  // namespace centroid::h5
