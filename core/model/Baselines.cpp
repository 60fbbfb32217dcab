// k-means (greedy k-means++ then Lloyd), PCA projection and the two baseline rows.
#include "core/model/Baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <ATen/Parallel.h>

#include "core/metrics/Metrics.h"

namespace centroid {

namespace {

// Bounds the N x k distance block so that a large k (or N) never needs one huge temporary.
constexpr std::int64_t kDistanceBlockElements = std::int64_t{1} << 22;

// Like scikit-learn's tol=1e-4: stop once the centroids move less than this fraction of the
// data's mean per-feature variance. Lloyd's last iterations on MNIST shuffle a handful of
// border points while barely changing the inertia.
constexpr double kRelativeTolerance = 1e-4;

torch::Tensor asCpuFloatMatrix(const torch::Tensor& x, const char* what) {
  if (!x.defined() || x.dim() != 2 || x.size(0) < 1 || x.size(1) < 1)
    throw std::invalid_argument(std::string(what) + ": expected a non-empty N x D tensor");
  return x.to(torch::kCPU, torch::kFloat32).contiguous();
}

// cSq - 2 x ct, split over row blocks on the intra-op threads: the reference BLAS libtorch
// links here is single-threaded, and each row's result does not depend on the split.
torch::Tensor rowParallelAddmm(const torch::Tensor& cSq, const torch::Tensor& x, const torch::Tensor& ct) {
  torch::Tensor out = torch::empty({x.size(0), ct.size(1)}, torch::kFloat32);
  at::parallel_for(0, x.size(0), /*grain_size=*/1024, [&](std::int64_t b, std::int64_t e) {
    torch::Tensor part = out.slice(0, b, e);
    torch::addmm_out(part, cSq, x.slice(0, b, e), ct, /*beta=*/1, /*alpha=*/-2);
  });
  return out;
}

struct Nearest {
  torch::Tensor index;   // int64, N
  torch::Tensor distSq;  // float32, N
};

// Squared distances as ||x||^2 + ||c||^2 - 2 x c^T: one matmul instead of an N x k x D
// difference tensor. ||x||^2 is the same for every centroid, so it is added only to the
// minimum; rounding can push a true 0 slightly negative, hence the clamp. Few, small
// element-wise passes matter: each is a parallel region, costly when the cores are contended.
Nearest nearest(const torch::Tensor& x, const torch::Tensor& xSq, const torch::Tensor& c) {
  const std::int64_t n = x.size(0);
  const std::int64_t k = c.size(0);
  const std::int64_t block = std::max<std::int64_t>(1, kDistanceBlockElements / std::max<std::int64_t>(k, 1));
  const torch::Tensor cSq = c.pow(2).sum(1);
  const torch::Tensor ct = c.t().contiguous();
  std::vector<torch::Tensor> index, distSq;
  for (std::int64_t s = 0; s < n; s += block) {
    const std::int64_t e = std::min(n, s + block);
    auto [mn, idx] = rowParallelAddmm(cSq, x.slice(0, s, e), ct).min(1);
    index.push_back(idx);
    distSq.push_back(mn.add_(xSq.slice(0, s, e)).clamp_min_(0));
  }
  if (index.size() == 1) return {index[0], distSq[0]};
  return {torch::cat(index), torch::cat(distSq)};
}

// Squared distances from every row of x to each row of c, N x c.size(0) (c is small here).
// x @ c^T with a contiguous c^T is the fast layout for the reference BLAS libtorch links here;
// c @ x^T is several times slower.
torch::Tensor distancesTo(const torch::Tensor& x, const torch::Tensor& xSq, const torch::Tensor& c) {
  torch::Tensor d = torch::addmm(xSq.unsqueeze(1) + c.pow(2).sum(1).unsqueeze(0), x, c.t().contiguous(),
                                 /*beta=*/1, /*alpha=*/-2);
  return d.clamp_min_(0);
}

// Greedy k-means++ (Arthur & Vassilvitskii, with scikit-learn's 2 + ln k local trials): each new
// centre is the best of several D^2-sampled candidates, which avoids most poor seedings.
torch::Tensor kmeansPlusPlus(const torch::Tensor& x, const torch::Tensor& xSq, int k, at::Generator& gen) {
  const std::int64_t n = x.size(0);
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  torch::Tensor centres = torch::empty({k, x.size(1)}, torch::kFloat32);
  const std::int64_t first = torch::randint(n, {1}, gen, torch::kInt64).item<std::int64_t>();
  centres[0].copy_(x[first]);
  torch::Tensor closest = distancesTo(x, xSq, x.slice(0, first, first + 1)).select(1, 0).to(torch::kFloat64);
  double potential = closest.sum().item<double>();
  for (int j = 1; j < k; ++j) {
    // D^2 sampling by inverse CDF, in double so the tail of 20k small weights is not lost.
    const torch::Tensor draws = torch::rand({trials}, gen, torch::kFloat64) * potential;
    torch::Tensor ids = torch::searchsorted(closest.cumsum(0), draws).clamp_max_(n - 1);
    const torch::Tensor candDist =
        torch::minimum(distancesTo(x, xSq, x.index_select(0, ids)).to(torch::kFloat64), closest.unsqueeze(1));
    const torch::Tensor pots = candDist.sum(0);
    const std::int64_t best = pots.argmin().item<std::int64_t>();
    centres[j].copy_(x[ids[best].item<std::int64_t>()]);
    closest = candDist.select(1, best).contiguous();
    potential = pots[best].item<double>();
  }
  return centres;
}

// Mean of each cluster. An empty cluster takes the point farthest from its centre (as
// scikit-learn does) so that k clusters survive whenever the data has k distinct points.
torch::Tensor updateCentroids(const torch::Tensor& x, const Nearest& near, int k) {
  torch::Tensor sums = torch::zeros({k, x.size(1)}, torch::kFloat32).index_add_(0, near.index, x);
  const torch::Tensor counts = torch::bincount(near.index, {}, k).to(torch::kFloat32);
  torch::Tensor centres = sums / counts.clamp_min(1).unsqueeze(1);
  const torch::Tensor empty = (counts == 0).nonzero().flatten();
  const std::int64_t nEmpty = empty.size(0);
  if (nEmpty > 0) {
    const torch::Tensor far = std::get<1>(near.distSq.topk(std::min<std::int64_t>(nEmpty, x.size(0))));
    for (std::int64_t i = 0; i < far.size(0); ++i)
      centres[empty[i].item<std::int64_t>()].copy_(x[far[i].item<std::int64_t>()]);
  }
  return centres;
}

KMeansResult lloyd(const torch::Tensor& x, const torch::Tensor& xSq, torch::Tensor centres, int maxIter,
                   double tolerance) {
  const int k = static_cast<int>(centres.size(0));
  Nearest near = nearest(x, xSq, centres);
  for (int it = 0; it < maxIter; ++it) {
    torch::Tensor next = updateCentroids(x, near, k);
    const double shift = (next - centres).pow(2).sum().item<double>();
    centres = next;
    Nearest again = nearest(x, xSq, centres);
    const bool settled = torch::equal(again.index, near.index);
    near = std::move(again);
    if (settled || shift <= tolerance) break;
  }
  // Exact inertia (not the expanded form) so restarts are compared without rounding noise.
  const double inertia = (x - centres.index_select(0, near.index)).pow(2).sum(torch::kFloat64).item<double>();
  return {centres, near.index, inertia};
}

// x^T x as a sum over a fixed number of row blocks, computed in parallel (the BLAS is
// single-threaded). The block count is fixed, not the thread count, so the rounding and thus
// the result are the same on every machine.
torch::Tensor scatterMatrix(const torch::Tensor& x) {
  constexpr std::int64_t kBlocks = 8;
  const std::int64_t n = x.size(0);
  std::vector<torch::Tensor> partial(kBlocks);
  at::parallel_for(0, kBlocks, /*grain_size=*/1, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      const torch::Tensor rows = x.slice(0, n * i / kBlocks, n * (i + 1) / kBlocks);
      partial[i] = torch::mm(rows.t(), rows);
    }
  });
  torch::Tensor sum = partial[0];
  for (std::int64_t i = 1; i < kBlocks; ++i) sum = sum + partial[i];
  return sum;
}

