// libFuzzer target: run files (HDF5) through RunReader.
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  centroid::fuzz::runFile(data, size);
  return 0;
}
