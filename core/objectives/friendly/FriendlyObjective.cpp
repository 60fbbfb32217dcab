// The k-means-friendly objective (see FriendlyObjective.h).
#include "core/objectives/friendly/FriendlyObjective.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

#include "core/model/Baselines.h"
#include "core/objectives/friendly/NeighbourGraph.h"
#include "core/model/Device.h"

namespace centroid {

namespace {

constexpr std::int64_t kPlacementImages = 10000;  // k-means on this many embedded training images

}  // namespace

FriendlyOptions FriendlyOptions::from(const std::map<std::string, double>& options) {
  FriendlyOptions o;
  for (const auto& [name, v] : options) {
    if (name == "neighbours") o.neighbours = static_cast<int>(v);
    else if (name == "pca_dims") o.pcaDims = static_cast<int>(v);
    else if (name == "temperature") o.temperature = v;
    else if (name == "output_std") o.outputStd = v;
    else if (name == "balance") o.balance = v;
    else if (name == "contrast") o.contrast = v;
    else if (name == "warmup_epochs") o.warmupEpochs = static_cast<int>(v);
    else if (name == "augment") o.augment = v != 0;
    else if (name == "rotation") o.distortion.degrees = v;
    else if (name == "scale") o.distortion.scale = v;
    else if (name == "shift") o.distortion.shift = v;
    else if (name == "shear") o.distortion.shear = v;
    else if (name == "deskew") o.deskew = v != 0;
    else if (name == "lr_warmup") o.lrWarmupSteps = static_cast<int>(v);
    else if (name == "cosine") o.cosine = v != 0;
    else throw ConfigError("objective option: the friendly objective has no option \"" + name + "\"");
  }
  if (o.neighbours < 1) throw ConfigError("objective option neighbours: must be at least 1");
  if (o.pcaDims < 1 || o.pcaDims > 784) throw ConfigError("objective option pca_dims: must be 1 to 784");
  if (!(o.temperature > 0) || !std::isfinite(o.temperature))
    throw ConfigError("objective option temperature: must be a positive number");
  if (!std::isfinite(o.outputStd) || o.outputStd < 0)
    throw ConfigError("objective option output_std: must be >= 0");
  if (!std::isfinite(o.balance) || o.balance < 0) throw ConfigError("objective option balance: must be >= 0");
  if (!std::isfinite(o.contrast) || o.contrast < 0)
    throw ConfigError("objective option contrast: must be >= 0");
  if (o.warmupEpochs < 0) throw ConfigError("objective option warmup_epochs: must be >= 0");
  if (o.lrWarmupSteps < 0) throw ConfigError("objective option lr_warmup: must be >= 0");
  if (!std::isfinite(o.distortion.shear) || o.distortion.shear < 0 || o.distortion.shear > 2)
    throw ConfigError("objective option shear: must be 0 to 2");
  return o;
}

std::map<std::string, double> FriendlyOptions::toMap() const {
  return {{"neighbours", neighbours},      {"pca_dims", pcaDims},        {"temperature", temperature},
          {"output_std", outputStd},       {"balance", balance},         {"contrast", contrast},
          {"warmup_epochs", warmupEpochs}, {"augment", augment ? 1 : 0}, {"rotation", distortion.degrees},
          {"scale", distortion.scale},     {"shift", distortion.shift},  {"cosine", cosine ? 1 : 0},
          {"shear", distortion.shear},     {"deskew", deskew ? 1 : 0},   {"lr_warmup", lrWarmupSteps}};
}

void friendlyDefaults(TrainConfig& c) {
  c.maxEpochs = 32;  // docs/benchmarks.md, "Objectives": three seeds, their quality and minutes
  c.learningRate = 1e-3;
  c.batchSize = 256;
  c.patience = c.maxEpochs;  // the schedule decides the end, not the loss
  c.objectiveOptions = FriendlyOptions{}.toMap();
}

torch::Tensor softAssignments(const torch::Tensor& z, const torch::Tensor& mu, double temperature) {
  const torch::Tensor d2 = (z.unsqueeze(1) - mu.unsqueeze(0)).pow(2).sum(2);
  return torch::softmax(d2 / -temperature, 1);
}

torch::Tensor agreementLoss(const torch::Tensor& pa, const torch::Tensor& pn) {
  return -(pa * pn).sum(1).clamp_min(1e-8).log().mean();
}

torch::Tensor negativeEntropyOfMean(const torch::Tensor& p) {
  const torch::Tensor mean = p.mean(0);
  return (mean * mean.clamp_min(1e-8).log()).sum();
}

torch::Tensor cauchyInfoNce(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor d2 = (a.unsqueeze(1) - b.unsqueeze(0)).pow(2).sum(2);
  const torch::Tensor logits = -torch::log1p(d2);
  const torch::Tensor target = torch::arange(a.size(0), a.options().dtype(torch::kLong));
  return 0.5 * (torch::nn::functional::cross_entropy(logits, target) +
                torch::nn::functional::cross_entropy(logits.t(), target));
}

FriendlyObjective::FriendlyObjective(const TrainConfig& config)
    : config_(config),
      options_(FriendlyOptions::from(config.objectiveOptions)),
      generator_(at::make_generator<at::CPUGeneratorImpl>(config.seed ^ 0x5eedf00dULL)) {
  centroids_ = torch::zeros({config.clusters, config.embedDim},
                            torch::TensorOptions().dtype(torch::kFloat32).device(parseDevice(config.device)))
                   .set_requires_grad(true);
}

void FriendlyObjective::prepare(Encoder& encoder, const ObjectiveContext& context) {
  train_ = context.train;
  const std::int64_t n = train_.size(0);
  const int k = static_cast<int>(std::min<std::int64_t>(options_.neighbours, n - 1));
  context.say("building the neighbour graph (" + std::to_string(k) + " nearest of " + std::to_string(n) +
              " images, PCA " + std::to_string(options_.pcaDims) + " of the " +
              (options_.deskew ? "deskewed " : "") + "pixels)");
  const int dims = std::min<int>(options_.pcaDims, static_cast<int>(train_[0].numel()));
  const torch::Tensor pixels = options_.deskew ? deskew(train_) : train_;
  const torch::Tensor projected = pcaProject(pixels.flatten(1), dims).to(train_.device());
  neighbours_ = nearestNeighbours(projected, k, 2048, context.stop);
  if (!neighbours_.defined()) return;  // stopped
  if (options_.outputStd > 0) scaleOutputs(encoder);
  if (options_.warmupEpochs == 0) placeCentroids(encoder);
}

void FriendlyObjective::scaleOutputs(Encoder& encoder) {
  const torch::Tensor z = embed(encoder, train_.narrow(0, 0, std::min<std::int64_t>(train_.size(0), 2000)));
  const double spread = z.std(0).mean().item<double>();
  encoder->train();
  if (!(spread > 0) || !std::isfinite(spread)) return;
  torch::NoGradGuard noGrad;
  for (auto& p : encoder->named_parameters())
    if (p.key().rfind("fc2.", 0) == 0) p.value().mul_(options_.outputStd / spread);
}

void FriendlyObjective::placeCentroids(Encoder& encoder) {
  // k-means on the current embedding of a seeded sample of training images: the centroids start
  // where the network already puts the clusters, not at arbitrary points.
  const std::int64_t n = train_.size(0);
  const torch::Tensor sample =
      torch::randperm(n, generator_, torch::kLong).narrow(0, 0, std::min(n, kPlacementImages));
  const torch::Tensor z = embed(encoder, train_.index_select(0, sample.to(train_.device())));
  const KMeansResult km = kmeans(z, config_.clusters, config_.seed, /*restarts=*/4);
  {
    torch::NoGradGuard noGrad;
    centroids_.copy_(km.centroids.to(centroids_.device()));
  }
  encoder->train();
  placed_ = true;
}

double FriendlyObjective::learningRate(int epoch, int batch, int batches, int maxEpochs, double base) const {
  const double total = static_cast<double>(maxEpochs) * batches;
  const double step = static_cast<double>(epoch - 1) * batches + batch;
  const double warm = options_.lrWarmupSteps > 0 ? std::min(1.0, (step + 1) / options_.lrWarmupSteps) : 1.0;
  if (!options_.cosine) return base * warm;
  return warm * base * 0.5 * (1 + std::cos(M_PI * std::min(step / total, 1.0)));
}

torch::Tensor FriendlyObjective::loss(Encoder& encoder, const ObjectiveBatch& batch) {
  if (!placed_ && batch.epoch > options_.warmupEpochs) placeCentroids(encoder);
  const std::int64_t b = batch.images.size(0);
  // One random neighbour per anchor.
  const torch::Tensor pick =
      torch::randint(neighbours_.size(1), {b}, generator_, torch::kLong).to(neighbours_.device());
  const torch::Tensor partners =
      neighbours_.index_select(0, batch.indices).gather(1, pick.unsqueeze(1)).squeeze(1);
  torch::Tensor both = torch::cat({batch.images, train_.index_select(0, partners)});
  if (options_.augment) both = augment(both, options_.distortion, generator_);
  const torch::Tensor z = encoder->forward(both);
  const torch::Tensor za = z.narrow(0, 0, b), zn = z.narrow(0, b, b);
  if (!placed_) return cauchyInfoNce(za, zn);  // warm-up: no centroids yet
  const torch::Tensor pa = softAssignments(za, centroids_, options_.temperature);
  const torch::Tensor pn = softAssignments(zn, centroids_, options_.temperature);
  torch::Tensor loss = agreementLoss(pa, pn) + options_.balance * negativeEntropyOfMean(torch::cat({pa, pn}));
  if (options_.contrast > 0) loss = loss + options_.contrast * cauchyInfoNce(za, zn);
  return loss;
}

torch::Tensor FriendlyObjective::centroids() const { return placed_ ? centroids_.detach() : torch::Tensor(); }

std::vector<NamedArray> FriendlyObjective::extraWeights() const {
  const torch::Tensor c = centroids_.detach().to(torch::kCPU).contiguous();
  return {{"objective.centroids", c.sizes().vec(), {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()}}};
}

}  // namespace centroid
