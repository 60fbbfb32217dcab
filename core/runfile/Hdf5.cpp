// RAII helpers over the HDF5 C API; every failure becomes a RunFileError naming the object.
#include "core/runfile/Hdf5.h"

#include <algorithm>
#include <cstring>

#ifndef H5_HAVE_THREADSAFE
// The trainer writes on its worker thread while the GUI reads: without the global lock that a
// thread-safe build adds, concurrent HDF5 calls corrupt its internal state.
#warning "HDF5 is not built thread-safe: do not read and write run files on two threads at once"
#endif

namespace centroid::h5 {

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

std::string errorCause() {
  std::vector<std::string> descriptions;  // outermost call first
  auto collect = [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(e->desc ? e->desc : "");
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &descriptions);
  H5Eclear2(H5E_DEFAULT);
  if (descriptions.empty()) return "no HDF5 error recorded";
  const std::string& inner = descriptions.back();
  // Low-level I/O failures carry "..., errno = 28, error message = 'No space left on device', ...":
  // the quoted part is what a user recognises.
  const std::string key = "error message = '";
  if (auto at = inner.find(key); at != std::string::npos) {
    auto start = at + key.size();
    auto end = inner.find('\'', start);
    if (end != std::string::npos) return inner.substr(start, end - start);
  }
  return inner;
}

void fail(const std::string& what) { throw RunFileError(what + " (" + errorCause() + ")"); }

void fail(hid_t object, const std::string& what) {
  std::string cause = errorCause();  // first: any further HDF5 call clears the error stack
  throw RunFileError(nameOf(object) + ": " + what + " (" + cause + ")");
}

std::string nameOf(hid_t object) {
  char buffer[512] = {};
  ssize_t n = H5Iget_name(object, buffer, sizeof buffer);
  return n > 0 ? std::string(buffer) : std::string("(unnamed object)");
}

PropList fileAccess(H5F_libver_t low) {
  PropList fapl(check(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties"));
  check(H5Pset_libver_bounds(fapl.get(), low, H5F_LIBVER_LATEST), "setting format bounds");
  check(H5Pset_file_locking(fapl.get(), true, /*ignore_when_disabled=*/true), "setting file locking");
  return fapl;
}

// ---- creation ----

Type variableString() {
  Type t(check(H5Tcopy(H5T_C_S1), "creating a string type"));
  check(H5Tset_size(t.get(), H5T_VARIABLE), "creating a string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "creating a string type");
  return t;
}

Type fixedString(std::size_t bytes) {
  Type t(check(H5Tcopy(H5T_C_S1), "creating a string type"));
  check(H5Tset_size(t.get(), std::max<std::size_t>(bytes, 1)), "creating a string type");
  check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "creating a string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "creating a string type");
  return t;
}

Type boolType() {
  Type t(check(H5Tenum_create(H5T_NATIVE_INT8), "creating a bool type"));
  std::int8_t no = 0, yes = 1;
  check(H5Tenum_insert(t.get(), "FALSE", &no), "creating a bool type");
  check(H5Tenum_insert(t.get(), "TRUE", &yes), "creating a bool type");
  return t;
}

Group createGroup(hid_t loc, const std::string& name, bool trackOrder) {
  PropList gcpl(check(H5Pcreate(H5P_GROUP_CREATE), "creating group properties"));
  if (trackOrder) {
    check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "tracking link order");
  }
  hid_t g = H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT);
  if (g < 0) fail(loc, "creating group '" + name + "' failed");
  return Group(g);
}

namespace {

Dataspace simpleSpace(const std::vector<hsize_t>& dims, const std::vector<hsize_t>* maxDims = nullptr) {
  hid_t s = dims.empty() ? H5Screate(H5S_SCALAR)
                         : H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                            maxDims ? maxDims->data() : nullptr);
  return Dataspace(check(s, "creating a dataspace"));
}

hsize_t elements(const std::vector<hsize_t>& dims) {
  hsize_t n = 1;
  for (hsize_t d : dims) n *= d;
  return n;
}

// Chunk shape: chunkRows along the first axis, whole rows otherwise. A zero-sized axis cannot
// bound a chunk, so such axes get chunk 1 and an unlimited maximum (see createSeries).
std::vector<hsize_t> chunkShape(const std::vector<hsize_t>& dims, hsize_t chunkRows) {
  std::vector<hsize_t> chunk = dims;
  chunk[0] = std::max<hsize_t>(chunkRows, 1);
  for (std::size_t i = 1; i < chunk.size(); ++i) chunk[i] = std::max<hsize_t>(chunk[i], 1);
  return chunk;
}

void addCompression(hid_t dcpl) {
  check(H5Pset_shuffle(dcpl), "enabling shuffle");
  check(H5Pset_deflate(dcpl, 1), "enabling deflate");  // level 9 costs time for little gain
}

Dataspace rowSelection(hid_t dataset, hsize_t first, hsize_t count, std::vector<hsize_t>& memDims) {
  Dataspace file(check(H5Dget_space(dataset), "reading a dataspace"));
  int rank = H5Sget_simple_extent_ndims(file.get());
  if (rank < 1) throw RunFileError(nameOf(dataset) + ": expected an array, found a scalar");
  memDims.assign(static_cast<std::size_t>(rank), 0);
  H5Sget_simple_extent_dims(file.get(), memDims.data(), nullptr);
  if (first + count > memDims[0]) {
    throw RunFileError(nameOf(dataset) + ": rows " + std::to_string(first) + ".." +
                       std::to_string(first + count) + " requested, " + std::to_string(memDims[0]) +
                       " stored");
  }
  std::vector<hsize_t> start(memDims.size(), 0);
  start[0] = first;
  memDims[0] = count;
  check(H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, start.data(), nullptr, memDims.data(), nullptr),
        "selecting rows");
  return file;
}

}  // namespace

