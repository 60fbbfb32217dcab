// Qt6 <-> VTK bridge, following the shared guide "vtk-in-qt6" (checked on Qt 6.4 / VTK 9.1).
#include "ui/view/VtkOpenGLWidget.h"

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkImageData.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkPointData.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QScreen>
#include <QWheelEvent>
#include <QWindow>
#include <cmath>
#include <cstring>

namespace centroid::ui {

struct VtkOpenGLWidget::Impl {
  explicit Impl(VtkOpenGLWidget* owner) : self(owner) {}

  VtkOpenGLWidget* self;
  vtkNew<vtkGenericOpenGLRenderWindow> window;
  vtkNew<vtkGenericRenderWindowInteractor> interactor;
  vtkNew<vtkInteractorStyleTrackballCamera> style;
  std::vector<unsigned long> windowObservers;
  unsigned long interactorObserver = 0;

  QSurface* surface = nullptr;          // the surface our context renders to (set in initializeGL)
  QMetaObject::Connection contextGone;  // aboutToBeDestroyed -> releaseGL
  bool glReady = false;
  bool renderPending = true;  // a VTK Render() is due at the next paintGL
  bool inPaint = false;
  bool renderedSinceSwap = false;  // frameSwapped reports only frames VTK rendered
  double lastRenderMs = 0;
  int wheelAccumulator = 0;  // touchpads send fractions of a 120-unit notch

  // VTK calls MakeCurrent many times per frame. QOpenGLWidget::makeCurrent() would rebind
  // Qt's framebuffer behind VTK's state cache (black widget, GL_INVALID_FRAMEBUFFER_OPERATION),
  // so only the context is made current on our surface.
  void onMakeCurrent(vtkObject*, unsigned long, void*) {
    if (QOpenGLContext* ctx = self->context(); ctx && surface) ctx->makeCurrent(surface);
  }
  void onIsCurrent(vtkObject*, unsigned long, void* callData) {
    QOpenGLContext* current = QOpenGLContext::currentContext();
    *static_cast<bool*>(callData) =
        current && current == self->context() && surface && current->surface() == surface;
  }
  // A frame VTK finished outside our paintGL (an export, say) must still reach the screen.
  void onFrame(vtkObject*, unsigned long, void*) {
    if (!inPaint) self->update();
  }
  // The trackball style asks the interactor to render after each camera step. Rendering is
  // disabled on the interactor, so each request becomes a coalesced, timed paintGL render.
  void onInteractorRender(vtkObject*, unsigned long, void*) { self->requestRender(); }

  // Guide step 4: VTK works in device pixels.
  void syncSize() {
    const double dpr = self->devicePixelRatioF();
    const QSize dev = self->deviceSize();
    int* current = window->GetSize();
    if (current[0] != dev.width() || current[1] != dev.height()) {
      interactor->UpdateSize(dev.width(), dev.height());
      window->SetSize(dev.width(), dev.height());
      renderPending = true;
    }
    if (QScreen* screen = self->screen()) {
      const QSize s = screen->size() * dpr;
      window->SetScreenSize(s.width(), s.height());
    }
    const int dpi = static_cast<int>(std::lround(72 * dpr));
    if (window->GetDPI() != dpi) window->SetDPI(dpi);
  }

  // Re-parenting recreates the context: VTK's GL objects die with the old one.
  void releaseGL() {
    if (!glReady) return;
    self->makeCurrent();
    window->Finalize();
    window->SetReadyForRendering(false);
    self->doneCurrent();
    glReady = false;
    surface = nullptr;
  }

  void forwardMouse(QMouseEvent* e, unsigned long event) {
    const QPointF p = e->position() * self->devicePixelRatioF();
    const auto mods = e->modifiers();
    interactor->SetEventInformationFlipY(static_cast<int>(p.x()), static_cast<int>(p.y()),
                                         (mods & Qt::ControlModifier) ? 1 : 0,
                                         (mods & Qt::ShiftModifier) ? 1 : 0);
    interactor->InvokeEvent(event, e);
  }
};

QSurfaceFormat VtkOpenGLWidget::surfaceFormat() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  fmt.setRedBufferSize(8);
  fmt.setGreenBufferSize(8);
  fmt.setBlueBufferSize(8);
  fmt.setAlphaBufferSize(8);
  fmt.setDepthBufferSize(24);
  fmt.setStencilBufferSize(0);
  fmt.setSamples(0);  // VTK renders into its own framebuffer; see the header on multisampling
  return fmt;
}

void VtkOpenGLWidget::installDefaultSurfaceFormat() { QSurfaceFormat::setDefaultFormat(surfaceFormat()); }

