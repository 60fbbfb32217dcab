// Small random distortions of digits (rotation, scale, shift) for two views of one image.
#pragma once

#include <torch/torch.h>

namespace centroid {

struct AugmentOptions {
  double degrees = 12;  // rotation drawn uniformly in [-degrees, degrees]
  double scale = 0.1;   // isotropic scale in [1 - scale, 1 + scale]
  double shift = 2;     // translation in pixels, each axis in [-shift, shift]
};

// images: B x 1 x H x W float. One random affine map per image, bilinear, zeros outside.
// Draws from `generator` only, so a run is reproducible from its seed.
torch::Tensor augment(const torch::Tensor& images, const AugmentOptions& options, at::Generator& generator);

}  // namespace centroid