Dataset createDataset(hid_t loc, const std::string& name, hid_t fileType, const std::vector<hsize_t>& dims,
                      hid_t memType, const void* data, hsize_t chunkRows) {
  PropList dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"));
  bool chunked = chunkRows > 0 && !dims.empty() && elements(dims) > 0;
  if (chunked) {
    chunkRows = std::min(chunkRows, dims[0]);
    auto chunk = chunkShape(dims, chunkRows);
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "setting chunks");
    addCompression(dcpl.get());
  } else {
    check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), "setting allocation time");
  }
  Dataspace space = simpleSpace(dims);
  hid_t d = H5Dcreate2(loc, name.c_str(), fileType, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
  if (d < 0) fail(loc, "creating dataset '" + name + "' failed");
  Dataset dataset(d);
  if (data && elements(dims) > 0) writeAll(dataset.get(), memType, data);
  return dataset;
}

Dataset createStrings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  Type type = variableString();
  return createDataset(loc, name, type.get(), {values.size()}, type.get(),
                       pointers.empty() ? nullptr : pointers.data());
}

Dataset createSeries(hid_t loc, const std::string& name, hid_t fileType, const std::vector<hsize_t>& rowDims,
                     hsize_t chunkRows) {
  std::vector<hsize_t> dims{0}, maxDims{H5S_UNLIMITED};
  for (hsize_t d : rowDims) {
    dims.push_back(d);
    maxDims.push_back(d > 0 ? d : H5S_UNLIMITED);
  }
  PropList dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties"));
  auto chunk = chunkShape(dims, chunkRows);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "setting chunks");
  addCompression(dcpl.get());
  Dataspace space = simpleSpace(dims, &maxDims);
  hid_t d = H5Dcreate2(loc, name.c_str(), fileType, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT);
  if (d < 0) fail(loc, "creating series '" + name + "' failed");
  return Dataset(d);
}

