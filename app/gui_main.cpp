// centroid: the GUI. Sets up OpenGL and the allocator, parses the automation switches
// (--train, --screenshot, --quit, ...), and opens the main window.
#include <QApplication>
#include <QSurfaceFormat>
#include <cstdio>

#include "core/training/Trainer.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/window/Automation.h"
#include "ui/window/MainWindow.h"

int main(int argc, char** argv) {
  // Before anything allocates: keeps libtorch's large buffers mapped (about 2x faster epochs).
  centroid::tuneAllocator();
  // Before QApplication, or the window's compositing context and VTK's differ in profile:
  // OpenGL 3.2 core, RGBA8, no multisampling (see the shared guide vtk-in-qt6).
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();

  QApplication app(argc, argv);
  QApplication::setOrganizationName("Centroid");
  QApplication::setApplicationName("Centroid");
  QApplication::setApplicationVersion(QString::fromStdString(centroid::centroidVersion()));

  centroid::ui::GuiOptions options;
  if (const int code = centroid::ui::parseGuiOptions(QApplication::arguments(), options); code >= 0) return code;

  centroid::ui::MainWindow::Options windowOptions;
  windowOptions.useSettings = !options.quit;
  windowOptions.disable3d = options.no3d;
  centroid::ui::MainWindow window(windowOptions);
  centroid::ui::Automation automation(&window, options);
  window.show();
  automation.begin();
  return QApplication::exec();
}
