// Command-line replay and export: --open a run file, pick --epoch, then write --screenshot,
// --frames-dir and the --export-* tables, and --quit with 0, or 2 and one line saying why.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "core/metrics/Tables.h"
#include "ui/window/Automation.h"
#include "ui/window/MainWindow.h"
#include "ui/export/CommandLineExports.h"
#include "ui/export/VideoEncoder.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {
namespace {

bool readCount(const QCommandLineParser& p, const QString& name, int low, int high, int& out) {
  if (!p.isSet(name)) return true;
  bool ok = false;
  const int n = p.value(name).trimmed().toInt(&ok);
  if (!ok || n < low || n > high) {
    complainLine(QStringLiteral("--%1: expected a whole number from %2 to %3, got \"%4\"")
                     .arg(name)
                     .arg(low)
                     .arg(high)
                     .arg(p.value(name)));
    return false;
  }
  out = n;
  return true;
}

bool checkTablePath(const QString& option, const QString& path) {
  TableFormat format;
  if (path.isEmpty() || tableFormatForPath(path.toStdString(), format)) return true;
  complainLine(QStringLiteral("--%1: the format follows the extension; use .csv or .md, got \"%2\"")
                   .arg(option, path));
  return false;
}

}  // namespace

int parseReplayOptions(const QCommandLineParser& p, GuiOptions& o) {
  if (p.isSet("open")) o.open = p.value("open");
  else if (p.positionalArguments().size() == 1) o.open = p.positionalArguments().first();
  if (p.isSet("epoch") && p.value("epoch").trimmed() == QLatin1String("all")) {
    o.allEpochs = true;
  } else if (p.isSet("epoch")) {
    int epoch = 0;
    if (!readCount(p, "epoch", 1, 1 << 30, epoch)) return 2;
    o.epoch = epoch;
  }
  if (!readCount(p, "scale", 1, 4, o.scale) || !readCount(p, "frames-per-epoch", 1, 100, o.framesPerEpoch))
    return 2;
  o.framesDir = p.value("frames-dir");
  o.exportMetrics = p.value("export-metrics");
  o.exportClusters = p.value("export-clusters");
  o.exportAnimation = p.value("export-animation");
  if (!readCount(p, "fps", 1, 120, o.fps)) return 2;
  if (p.isSet("epochs") && p.value("epochs").contains(':')) {
    const QStringList range = p.value("epochs").split(':');
    bool ok1 = false, ok2 = false;
    o.firstEpoch = range.size() == 2 ? range[0].toInt(&ok1) : 0;
    o.lastEpoch = range.size() == 2 ? range[1].toInt(&ok2) : 0;
    if (!ok1 || !ok2 || o.firstEpoch < 1 || o.lastEpoch < o.firstEpoch) {
      complainLine(
          QStringLiteral("--epochs: expected A:B with 1 <= A <= B, got \"%1\"").arg(p.value("epochs")));
      return 2;
    }
  }
  if (o.firstEpoch > 0 && o.exportAnimation.isEmpty()) {
    complainLine(QStringLiteral("--epochs A:B goes with --export-animation"));
    return 2;
  }
  if (!o.exportAnimation.isEmpty() && !VideoEncoder::supportedPath(o.exportAnimation)) {
    complainLine(
        QStringLiteral(
            "--export-animation: the format follows the extension; use .mp4, .webm or .gif, got \"%1\"")
            .arg(o.exportAnimation));
    return 2;
  }
  o.exportEmbedding = p.value("export-embedding");
  if (!o.exportEmbedding.isEmpty()) {
    const QString suffix = QFileInfo(o.exportEmbedding).suffix().toLower();
    if (suffix != "csv" && suffix != "npy") {
      complainLine(
          QStringLiteral("--export-embedding: the format follows the extension; use .csv or .npy, got \"%1\"")
              .arg(o.exportEmbedding));
      return 2;
    }
  }
  if (o.allEpochs &&
      (o.exportEmbedding.isEmpty() || !o.screenshot.isEmpty() || !o.exportClusters.isEmpty())) {
    complainLine(
        QStringLiteral("--epoch all goes with --export-embedding only: the other outputs show one epoch"));
    return 2;
  }
  if (!checkTablePath("export-metrics", o.exportMetrics) ||
      !checkTablePath("export-clusters", o.exportClusters))
    return 2;
  if ((o.epoch || o.allEpochs) && !o.open) {
    complainLine(QStringLiteral("--epoch needs --open: it picks an epoch of a saved run"));
    return 2;
  }
  if (o.open && o.train) {
    complainLine(QStringLiteral("--open and --train exclude each other: replay a run or train one"));
    return 2;
  }
  return -1;
}

