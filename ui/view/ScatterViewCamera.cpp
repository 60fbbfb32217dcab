// Camera, clipping and occlusion culling of the scatter view's scene.
#include <vtkCamera.h>
#include <vtkMatrix4x4.h>
#include <vtkOpenGLState.h>
#include <vtkPointData.h>
#include <vtkProperty.h>

#include <QOpenGLContext>
#include <algorithm>
#include <array>
#include <cmath>

#include "ui/view/GLSupport.h"
#include "ui/view/ScatterViewSceneImpl.h"

namespace centroid::ui {
namespace {
constexpr int kCullMinPoints = 10000;  // below this, culling saves less than it costs

// The camera's world-to-view matrix, row-major, for a view of the given aspect.
void worldToViewMatrix(vtkRenderer* layer, double aspect, double m[16]) {
  vtkMatrix4x4* mat = layer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(aspect, -1, 1);
  for (int i = 0; i < 16; ++i) m[i] = mat->GetElement(i / 4, i % 4);
}

double aspectOf(const int* size) { return static_cast<double>(size[0]) / std::max(1, size[1]); }
}  // namespace

void ScatterViewScene::setHidden(const std::vector<std::uint8_t>& hidden) {
  d->hidden = hidden;
  d->drawAllVisible();
}

void ScatterViewScene::setCulling(bool on) {
  d->cullingEnabled = on;
  if (!on) d->drawAllVisible();
}

int ScatterViewScene::drawnPointCount() const { return d->drawn; }

void ScatterViewScene::Impl::drawAllVisible() {
  const int n = static_cast<int>(xyz->GetNumberOfTuples());
  drawn = static_cast<int>(
      setVertices(verts, n, [&](int i) { return hidden.empty() || !hidden[static_cast<std::size_t>(i)]; }));
  cloud->SetPoints(points);
  cloud->GetPointData()->SetScalars(rgb);
  cloud->Modified();
  culled = false;
}

bool ScatterViewScene::Impl::softwareRenderer() {
  if (software < 0) {
    if (!QOpenGLContext::currentContext()) return false;  // no context yet: ask again next time
    software = softwareOpenGL() ? 1 : 0;
  }
  return software == 1;
}

// Runs with the final camera of this frame, just before the cloud layer draws.
void ScatterViewScene::Impl::cull(const double m[16]) {
  const int n = static_cast<int>(xyz->GetNumberOfTuples());
  if (!cullingEnabled || n < kCullMinPoints || !softwareRenderer()) {
    if (culled) drawAllVisible();
    return;
  }
  const int* size = window->GetSize();
  kept.clear();
  geometry::visiblePoints(xyz->GetPointer(0), n, hidden, m, size[0], size[1],
                          cloudActor->GetProperty()->GetPointSize(), scratch, kept);
  const auto k = static_cast<vtkIdType>(kept.size());
  keptXyz->SetNumberOfTuples(k);
  keptRgba->SetNumberOfTuples(k);
  const float* from = xyz->GetPointer(0);
  const std::uint8_t* colour = rgb->GetPointer(0);
  float* to = keptXyz->GetPointer(0);
  std::uint8_t* rgba = keptRgba->GetPointer(0);
  for (const std::int32_t i : kept) {  // in index order, as drawn before: the order decides depth ties
    const auto at = static_cast<std::size_t>(i);
    std::copy_n(from + 3 * at, 3, to);
    std::copy_n(colour + 3 * at, 3, rgba);
    rgba[3] = 255;
    to += 3;
    rgba += 4;
  }
  keptXyz->Modified();
  keptRgba->Modified();
  drawn = static_cast<int>(setVertices(verts, static_cast<int>(k), [](int) { return true; }));
  if (cloud->GetPoints() != keptPoints.Get()) {
    cloud->SetPoints(keptPoints);
    cloud->GetPointData()->SetScalars(keptRgba);
  }
  cloud->Modified();
  culled = true;
}

void ScatterViewScene::setFitBounds(const geometry::Bounds& points, const geometry::Bounds& centroids,
                                    bool haveCentroids) {
  d->fit = geometry::padded(points);
  // Clip to the cloud plus the centroids near it. A centroid that flew off to 1e6 would
  // otherwise push the far plane out and, through VTK's near/far ratio, the near plane
  // past the whole cloud.
  geometry::Bounds clip = d->fit;
  if (haveCentroids) {
    const double reach = 20 * geometry::radius(d->fit);
    const auto c = geometry::center(d->fit);
    geometry::Bounds limited = centroids;
    for (int k = 0; k < 3; ++k) {
      limited[2 * k] = std::clamp(limited[2 * k], c[k] - reach, c[k] + reach);
      limited[2 * k + 1] = std::clamp(limited[2 * k + 1], c[k] - reach, c[k] + reach);
    }
    clip = geometry::unite(clip, limited);
  }
  d->clip = clip;
}

void ScatterViewScene::resetCamera() {
  const geometry::Bounds& b = d->fit;
  std::array<int, 3> order{0, 1, 2};  // thinnest axis first
  std::sort(order.begin(), order.end(),
            [&](int a, int c) { return b[2 * a + 1] - b[2 * a] < b[2 * c + 1] - b[2 * c]; });
  const auto center = geometry::center(b);
  double dir[3] = {0, 0, 0}, up[3] = {0, 0, 0};
  dir[order[0]] = 1;
  up[order[1]] = 1;
  vtkCamera* cam = d->cloudLayer->GetActiveCamera();
  cam->SetFocalPoint(center.data());
  cam->SetPosition(center[0] + dir[0], center[1] + dir[1], center[2] + dir[2]);
  cam->SetViewUp(up);
  cam->SetViewAngle(30);
  // A slight tilt shows depth without hiding the two wide axes.
  cam->Azimuth(25);
  cam->Elevation(15);
  cam->OrthogonalizeViewUp();
  d->cloudLayer->ResetCamera(b.data());
  cam->Zoom(1.25);  // ResetCamera frames the bounding sphere, leaving a wide margin
  d->cloudLayer->ResetCameraClippingRange(d->clip.data());
}

void ScatterViewScene::refitCamera() {
  // vtkRenderer::ResetCamera(bounds) keeps the direction of projection and the view-up.
  d->cloudLayer->ResetCamera(d->fit.data());
  // Less zoom than resetCamera: a long ribbon fills the bounding sphere, which ResetCamera fits
  // to the shorter side of the view.
  d->cloudLayer->GetActiveCamera()->Zoom(1.05);
  d->cloudLayer->ResetCameraClippingRange(d->clip.data());
}

std::array<double, 10> ScatterViewScene::cameraState() const {
  vtkCamera* cam = d->cloudLayer->GetActiveCamera();
  std::array<double, 10> s{};
  cam->GetPosition(&s[0]);
  cam->GetFocalPoint(&s[3]);
  cam->GetViewUp(&s[6]);
  s[9] = cam->GetViewAngle();
  return s;
}

void ScatterViewScene::setCameraState(const std::array<double, 10>& s) {
  vtkCamera* cam = d->cloudLayer->GetActiveCamera();
  cam->SetPosition(&s[0]);
  cam->SetFocalPoint(&s[3]);
  cam->SetViewUp(&s[6]);
  cam->SetViewAngle(s[9]);
  d->cloudLayer->ResetCameraClippingRange(d->clip.data());
}

bool ScatterViewScene::cameraValid() const {
  vtkCamera* cam = d->cloudLayer->GetActiveCamera();
  double p[3], f[3], u[3], r[2];
  cam->GetPosition(p);
  cam->GetFocalPoint(f);
  cam->GetViewUp(u);
  cam->GetClippingRange(r);
  for (double v : {p[0], p[1], p[2], f[0], f[1], f[2], u[0], u[1], u[2], r[0], r[1]})
    if (!std::isfinite(v)) return false;
  const double dist = std::hypot(p[0] - f[0], p[1] - f[1], p[2] - f[2]);
  return dist > 0 && std::hypot(u[0], u[1], u[2]) > 0 && r[0] > 0 && r[1] > r[0];
}

void ScatterViewScene::worldToView(double m[16], double aspect) const {
  worldToViewMatrix(d->cloudLayer, aspect, m);
}

void ScatterViewScene::Impl::onCloudLayerStart(vtkObject*, unsigned long, void*) {
  vtkCamera* cam = cloudLayer->GetActiveCamera();
  double p[3], f[3];
  cam->GetPosition(p);
  cam->GetFocalPoint(f);
  bool finite = true;
  for (double v : {p[0], p[1], p[2], f[0], f[1], f[2]}) finite = finite && std::isfinite(v);
  if (!finite) {  // never let one bad frame leave the user with a blank view
    cam->SetPosition(0, 0, 1);
    cam->SetFocalPoint(0, 0, 0);
    cam->SetViewUp(0, 1, 0);
    cloudLayer->ResetCamera(fit.data());
  }
  // The interaction style resets the clipping range from layer 0's props only; the
  // centroid layers share this camera, so clip to the box that holds them too.
  cloudLayer->ResetCameraClippingRange(clip.data());
  const int* size = window->GetSize();
  double m[16];
  worldToViewMatrix(cloudLayer, aspectOf(size), m);
  cull(m);
  labels->place(m, size[0], size[1], window->GetDPI());
  syncAxesCamera();
}

void ScatterViewScene::Impl::syncAxesCamera() {
  vtkCamera* main = cloudLayer->GetActiveCamera();
  vtkCamera* cam = axesInset->GetActiveCamera();
  double dop[3];
  main->GetDirectionOfProjection(dop);
  const double c = 0.45;  // the axes span 0..1 (+ labels): centre them in the inset
  cam->SetFocalPoint(c, c, c);
  cam->SetPosition(c - 5 * dop[0], c - 5 * dop[1], c - 5 * dop[2]);
  cam->SetViewUp(main->GetViewUp());
  cam->SetParallelScale(0.95);
  cam->SetClippingRange(1, 10);
  // The inset's viewport in pixels (VTK rounds it so) and its camera's projection for it.
  const int* size = window->GetSize();
  const double* vp = axesInset->GetViewport();
  const int w =
      static_cast<int>(std::lround(vp[2] * size[0])) - static_cast<int>(std::lround(vp[0] * size[0]));
  const int h =
      static_cast<int>(std::lround(vp[3] * size[1])) - static_cast<int>(std::lround(vp[1] * size[1]));
  double m[16];
  worldToViewMatrix(axesInset, static_cast<double>(w) / std::max(1, h), m);
  axisLabels->place(m, w, h, window->GetDPI());
}

}  // namespace centroid::ui
