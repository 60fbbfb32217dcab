// Random affine distortions in one batched grid_sample.
#include "core/objectives/friendly/Augment.h"

#include <cmath>

namespace centroid {

torch::Tensor augment(const torch::Tensor& images, const AugmentOptions& o, at::Generator& generator) {
  const std::int64_t b = images.size(0);
  const auto cpu = torch::TensorOptions().dtype(torch::kFloat32);
  // Uniform draws in [-1, 1] on the CPU generator, then moved: the same numbers on every device.
  const auto draw = [&] { return torch::rand({b}, generator, cpu).mul_(2).sub_(1); };
  const torch::Tensor angle = draw().mul_(static_cast<float>(o.degrees * M_PI / 180.0));
  const torch::Tensor scale = draw().mul_(static_cast<float>(o.scale)).add_(1);
  // grid_sample's coordinates span [-1, 1] over the image: a pixel is 2 / size of that.
  const torch::Tensor tx = draw().mul_(static_cast<float>(2 * o.shift / images.size(3)));
  const torch::Tensor ty = draw().mul_(static_cast<float>(2 * o.shift / images.size(2)));
  // theta maps output to input coordinates: the inverse of "rotate by angle, scale by scale".
  const torch::Tensor c = angle.cos() / scale, s = angle.sin() / scale;
  torch::Tensor theta = torch::stack({torch::stack({c, -s, tx}, 1), torch::stack({s, c, ty}, 1)}, 1);
  if (o.shear > 0) {  // then the shear first: [[1, h], [0, 1]] on the output's coordinates
    const torch::Tensor h = draw().mul_(static_cast<float>(o.shear));
    const torch::Tensor shear = torch::zeros({b, 3, 3}, cpu);
    shear.select(1, 0).select(1, 0).fill_(1);
    shear.select(1, 0).select(1, 1).copy_(h);
    shear.select(1, 1).select(1, 1).fill_(1);
    shear.select(1, 2).select(1, 2).fill_(1);
    theta = torch::bmm(theta, shear);
  }
  theta = theta.to(images.device());
  const torch::Tensor grid = torch::affine_grid_generator(theta, images.sizes(), /*align_corners=*/false);
  return torch::grid_sampler(images, grid, /*interpolation_mode=*/0, /*padding_mode=*/0,
                             /*align_corners=*/false);
}

torch::Tensor deskew(const torch::Tensor& images) {
  c10::InferenceMode guard;
  const std::int64_t b = images.size(0), h = images.size(2), w = images.size(3);
  const torch::Tensor x = images.to(torch::kFloat32).view({b, h, w});
  const auto opts = x.options();
  // Pixel centres in grid_sample's coordinates (align_corners false): (2i + 1) / n - 1.
  const torch::Tensor ys = torch::arange(h, opts).mul_(2).add_(1).div_(h).sub_(1).view({1, h, 1});
  const torch::Tensor xs = torch::arange(w, opts).mul_(2).add_(1).div_(w).sub_(1).view({1, 1, w});
  const torch::Tensor mass = x.sum({1, 2}).clamp_min(1e-6);
  const torch::Tensor cy = (x * ys).sum({1, 2}) / mass, cx = (x * xs).sum({1, 2}) / mass;
  const torch::Tensor dy = ys - cy.view({b, 1, 1}), dx = xs - cx.view({b, 1, 1});
  const torch::Tensor myy = (x * dy * dy).sum({1, 2}) / mass, mxy = (x * dx * dy).sum({1, 2}) / mass;
  // x drifts by `skew` per unit of y; the output at (x, y) reads the input at (x + skew (y - cy), y).
  const torch::Tensor skew = mxy / myy.clamp_min(1e-6);
  const torch::Tensor one = torch::ones({b}, opts), zero = torch::zeros({b}, opts);
  const torch::Tensor theta =
      torch::stack({torch::stack({one, skew, -skew * cy}, 1), torch::stack({zero, one, zero}, 1)}, 1);
  const torch::Tensor grid = torch::affine_grid_generator(theta, images.sizes(), /*align_corners=*/false);
  return torch::grid_sampler(images.to(torch::kFloat32), grid, /*interpolation_mode=*/0, /*padding_mode=*/0,
                             /*align_corners=*/false);
}

}  // namespace centroid
