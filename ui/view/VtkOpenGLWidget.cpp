// Qt6 <-> VTK bridge, after the shared guide "vtk-in-qt6" (checked on Qt 6.4 / VTK 9.1), with a
// native OpenGL window in place of the guide's QOpenGLWidget.
#include "ui/view/VtkOpenGLWidget.h"

#include "ui/view/GLSupport.h"

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPainter>
#include <QVBoxLayout>
#include <QScreen>
#include <QWheelEvent>
#include <QWindow>
#include <cmath>

namespace centroid::ui {

namespace {
// A size in logical pixels as VTK and OpenGL see it: device pixels, at least 1 x 1.
QSize devicePixels(const QSize& logical, double dpr) {
  return {std::max(1, static_cast<int>(std::lround(logical.width() * dpr))),
          std::max(1, static_cast<int>(std::lround(logical.height() * dpr)))};
}
}  // namespace

// The native window the frames are swapped to. It paints on expose and when a render was
// requested, and hands every input event to the widget, whose handlers do the work.
class VtkOpenGLWidget::Surface : public QWindow {
 public:
  explicit Surface(VtkOpenGLWidget* owner) : owner_(owner) {
    setSurfaceType(QWindow::OpenGLSurface);
    setFormat(surfaceFormat());
  }

 protected:
  void exposeEvent(QExposeEvent*) override;
  bool event(QEvent* e) override;

 private:
  VtkOpenGLWidget* owner_;
};

struct VtkOpenGLWidget::Impl {
  explicit Impl(VtkOpenGLWidget* owner) : self(owner) {}

  VtkOpenGLWidget* self;
  vtkNew<vtkGenericOpenGLRenderWindow> window;
  vtkNew<vtkGenericRenderWindowInteractor> interactor;
  vtkNew<vtkInteractorStyleTrackballCamera> style;
  std::vector<unsigned long> windowObservers;
  unsigned long interactorObserver = 0;

  Surface* surface = nullptr;    // owned by container
  QWidget* container = nullptr;  // owned by the widget, deleted first in its destructor
  std::unique_ptr<QOpenGLContext> context;
  bool contextFailed = false;  // creating the context failed once: no 3-D, no retries
  bool glReady = false;
  bool renderPending = true;  // a VTK Render() is due at the next paint
  bool paintQueued = false;   // an UpdateRequest is posted to the surface
  bool inPaint = false;
  bool renderedSinceSwap = false;  // vtkFrameSwapped reports only frames VTK rendered
  QSize lastSurfaceSize;           // device pixels at the last paint: resizeGL when it changes
  double lastRenderMs = 0;
  bool readback = false;  // frames are read back and painted by the widget (see choosePresentation)
  std::unique_ptr<QOffscreenSurface> offscreen;
  std::vector<unsigned char> pixels;  // the last frame's raw rows
  QImage shown;                       // the last frame, as the widget paints it
  int wheelAccumulator = 0;           // touchpads send fractions of a 120-unit notch

  // VTK calls MakeCurrent many times per frame: make our context current on our window.
  void onMakeCurrent(vtkObject*, unsigned long, void*) {
    if (context && glSurface()) context->makeCurrent(glSurface());
  }
  void onIsCurrent(vtkObject*, unsigned long, void* callData) {
    QOpenGLContext* current = QOpenGLContext::currentContext();
    *static_cast<bool*>(callData) =
        current && current == context.get() && glSurface() && current->surface() == glSurface();
  }
  // A frame VTK finished outside our paint (an export, say) must still reach the screen.
  void onFrame(vtkObject*, unsigned long, void*) {
    if (!inPaint) schedulePaint();
  }
  // The trackball style asks the interactor to render after each camera step. Rendering is
  // disabled on the interactor, so each request becomes a coalesced, timed render.
  void onInteractorRender(vtkObject*, unsigned long, void*) { self->requestRender(); }

  // One paint per turn of the event loop, however many requests came. A posted UpdateRequest
  // rather than QWindow::requestUpdate(), whose platform timer waits 5 ms first.
  void schedulePaint() {
    if (paintQueued || !surface) return;
    paintQueued = true;
    QCoreApplication::postEvent(surface, new QEvent(QEvent::UpdateRequest));
  }

  QSize surfaceDeviceSize() const {
    return readback ? self->deviceSize() : devicePixels(surface->size(), surface->devicePixelRatio());
  }
  // Where the context is made current: the native window, or, when frames are read back,
  // an offscreen surface (the native window is hidden then).
  QSurface* glSurface() const {
    return readback ? static_cast<QSurface*>(offscreen.get()) : static_cast<QSurface*>(surface);
  }

