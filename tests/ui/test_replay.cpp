// QtTest for replaying saved runs: the controller reads only the epochs asked for, the window
// shows the right epoch's positions, charts and tables, the keys and playback move the
// timeline, a run being written is followed, bad files are explained in the banner (also one
// that crashes libhdf5, read in the helper centroid-probe-run first), recent runs and drops
// open, training and replay take turns. Hover, filter and compare:
// test_inspect.cpp. Runs under Xvfb.
#include <sys/wait.h>
#include <unistd.h>

#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <cstdlib>

#include "tests/ui/ReplayTestSupport.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/widgets/ClassFilter.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/MainWindow.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/models/MetricsTableModel.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/models/PurityTableModel.h"
#include "core/runfile/RunRepair.h"
#include "ui/run/FileRunSource.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/RunSummaryPanel.h"
#include "ui/widgets/Timeline.h"

using namespace centroid;
using namespace centroid::ui;
using namespace centroid::replaytest;

Q_DECLARE_METATYPE(centroid::replaytest::BadFile)

namespace {

// Puts the helper back as initTestCase set it, also when a check fails half-way.
struct RestoreHelper {
  ~RestoreHelper() {
    FileRunSource::setProbeProgram(QStringLiteral(CENTROID_PROBE_EXE));
    FileRunSource::setProbeTimeoutMs(15000);
  }
};

}  // namespace

class TestReplay : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void controllerReadsOnlyNeighbours();
  void windowShowsTheRightEpoch();
  void keysAndPlayback();
  void keysGiveWayToTheFocusedTable();
  void followsALiveRun();
  void deadWriterIsNotFollowed();
  void badFilesExplained_data();
  void badFilesExplained();
  void libraryCrashLeavesTheRunOnScreen();
  void helperTimeoutAndAbsence();
  void recentRunsAndDrop();
  void closeRunRestoresControls();
  void trainingAndReplayTakeTurns();

 private:
  QString path(const QString& name) const { return tmp_.filePath(name); }
  QTemporaryDir tmp_;
  QString run_;
};

namespace {

// Shows the window, opens `run` and makes the window active, so that keys reach it.
bool showActiveWith(MainWindow& w, const QString& run) {
  w.show();
  if (!QTest::qWaitForWindowExposed(&w) || !w.openRun(run)) return false;
  w.activateWindow();
  return QTest::qWaitForWindowActive(&w);
}

}  // namespace

void TestReplay::initTestCase() {
  QVERIFY(tmp_.isValid());
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("CentroidTest");
  QCoreApplication::setApplicationName("test_replay");
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, tmp_.filePath("settings"));
  run_ = path("run.h5");
  writeFixtureRun(run_.toStdString(), kPoints, kEpochs);
  if (!MainWindow::openGlAvailable()) qWarning("no OpenGL: the 3-D checks are skipped");
  // Test programs do not sit next to the helper (the programs do); ctest also sets it in the
  // environment for the other replay tests.
  FileRunSource::setProbeProgram(QStringLiteral(CENTROID_PROBE_EXE));
}

void TestReplay::controllerReadsOnlyNeighbours() {
  RunModel c;
  QSignalSpy changed(&c, &RunModel::currentChanged);
  QVERIFY2(c.open(run_), qPrintable(c.errorString()));
  QCOMPARE(c.epochCount(), kEpochs);
  QCOMPARE(c.currentIndex(), kEpochs - 1);  // opens on the last epoch
  QCOMPARE(changed.count(), 1);
  QVERIFY(!c.isFollowing());  // a finished run
  QCOMPARE(c.config().learningRate, 3e-4);
  QCOMPARE(c.viewSet()->labels.size(), std::size_t{kPoints});
  QCOMPARE(c.baselines().size(), std::size_t{2});

  QVERIFY(c.setCurrentIndex(2));
  QCOMPARE(c.currentEpoch(), 3);
  QCOMPARE(c.currentFrame()->embedding, fixtureFrame(3, kPoints).embedding);
  QCOMPARE(c.currentFrame()->assignments, fixtureFrame(3, kPoints).assignments);
  QVERIFY(c.cachedIndices().size() <= 3);
  for (int i : c.cachedIndices()) QVERIFY(std::abs(i - 2) <= 1);
  // The prefetch of the next epoch in the direction of travel (here backwards).
  QTRY_VERIFY(c.cachedIndices() == std::vector<int>({1, 2}));
  QVERIFY(c.setCurrentIndex(0));
  QTRY_VERIFY(c.cachedIndices() == std::vector<int>({0, 1}));
  QCOMPARE(c.indexOfEpoch(4), 3);
  QCOMPARE(c.indexOfEpoch(99), -1);
  QVERIFY(c.setCurrentIndex(99));  // clamped
  QCOMPARE(c.currentIndex(), kEpochs - 1);
}

