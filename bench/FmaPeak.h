// The machine's FP32 FMA peak, measured: the ceiling bench_train compares the convolutions with.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace centroid::bench {

struct FmaPeak {
  std::string isa;     // "avx512", "avx2" or "none"
  double gflops1 = 0;  // one thread
  double gflops2 = 0;  // two threads, together
};

namespace detail {

// Each accumulator is its own dependency chain: an FMA has ~4 cycles of latency and two issue
// ports, so at least 8 chains are needed to keep both ports busy; 16 (AVX-512, 32 registers)
// and 12 (AVX2, 16 registers) leave margin without spilling. acc = acc * m + c converges to
// c / (1 - m), so the values never overflow or go denormal.
__attribute__((target("avx512f"))) inline float fmaLoopAvx512(long iterations) {
  constexpr int kChains = 16;
  __m512 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm512_set1_ps(static_cast<float>(j));
  const __m512 m = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(1e-3f);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < kChains; ++j) acc[j] = _mm512_fmadd_ps(acc[j], m, c);
  }
  __m512 s = acc[0];
  for (int j = 1; j < kChains; ++j) s = _mm512_add_ps(s, acc[j]);
  // Summed through memory: GCC 12's _mm512_reduce_add_ps warns on its own internals
  // (-Wuninitialized, GCC bug 105593).
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, s);
  float sum = 0;
  for (float v : lanes) sum += v;
  return sum;
}

__attribute__((target("avx2,fma"))) inline float fmaLoopAvx2(long iterations) {
  constexpr int kChains = 12;
  __m256 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm256_set1_ps(static_cast<float>(j));
  const __m256 m = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(1e-3f);
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int j = 0; j < kChains; ++j) acc[j] = _mm256_fmadd_ps(acc[j], m, c);
  }
  __m256 s = acc[0];
  for (int j = 1; j < kChains; ++j) s = _mm256_add_ps(s, acc[j]);
  float lanes[8];
  _mm256_storeu_ps(lanes, s);
  float total = 0;
  for (float v : lanes) total += v;
  return total;
}

// FLOP/s of `threads` copies of the loop running at once (each thread's FLOPs over the slowest
// thread's time), best of `repeats` so a scheduler hiccup on a shared machine does not count.
inline double measure(bool avx512, int threads, long iterations, int repeats) {
  const double flopsPerThread = static_cast<double>(iterations) * (avx512 ? 16 * 16 : 12 * 8) * 2.0;
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    std::vector<std::thread> pool;
    std::vector<float> sink(static_cast<std::size_t>(threads));
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { sink[t] = avx512 ? fmaLoopAvx512(iterations) : fmaLoopAvx2(iterations); });
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The sums are printed nowhere but must be used, or the loops could be dropped.
    volatile float keep = sink[0];
    (void)keep;
    best = std::max(best, flopsPerThread * threads / s);
  }
  return best / 1e9;
}

}  // namespace detail

// Runtime dispatch: the binary is built for baseline x86-64, the kernels for the wider ISAs.
inline FmaPeak measureFmaPeak(long iterations = 50'000'000, int repeats = 3) {
  FmaPeak p;
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (!avx512 && !avx2) {
    p.isa = "none";
    return p;
  }
  p.isa = avx512 ? "avx512" : "avx2";
  p.gflops1 = detail::measure(avx512, 1, iterations, repeats);
  p.gflops2 = detail::measure(avx512, 2, iterations, repeats);
  return p;
}

// The AVX2 figure on an AVX-512 machine: what a kernel that never uses 512-bit registers gets.
inline double measureAvx2Peak(int threads, long iterations = 50'000'000, int repeats = 3) {
  __builtin_cpu_init();
  if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 0;
  return detail::measure(false, threads, iterations, repeats);
}

}  // namespace centroid::bench
