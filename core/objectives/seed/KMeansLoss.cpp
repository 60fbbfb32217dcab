// Lloyd's k-means per batch with gradients through the final centroids.
#include "core/objectives/seed/KMeansLoss.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace centroid {

KMeansLoss::KMeansLoss(int clusters, int maxIter) : clusters_(clusters), maxIter_(maxIter) {
  if (clusters < 1) throw std::invalid_argument("k-means loss: need at least one cluster");
  if (maxIter < 1) throw std::invalid_argument("k-means loss: need at least one iteration");
}

void KMeansLoss::setCentroids(const torch::Tensor& centroids) { centroids_ = centroids.detach().clone(); }

KMeansLossResult KMeansLoss::forward(const torch::Tensor& outputs) {
  if (!centroids_.defined()) {
    if (outputs.dim() != 2 || outputs.size(0) < clusters_)
      throw std::invalid_argument(
          "k-means loss: the first batch must hold at least K = " + std::to_string(clusters_) + " outputs");
    centroids_ = outputs.slice(0, 0, clusters_).detach().clone();
  }
  KMeansLossResult r = compute(outputs, centroids_);
  centroids_ = r.centroids;
  return r;
}

void KMeansLoss::prepare(const torch::Tensor& x) {
  const auto opts = x.options().requires_grad(false);
  const auto longOpts = opts.dtype(torch::kLong);
  const std::int64_t k = clusters_, b = x.size(0), d = x.size(1);
  // Re-created only when the dtype or device changes; resize_ never shrinks the storage.
  if (!diff_.defined() || diff_.dtype() != x.dtype() || diff_.device() != x.device()) {
    diff_ = torch::empty({0}, opts);
    dist_ = torch::empty({0}, opts);
    onehot_ = torch::empty({0}, opts);
    counts_ = torch::empty({0}, opts);
    masks_ = torch::empty({0}, opts);
    maskCounts_ = torch::empty({0}, opts);
    sums_ = torch::empty({0}, opts);
    assign_ = torch::empty({0}, longOpts);
    prevAssign_ = torch::empty({0}, longOpts);
    onehotBool_ = torch::empty({0}, opts.dtype(torch::kBool));
    clusterIds_ = torch::arange(k, longOpts).unsqueeze(1);
  }
  diff_.resize_({k, b, d});
  dist_.resize_({k, b});
  onehot_.resize_({k, b});
  onehotBool_.resize_({k, b});
  masks_.resize_({k, b});
  counts_.resize_({k});
  maskCounts_.resize_({k});
  sums_.resize_({k, d});
  assign_.resize_({b});
  prevAssign_.resize_({b});
}

int KMeansLoss::lloydWithTensors(const torch::Tensor& xd, const torch::Tensor& c0) {
  const torch::Tensor xRows = xd.unsqueeze(0);
  torch::Tensor c = c0;
  masks_.zero_();
  maskCounts_.zero_();
  int iterations = 0;
  for (int it = 0; it < maxIter_; ++it) {
    at::sub_out(diff_, xRows, c.unsqueeze(1));
    diff_.mul_(diff_);
    at::sum_out(dist_, diff_, {2});
    at::argmin_out(assign_, dist_, 0);
    if (it > 0 && torch::equal(assign_, prevAssign_)) break;
    std::swap(assign_, prevAssign_);
    at::eq_out(onehotBool_, prevAssign_.unsqueeze(0), clusterIds_);
    onehot_.copy_(onehotBool_);
    at::sum_out(counts_, onehot_, {1});
    // Empty now: keep the old row (factor 1); non-empty: replace it (factor 0, then add).
    const torch::Tensor keep = counts_.eq(0).to(onehot_.dtype());
    masks_.mul_(keep.unsqueeze(1)).add_(onehot_);
    maskCounts_.mul_(keep).add_(counts_);
    at::mm_out(sums_, masks_, xd);
    c = torch::where(maskCounts_.gt(0).unsqueeze(1), sums_ / maskCounts_.clamp_min(1).unsqueeze(1), c0);
    ++iterations;
  }
  return iterations;
}