void TestReplay::windowShowsTheRightEpoch() {
  MainWindow w(scripted());
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QSignalSpy opened(&w, &MainWindow::runOpened);
  QVERIFY(w.openRun(run_));
  QCOMPARE(opened.count(), 1);
  QVERIFY(w.isReplaying());
  QVERIFY(w.bannerText().isEmpty());
  QVERIFY(w.timeline()->isVisible());
  QCOMPARE(w.timeline()->count(), kEpochs);
  QCOMPARE(w.charts()->epochCount(), kEpochs);
  QCOMPARE(w.charts()->currentEpoch(), kEpochs);
  QCOMPARE(w.purity()->purityModel()->clusterCount(), 10);
  QCOMPARE(w.runSummary()->value("Learning rate"), QStringLiteral("3e-4"));
  QCOMPARE(w.runSummary()->value("Status"), QStringLiteral("completed (max epochs reached)"));
  QVERIFY(w.windowTitle().contains("run.h5"));
  QCOMPARE(w.classFilter()->classCount(), 10);

  // Scrubbing: the slider jumps to epoch 3; everything shows epoch 3.
  w.timeline()->slider()->setValue(2);
  QCOMPARE(w.run()->currentEpoch(), 3);
  QCOMPARE(w.lastFrame()->epoch, 3);
  QCOMPARE(w.charts()->currentEpoch(), 3);
  QVERIFY(w.purity()->metricsModel()->hasCurrent());
  // The table recomputes the epoch's metrics from its assignments (the fixture's clusters
  // are the labels shifted by the epoch, so a perfect clustering).
  QVERIFY(w.purity()
              ->metricsModel()
              ->data(w.purity()->metricsModel()->index(0, MetricsTableModel::MethodColumn))
              .toString()
              .contains("epoch 3"));
  QCOMPARE(w.purity()
               ->metricsModel()
               ->data(w.purity()->metricsModel()->index(0, MetricsTableModel::NmiColumn))
               .toString(),
           QStringLiteral("1.000"));
  QVERIFY(w.timeline()->positionText().contains("epoch 3"));
  if (w.view()) {
    QVERIFY(!w.view()->isAnimating());  // a scrub jumps
    QVERIFY(showsEpoch(w.view(), 3));
    QVERIFY(w.view()->epochText().startsWith("epoch 3 "));
  }
  // A click on the charts jumps there too.
  emit w.charts()->epochClicked(5);
  QCOMPARE(w.run()->currentEpoch(), 5);
  if (w.view()) QVERIFY(showsEpoch(w.view(), 5));
}

