// The 3-D scatter view: frames to positions and colours, transitions, picking, export.
#include "ui/view/ScatterView.h"

#include <QMouseEvent>
#include <QVariantAnimation>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "ui/view/Palette.h"
#include "ui/view/ScatterViewGeometry.h"
#include "ui/view/ScatterViewScene.h"

namespace centroid::ui {
namespace {

constexpr double kPickRadiusPx = 5;       // "under the cursor": a few logical pixels
constexpr int kClickSlopPx = 3;           // a press and release closer than this is a click
constexpr double kFarCentroidRadii = 20;  // centroids beyond this many cloud radii are "far"
constexpr int kMaxExportPx = 8192;        // longest side of an exported image

using Rgb = std::array<std::uint8_t, 3>;
Rgb rgb(const QColor& c) {
  return {static_cast<std::uint8_t>(c.red()), static_cast<std::uint8_t>(c.green()),
          static_cast<std::uint8_t>(c.blue())};
}

}  // namespace

struct ScatterView::Impl {
  explicit Impl(ScatterView* owner) : self(owner), scene(owner->renderWindow()) {}

  ScatterView* self;
  ScatterViewScene scene;
  std::vector<std::uint8_t> labels;
  std::vector<std::string> classNames;
  ColorBy colorBy = ColorBy::Label;
  int transitionMs = 600;
  std::array<std::uint8_t, 256> hiddenLabels{};
  std::vector<std::uint8_t> hiddenPoints;  // empty while every class is visible
  std::vector<std::int32_t> assignments;
  int clusters = 0;
  std::vector<int> clusterSizes;
  geometry::Projection projection;
  std::vector<float> fromPoints, toPoints, fromCentroids, toCentroids;
  QVariantAnimation transition;
  bool haveFrame = false, cameraFitted = false;
  // The camera follows the cloud from epoch to epoch until the user turns or zooms it;
  // Reset View follows again. Without this the moving cloud drifts out of view.
  bool followCloud = true, refitPending = false;
  QString epochText, noteText;
  int hovered = -1;
  QPoint pressPos;
  bool pressed = false;

  int pointCount() const { return scene.pointCount(); }

  // Writes from + (to - from) * t into the live VTK arrays: no reallocation, one upload.
  void applyTransition(double t) {
    auto blend = [t](const std::vector<float>& from, const std::vector<float>& to, float* out) {
      if (t >= 1.0 || from.size() != to.size()) {
        std::copy(to.begin(), to.end(), out);  // exact final positions, not 1.0-rounded ones
        return;
      }
      const auto ft = static_cast<float>(t);
      for (std::size_t i = 0; i < to.size(); ++i) out[i] = from[i] + (to[i] - from[i]) * ft;
    };
    blend(fromPoints, toPoints, scene.positions());
    blend(fromCentroids, toCentroids, scene.centroidPositions());
    scene.positionsChanged();
    scene.centroidsChanged();
    self->requestRender();
  }

  // Re-uploads colours only when they changed: by label they stay the same every epoch.
  void updateColors() {
    const int n = pointCount();
    std::uint8_t* out = scene.colors();
    const std::vector<std::uint8_t> before(out, out + 3 * static_cast<std::size_t>(n));
    const Rgb unknown = rgb(palette::mutedForeground());
    if (colorBy == ColorBy::Label) {
      std::array<Rgb, 256> lut;
      for (int l = 0; l < 256; ++l) lut[static_cast<std::size_t>(l)] = rgb(palette::labelColor(l));
      for (int i = 0; i < n; ++i) {
        const Rgb& c =
            static_cast<std::size_t>(i) < labels.size() ? lut[labels[static_cast<std::size_t>(i)]] : unknown;
        std::memcpy(out + 3 * static_cast<std::size_t>(i), c.data(), 3);
      }
    } else {
      std::vector<Rgb> lut(static_cast<std::size_t>(std::max(clusters, 0)));
      for (int k = 0; k < clusters; ++k)
        lut[static_cast<std::size_t>(k)] = rgb(palette::clusterColor(k, clusters));
      for (int i = 0; i < n; ++i) {
        const int a =
            static_cast<std::size_t>(i) < assignments.size() ? assignments[static_cast<std::size_t>(i)] : -1;
        const Rgb& c = (a >= 0 && a < clusters) ? lut[static_cast<std::size_t>(a)] : unknown;
        std::memcpy(out + 3 * static_cast<std::size_t>(i), c.data(), 3);
      }
    }
    if (!std::equal(before.begin(), before.end(), out)) scene.colorsChanged();
  }