std::vector<std::int32_t> toInt32(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kInt32).contiguous();
  const std::int32_t* p = c.data_ptr<std::int32_t>();
  return {p, p + c.numel()};
}

}  // namespace

KMeansResult kmeans(const torch::Tensor& input, int k, std::uint64_t seed, int restarts, int maxIter) {
  torch::NoGradGuard noGrad;
  const torch::Tensor x = asCpuFloatMatrix(input, "kmeans");
  const std::int64_t n = x.size(0);
  if (k < 1 || k > n)
    throw std::invalid_argument("kmeans: k must be between 1 and the number of points (" + std::to_string(n) +
                                "), got " + std::to_string(k));
  if (restarts < 1)
    throw std::invalid_argument("kmeans: restarts must be at least 1, got " + std::to_string(restarts));
  if (maxIter < 1)
    throw std::invalid_argument("kmeans: maxIter must be at least 1, got " + std::to_string(maxIter));

  const torch::Tensor xSq = x.pow(2).sum(1);
  // Mean per-feature variance = (mean ||x||^2 - ||mean x||^2) / D, without a strided var(0).
  const double meanSq = xSq.sum(torch::kFloat64).item<double>() / static_cast<double>(n);
  const double centreSq = x.mean(0).pow(2).sum(torch::kFloat64).item<double>();
  const double tolerance =
      kRelativeTolerance * std::max(meanSq - centreSq, 0.0) / static_cast<double>(x.size(1));
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int r = 0; r < restarts; ++r) {
    KMeansResult run = lloyd(x, xSq, kmeansPlusPlus(x, xSq, k, gen), maxIter, tolerance);
    if (run.inertia < best.inertia) best = std::move(run);  // strict: ties keep the earlier run
  }
  return best;
}