void TestReplay::keysAndPlayback() {
  MainWindow w(scripted());
  QVERIFY(showActiveWith(w, run_));
  QTest::keyClick(&w, Qt::Key_Left);
  QCOMPARE(w.run()->currentEpoch(), kEpochs - 1);
  QTest::keyClick(&w, Qt::Key_Left);
  QCOMPARE(w.run()->currentEpoch(), kEpochs - 2);
  if (w.view()) {
    QVERIFY(w.view()->isAnimating());  // a step glides
    QSignalSpy landed(w.view(), &ScatterView::transitionFinished);
    QVERIFY(landed.wait(3000));
    QVERIFY(showsEpoch(w.view(), kEpochs - 2));
  }
  QTest::keyClick(&w, Qt::Key_Right);
  QCOMPARE(w.run()->currentEpoch(), kEpochs - 1);

  // Space plays from where it is; at 4x each epoch takes 250 ms and its glide 200 ms.
  w.timeline()->setSpeed(4);
  QCOMPARE(w.timeline()->epochIntervalMs(), 250);
  w.timeline()->setCurrentIndex(0);
  w.run()->setCurrentIndex(0);
  QSignalSpy shown(&w, &MainWindow::replayFrameShown);
  QTest::keyClick(&w, Qt::Key_Space);
  QVERIFY(w.timeline()->isPlaying());
  QVERIFY(shown.wait(2000));
  if (w.view()) QCOMPARE(w.view()->transitionMs(), 200);
  // Without loop it stops at the last epoch.
  QTRY_VERIFY_WITH_TIMEOUT(!w.timeline()->isPlaying(), 5000);
  QCOMPARE(w.run()->currentEpoch(), kEpochs);
  QCOMPARE(shown.count(), kEpochs - 1);
  for (int i = 0; i < shown.count(); ++i) QCOMPARE(shown.at(i).first().toInt(), i + 2);  // in order

  // With loop it wraps to the first epoch; Space pauses.
  w.timeline()->setLoop(true);
  shown.clear();
  QTest::keyClick(&w, Qt::Key_Space);  // at the end: starts over at the first epoch
  QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= kEpochs + 1, 5000);
  QTest::keyClick(&w, Qt::Key_Space);
  QVERIFY(!w.timeline()->isPlaying());
  bool wrapped = false;
  for (int i = 1; i < shown.count(); ++i)
    wrapped |= shown.at(i - 1).first().toInt() == kEpochs && shown.at(i).first().toInt() == 1;
  QVERIFY(wrapped);
}

void TestReplay::keysGiveWayToTheFocusedTable() {
  MainWindow w(scripted());
  QVERIFY(showActiveWith(w, run_));
  auto* table = w.findChild<QTableView*>(QStringLiteral("metricsTable"));
  QVERIFY(table);
  QVERIFY(table->isVisible());
  QVERIFY(table->model()->columnCount() > 2);
  table->setFocus();
  QTRY_VERIFY(table->hasFocus());
  table->setCurrentIndex(table->model()->index(0, 1));
  // The arrows move the table's current cell; the timeline stays on the last epoch.
  QTest::keyClick(table, Qt::Key_Right);
  QCOMPARE(table->currentIndex().column(), 2);
  QTest::keyClick(table, Qt::Key_Left);
  QTest::keyClick(table, Qt::Key_Left);
  QCOMPARE(table->currentIndex().column(), 0);
  QCOMPARE(w.run()->currentEpoch(), kEpochs);
  // Elsewhere in the window they step the timeline again.
  QWidget* elsewhere = w.timeline();
  elsewhere->setFocusPolicy(Qt::StrongFocus);
  elsewhere->setFocus();
  QTRY_VERIFY(elsewhere->hasFocus());
  QTest::keyClick(elsewhere, Qt::Key_Left);
  QCOMPARE(w.run()->currentEpoch(), kEpochs - 1);
}

void TestReplay::followsALiveRun() {
  const QString live = path("live.h5");
  RunWriter writer(live.toStdString(), fixtureConfig(kPoints), fixtureView(kPoints), fixtureLayout(),
                   fixtureBaselines(), "MNIST");
  writer.append(fixtureFrame(1, kPoints));
  writer.append(fixtureFrame(2, kPoints));

  MainWindow w(scripted());
  w.show();
  QVERIFY(w.openRun(live));
  QVERIFY(w.run()->isFollowing());
  QVERIFY(w.timeline()->isLive());
  QCOMPARE(w.timeline()->count(), 2);
  QCOMPARE(w.run()->currentEpoch(), 2);

  // The writer appends; the window's timer (every ~500 ms) finds it.
  QSignalSpy appended(w.run(), &RunModel::epochsAppended);
  writer.append(fixtureFrame(3, kPoints));
  QVERIFY(appended.wait(3000));
  QCOMPARE(w.timeline()->count(), 3);
  QCOMPARE(w.charts()->epochCount(), 3);
  QCOMPARE(w.run()->currentEpoch(), 3);  // it was watching the newest epoch, so it moves on
  QCOMPARE(w.run()->summaries().back().loss, fixtureFrame(3, kPoints).loss);

  // Someone looking back stays where they are while the run grows.
  w.run()->setCurrentIndex(0);
  writer.append(fixtureFrame(4, kPoints));
  QVERIFY(w.run()->poll());
  QCOMPARE(w.timeline()->count(), 4);
  QCOMPARE(w.run()->currentEpoch(), 1);

  // The writer finishes: following stops, the summary says how it ended.
  writer.setStatus("completed", "max epochs reached");
  QTRY_VERIFY_WITH_TIMEOUT(!w.run()->isFollowing(), 3000);
  QVERIFY(!w.timeline()->isLive());
  QVERIFY(w.runSummary()->value("Status").startsWith("completed"));
}

