// bench_gui: replay and GUI figures with the real window classes, under Xvfb: scrubbing a stored
// epoch (read + upload, and its frame against a camera-only frame), opening a run to its first
// frame on screen, how long the GUI thread stalls while the window trains full MNIST, and the
// process's peak memory. Each figure is printed beside its target. See docs/benchmarks.md,
// "Replay and GUI".
//
//   xvfb-run -a -s "-screen 0 1280x1024x24" build-view/bench/bench_gui [--only stall,scrub,open]
//       [--epochs 3] [--scrubs 30] [--opens 6] [--data-dir DIR] [--keep]
#include "bench/BenchSupport.h"  // first: torch's headers must precede Qt's `slots` macro
#include "bench/GuiFixture.h"
#include "bench/GuiProbe.h"

#include <fmt/format.h>

#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QMouseEvent>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>

#include "core/data/Dataset.h"
#include "core/training/Trainer.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/MainWindow.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/Timeline.h"

#ifndef CENTROID_APP_BIN_DIR
#define CENTROID_APP_BIN_DIR "app"
#endif

namespace cb = centroid::bench;
using centroid::ui::MainWindow;
using centroid::ui::ScatterView;

namespace {

constexpr double kScrubTargetMs = 5, kFrameTargetMs = 16, kFrameRatioTarget = 1.10;  // 16 ms: issue 11
constexpr double kOpenTargetMs = 300, kStallTargetMs = 50, kProbeMs = 10, kMemoryTargetMiB = 1536;
constexpr int kRunEpochs = 100;

double ms(qint64 a, qint64 b) { return static_cast<double>(b - a) / 1e6; }

// One line of the results: figure, value, target, verdict.
void row(const std::string& figure, const std::string& value, const std::string& target = "", int met = -1) {
  std::printf("  %-52s %-40s %-16s %s\n", figure.c_str(), value.c_str(), target.c_str(),
              met < 0 ? ""
              : met   ? "met"
                      : "MISSED");
  std::fflush(stdout);
}
std::string medP95(const std::vector<double>& v) {
  return fmt::format("{:.2f} ms (p95 {:.2f}, n={})", cb::percentile(v, 0.5), cb::percentile(v, 0.95),
                     v.size());
}

// How busy the machine was during a part: other processes, Xvfb (our X server) and ourselves.
class LoadMeter {
 public:
  LoadMeter() : a_(cb::cpuSnapshot()), xvfb_(cb::xvfbSeconds()) {}
  std::string report() const {
    const cb::CpuSnapshot b = cb::cpuSnapshot();
    const double wall = std::chrono::duration<double>(b.at - a_.at).count();
    const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    const double xvfb = wall > 0 ? (cb::xvfbSeconds() - xvfb_) / (wall * cores) : 0;
    const double others = std::max(0.0, cb::othersShare(a_, b) - xvfb);
    return fmt::format(
        "{:.0f} s; other processes used {:.0f}% of the {:.0f} cores, Xvfb {:.0f}%, bench_gui {:.0f}%", wall,
        100 * others, cores, 100 * xvfb, 100 * (b.own - a_.own) / (wall * cores));
  }

