// QtTest for looking closely at a replayed run: hover shows the right digit, a click selects
// it, the class filter hides digits, two runs compare side by side with linked cameras, and
// what an epoch of a 70,000-point run costs. Also writes the user guide's pictures on request.
// Runs under Xvfb.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <cmath>

#include "tests/ui/ReplayTestSupport.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/widgets/ClassFilter.h"
#include "ui/window/CompareWindow.h"
#include "ui/window/MainWindow.h"
#include "ui/widgets/PointInspector.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/Timeline.h"

using namespace centroid;
using namespace centroid::ui;
using namespace centroid::replaytest;

class TestInspect : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void hoverAndClick();
  void classFilterHidesDigits();
  void compareTwoRuns();
  void epochAt70kPoints();
  void docScreenshots();

 private:
  QString path(const QString& name) const { return tmp_.filePath(name); }
  QTemporaryDir tmp_;
  QString run_;
};

void TestInspect::initTestCase() {
  QVERIFY(tmp_.isValid());
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("CentroidTest");
  QCoreApplication::setApplicationName("test_inspect");
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, tmp_.filePath("settings"));
  run_ = path("run.h5");
  writeFixtureRun(run_.toStdString(), kPoints, kEpochs);
  if (!MainWindow::openGlAvailable()) qWarning("no OpenGL: the 3-D checks are skipped");
}

void TestInspect::hoverAndClick() {
  MainWindow w(scripted());
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  if (!w.view()) QSKIP("no OpenGL");
  QSignalSpy rendered(w.view(), &ScatterView::frameRendered);
  QVERIFY(w.openRun(run_));
  QVERIFY(w.run()->viewSet()->images.empty());  // read one at a time, on hover
  QVERIFY(rendered.wait(5000));
  QTest::qWait(100);
  const int i = isolatedPoint(w.view());
  QVERIFY2(i >= 0, "no point stands alone on screen");
  const QPointF at = w.view()->projectedPoint(i);
  QCOMPARE(w.view()->pick(at.toPoint()), i);

  // Hover: the popup names the point.
  sendMouse(w.view(), QEvent::MouseMove, at);
  QTRY_VERIFY(w.inspector()->isVisible());
  const PointInfo& info = w.inspector()->shownPoint();
  QCOMPARE(info.index, i);
  QCOMPARE(info.label, labelOf(i));
  QCOMPARE(info.cluster, (i + kEpochs) % 10);
  QCOMPARE(info.image.size(), QSize(28, 28));
  QCOMPARE(qGray(info.image.pixel(14, 14)), 255);  // the fixture's square
  const EpochFrame f = fixtureFrame(kEpochs, kPoints);
  const int k = info.cluster;
  const double d =
      std::hypot(f.embedding[3 * i] - f.centroids[3 * k], f.embedding[3 * i + 1] - f.centroids[3 * k + 1],
                 f.embedding[3 * i + 2] - f.centroids[3 * k + 2]);
  QVERIFY(std::abs(info.distance - d) < 1e-5);
  const QString text = w.inspector()->text();
  QVERIFY2(text.contains(QStringLiteral("digit %1").arg(labelOf(i))), qPrintable(text));
  QVERIFY(text.contains(QStringLiteral("cluster %1").arg(k)));
  QVERIFY(text.contains(QStringLiteral("train #%1").arg(1000 + i)));  // the fixture's index within the split
  QVERIFY(text.contains("distance to its centroid"));
  // CENTROID_SNAPSHOT_DIR=<dir> (set by hand) keeps a picture of the window with the popup.
  if (const QString dir = qEnvironmentVariable("CENTROID_SNAPSHOT_DIR"); !dir.isEmpty()) {
    QTest::qWait(200);
    QVERIFY(w.screen()->grabWindow(0).save(QDir(dir).filePath("replay-hover.png")));
  }

  // Leaving the point hides it; a click selects the point and says so.
  sendMouse(w.view(), QEvent::MouseMove, QPointF(2, 2));
  QTRY_VERIFY(!w.inspector()->isVisible());
  QSignalSpy selected(&w, &MainWindow::pointSelected);
  sendMouse(w.view(), QEvent::MouseButtonPress, at, Qt::LeftButton);
  sendMouse(w.view(), QEvent::MouseButtonRelease, at, Qt::LeftButton);
  QCOMPARE(selected.count(), 1);
  QCOMPARE(w.selectedPoint(), i);
  QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("Point %1").arg(i)));
}