bool VtkOpenGLWidget::openGlAvailable() {
  // Qt 6.4's QOpenGLWidget crashes on these platforms even when a context can be created.
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

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent) : QOpenGLWidget(parent), d(std::make_unique<Impl>(this)) {
  setFormat(surfaceFormat());
  setMouseTracking(true);  // hover picking needs moves without a button
  setFocusPolicy(Qt::StrongFocus);

  auto& w = *d->window;
  w.SetReadyForRendering(false);  // no context until initializeGL
  w.SetFrameBlitModeToNoBlit();   // paintGL blits into Qt's framebuffer itself
  w.SetMultiSamples(0);
  w.SetOwnContext(false);
  d->windowObservers = {
      w.AddObserver(vtkCommand::WindowMakeCurrentEvent, d.get(), &Impl::onMakeCurrent),
      w.AddObserver(vtkCommand::WindowIsCurrentEvent, d.get(), &Impl::onIsCurrent),
      w.AddObserver(vtkCommand::WindowFrameEvent, d.get(), &Impl::onFrame),
  };

  d->interactor->SetRenderWindow(d->window);
  d->interactor->SetInteractorStyle(d->style);
  d->interactor->EnableRenderOff();
  d->interactorObserver =
      d->interactor->AddObserver(vtkCommand::RenderEvent, d.get(), &Impl::onInteractorRender);
  d->interactor->Initialize();

  connect(this, &QOpenGLWidget::frameSwapped, this, [this] {
    if (d->renderedSinceSwap) {
      d->renderedSinceSwap = false;
      emit vtkFrameSwapped();
    }
  });
}

VtkOpenGLWidget::~VtkOpenGLWidget() {
  // The base class destroys the context after our members are gone; a late
  // aboutToBeDestroyed would reach a dead Impl.
  QObject::disconnect(d->contextGone);
  d->releaseGL();
  d->interactor->RemoveObserver(d->interactorObserver);
  for (unsigned long id : d->windowObservers) d->window->RemoveObserver(id);
}

vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const { return d->window; }
vtkRenderWindowInteractor* VtkOpenGLWidget::interactor() const { return d->interactor; }
double VtkOpenGLWidget::lastVtkRenderMs() const { return d->lastRenderMs; }
bool VtkOpenGLWidget::hasGLContext() const { return d->glReady && context() && context()->isValid(); }

QSize VtkOpenGLWidget::deviceSize() const {
  const double dpr = devicePixelRatioF();
  return {std::max(1, static_cast<int>(std::lround(width() * dpr))),
          std::max(1, static_cast<int>(std::lround(height() * dpr)))};
}

void VtkOpenGLWidget::requestRender() {
  d->renderPending = true;
  update();
}

bool VtkOpenGLWidget::withVtkContext(const std::function<void()>& work) {
  if (!hasGLContext()) return false;
  makeCurrent();
  vtkOpenGLState* state = d->window->GetState();
  state->Reset();  // makeCurrent() bound Qt's framebuffer behind VTK's cache
  state->Push();
  state->vtkglDepthFunc(GL_LEQUAL);  // as in paintGL: coplanar 2-D overlays draw in prop order
  d->inPaint = true;                 // the export's own frames must not schedule paints mid-way
  work();
  d->inPaint = false;
  state->Pop();
  doneCurrent();
  d->syncSize();
  requestRender();
  return true;
}

QImage VtkOpenGLWidget::renderOffscreen(const QSize& size, double fontScale,
                                        const std::function<void()>& prepare) {
  QImage image;
  withVtkContext([&] {
    vtkGenericOpenGLRenderWindow* window = d->window;
    const int dpi = window->GetDPI();
    // A bigger framebuffer rather than tiles (vtkRenderLargeImage): tiles repeat or cut 2-D
    // overlays, while one large render with scaled fonts gives the same picture, sharper.
    window->SetSize(size.width(), size.height());
    window->SetDPI(static_cast<int>(std::lround(dpi * fontScale)));
    if (prepare) prepare();
    window->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window);
    grab->ReadFrontBufferOff();  // VTK's render framebuffer: what Render() just drew
    grab->ShouldRerenderOff();
    grab->SetInputBufferTypeToRGB();
    grab->Update();
    vtkImageData* pixels = grab->GetOutput();
    int dims[3];
    pixels->GetDimensions(dims);
    auto* rgb = vtkUnsignedCharArray::SafeDownCast(pixels->GetPointData()->GetScalars());
    if (rgb && dims[0] == size.width() && dims[1] == size.height()) {
      const int w = size.width(), h = size.height();
      image = QImage(w, h, QImage::Format_RGB888);
      const unsigned char* src = rgb->GetPointer(0);
      for (int y = 0; y < h; ++y)  // VTK's rows run bottom-up
        std::memcpy(image.scanLine(h - 1 - y), src + static_cast<std::size_t>(y) * w * 3,
                    static_cast<std::size_t>(w) * 3);
    }
    window->SetDPI(dpi);  // the size comes back with syncSize in withVtkContext
  });
  return image;
}

