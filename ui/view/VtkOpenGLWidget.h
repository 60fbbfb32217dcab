// Qt6 <-> VTK bridge: a QOpenGLWidget that drives a vtkGenericOpenGLRenderWindow (no VTK includes here).
#pragma once

#include <QImage>
#include <QOpenGLWidget>
#include <QSurfaceFormat>
#include <functional>
#include <memory>

// Forward declarations only, so that including this header needs no VTK include path.
class vtkGenericOpenGLRenderWindow;
class vtkRenderWindowInteractor;

namespace centroid::ui {

// Hosts VTK rendering inside Qt without VTK's Qt5-only GUISupportQt module (see the shared
// guide "vtk-in-qt6"). VTK renders into its own framebuffer; paintGL blits it into the
// widget's. All rendering happens inside paintGL so it can be timed and coalesced:
// requestRender() marks a render as pending, interactor renders are redirected to it.
class VtkOpenGLWidget : public QOpenGLWidget {
  Q_OBJECT
 public:
  // OpenGL 3.2 core, RGBA8, 24-bit depth, no multisampling (4x samples cost 3x frame time
  // under llvmpipe). Call installDefaultSurfaceFormat() before constructing QApplication
  // so the top-level window's compositing context and ours share a profile.
  static QSurfaceFormat surfaceFormat();
  static void installDefaultSurfaceFormat();
  // True when a context of the default format can be created on this platform (and the
  // platform is not one whose QOpenGLWidget is known to crash).
  static bool openGlAvailable();

  explicit VtkOpenGLWidget(QWidget* parent = nullptr);
  ~VtkOpenGLWidget() override;

  // Never null. Owned by the widget; add renderers to it.
  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkRenderWindowInteractor* interactor() const;

  // Marks a VTK render as pending and schedules a paint. A bare update() only re-blits
  // the previous frame.
  void requestRender();
  // Duration of the last VTK Render() in milliseconds (0 before the first frame).
  double lastVtkRenderMs() const;
  // True once initializeGL ran and the context is alive (renders and exports need it).
  bool hasGLContext() const;
  // Runs work with our context current and VTK's GL state cache saved and restored, for
  // VTK calls outside paintGL (offscreen exports). Returns false, without running work,
  // when there is no context yet. Schedules a fresh render afterwards.
  bool withVtkContext(const std::function<void()>& work);
  // Size of the widget in device pixels, as VTK sees it.
  QSize deviceSize() const;
  // Renders the VTK window once at size (device pixels) into a QImage, with fonts scaled by
  // fontScale, and puts the window back. prepare runs just before the render (lay out
  // overlays and size points for that size). Null without a context.
  QImage renderOffscreen(const QSize& size, double fontScale, const std::function<void()>& prepare);

 signals:
  // A frame that VTK rendered (not a mere re-blit) has been composited and swapped.
  void vtkFrameSwapped();

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
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
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
