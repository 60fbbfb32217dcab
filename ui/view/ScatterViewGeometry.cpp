// Plain C++ geometry behind the scatter view.
#include "ui/view/ScatterViewGeometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

namespace centroid::ui::geometry {
namespace {

constexpr int kCullMinPointsPerThread = 10000;  // below this a second thread costs more than it saves

double finiteOr0(float v) { return std::isfinite(v) ? static_cast<double>(v) : 0.0; }

// Cyclic Jacobi eigen-decomposition of a symmetric dim x dim matrix (row-major, destroyed).
// Chosen over a library: D is small (<= 256), Jacobi is short, robust for repeated
// eigenvalues and accurate to machine precision, which power iteration is not.
void jacobiEigen(std::vector<double>& a, int dim, std::vector<double>& values, std::vector<double>& vectors) {
  const auto n = static_cast<std::size_t>(dim);
  vectors.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) vectors[i * n + i] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, diag = 0;
    for (std::size_t i = 0; i < n; ++i) {
      diag += a[i * n + i] * a[i * n + i];
      for (std::size_t j = i + 1; j < n; ++j) off += a[i * n + j] * a[i * n + j];
    }
    if (off <= 1e-30 * std::max(diag, 1e-300)) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (std::abs(apq) < 1e-300) continue;
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p, q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p, q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {  // eigenvectors are the columns
          const double vkp = vectors[k * n + p], vkq = vectors[k * n + q];
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  values.resize(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = a[i * n + i];
}

double dot(const double* a, const double* b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// Reorders and flips the three axes to match the previous epoch's as closely as possible.
void alignWith(Projection& p, const Projection& previous) {
  const int D = p.dim;
  std::array<int, 3> perm{0, 1, 2}, best = perm;
  double bestScore = -1;
  do {
    double score = 0;
    for (int k = 0; k < 3; ++k)
      score += std::abs(dot(&p.axes[perm[k] * D], &previous.axes[static_cast<std::size_t>(k) * D], D));
    if (score > bestScore + 1e-12) bestScore = score, best = perm;
  } while (std::next_permutation(perm.begin(), perm.end()));
  std::vector<double> axes(p.axes.size());
  std::array<double, 3> explained{};
  for (int k = 0; k < 3; ++k) {
    const double* src = &p.axes[static_cast<std::size_t>(best[k]) * D];
    const double sign = dot(src, &previous.axes[static_cast<std::size_t>(k) * D], D) < 0 ? -1.0 : 1.0;
    for (int j = 0; j < D; ++j) axes[static_cast<std::size_t>(k) * D + j] = sign * src[j];
    explained[k] = p.explained[best[k]];
  }
  p.axes = std::move(axes);
  p.explained = explained;
}

}  // namespace

Projection fitProjection(const float* rows, int n, int dim, const Projection* previous, int maxRows) {
  Projection p;
  p.dim = dim;
  if (dim <= 3 || n <= 0) return p;
  const auto D = static_cast<std::size_t>(dim);
  const int step = std::max(1, (n + maxRows - 1) / std::max(1, maxRows));
  int used = 0;
  p.mean.assign(D, 0.0);
  for (int i = 0; i < n; i += step, ++used)
    for (std::size_t j = 0; j < D; ++j) p.mean[j] += finiteOr0(rows[static_cast<std::size_t>(i) * D + j]);
  for (double& m : p.mean) m /= used;

  std::vector<double> cov(D * D, 0.0), centred(D);
  for (int i = 0; i < n; i += step) {
    for (std::size_t j = 0; j < D; ++j)
      centred[j] = finiteOr0(rows[static_cast<std::size_t>(i) * D + j]) - p.mean[j];
    for (std::size_t a = 0; a < D; ++a) {
      const double ca = centred[a];
      double* row = &cov[a * D];
      for (std::size_t b = a; b < D; ++b) row[b] += ca * centred[b];
    }
  }
  for (std::size_t a = 0; a < D; ++a)
    for (std::size_t b = a; b < D; ++b) cov[b * D + a] = cov[a * D + b] /= std::max(1, used - 1);

  std::vector<double> values, vectors;
  jacobiEigen(cov, dim, values, vectors);
  std::vector<int> order(D);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[a] > values[b]; });
  double total = 0;
  for (double v : values) total += std::max(0.0, v);