void TestInspect::classFilterHidesDigits() {
  MainWindow w(scripted());
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  if (!w.view()) QSKIP("no OpenGL");
  QSignalSpy rendered(w.view(), &ScatterView::frameRendered);
  QVERIFY(w.openRun(run_));
  QVERIFY(rendered.wait(5000));
  QTest::qWait(100);
  const int i = isolatedPoint(w.view());
  QVERIFY(i >= 0);
  const QPoint at = w.view()->projectedPoint(i).toPoint();
  QCOMPARE(w.view()->pick(at), i);
  w.classFilter()->button(labelOf(i))->click();
  QVERIFY(!w.classFilter()->isClassVisible(labelOf(i)));
  QCOMPARE(w.view()->pick(at), -1);  // hidden points cannot be picked
  w.classFilter()->button(labelOf(i))->click();
  QCOMPARE(w.view()->pick(at), i);
  // A new run resets the filter, as the view resets its own.
  w.classFilter()->setClassVisible(3, false);
  QVERIFY(w.openRun(run_));
  QVERIFY(w.classFilter()->isClassVisible(3));
}
void TestInspect::compareTwoRuns() {
  const QString shorter = path("shorter.h5");
  writeFixtureRun(shorter.toStdString(), kPoints, 3);
  MainWindow w(scripted());
  w.show();
  QVERIFY(!w.compareWith(shorter));  // nothing to compare with yet
  QVERIFY(w.bannerText().contains("Open a run first"));
  QVERIFY(w.openRun(run_));
  QVERIFY(!w.compareWith(path("missing.h5")));
  QVERIFY(w.bannerText().contains("no such file"));
  CompareWindow* c = w.compareWith(shorter);
  QVERIFY(c);
  QVERIFY(QTest::qWaitForWindowExposed(c));
  QCOMPARE(c->timeline()->count(), kEpochs);  // the union of 1..6 and 1..3
  QCOMPARE(c->run(0)->currentEpoch(), kEpochs);
  QCOMPARE(c->run(1)->currentEpoch(), 3);  // the shorter run holds its last epoch
  QVERIFY(c->caption(1).contains("its last"));
  if (c->view(0)) {  // right after opening, before any timeline move
    QVERIFY(c->view(0)->epochText().startsWith(QStringLiteral("epoch %1 ").arg(kEpochs)));
    QVERIFY(c->view(1)->epochText().startsWith("epoch 3 "));
  }
  c->timeline()->slider()->setValue(1);
  QCOMPARE(c->run(0)->currentEpoch(), 2);
  QCOMPARE(c->run(1)->currentEpoch(), 2);
  if (c->view(0)) {
    QVERIFY(c->view(0)->epochText().startsWith("epoch 2 "));
    QVERIFY(c->view(1)->epochText().startsWith("epoch 2 "));
    // Linked cameras: turning the left view turns the right one the same way.
    QVERIFY(c->camerasLinked());
    QSignalSpy rendered(c->view(1), &ScatterView::frameRendered);
    QTRY_VERIFY(rendered.count() > 0);
    ScatterView::CameraState a = c->view(0)->cameraState();
    a[0] = a[3] + 10;  // look along -x from +x
    a[1] = a[4];
    a[2] = a[5];
    a[6] = 0, a[7] = 0, a[8] = 1;
    c->view(0)->setCameraState(a);
    emit c->view(0)->cameraMoved();  // as a drag would
    const ScatterView::CameraState b = c->view(1)->cameraState();
    const double dist = std::hypot(b[0] - b[3], b[1] - b[4], b[2] - b[5]);
    QVERIFY(dist > 0);
    QVERIFY(std::abs((b[0] - b[3]) / dist - 1) < 1e-9);
    QCOMPARE(b[8], 1.0);
    QVERIFY(!c->view(1)->followsCloud());
    c->resetCameras();
    QVERIFY(c->view(1)->followsCloud());
  }
  c->close();
  QTRY_VERIFY(!w.compareWindow());
}