  // Under a CPU rasteriser, blitting the frame into the window and swapping costs more than
  // reading it back and painting it as an image (2.5 + 0.6 ms against 0.7 + 0.5 ms for a
  // 900 x 700 view; docs/benchmarks.md). CENTROID_PRESENT=window or =readback overrides.
  void choosePresentation() {
    const QByteArray forced = qgetenv("CENTROID_PRESENT");
    if (forced == "window" || (forced != "readback" && !softwareOpenGL())) return;
    offscreen = std::make_unique<QOffscreenSurface>(surface->screen());
    offscreen->setFormat(context->format());
    offscreen->create();
    if (!offscreen->isValid() || !context->makeCurrent(offscreen.get())) {
      offscreen.reset();
      context->makeCurrent(surface);
      return;
    }
    readback = true;
    container->hide();  // the widget paints the frames itself
    self->setAttribute(Qt::WA_OpaquePaintEvent);
  }

  // The context is made on the first paint of an exposed window; VTK is initialised in it.
  bool ensureContext() {
    if (glReady) return true;
    if (contextFailed || !surface || !surface->handle()) return false;
    context = std::make_unique<QOpenGLContext>();
    context->setFormat(surface->requestedFormat());
    if (!context->create() || !context->makeCurrent(surface)) {
      contextFailed = true;
      context.reset();
      return false;
    }
    choosePresentation();
    self->initializeGL();
    lastSurfaceSize = surfaceDeviceSize();
    return glReady;
  }

  // Renders when a render is pending, then shows VTK's frame: swapped in the native window, or
  // read back and painted by the widget.
  void paintNow() {
    paintQueued = false;
    if (!surface || !(readback ? self->isVisible() : surface->isExposed()) || !ensureContext()) return;
    if (!context->makeCurrent(glSurface())) return;
    const QSize size = surfaceDeviceSize();
    if (size != lastSurfaceSize) {
      lastSurfaceSize = size;
      self->resizeGL(size.width(), size.height());
    }
    self->paintGL();
    if (readback) self->repaint();  // paints and flushes the frame read back in paintGL
    else context->swapBuffers(surface);
    if (renderedSinceSwap) {
      renderedSinceSwap = false;
      emit self->vtkFrameSwapped();
    }
  }

  // paintGL's second half: VTK's last frame into the native window's framebuffer, or, when
  // frames are read back, into the image the widget paints.
  void showFrame() {
    if (readback) {
      if (!readRenderFramebuffer(window, pixels, shown)) shown = QImage();
      shown.setDevicePixelRatio(self->devicePixelRatioF());
      return;
    }
    vtkOpenGLState* state = window->GetState();
    const QSize dev = surfaceDeviceSize();
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, context->defaultFramebufferObject());
    state->vtkglDisable(GL_SCISSOR_TEST);  // the scissor test would clip the blit
    // Straight from VTK's render framebuffer: with SwapBuffers off, VTK skips its own copy of
    // each frame into its display framebuffer.
    vtkOpenGLFramebufferObject* rendered = window->GetRenderFramebuffer();
    int* last = rendered->GetLastSize();
    rendered->Bind(GL_READ_FRAMEBUFFER);
    rendered->ActivateReadBuffer(0);
    state->vtkglBlitFramebuffer(0, 0, last[0], last[1], 0, 0, dev.width(), dev.height(), GL_COLOR_BUFFER_BIT,
                                GL_LINEAR);
    // Opaque alpha: on a visual with alpha a compositing window manager would blend the view
    // with whatever lies behind it. The surface asks for none (a masked clear of the whole
    // view is a full-screen pass under llvmpipe), but a platform may give it anyway.
    if (context->format().alphaBufferSize() <= 0) return;
    state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    state->vtkglClearColor(0, 0, 0, 1);
    state->vtkglViewport(0, 0, dev.width(), dev.height());
    state->vtkglClear(GL_COLOR_BUFFER_BIT);
  }

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

  void releaseGL() {
    if (!glReady) return;
    context->makeCurrent(glSurface());
    window->Finalize();
    window->SetReadyForRendering(false);
    context->doneCurrent();
    glReady = false;
  }