void writeAttribute(hid_t object, const std::string& name, hid_t fileType, hid_t memType, const void* value) {
  Dataspace space(check(H5Screate(H5S_SCALAR), "creating a dataspace"));
  Attribute a(H5Acreate2(object, name.c_str(), fileType, space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!a || H5Awrite(a.get(), memType, value) < 0) {
    fail(object, "writing attribute '" + name + "' failed");
  }
}

void writeAttribute(hid_t object, const std::string& name, const std::string& value) {
  Type type = variableString();
  const char* p = value.c_str();
  writeAttribute(object, name, type.get(), type.get(), &p);
}

// ---- data ----

std::vector<hsize_t> dims(hid_t dataset) {
  Dataspace space(check(H5Dget_space(dataset), "reading a dataspace"));
  int rank = check(H5Sget_simple_extent_ndims(space.get()), "reading a dataspace");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
  return d;
}

hsize_t rows(hid_t dataset) {
  auto d = dims(dataset);
  return d.empty() ? 1 : d[0];
}

void writeRow(hid_t dataset, hsize_t row, hid_t memType, const void* data) {
  auto extent = dims(dataset);
  if (extent.empty()) throw RunFileError(nameOf(dataset) + ": cannot append to a scalar");
  if (extent[0] < row + 1) {
    extent[0] = row + 1;
    if (H5Dset_extent(dataset, extent.data()) < 0) {
      fail(dataset, "extending to " + std::to_string(row + 1) + " rows failed");
    }
  }
  std::vector<hsize_t> memDims;
  Dataspace file = rowSelection(dataset, row, 1, memDims);
  Dataspace mem = simpleSpace(memDims);
  if (H5Dwrite(dataset, memType, mem.get(), file.get(), H5P_DEFAULT, data) < 0) {
    fail(dataset, "writing row " + std::to_string(row) + " failed");
  }
}

std::size_t checkedElements(const std::vector<hsize_t>& dims, std::size_t elementBytes,
                            const std::string& what) {
  std::uint64_t bytes = elementBytes, elements = 1;
  std::string shape;
  for (hsize_t d : dims) {
    shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    const std::uint64_t atLeastOne = std::max<hsize_t>(d, 1);
    bytes = bytes >= kMaxReadBytes || atLeastOne >= kMaxReadBytes ? kMaxReadBytes : bytes * atLeastOne;
    elements *= d;  // only used when bytes stayed below the limit, so no overflow
  }
  if (bytes >= kMaxReadBytes) {
    throw RunFileError(what + ": " + shape + " values are 2 GiB or more; the file is damaged");
  }
  return static_cast<std::size_t>(elements);
}

namespace {

// HDF5 writes as many elements as the selection holds, whatever `out` can take.
void checkCapacity(hid_t dataset, hsize_t selected, std::size_t capacity) {
  if (selected != capacity) {
    throw RunFileError(nameOf(dataset) + ": holds " + std::to_string(selected) + " values, expected " +
                       std::to_string(capacity) + "; the file is damaged");
  }
}

}  // namespace

void readRows(hid_t dataset, hsize_t first, hsize_t count, hid_t memType, void* out, std::size_t capacity) {
  if (count == 0) return;
  std::vector<hsize_t> memDims;
  Dataspace file = rowSelection(dataset, first, count, memDims);
  checkCapacity(dataset, static_cast<hsize_t>(check(H5Sget_select_npoints(file.get()), "counting values")),
                capacity);
  Dataspace mem = simpleSpace(memDims);
  if (H5Dread(dataset, memType, mem.get(), file.get(), H5P_DEFAULT, out) < 0) {
    fail(dataset, "reading rows " + std::to_string(first) + ".." + std::to_string(first + count) + " failed");
  }
}

void writeAll(hid_t dataset, hid_t memType, const void* data) {
  if (H5Dwrite(dataset, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail(dataset, "write failed");
  }
}

void readAll(hid_t dataset, hid_t memType, void* out, std::size_t capacity) {
  Dataspace space(check(H5Dget_space(dataset), "reading a dataspace"));
  checkCapacity(dataset,
                static_cast<hsize_t>(check(H5Sget_simple_extent_npoints(space.get()), "counting values")),
                capacity);
  if (H5Dread(dataset, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
    fail(dataset, "read failed");
  }
}

namespace {

// Reads the strings of a dataset or attribute (`read` does the H5Dread/H5Aread), whatever
// their storage: run files use variable-length strings for lists and fixed ones for status.
template <class Read>
std::vector<std::string> readStringsOf(hid_t object, hid_t fileType, hid_t space, Read read) {
  if (H5Tget_class(fileType) != H5T_STRING) {
    throw RunFileError(nameOf(object) + ": expected text, found another type");
  }
  hssize_t n = check(H5Sget_simple_extent_npoints(space), "reading a dataspace");
  const std::size_t each = H5Tis_variable_str(fileType) > 0 ? sizeof(char*) : H5Tget_size(fileType);
  checkedElements({static_cast<hsize_t>(n)}, std::max<std::size_t>(each, 1), nameOf(object));
  std::vector<std::string> out;
  if (H5Tis_variable_str(fileType) > 0) {
    Type mem = variableString();
    std::vector<char*> pointers(static_cast<std::size_t>(n), nullptr);
    if (n > 0 && read(mem.get(), pointers.data()) < 0) fail(object, "reading text failed");
    for (char* p : pointers) out.emplace_back(p ? p : "");
    if (n > 0) H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, pointers.data());
  } else {
    std::size_t size = H5Tget_size(fileType);
    Type mem(check(H5Tcopy(fileType), "copying a string type"));
    std::vector<char> buffer(static_cast<std::size_t>(n) * size);
    if (n > 0 && read(mem.get(), buffer.data()) < 0) fail(object, "reading text failed");
    for (hssize_t i = 0; i < n; ++i) {
      const char* p = buffer.data() + i * size;
      out.emplace_back(p, strnlen(p, size));
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> readStrings(hid_t dataset) {
  Type type(check(H5Dget_type(dataset), "reading a type"));
  Dataspace space(check(H5Dget_space(dataset), "reading a dataspace"));
  return readStringsOf(dataset, type.get(), space.get(), [&](hid_t mem, void* out) {
    return H5Dread(dataset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
  });
}

void writeString(hid_t dataset, const std::string& value) {
  Type type(check(H5Dget_type(dataset), "reading a type"));
  std::size_t size = H5Tget_size(type.get());
  std::string text = value.substr(0, size);
  // Never cut a UTF-8 sequence in half: drop continuation bytes left without their lead.
  if (text.size() < value.size()) {
    std::size_t end = text.size();
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
    text.resize(end);
  }
  text.resize(size, '\0');
  writeAll(dataset, type.get(), text.data());
}

// ---- attributes ----

bool hasAttribute(hid_t object, const std::string& name) {
  htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(object, "looking for attribute '" + name + "' failed");
  return exists > 0;
}

namespace {

Attribute openAttribute(hid_t object, const std::string& name) {
  hid_t a = H5Aopen(object, name.c_str(), H5P_DEFAULT);
  if (a < 0) fail(object, "opening attribute '" + name + "' failed");
  return Attribute(a);
}

}  // namespace

H5T_class_t attributeClass(hid_t object, const std::string& name) {
  Attribute a = openAttribute(object, name);
  Type type(check(H5Aget_type(a.get()), "reading an attribute type"));
  return H5Tget_class(type.get());
}

std::string readStringAttribute(hid_t object, const std::string& name) {
  Attribute a = openAttribute(object, name);
  Type type(check(H5Aget_type(a.get()), "reading an attribute type"));
  Dataspace space(check(H5Aget_space(a.get()), "reading an attribute dataspace"));
  auto values = readStringsOf(object, type.get(), space.get(),
                              [&](hid_t mem, void* out) { return H5Aread(a.get(), mem, out); });
  if (values.size() != 1) {
    throw RunFileError("attribute '" + name + "' of " + nameOf(object) + ": expected one text");
  }
  return values.front();
}

namespace {

template <class T>
T readNumberAttribute(hid_t object, const std::string& name, H5T_class_t expected, hid_t memType) {
  Attribute a = openAttribute(object, name);
  Type type(check(H5Aget_type(a.get()), "reading an attribute type"));
  Dataspace space(check(H5Aget_space(a.get()), "reading an attribute dataspace"));
  if (H5Tget_class(type.get()) != expected || H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw RunFileError("attribute '" + name + "' of " + nameOf(object) + ": expected one " +
                       (expected == H5T_INTEGER ? "integer" : "number"));
  }
  T value{};
  if (H5Aread(a.get(), memType, &value) < 0) {
    fail(object, "reading attribute '" + name + "' failed");
  }
  return value;
}

}  // namespace

long long readIntAttribute(hid_t object, const std::string& name) {
  return readNumberAttribute<long long>(object, name, H5T_INTEGER, H5T_NATIVE_LLONG);
}

double readFloatAttribute(hid_t object, const std::string& name) {
  return readNumberAttribute<double>(object, name, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}

std::vector<std::string> attributeNames(hid_t object) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names) < 0) {
    fail(object, "listing attributes failed");
  }
  return names;
}

}  // namespace centroid::h5