void TestReplay::deadWriterIsNotFollowed() {
  // A writer that dies without closing its file (here: a child that exits without the
  // destructor) leaves it "running" for ever; the window must not poll it for ever.
  const QString dead = path("dead.h5");
  const pid_t pid = fork();
  if (pid == 0) {
    auto* writer = new RunWriter(dead.toStdString(), fixtureConfig(kPoints), fixtureView(kPoints),
                                 fixtureLayout(), fixtureBaselines(), "MNIST");
    writer->append(fixtureFrame(1, kPoints));
    writer->append(fixtureFrame(2, kPoints));
    _exit(0);  // no close: what SIGKILL or a crash leaves
  }
  QVERIFY(pid > 0);
  int status = 0;
  QCOMPARE(waitpid(pid, &status, 0), pid);
  const WriterInfo info = writerInfo(dead.toStdString());
  QCOMPARE(int(info.state), int(WriterState::Gone));
  QCOMPARE(info.pid, static_cast<long long>(pid));
  MainWindow w(scripted());
  w.show();
  QVERIFY2(w.openRun(dead), qPrintable(w.bannerText()));
  QVERIFY(!w.run()->isFollowing());
  QVERIFY(!w.timeline()->isLive());
  QCOMPARE(w.timeline()->count(), 2);
  QVERIFY2(w.bannerText().contains("centroid-train --repair"), qPrintable(w.bannerText()));
  // Repaired (as centroid-train --repair does, with the file closed here), it opens as any
  // finished run.
  w.closeRun();
  QVERIFY(QString::fromStdString(repairRun(dead.toStdString())).contains("repaired"));
  QVERIFY(w.openRun(dead));
  QVERIFY(w.bannerText().isEmpty());
  QCOMPARE(w.run()->status(), QStringLiteral("writer stopped"));
  QCOMPARE(w.timeline()->count(), 2);
}

void TestReplay::badFilesExplained_data() {
  QTest::addColumn<BadFile>("kind");
  QTest::addRow("truncated") << BadFile::Truncated;
  QTest::addRow("foreign HDF5") << BadFile::Foreign;
  QTest::addRow("newer format") << BadFile::Newer;
  QTest::addRow("empty") << BadFile::Empty;
  QTest::addRow("not HDF5") << BadFile::NotHdf5;
}

void TestReplay::badFilesExplained() {
  QFETCH(BadFile, kind);
  const QString bad = QString::fromStdString(writeBadFile(kind, tmp_.path().toStdString()));
  MainWindow w(scripted());
  w.show();
  // First with nothing open, then over a good run, which must stay on screen.
  QVERIFY(!w.openRun(bad));
  QVERIFY2(w.bannerText().contains(badFileMessage(kind)), qPrintable(w.bannerText()));
  QVERIFY(w.bannerText().contains(bad));  // names the file
  QVERIFY(!w.isReplaying());
  QVERIFY(w.openRun(run_));
  QVERIFY(w.bannerText().isEmpty());
  QVERIFY(!w.openRun(bad));
  QVERIFY(w.bannerText().contains(badFileMessage(kind)));
  QVERIFY(w.isReplaying());
  QCOMPARE(w.run()->path(), run_);
  QCOMPARE(w.timeline()->count(), kEpochs);
  w.timeline()->step(-1);  // still usable
  QCOMPARE(w.run()->currentEpoch(), kEpochs - 1);

  // The helper's message is the one this process gives when it reads the file itself.
  RestoreHelper restore;
  RunModel c;
  QVERIFY(!c.open(bad));
  const QString viaHelper = c.errorString();
  FileRunSource::setProbeProgram(QString());  // no helper: read here
  QVERIFY(!c.open(bad));
  QCOMPARE(viaHelper, c.errorString());
}

