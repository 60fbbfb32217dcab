// Command-line automation of the window: settings from switches, --train, screenshots and
// --quit, so scripts and tests drive the GUI without a click.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/Types.h"
#include "ui/ScatterView.h"

namespace centroid::ui {

class MainWindow;

struct GuiOptions {
  // Settings given on the command line; the rest come from QSettings (or defaults with --quit).
  std::optional<int> epochs, subset, patience, clusters, batchSize, dim, threads, points;
  std::optional<double> lr;
  std::optional<std::uint64_t> seed;
  std::optional<QString> dataset, dataDir, runsDir, device;
  std::optional<bool> baselines;
  std::optional<ScatterView::ColorBy> colorBy;

  bool train = false;
  bool quit = false;
  bool no3d = false;
  QString screenshot;        // the 3-D view, after the run ends
  QString windowScreenshot;  // the whole window, after the run ends

  // Applies the given settings over `base`. --points N maps to the view set like the
  // controls' presets: the first min(N, 10000) training images..., see ControlsPanel.
  centroid::TrainConfig apply(centroid::TrainConfig base) const;
};

// Parses the application's arguments. Returns -1 to go on, or the exit code to leave with
// (0 after --help/--version, 2 for bad switches, the message on stderr).
int parseGuiOptions(const QStringList& arguments, GuiOptions& out);

// Exit codes, as centroid-train's: 0 done (completed, early-stopped), 2 bad arguments or
// inputs (invalid settings, missing data, run file not creatable), 3 training failed,
// 130 stopped (Stop pressed or window closed during a --quit run).
int exitCodeFor(const centroid::TrainResult& result);

// Drives a window from GuiOptions: applies settings, starts the run, writes screenshots when
// it ends, and quits with the exit code. Without --train, screenshots are taken once the
// window has shown itself.
class Automation : public QObject {
  Q_OBJECT

 public:
  Automation(MainWindow* window, GuiOptions options, QObject* parent = nullptr);
  void begin();  // call after window->show()

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onRunEnded(bool ok);
  void finish(int code);
  bool writeScreenshots();

  MainWindow* window_;
  GuiOptions options_;
  int exitCode_ = 0;
  bool done_ = false;
};

}  // namespace centroid::ui
