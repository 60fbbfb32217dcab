// Command-line switches of the centroid program and the driver that acts on them.
#include "ui/window/Automation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QEvent>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "core/objectives/Objectives.h"
#include "ui/window/CompareWindow.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/MainWindow.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/window/TrainBoth.h"

namespace centroid::ui {
namespace {

void complain(const QString& text) { std::fprintf(stderr, "centroid: %s\n", qPrintable(text)); }

bool readInt(const QCommandLineParser& p, const QString& name, std::optional<int>& out) {
  if (!p.isSet(name)) return true;
  QString v = p.value(name).trimmed().toLower();
  int factor = 1;
  if (name == "points" && v.endsWith('k')) {  // "--points 20k"
    v.chop(1);
    factor = 1000;
  }
  bool ok = false;
  const int n = v.toInt(&ok);
  if (!ok) {
    complain(QStringLiteral("--%1: expected a whole number, got \"%2\"").arg(name, p.value(name)));
    return false;
  }
  out = n * factor;
  return true;
}

}  // namespace

TrainConfig GuiOptions::apply(TrainConfig c) const {
  // As choosing it in the panel: the objective's training defaults, then the switches below.
  if (objective && objective->toStdString() != c.objective) c = withObjective(c, objective->toStdString());
  if (epochs) c.maxEpochs = *epochs;
  if (subset) c.subset = *subset;
  if (patience) c.patience = *patience;
  if (clusters) c.clusters = *clusters;
  if (batchSize) c.batchSize = *batchSize;
  if (dim) c.embedDim = *dim;
  if (threads) c.threads = *threads;
  if (lr) c.learningRate = *lr;
  if (seed) c.seed = *seed;
  if (dataset) c.dataset = dataset->toStdString();
  if (dataDir) c.dataDir = dataDir->toStdString();
  if (device) c.device = device->toStdString();
  if (precision) c.precision = precision->toStdString();
  if (baselines) c.baselines = *baselines;
  if (points) {
    // The presets' rule generalised: up to 10k training images first, then up to the 10k
    // test images, then the rest of the training split (20k = 10k + 10k, 70k = all).
    const int n = std::max(0, *points);
    c.viewTest = std::clamp(n - 10000, 0, 10000);
    c.viewTrain = n - c.viewTest;
  }
  return c;
}

int parseGuiOptions(const QStringList& arguments, GuiOptions& o) {
  QCommandLineParser p;
  p.setApplicationDescription(
      "Centroid: watch a CNN learn to cluster MNIST with k-means as its loss.\n"
      "Without switches the window opens with the settings of the last session. With --quit the\n"
      "run uses defaults plus the switches given, and leaves the remembered settings alone.\n"
      "Exit codes: 0 done, 2 bad arguments or inputs, 3 training failed, 130 stopped.");
  p.addHelpOption();
  p.addVersionOption();
  p.addOptions({
      {"train", "Start training at once."},
      {"objective", "Training objective: seed (the post's k-means loss, default) or friendly.", "name"},
      {"train-both",
       "Train the seed objective, then the friendly one (same data and seed; each with its own\n"
       "learning rate, batch size and patience, --epochs for both), then compare them."},
      {"compare", "Show two run files side by side: --compare a.h5 b.h5 [--epoch N] [--screenshot f.png].",
       "a.h5"},
      {"quit", "Exit when the run (and any screenshot) is done; implies no remembered settings."},
      {"screenshot", "Write the 3-D view as PNG when the run ends.", "png"},
      {"window-screenshot", "Write the whole window as PNG when the run ends.", "png"},
      {"epochs", "Maximum number of epochs; with --export-animation, A:B picks epochs A to B.", "n|A:B"},
      {"subset", "Train on the first N training images (0 = all).", "n"},
      {"lr", "Learning rate (e.g. 1e-4).", "rate"},
      {"patience", "Stop after N epochs without a lower loss.", "n"},
      {"clusters", "Number of clusters K.", "k"},
      {"batch-size", "Images per optimisation step.", "n"},
      {"dim", "Embedding dimension.", "d"},
      {"seed", "Random seed.", "n"},
      {"points", "Points shown: 10k (train), 20k (10k train + 10k test), 40k, 70k, or a count.", "n"},
      {"dataset", "mnist, fashion-mnist, or a folder with the four IDX files.", "name"},
      {"data-dir", "Where mnist/fashion-mnist are looked up.", "dir"},
      {"runs-dir", "Folder for run files.", "dir"},
      {"device", "cpu or cuda[:N].", "device"},
      {"threads", "CPU threads (0 = all cores).", "n"},
      {"precision", "fp32, or bf16: the encoder's conv2 in bfloat16 (fast with AVX512-BF16 or AMX).",
       "fp32|bf16"},
      {"baselines", "Also compute k-means on pixels and PCA(3)+k-means."},
      {"color-by", "Colour points by label or cluster.", "label|cluster"},
      {"no-3d", "Show no 3-D view (for machines without OpenGL)."},
      {"open", "Replay a saved run file (also: the file as the only argument).", "run.h5"},
      {"epoch",
       "With --open: show the epoch numbered N (default: the last); \"all\" for\n"
       "--export-embedding: every epoch.",
       "n|all"},
      {"scale", "Size of --screenshot and --frames-dir images, 1-4 times the view's.", "1-4"},
      {"frames-dir", "Write one PNG per saved epoch into this folder (frame-00001.png, ...).", "dir"},
      {"frames-per-epoch", "With --frames-dir: frames per epoch, points moving in between.", "n"},
      {"export-metrics", "Write the per-epoch metrics table (.csv or .md).", "file"},
      {"export-clusters", "Write the shown epoch's contingency matrix and purity (.csv or .md).", "file"},
      {"export-animation",
       "Write the run as an animation (.mp4, .webm or .gif): points glide between epochs.", "file"},
      {"fps", "With --export-animation: frames per second (default 30).", "n"},
      {"export-embedding", "Write the view points' coordinates, labels and clusters (.csv or .npy).", "file"},
  });
  p.addPositionalArgument("run.h5", "A run file to replay (the same as --open run.h5).", "[run.h5]");
  if (!p.parse(arguments)) {
    complain(p.errorText());
    return 2;
  }
  if (p.isSet("help")) {
    // Parsed before any QCoreApplication exists (--help needs no display), so Qt does not know
    // the program's name: it is the first argument.
    QString help = p.helpText();
    help.replace(QStringLiteral("<executable_name>"),
                 arguments.isEmpty() ? QStringLiteral("centroid") : QFileInfo(arguments.first()).fileName());
    std::fputs(qPrintable(help), stdout);
    return 0;
  }
  if (p.isSet("version")) {
    std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
                qPrintable(QCoreApplication::applicationVersion()));
    return 0;
  }
  const QStringList positional = p.positionalArguments();
  if (p.isSet("compare")) {
    // --compare a.h5 b.h5: the second file arrives as the positional argument.
    if (positional.size() != 1 || p.isSet("open")) {
      complain(QStringLiteral("--compare: expects two run files, --compare a.h5 b.h5"));
      return 2;
    }
    o.compare = {p.value("compare"), positional.first()};
    if (!readInt(p, "epoch", o.epoch)) return 2;
    o.quit = p.isSet("quit");
    o.screenshot = p.value("screenshot");
    o.windowScreenshot = p.value("window-screenshot");
    return -1;
  }
  if (positional.size() > 1 || (positional.size() == 1 && p.isSet("open"))) {
    complain(QStringLiteral("unexpected argument \"%1\" (see --help)").arg(positional.last()));
    return 2;
  }
  if (const int code = parseReplayOptions(p, o); code >= 0) return code;
  o.train = p.isSet("train");
  o.trainBoth = p.isSet("train-both");
  o.quit = p.isSet("quit");
  o.no3d = p.isSet("no-3d");
  o.screenshot = p.value("screenshot");
  o.windowScreenshot = p.value("window-screenshot");
  // "--epochs A:B" is the animation's range (AutomationReplay.cpp), not a maximum.
  const bool range = p.value("epochs").contains(':');
  const bool ints = (range || readInt(p, "epochs", o.epochs)) && readInt(p, "subset", o.subset) &&
                    readInt(p, "patience", o.patience) && readInt(p, "clusters", o.clusters) &&
                    readInt(p, "batch-size", o.batchSize) && readInt(p, "dim", o.dim) &&
                    readInt(p, "threads", o.threads) && readInt(p, "points", o.points);
  if (!ints) return 2;
  if (p.isSet("lr")) {
    double lr = 0;
    if (!parseLearningRate(p.value("lr"), &lr)) {
      complain(QStringLiteral("--lr: expected a number such as 1e-4, got \"%1\"").arg(p.value("lr")));
      return 2;
    }
    o.lr = lr;
  }
  if (p.isSet("seed")) {
    bool ok = false;
    o.seed = p.value("seed").toULongLong(&ok);
    if (!ok) {
      complain(
          QStringLiteral("--seed: expected a non-negative whole number, got \"%1\"").arg(p.value("seed")));
      return 2;
    }
  }
  if (p.isSet("objective")) {
    if (!findObjective(p.value("objective").toStdString())) {
      complain(
          QStringLiteral("--objective: expected seed or friendly, got \"%1\"").arg(p.value("objective")));
      return 2;
    }
    o.objective = p.value("objective");
  }
  if (p.isSet("dataset")) o.dataset = p.value("dataset");
  if (p.isSet("data-dir")) o.dataDir = p.value("data-dir");
  if (p.isSet("runs-dir")) o.runsDir = p.value("runs-dir");
  if (p.isSet("device")) o.device = p.value("device");
  if (p.isSet("precision")) {
    if (p.value("precision") != "fp32" && p.value("precision") != "bf16") {
      complain(QStringLiteral("--precision: expected fp32 or bf16, got \"%1\"").arg(p.value("precision")));
      return 2;
    }
    o.precision = p.value("precision");
  }
  if (p.isSet("baselines")) o.baselines = true;
  if (p.isSet("color-by")) {
    const QString c = p.value("color-by").toLower();
    if (c != "label" && c != "cluster") {
      complain(QStringLiteral("--color-by: expected label or cluster, got \"%1\"").arg(p.value("color-by")));
      return 2;
    }
    o.colorBy = c == "label" ? ScatterView::ColorBy::Label : ScatterView::ColorBy::Cluster;
  }
  // Settings are checked here rather than in the panel, which would clamp e.g. --epochs 0.
  if (const std::string m = o.apply(TrainConfig{}).validate(); !m.empty()) {
    complain(QString::fromStdString(m));
    return 2;
  }
  return -1;
}