// tests/fuzz/crashes-hdf5/fpe-chunk-set-info makes libhdf5 divide by zero inside H5Dopen2
// (SIGFPE). Read in the helper first, it costs the helper, not the window or its run.
void TestReplay::libraryCrashLeavesTheRunOnScreen() {
  const QString crafted = QStringLiteral(CENTROID_SOURCE_DIR "/tests/fuzz/crashes-hdf5/fpe-chunk-set-info");
  MainWindow w(scripted());
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openRun(run_));
  w.timeline()->slider()->setValue(2);
  QCOMPARE(w.run()->currentEpoch(), 3);
  QSignalSpy closed(w.run(), &RunModel::closed);

  QVERIFY(!w.openRun(crafted));
  const QString expected = crafted +
                           ": reading this file crashed the HDF5 library (signal 8, SIGFPE); "
                           "the file is damaged or was crafted, and was not opened";
  QCOMPARE(w.run()->errorString(), expected);
  QVERIFY2(w.bannerText().contains(expected), qPrintable(w.bannerText()));
  QCOMPARE(closed.count(), 0);
  QVERIFY(w.isReplaying());
  QCOMPARE(w.run()->path(), run_);
  QCOMPARE(w.run()->currentEpoch(), 3);
  QCOMPARE(w.timeline()->count(), kEpochs);
  QCOMPARE(w.charts()->currentEpoch(), 3);
  QCOMPARE(w.lastFrame()->epoch, 3);
  QVERIFY(w.windowTitle().contains("run.h5"));
  if (w.view()) QVERIFY(showsEpoch(w.view(), 3));
  w.timeline()->step(1);  // still usable
  QCOMPARE(w.run()->currentEpoch(), 4);
}

// A helper that never finishes is killed after the timeout; without a helper (turned off, or
// missing) files are opened in this process as before.
void TestReplay::helperTimeoutAndAbsence() {
  const QString hang = path("hang.sh");
  {
    QFile f(hang);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\nexec sleep 30\n");
  }
  QFile::setPermissions(hang, QFile::permissions(hang) | QFileDevice::ExeOwner);
  RestoreHelper restore;
  RunModel c;
  QVERIFY(c.open(run_));
  FileRunSource::setProbeProgram(hang);
  FileRunSource::setProbeTimeoutMs(300);
  QElapsedTimer clock;
  clock.start();
  const bool opened = c.open(run_);
  const qint64 ms = clock.elapsed();
  FileRunSource::setProbeTimeoutMs(15000);
  QVERIFY(!opened);
  QVERIFY2(ms < 5000, qPrintable(QString::number(ms)));
  QCOMPARE(c.errorString(), run_ +
                                ": reading this file did not finish within 0.3 s; the file is damaged or was "
                                "crafted (libhdf5 can loop forever on such files), and was not opened");
  QVERIFY(c.isOpen());  // the run opened before stays
  QCOMPARE(c.path(), run_);

  FileRunSource::setProbeProgram(QString());  // turned off
  QVERIFY2(c.open(run_), qPrintable(c.errorString()));
  FileRunSource::setProbeProgram(path("no-such-helper"));  // missing: warned about once
  QTest::ignoreMessage(QtWarningMsg,
                       QRegularExpression("no-such-helper is missing: run files are opened without it"));
  QVERIFY2(c.open(run_), qPrintable(c.errorString()));
  QVERIFY2(c.open(run_), qPrintable(c.errorString()));  // no second warning
  FileRunSource::setProbeProgram(QStringLiteral(CENTROID_PROBE_EXE));
  QVERIFY2(c.open(run_), qPrintable(c.errorString()));
  QCOMPARE(c.epochCount(), kEpochs);
}