void VtkOpenGLWidget::initializeGL() {
  QOpenGLContext* ctx = context();
  d->surface = ctx->surface();
  QObject::disconnect(d->contextGone);
  d->contextGone = connect(
      ctx, &QOpenGLContext::aboutToBeDestroyed, this, [this] { d->releaseGL(); }, Qt::DirectConnection);
  d->window->SetOwnContext(false);
  d->window->SetReadyForRendering(true);
  d->window->InitializeFromCurrentContext();
  d->glReady = true;
  d->syncSize();
  d->renderPending = true;
}

void VtkOpenGLWidget::resizeGL(int, int) {
  d->syncSize();
  d->renderPending = true;
}

void VtkOpenGLWidget::paintGL() {
  if (!d->glReady) return;
  d->syncSize();  // a DPR change reaches paintGL without a resizeGL
  vtkOpenGLState* state = d->window->GetState();
  state->Reset();
  state->Push();
  // VTK assumes LEQUAL (its own init sets it); Qt leaves LESS, under which coplanar 2-D
  // overlays (legend panel, swatches, text) hide each other.
  state->vtkglDepthFunc(GL_LEQUAL);

  if (d->renderPending) {
    d->renderPending = false;
    d->inPaint = true;
    aboutToRender();
    QElapsedTimer timer;
    timer.start();
    d->window->Render();
    d->lastRenderMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    d->inPaint = false;
    d->renderedSinceSwap = true;
  }

  const QSize dev = deviceSize();
  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  state->vtkglDisable(GL_SCISSOR_TEST);  // the scissor test would clip the blit
  int* last = d->window->GetRenderFramebuffer()->GetLastSize();
  d->window->BlitDisplayFramebuffer(0, 0, 0, last[0], last[1], 0, 0, dev.width(), dev.height(),
                                    GL_COLOR_BUFFER_BIT, GL_LINEAR);

  // Opaque alpha, or the compositor blends the widget with whatever lies behind it.
  state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  state->vtkglClearColor(0, 0, 0, 1);
  state->vtkglViewport(0, 0, dev.width(), dev.height());
  state->vtkglClear(GL_COLOR_BUFFER_BIT);
  state->Pop();
}

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* e) {
  switch (e->button()) {
    case Qt::LeftButton: d->forwardMouse(e, vtkCommand::LeftButtonPressEvent); break;
    case Qt::RightButton: d->forwardMouse(e, vtkCommand::RightButtonPressEvent); break;
    case Qt::MiddleButton: d->forwardMouse(e, vtkCommand::MiddleButtonPressEvent); break;
    default: break;
  }
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* e) {
  switch (e->button()) {
    case Qt::LeftButton: d->forwardMouse(e, vtkCommand::LeftButtonReleaseEvent); break;
    case Qt::RightButton: d->forwardMouse(e, vtkCommand::RightButtonReleaseEvent); break;
    case Qt::MiddleButton: d->forwardMouse(e, vtkCommand::MiddleButtonReleaseEvent); break;
    default: break;
  }
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* e) { d->forwardMouse(e, vtkCommand::MouseMoveEvent); }

void VtkOpenGLWidget::wheelEvent(QWheelEvent* e) {
  const QPointF p = e->position() * devicePixelRatioF();
  d->interactor->SetEventInformationFlipY(static_cast<int>(p.x()), static_cast<int>(p.y()),
                                          (e->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                          (e->modifiers() & Qt::ShiftModifier) ? 1 : 0);
  d->wheelAccumulator += e->angleDelta().y();
  while (std::abs(d->wheelAccumulator) >= 120) {
    const bool forward = d->wheelAccumulator > 0;
    d->interactor->InvokeEvent(
        forward ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent, e);
    d->wheelAccumulator += forward ? -120 : 120;
  }
  e->accept();
}

void VtkOpenGLWidget::enterEvent(QEnterEvent* e) {
  d->interactor->InvokeEvent(vtkCommand::EnterEvent, e);
  QOpenGLWidget::enterEvent(e);
}

void VtkOpenGLWidget::leaveEvent(QEvent* e) {
  d->interactor->InvokeEvent(vtkCommand::LeaveEvent, e);
  QOpenGLWidget::leaveEvent(e);
}

}  // namespace centroid::ui