int exitCodeFor(const TrainResult& r) {
  switch (r.status) {
    case TrainStatus::Completed:
    case TrainStatus::EarlyStopped: return 0;
    case TrainStatus::Cancelled: return 130;
    case TrainStatus::Failed: return 3;
  }
  return 3;
}

Automation::Automation(MainWindow* window, GuiOptions options, QObject* parent)
    : QObject(parent), window_(window), options_(std::move(options)) {
  ControlsPanel* controls = window_->controls();
  controls->setConfig(options_.apply(controls->toConfig()));
  if (options_.runsDir) controls->setRunsFolder(*options_.runsDir);
  if (options_.colorBy) window_->setColorBy(*options_.colorBy);

  connect(window_, &MainWindow::runFinished, this, [this](const TrainResult& r) {
    exitCode_ = exitCodeFor(r);
    if (r.status == TrainStatus::Failed)
      complain(QStringLiteral("training failed: %1").arg(QString::fromStdString(r.reason)));
  });
  connect(window_, &MainWindow::runFailed, this, [this](const QString& m) {
    exitCode_ = 2;
    complain(m);
  });
  connect(window_, &MainWindow::runEnded, this, &Automation::onRunEnded);
  window_->installEventFilter(this);
}

bool Automation::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::Close && options_.quit && !done_ &&
      window_->isTraining()) {
    // Closed by hand during a scripted run: the run is cancelled (the window waits for the
    // file to close), and the script must not read that as success.
    done_ = true;
    QApplication::setQuitOnLastWindowClosed(false);
    QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(130); });
  }
  return QObject::eventFilter(watched, event);
}

