// Image checks for rendering tests: SSIM against stored baselines, colour counting, inspection dumps.
#pragma once

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QString>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace centroid::test {

// Luma of every pixel (Rec. 601 weights), row-major.
inline std::vector<double> greyscale(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  std::vector<double> out(static_cast<std::size_t>(rgb.width()) * rgb.height());
  for (int y = 0; y < rgb.height(); ++y) {
    const uchar* row = rgb.constScanLine(y);
    for (int x = 0; x < rgb.width(); ++x)
      out[static_cast<std::size_t>(y) * rgb.width() + x] =
          0.299 * row[3 * x] + 0.587 * row[3 * x + 1] + 0.114 * row[3 * x + 2];
  }
  return out;
}

// Mean structural similarity of two images on greyscale 8x8 windows (stride 4), with the
// usual constants for 8-bit data, over the windows where either image has content.
// 1 means identical (also for two blank images); sizes that differ give -1.
inline double ssim(const QImage& a, const QImage& b) {
  if (a.size() != b.size() || a.isNull()) return -1;
  const int w = a.width(), h = a.height(), win = 8, stride = 4;
  const auto ga = greyscale(a), gb = greyscale(b);
  constexpr double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
  double sum = 0;
  int windows = 0;
  for (int y0 = 0; y0 + win <= h; y0 += stride) {
    for (int x0 = 0; x0 + win <= w; x0 += stride) {
      double ma = 0, mb = 0;
      for (int y = y0; y < y0 + win; ++y)
        for (int x = x0; x < x0 + win; ++x) {
          ma += ga[static_cast<std::size_t>(y) * w + x];
          mb += gb[static_cast<std::size_t>(y) * w + x];
        }
      const double n = win * win;
      ma /= n;
      mb /= n;
      double va = 0, vb = 0, cov = 0;
      for (int y = y0; y < y0 + win; ++y)
        for (int x = x0; x < x0 + win; ++x) {
          const double da = ga[static_cast<std::size_t>(y) * w + x] - ma,
                       db = gb[static_cast<std::size_t>(y) * w + x] - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      va /= n - 1;
      vb /= n - 1;
      cov /= n - 1;
      // Windows of plain background in both images say nothing and would dilute a local
      // change (a missing legend) into the mostly empty view, so they are left out.
      if (va < 0.5 && vb < 0.5 && std::abs(ma - mb) < 0.5) continue;
      sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      ++windows;
    }
  }
  return windows ? sum / windows : 1;
}

// 1 - SSIM: 0 for identical images, growing with visible differences.
inline double dissimilarity(const QImage& a, const QImage& b) { return 1 - ssim(a, b); }

// Pixels whose every channel lies within tolerance of color, inside region (whole image when empty).
inline int countNear(const QImage& image, const QColor& color, int tolerance = 2, QRect region = {}) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  region = region.isNull() ? rgb.rect() : region.intersected(rgb.rect());
  int count = 0;
  for (int y = region.top(); y <= region.bottom(); ++y) {
    const uchar* row = rgb.constScanLine(y);
    for (int x = region.left(); x <= region.right(); ++x)
      count += std::abs(row[3 * x] - color.red()) <= tolerance &&
               std::abs(row[3 * x + 1] - color.green()) <= tolerance &&
               std::abs(row[3 * x + 2] - color.blue()) <= tolerance;
  }
  return count;
}

// Share of pixels where some channel differs by more than tolerance (sizes must match).
inline double differingFraction(const QImage& a, const QImage& b, int tolerance = 8) {
  if (a.size() != b.size() || a.isNull()) return 1;
  const QImage ra = a.convertToFormat(QImage::Format_RGB888), rb = b.convertToFormat(QImage::Format_RGB888);
  long long differing = 0;
  for (int y = 0; y < ra.height(); ++y) {
    const uchar *pa = ra.constScanLine(y), *pb = rb.constScanLine(y);
    for (int x = 0; x < 3 * ra.width(); x += 3)
      differing += std::abs(pa[x] - pb[x]) > tolerance || std::abs(pa[x + 1] - pb[x + 1]) > tolerance ||
                   std::abs(pa[x + 2] - pb[x + 2]) > tolerance;
  }
  return static_cast<double>(differing) / (static_cast<double>(ra.width()) * ra.height());
}

// Where failing tests leave their images: <temp>/centroid-test-images/<name>.png.
inline QString saveForInspection(const QImage& image, const QString& name) {
  const QString dir = QDir::temp().filePath(QStringLiteral("centroid-test-images"));
  QDir().mkpath(dir);
  const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
  image.save(path);
  return path;
}

struct BaselineCheck {
  bool ok = false;
  double metric = 1;  // dissimilarity; 1 when there was nothing to compare
  QString message;    // why it failed and where to look
};

// Compares image with the PNG at baselinePath. A missing baseline is written from image
// and reported as a failure (review it, then commit it); a mismatch writes the actual
// image next to the temp folder's other dumps and names both files.
inline BaselineCheck compareWithBaseline(const QImage& image, const QString& baselinePath, double threshold,
                                         const QString& name) {
  BaselineCheck r;
  if (!QFileInfo::exists(baselinePath)) {
    QDir().mkpath(QFileInfo(baselinePath).absolutePath());
    image.save(baselinePath);
    r.message = QStringLiteral("no baseline: wrote %1 from this run; check it by eye and commit it")
                    .arg(baselinePath);
    return r;
  }
  const QImage baseline(baselinePath);
  if (baseline.size() != image.size()) {
    r.message = QStringLiteral("size %1x%2 differs from baseline %3 (%4x%5); actual image: %6")
                    .arg(image.width())
                    .arg(image.height())
                    .arg(baselinePath)
                    .arg(baseline.width())
                    .arg(baseline.height())
                    .arg(saveForInspection(image, name));
    return r;
  }
  r.metric = dissimilarity(image, baseline);
  r.ok = r.metric <= threshold;
  if (!r.ok)
    r.message = QStringLiteral("dissimilarity %1 > %2 against %3; actual image: %4")
                    .arg(r.metric, 0, 'g', 4)
                    .arg(threshold)
                    .arg(baselinePath)
                    .arg(saveForInspection(image, name));
  return r;
}

}  // namespace centroid::test