  void updateHidden() {
    const bool any =
        std::any_of(hiddenLabels.begin(), hiddenLabels.end(), [](std::uint8_t h) { return h != 0; });
    hiddenPoints.clear();
    if (any) {
      hiddenPoints.resize(static_cast<std::size_t>(pointCount()), 0);
      for (std::size_t i = 0; i < hiddenPoints.size() && i < labels.size(); ++i)
        hiddenPoints[i] = hiddenLabels[labels[i]];
    }
    scene.setHidden(hiddenPoints);
  }

  void updateLegend() {
    std::vector<LegendEntry> entries;
    if (colorBy == ColorBy::Label) {
      int classes = static_cast<int>(classNames.size());
      if (classes == 0 && !labels.empty()) classes = *std::max_element(labels.begin(), labels.end()) + 1;
      for (int l = 0; l < std::min(classes, 256); ++l) {
        const QString name = l < static_cast<int>(classNames.size())
                                 ? QString::fromStdString(classNames[static_cast<std::size_t>(l)])
                                 : QString::number(l);
        entries.push_back({name, palette::labelColor(l), hiddenLabels[static_cast<std::size_t>(l)] != 0});
      }
      scene.setLegend(QStringLiteral("label"), entries);
    } else {
      for (int k = 0; k < clusters; ++k) {
        const bool empty =
            k < static_cast<int>(clusterSizes.size()) && clusterSizes[static_cast<std::size_t>(k)] == 0;
        entries.push_back(
            {QStringLiteral("cluster %1%2").arg(k).arg(empty ? QStringLiteral(" (empty)") : QString()),
             palette::clusterColor(k, clusters), empty});
      }
      scene.setLegend(QStringLiteral("cluster"), entries);
    }
  }

  void updateMarkers() {
    const int k = static_cast<int>(toCentroids.size() / 3);
    std::vector<CentroidMarker> markers(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) {
      const bool empty =
          c < static_cast<int>(clusterSizes.size()) && clusterSizes[static_cast<std::size_t>(c)] == 0;
      auto& m = markers[static_cast<std::size_t>(c)];
      // Label mode: neutral white markers so they do not read as a digit's colour.
      m.fill = empty                         ? palette::mutedForeground()
               : colorBy == ColorBy::Cluster ? palette::clusterColor(c, clusters)
                                             : QColor(Qt::white);
      m.label = QString::number(c);  // "(empty)" on each would clutter a collapse; the note counts them
    }
    scene.setCentroids(markers);
  }

  void updateBounds() {
    geometry::Bounds pts{-1, 1, -1, 1, -1, 1}, cen{};
    const int n = pointCount();
    if (geometry::bounds(toPoints.data(), n, pts) && fromPoints.size() == toPoints.size()) {
      geometry::Bounds from;
      geometry::bounds(fromPoints.data(), n, from);  // clip to the whole transition
      pts = geometry::unite(pts, from);
    }
    const int k = static_cast<int>(toCentroids.size() / 3);
    const bool haveCentroids = geometry::bounds(toCentroids.data(), k, cen);
    scene.setFitBounds(pts, cen, haveCentroids);
  }

