// The 3-D scatter view: one point per image, centroids as labelled markers, animated
// transitions between epochs. A QOpenGLWidget hosting VTK; no VTK types in this header.
#pragma once

#include <QImage>
#include <QOpenGLWidget>
#include <memory>
#include <string>
#include <vector>

#include "core/Types.h"

namespace centroid::ui {

class ScatterView : public QOpenGLWidget {
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
  void setTransitionMs(int ms);
  void setClassVisible(int label, bool visible);
  void resetCamera();

  // Offscreen render of the view (legend and epoch label included) at scale x the widget size.
  QImage renderImage(int scale = 1);
  // Point under a widget position (logical pixels), or -1.
  int pick(const QPoint& pos);

  // Time of the last frame's VTK Render() in milliseconds (for the benchmarks).
  double lastRenderMs() const;

 signals:
  void pointHovered(int index);   // -1 when leaving a point
  void pointClicked(int index);
  void frameRendered();           // after a frame with new data or camera reached the screen

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
