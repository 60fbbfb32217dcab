// What the trainer hands out: epoch frames, weights, evaluation, baselines, and embedding new
// images with saved weights.
#include <algorithm>
#include <cstring>

#include "core/model/Baselines.h"
#include "core/metrics/Metrics.h"
#include "core/training/TrainerImpl.h"

namespace centroid {

namespace {

template <typename T>
std::vector<T> toVector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kCPU).contiguous();
  return {c.data_ptr<T>(), c.data_ptr<T>() + c.numel()};
}

}  // namespace

void Trainer::Impl::applyThreads() const { torch::set_num_threads(threads); }

EpochFrame Trainer::Impl::frame(int epochNumber, double loss, double seconds) {
  applyThreads();
  EpochFrame f;
  f.epoch = epochNumber;
  f.loss = loss;
  f.seconds = seconds;
  f.dim = config.embedDim;
  f.clusters = config.clusters;
  const torch::Tensor points = embed(encoder, viewImages);
  // Before any training there are no carried centroids: stand in the first K training images'
  // embeddings, which is where training's first batch would start (up to the shuffle).
  const torch::Tensor reported = objective->centroids();
  const torch::Tensor centres =
      reported.defined() ? reported.detach() : embed(encoder, train.narrow(0, 0, config.clusters));
  f.embedding = toVector<float>(points);
  f.centroids = toVector<float>(centres.to(torch::kFloat32));
  f.assignments = toVector<std::int32_t>(nearestCentroid(points, centres).to(torch::kInt32));
  f.metrics = centroid::evaluate(contingency(f.assignments, view.labels, config.clusters, classes));
  return f;
}

std::vector<NamedArray> Trainer::Impl::weights() const {
  std::vector<NamedArray> out;
  for (const auto& p : encoder->named_parameters()) {
    NamedArray a;
    a.name = p.key();
    a.shape = p.value().sizes().vec();
    a.values = toVector<float>(p.value().detach());
    out.push_back(std::move(a));
  }
  for (NamedArray& extra : objective->extraWeights()) out.push_back(std::move(extra));
  return out;
}

std::vector<torch::Tensor> Trainer::Impl::allParameters() const {
  std::vector<torch::Tensor> all = encoder->parameters();
  for (const torch::Tensor& p : objective->parameters()) all.push_back(p);
  return all;
}

void Trainer::Impl::snapshotBest(int epochNumber, double loss) {
  bestEpoch = epochNumber;
  bestLoss = loss;
  bestParams.clear();
  for (const auto& p : allParameters()) bestParams.push_back(p.detach().clone());
  bestState = objective->state();
}

void Trainer::Impl::restoreBest() {
  if (bestEpoch == 0) return;
  torch::NoGradGuard noGrad;
  auto params = allParameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(bestParams[i]);
  objective->setState(bestState);
  currentLoss = bestLoss;
}

void loadWeights(Encoder& encoder, const std::vector<NamedArray>& weights) {
  torch::NoGradGuard noGrad;
  for (auto& p : encoder->named_parameters()) {
    const auto it =
        std::find_if(weights.begin(), weights.end(), [&](const NamedArray& a) { return a.name == p.key(); });
    if (it == weights.end()) throw RunFileError("encoder weights: " + p.key() + " is missing");
    const auto expected = p.value().sizes().vec();
    std::int64_t count = 1;
    for (auto d : it->shape) count *= d;
    if (it->shape != expected || count != static_cast<std::int64_t>(it->values.size())) {
      std::string want, got;
      for (auto d : expected) want += (want.empty() ? "" : "x") + std::to_string(d);
      for (auto d : it->shape) got += (got.empty() ? "" : "x") + std::to_string(d);
      std::string message = "encoder weights: ";
      message.append(p.key()).append(" is shaped ").append(got).append(" (");
      message.append(std::to_string(it->values.size()))
          .append(" values) but the encoder needs ")
          .append(want);
      throw RunFileError(message);
    }
    p.value().copy_(torch::from_blob(const_cast<float*>(it->values.data()), it->shape, torch::kFloat32));
  }
}

std::vector<NamedArray> Trainer::weightLayout() const {
  std::vector<NamedArray> out;
  for (const auto& p : impl_->encoder->named_parameters())
    out.push_back({p.key(), p.value().sizes().vec(), {}});
  for (const NamedArray& extra : impl_->objective->extraWeights())
    out.push_back({extra.name, extra.shape, {}});
  return out;
}

EpochFrame Trainer::evaluate() const { return impl_->frame(impl_->epoch, impl_->currentLoss, 0); }

std::vector<BaselineRow> Trainer::baselines() const {
  impl_->applyThreads();
  return computeBaselines(impl_->viewImages.to(torch::kCPU).flatten(1), impl_->view.labels,
                          impl_->config.clusters, impl_->config.seed);
}

std::vector<float> embedImages(int embedDim, const std::vector<NamedArray>& weights,
                               const std::vector<std::uint8_t>& images, int count) {
  constexpr std::int64_t kPixels = 28 * 28;
  if (count < 0 || images.size() != static_cast<std::size_t>(count) * kPixels)
    throw std::invalid_argument("embedImages: expected " + std::to_string(count) +
                                " images of 28 x 28 bytes, got " + std::to_string(images.size()) + " bytes");
  Encoder encoder(embedDim);
  loadWeights(encoder, weights);
  if (count == 0) return {};
  // The same conversion as the dataset loader, so embeddings match the trainer's bit for bit.
  const torch::Tensor x =
      torch::from_blob(const_cast<std::uint8_t*>(images.data()), {count, 1, 28, 28}, torch::kUInt8)
          .to(torch::kFloat32)
          .div_(255.0f);
  return toVector<float>(embed(encoder, x));
}

}  // namespace centroid
