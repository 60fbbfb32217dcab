// Qt6 <-> VTK bridge: a widget whose native OpenGL child window drives a
// vtkGenericOpenGLRenderWindow (no VTK includes here).
#pragma once

#include <QImage>
#include <QSurfaceFormat>
#include <QWidget>
#include <functional>
#include <memory>

// Forward declarations only, so that including this header needs no VTK include path.
class vtkGenericOpenGLRenderWindow;
class vtkRenderWindowInteractor;

namespace centroid::ui {

// Hosts VTK rendering inside Qt without VTK's Qt5-only GUISupportQt module (see the shared
// guide "vtk-in-qt6"). VTK renders into its own framebuffer and each frame is blitted straight
// into a native OpenGL window (a QWindow in QWidget::createWindowContainer), which swaps on
// its own: unlike a QOpenGLWidget, the rest of the window is not composited again with
// OpenGL for every frame (docs/benchmarks.md, "3-D view", has the figures). Where OpenGL is a
// CPU rasteriser (llvmpipe), the native window stays hidden instead: each frame is read back
// and the widget paints it as an image, which costs less than the blit and swap there.
// All rendering happens in one place so it can be timed and coalesced: requestRender() marks
// a render as pending, interactor renders are redirected to it.
//
// Mouse, wheel, enter, leave and key events reach this widget's handlers whether they come
// from the native window (the user) or are sent to the widget (tests). Because the view is a
// native child window, QWidget::grab() leaves it blank: use grabWithViews() for a picture of a
// window as it is on screen.
class VtkOpenGLWidget : public QWidget {
  Q_OBJECT
 public:
  // OpenGL 3.2 core, RGB8 (no alpha: the window is opaque), 24-bit depth, no multisampling (4x samples cost
  // 3x frame time under llvmpipe). Call installDefaultSurfaceFormat() before constructing QApplication.
  static QSurfaceFormat surfaceFormat();
  static void installDefaultSurfaceFormat();
  // True when a context of the default format can be created on this platform (and the
  // platform is not one where Qt's OpenGL windows are known to crash).
  static bool openGlAvailable();
  // top as QWidget::grab() draws it, with every visible 3-D view inside it painted in from
  // its last frame.
  static QImage grabWithViews(QWidget* top);

  explicit VtkOpenGLWidget(QWidget* parent = nullptr);
  ~VtkOpenGLWidget() override;

  // Never null. Owned by the widget; add renderers to it.
  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkRenderWindowInteractor* interactor() const;

  // Marks a VTK render as pending and schedules a paint.
  void requestRender();
  // Duration of the last VTK Render() in milliseconds (0 before the first frame).
  double lastVtkRenderMs() const;
  // True once the context exists and VTK is initialised in it (renders and exports need it).
  bool hasGLContext() const;
  // True when frames are read back and painted by the widget instead of swapped in the native
  // window (chosen with the context: CPU rasterisers, or CENTROID_PRESENT=readback).
  bool presentsByReadback() const;
  // Runs work with our context current and VTK's GL state cache saved and restored, for
  // VTK calls outside a paint (offscreen exports). Returns false, without running work,
  // when there is no context yet. Schedules a fresh render afterwards.
  bool withVtkContext(const std::function<void()>& work);
  // Size of the view in device pixels, as VTK sees it.
  QSize deviceSize() const;
  // Renders the VTK window once at size (device pixels) into a QImage, with fonts scaled by
  // fontScale, and puts the window back. prepare runs just before the render (lay out
  // overlays and size points for that size). Null without a context.
  QImage renderOffscreen(const QSize& size, double fontScale, const std::function<void()>& prepare);
  // The frame on screen (VTK's last frame, device pixels, with the device pixel ratio set);
  // nothing is rendered. Null before the first frame.
  QImage grabFramebuffer();

 signals:
  // A frame that VTK rendered (not a mere repaint of the last one) has been swapped to the screen.
  void vtkFrameSwapped();

 protected:
  // The GL hooks, called with the context current: once the context exists, after a resize,
  // and for every paint (which renders when a render is pending, then shows the frame).
  virtual void initializeGL();
  virtual void resizeGL(int w, int h);
  virtual void paintGL();
  void paintEvent(QPaintEvent* e) override;    // only when frames are read back
  void resizeEvent(QResizeEvent* e) override;  // idem: a new size needs a new frame
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void enterEvent(QEnterEvent* e) override;
  void leaveEvent(QEvent* e) override;

  // Called inside paintGL just before VTK renders, with the context current: the place
  // to lay out overlays for the current device size.
  virtual void aboutToRender() {}

 private:
  class Surface;
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
