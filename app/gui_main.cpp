// centroid: the GUI. Parses the switches first, so --help, --version and the table exports
// work with no display at all; then sets up OpenGL and the allocator and opens the window.
#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QStringList>
#include <QSurfaceFormat>
#include <cstdio>
#include <cstdlib>

#include "core/training/Trainer.h"
#include "ui/export/CommandLineExports.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/window/Automation.h"
#include "ui/window/MainWindow.h"

namespace {

// Whether Qt will find a screen: an X or Wayland display, or a platform chosen by hand
// (QT_QPA_PLATFORM=offscreen, as the tests use).
bool haveDisplay() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
    if (const char* v = std::getenv(name); v && *v) return true;
  return false;
}

// --open with only tables to write, and --quit: nothing to draw, so no window.
bool tablesOnly(const centroid::ui::GuiOptions& o) {
  return o.quit && o.open && !o.train && !o.trainBoth && o.compare.isEmpty() && o.screenshot.isEmpty() &&
         o.windowScreenshot.isEmpty() && o.framesDir.isEmpty() &&
         (!o.exportMetrics.isEmpty() || !o.exportClusters.isEmpty() || !o.exportEmbedding.isEmpty());
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything allocates: keeps libtorch's large buffers mapped (about 2x faster epochs).
  centroid::tuneAllocator();
  QCoreApplication::setOrganizationName("Centroid");
  QCoreApplication::setApplicationName("Centroid");
  QCoreApplication::setApplicationVersion(QString::fromStdString(centroid::centroidVersion()));
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);

  centroid::ui::GuiOptions options;
  if (const int code = centroid::ui::parseGuiOptions(arguments, options); code >= 0) return code;

  if (tablesOnly(options)) {
    QCoreApplication app(argc, argv);  // for the helper process that reads the file first
    return centroid::ui::runCommandLineExports({*options.open, options.epoch, options.exportMetrics,
                                                options.exportClusters, options.exportEmbedding,
                                                options.allEpochs});
  }
  if (!haveDisplay()) {
    std::fprintf(stderr,
                 "centroid: the window needs a display (none is set: DISPLAY, WAYLAND_DISPLAY); "
                 "the --export-metrics, --export-clusters and --export-embedding tables with --open "
                 "and --quit work without one, "
                 "and so does centroid-train\n");
    return 2;
  }

  // Before QApplication, or the window's compositing context and VTK's differ in profile:
  // OpenGL 3.2 core, RGBA8, no multisampling (see the shared guide vtk-in-qt6).
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();

  QApplication app(argc, argv);
  // The desktop entry (resources/) and the window's icon, for task bars and window switchers.
  QGuiApplication::setDesktopFileName(QStringLiteral("io.github.centroid.Centroid"));
  QIcon icon;
  for (int size : {16, 32, 48, 64, 128, 256})
    icon.addFile(QStringLiteral(":/icons/centroid-%1.png").arg(size));
  QApplication::setWindowIcon(icon);
  centroid::ui::MainWindow::Options windowOptions;
  windowOptions.useSettings = !options.quit;
  windowOptions.disable3d = options.no3d;
  centroid::ui::MainWindow window(windowOptions);
  centroid::ui::Automation automation(&window, options);
  window.show();
  automation.begin();
  return QApplication::exec();
}