  p.axes.assign(3 * D, 0.0);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto col = static_cast<std::size_t>(order[k]);
    // Deterministic sign without history: the largest component is positive.
    double big = 0;
    for (std::size_t j = 0; j < D; ++j)
      if (std::abs(vectors[j * D + col]) > std::abs(big)) big = vectors[j * D + col];
    const double sign = big < 0 ? -1.0 : 1.0;
    for (std::size_t j = 0; j < D; ++j) p.axes[k * D + j] = sign * vectors[j * D + col];
    p.explained[k] = total > 0 ? std::max(0.0, values[col]) / total : 0.0;
  }
  if (previous && previous->dim == dim && previous->isPca()) alignWith(p, *previous);
  return p;
}

void project(const Projection& p, const float* rows, int n, float* xyz) {
  const int D = p.dim;
  for (int i = 0; i < n; ++i) {
    const float* r = rows + static_cast<std::size_t>(i) * D;
    float* out = xyz + static_cast<std::size_t>(i) * 3;
    if (!p.isPca()) {
      for (int k = 0; k < 3; ++k) out[k] = k < D ? static_cast<float>(finiteOr0(r[k])) : 0.0f;
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      const double* axis = &p.axes[static_cast<std::size_t>(k) * D];
      double s = 0;
      for (int j = 0; j < D; ++j) s += (finiteOr0(r[j]) - p.mean[j]) * axis[j];
      out[k] = std::isfinite(s) ? static_cast<float>(s) : 0.0f;  // 1e38 squared overflows
    }
  }
}

bool bounds(const float* xyz, int n, Bounds& out) {
  if (n <= 0) return false;
  constexpr double inf = std::numeric_limits<double>::infinity();
  out = {inf, -inf, inf, -inf, inf, -inf};
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) {
      const double v = xyz[static_cast<std::size_t>(i) * 3 + k];
      out[2 * k] = std::min(out[2 * k], v);
      out[2 * k + 1] = std::max(out[2 * k + 1], v);
    }
  return true;
}

Bounds unite(const Bounds& a, const Bounds& b) {
  return {std::min(a[0], b[0]), std::max(a[1], b[1]), std::min(a[2], b[2]),
          std::max(a[3], b[3]), std::min(a[4], b[4]), std::max(a[5], b[5])};
}

Bounds padded(const Bounds& b) {
  double largest = 0, magnitude = 0;
  for (int k = 0; k < 3; ++k) {
    largest = std::max(largest, b[2 * k + 1] - b[2 * k]);
    magnitude = std::max({magnitude, std::abs(b[2 * k]), std::abs(b[2 * k + 1])});
  }
  // All points coincide: a box of a thousandth of their distance from the origin (at
  // least 0.5), so that the camera distance and the clipping planes stay apart.
  const double minimum = largest > 0 ? 1e-3 * largest : std::max(1e-3 * magnitude, 0.5);
  Bounds out = b;
  for (int k = 0; k < 3; ++k) {
    const double extent = b[2 * k + 1] - b[2 * k];
    if (extent < minimum) {
      const double mid = 0.5 * (b[2 * k] + b[2 * k + 1]);
      out[2 * k] = mid - 0.5 * minimum;
      out[2 * k + 1] = mid + 0.5 * minimum;
    }
  }
  return out;
}

double radius(const Bounds& b) {
  const double x = b[1] - b[0], y = b[3] - b[2], z = b[5] - b[4];
  return 0.5 * std::sqrt(x * x + y * y + z * z);
}

std::array<double, 3> center(const Bounds& b) {
  return {0.5 * (b[0] + b[1]), 0.5 * (b[2] + b[3]), 0.5 * (b[4] + b[5])};
}

bool toScreen(const double m[16], const float* p, double width, double height, double& x, double& y) {
  const double px = p[0], py = p[1], pz = p[2];
  const double w = m[12] * px + m[13] * py + m[14] * pz + m[15];
  if (!(w > 0)) return false;
  const double nz = (m[8] * px + m[9] * py + m[10] * pz + m[11]) / w;
  if (nz < -1 || nz > 1) return false;
  x = 0.5 * ((m[0] * px + m[1] * py + m[2] * pz + m[3]) / w + 1) * width;
  y = 0.5 * ((m[4] * px + m[5] * py + m[6] * pz + m[7]) / w + 1) * height;
  return true;
}

