// k-means loss: hand-computed Lloyd runs, gradients against finite differences, empty clusters,
// the convergence stop, first-batch initialisation; the encoder's shape and size.
#include <gtest/gtest.h>

#include <iostream>
#include <limits>

#include <torch/torch.h>

#include "core/model/Encoder.h"
#include "core/objectives/seed/KMeansLoss.h"

namespace centroid {
namespace {

// Points on the x axis (y = 0), double precision so hand-computed values compare tightly.
torch::Tensor onLine(std::initializer_list<double> xs) {
  std::vector<double> v;
  for (double x : xs) {
    v.push_back(x);
    v.push_back(0.0);
  }
  return torch::tensor(v, torch::kDouble).reshape({-1, 2});
}

std::vector<std::int64_t> toVector(const torch::Tensor& t) {
  auto c = t.to(torch::kLong).contiguous();
  return {c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel()};
}

TEST(KMeansLoss, HandComputedRunFromFirstOutputs) {
  // Seeds (0,0) and (1,0): round 1 gives {0} {1,10,11}, centroids 0 and 22/3; round 2 gives
  // {0,1} {10,11}, centroids 0.5 and 10.5; round 3 changes nothing.
  KMeansLoss loss(2);
  const auto x = onLine({0, 1, 10, 11});
  const auto r = loss.forward(x);
  EXPECT_EQ(r.iterations, 2);
  EXPECT_EQ(toVector(r.assignments), (std::vector<std::int64_t>{0, 0, 1, 1}));
  EXPECT_TRUE(torch::allclose(r.centroids, onLine({0.5, 10.5}), 0, 1e-12));
  // Nearest distances 0.25 each (sum 1); the other four 110.25, 90.25, 90.25, 110.25 (sum 401).
  EXPECT_NEAR(r.loss.item<double>(), 1.0 / 4 + 4.0 / 401, 1e-12);
  EXPECT_FALSE(r.centroids.requires_grad());
  EXPECT_TRUE(torch::equal(loss.centroids(), r.centroids));
}

TEST(KMeansLoss, ClusterThatEmptiesKeepsItsLastMeanWithGradient) {
  // From 0, 3, 20: round 1 gives {0} {3,10} {12} (centroids 0, 6.5, 12); round 2 moves 3 to
  // cluster 0 and 10 to cluster 2, emptying cluster 1, which keeps 6.5 = mean(3, 10).
  KMeansLoss loss(3);
  const auto x = onLine({0, 3, 10, 12}).requires_grad_(true);
  const auto r = loss.compute(x, onLine({0, 3, 20}));
  EXPECT_EQ(r.iterations, 2);
  EXPECT_EQ(toVector(r.assignments), (std::vector<std::int64_t>{0, 0, 2, 2}));
  EXPECT_TRUE(torch::allclose(r.centroids, onLine({1.5, 6.5, 11}), 0, 1e-12));
  // d rows: c=1.5 (2.25 2.25 72.25 110.25), c=6.5 (42.25 12.25 12.25 30.25), c=11 (121 64 1 1):
  // nearest sum 6.5, total 471.
  EXPECT_NEAR(r.loss.item<double>(), 6.5 / 4 + 4.0 / 464.5, 1e-12);
  // The kept centroid is mean(x1, x2) with graph, so it moves with them: the gradient of x2
  // (nearest to centroid 2, yet also pulling centroid 1) is checked against a finite difference.
  r.loss.backward();
  const auto g = x.grad();
  EXPECT_TRUE(torch::isfinite(g).all().item<bool>());
  const double eps = 1e-6;
  auto moved = [&](double delta) {
    auto y = onLine({0, 3, 10, 12});
    y[2][0] += delta;
    return KMeansLoss(3).compute(y, onLine({0, 3, 20})).loss.item<double>();
  };
  EXPECT_NEAR(g[2][0].item<double>(), (moved(eps) - moved(-eps)) / (2 * eps), 1e-7);
  // By hand, with c0 = (x0+x1)/2, c1 = (x1+x2)/2 (kept), c2 = (x2+x3)/2: d(within)/dx2 = -2,
  // d(total)/dx2 = 17 + 8 + 17 = 42 (the kept centroid's row gives 8: 7 directly, 1 through c1),
  // so d(between)/dx2 = 44. A kept centroid without graph would give 43.
  EXPECT_NEAR(g[2][0].item<double>(), -2.0 / 4 - 4.0 * 44 / (464.5 * 464.5), 1e-12);
}

TEST(KMeansLoss, NeverFilledClusterKeepsCarriedCentroid) {
  KMeansLoss loss(3);
  loss.setCentroids(onLine({0, 10, 100}));
  const auto x = onLine({0, 1, 10, 11}).requires_grad_(true);
  const auto r = loss.forward(x);
  EXPECT_EQ(r.centroids[2][0].item<double>(), 100.0);
  EXPECT_EQ(r.centroids[2][1].item<double>(), 0.0);
  EXPECT_TRUE(torch::allclose(r.centroids.slice(0, 0, 2), onLine({0.5, 10.5}), 0, 1e-12));
  EXPECT_TRUE(torch::equal(loss.centroids(), r.centroids));
}

// Three well separated blobs in 2-D, so small perturbations never change an assignment.
torch::Tensor blobs(int perBlob, std::uint64_t seed) {
  torch::manual_seed(seed);
  auto centres = torch::tensor({0.0, 0.0, 5.0, 1.0, 1.0, 6.0}, torch::kDouble).reshape({3, 2});
  auto x = centres.repeat_interleave(perBlob, 0) + 0.4 * torch::randn({3 * perBlob, 2}, torch::kDouble);
  return x.index_select(0, torch::randperm(3 * perBlob, torch::kLong));
}

TEST(KMeansLoss, GradientMatchesFiniteDifferences) {
  KMeansLoss loss(3);
  const auto x0 = blobs(5, 7);
  const auto c0 = torch::tensor({0.5, 0.5, 4.0, 0.0, 0.0, 5.0}, torch::kDouble).reshape({3, 2});
  auto x = x0.clone().requires_grad_(true);
  const auto r = loss.compute(x, c0);
  r.loss.backward();
  const auto grad = x.grad();
  const double eps = 1e-6;
  for (std::int64_t i = 0; i < x0.size(0); ++i) {
    for (std::int64_t j = 0; j < x0.size(1); ++j) {
      auto up = x0.clone(), down = x0.clone();
      up[i][j] += eps;
      down[i][j] -= eps;
      const double fd =
          (loss.compute(up, c0).loss.item<double>() - loss.compute(down, c0).loss.item<double>()) / (2 * eps);
      EXPECT_NEAR(grad[i][j].item<double>(), fd, 1e-6 * std::max(1.0, std::abs(fd)))
          << "point " << i << " coordinate " << j;
    }
  }
}

TEST(KMeansLoss, GradientReachesEncoderParameters) {
  torch::manual_seed(0);
  Encoder encoder(3);
  KMeansLoss loss(4);
  const auto r = loss.forward(encoder->forward(torch::rand({16, 1, 28, 28})));
  r.loss.backward();
  for (const auto& p : encoder->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << p.key();
  }
}

TEST(KMeansLoss, StopsWhenAssignmentsSettle) {
  KMeansLoss loss(3, 50);
  const auto x = blobs(50, 3);
  const auto r = loss.compute(x, x.slice(0, 0, 3));
  EXPECT_GE(r.iterations, 1);
  EXPECT_LT(r.iterations, 50);
  // From its own result the run is already converged: one update, then the check stops it.
  const auto again = loss.compute(x, r.centroids);
  EXPECT_EQ(again.iterations, 1);
  EXPECT_TRUE(torch::equal(again.assignments, r.assignments));
  EXPECT_TRUE(torch::allclose(again.centroids, r.centroids, 0, 1e-12));
}

TEST(KMeansLoss, MaxIterCapsTheLoop) {
  KMeansLoss loss(2, 1);
  const auto r = loss.compute(onLine({0, 1, 10, 11}), onLine({0, 1}));
  EXPECT_EQ(r.iterations, 1);
  EXPECT_TRUE(torch::allclose(r.centroids, onLine({0, 22.0 / 3}), 0, 1e-12));
}

TEST(KMeansLoss, FirstBatchStartsFromFirstKOutputsThenCarries) {
  const auto x = blobs(20, 11);
  KMeansLoss carried(3), manual(3);
  const auto first = carried.forward(x);
  const auto expected = manual.compute(x, x.slice(0, 0, 3));
  EXPECT_TRUE(torch::equal(first.centroids, expected.centroids));
  EXPECT_TRUE(torch::equal(first.assignments, expected.assignments));
  // The next batch starts where the first ended.
  const auto y = blobs(20, 12);
  const auto second = carried.forward(y);
  const auto expected2 = manual.compute(y, first.centroids);
  EXPECT_TRUE(torch::equal(second.centroids, expected2.centroids));
  EXPECT_EQ(second.loss.item<double>(), expected2.loss.item<double>());
}

TEST(KMeansLoss, ShortBatchBelowK) {
  KMeansLoss loss(4);
  loss.setCentroids(onLine({0, 1, 2, 3}));
  const auto r = loss.forward(onLine({0.1, 2.9}));
  EXPECT_EQ(r.centroids.size(0), 4);
  EXPECT_TRUE(std::isfinite(r.loss.item<double>()));
  EXPECT_NEAR(r.centroids[1][0].item<double>(), 1.0, 0);
  EXPECT_NEAR(r.centroids[0][0].item<double>(), 0.1, 1e-15);
}

TEST(KMeansLoss, HostLoopMatchesTensorLoop) {
  // The CPU runs Lloyd's loop as plain loops; other devices use tensor ops. Same answers.
  const auto check = [](const torch::Tensor& x, const torch::Tensor& c0, int maxIter) {
    KMeansLoss host(static_cast<int>(c0.size(0)), maxIter), tensors(static_cast<int>(c0.size(0)), maxIter);
    tensors.setTensorLoop(true);
    const auto a = host.compute(x, c0);
    const auto b = tensors.compute(x, c0);
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_TRUE(torch::equal(a.assignments, b.assignments));
    EXPECT_TRUE(torch::allclose(a.centroids, b.centroids, 1e-6, 1e-6));
    EXPECT_NEAR(a.loss.item<double>(), b.loss.item<double>(), 1e-6 * std::abs(b.loss.item<double>()));
  };
  check(onLine({0, 3, 10, 12}), onLine({0, 3, 20}), 50);
  check(onLine({0, 1, 10, 11}), onLine({0, 10, 100}), 50);
  const auto x = blobs(40, 5);
  check(x, x.slice(0, 0, 3), 50);
  check(x, x.slice(0, 0, 3), 1);
  torch::manual_seed(9);
  const auto f = torch::randn({300, 3});  // float, no structure: many iterations and moves
  check(f, f.slice(0, 0, 10), 50);
}

TEST(KMeansLoss, RejectsMismatchedShapes) {
  KMeansLoss loss(3);
  EXPECT_THROW(loss.forward(torch::zeros({2, 3})), std::invalid_argument);  // first batch < K
  EXPECT_THROW(loss.compute(torch::zeros({5, 3}), torch::zeros({3, 2})), std::invalid_argument);
}

TEST(Encoder, OutputShapeAndParameterCount) {
  Encoder encoder(3);
  const auto y = encoder->forward(torch::rand({5, 1, 28, 28}));
  EXPECT_EQ(y.sizes(), (std::vector<std::int64_t>{5, 3}));
  // conv1 32*9+32, conv2 16*32*25+16, fc1 256*12+12, fc2 12*3+3.
  EXPECT_EQ(parameterCount(encoder), 320 + 12816 + 3084 + 39);
  std::vector<std::string> names;
  for (const auto& p : encoder->named_parameters()) names.push_back(p.key());
  EXPECT_EQ(names, (std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                             "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}));
  Encoder wide(7);
  EXPECT_EQ(wide->forward(torch::rand({2, 1, 28, 28})).sizes(), (std::vector<std::int64_t>{2, 7}));
  EXPECT_EQ(parameterCount(wide), 320 + 12816 + 3084 + 12 * 7 + 7);
}

TEST(Encoder, PoolThenReluMatchesReluThenPool) {
  // The forward pass pools before the ReLU; check it equals the textbook order.
  torch::manual_seed(1);
  Encoder encoder(3);
  const auto params = encoder->named_parameters();
  const auto reference = [&](const torch::Tensor& input) {
    auto h = torch::conv2d(input, params["conv1.weight"], params["conv1.bias"]).relu();
    h = torch::max_pool2d(h, 2);
    h = torch::conv2d(h, params["conv2.weight"], params["conv2.bias"]).relu();
    h = torch::max_pool2d(h, 2).flatten(1);
    h = torch::linear(h, params["fc1.weight"], params["fc1.bias"]).relu();
    return torch::linear(h, params["fc2.weight"], params["fc2.bias"]);
  };
  const auto x = torch::rand({4, 1, 28, 28});
  // Unfused (and with fc1/fc2 as torch::linear), the encoder runs channels-last: in that layout
  // the results match bit for bit ...
  encoder->setFused(false);
  encoder->setFcAsConv(false);
  EXPECT_TRUE(torch::equal(encoder->forward(x), reference(x.as_strided(x.sizes(), {28 * 28, 1, 28, 1}))));
  // ... and in plain NCHW, or fused, up to rounding.
  EXPECT_TRUE(torch::allclose(encoder->forward(x), reference(x), 1e-5, 1e-6));
  encoder->setFused(true);
  encoder->setFcAsConv(true);
  EXPECT_TRUE(torch::allclose(encoder->forward(x), reference(x), 1e-5, 1e-6));
}

TEST(Encoder, FcAsConvMatchesLinear) {
  // fc1/fc2 run as convolutions on the CPU: the same outputs and gradients as torch::linear,
  // for every parameter, at D = 3 and D = 7, in training and in inference mode.
  for (int dim : {3, 7}) {
    SCOPED_TRACE("D = " + std::to_string(dim));
    torch::manual_seed(3 + dim);
    Encoder encoder(dim);
    const auto x = torch::rand({33, 1, 28, 28});
    const auto probe = torch::randn({33, dim});
    const auto run = [&](bool asConv) {
      encoder->setFcAsConv(asConv);
      encoder->zero_grad();
      const auto y = encoder->forward(x);
      (y * probe).sum().backward();
      std::vector<torch::Tensor> out{y.detach()};
      for (const auto& p : encoder->named_parameters()) out.push_back(p.value().grad().clone());
      return out;
    };
    const auto conv = run(true), linear = run(false);
    ASSERT_EQ(conv[0].sizes(), (std::vector<std::int64_t>{33, dim}));
    ASSERT_EQ(conv.size(), linear.size());
    EXPECT_TRUE(torch::allclose(conv[0], linear[0], 1e-5, 1e-6));
    for (std::size_t i = 1; i < conv.size(); ++i) {
      EXPECT_TRUE(torch::allclose(conv[i], linear[i], 1e-4, 1e-5)) << "gradient " << i;
      EXPECT_GT(conv[i].abs().max().item<double>(), 0) << "gradient " << i;
    }
    c10::InferenceMode guard;
    encoder->setFcAsConv(true);
    EXPECT_TRUE(torch::allclose(encoder->forward(x), linear[0], 1e-5, 1e-6));
  }
}

TEST(Encoder, FusedFirstStageMatchesTorchOps) {
  // conv1 + ReLU + max-pool fused on the CPU against the plain ops: values and the gradients of
  // conv1's weight and bias through a random downstream weighting.
  torch::manual_seed(2);
  Encoder encoder(3);
  const auto x = torch::rand({37, 1, 28, 28});
  const auto probe = torch::randn({37, 32, 13, 13});
  const auto run = [&](bool fused) {
    encoder->zero_grad();
    const auto y = encoder->stage1(x, fused);
    (y * probe).sum().backward();
    const auto params = encoder->named_parameters();
    return std::vector<torch::Tensor>{y.detach().contiguous(), params["conv1.weight"].grad().clone(),
                                      params["conv1.bias"].grad().clone()};
  };
  const auto fused = run(true), plain = run(false);
  EXPECT_EQ(fused[0].sizes(), plain[0].sizes());
  EXPECT_TRUE(torch::allclose(fused[0], plain[0], 1e-5, 1e-6));
  EXPECT_GT((fused[0] == 0).sum().item<std::int64_t>(), 0);  // the ReLU did block something
  EXPECT_TRUE(torch::allclose(fused[1], plain[1], 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(fused[2], plain[2], 1e-4, 1e-4));

  // The same under several threads (chunked sums) and in inference mode.
  torch::set_num_threads(2);
  const auto threaded = run(true);
  EXPECT_TRUE(torch::allclose(threaded[1], plain[1], 1e-4, 1e-4));
  {
    c10::InferenceMode guard;
    EXPECT_TRUE(torch::allclose(encoder->stage1(x, true), plain[0], 1e-5, 1e-6));
  }

  // A NaN weight shows up as NaN, as it would through the plain ops, rather than being clipped.
  {
    torch::NoGradGuard noGrad;
    encoder->named_parameters()["conv1.weight"][3][0][1][1] = std::numeric_limits<float>::quiet_NaN();
  }
  EXPECT_TRUE(torch::isnan(encoder->stage1(x, true)).any().item<bool>());
}

TEST(Encoder, FusedKernelWidthsGiveTheSameBits) {
  // The 16-lane (AVX-512) and 8-lane builds of the fused kernels sum in the same order: outputs
  // and conv1's gradients are bitwise equal, so training does not depend on the CPU's vector
  // width. On a CPU without AVX-512 both runs take the 8-lane build (said below).
  torch::manual_seed(3);
  Encoder encoder(3);
  const auto x = torch::rand({23, 1, 28, 28});
  const auto probe = torch::randn({23, 32, 13, 13});
  const auto run = [&](bool wide) {
    const bool ranWide = setWideFusedKernels(wide);
    encoder->zero_grad();
    const auto y = encoder->stage1(x, true);
    (y * probe).sum().backward();
    const auto params = encoder->named_parameters();
    return std::make_pair(
        ranWide, std::vector<torch::Tensor>{y.detach().contiguous(), params["conv1.weight"].grad().clone(),
                                            params["conv1.bias"].grad().clone()});
  };
  const auto [wideRan, wide] = run(true);
  const auto [narrowRan, narrow] = run(false);
  setWideFusedKernels(true);
  EXPECT_FALSE(narrowRan);
  std::cout << "fused kernels: "
            << (wideRan ? "16-lane AVX-512 against 8-lane" : "no AVX-512 here, 8-lane twice") << "\n";
  for (std::size_t i = 0; i < wide.size(); ++i)
    EXPECT_TRUE(torch::equal(wide[i], narrow[i])) << "tensor " << i;
  EXPECT_GT(wide[1].abs().sum().item<double>(), 0);
}

}  // namespace
}  // namespace centroid
