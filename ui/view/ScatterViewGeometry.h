// Plain C++ geometry behind the scatter view: D-to-3 projection (PCA), bounds, screen-space picking.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace centroid::ui::geometry {

// Maps D-dimensional rows to 3-D. For D <= 3 the coordinates are kept (padded with zeros),
// so the view shows the raw embedding; for D > 3 rows are centred and projected on the
// first three principal axes.
struct Projection {
  int dim = 0;
  std::vector<double> mean;           // D, only for D > 3
  std::vector<double> axes;           // 3 x D row-major unit vectors, only for D > 3
  std::array<double, 3> explained{};  // share of the total variance on each axis (D > 3)

  bool isPca() const { return !axes.empty(); }
};

// Fits the projection of n rows of dim floats. Rows are sampled down to maxRows: the
// covariance of 20k rows already fixes the axes to well within a pixel, and 70k x 256^2
// would cost a second. With a previous projection of the same D, axes are reordered and
// their signs flipped to agree with it, so the cloud does not mirror or swap axes
// between epochs. Non-finite values count as 0.
Projection fitProjection(const float* rows, int n, int dim, const Projection* previous = nullptr,
                         int maxRows = 20000);

// Writes n*3 floats. Non-finite inputs become 0 so that bounds and the camera stay finite.
void project(const Projection& p, const float* rows, int n, float* xyz);

// {xmin, xmax, ymin, ymax, zmin, zmax} of n xyz triples; false when n == 0.
using Bounds = std::array<double, 6>;
bool bounds(const float* xyz, int n, Bounds& out);
Bounds unite(const Bounds& a, const Bounds& b);
// Grows collapsed axes so a camera can frame the box: an axis thinner than 1e-3 of the
// largest extent, or of the distance from the origin when all points coincide, gets that
// size. A thin ribbon stays a ribbon; a single point becomes a small cube.
Bounds padded(const Bounds& b);
double radius(const Bounds& b);  // half the diagonal
std::array<double, 3> center(const Bounds& b);

// Index of the point nearest to (px, py) in device pixels (origin bottom-left), within
// maxDistance, or -1. worldToView is VTK's row-major composite projection matrix (world ->
// normalised device coordinates). Points with hidden[i] != 0 are skipped; among points at
// the same screen distance the one nearest the camera wins.
int nearestOnScreen(const float* xyz, int n, const double worldToView[16], double width, double height,
                    double px, double py, double maxDistance, const std::vector<std::uint8_t>& hidden);

// Occlusion culling for software rendering. llvmpipe spends about 0.6 us of CPU per point
// however small, so points that cannot show are worth dropping: with a 3-pixel point size
// a dense 70k cloud has roughly a third of its points fully covered by nearer ones. This
// replays the depth test on the CPU and keeps every point that may win a pixel. It is
// conservative, so the picture stays the same pixel for pixel: a point's footprint counts
// as covering only the pixels it surely covers when it occludes, and every pixel it might
// touch when it is tested (so sub-pixel snapping differences cannot drop a visible point),
// and near-equal depths count as ties, which keep both points. From 20,000 points it runs
// on two threads, each filling a depth buffer from half of the points; the merged buffer
// then gives the same points as one thread would.
struct CullScratch {
  int threads = 2;            // 1: all on the calling thread; 2: a second thread takes half the points
  std::vector<float> depth;   // width x height: window depth of the nearest point surely covering it
  std::vector<float> depth2;  // the second thread's, merged into depth
  std::vector<double> x, y;   // per point: window position
  std::vector<float> z;       // window depth
  std::vector<std::uint8_t> state, visible;
};
// Appends to kept, in index order, the points (hidden[i] == 0) that may be visible in a
// width x height framebuffer with the given point size in pixels.
void visiblePoints(const float* xyz, int n, const std::vector<std::uint8_t>& hidden,
                   const double worldToView[16], int width, int height, double pointSize,
                   CullScratch& scratch, std::vector<std::int32_t>& kept);

// Screen position (device pixels, origin bottom-left) of one world point; false when it
// lies behind the camera or outside the depth range.
bool toScreen(const double worldToView[16], const float* p, double width, double height, double& x,
              double& y);

}  // namespace centroid::ui::geometry