template <typename T>
int KMeansLoss::lloydOnHostTyped(const torch::Tensor& xd, const torch::Tensor& c0) {
  const std::int64_t b = xd.size(0), d = xd.size(1), k = clusters_;
  const torch::Tensor xc = xd.contiguous();
  const T* x = xc.data_ptr<T>();
  T* masks = masks_.data_ptr<T>();
  T* maskCounts = maskCounts_.data_ptr<T>();
  std::int64_t* assign = assign_.data_ptr<std::int64_t>();
  std::int64_t* prev = prevAssign_.data_ptr<std::int64_t>();
  hostCentroids_.resize(static_cast<std::size_t>(k * d));
  hostSums_.resize(static_cast<std::size_t>(k * d));
  hostCounts_.resize(static_cast<std::size_t>(k));
  {
    const torch::Tensor cc = c0.contiguous();
    const T* src = cc.data_ptr<T>();
    for (std::int64_t j = 0; j < k * d; ++j) hostCentroids_[j] = static_cast<double>(src[j]);
  }
  std::fill(masks, masks + k * b, T(0));
  std::fill(maskCounts, maskCounts + k, T(0));

  int iterations = 0;
  for (int it = 0; it < maxIter_; ++it) {
    bool changed = it == 0;
    for (std::int64_t i = 0; i < b; ++i) {
      const T* xi = x + i * d;
      std::int64_t best = 0;
      double bestDist = 0;
      for (std::int64_t c = 0; c < k; ++c) {
        const double* ck = hostCentroids_.data() + c * d;
        double dist = 0;
        for (std::int64_t j = 0; j < d; ++j) {
          const double diff = static_cast<double>(xi[j]) - ck[j];
          dist += diff * diff;
        }
        if (c == 0 || dist < bestDist) {  // first minimum wins, as argmin does
          best = c;
          bestDist = dist;
        }
      }
      assign[i] = best;
      changed = changed || best != prev[i];
    }
    if (!changed) break;
    std::swap(assign, prev);

    std::fill(hostSums_.begin(), hostSums_.end(), 0.0);
    std::fill(hostCounts_.begin(), hostCounts_.end(), 0);
    for (std::int64_t i = 0; i < b; ++i) {
      const std::int64_t c = prev[i];
      ++hostCounts_[c];
      for (std::int64_t j = 0; j < d; ++j) hostSums_[c * d + j] += static_cast<double>(x[i * d + j]);
    }
    // A non-empty cluster takes this update's mask and mean; an empty one keeps both.
    for (std::int64_t c = 0; c < k; ++c) {
      if (hostCounts_[c] == 0) continue;
      std::fill(masks + c * b, masks + (c + 1) * b, T(0));
      maskCounts[c] = static_cast<T>(hostCounts_[c]);
      for (std::int64_t j = 0; j < d; ++j)
        hostCentroids_[c * d + j] = hostSums_[c * d + j] / static_cast<double>(hostCounts_[c]);
    }
    for (std::int64_t i = 0; i < b; ++i) masks[prev[i] * b + i] = T(1);
    ++iterations;
  }
  return iterations;
}

int KMeansLoss::lloydOnHost(const torch::Tensor& xd, const torch::Tensor& c0) {
  if (xd.scalar_type() == torch::kDouble) return lloydOnHostTyped<double>(xd, c0);
  if (xd.scalar_type() == torch::kFloat) return lloydOnHostTyped<float>(xd, c0);
  return lloydWithTensors(xd, c0);  // half precision and the like: rare, let torch handle them
}

KMeansLossResult KMeansLoss::compute(const torch::Tensor& x, const torch::Tensor& initial) {
  if (x.dim() != 2 || x.size(0) < 1)
    throw std::invalid_argument("k-means loss: outputs must be a non-empty B x D matrix");
  if (initial.dim() != 2 || initial.size(0) != clusters_ || initial.size(1) != x.size(1))
    throw std::invalid_argument("k-means loss: centroids must be K x D matching the outputs");
  const auto batch = static_cast<double>(x.size(0));
  const torch::Tensor c0 = initial.detach().to(x.options().requires_grad(false));
  prepare(x);

  // The loop itself needs no graph: it only decides which outputs form each cluster. It leaves
  // in masks_, per cluster, the one-hot row of the last update in which that cluster was
  // non-empty, so masks_ / count is exactly the weight matrix of the centroids it ends with.
  int iterations = 0;
  {
    torch::NoGradGuard noGrad;
    const torch::Tensor xd = x.detach();
    iterations = x.is_cpu() && !tensorLoop_ ? lloydOnHost(xd, c0) : lloydWithTensors(xd, c0);
  }

  // The final centroids again, now as W x with the graph, so the loss's gradient reaches every
  // output through its centroid as well as directly. Clusters never filled keep c0 (no graph).
  const torch::Tensor weights = masks_ / maskCounts_.clamp_min(1).unsqueeze(1);
  torch::Tensor centroids = torch::where(maskCounts_.gt(0).unsqueeze(1), weights.mm(x), c0);
  const torch::Tensor d = (x.unsqueeze(0) - centroids.unsqueeze(1)).pow(2).sum(2);  // K x B
  auto [nearest, assignments] = d.min(0);
  const torch::Tensor within = nearest.sum();
  const torch::Tensor between = d.sum() - within;

  KMeansLossResult r;
  r.loss = within / batch + 1.0 / (between / batch);
  r.centroids = centroids.detach();
  r.assignments = assignments;
  r.iterations = iterations;
  return r;
}

}  // namespace centroid
