// The VTK scene of the scatter view: point cloud, centroid markers, legend, texts, axes.
// Private to ui/ (ScatterView.cpp); VTK types stay in ScatterViewScene.cpp and
// ScatterViewCamera.cpp, which share ScatterViewSceneImpl.h.
#pragma once

#include <QColor>
#include <QString>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "ui/view/ScatterViewGeometry.h"
#include "ui/view/ScatterViewLegend.h"

class vtkGenericOpenGLRenderWindow;

namespace centroid::ui {

struct CentroidMarker {
  QColor fill;
  QString label;
};

// Layers (the render window gets three): 0 the points; 1 the centroid outlines, drawn after
// the depth buffer is cleared so they stay visible inside a dense cloud; 2 the centroid
// fills (on top of their outlines), their labels, the 2-D overlays and the axes inset.
// All 3-D layers share one camera.
class ScatterViewScene {
 public:
  explicit ScatterViewScene(vtkGenericOpenGLRenderWindow* window);
  ~ScatterViewScene();
  ScatterViewScene(const ScatterViewScene&) = delete;
  ScatterViewScene& operator=(const ScatterViewScene&) = delete;

  // Points. resizePoints reallocates only when n changes; positions() is the live xyz
  // buffer (n*3) that transitions write into, followed by positionsChanged().
  void resizePoints(int n);
  int pointCount() const;
  float* positions();
  const float* positions() const;
  void positionsChanged();
  std::uint8_t* colors();  // n*3 RGB
  void colorsChanged();
  // Draws only points whose hidden[i] == 0 (empty: all).
  void setHidden(const std::vector<std::uint8_t>& hidden);
  // Occlusion culling before each render (geometry::visiblePoints), only under a software
  // renderer and for large clouds; on by default. drawnPointCount: points in the last render.
  void setCulling(bool on);
  int drawnPointCount() const;

  // Centroid markers: same protocol as the points.
  void setCentroids(const std::vector<CentroidMarker>& markers);
  int centroidCount() const;
  float* centroidPositions();
  const float* centroidPositions() const;
  void centroidsChanged();

  // Overlays.
  void setLegend(const QString& title, const std::vector<LegendEntry>& entries);
  void setEpochText(const QString& text);
  void setNote(const QString& text);
  void setAxisNames(const QString& x, const QString& y, const QString& z);

  // Positions overlays and sizes points for a window of width x height device pixels;
  // scale is device pixels per logical pixel (device pixel ratio x export scale).
  void layout(int width, int height, double scale);

  // The box the camera frames and clips to (set by the view from its target positions).
  void setFitBounds(const geometry::Bounds& points, const geometry::Bounds& centroids, bool haveCentroids);
  // Looks along the thinnest axis of the fit bounds with a slight tilt and frames them.
  void resetCamera();
  // Frames the fit bounds again from the current viewing direction (follows a moving cloud).
  void refitCamera();
  // Position, focal point, view-up, view angle (ScatterView::CameraState).
  std::array<double, 10> cameraState() const;
  void setCameraState(const std::array<double, 10>& state);
  bool cameraValid() const;
  // World -> normalised device coordinates for the main renderer, row-major.
  void worldToView(double m[16], double aspect) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