  QString describe(const EpochFrame& f) const {
    QStringList lines;
    if (f.dim > 3) {
      const auto& e = projection.explained;
      lines << QStringLiteral("D=%1: showing the first 3 principal axes (%2% of the variance)")
                   .arg(f.dim)
                   .arg(std::lround(100 * (e[0] + e[1] + e[2])));
    } else if (f.dim < 3) {
      lines << QStringLiteral("D=%1: shown with zeros for the missing axes").arg(f.dim);
    }
    const int empty = static_cast<int>(std::count(clusterSizes.begin(), clusterSizes.end(), 0));
    if (empty > 0) lines << QStringLiteral("%1 of %2 clusters empty (grey markers)").arg(empty).arg(clusters);
    geometry::Bounds b;
    const int n = pointCount();
    if (geometry::bounds(toPoints.data(), n, b)) {
      const auto c = geometry::center(b);
      const double reach = kFarCentroidRadii * std::max(geometry::radius(geometry::padded(b)), 1e-30);
      int far = 0;
      for (std::size_t i = 0; i + 2 < toCentroids.size(); i += 3)
        far +=
            std::hypot(toCentroids[i] - c[0], toCentroids[i + 1] - c[1], toCentroids[i + 2] - c[2]) > reach;
      if (far > 0)
        lines << QStringLiteral("%1 centroid%2 far outside the cloud").arg(far).arg(far > 1 ? "s" : "");
    }
    return lines.join('\n');
  }

  // Before every VTK render (on screen or export) of a width x height device-pixel window.
  void prepareRender(int width, int height, double scale) {
    scene.layout(width, height, scale);
    if (haveFrame && !cameraFitted) {
      scene.resetCamera();
      cameraFitted = true;
    } else if (haveFrame && refitPending) {
      scene.refitCamera();
    }
    refitPending = false;
  }

