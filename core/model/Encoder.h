// The CNN that maps a 28x28 image to a D-dimensional point the k-means loss clusters.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace centroid {

// conv1 (1->32, 3x3) ReLU, max-pool 2, conv2 (32->16, 5x5) ReLU, max-pool 2, flatten (256),
// fc1 (256->12) ReLU, fc2 (12->D). Parameter names (conv1.weight, ...) are the names the run
// file stores, so they must not change.
class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(int embedDim = 3);

  // x: B x 1 x 28 x 28 float in [0,1]; returns B x D.
  torch::Tensor forward(torch::Tensor x);

  int embedDim() const { return embedDim_; }

  // conv1 -> ReLU -> max-pool. On the CPU (float) a fused kernel does it without materialising
  // conv1's output; otherwise, or with allowFused false, the plain torch ops. Public so tests can
  // compare the two.
  torch::Tensor stage1(torch::Tensor x, bool allowFused = true);
  // Tests and benchmarks: run the plain torch ops everywhere.
  void setFused(bool on) { fused_ = on; }
  // fc1 and fc2 as convolutions on the CPU (see head()); off: torch::linear. Tests, benchmarks.
  void setFcAsConv(bool on) { fcAsConv_ = on; }
  // conv2 (the bulk of the arithmetic) in bfloat16, forward and backward; the weights, conv1,
  // fc1 and fc2 stay fp32. TrainConfig::precision "bf16" turns it on for training and snapshots.
  void setBf16(bool on) { bf16_ = on; }
  bool bf16() const { return bf16_; }

 private:
  // flatten -> fc1 -> ReLU -> fc2 on conv2's pooled B x 16 x 4 x 4 output.
  torch::Tensor head(torch::Tensor x);

  int embedDim_;
  bool fused_ = true;
  bool fcAsConv_ = true;
  bool bf16_ = false;
  torch::nn::Conv2d conv1;
  torch::nn::Conv2d conv2;
  torch::nn::Linear fc1;
  torch::nn::Linear fc2;
};
TORCH_MODULE(Encoder);

// Benchmarks and tests: allow (the default) or forbid the fused conv1 kernels' 16-lane AVX-512
// build, process-wide; returns whether they now run (false on a CPU without AVX-512, where the
// 8-lane build always runs). Both sum in the same order: the results are the same bits.
bool setWideFusedKernels(bool allowed);

// Number of trainable scalars (16,259 for D = 3).
std::int64_t parameterCount(const Encoder& encoder);

// images (N x 1 x 28 x 28 float) -> N x D float, in inference mode, `batch` images at a time.
// Batch 500: 20,000 view images took 0.239 s against 0.264 s at 2000 and 0.233–0.237 s at 256
// or 1000 (bench_train --explore, docs/benchmarks.md). Leaves the encoder in eval mode.
torch::Tensor embed(Encoder& encoder, const torch::Tensor& images, std::int64_t batch = 500);

// Index of the nearest centroid (squared Euclidean, as the loss measures) of every row.
torch::Tensor nearestCentroid(const torch::Tensor& points, const torch::Tensor& centroids);

}  // namespace centroid