 private:
  cb::CpuSnapshot a_;
  double xvfb_;
};

// Runs the event loop until `signal` fires or `waitMs` passed. Returns when it fired (nowNs), or -1.
template <class Sender, class Signal>
qint64 waitFor(const Sender* sender, Signal signal, int waitMs) {
  QEventLoop loop;
  qint64 at = -1;
  auto c = QObject::connect(sender, signal, &loop, [&] {
    if (at < 0) at = cb::nowNs();
    loop.quit();
  });
  QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
  loop.exec();
  QObject::disconnect(c);
  return at;
}
qint64 waitForFrame(ScatterView* view) { return waitFor(view, &ScatterView::frameRendered, 5000); }
void settle(int waitMs) {
  QEventLoop loop;
  QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
  loop.exec();
}

void mouse(ScatterView* view, QEvent::Type type, QPointF at, Qt::MouseButton button,
           Qt::MouseButtons buttons) {
  QMouseEvent e(type, at, view->mapToGlobal(at), button, buttons, Qt::NoModifier);
  QApplication::sendEvent(view, &e);
}

// Where the GUI thread's time per frame goes: every top-level event; of those, the window's
// repaints (UpdateRequest: paint the dirty widgets, compose the window with OpenGL, swap) and
// the charts' scene flushes (a QGraphicsScene's queued update, which repaints the window on
// the spot); and each widget's own paint event.
struct RepaintCost {
  int frames = 0;
  double updateMs = 0, sceneMs = 0, busyMs = 0;
  std::map<QString, std::pair<int, double>> paints;
  void begin(cb::TimedApplication& app) {
    app.paints.clear(), app.events.clear();
    app.minMs = 0, app.recording = true, app.countPaints = true;
  }
  void end(cb::TimedApplication& app) {
    app.recording = false, app.countPaints = false, app.minMs = 3;
    ++frames;
    for (const auto& e : app.events) {
      busyMs += ms(e.start, e.end);
      if (e.what.contains("UpdateRequest")) updateMs += ms(e.start, e.end);
      if (e.what.startsWith("QGraphicsScene")) sceneMs += ms(e.start, e.end);
    }
    for (const auto& [cls, p] : app.paints) paints[cls].first += p.first, paints[cls].second += p.second;
  }
  void print(const char* what) const {
    QStringList parts;
    for (const auto& [cls, p] : paints)
      if (p.second / frames >= 0.3)
        parts << QStringLiteral("%1 %2").arg(cls).arg(p.second / frames, 0, 'f', 1);
    std::printf(
        "  GUI thread per %s: busy %.1f ms; window repaints %.1f, chart-scene flushes %.1f; widget paints "
        "(ms): %s\n",
        what, busyMs / frames, updateMs / frames, sceneMs / frames, qPrintable(parts.join(", ")));
  }
};

// 1. Scrub: a stored epoch read cold and uploaded; its frame against a camera-only frame.
void benchScrub(cb::TimedApplication& app, MainWindow& w, const std::string& path, int scrubs) {
  ScatterView* view = w.view();
  centroid::ui::RunModel* replay = w.run();
  LoadMeter load;
  if (!w.openRun(QString::fromStdString(path))) return (void)std::printf("cannot open %s\n", path.c_str());
  waitForFrame(view);
  settle(300);
  const int n = replay->epochCount();
  std::printf("\n[scrub] %s: %d epochs of %d points, %dx%d view\n", path.c_str(), n, view->pointCount(),
              view->width(), view->height());
  // Distinct epochs, alternating between two halves of the run: none is in the controller's
  // cache (current epoch +-1) nor in HDF5's chunk cache, so each is a real read.
  auto epochIndex = [&](int i, int base) { return std::min(n - 3, (i % 2 ? base + n / 2 : base) + i / 2); };
  std::vector<double> read, upload, sum, frame, render, camera, cameraRender, windowCall, windowFrame;
  RepaintCost scrubCost, cameraCost, stepCost;
  const QPointF centre(view->width() / 2.0, view->height() / 2.0);
  mouse(view, QEvent::MouseButtonPress, centre, Qt::LeftButton, Qt::LeftButton);
  for (int i = 0; i < scrubs; ++i) {
    const qint64 t0 = cb::nowNs();
    const centroid::ui::EpochFramePtr f = replay->frameAt(epochIndex(i, 0));
    const qint64 t1 = cb::nowNs();
    if (!f) return (void)std::printf("read failed: %s\n", qPrintable(replay->errorString()));
    scrubCost.begin(app);
    view->setFrame(*f, false);
    const qint64 t2 = cb::nowNs(), t3 = waitForFrame(view);
    scrubCost.end(app);
    read.push_back(ms(t0, t1)), upload.push_back(ms(t1, t2)), sum.push_back(ms(t0, t2));
    if (t3 > 0) frame.push_back(ms(t1, t3)), render.push_back(view->lastRenderMs());
    // A camera-only frame in between: one mouse move of a left-button drag.
    const QPointF at = centre + QPointF(3.0 * ((i % 20) - 10), 1.0 * (i % 7));
    cameraCost.begin(app);
    const qint64 c0 = cb::nowNs();
    mouse(view, QEvent::MouseMove, at, Qt::NoButton, Qt::LeftButton);
    if (const qint64 c1 = waitForFrame(view); c1 > 0)
      camera.push_back(ms(c0, c1)), cameraRender.push_back(view->lastRenderMs());
    cameraCost.end(app);
  }
  mouse(view, QEvent::MouseButtonRelease, centre, Qt::LeftButton, Qt::NoButton);
  // The same step the way the timeline asks for it: RunModel::setCurrentIndex, which
  // reads the epoch and has the window update the view, charts, purity table and status bar.
  for (int i = 0; i < scrubs; ++i) {
    stepCost.begin(app);
    const qint64 t0 = cb::nowNs();
    replay->setCurrentIndex(epochIndex(i, 2 + scrubs / 2), false);
    const qint64 t1 = cb::nowNs(), t2 = waitForFrame(view);
    stepCost.end(app);
    windowCall.push_back(ms(t0, t1));
    if (t2 > 0) windowFrame.push_back(ms(t0, t2));
    settle(80);  // the controller prefetches the next epoch 40 ms after a move: not timed here
  }
  const double s50 = cb::percentile(sum, 0.5), f50 = cb::percentile(frame, 0.5),
               c50 = cb::percentile(camera, 0.5);
  row("read: RunModel::frameAt (RunReader::frame)", medP95(read));
  row("upload: ScatterView::setFrame(frame, false)", medP95(upload));
  row("read + upload", medP95(sum), fmt::format("<= {:.0f} ms", kScrubTargetMs), s50 <= kScrubTargetMs);
  row("scrubbed epoch: setFrame -> frameRendered", medP95(frame), fmt::format("<= {:.0f} ms", kFrameTargetMs),
      f50 <= kFrameTargetMs);
  row("  of which VTK Render()", medP95(render));
  row("camera-only frame: mouse move -> frameRendered", medP95(camera),
      fmt::format("<= {:.0f} ms", kFrameTargetMs), c50 <= kFrameTargetMs);
  row("  of which VTK Render()", medP95(cameraRender));
  row("scrubbed / camera-only frame (medians)", fmt::format("{:.2f}", f50 / c50),
      fmt::format("~1 (<= {:.2f})", kFrameRatioTarget), f50 / c50 <= kFrameRatioTarget);
  row("timeline step: setCurrentIndex() call (read+window)", medP95(windowCall));
  const double w50 = cb::percentile(windowFrame, 0.5);
  row("timeline step: setCurrentIndex -> frameRendered", medP95(windowFrame),
      fmt::format("<= {:.0f} ms", kFrameTargetMs), w50 <= kFrameTargetMs);
  row("timeline step / camera-only frame (medians)", fmt::format("{:.2f}", w50 / c50),
      fmt::format("~1 (<= {:.2f})", kFrameRatioTarget), w50 / c50 <= kFrameRatioTarget);
  // What each of the window's per-epoch updates costs the GUI thread on its own (each is
  // followed by one window repaint); onReplayFrame does all of them for a timeline step.
  const centroid::ui::EpochFramePtr shown = replay->currentFrame();
  const std::vector<std::pair<const char*, std::function<void(int)>>> parts = {
      {"charts->setCurrentEpoch", [&](int i) { w.charts()->setCurrentEpoch(1 + i % 50); }},
      {"purity->setFrame", [&](int) { w.purity()->setFrame(*shown, replay->viewSet()->labels); }},
      {"timeline->setCurrentIndex", [&](int i) { w.timeline()->setCurrentIndex(i % 50); }},
      {"statusBar()->showMessage",
       [&](int i) { w.statusBar()->showMessage(QStringLiteral("Epoch %1").arg(i)); }}};
  for (const auto& [name, part] : parts) {
    RepaintCost cost;
    for (int i = 0; i < 10; ++i) {
      cost.begin(app);
      part(i);
      settle(60);
      cost.end(app);
    }
    cost.print(name);
  }
  scrubCost.print("scrubbed frame");
  cameraCost.print("camera frame");
  stepCost.print("timeline step");
  std::printf("  load: %s\n", load.report().c_str());
}

// 2. Open: MainWindow::openRun (what File > Open calls) to the first frame on screen. Where the
// build has centroid-probe-run (RunModel::open reads each file in that helper process
// first), once as shipped, with the helper, and once without it (CENTROID_PROBE_RUN empty).
void benchOpen(MainWindow& w, const std::vector<std::pair<std::string, std::string>>& pairs, int opens) {
  ScatterView* view = w.view();
  const QString helper = QStringLiteral(CENTROID_APP_BIN_DIR "/centroid-probe-run");
  std::vector<std::pair<QString, QString>> variants;  // (CENTROID_PROBE_RUN, what it means)
  if (QFileInfo(helper).isExecutable()) variants.emplace_back(helper, "as shipped: with centroid-probe-run");
  variants.emplace_back(QString(), variants.empty() ? "" : "without the helper (CENTROID_PROBE_RUN empty)");
  for (const auto& [a, b] : pairs) {
    std::printf(
        "\n[open] %s and %s alternately (%d opens each; HDF5 opened fresh each time, files in the OS "
        "page cache)\n",
        a.c_str(), b.c_str(), opens);
    for (const auto& [program, what] : variants) {
      qputenv("CENTROID_PROBE_RUN", program.toLocal8Bit());
      LoadMeter load;
      std::vector<double> call, total;
      for (int r = 0; r < opens; ++r) {
        w.closeRun();
        settle(200);
        const std::string& path = r % 2 ? b : a;
        const qint64 t0 = cb::nowNs();
        const bool ok = w.openRun(QString::fromStdString(path));
        const qint64 t1 = cb::nowNs(), t2 = ok ? waitForFrame(view) : -1;
        if (!ok) return (void)std::printf("cannot open %s: %s\n", path.c_str(), qPrintable(w.bannerText()));
        call.push_back(ms(t0, t1));
        if (t2 > 0) total.push_back(ms(t0, t2));
      }
      w.closeRun();
      const double t50 = cb::percentile(total, 0.5);
      if (!what.isEmpty()) std::printf("  %s\n", qPrintable(what));
      row("openRun -> first frameRendered", medP95(total), fmt::format("<= {:.0f} ms", kOpenTargetMs),
          t50 <= kOpenTargetMs);
      row("  of which the openRun() call (read + widgets)", medP95(call));
      std::printf("  load: %s\n", load.report().c_str());
    }
    // The reading alone, as RunModel::open does it, on the same two files.
    std::vector<double> reader, viewSet, summaries, lastFrame, oneImage, allImages;
    for (int r = 0; r < opens; ++r) {
      const qint64 t0 = cb::nowNs();
      centroid::RunReader rd(r % 2 ? b : a, /*follow=*/true);
      const qint64 t1 = cb::nowNs();
      const std::size_t points = rd.viewSet(/*withImages=*/false).labels.size();
      const qint64 t2 = cb::nowNs();
      (void)rd.baselines(), (void)rd.summaries(), (void)rd.status();
      const qint64 t3 = cb::nowNs();
      (void)rd.frame(rd.epochCount() - 1);
      const qint64 t4 = cb::nowNs();
      (void)rd.viewImage(points / 2);  // what a hover reads
      const qint64 t5 = cb::nowNs();
      (void)rd.viewSet(/*withImages=*/true);  // what the open read before images came on demand
      const qint64 t6 = cb::nowNs();
      reader.push_back(ms(t0, t1)), viewSet.push_back(ms(t1, t2)), summaries.push_back(ms(t2, t3));
      lastFrame.push_back(ms(t3, t4)), oneImage.push_back(ms(t4, t5)), allImages.push_back(ms(t5, t6));
      if (points == 0) std::printf("empty view set?\n");
    }
    row("RunReader alone: open the file", medP95(reader));
    row("RunReader alone: view set without images", medP95(viewSet));
    row("RunReader alone: baselines, summaries, status", medP95(summaries));
    row("RunReader alone: last epoch's frame", medP95(lastFrame));
    row("RunReader alone: one view image (a hover)", medP95(oneImage));
    row("RunReader alone: all view images (not read on open)", medP95(allImages));
  }
}

// 3 and 4. The window trains full MNIST, started as the Train button starts it; a 10 ms timer
// on the GUI thread measures how late it fires; peak memory at the end.
struct Sample {
  qint64 at;
  double late, onCpu, waiting;  // ms: lateness; GUI thread on a CPU / runnable but waiting
};

void benchStall(cb::TimedApplication& app, MainWindow& w, int epochs, const QString& dataDir,
                const QString& runsDir) {
  centroid::ui::ControlsPanel* controls = w.controls();
  centroid::TrainConfig c = controls->toConfig();  // the panel's defaults (no QSettings read)
  c.maxEpochs = epochs;
  if (!dataDir.isEmpty()) c.dataDir = dataDir.toStdString();
  controls->setConfig(c);
  controls->setRunsFolder(runsDir);
  c = controls->toConfig();
  std::printf(
      "\n[stall] training %s in the window: %d epochs, batch %d, %d view points, threads %d (0 = all cores: "
      "%ld)\n",
      c.dataset.c_str(), c.maxEpochs, c.batchSize, c.viewTrain + c.viewTest, c.threads,
      sysconf(_SC_NPROCESSORS_ONLN));
  std::vector<Sample> samples;
  struct Shown {
    qint64 at;
    int epoch;
    double seconds;  // the epoch's training steps (EpochFrame::seconds)
  };
  std::vector<Shown> epochAt;
  QTimer probe;
  probe.setTimerType(Qt::PreciseTimer);
  probe.setInterval(static_cast<int>(kProbeMs));
  qint64 last = 0;
  cb::SchedStat lastSched;
  QObject scope;  // the connections below end with this part
  QObject::connect(&probe, &QTimer::timeout, &scope, [&] {
    const qint64 t = cb::nowNs();
    const cb::SchedStat s = cb::threadSchedStat();
    if (last > 0)
      samples.push_back({t, ms(last, t) - kProbeMs, (s.onCpu - lastSched.onCpu) / 1e6,
                         (s.waiting - lastSched.waiting) / 1e6});
    last = t, lastSched = s;
  });
  QObject::connect(&w, &MainWindow::epochShown, &scope, [&](int e) {
    app.label = QStringLiteral("MainWindow::onEpoch (epoch %1)").arg(e);
    epochAt.push_back({cb::nowNs(), e, w.lastFrame() ? w.lastFrame()->seconds : 0.0});
  });
  QObject::connect(w.view(), &ScatterView::frameRendered, &scope, [&] {
    if (app.label.isEmpty())
      app.label = QStringLiteral("view frame (VTK Render %1 ms)").arg(w.view()->lastRenderMs(), 0, 'f', 1);
  });
  LoadMeter load;
  app.events.clear();
  app.recording = true;
  probe.start();
  const qint64 start = cb::nowNs();
  bool ended = false, ok = false;
  QObject::connect(&w, &MainWindow::runEnded, &scope, [&](bool good) { ended = true, ok = good; });
  if (w.startTraining()) {
    QEventLoop loop;
    QObject::connect(&w, &MainWindow::runEnded, &loop, &QEventLoop::quit);
    QTimer::singleShot((120 + 90 * epochs) * 1000, &loop, &QEventLoop::quit);
    if (!ended) loop.exec();
  }
  probe.stop();
  app.recording = false;
  const qint64 end = cb::nowNs();
  if (!ended || !ok)
    std::printf("  training did not end well (%s): %s\n", ended ? "failed" : "timed out",
                qPrintable(w.bannerText()));

  std::vector<double> late;
  for (const Sample& s : samples) late.push_back(s.late);
  const double p99 = cb::percentile(late, 0.99);
  row("GUI-thread stall (10 ms timer lateness): samples",
      fmt::format("{} over {:.1f} s", late.size(), ms(start, end) / 1e3));
  row("  p50 / p99 / max",
      fmt::format("{:.1f} / {:.1f} / {:.1f} ms", cb::percentile(late, 0.5), p99,
                  late.empty() ? 0.0 : *std::max_element(late.begin(), late.end())),
      fmt::format("p99 <= {:.0f} ms", kStallTargetMs), p99 <= kStallTargetMs);
  row("  samples later than 16 / 50 / 100 ms",
      fmt::format("{} / {} / {}", std::count_if(late.begin(), late.end(), [](double l) { return l > 16; }),
                  std::count_if(late.begin(), late.end(), [](double l) { return l > 50; }),
                  std::count_if(late.begin(), late.end(), [](double l) { return l > 100; })));
  for (const Shown& e : epochAt)
    row(fmt::format("  epoch {} shown at", e.epoch),
        fmt::format("{:.1f} s (its training steps {:.2f} s)", ms(start, e.at) / 1e3, e.seconds));
  row("  slowest per-epoch update (MainWindow's own clock)",
      fmt::format("{:.1f} ms", w.slowestEpochUpdateMs()));
  std::printf("  load: %s\n", load.report().c_str());

  // What the GUI thread did: the slowest kinds of top-level event, then the worst stalls.
  std::map<QString, std::vector<double>> kinds;
  for (const auto& e : app.events) {
    QString k = e.what;
    k.replace(QRegularExpression("\\(epoch \\d+\\)|[0-9.]+ ms"), "#");
    kinds[k].push_back(ms(e.start, e.end));
  }
  std::vector<std::pair<double, QString>> byMax;
  for (const auto& [k, v] : kinds)
    byMax.emplace_back(*std::max_element(v.begin(), v.end()),
                       fmt::format("{} x{}, median {:.1f} ms, total {:.0f} ms", k.toStdString(), v.size(),
                                   cb::percentile(v, 0.5), std::accumulate(v.begin(), v.end(), 0.0))
                           .c_str());
  std::sort(byMax.rbegin(), byMax.rend());
  std::printf("  GUI-thread events of >= %.0f ms, slowest kinds first (max: kind, count, median, total):\n",
              app.minMs);
  for (std::size_t i = 0; i < std::min<std::size_t>(8, byMax.size()); ++i)
    std::printf("    %6.1f ms  %s\n", byMax[i].first, qPrintable(byMax[i].second));
  std::vector<std::size_t> order(samples.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return samples[x].late > samples[y].late; });
  std::printf(
      "  worst stalls (lateness; GUI thread on a CPU / runnable but waiting for one; events in the gap):\n");
  for (std::size_t r = 0; r < std::min<std::size_t>(6, order.size()); ++r) {
    const Sample& s = samples[order[r]];
    const qint64 from = s.at - static_cast<qint64>((s.late + kProbeMs) * 1e6);
    QStringList what;
    for (const auto& e : app.events)
      if (e.end > from && e.start < s.at)
        what << QStringLiteral("%1 %2 ms").arg(e.what).arg(ms(e.start, e.end), 0, 'f', 1);
    std::printf("    %6.1f ms at %5.1f s: on CPU %.1f, waiting %.1f; %s\n", s.late, ms(start, s.at) / 1e3,
                s.onCpu, s.waiting, what.isEmpty() ? "no event >= 3 ms" : qPrintable(what.join("; ")));
  }
  const double hwm = cb::statusMiB("VmHWM:");
  row("peak memory (VmHWM) after training",
      fmt::format("{:.0f} MiB (VmRSS now {:.0f} MiB)", hwm, cb::statusMiB("VmRSS:")),
      fmt::format("<= {:.0f} MiB", kMemoryTargetMiB), hwm <= kMemoryTargetMiB);
}

}  // namespace