void Automation::begin() {
  if (options_.open) {
    beginReplay();
    return;
  }
  if (!options_.compare.isEmpty()) {
    QTimer::singleShot(0, this, [this] {
      CompareWindow* compare = window_->compareRuns(options_.compare[0], options_.compare[1]);
      if (compare && options_.epoch && !compare->showEpoch(*options_.epoch)) {
        complain(QStringLiteral("--epoch %1: neither run stored that epoch").arg(*options_.epoch));
        finish(2);
        return;
      }
      if (!compare) complain(window_->bannerText());
      exitCode_ = compare ? 0 : 2;
      finishCompare(compare);
    });
    return;
  }
  if (options_.trainBoth) {
    connect(window_->trainBoth(), &TrainBoth::finished, this, &Automation::finishCompare);
    QTimer::singleShot(0, this, [this] {
      if (!window_->trainBoth()->start(options_.epochs.value_or(0)) && !done_ && !window_->isTraining()) {
        complain(window_->bannerText());
        finish(2);
      }
    });
    return;
  }
  if (options_.train) {
    // Queued: the window is mapped and painted once before the data starts loading.
    QTimer::singleShot(0, this, [this] {
      if (!window_->startTraining()) {
        // startTraining(config) reports through runFailed/runEnded, but the panel's own checks
        // (a missing dataset folder) only show in the banner: say it and leave.
        if (!done_ && !window_->isTraining()) {
          complain(window_->bannerText());
          finish(2);
        }
      }
    });
  } else if (!options_.screenshot.isEmpty() || !options_.windowScreenshot.isEmpty() || options_.quit) {
    // Nothing to wait for: give the window a moment to map and render its first frame.
    QTimer::singleShot(500, this, [this] { finish(writeScreenshots() ? 0 : 2); });
  }
}