  // VTK's framebuffer as an image: what the last Render() drew, rows top-down.
  QImage readFrame() {
    std::vector<unsigned char> raw;
    QImage image;
    return readRenderFramebuffer(window, raw, image) ? image : QImage();
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

void VtkOpenGLWidget::Surface::exposeEvent(QExposeEvent*) {
  if (isExposed()) owner_->d->paintNow();
}

bool VtkOpenGLWidget::Surface::event(QEvent* e) {
  switch (e->type()) {
    case QEvent::UpdateRequest: owner_->d->paintNow(); return true;
    // The container fills the widget, so positions in the window are positions in the widget.
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::Enter:
    case QEvent::Leave:
    case QEvent::KeyPress:
    case QEvent::KeyRelease: QCoreApplication::sendEvent(owner_, e); return true;
    default: return QWindow::event(e);
  }
}

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent) : QWidget(parent), d(std::make_unique<Impl>(this)) {
  setMouseTracking(true);  // hover picking needs moves without a button
  setFocusPolicy(Qt::StrongFocus);

  d->surface = new Surface(this);
  d->container = QWidget::createWindowContainer(d->surface, this);
  d->container->setFocusPolicy(Qt::NoFocus);  // the widget takes the focus; keys reach it either way
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(d->container);

  auto& w = *d->window;
  w.SetReadyForRendering(false);  // no context until the first paint
  w.SetFrameBlitModeToNoBlit();   // paintGL blits into the window's framebuffer itself
  w.SetMultiSamples(0);
  w.SwapBuffersOff();  // no copy into VTK's display framebuffer: showFrame reads the render one
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
}

VtkOpenGLWidget::~VtkOpenGLWidget() {
  d->releaseGL();
  // The window goes before Impl, so that no late event of it reaches a dead Impl.
  delete d->container;
  d->container = nullptr;
  d->surface = nullptr;
  d->interactor->RemoveObserver(d->interactorObserver);
  for (unsigned long id : d->windowObservers) d->window->RemoveObserver(id);
}

vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const { return d->window; }
vtkRenderWindowInteractor* VtkOpenGLWidget::interactor() const { return d->interactor; }
double VtkOpenGLWidget::lastVtkRenderMs() const { return d->lastRenderMs; }
bool VtkOpenGLWidget::hasGLContext() const { return d->glReady && d->context && d->context->isValid(); }

bool VtkOpenGLWidget::presentsByReadback() const { return d->readback; }

QSize VtkOpenGLWidget::deviceSize() const { return devicePixels(size(), devicePixelRatioF()); }

void VtkOpenGLWidget::requestRender() {
  d->renderPending = true;
  d->schedulePaint();
}

bool VtkOpenGLWidget::withVtkContext(const std::function<void()>& work) {
  if (!hasGLContext() || !d->context->makeCurrent(d->glSurface())) return false;
  vtkOpenGLState* state = d->window->GetState();
  state->Reset();
  state->Push();
  state->vtkglDepthFunc(GL_LEQUAL);  // as in paintGL: coplanar 2-D overlays draw in prop order
  d->inPaint = true;                 // the export's own frames must not schedule paints mid-way
  work();
  d->inPaint = false;
  state->Pop();
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
    image = d->readFrame();
    if (image.size() != size) image = QImage();
    window->SetDPI(dpi);  // the size comes back with syncSize in withVtkContext
  });
  return image;
}

QImage VtkOpenGLWidget::grabFramebuffer() {
  // An export may have left VTK's framebuffer at another size, or a frame may be due: show
  // what the screen is about to show first.
  const int* size = d->window->GetSize();
  if (d->renderPending || QSize(size[0], size[1]) != deviceSize()) d->paintNow();
  if (!hasGLContext() || !d->context->makeCurrent(d->glSurface())) return {};
  vtkOpenGLState* state = d->window->GetState();
  state->Reset();
  state->Push();
  QImage image = d->readFrame();
  state->Pop();
  if (!image.isNull()) image.setDevicePixelRatio(devicePixelRatioF());
  return image;
}

void VtkOpenGLWidget::initializeGL() {
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
  d->syncSize();  // a DPR change reaches the paint without a resize
  vtkOpenGLState* state = d->window->GetState();
  state->Reset();
  state->Push();
  // VTK assumes LEQUAL (its own init sets it); a fresh context has LESS, under which coplanar
  // 2-D overlays (legend panel, swatches, text) hide each other.
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
  d->showFrame();
  state->Pop();
}

void VtkOpenGLWidget::paintEvent(QPaintEvent*) {
  if (!d->readback) return;  // the native window shows the frames
  QPainter painter(this);
  if (d->shown.isNull()) painter.fillRect(rect(), palette().window());  // no frame could be read
  else painter.drawImage(QPoint(0, 0), d->shown);
  if (!d->shown.isNull() && d->shown.size() != deviceSize()) d->renderPending = true;  // resized
  if (d->renderPending) d->schedulePaint();  // e.g. asked for while the widget was hidden
}

void VtkOpenGLWidget::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  if (d->readback) requestRender();
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
  QWidget::enterEvent(e);
}

void VtkOpenGLWidget::leaveEvent(QEvent* e) {
  d->interactor->InvokeEvent(vtkCommand::LeaveEvent, e);
  QWidget::leaveEvent(e);
}

}  // namespace centroid::ui
