// Colours of the 3-D view.
#include "ui/view/Palette.h"

#include <cmath>

namespace centroid::ui::palette {

const std::array<QColor, 10>& categorical() {
  static const std::array<QColor, 10> colors = {
      QColor(0x4e, 0x79, 0xa7),  // blue
      QColor(0xf2, 0x8e, 0x2b),  // orange
      QColor(0xe1, 0x57, 0x59),  // red
      QColor(0x76, 0xb7, 0xb2),  // teal
      QColor(0x59, 0xa1, 0x4f),  // green
      QColor(0xed, 0xc9, 0x48),  // yellow
      QColor(0xb0, 0x7a, 0xa1),  // purple
      QColor(0xff, 0x9d, 0xa7),  // pink
      QColor(0x9c, 0x75, 0x5f),  // brown
      QColor(0xba, 0xb0, 0xac),  // grey
  };
  return colors;
}

QColor labelColor(int label) {
  const auto& c = categorical();
  const int n = static_cast<int>(c.size());
  return c[static_cast<std::size_t>(((label % n) + n) % n)];
}

namespace {
QColor mix(const QColor& a, const QColor& b, double t) {
  auto lerp = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  return QColor(lerp(a.red(), b.red()), lerp(a.green(), b.green()), lerp(a.blue(), b.blue()));
}
}  // namespace

QColor clusterColor(int cluster, int clusters) {
  if (cluster < 0) return mutedForeground();
  if (clusters <= 10 || cluster < 10) return labelColor(cluster);
  if (cluster < 20) return mix(labelColor(cluster), Qt::white, 0.45);
  if (cluster < 30) return mix(labelColor(cluster), Qt::black, 0.35);
  // Golden-angle hue steps keep consecutive ids far apart on the colour wheel; alternate
  // value so that neighbours also differ in lightness.
  const double hue = std::fmod(cluster * 137.50776, 360.0);
  return QColor::fromHsvF(static_cast<float>(hue / 360.0), 0.65f, (cluster % 2) ? 0.80f : 0.60f);
}

QColor background() { return QColor(0xfb, 0xfb, 0xfa); }
QColor foreground() { return QColor(0x26, 0x28, 0x2d); }
QColor mutedForeground() { return QColor(0x8a, 0x8d, 0x94); }
QColor markerOutline() { return QColor(0x10, 0x10, 0x12); }

}  // namespace centroid::ui::palette
