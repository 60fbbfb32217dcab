// The encoder's layers and forward pass, with conv1 + ReLU + max-pool fused on the CPU.
#include "core/model/Encoder.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

namespace centroid {

namespace {

// conv1's output (32 x 26 x 26 per image) is by far the largest activation, and all work on it
// is memory-bound: writing it, pooling it, and in backward zero-filling and scattering its
// gradient took over half of each training step. Fused, conv1 + ReLU + 2x2 max-pool computes
// the 4 conv outputs of each pooling window in registers and keeps only the winner and which of
// the 4 it was; backward needs just that index and the input image.
constexpr std::int64_t kChannels = 32;
constexpr std::uint8_t kBlocked = 255;  // the window's maximum was <= 0: ReLU passes no gradient

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// One build for any x86-64; the loader picks the widest vector ISA the CPU has. ISA levels, not
// CPU names: "arch=skylake-avx512" tests the CPU model and fell back to SSE2 on a virtual Xeon.
#define CENTROID_X86_DISPATCH 1
#define CENTROID_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#define CENTROID_AVX512 __attribute__((target("arch=x86-64-v4")))
#else
#define CENTROID_X86_DISPATCH 0
#define CENTROID_VECTOR_CLONES
#endif

struct FusedShape {
  std::int64_t h, w, hp, wp;  // input and pooled sizes
};

// L channels in one vector (GCC/Clang vector extensions): the kernels below work on one group
// of L of the 32 channels at a time, so that a group's 9 weights, its 4 pooling corners and the
// running maximum stay in registers: L = 8 fills AVX2's 16, L = 16 half of AVX-512's 32.
// Looping over all 32 channels at once spilled: on an AVX2 machine the fused forward then ran
// at 12 GFLOP/s, slower than oneDNN's unfused convolution (docs/benchmarks.md, "Training").
template <int L>
struct Lanes;
template <>
struct Lanes<8> {
  using F = float __attribute__((vector_size(32)));
  using I = std::int32_t __attribute__((vector_size(32)));
  using B = std::uint8_t __attribute__((vector_size(8)));
};
template <>
struct Lanes<16> {
  using F = float __attribute__((vector_size(64)));
  using I = std::int32_t __attribute__((vector_size(64)));
  using B = std::uint8_t __attribute__((vector_size(16)));
};

// Always inlined into the kernels below, so they take their caller's vector ISA; GCC's warning
// about the ABI of passing a wide vector without AVX (in the default clone) concerns
// out-of-line calls only. GCC reports it at the end of the file, so it stays off to the end.
#pragma GCC diagnostic ignored "-Wpsabi"
#define CENTROID_INLINE inline __attribute__((always_inline))
template <class V>
CENTROID_INLINE V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
CENTROID_INLINE void store(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
// mask ? a : b lane by lane, for a mask from a vector comparison (all bits set or clear).
template <class V, class M>
CENTROID_INLINE V select(M mask, V a, V b) {
  return reinterpret_cast<V>((reinterpret_cast<M>(a) & mask) | (reinterpret_cast<M>(b) & ~mask));
}

// Images [n0, n1) of x (N x H x W); kernels as wT[tap][channel]. out and index are
// N x Hp x Wp x 32 (channels last); index may be null when no backward will follow. The scan order and the
// strict > keep the first maximum, as max_pool2d does; a NaN in the window comes out as NaN (not clipped to 0
// by the ReLU), so a diverging run is still caught by the trainer's loss check. Every output is summed in
// the same order whatever L (bias, then the taps row by row), so results do not depend on the vector width.
template <int L>
CENTROID_INLINE void fusedForwardLanes(const float* x, std::int64_t n0, std::int64_t n1, FusedShape s,
                                       const float* wT, const float* bias, float* out, std::uint8_t* index) {
  using F = typename Lanes<L>::F;
  using I = typename Lanes<L>::I;
  using B = typename Lanes<L>::B;
  constexpr std::int64_t C = kChannels;
  const F zero = {};
  const F blocked = zero + static_cast<float>(kBlocked);
  for (std::int64_t n = n0; n < n1; ++n) {
    const float* img = x + n * s.h * s.w;
    for (std::int64_t g = 0; g < C / L; ++g) {
      F k[9];
      for (int t = 0; t < 9; ++t) k[t] = load<F>(wT + t * C + g * L);
      const F b0 = load<F>(bias + g * L);
      for (std::int64_t i = 0; i < s.hp; ++i) {
        for (std::int64_t j = 0; j < s.wp; ++j) {
          // The 4 conv outputs of the pooling window, from the 4 x 4 input patch at (2i, 2j).
          const float* patch = img + 2 * i * s.w + 2 * j;
          F v[4] = {b0, b0, b0, b0};
          for (int a = 0; a < 3; ++a) {
            for (int b = 0; b < 3; ++b) {
              const F kt = k[a * 3 + b];
              for (int q = 0; q < 4; ++q) v[q] += kt * patch[(a + (q >> 1)) * s.w + b + (q & 1)];
            }
          }
          F best = v[0], arg = zero, nan = v[0] - v[0];  // nan: 0, or NaN for a NaN (or infinite) output
          for (int q = 1; q < 4; ++q) {
            const I take = v[q] > best;
            best = select(take, v[q], best);
            arg = select(take, zero + static_cast<float>(q), arg);
            nan += v[q] - v[q];
          }
          const I pass = best > zero;
          const std::int64_t at = ((n * s.hp + i) * s.wp + j) * C + g * L;
          store(out + at, select(pass, best, zero) + nan);
          if (index != nullptr) {
            const B code = __builtin_convertvector(select(pass, arg, blocked), B);
            std::memcpy(index + at, &code, sizeof code);
          }
        }
      }
    }
  }
}

// Gradients of images [n0, n1) added into gwT[tap][channel] and gb[channel] (double, so a
// chunk of thousands of images sums without drift; each image's sum is float, in the same
// order whatever L). grad is N x Hp x Wp x 32.
template <int L>
CENTROID_INLINE void fusedBackwardLanes(const float* x, const float* grad, const std::uint8_t* index,
                                        std::int64_t n0, std::int64_t n1, FusedShape s, double* gwT,
                                        double* gb) {
  using F = typename Lanes<L>::F;
  using B = typename Lanes<L>::B;
  constexpr std::int64_t C = kChannels;
  const F zero = {};
  for (std::int64_t n = n0; n < n1; ++n) {
    const float* img = x + n * s.h * s.w;
    for (std::int64_t g = 0; g < C / L; ++g) {
      F k[9] = {};
      F b1 = zero;
      for (std::int64_t i = 0; i < s.hp; ++i) {
        for (std::int64_t j = 0; j < s.wp; ++j) {
          const std::int64_t at = ((n * s.hp + i) * s.wp + j) * C + g * L;
          const F gv = load<F>(grad + at);
          B idb;
          std::memcpy(&idb, index + at, sizeof idb);
          const F id = __builtin_convertvector(idb, F);
          const float* patch = img + 2 * i * s.w + 2 * j;
          for (int q = 0; q < 4; ++q) {
            const F m = select(id == static_cast<float>(q), gv, zero);
            b1 += m;
            const float* corner = patch + (q >> 1) * s.w + (q & 1);
            for (int a = 0; a < 3; ++a) {
              for (int b = 0; b < 3; ++b) k[a * 3 + b] += m * corner[a * s.w + b];
            }
          }
        }
      }
      for (int t = 0; t < 9; ++t)
        for (std::int64_t c = 0; c < L; ++c) gwT[t * C + g * L + c] += k[t][c];
      for (std::int64_t c = 0; c < L; ++c) gb[g * L + c] += b1[c];
    }
  }
}
#undef CENTROID_INLINE

CENTROID_VECTOR_CLONES
void fusedForward8(const float* x, std::int64_t n0, std::int64_t n1, FusedShape s, const float* wT,
                   const float* bias, float* out, std::uint8_t* index) {
  fusedForwardLanes<8>(x, n0, n1, s, wT, bias, out, index);
}
CENTROID_VECTOR_CLONES
void fusedBackward8(const float* x, const float* grad, const std::uint8_t* index, std::int64_t n0,
                    std::int64_t n1, FusedShape s, double* gwT, double* gb) {
  fusedBackwardLanes<8>(x, grad, index, n0, n1, s, gwT, gb);
}

#if CENTROID_X86_DISPATCH
// AVX-512: 16 channels per vector, two groups. On an AVX-512 EPYC a full-MNIST epoch went from
// 1.61 to 1.48 s at batch 256 and 1.52 to 1.41 s at 5000 (bench_train --narrow-kernels A/B,
// docs/benchmarks.md, "Training").
CENTROID_AVX512
void fusedForward16(const float* x, std::int64_t n0, std::int64_t n1, FusedShape s, const float* wT,
                    const float* bias, float* out, std::uint8_t* index) {
  fusedForwardLanes<16>(x, n0, n1, s, wT, bias, out, index);
}
CENTROID_AVX512
void fusedBackward16(const float* x, const float* grad, const std::uint8_t* index, std::int64_t n0,
                     std::int64_t n1, FusedShape s, double* gwT, double* gb) {
  fusedBackwardLanes<16>(x, grad, index, n0, n1, s, gwT, gb);
}
#endif

// 16 lanes where the CPU has AVX-512 (x86-64-v4) and wide kernels are allowed, else 8.
std::atomic<bool> gWideKernels{true};
bool useWide() {
#if CENTROID_X86_DISPATCH
  static const bool avx512 = __builtin_cpu_supports("x86-64-v4") != 0;
  return avx512 && gWideKernels.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

void fusedForward(const float* x, std::int64_t n0, std::int64_t n1, FusedShape s, const float* wT,
                  const float* bias, float* out, std::uint8_t* index) {
#if CENTROID_X86_DISPATCH
  if (useWide()) return fusedForward16(x, n0, n1, s, wT, bias, out, index);
#endif
  fusedForward8(x, n0, n1, s, wT, bias, out, index);
}

void fusedBackward(const float* x, const float* grad, const std::uint8_t* index, std::int64_t n0,
                   std::int64_t n1, FusedShape s, double* gwT, double* gb) {
#if CENTROID_X86_DISPATCH
  if (useWide()) return fusedBackward16(x, grad, index, n0, n1, s, gwT, gb);
#endif
  fusedBackward8(x, grad, index, n0, n1, s, gwT, gb);
}

// Splits N images into one contiguous chunk per intra-op thread. The split depends on the
// thread count only, and partial sums are added in chunk order, so results are reproducible.
std::int64_t chunkCount(std::int64_t n) {
  return std::max<std::int64_t>(1, std::min<std::int64_t>(at::get_num_threads(), n));
}

template <typename F>
void forChunks(std::int64_t n, const F& f) {
  const std::int64_t chunks = chunkCount(n);
  const auto run = [&](std::int64_t c) { f(c, n * c / chunks, n * (c + 1) / chunks); };
#ifdef _OPENMP
  at::parallel_for(0, chunks, 1, [&](std::int64_t c0, std::int64_t c1) {
    for (std::int64_t c = c0; c < c1; ++c) run(c);
  });
#else
  // libtorch's at::parallel_for is header-inline OpenMP: in a file built without -fopenmp it
  // runs serially. Plain threads then; one per extra chunk costs tens of microseconds.
  std::vector<std::thread> helpers;
  for (std::int64_t c = 1; c < chunks; ++c) helpers.emplace_back(run, c);
  run(0);
  for (auto& t : helpers) t.join();
#endif
}

FusedShape shapeOf(const torch::Tensor& x) {
  const std::int64_t h = x.size(2), w = x.size(3);
  return {h, w, (h - 2) / 2, (w - 2) / 2};
}

class ConvReluPool : public torch::autograd::Function<ConvReluPool> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias, bool needIndex) {
    const torch::Tensor x = input.contiguous();
    const FusedShape s = shapeOf(x);
    const std::int64_t n = x.size(0);
    const torch::Tensor wT = weight.detach().reshape({kChannels, 9}).t().contiguous();
    const torch::Tensor b = bias.detach().contiguous();
    torch::Tensor out =
        torch::empty({n, kChannels, s.hp, s.wp}, x.options().memory_format(at::MemoryFormat::ChannelsLast));
    torch::Tensor index =
        torch::empty({needIndex ? n : 0, s.hp, s.wp, kChannels}, x.options().dtype(torch::kUInt8));
    const float* xp = x.data_ptr<float>();
    float* op = out.data_ptr<float>();
    std::uint8_t* ip = needIndex ? index.data_ptr<std::uint8_t>() : nullptr;
    forChunks(n, [&](std::int64_t, std::int64_t n0, std::int64_t n1) {
      fusedForward(xp, n0, n1, s, wT.data_ptr<float>(), b.data_ptr<float>(), op, ip);
    });
    ctx->save_for_backward({x});
    ctx->saved_data["index"] = index;
    return out;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const torch::Tensor x = ctx->get_saved_variables()[0];
    const torch::Tensor index = ctx->saved_data["index"].toTensor();
    TORCH_CHECK(index.size(0) == x.size(0), "fused conv1: backward without the forward's pooling index");
    const torch::Tensor grad = grads[0].contiguous(at::MemoryFormat::ChannelsLast);
    const FusedShape s = shapeOf(x);
    const std::int64_t n = x.size(0);
    const std::int64_t chunks = chunkCount(n);
    std::vector<double> partial(static_cast<std::size_t>(chunks * 10 * kChannels), 0.0);
    forChunks(n, [&](std::int64_t chunk, std::int64_t n0, std::int64_t n1) {
      double* p = partial.data() + chunk * 10 * kChannels;
      fusedBackward(x.data_ptr<float>(), grad.data_ptr<float>(), index.data_ptr<std::uint8_t>(), n0, n1, s, p,
                    p + 9 * kChannels);
    });
    torch::Tensor sum = torch::zeros({10, kChannels}, torch::kDouble);
    for (std::int64_t c = 0; c < chunks; ++c)
      sum += torch::from_blob(partial.data() + c * 10 * kChannels, {10, kChannels}, torch::kDouble);
    sum = sum.to(torch::kFloat);
    const torch::Tensor gw = sum.narrow(0, 0, 9).t().reshape({kChannels, 1, 3, 3});
    const torch::Tensor gb = sum[9].clone();
    return {torch::Tensor(), gw, gb, torch::Tensor()};
  }
};

}  // namespace

EncoderImpl::EncoderImpl(int embedDim)
    : embedDim_(embedDim),
      conv1(register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 32, /*kernel_size=*/3)))),
      conv2(register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 16, /*kernel_size=*/5)))),
      fc1(register_module("fc1", torch::nn::Linear(16 * 4 * 4, 12))),
      fc2(register_module("fc2", torch::nn::Linear(12, embedDim))) {}

