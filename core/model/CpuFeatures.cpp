#include "core/model/CpuFeatures.h"

#include <fstream>
#include <sstream>

namespace centroid {

std::string nativeBf16Instructions() {
  // The kernel's flag list: it names AMX as well, which not every compiler's
  // __builtin_cpu_supports knows (Clang 14 does not), and says what the VM really exposes.
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    bool amx = false, avx512 = false;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;) {
      amx = amx || w == "amx_bf16";
      avx512 = avx512 || w == "avx512_bf16";
    }
    if (amx) return "amx_bf16";
    if (avx512) return "avx512_bf16";
    return {};
  }
  return {};  // no /proc/cpuinfo (not Linux): claim nothing
}

}  // namespace centroid
