// The view's OpenGL facts and pictures that need no widget state: the surface format, whether
// OpenGL works here, CPU rasterisers, VTK's frame read back, and window pictures with the
// views painted in (VtkOpenGLWidget's static members are defined here).
#include "ui/view/GLSupport.h"

#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLRenderWindow.h>
#include <vtkOpenGLState.h>

#include <QGuiApplication>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QPainter>
#include <cstring>

#include "ui/view/VtkOpenGLWidget.h"

namespace centroid::ui {

bool readRenderFramebuffer(vtkOpenGLRenderWindow* window, std::vector<unsigned char>& scratch, QImage& into) {
  QOpenGLContext* context = QOpenGLContext::currentContext();
  vtkOpenGLFramebufferObject* rendered = window ? window->GetRenderFramebuffer() : nullptr;
  if (!context || !rendered) return false;
  const int* size = rendered->GetLastSize();
  const int w = size[0], h = size[1];
  if (w <= 0 || h <= 0) return false;
  rendered->Bind(GL_READ_FRAMEBUFFER);
  rendered->ActivateReadBuffer(0);
  window->GetState()->vtkglPixelStorei(GL_PACK_ALIGNMENT, 1);
  scratch.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  // RGBA bytes as the framebuffer holds them: Mesa copies rows without converting.
  context->functions()->glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, scratch.data());
  if (into.width() != w || into.height() != h || into.format() != QImage::Format_RGB32)
    into = QImage(w, h, QImage::Format_RGB32);
  for (int y = 0; y < h; ++y) {  // OpenGL's rows run bottom-up
    const unsigned char* src =
        scratch.data() + static_cast<std::size_t>(h - 1 - y) * static_cast<std::size_t>(w) * 4;
    auto* dst = reinterpret_cast<quint32*>(into.scanLine(y));
    for (int x = 0; x < w; ++x, src += 4)
      dst[x] = 0xff000000u | (quint32{src[0]} << 16) | (quint32{src[1]} << 8) | quint32{src[2]};
  }
  return true;
}

bool softwareOpenGL() {
  QOpenGLContext* context = QOpenGLContext::currentContext();
  if (!context) return false;
  const auto* name = reinterpret_cast<const char*>(context->functions()->glGetString(GL_RENDERER));
  if (!name) return false;
  for (const char* cpu : {"llvmpipe", "softpipe", "swrast", "SWR"})
    if (std::strstr(name, cpu)) return true;
  return false;
}

QSurfaceFormat VtkOpenGLWidget::surfaceFormat() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  fmt.setRedBufferSize(8);
  fmt.setGreenBufferSize(8);
  fmt.setBlueBufferSize(8);
  fmt.setAlphaBufferSize(0);  // an opaque window: nothing to blend with what lies behind it
  fmt.setDepthBufferSize(24);
  fmt.setStencilBufferSize(0);
  fmt.setSamples(0);  // VTK renders into its own framebuffer; see the header on multisampling
  return fmt;
}

void VtkOpenGLWidget::installDefaultSurfaceFormat() { QSurfaceFormat::setDefaultFormat(surfaceFormat()); }

bool VtkOpenGLWidget::openGlAvailable() {
  // Qt 6.4's OpenGL windows crash on these platforms even when a context can be created.
  const QString platform = QGuiApplication::platformName();
  if (platform == "offscreen" || platform == "minimal" || platform == "minimalegl") return false;
  if (qEnvironmentVariableIsSet("CENTROID_NO_3D")) return false;
  QOpenGLContext context;
  context.setFormat(QSurfaceFormat::defaultFormat());
  if (!context.create()) return false;
  QOffscreenSurface surface;
  surface.setFormat(context.format());
  surface.create();
  const bool ok = surface.isValid() && context.makeCurrent(&surface);
  if (ok) context.doneCurrent();
  return ok;
}

QImage VtkOpenGLWidget::grabWithViews(QWidget* top) {
  QImage image = top->grab().toImage();
  QPainter painter(&image);
  QList<VtkOpenGLWidget*> views = top->findChildren<VtkOpenGLWidget*>();
  if (auto* self = qobject_cast<VtkOpenGLWidget*>(top)) views.prepend(self);
  for (VtkOpenGLWidget* view : views) {
    if (!view->isVisible() || (view != top && !view->isVisibleTo(top))) continue;
    const QImage frame = view->grabFramebuffer();
    if (!frame.isNull()) painter.drawImage(QRect(view->mapTo(top, QPoint(0, 0)), view->size()), frame);
  }
  return image;
}

}  // namespace centroid::ui