torch::Tensor EncoderImpl::forward(torch::Tensor x) {
  x = stage1(x, fused_);
  // Pooling before ReLU gives the same values and gradients as ReLU before pooling (ReLU is
  // monotone, so it commutes with max) but runs the ReLU, and its backward, on a quarter of the
  // elements. In-place ReLU saves one more pass; pooling's backward needs its input and
  // indices, not its output.
  if (bf16_) {
    // conv2, its pooling and ReLU in bfloat16 from fp32 weights cast per call: autograd casts
    // the gradients back, so Adam updates fp32 weights. oneDNN runs it with AVX512-BF16 or AMX
    // where the CPU has them and emulates it (much slower) where it has not.
    constexpr auto bf16 = torch::kBFloat16;
    x = torch::conv2d(x.to(bf16), conv2->weight.to(bf16), conv2->bias.to(bf16));
    x = torch::max_pool2d(x, /*kernel_size=*/2).relu_().to(torch::kFloat);
  } else {
    x = torch::max_pool2d(conv2->forward(x), /*kernel_size=*/2).relu_();
  }
  return head(x);
}

torch::Tensor EncoderImpl::head(torch::Tensor x) {
  if (fcAsConv_ && x.is_cpu() && x.dim() == 4) {
    // On the CPU torch::linear goes to the system BLAS, which on Debian is the reference
    // (netlib) build unless OpenBLAS is installed: these two tiny layers then cost about 0.2 s
    // of a 2.3 s epoch. fc1 over the flattened map is exactly a convolution with fc1's weights
    // viewed as 12 x 16 x 4 x 4 (flatten(1) is NCHW order, whatever the memory layout), fc2 a
    // 1 x 1 one; oneDNN runs both. Same parameters, so weights and run files do not change.
    const torch::Tensor& w1 = fc1->weight;
    const torch::Tensor& w2 = fc2->weight;
    x = torch::conv2d(x, w1.view({w1.size(0), x.size(1), x.size(2), x.size(3)}), fc1->bias).relu_();
    return torch::conv2d(x, w2.view({w2.size(0), w2.size(1), 1, 1}), fc2->bias).flatten(1);
  }
  x = fc1->forward(x.flatten(1)).relu_();
  return fc2->forward(x);
}