void Automation::onRunEnded(bool) {
  if (done_ || options_.trainBoth) return;  // --train-both ends in finishCompare
  if (window_->epochsShown() == 0 && exitCode_ != 0) {
    // Nothing was drawn: an image of an empty view would only hide the failure.
    finish(exitCode_);
    return;
  }
  // A short pause lets the last epoch's charts and tables repaint before the grab.
  QTimer::singleShot(100, this, [this] {
    const bool shots = writeScreenshots(), exports = writeExports();  // both, even if one failed
    const bool written = shots && exports;
    finish(exitCode_ == 0 && !written ? 2 : exitCode_);
  });
}

void Automation::finishCompare(CompareWindow* compare) {
  if (done_) return;
  if (!compare) {
    finish(exitCode_ != 0 ? exitCode_ : 2);
    return;
  }
  // Let both views render their epoch before the grab.
  QTimer::singleShot(500, this, [this, compare] {
    bool ok = true;
    for (const QString& path : {options_.screenshot, options_.windowScreenshot}) {
      if (path.isEmpty()) continue;
      if (VtkOpenGLWidget::grabWithViews(compare).save(path)) {
        std::printf("centroid: wrote %s\n", qPrintable(path));
      } else {
        complain(QStringLiteral("could not write %1").arg(path));
        ok = false;
      }
    }
    std::fflush(stdout);
    finish(ok ? exitCode_ : 2);
  });
}

bool Automation::writeScreenshots() {
  // The view frames the cloud once, at the first epoch, and then leaves the camera to the
  // user; the cloud usually grows after that. A scripted picture should show all of it.
  window_->resetView();
  bool ok = true;
  // The window first: the view export's "Saved …" note would replace the run's summary in
  // the status bar.
  if (!options_.windowScreenshot.isEmpty()) {
    if (window_->exportWindowImage(options_.windowScreenshot))
      std::printf("centroid: wrote %s\n", qPrintable(options_.windowScreenshot));
    else {
      complain(QStringLiteral("could not write %1").arg(options_.windowScreenshot));
      ok = false;
    }
  }
  if (!options_.screenshot.isEmpty()) {
    if (window_->exportViewImage(options_.screenshot, options_.scale))
      std::printf("centroid: wrote %s\n", qPrintable(options_.screenshot));
    else {
      complain(QStringLiteral("could not write %1: %2").arg(options_.screenshot, window_->bannerText()));
      ok = false;
    }
  }
  std::fflush(stdout);
  return ok;
}

void Automation::finish(int code) {
  if (done_) return;
  done_ = true;
  if (!options_.quit) return;
  // Closing the last window would otherwise quit with 0 and override the code below.
  QApplication::setQuitOnLastWindowClosed(false);
  window_->close();  // waits for the training thread: the run file is closed before exit
  QCoreApplication::exit(code);
}

}  // namespace centroid::ui
