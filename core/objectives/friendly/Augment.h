// Small random distortions of digits (rotation, scale, shift, shear) for two views of one
// image, and deskewing by moments.
#pragma once

#include <torch/torch.h>

namespace centroid {

struct AugmentOptions {
  double degrees = 12;  // rotation drawn uniformly in [-degrees, degrees]
  double scale = 0.1;   // isotropic scale in [1 - scale, 1 + scale]
  double shift = 2;     // translation in pixels, each axis in [-shift, shift]
  // Horizontal shear (slant): x moves by s * y, s in [-shear, shear]. 0 draws nothing, so runs
  // without it repeat the random numbers of runs from before it existed.
  double shear = 0;
};

// images: B x 1 x H x W float. One random affine map per image, bilinear, zeros outside.
// Draws from `generator` only, so a run is reproducible from its seed.
torch::Tensor augment(const torch::Tensor& images, const AugmentOptions& options, at::Generator& generator);

// images: B x 1 x H x W float. Each image sheared horizontally so that its ink's second moment
// in x and y is zero (the classic MNIST deskewing): the slant of a hand is gone, the digit stays.
torch::Tensor deskew(const torch::Tensor& images);

}  // namespace centroid