torch::Tensor pcaProject(const torch::Tensor& input, int components) {
  torch::NoGradGuard noGrad;
  const torch::Tensor x = asCpuFloatMatrix(input, "pcaProject");
  const std::int64_t d = x.size(1);
  if (components < 1 || components > d)
    throw std::invalid_argument("pcaProject: components must be between 1 and " + std::to_string(d) +
                                ", got " + std::to_string(components));
  const torch::Tensor centred = x - x.mean(0, /*keepdim=*/true);
  // The D x D covariance (784 x 784 for MNIST) is far smaller than an N x D SVD, and its
  // symmetric eigendecomposition is exact; double keeps the small trailing eigenvalues honest.
  const torch::Tensor cov =
      scatterMatrix(centred).to(torch::kFloat64) / std::max<std::int64_t>(x.size(0) - 1, 1);
  auto [values, vectors] = torch::linalg::eigh(cov, "L");              // ascending eigenvalues
  torch::Tensor axes = vectors.slice(1, d - components, d).flip({1});  // D x components, largest first
  const torch::Tensor pivot = axes.abs().argmax(0);
  const torch::Tensor signs = axes.gather(0, pivot.unsqueeze(0)).sign();
  axes = (axes * torch::where(signs == 0, torch::ones_like(signs), signs)).to(torch::kFloat32);
  return torch::mm(centred, axes);
}

std::vector<BaselineRow> computeBaselines(const torch::Tensor& images,
                                          const std::vector<std::uint8_t>& labels, int clusters,
                                          std::uint64_t seed) {
  torch::NoGradGuard noGrad;
  if (!images.defined() || images.dim() < 1 || images.size(0) != static_cast<std::int64_t>(labels.size()))
    throw std::invalid_argument(
        "baselines: " + std::to_string(labels.size()) + " labels but " +
        (images.defined() && images.dim() > 0 ? std::to_string(images.size(0)) : "no") + " images");
  const torch::Tensor x = asCpuFloatMatrix(images.reshape({images.size(0), -1}), "baselines");
  const int classes = labels.empty() ? 1 : *std::max_element(labels.begin(), labels.end()) + 1;

  auto score = [&](const char* name, const KMeansResult& r) {
    return BaselineRow{name, evaluate(contingency(toInt32(r.assignments), labels, clusters, classes))};
  };
  std::vector<BaselineRow> rows;
  rows.push_back(score("k-means on pixels", kmeans(x, clusters, seed)));
  rows.push_back(score("PCA(3) + k-means", kmeans(pcaProject(x, 3), clusters, seed)));
  return rows;
}

}  // namespace centroid