torch::Tensor EncoderImpl::stage1(torch::Tensor x, bool allowFused) {
  const bool fusable = allowFused && x.is_cpu() && x.scalar_type() == torch::kFloat && x.dim() == 4 &&
                       x.size(1) == 1 && x.size(2) >= 4 && x.size(3) >= 4 && !x.requires_grad() &&
                       conv1->weight.scalar_type() == torch::kFloat;
  if (fusable) {
    // Decided here: inside forward() autograd has switched grad mode off. Without a graph to
    // record (inference, the view-set embedding) the pooling index is not written at all.
    const bool needIndex =
        torch::GradMode::is_enabled() && (conv1->weight.requires_grad() || conv1->bias.requires_grad());
    return ConvReluPool::apply(x, conv1->weight, conv1->bias, needIndex);
  }
  // Channels-last all the way: oneDNN's convolutions then write NHWC directly and max-pooling
  // takes its vectorised NHWC kernel (with NCHW the pooling alone cost more than both
  // convolutions). A one-channel image is the same bytes in both layouts, but torch reads a
  // contiguous one as NCHW, so restride it (a view, no copy) for the layout to propagate.
  if (x.dim() == 4 && x.size(1) == 1 && x.is_contiguous())
    x = x.as_strided(x.sizes(), {x.size(2) * x.size(3), 1, x.size(3), 1});
  return torch::max_pool2d(conv1->forward(x), /*kernel_size=*/2).relu_();
}

