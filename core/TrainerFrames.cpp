// What the trainer hands out: epoch frames, weights, evaluation, baselines, and embedding new
// images with saved weights.
#include <algorithm>
#include <cstring>

#include "core/Baselines.h"
#include "core/Metrics.h"
#include "core/TrainerImpl.h"

namespace centroid {

namespace {

template <typename T>
std::vector<T> toVector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kCPU).contiguous();
  return {c.data_ptr<T>(), c.data_ptr<T>() + c.numel()};
}

}  // namespace

torch::Device parseDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) != 0)
    throw ConfigError("device: unknown device \"" + name + "\"; use cpu, cuda or cuda:N");
  torch::Device device(torch::kCPU);
  try {
    device = torch::Device(name);
  } catch (const std::exception&) {
    throw ConfigError("device: cannot parse \"" + name + "\"; use cpu, cuda or cuda:N");
  }
  if (!torch::cuda::is_available())
    throw ConfigError("device: " + name + " was asked for, but no CUDA device is usable here "
                      "(no GPU, no driver, or a libtorch built without CUDA); use --device cpu");
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (device.has_index() && device.index() >= count)
    throw ConfigError("device: " + name + " does not exist; this machine has " + std::to_string(count) +
                      " CUDA device(s), cuda:0 to cuda:" + std::to_string(count - 1));
  return device;
}

void Trainer::Impl::applyThreads() const { torch::set_num_threads(threads); }

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
  const torch::Tensor centres =
      kmeans.hasCentroids() ? kmeans.centroids() : embed(encoder, train.narrow(0, 0, config.clusters));
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
  return out;
}

void Trainer::Impl::snapshotBest(int epochNumber, double loss) {
  bestEpoch = epochNumber;
  bestLoss = loss;
  bestParams.clear();
  for (const auto& p : encoder->parameters()) bestParams.push_back(p.detach().clone());
  bestCentroids = kmeans.centroids().clone();
}

void Trainer::Impl::restoreBest() {
  if (bestEpoch == 0) return;
  torch::NoGradGuard noGrad;
  auto params = encoder->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(bestParams[i]);
  kmeans.setCentroids(bestCentroids);
  currentLoss = bestLoss;
}

void loadWeights(Encoder& encoder, const std::vector<NamedArray>& weights) {
  torch::NoGradGuard noGrad;
  for (auto& p : encoder->named_parameters()) {
    const auto it = std::find_if(weights.begin(), weights.end(),
                                 [&](const NamedArray& a) { return a.name == p.key(); });
    if (it == weights.end())
      throw RunFileError("encoder weights: " + p.key() + " is missing");
    const auto expected = p.value().sizes().vec();
    std::int64_t count = 1;
    for (auto d : it->shape) count *= d;
    if (it->shape != expected || count != static_cast<std::int64_t>(it->values.size())) {
      std::string want, got;
      for (auto d : expected) want += (want.empty() ? "" : "x") + std::to_string(d);
      for (auto d : it->shape) got += (got.empty() ? "" : "x") + std::to_string(d);
      throw RunFileError("encoder weights: " + p.key() + " is shaped " + got + " (" +
                         std::to_string(it->values.size()) + " values) but the encoder needs " + want);
    }
    p.value().copy_(torch::from_blob(const_cast<float*>(it->values.data()), it->shape, torch::kFloat32));
  }
}

std::vector<NamedArray> Trainer::weightLayout() const {
  std::vector<NamedArray> out;
  for (const auto& p : impl_->encoder->named_parameters()) out.push_back({p.key(), p.value().sizes().vec(), {}});
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
    throw std::invalid_argument("embedImages: expected " + std::to_string(count) + " images of 28 x 28 bytes, got " +
                                std::to_string(images.size()) + " bytes");
  Encoder encoder(embedDim);
  loadWeights(encoder, weights);
  if (count == 0) return {};
  // The same conversion as the dataset loader, so embeddings match the trainer's bit for bit.
  const torch::Tensor x = torch::from_blob(const_cast<std::uint8_t*>(images.data()), {count, 1, 28, 28}, torch::kUInt8)
                              .to(torch::kFloat32)
                              .div_(255.0f);
  return toVector<float>(embed(encoder, x));
}

}  // namespace centroid