int nearestOnScreen(const float* xyz, int n, const double m[16], double width, double height, double px,
                    double py, double maxDistance, const std::vector<std::uint8_t>& hidden) {
  // A plain loop over all points: 70k points take well under a millisecond, which beats
  // building and maintaining a spatial index that every camera move would invalidate.
  int best = -1;
  double bestD2 = maxDistance * maxDistance, bestDepth = std::numeric_limits<double>::infinity();
  const double hx = 0.5 * width, hy = 0.5 * height;
  const bool anyHidden = !hidden.empty();
  for (int i = 0; i < n; ++i) {
    if (anyHidden && hidden[static_cast<std::size_t>(i)]) continue;
    const float* p = xyz + static_cast<std::size_t>(i) * 3;
    const double x = p[0], y = p[1], z = p[2];
    const double w = m[12] * x + m[13] * y + m[14] * z + m[15];
    if (!(w > 0)) continue;
    const double sx = ((m[0] * x + m[1] * y + m[2] * z + m[3]) / w + 1) * hx - px;
    const double sy = ((m[4] * x + m[5] * y + m[6] * z + m[7]) / w + 1) * hy - py;
    const double d2 = sx * sx + sy * sy;
    if (d2 > bestD2 + 1e-9) continue;
    const double depth = (m[8] * x + m[9] * y + m[10] * z + m[11]) / w;
    if (depth < -1 || depth > 1) continue;
    if (d2 < bestD2 - 1e-9 || depth < bestDepth) {
      best = i;
      bestD2 = d2;
      bestDepth = depth;
    }
  }
  return best;
}