void Automation::beginReplay() {
  // Queued, as --train: the window maps once before the file is read.
  QTimer::singleShot(0, this, [this] {
    if (!window_->openRun(*options_.open)) {
      complainLine(window_->run()->errorString().isEmpty() ? window_->bannerText()
                                                           : window_->run()->errorString());
      finish(2);
      return;
    }
    RunModel* replay = window_->run();
    if (options_.epoch) {
      const int index = replay->indexOfEpoch(*options_.epoch);
      if (index < 0) {
        complainLine(replay->missingEpochText(*options_.epoch));
        finish(2);
        return;
      }
      if (!replay->setCurrentIndex(index, false)) {
        complainLine(replay->errorString());
        finish(2);
        return;
      }
    }
    const bool wantsEpoch = !options_.screenshot.isEmpty() || !options_.windowScreenshot.isEmpty() ||
                            !options_.exportClusters.isEmpty() || !options_.framesDir.isEmpty() ||
                            !options_.exportAnimation.isEmpty();
    if (wantsEpoch && replay->epochCount() == 0) {
      complainLine(QStringLiteral("%1: the run has no saved epoch to show").arg(*options_.open));
      finish(2);
      return;
    }
    // As the plain --screenshot path: give the window a moment to map and draw the epoch.
    QTimer::singleShot(500, this, [this] {
      const bool shots = writeScreenshots(), exports = writeExports();  // each, even after a failure
      const bool written = shots && exports;
      finish(written ? 0 : 2);
    });
  });
}

bool Automation::writeExports() {
  bool ok = true;
  auto report = [&](bool done, const QString& what) {
    if (done) {
      std::printf("centroid: wrote %s\n", qPrintable(what));
    } else {
      complainLine(QStringLiteral("could not write %1: %2").arg(what, window_->bannerText()));
      ok = false;
    }
  };
  if (!options_.exportAnimation.isEmpty()) {
    const bool tty = isatty(fileno(stderr));
    report(window_->exportAnimation(options_.exportAnimation, options_.fps, options_.framesPerEpoch,
                                    options_.scale, options_.firstEpoch, options_.lastEpoch,
                                    [tty](int done, int total) {
                                      // A progress line: rewritten on a terminal, every 10% otherwise.
                                      if (tty || done == total || done % std::max(1, total / 10) == 0)
                                        std::fprintf(stderr,
                                                     tty ? "\rcentroid: animation frame %d of %d"
                                                         : "centroid: animation frame %d of %d\n",
                                                     done, total);
                                      if (tty && done == total) std::fputc('\n', stderr);
                                      return true;
                                    }),
           options_.exportAnimation);
  }
  if (!options_.framesDir.isEmpty())
    report(window_->exportFrames(options_.framesDir, options_.scale, options_.framesPerEpoch),
           options_.framesDir);
  if (!options_.exportMetrics.isEmpty())
    report(window_->exportMetricsTable(options_.exportMetrics), options_.exportMetrics);
  if (!options_.exportClusters.isEmpty())
    report(window_->exportClusterTable(options_.exportClusters), options_.exportClusters);
  if (!options_.exportEmbedding.isEmpty())
    report(window_->exportEmbedding(options_.exportEmbedding, options_.allEpochs), options_.exportEmbedding);
  std::fflush(stdout);
  return ok;
}

}  // namespace centroid::ui