void TestReplay::recentRunsAndDrop() {
  const QString second = path("second.h5");
  writeFixtureRun(second.toStdString(), 100, 2);
  {
    MainWindow w;  // remembers, in the redirected settings
    QVERIFY(w.openRun(run_));
    QVERIFY(w.openRun(second));
    QVERIFY(w.openRun(run_));
    QCOMPARE(w.recentRuns(), QStringList({run_, second}));  // newest first, no duplicates
    for (int i = 0; i < 10; ++i) {
      const QString p = path(QStringLiteral("r%1.h5").arg(i));
      QFile::copy(second, p);
      QVERIFY(w.openRun(p));
    }
    QCOMPARE(w.recentRuns().size(), 8);
    QCOMPARE(w.recentRuns().first(), path("r9.h5"));
    w.close();
  }
  MainWindow again;
  QCOMPARE(again.recentRuns().size(), 8);
  QCOMPARE(again.recentRuns().first(), path("r9.h5"));

  // Dropping a file opens it.
  MainWindow w(scripted());
  w.show();
  QMimeData data;
  data.setUrls({QUrl::fromLocalFile(second)});
  QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&w, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&w, &drop);
  QVERIFY(w.isReplaying());
  QCOMPARE(w.run()->path(), second);
  QCOMPARE(w.timeline()->count(), 2);
}

void TestReplay::closeRunRestoresControls() {
  MainWindow w(scripted());
  w.show();
  auto* stack = w.findChild<QStackedWidget*>();
  QVERIFY(stack);
  QCOMPARE(stack->currentIndex(), 0);
  QVERIFY(w.openRun(run_));
  QCOMPARE(stack->currentIndex(), 1);  // the run's settings, read-only
  w.closeRun();
  QVERIFY(!w.isReplaying());
  QCOMPARE(stack->currentIndex(), 0);
  QVERIFY(!w.timeline()->isVisible());
  QCOMPARE(w.charts()->epochCount(), 0);
  QVERIFY(!w.lastFrame());
  if (w.view()) QCOMPARE(w.view()->pointCount(), 0);
}
void TestReplay::trainingAndReplayTakeTurns() {
  const QString data = QStringLiteral(CENTROID_SOURCE_DIR "/data");
  if (!QFileInfo::exists(data + "/mnist/train-images-idx3-ubyte")) QSKIP("MNIST is not in data/mnist");
  MainWindow w(scripted());
  w.show();
  QVERIFY(w.openRun(run_));
  // Invalid settings are refused before the replay is left.
  TrainConfig bad;
  bad.clusters = 1;
  QVERIFY(!w.startTraining(bad));
  QVERIFY(w.isReplaying());
  // A real run replaces the replay; while it trains, no run file can be opened.
  TrainConfig c;
  c.dataDir = data.toStdString();
  c.subset = 1000;
  c.viewTrain = 500;
  c.viewTest = 0;
  c.maxEpochs = 1;
  c.threads = 2;
  w.controls()->setRunsFolder(path("runs"));
  QDir().mkpath(path("runs"));
  QSignalSpy ended(&w, &MainWindow::runEnded);
  QVERIFY(w.startTraining(c));
  QVERIFY(!w.isReplaying());
  QVERIFY(w.run()->isOpen());  // the training is the run on screen now
  QVERIFY(!w.openRun(run_));
  QVERIFY(w.bannerText().contains("Stop the run"));
  QVERIFY(ended.wait(120000));
  QVERIFY(ended.first().first().toBool());
  // The finished run stays on the timeline as it was trained, without a reload.
  QVERIFY(w.isReplaying());
  QCOMPARE(w.timeline()->count(), 1);
  QVERIFY(w.timeline()->isVisible());
  // And its file opens as a saved run, with the same epoch.
  const QString trained = w.runPath();
  const double loss = w.run()->summaries().front().loss;
  QVERIFY(w.openRun(trained));
  QCOMPARE(w.timeline()->count(), 1);
  QCOMPARE(w.run()->summaries().front().loss, loss);
}

int main(int argc, char** argv) {
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestReplay test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_replay.moc"
