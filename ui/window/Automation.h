// Command-line automation of the window: settings from switches, --train, screenshots and
// --quit, so scripts and tests drive the GUI without a click.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

class QCommandLineParser;

#include "core/metrics/Types.h"
#include "ui/view/ScatterView.h"

namespace centroid::ui {

class CompareWindow;
class MainWindow;

struct GuiOptions {
  // Settings given on the command line; the rest come from QSettings (or defaults with --quit).
  std::optional<int> epochs, subset, patience, clusters, batchSize, dim, threads, points;
  std::optional<double> lr;
  std::optional<std::uint64_t> seed;
  std::optional<QString> dataset, dataDir, runsDir, device, precision;
  std::optional<QString> objective;  // --objective: its defaults first, then the other switches
  std::optional<bool> baselines;
  std::optional<ScatterView::ColorBy> colorBy;

  bool train = false;
  bool trainBoth = false;  // --train-both: seed, then friendly, then both in the Compare window
  QStringList compare;     // --compare a.h5 b.h5: the two runs side by side (--epoch, --screenshot)
  bool quit = false;
  bool no3d = false;
  QString screenshot;        // the 3-D view, after the run ends (or of the opened epoch)
  QString windowScreenshot;  // the whole window, after the run ends

  // Replay and export (AutomationReplay.cpp).
  std::optional<QString> open;        // --open run.h5 (or the run file as the only argument)
  std::optional<int> epoch;           // --epoch N: the stored epoch numbered N; default the last
  int scale = 1;                      // --scale 1..4 for --screenshot and --frames-dir
  QString framesDir;                  // --frames-dir: one PNG per epoch
  int framesPerEpoch = 1;             // --frames-per-epoch: in-between frames for smooth video
  QString exportMetrics;              // --export-metrics out.csv|out.md
  QString exportClusters;             // --export-clusters out.csv|out.md (the shown epoch)
  QString exportAnimation;            // --export-animation out.mp4|out.webm|out.gif
  int fps = 30;                       // --fps
  int firstEpoch = 0, lastEpoch = 0;  // --epochs A:B with --export-animation (0: all)
  QString exportEmbedding;            // --export-embedding out.csv|out.npy (the shown epoch, or all)
  bool allEpochs = false;             // --epoch all (with --export-embedding)

  // Applies the given settings over `base`. --points N maps to the view set like the
  // controls' presets: the first min(N, 10000) training images..., see ControlsPanel.
  centroid::TrainConfig apply(centroid::TrainConfig base) const;
};

// Parses the application's arguments. Returns -1 to go on, or the exit code to leave with
// (0 after --help/--version, 2 for bad switches, the message on stderr).
int parseGuiOptions(const QStringList& arguments, GuiOptions& out);
// The replay and export switches (AutomationReplay.cpp), for parseGuiOptions: -1 to go on, 2
// for a bad value (message on stderr).
int parseReplayOptions(const QCommandLineParser& parser, GuiOptions& out);

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
  // --train-both and --compare end here: the Compare window's screenshot, then finish.
  void finishCompare(CompareWindow* compare);
  void finish(int code);
  bool writeScreenshots();
  // AutomationReplay.cpp: --open, then the outputs once the window has shown the epoch.
  void beginReplay();
  bool writeExports();  // frames and tables; false (message on stderr) when one failed

  MainWindow* window_;
  GuiOptions options_;
  int exitCode_ = 0;
  bool done_ = false;
};

}  // namespace centroid::ui
