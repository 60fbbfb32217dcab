// What the CPU offers for bfloat16, torch-free so the GUI and the benchmarks can ask cheaply.
#pragma once

#include <string>

namespace centroid {

// "amx_bf16", "avx512_bf16" (as /proc/cpuinfo names them), or "" when the CPU has neither:
// oneDNN then emulates bfloat16 arithmetic in fp32, many times slower than fp32 itself.
std::string nativeBf16Instructions();

}  // namespace centroid
