// Plain C++ geometry behind the scatter view.
#include "ui/view/ScatterViewGeometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace centroid::ui::geometry {
namespace {

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
  s.depth.assign(pixels, std::numeric_limits<float>::infinity());  // infinity: nothing surely covers it
  s.screen.resize(static_cast<std::size_t>(n) * 3);
  constexpr double kSnap = 0.02;       // sub-pixel slack around footprint edges (llvmpipe snaps to 1/256)
  constexpr double kDepthTie = 4e-7;   // a few steps of a 24-bit depth buffer
  constexpr double kClipSlack = 1e-5;  // near/far planes: when unsure, keep
  const double half = 0.5 * pointSize;
  // Pixel columns m whose centre m + 0.5 lies in [lo, hi). ceil by hand: without SSE4.1 in
  // the baseline x86-64 target, std::ceil is a libm call, and this runs 8 times a point.
  auto ceilInt = [](double v) {
    v = std::clamp(v, -1e9, 1e9);  // off-screen points must not overflow the int
    const int t = static_cast<int>(v);
    return t < v ? t + 1 : t;
  };
  auto span = [&](double lo, double hi, int size, int& first, int& last) {
    first = std::max(0, ceilInt(lo - 0.5));
    last = std::min(size - 1, ceilInt(hi - 0.5) - 1);
    return first <= last;
  };
  const bool anyHidden = !hidden.empty();

  // Pass 1: the depth buffer, from the pixels each point surely covers.
  for (int i = 0; i < n; ++i) {
    float* out = &s.screen[static_cast<std::size_t>(i) * 3];
    out[2] = std::numeric_limits<float>::quiet_NaN();
    if (anyHidden && hidden[static_cast<std::size_t>(i)]) continue;
    const float* p = xyz + static_cast<std::size_t>(i) * 3;
    const double x = p[0], y = p[1], z = p[2];
    const double w = m[12] * x + m[13] * y + m[14] * z + m[15];
    if (!(w > 0)) continue;
    const double inv = 1 / w;
    const double nz = (m[8] * x + m[9] * y + m[10] * z + m[11]) * inv;
    if (!(nz >= -1 - kClipSlack && nz <= 1 + kClipSlack)) continue;
    const double sx = 0.5 * ((m[0] * x + m[1] * y + m[2] * z + m[3]) * inv + 1) * width;
    const double sy = 0.5 * ((m[4] * x + m[5] * y + m[6] * z + m[7]) * inv + 1) * height;
    const double zw = 0.5 * (nz + 1);
    out[0] = static_cast<float>(sx);
    out[1] = static_cast<float>(sy);
    out[2] = static_cast<float>(zw);
    if (nz < -1 || nz > 1) continue;  // may be clipped: never an occluder
    int x0, x1, y0, y1;
    if (!span(sx - half + kSnap, sx + half - kSnap, width, x0, x1) ||
        !span(sy - half + kSnap, sy + half - kSnap, height, y0, y1))
      continue;
    const auto depth = static_cast<float>(zw);
    for (int py = y0; py <= y1; ++py) {
      const std::size_t row = static_cast<std::size_t>(py) * width;
      for (int px = x0; px <= x1; ++px) s.depth[row + px] = std::min(s.depth[row + px], depth);
    }
  }
  // Pass 2: keep a point if it may win any pixel it might touch.
  for (int i = 0; i < n; ++i) {
    const float* q = &s.screen[static_cast<std::size_t>(i) * 3];
    if (std::isnan(q[2])) continue;
    int x0, x1, y0, y1;
    if (!span(q[0] - half - kSnap, q[0] + half + kSnap, width, x0, x1) ||
        !span(q[1] - half - kSnap, q[1] + half + kSnap, height, y0, y1))
      continue;  // entirely off screen
    bool visible = false;
    for (int py = y0; py <= y1 && !visible; ++py) {
      const std::size_t row = static_cast<std::size_t>(py) * width;
      for (int px = x0; px <= x1 && !visible; ++px)
        visible = q[2] <= s.depth[row + px] + kDepthTie;  // also true where nothing covers it
    }
    if (visible) kept.push_back(i);
  }
}

}  // namespace centroid::ui::geometry