bool setWideFusedKernels(bool allowed) {
  gWideKernels.store(allowed, std::memory_order_relaxed);
  return useWide();
}

std::int64_t parameterCount(const Encoder& encoder) {
  std::int64_t n = 0;
  for (const auto& p : encoder->parameters()) n += p.numel();
  return n;
}

torch::Tensor embed(Encoder& encoder, const torch::Tensor& images, std::int64_t batch) {
  // Inference mode skips autograd bookkeeping and version counters entirely; the results are
  // only ever read. Batches of ~2000 keep the conv1 activations (~43 MB) out of the way.
  c10::InferenceMode guard;
  encoder->eval();
  const std::int64_t n = images.size(0);
  const std::int64_t dim = encoder->embedDim();
  torch::Tensor out = torch::empty({n, dim}, images.options());
  for (std::int64_t first = 0; first < n; first += batch) {
    const std::int64_t len = std::min(batch, n - first);
    out.narrow(0, first, len).copy_(encoder->forward(images.narrow(0, first, len)));
  }
  return out;
}

torch::Tensor nearestCentroid(const torch::Tensor& points, const torch::Tensor& centroids) {
  c10::InferenceMode guard;
  return (points.unsqueeze(1) - centroids.to(points.options()).unsqueeze(0)).pow(2).sum(2).argmin(1);
}

}  // namespace centroid
