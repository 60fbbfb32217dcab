// The 3-D scatter view: one point per image, centroids as labelled markers, animated
// transitions between epochs. A widget hosting VTK in a native OpenGL window (through VtkOpenGLWidget); no
// VTK types in this header.
#pragma once

#include <QImage>
#include <QPointF>
#include <QString>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics/Types.h"
#include "ui/view/VtkOpenGLWidget.h"

namespace centroid::ui {

// Needs an OpenGL 3.2 core context: call VtkOpenGLWidget::installDefaultSurfaceFormat()
// before constructing QApplication.
class ScatterView : public VtkOpenGLWidget {
  Q_OBJECT
 public:
  enum class ColorBy { Label, Cluster };

  explicit ScatterView(QWidget* parent = nullptr);
  ~ScatterView() override;

  // The view set's labels and class names (legend). Clears any frame shown.
  void setLabels(const std::vector<std::uint8_t>& labels, const std::vector<std::string>& classNames);
  // Shows a frame. With animate, points glide from their current positions over
  // transitionMs; otherwise they jump. Frames with D > 3 are shown by their first three
  // principal axes and the view says so; D < 3 pads with zeros.
  void setFrame(const EpochFrame& frame, bool animate = true);
  void clear();

  void setColorBy(ColorBy mode);
  ColorBy colorBy() const;
  void setTransitionMs(int ms);  // default 600; 0 makes every frame jump
  int transitionMs() const;
  void setClassVisible(int label, bool visible);
  // Frames the points and follows the cloud on new frames again (until the user drags or zooms).
  void resetCamera();
  bool followsCloud() const;
  // The camera as plain numbers, for linking two views (the compare window): position, focal
  // point and view-up (three each), then the view angle in degrees.
  using CameraState = std::array<double, 10>;
  CameraState cameraState() const;
  // Takes that camera and stops following the cloud, as a user's drag does.
  void setCameraState(const CameraState& state);

  // Offscreen render of the view (legend and epoch label included) at scale x the widget's
  // size in device pixels; scale is capped so that no side exceeds 8192 pixels. Null before
  // the widget was first shown (no GL context yet).
  QImage renderImage(int scale = 1);
  // Point under a widget position (logical pixels), or -1.
  int pick(const QPoint& pos);

  // Time of the last frame's VTK Render() in milliseconds (for the benchmarks).
  double lastRenderMs() const;

  // What the view shows, for tests and tools.
  QString epochText() const;  // "epoch 7 · loss 0.123", empty without a frame
  QString noteText() const;   // e.g. "D=8: showing the first 3 principal axes ..."; may be empty
  int pointCount() const;
  bool isAnimating() const;
  std::vector<float> displayedPositions() const;  // N x 3, as drawn now (mid-transition too)
  std::vector<float> displayedCentroids() const;  // K x 3
  QPointF projectedPoint(int index) const;        // widget position (logical pixels); (-1,-1) if off screen
  bool cameraIsFinite() const;                    // camera position, focus, up and clipping range usable
  // Software rendering only (llvmpipe): before each frame, points fully hidden behind
  // nearer ones are left out of the draw call. The picture is the same pixel for pixel;
  // on by default. drawnPointCount: points sent to the last render.
  void setPointCulling(bool on);
  int drawnPointCount() const;

 signals:
  void pointHovered(int index);  // -1 when leaving a point
  void pointClicked(int index);
  void frameRendered();       // after a frame with new data or camera reached the screen
  void transitionFinished();  // an animated setFrame reached its final positions
  void cameraMoved();         // the user turned or zoomed the camera (drag, wheel)

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void leaveEvent(QEvent* e) override;
  void aboutToRender() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