void visiblePoints(const float* xyz, int n, const std::vector<std::uint8_t>& hidden, const double m[16],
                   int width, int height, double pointSize, CullScratch& s, std::vector<std::int32_t>& kept) {
  if (width <= 0 || height <= 0 || n <= 0) return;
  const auto pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  const auto count = static_cast<std::size_t>(n);
  constexpr double kSnap = 0.02;       // sub-pixel slack around footprint edges (llvmpipe snaps to 1/256)
  constexpr double kDepthTie = 4e-7;   // a few steps of a 24-bit depth buffer
  constexpr double kClipSlack = 1e-5;  // near/far planes: when unsure, keep
  enum : std::uint8_t { kNotDrawn, kDrawn, kOccluder };  // kDrawn: may be clipped, never an occluder
  const double half = 0.5 * pointSize;
  s.x.resize(count);
  s.y.resize(count);
  s.z.resize(count);
  s.state.resize(count);
  s.visible.resize(count);
  const bool split = s.threads > 1 && n >= 2 * kCullMinPointsPerThread;
  s.depth.resize(pixels);
  s.depth2.resize(split ? pixels : 0);
  // Pixel columns m whose centre m + 0.5 lies in [v + lo, v + hi). ceil by hand: without
  // SSE4.1 in the baseline x86-64 target, std::ceil is a libm call.
  auto ceilInt = [](double v) {
    v = std::clamp(v, -1e9, 1e9);  // off-screen points must not overflow the int
    const int t = static_cast<int>(v);
    return t + (t < v);
  };
  const double coverLo = -half + kSnap - 0.5, coverHi = half - kSnap - 0.5;  // pixels surely covered
  const double touchLo = -half - kSnap - 0.5, touchHi = half + kSnap - 0.5;  // pixels maybe touched
  // The pixel rectangle [x0, x1] x [y0, y1] of a footprint around (px, py), clipped to the view.
  struct Rect {
    int x0, x1, y0, y1;
  };
  auto footprint = [&](double px, double py, double lo, double hi) {
    return Rect{std::max(0, ceilInt(px + lo)), std::min(width - 1, ceilInt(px + hi) - 1),
                std::max(0, ceilInt(py + lo)), std::min(height - 1, ceilInt(py + hi) - 1)};
  };

  // Pass 1, on points [b, e): project, then the depth buffer from the pixels each point surely
  // covers. The projection is a loop of its own, free of branches, which the compiler can vectorise.
  auto occlusion = [&](std::size_t b, std::size_t e, float* depth) {
    std::fill(depth, depth + pixels, std::numeric_limits<float>::infinity());  // nothing surely covers it
    double* __restrict sx = s.x.data();
    double* __restrict sy = s.y.data();
    float* __restrict sz = s.z.data();
    std::uint8_t* __restrict state = s.state.data();
    const double w2 = 0.5 * width, h2 = 0.5 * height;
    for (std::size_t i = b; i < e; ++i) {
      const double x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
      const double w = m[12] * x + m[13] * y + m[14] * z + m[15];
      const double inv = 1 / w;
      const double nz = (m[8] * x + m[9] * y + m[10] * z + m[11]) * inv;
      sx[i] = ((m[0] * x + m[1] * y + m[2] * z + m[3]) * inv + 1) * w2;
      sy[i] = ((m[4] * x + m[5] * y + m[6] * z + m[7]) * inv + 1) * h2;
      sz[i] = static_cast<float>(0.5 * (nz + 1));
      const bool drawn = (w > 0) & (nz >= -1 - kClipSlack) & (nz <= 1 + kClipSlack);
      const bool occludes = (nz >= -1) & (nz <= 1);
      state[i] = drawn ? (occludes ? kOccluder : kDrawn) : kNotDrawn;
    }
    if (!hidden.empty())
      for (std::size_t i = b; i < e; ++i)
        if (hidden[i]) state[i] = kNotDrawn;
    for (std::size_t i = b; i < e; ++i) {
      if (state[i] != kOccluder) continue;
      const Rect r = footprint(sx[i], sy[i], coverLo, coverHi);
      const float d = sz[i];
      for (int py = r.y0; py <= r.y1; ++py) {
        float* row = depth + static_cast<std::size_t>(py) * static_cast<std::size_t>(width);
        for (int px = r.x0; px <= r.x1; ++px) row[px] = std::min(row[px], d);
      }
    }
  };
  // Pass 2, on points [b, e): a point may win a pixel it might touch where no nearer point
  // surely covers it (near-equal depths count as ties, which keep both points).
  auto visibility = [&](std::size_t b, std::size_t e) {
    const float* depth = s.depth.data();
    for (std::size_t i = b; i < e; ++i) {
      s.visible[i] = 0;
      if (s.state[i] == kNotDrawn) continue;
      // Where the GPU draws it: the position rounded to float, as uploaded.
      const Rect r = footprint(static_cast<float>(s.x[i]), static_cast<float>(s.y[i]), touchLo, touchHi);
      if (r.x0 > r.x1 || r.y0 > r.y1) continue;  // entirely off screen
      float farthest = -std::numeric_limits<float>::infinity();
      for (int py = r.y0; py <= r.y1; ++py) {
        const float* row = depth + static_cast<std::size_t>(py) * static_cast<std::size_t>(width);
        for (int px = r.x0; px <= r.x1; ++px) farthest = std::max(farthest, row[px]);
      }
      s.visible[i] = s.z[i] <= farthest + kDepthTie;  // also true where nothing covers it (infinity)
    }
  };

  if (split) {  // two halves of the points, each with its own depth buffer, merged by min
    const std::size_t mid = count / 2, pixelsMid = pixels / 2;
    float* a = s.depth.data();
    const float* c = s.depth2.data();
    auto merge = [&](std::size_t b, std::size_t e) {
      for (std::size_t p = b; p < e; ++p) a[p] = std::min(a[p], c[p]);
    };
    std::thread first([&] { occlusion(0, mid, s.depth2.data()); });
    occlusion(mid, count, s.depth.data());
    first.join();
    std::thread mergeFirst([&] { merge(0, pixelsMid); });
    merge(pixelsMid, pixels);
    mergeFirst.join();
    std::thread visibleFirst([&] { visibility(0, mid); });
    visibility(mid, count);
    visibleFirst.join();
  } else {
    occlusion(0, count, s.depth.data());
    visibility(0, count);
  }
  for (std::size_t i = 0; i < count; ++i)  // in index order: the draw order decides depth ties
    if (s.visible[i]) kept.push_back(static_cast<std::int32_t>(i));
}

}  // namespace centroid::ui::geometry