  void setHovered(int index) {
    if (index == hovered) return;
    hovered = index;
    emit self->pointHovered(index);
  }
};

ScatterView::ScatterView(QWidget* parent) : VtkOpenGLWidget(parent), d(std::make_unique<Impl>(this)) {
  d->transition.setStartValue(0.0);
  d->transition.setEndValue(1.0);
  d->transition.setEasingCurve(QEasingCurve::InOutCubic);
  connect(&d->transition, &QVariantAnimation::valueChanged, this,
          [this](const QVariant& v) { d->applyTransition(v.toDouble()); });
  connect(&d->transition, &QVariantAnimation::finished, this, [this] {
    d->applyTransition(1.0);
    emit transitionFinished();
  });
  connect(this, &VtkOpenGLWidget::vtkFrameSwapped, this, &ScatterView::frameRendered);
  d->scene.setAxisNames("x", "y", "z");
  d->updateLegend();
}

ScatterView::~ScatterView() { d->transition.stop(); }

void ScatterView::setLabels(const std::vector<std::uint8_t>& labels,
                            const std::vector<std::string>& classNames) {
  d->labels = labels;
  d->classNames = classNames;
  d->hiddenLabels.fill(0);
  clear();
}

void ScatterView::setFrame(const EpochFrame& frame, bool animate) {
  const int dim = frame.dim;
  if (dim <= 0) {
    clear();
    return;
  }
  const int n = frame.points();
  const int k = static_cast<int>(frame.centroids.size()) / dim;
  d->projection = geometry::fitProjection(frame.embedding.data(), n, dim,
                                          d->projection.dim == dim ? &d->projection : nullptr);
  std::vector<float> points(static_cast<std::size_t>(n) * 3), centroids(static_cast<std::size_t>(k) * 3);
  geometry::project(d->projection, frame.embedding.data(), n, points.data());
  geometry::project(d->projection, frame.centroids.data(), k, centroids.data());

  const bool glide =
      animate && d->transitionMs > 0 && d->haveFrame && n == d->pointCount() && k == d->scene.centroidCount();
  d->transition.stop();
  if (glide) {  // start from what is on screen, even mid-transition
    d->fromPoints.assign(d->scene.positions(), d->scene.positions() + points.size());
    d->fromCentroids.assign(d->scene.centroidPositions(), d->scene.centroidPositions() + centroids.size());
  } else {
    d->fromPoints.clear();
    d->fromCentroids.clear();
  }
  d->toPoints = std::move(points);
  d->toCentroids = std::move(centroids);

  const bool resized = n != d->pointCount();
  d->scene.resizePoints(n);
  if (resized) d->updateHidden();
  d->assignments = frame.assignments;
  d->clusters = std::max(frame.clusters, k);
  d->clusterSizes.assign(static_cast<std::size_t>(d->clusters), 0);
  for (std::int32_t a : d->assignments)
    if (a >= 0 && a < d->clusters) ++d->clusterSizes[static_cast<std::size_t>(a)];
  d->updateColors();
  d->updateMarkers();
  d->updateLegend();
  d->updateBounds();

  d->epochText = QStringLiteral("epoch %1 · loss %2").arg(frame.epoch).arg(frame.loss, 0, 'g', 4);
  d->noteText = d->describe(frame);
  d->scene.setEpochText(d->epochText);
  d->scene.setNote(d->noteText);
  if (d->projection.isPca()) d->scene.setAxisNames("PC1", "PC2", "PC3");
  else d->scene.setAxisNames("x", "y", "z");
  d->haveFrame = true;
  d->refitPending = d->followCloud;

  if (glide) {
    d->transition.setDuration(d->transitionMs);
    d->transition.start();
  } else {
    d->applyTransition(1.0);
  }
  requestRender();  // the first frame's camera fit waits for prepareRender: it needs the final size
}

void ScatterView::clear() {
  d->transition.stop();
  d->scene.resizePoints(0);
  d->toPoints.clear();
  d->toCentroids.clear();
  d->fromPoints.clear();
  d->fromCentroids.clear();
  d->scene.setCentroids({});
  d->assignments.clear();
  d->clusters = 0;
  d->clusterSizes.clear();
  d->projection = {};
  d->epochText.clear();
  d->noteText.clear();
  d->scene.setEpochText({});
  d->scene.setNote({});
  d->updateHidden();
  d->updateLegend();
  d->haveFrame = false;
  d->cameraFitted = false;
  d->setHovered(-1);
  requestRender();
}

void ScatterView::setColorBy(ColorBy mode) {
  if (mode == d->colorBy) return;
  d->colorBy = mode;
  d->updateColors();
  d->updateMarkers();
  d->updateLegend();
  requestRender();
}

ScatterView::ColorBy ScatterView::colorBy() const { return d->colorBy; }
void ScatterView::setTransitionMs(int ms) { d->transitionMs = std::max(0, ms); }
int ScatterView::transitionMs() const { return d->transitionMs; }

void ScatterView::setClassVisible(int label, bool visible) {
  if (label < 0 || label > 255 || (d->hiddenLabels[static_cast<std::size_t>(label)] == 0) == visible) return;
  d->hiddenLabels[static_cast<std::size_t>(label)] = visible ? 0 : 1;
  d->updateHidden();
  d->updateLegend();
  requestRender();
}

bool ScatterView::followsCloud() const { return d->followCloud; }
ScatterView::CameraState ScatterView::cameraState() const { return d->scene.cameraState(); }

void ScatterView::setCameraState(const CameraState& state) {
  d->followCloud = false;
  d->refitPending = false;
  d->cameraFitted = true;  // a first frame must not refit over the camera given here
  d->scene.setCameraState(state);
  requestRender();
}

void ScatterView::resetCamera() {
  d->followCloud = true;
  d->cameraFitted = false;  // fitted at the next render, for the size the view has then
  requestRender();
}

QImage ScatterView::renderImage(int scale) {
  const QSize dev = deviceSize();
  const double dpr = devicePixelRatioF();
  // llvmpipe and most GPUs allow 16384-pixel framebuffers; 8192 keeps the buffers of an
  // export under a gigabyte.
  scale = std::clamp(scale, 1, std::max(1, kMaxExportPx / std::max(dev.width(), dev.height())));
  const QSize size = dev * scale;
  return renderOffscreen(size, scale, [&] { d->prepareRender(size.width(), size.height(), dpr * scale); });
}

int ScatterView::pick(const QPoint& pos) {
  if (!d->haveFrame || d->pointCount() == 0) return -1;
  const QSize dev = deviceSize();
  const double dpr = devicePixelRatioF();
  double m[16];
  d->scene.worldToView(m, static_cast<double>(dev.width()) / dev.height());
  const double px = (pos.x() + 0.5) * dpr, py = dev.height() - (pos.y() + 0.5) * dpr;
  return geometry::nearestOnScreen(d->scene.positions(), d->pointCount(), m, dev.width(), dev.height(), px,
                                   py, kPickRadiusPx * dpr, d->hiddenPoints);
}

QPointF ScatterView::projectedPoint(int index) const {
  if (index < 0 || index >= d->pointCount()) return {-1, -1};
  const QSize dev = deviceSize();
  const double dpr = devicePixelRatioF();
  double m[16], x = 0, y = 0;
  d->scene.worldToView(m, static_cast<double>(dev.width()) / dev.height());
  if (!geometry::toScreen(m, d->scene.positions() + 3 * static_cast<std::size_t>(index), dev.width(),
                          dev.height(), x, y))
    return {-1, -1};
  return {x / dpr - 0.5, (dev.height() - y) / dpr - 0.5};
}

double ScatterView::lastRenderMs() const { return lastVtkRenderMs(); }
QString ScatterView::epochText() const { return d->epochText; }
QString ScatterView::noteText() const { return d->noteText; }
int ScatterView::pointCount() const { return d->pointCount(); }
bool ScatterView::isAnimating() const { return d->transition.state() == QAbstractAnimation::Running; }
bool ScatterView::cameraIsFinite() const { return d->scene.cameraValid(); }
int ScatterView::drawnPointCount() const { return d->scene.drawnPointCount(); }

void ScatterView::setPointCulling(bool on) {
  d->scene.setCulling(on);
  requestRender();
}

std::vector<float> ScatterView::displayedPositions() const {
  return {d->scene.positions(), d->scene.positions() + 3 * static_cast<std::size_t>(d->pointCount())};
}

std::vector<float> ScatterView::displayedCentroids() const {
  return {d->scene.centroidPositions(),
          d->scene.centroidPositions() + 3 * static_cast<std::size_t>(d->scene.centroidCount())};
}

void ScatterView::initializeGL() { VtkOpenGLWidget::initializeGL(); }
void ScatterView::resizeGL(int w, int h) { VtkOpenGLWidget::resizeGL(w, h); }
void ScatterView::paintGL() { VtkOpenGLWidget::paintGL(); }

void ScatterView::aboutToRender() {
  const QSize dev = deviceSize();
  d->prepareRender(dev.width(), dev.height(), devicePixelRatioF());
}

void ScatterView::mousePressEvent(QMouseEvent* e) {
  d->pressPos = e->position().toPoint();
  d->pressed = true;
  d->setHovered(-1);  // dragging rotates; the tooltip would lag behind
  VtkOpenGLWidget::mousePressEvent(e);
}

void ScatterView::mouseReleaseEvent(QMouseEvent* e) {
  VtkOpenGLWidget::mouseReleaseEvent(e);
  const QPoint pos = e->position().toPoint();
  if (e->button() == Qt::LeftButton && d->pressed && (pos - d->pressPos).manhattanLength() <= kClickSlopPx) {
    const int index = pick(pos);
    if (index >= 0) emit pointClicked(index);
  }
  d->pressed = false;
}

void ScatterView::mouseMoveEvent(QMouseEvent* e) {
  VtkOpenGLWidget::mouseMoveEvent(e);
  if (e->buttons() == Qt::NoButton) d->setHovered(pick(e->position().toPoint()));
  else {
    d->followCloud = false;  // a drag: the user takes the camera
    emit cameraMoved();
  }
}

void ScatterView::wheelEvent(QWheelEvent* e) {
  d->followCloud = false;
  VtkOpenGLWidget::wheelEvent(e);
  emit cameraMoved();
}

void ScatterView::leaveEvent(QEvent* e) {
  VtkOpenGLWidget::leaveEvent(e);
  d->setHovered(-1);
}

}  // namespace centroid::ui
