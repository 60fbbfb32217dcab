// libFuzzer target: IDX files (raw and gzip) through parseIdx, readIdx's parser.
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  centroid::fuzz::idx(data, size);
  return 0;
}
