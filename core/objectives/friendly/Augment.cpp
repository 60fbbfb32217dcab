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
  const torch::Tensor theta =
      torch::stack({torch::stack({c, -s, tx}, 1), torch::stack({s, c, ty}, 1)}, 1).to(images.device());
  const torch::Tensor grid = torch::affine_grid_generator(theta, images.sizes(), /*align_corners=*/false);
  return torch::grid_sampler(images, grid, /*interpolation_mode=*/0, /*padding_mode=*/0,
                             /*align_corners=*/false);
}

}  // namespace centroid
