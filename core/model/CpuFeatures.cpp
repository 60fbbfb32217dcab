#include "core/model/CpuFeatures.h"

namespace centroid {

std::string nativeBf16Instructions() {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("amx-bf16")) return "amx_bf16";
  if (__builtin_cpu_supports("avx512bf16")) return "avx512_bf16";
#endif
  return {};
}

}  // namespace centroid