void TestInspect::epochAt70kPoints() {
  // Informational: what moving to another epoch of a 70,000-point run costs the GUI thread.
  const QString big = path("big.h5");
  constexpr int n = 70000;
  writeFixtureRun(big.toStdString(), n, 3, /*images=*/false);
  RunModel c;
  QVERIFY(c.open(big));
  QElapsedTimer clock;
  double readMs = 1e9;
  for (int i : {0, 1, 2, 0}) {
    c.setCurrentIndex(2);  // neighbours of 0 are 0,1; start each read from an uncached state
    c.setCurrentIndex(0);
    clock.start();
    EpochFramePtr f = c.frameAt(2);  // not cached: two away from 0
    readMs = std::min(readMs, clock.nsecsElapsed() / 1e6);
    QVERIFY(f && f->points() == n);
    Q_UNUSED(i);
  }
  MainWindow w(scripted());
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openRun(big));
  double showMs = -1;
  if (w.view()) {
    QSignalSpy rendered(w.view(), &ScatterView::frameRendered);
    QVERIFY(rendered.wait(5000));
    QTest::qWait(300);
    w.run()->setCurrentIndex(1);  // prefetched neighbour goes away when jumping to 0 below
    QTest::qWait(300);
    w.run()->setCurrentIndex(0);
    QTest::qWait(300);  // neither 2 nor its data is cached now
    rendered.clear();
    clock.start();
    QVERIFY(w.run()->setCurrentIndex(2, false));
    QVERIFY(rendered.wait(5000));
    showMs = clock.nsecsElapsed() / 1e6;
  }
  qInfo("70,000 points: read one epoch %.1f ms; read + upload + first frame on screen %.1f ms", readMs,
        showMs);
}

void TestInspect::docScreenshots() {
  // The user guide's pictures, from two real runs given by hand:
  //   CENTROID_DOC_RUNS=a.h5:b.h5 CENTROID_SNAPSHOT_DIR=docs/images test_replay docScreenshots
  const QStringList runs = qEnvironmentVariable("CENTROID_DOC_RUNS").split(':', Qt::SkipEmptyParts);
  const QString dir = qEnvironmentVariable("CENTROID_SNAPSHOT_DIR");
  if (runs.size() != 2 || dir.isEmpty()) QSKIP("set CENTROID_DOC_RUNS=a.h5:b.h5 and CENTROID_SNAPSHOT_DIR");
  MainWindow w(scripted());
  w.move(0, 0);
  w.resize(1280, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  if (!w.view()) QSKIP("no OpenGL");
  QVERIFY(w.openRun(runs[0]));
  QVERIFY(w.run()->setCurrentIndex(w.run()->epochCount() / 2));
  QTest::qWait(800);
  // Hover over a point near the middle of the cloud, as a user would.
  const QPointF centre(w.view()->width() / 2.0, w.view()->height() / 2.0);
  int best = -1;
  double bestDistance = 1e9;
  for (int i = 0; i < w.view()->pointCount(); i += 7) {
    const double d = QLineF(w.view()->projectedPoint(i), centre).length();
    if (d < bestDistance && w.view()->pick(w.view()->projectedPoint(i).toPoint()) == i)
      bestDistance = d, best = i;
  }
  QVERIFY(best >= 0);
  sendMouse(w.view(), QEvent::MouseMove, w.view()->projectedPoint(best));
  QTRY_VERIFY(w.inspector()->isVisible());
  QTest::qWait(300);
  QVERIFY(w.screen()
              ->grabWindow(0, 0, 0, w.frameGeometry().width(), w.frameGeometry().height())
              .save(QDir(dir).filePath("replay-window.png")));

  // Only the 0s, 1s and 7s: where the digits lie along the cloud.
  sendMouse(w.view(), QEvent::MouseMove, QPointF(2, 2));
  QVERIFY(w.run()->setCurrentIndex(w.run()->epochCount() - 1));
  for (int l = 0; l < 10; ++l) w.classFilter()->setClassVisible(l, l == 0 || l == 1 || l == 7);
  QTest::qWait(300);
  QVERIFY(w.exportViewImage(QDir(dir).filePath("replay-filter.png"), 1));

  CompareWindow* c = w.compareWith(runs[1]);
  QVERIFY(c);
  c->move(0, 0);
  c->resize(1200, 560);
  QVERIFY(QTest::qWaitForWindowExposed(c));
  c->showIndex(c->timeline()->count() - 1);
  QTest::qWait(800);
  QVERIFY(VtkOpenGLWidget::grabWithViews(c).save(QDir(dir).filePath("replay-compare.png")));
}
int main(int argc, char** argv) {
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestInspect test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_inspect.moc"