int main(int argc, char** argv) {
  centroid::tuneAllocator();  // as the centroid program does, before anything allocates
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();
  cb::TimedApplication app(argc, argv);
  QCommandLineParser cli;
  cli.setApplicationDescription("Replay and GUI figures of the Centroid window (run under Xvfb)");
  cli.addHelpOption();
  cli.addOption({"only", "Parts to run, comma-separated: stall, scrub, open (default: all).", "list",
                 "stall,scrub,open"});
  cli.addOption({"epochs", "Epochs of full MNIST for the stall part.", "n", "3"});
  cli.addOption({"scrubs", "Scrubbed epochs (and camera frames) for the scrub part.", "n", "30"});
  cli.addOption({"opens", "Opens per run size for the open part.", "n", "6"});
  cli.addOption(
      {"data-dir", "Where MNIST lives (as centroid --data-dir); default: the product's search.", "dir"});
  cli.addOption({"keep", "Keep the run files written (their folder is printed)."});
  cli.process(app);
  const QStringList only = cli.value("only").split(',', Qt::SkipEmptyParts);
  for (const QString& part : only)
    if (part != "stall" && part != "scrub" && part != "open")
      return std::printf("--only: unknown part '%s' (stall, scrub, open)\n", qPrintable(part)), 2;
  const QString dataDir = cli.value("data-dir");

  std::printf("bench_gui: %s, %ld cores, load average %.2f\n", cb::cpuModel().c_str(),
              sysconf(_SC_NPROCESSORS_ONLN), cb::loadAverage());
  // As the centroid program finds its file-checking helper next to itself (see benchOpen).
  if (const QString helper = QStringLiteral(CENTROID_APP_BIN_DIR "/centroid-probe-run");
      !qEnvironmentVariableIsSet("CENTROID_PROBE_RUN") && QFileInfo(helper).isExecutable())
    qputenv("CENTROID_PROBE_RUN", helper.toLocal8Bit());
  QTemporaryDir tmp(QDir::tempPath() + "/centroid-bench-gui-XXXXXX");
  tmp.setAutoRemove(!cli.isSet("keep"));
  MainWindow::Options options;
  options.useSettings = false;  // defaults, as a scripted (--quit) run uses them
  MainWindow w(options);
  w.show();
  if (!w.view()) return std::printf("no OpenGL view: run under xvfb-run\n"), 2;
  settle(1000);  // let the window map and paint once
  row("peak memory (VmHWM) after window construction", fmt::format("{:.0f} MiB", cb::statusMiB("VmHWM:")));

  if (only.contains("stall"))
    benchStall(app, w, std::max(1, cli.value("epochs").toInt()), dataDir, tmp.path());

  if (only.contains("scrub") || only.contains("open")) {
    std::string mnist = dataDir.toStdString();  // without MNIST the fixture says so and goes on
    try {
      mnist = centroid::resolveDatasetFolder("mnist", mnist);
    } catch (const std::exception&) {
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (int points : {20000, 70000}) {
      if (!only.contains("open") && points != 70000) continue;
      const auto t0 = cb::Clock::now();
      const int train = points - 10000;
      std::string note;
      const centroid::ViewSet view = cb::mnistViewSet(mnist, train, 10000, &note);
      const std::string a = (tmp.path() + QStringLiteral("/run-%1-a.h5").arg(points)).toStdString();
      const std::string b = (tmp.path() + QStringLiteral("/run-%1-b.h5").arg(points)).toStdString();
      cb::writeRibbonRun(a, view, train, kRunEpochs);
      std::filesystem::copy_file(a, b);
      std::printf("\nwrote %s (+ a copy): %d epochs x %d points, %.0f MB, in %.1f s%s%s\n", a.c_str(),
                  kRunEpochs, points, std::filesystem::file_size(a) / 1e6, cb::since(t0),
                  note.empty() ? "" : "; ", note.c_str());
      pairs.emplace_back(a, b);
    }
    if (only.contains("scrub"))
      benchScrub(app, w, pairs.back().first, std::max(2, cli.value("scrubs").toInt()));
    if (only.contains("open")) benchOpen(w, pairs, std::max(2, cli.value("opens").toInt()));
  }
  row("peak memory (VmHWM) at the end", fmt::format("{:.0f} MiB", cb::statusMiB("VmHWM:")));
  w.close();
  return 0;
}
