// Rendering tests of the 3-D scatter view under Xvfb: palette, baseline, modes, degenerate data, picking,
// transitions.
#include <QApplication>
#include <QLabel>
#include <QMouseEvent>
#include <QScreen>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>

#include "tests/ui/ImageCompare.h"
#include "ui/view/Palette.h"
#include "ui/view/ScatterView.h"
#include "ui/view/ScatterViewGeometry.h"

using centroid::EpochFrame;
using centroid::ui::ScatterView;
namespace palette = centroid::ui::palette;
Q_DECLARE_METATYPE(centroid::EpochFrame)
namespace test = centroid::test;

namespace {

// SSIM dissimilarity (1 - mean SSIM over windows with content) allowed against the
// baseline. llvmpipe is deterministic and VTK draws text with its own embedded font, so on
// this set-up a run scores exactly 0; the slack is for another FreeType or Mesa version
// moving glyph and point edges a little. Measured on the baseline: the epoch label redrawn
// in a different font 0.036; the legend moved by 1 px 0.053; no legend 0.075; the cloud
// moved by 1 px 0.40. So 0.04 (also f3d's default) passes anti-aliasing noise and fails
// anything a user would notice.
constexpr double kBaselineThreshold = 0.04;
const QSize kViewSize(640, 480);

// Box-Muller on mt19937's raw output: std::normal_distribution differs between standard
// libraries, and the baseline must not.
struct Rng {
  std::mt19937 engine;
  explicit Rng(std::uint32_t seed) : engine(seed) {}
  double uniform() { return (static_cast<double>(engine()) + 0.5) / 4294967296.0; }
  double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }
};

std::vector<std::uint8_t> blobLabels(int n) {
  std::vector<std::uint8_t> labels(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) labels[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i % 10);
  return labels;
}

std::vector<std::string> digitNames() {
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i) names.push_back(std::to_string(i));
  return names;
}

// Ten Gaussian blobs (label = i % 10) on a tilted ring, centroids at the blob centres;
// one point in ten is assigned to the next cluster, as an imperfect clustering would.
EpochFrame blobFrame(int n = 2000, int dim = 3, std::uint32_t seed = 7, double spread = 0.45) {
  Rng rng(seed);
  std::vector<double> centres(static_cast<std::size_t>(10 * dim));
  for (int k = 0; k < 10; ++k) {
    const double a = 6.283185307179586 * k / 10;
    for (int j = 0; j < dim; ++j) {
      double v = j == 0   ? 3 * std::cos(a)
                 : j == 1 ? 3 * std::sin(a)
                 : j == 2 ? 0.8 * std::sin(2 * a)
                          : 1.5 * rng.normal();
      centres[static_cast<std::size_t>(k * dim + j)] = v;
    }
  }
  EpochFrame f;
  f.epoch = 7;
  f.loss = 0.123;
  f.dim = dim;
  f.clusters = 10;
  f.embedding.resize(static_cast<std::size_t>(n) * dim);
  f.assignments.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int k = i % 10;
    for (int j = 0; j < dim; ++j)
      f.embedding[static_cast<std::size_t>(i) * dim + j] =
          static_cast<float>(centres[static_cast<std::size_t>(k * dim + j)] + spread * rng.normal());
    f.assignments[static_cast<std::size_t>(i)] = (i % 97 < 10) ? (k + 1) % 10 : k;
  }
  f.centroids.assign(centres.begin(), centres.end());
  return f;
}

EpochFrame withPoints(EpochFrame f, const std::function<void(float* p)>& change) {
  for (std::size_t i = 0; i + 2 < f.embedding.size(); i += 3) change(&f.embedding[i]);
  for (std::size_t i = 0; i + 2 < f.centroids.size(); i += 3) change(&f.centroids[i]);
  return f;
}

// Pixels that differ clearly from the background: points, markers, text.
int inkPixels(const QImage& image, QRect region = {}) {
  const int all = region.isNull() ? image.width() * image.height() : region.width() * region.height();
  return all - test::countNear(image, palette::background(), 6, region);
}

}  // namespace

class TestScatterView : public QObject {
  Q_OBJECT

  std::unique_ptr<ScatterView> view;

  static void presentations() {
    QTest::addColumn<int>("unused");
    QTest::newRow("window") << 0;
    QTest::newRow("readback") << 0;
  }

  QImage render() {
    QCoreApplication::processEvents();
    return view->renderImage(1);
  }

 private slots:
  void init() {
    // The data tag of the presentation tests picks how frames reach the screen (the native
    // window's blit and swap, or a read back painted by the widget); the default under Xvfb's
    // llvmpipe is the read back.
    const QByteArray present = QTest::currentDataTag() ? QByteArray(QTest::currentDataTag()) : QByteArray();
    const bool forced = present == "window" || present == "readback";
    if (forced) qputenv("CENTROID_PRESENT", present);
    view = std::make_unique<ScatterView>();
    view->resize(kViewSize);
    view->setTransitionMs(0);
    view->setLabels(blobLabels(2000), digitNames());
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    if (forced) {
      QTRY_VERIFY(view->hasGLContext());  // the presentation is chosen with the context
      qunsetenv("CENTROID_PRESENT");
      QCOMPARE(view->presentsByReadback(), present == "readback");
    }
  }
  void cleanup() { view.reset(); }

  void frameReachesScreen() {
    QSignalSpy rendered(view.get(), &ScatterView::frameRendered);
    view->setFrame(blobFrame(), false);
    QVERIFY(rendered.count() > 0 || rendered.wait(5000));
    QVERIFY(view->lastRenderMs() > 0);
    QCOMPARE(view->epochText(), QStringLiteral("epoch 7 · loss 0.123"));
    QVERIFY(view->noteText().isEmpty());
  }

  // What the X server shows (the pixels a user sees, read back from the root window) is the
  // frame VTK rendered: the native window's blit and swap lose nothing.
  void screenShowsTheFrame_data() { presentations(); }
  void screenShowsTheFrame() {
    QSignalSpy rendered(view.get(), &ScatterView::frameRendered);
    view->setFrame(blobFrame(), false);
    QVERIFY(rendered.count() > 0 || rendered.wait(5000));
    QCoreApplication::processEvents();
    const QImage frame = view->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(frame.size(), kViewSize);
    QVERIFY(inkPixels(frame) > 3000);
    const QPoint at = view->mapToGlobal(QPoint(0, 0));
    auto differingFromScreen = [&] {
      const QImage screen = view->screen()
                                ->grabWindow(0, at.x(), at.y(), kViewSize.width(), kViewSize.height())
                                .toImage()
                                .convertToFormat(QImage::Format_RGB32);
      if (screen.size() != frame.size()) return frame.width() * frame.height();
      int differing = 0;
      for (int y = 0; y < frame.height(); ++y) {
        const auto* a = reinterpret_cast<const QRgb*>(frame.constScanLine(y));
        const auto* b = reinterpret_cast<const QRgb*>(screen.constScanLine(y));
        for (int x = 0; x < frame.width(); ++x)
          if (std::abs(qRed(a[x]) - qRed(b[x])) > 2 || std::abs(qGreen(a[x]) - qGreen(b[x])) > 2 ||
              std::abs(qBlue(a[x]) - qBlue(b[x])) > 2)
            ++differing;
      }
      return differing;
    };
    // The X server shows the frame a moment after the swap or flush: wait for it, then it must
    // match. Generous: under the sanitizers one grab and comparison takes seconds.
    int differing = 0;
    QTRY_VERIFY2_WITH_TIMEOUT((differing = differingFromScreen()) < frame.width() * frame.height() / 1000,
                              qPrintable(QStringLiteral("%1 pixels differ").arg(differing)), 30000);
  }

  // QWidget::grab() leaves a native child window blank; grabWithViews paints the view in.
  // A view that paints frames read back is in grab() itself.
  void windowGrabIncludesTheView_data() { presentations(); }
  void windowGrabIncludesTheView() {
    view->setFrame(blobFrame(), false);
    QWidget host;
    auto* label = new QLabel(QStringLiteral("a label above the view"));
    auto* layout = new QVBoxLayout(&host);
    layout->addWidget(label);
    layout->addWidget(view.get());
    host.resize(kViewSize + QSize(0, 60));
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    QTRY_VERIFY(inkPixels(render()) > 3000);
    const QImage plain = host.grab().toImage();
    const QImage full = centroid::ui::VtkOpenGLWidget::grabWithViews(&host);
    QCOMPARE(full.size(), plain.size());
    const QRect area(view->mapTo(&host, QPoint(0, 0)) * full.devicePixelRatio(),
                     view->size() * full.devicePixelRatio());
    QVERIFY(inkPixels(full, area) > 3000);
    if (view->presentsByReadback()) {
      QVERIFY(inkPixels(plain, area) > 3000);
    } else {  // what grab() alone gives there: one flat colour
      const QRgb flat = plain.pixel(area.center());
      QVERIFY(test::countNear(plain, QColor(flat), 6, area) > area.width() * area.height() - 100);
    }
    view->setParent(nullptr);
  }

  void everyLabelColourIsDrawn() {
    view->setFrame(blobFrame(), false);
    const QImage image = render();
    QCOMPARE(image.size(), kViewSize);
    for (int label = 0; label < 10; ++label) {
      // 200 points of each label cover ~1000 pixels; a legend swatch holds only 100, so
      // 300 proves the cloud itself shows the colour.
      const int count = test::countNear(image, palette::labelColor(label));
      if (count < 300) test::saveForInspection(image, "scatterview-colours");
      QVERIFY2(count >= 300, qPrintable(QStringLiteral("label %1: %2 pixels").arg(label).arg(count)));
    }
  }

  void matchesBaseline() {
    view->setFrame(blobFrame(), false);
    const QImage image = render();
    const auto check = test::compareWithBaseline(
        image, QStringLiteral(CENTROID_SOURCE_DIR "/tests/data/baselines/scatterview.png"),
        kBaselineThreshold, "scatterview");
    qInfo("dissimilarity to the baseline: %.4f (threshold %.2f)", check.metric, kBaselineThreshold);
    QVERIFY2(check.ok, qPrintable(check.message));
  }

  void colourModeChangesPixels() {
    EpochFrame f = blobFrame();
    for (std::size_t i = 0; i < f.assignments.size(); ++i) f.assignments[i] = (f.assignments[i] + 3) % 10;
    view->setFrame(f, false);
    const QImage byLabel = render();
    view->setColorBy(ScatterView::ColorBy::Cluster);
    QCOMPARE(view->colorBy(), ScatterView::ColorBy::Cluster);
    const QImage byCluster = render();
    const double changed = test::differingFraction(byLabel, byCluster);
    if (changed < 0.02) test::saveForInspection(byCluster, "scatterview-cluster-mode");
    QVERIFY2(changed >= 0.02, qPrintable(QString::number(changed)));
    QVERIFY(test::dissimilarity(byLabel, byCluster) > 0.01);
  }

  void hiddenClassDisappears() {
    view->setFrame(blobFrame(), false);
    const QColor three = palette::labelColor(3);
    QVERIFY(test::countNear(render(), three) >= 300);
    view->setClassVisible(3, false);
    const int hidden = test::countNear(render(), three);
    QVERIFY2(hidden < 20, qPrintable(QString::number(hidden)));  // the swatch turns hollow too
    QCOMPARE(view->pick(view->projectedPoint(3).toPoint()) == 3, false);
    view->setClassVisible(3, true);
    QVERIFY(test::countNear(render(), three) >= 300);
  }

  void highDimensionalFrameShowsPca() {
    view->setFrame(blobFrame(2000, 8), false);
    QVERIFY(view->noteText().startsWith(QStringLiteral("D=8: showing the first 3 principal axes")));
    QVERIFY(view->cameraIsFinite());
    QVERIFY(inkPixels(render()) > 3000);
    view->setFrame(blobFrame(2000, 8, 8), true);  // a second PCA, aligned with the first
    QCOMPARE(view->pointCount(), 2000);
  }

  void lowDimensionalFrames() {
    for (int dim : {1, 2}) {
      view->setFrame(blobFrame(2000, dim), false);
      QVERIFY(view->noteText().startsWith(QStringLiteral("D=%1").arg(dim)));
      QVERIFY(view->cameraIsFinite());
      QVERIFY(inkPixels(render()) > 1000);
    }
  }

  void degenerateFrames_data() {
    QTest::addColumn<EpochFrame>("frame");
    const EpochFrame base = blobFrame();
    QTest::addRow("all points equal") << withPoints(base, [](float* p) { p[0] = p[1] = p[2] = 0.5f; });
    QTest::addRow("all at origin") << withPoints(base, [](float* p) { p[0] = p[1] = p[2] = 0; });
    QTest::addRow("1e6 offset") << withPoints(base, [](float* p) {
      p[0] += 1e6f;
      p[1] += 1e6f;
      p[2] -= 1e6f;
    });
    QTest::addRow("1e6 spread") << withPoints(base, [](float* p) {
      for (int k = 0; k < 3; ++k) p[k] *= 3e5f;
    });
    QTest::addRow("thin ribbon") << withPoints(base, [](float* p) {
      p[0] *= 0.01f;
      p[1] *= 0.04f;
      p[2] *= 0.2f;
    });
    QTest::addRow("flat plane") << withPoints(base, [](float* p) { p[2] = 0; });
    QTest::addRow("NaN and inf") << withPoints(base, [](float* p) {
      static int i = 0;
      if (++i % 50 == 0) p[i % 3] = (i % 100 == 0) ? NAN : INFINITY;
    });
    EpochFrame collapsed = base;  // the batch-256 collapse: 2 live clusters, 2 centroids far away
    for (std::size_t i = 0; i < collapsed.assignments.size(); ++i)
      collapsed.assignments[i] = static_cast<int>(i % 2);
    collapsed.centroids[3 * 5] = 1e6f;
    collapsed.centroids[3 * 6 + 1] = -2e6f;
    collapsed.loss = 0.03;
    QTest::addRow("empty clusters, far centroids") << collapsed;
    EpochFrame empty;
    empty.dim = 3;
    QTest::addRow("no points") << empty;
  }

  void degenerateFrames() {
    QFETCH(EpochFrame, frame);
    view->setFrame(frame, false);
    const QImage image = render();
    QVERIFY(view->cameraIsFinite());
    QVERIFY(!image.isNull());
    if (frame.points() > 0) {
      // Something is drawn in the middle: the cloud did not vanish behind a clipping plane.
      const QRect middle(kViewSize.width() / 4, kViewSize.height() / 4, kViewSize.width() / 2,
                         kViewSize.height() / 2);
      if (inkPixels(image, middle) < 9)
        test::saveForInspection(image, QStringLiteral("scatterview-degenerate"));
      QVERIFY(inkPixels(image, middle) >= 9);
    }
    view->setFrame(blobFrame(), true);  // and the view recovers with the next ordinary frame
    QVERIFY(view->cameraIsFinite());
  }

  // The centroid numbers are drawn (dark glyphs on their light panels) and leave with their
  // centroids: moved far outside the clipping range, no label may remain on screen.
  void centroidLabelsFollowTheirCentroids() {
    const EpochFrame near = blobFrame();
    view->setFrame(near, false);
    const int withLabels = test::countNear(render(), palette::foreground(), 6);
    EpochFrame far = near;
    for (std::size_t i = 0; i + 2 < far.centroids.size(); i += 3) far.centroids[i] = 1e6f;
    view->setFrame(far, false);
    const int withoutLabels = test::countNear(render(), palette::foreground(), 6);
    qInfo("text-coloured pixels: %d with the centroids in view, %d with them far away", withLabels,
          withoutLabels);
    QVERIFY2(withLabels - withoutLabels >= 10 * 5,  // ten one-digit labels, about ten core pixels each
             qPrintable(QStringLiteral("%1 vs %2").arg(withLabels).arg(withoutLabels)));
  }

  void collapseIsExplained() {
    EpochFrame f = blobFrame();
    for (std::size_t i = 0; i < f.assignments.size(); ++i) f.assignments[i] = static_cast<int>(i % 2);
    f.centroids[3 * 5] = 1e6f;
    view->setFrame(f, false);
    QVERIFY(view->noteText().contains(QStringLiteral("8 of 10 clusters empty")));
    QVERIFY(view->noteText().contains(QStringLiteral("1 centroid far outside the cloud")));
  }

  void pickFindsPointAtKnownPosition() {
    // A sparse 3x3x3 lattice: the camera's first fit centres the lattice's middle point
    // (index 13) on the widget; the tilted view keeps the other points away from it.
    EpochFrame f;
    f.dim = 3;
    f.clusters = 1;
    for (int i = 0; i < 27; ++i)
      for (int v : {i % 3, (i / 3) % 3, i / 9}) f.embedding.push_back(static_cast<float>(v - 1));
    f.assignments.assign(27, 0);
    f.centroids = {0, 0, 0};
    view->setLabels(std::vector<std::uint8_t>(27, 0), digitNames());
    view->setFrame(f, false);
    render();
    const QPoint centre(kViewSize.width() / 2, kViewSize.height() / 2);
    QCOMPARE(view->pick(centre), 13);
    QCOMPARE(view->pick(QPoint(3, kViewSize.height() - 3)), -1);  // an empty corner
    const QPointF p = view->projectedPoint(13);
    QVERIFY(std::abs(p.x() - centre.x()) < 1.5 && std::abs(p.y() - centre.y()) < 1.5);
  }

  void pickRoundTripAndHover() {
    view->setFrame(blobFrame(), false);
    render();
    for (int index : {0, 101, 777, 1999}) {
      const QPointF at = view->projectedPoint(index);
      const int picked = view->pick(at.toPoint());
      QVERIFY(picked >= 0);
      const QPointF found = view->projectedPoint(picked);  // another point may lie on top
      QVERIFY2(std::hypot(found.x() - at.x(), found.y() - at.y()) < 2.0, qPrintable(QString::number(index)));
    }
    QSignalSpy hovered(view.get(), &ScatterView::pointHovered);
    const QPointF at = view->projectedPoint(777);
    QMouseEvent move(QEvent::MouseMove, at, view->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(view.get(), &move);
    QCOMPARE(hovered.count(), 1);
    QVERIFY(hovered.at(0).at(0).toInt() >= 0);
  }

  void pickIsFast() {
    std::vector<std::uint8_t> labels = blobLabels(70000);
    view->setLabels(labels, digitNames());
    view->setFrame(blobFrame(70000), false);
    render();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 20; ++i) view->pick(QPoint(100 + 20 * i, 240));
    const double ms = timer.nsecsElapsed() / 1e6 / 20;
    qInfo("pick over 70,000 points: %.2f ms", ms);
    QVERIFY2(ms < 10, qPrintable(QString::number(ms)));
  }

  void cullingKeepsThePicture_data() {
    QTest::addColumn<EpochFrame>("frame");
    QTest::addColumn<int>("azimuth");
    QTest::addRow("70k blobs") << blobFrame(70000) << 0;
    QTest::addRow("70k blobs, turned") << blobFrame(70000) << 40;
    QTest::addRow("70k thin ribbon") << withPoints(blobFrame(70000), [](float* p) {
      p[0] *= 0.01f;
      p[1] *= 0.04f;
      p[2] *= 0.2f;
    }) << 70;
    QTest::addRow("70k equal points")
        << withPoints(blobFrame(70000), [](float* p) { p[0] = p[1] = p[2] = 0.5f; }) << 0;
  }

  void cullingKeepsThePicture() {
    QFETCH(EpochFrame, frame);
    QFETCH(int, azimuth);
    view->setLabels(blobLabels(frame.points()), digitNames());
    view->setFrame(frame, false);
    render();
    if (azimuth != 0) {  // turn the camera by a drag
      const QPointF c(320, 240);
      QMouseEvent press(QEvent::MouseButtonPress, c, view->mapToGlobal(c), Qt::LeftButton, Qt::LeftButton,
                        Qt::NoModifier);
      QMouseEvent move(QEvent::MouseMove, c + QPointF(azimuth, azimuth / 3), view->mapToGlobal(c),
                       Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
      QMouseEvent release(QEvent::MouseButtonRelease, c + QPointF(azimuth, azimuth / 3), view->mapToGlobal(c),
                          Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
      for (QMouseEvent* e : {&press, &move, &release}) QApplication::sendEvent(view.get(), e);
    }
    view->setPointCulling(true);
    const QImage culled = render();
    const int drawn = view->drawnPointCount();
    view->setPointCulling(false);
    const QImage full = render();
    QCOMPARE(view->drawnPointCount(), frame.points());
    qInfo("culling drew %d of %d points", drawn, frame.points());
    const double differing = test::differingFraction(culled, full, 0);
    if (differing > 0)
      test::saveForInspection(culled, "scatterview-culled"),
          test::saveForInspection(full, "scatterview-full");
    QCOMPARE(differing, 0.0);  // pixel for pixel
    QVERIFY(drawn <= frame.points());
  }

  // The culling pass splits the points over two threads (two depth buffers merged by min):
  // it must keep exactly the points one thread keeps, in index order, hidden classes and
  // points behind the camera or past the clipping planes included.
  void cullingOnTwoThreadsKeepsWhatOneKeeps() {
    std::mt19937 rng(11);
    std::normal_distribution<float> g;
    const int n = 70000;
    std::vector<float> xyz(3 * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const float t = g(rng);
      xyz[3 * i] = 2 * t + 0.1f * g(rng);
      xyz[3 * i + 1] = 0.3f * t * t + 0.2f * g(rng);
      xyz[3 * i + 2] = (i % 97 == 0 ? 30.0f : 0.05f) * g(rng);  // a few far out, some behind the camera
    }
    std::vector<std::uint8_t> hidden(static_cast<std::size_t>(n), 0);
    for (int i = 0; i < n; i += 7) hidden[static_cast<std::size_t>(i)] = 1;
    int compared = 0;
    for (const double angle : {0.0, 0.7, 2.1}) {
      const double c = std::cos(angle), sn = std::sin(angle), f = 0.4;
      // A perspective camera turned about y, 10 units from the origin, depth range [5, 15].
      const double m[16] = {c * f,     0, sn * f,  0, 0,         f * 1.3, 0,       0,
                            -sn * 0.2, 0, c * 0.2, 0, -sn * 0.1, 0,       c * 0.1, 1};
      for (const bool withHidden : {false, true}) {
        centroid::ui::geometry::CullScratch one, two;
        one.threads = 1;
        two.threads = 2;
        std::vector<std::int32_t> keptOne, keptTwo;
        const std::vector<std::uint8_t>& h = withHidden ? hidden : std::vector<std::uint8_t>();
        centroid::ui::geometry::visiblePoints(xyz.data(), n, h, m, 900, 700, 3, one, keptOne);
        centroid::ui::geometry::visiblePoints(xyz.data(), n, h, m, 900, 700, 3, two, keptTwo);
        QVERIFY(keptOne.size() > 1000);
        QVERIFY(keptOne.size() < static_cast<std::size_t>(n));  // something was culled
        QVERIFY(std::is_sorted(keptOne.begin(), keptOne.end()));
        QCOMPARE(keptTwo, keptOne);
        ++compared;
      }
    }
    QCOMPARE(compared, 6);
  }

  void transitionReachesFinalPositions() {
    view->setTransitionMs(300);
    view->setFrame(blobFrame(2000, 3, 7), false);
    const QImage before = render();
    const EpochFrame next = withPoints(blobFrame(2000, 3, 9), [](float* p) { p[0] += 1.5f; });
    QSignalSpy finished(view.get(), &ScatterView::transitionFinished);
    view->setFrame(next, true);
    QVERIFY(view->isAnimating());
    QTRY_VERIFY_WITH_TIMEOUT(view->displayedPositions() != next.embedding, 1000);  // moving, not jumped
    QVERIFY(finished.wait(5000));
    QVERIFY(!view->isAnimating());
    QCOMPARE(view->displayedPositions(), next.embedding);
    QCOMPARE(view->displayedCentroids(), next.centroids);
    QVERIFY(test::differingFraction(before, render()) > 0.02);  // the in-place update reached the GPU
  }

  void renderImageScales() {
    view->setFrame(blobFrame(), false);
    const QImage one = render();
    const QImage two = view->renderImage(2);
    QCOMPARE(two.size(), one.size() * 2);
    QVERIFY(inkPixels(two) > 4 * 3000);
    QVERIFY(test::countNear(two, palette::labelColor(0)) > 4 * 300);
    // The widget goes back to its own size afterwards.
    QCOMPARE(render().size(), one.size());
  }

  void clearAndRelabel() {
    view->setFrame(blobFrame(), false);
    view->clear();
    QCOMPARE(view->pointCount(), 0);
    QVERIFY(view->epochText().isEmpty());
    QCOMPARE(view->pick(QPoint(320, 240)), -1);
    view->setLabels(blobLabels(500), digitNames());
    view->setFrame(blobFrame(500), true);
    QCOMPARE(view->pointCount(), 500);
  }

  void paletteColoursAreDistinct() {
    for (int clusters : {10, 30, 64}) {
      QSet<QRgb> seen;
      for (int k = 0; k < clusters; ++k) seen.insert(palette::clusterColor(k, clusters).rgb());
      QCOMPARE(seen.size(), clusters);
    }
    for (int label = 0; label < 10; ++label)
      QCOMPARE(palette::labelColor(label), palette::clusterColor(label, 10));
  }

  void dragRotatesCamera() {
    view->setFrame(blobFrame(), false);
    render();
    const QPointF before = view->projectedPoint(0);
    QSignalSpy rendered(view.get(), &ScatterView::frameRendered);
    const QPointF c(320, 240);
    auto send = [&](QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons buttons) {
      QMouseEvent e(type, at, view->mapToGlobal(at), button, buttons, Qt::NoModifier);
      QApplication::sendEvent(view.get(), &e);
    };
    send(QEvent::MouseButtonPress, c, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= 5; ++i)
      send(QEvent::MouseMove, c + QPointF(12 * i, 4 * i), Qt::NoButton, Qt::LeftButton);
    send(QEvent::MouseButtonRelease, c + QPointF(60, 20), Qt::LeftButton, Qt::NoButton);
    QVERIFY(rendered.count() > 0 || rendered.wait(5000));
    const QPointF after = view->projectedPoint(0);
    QVERIFY2(std::hypot(after.x() - before.x(), after.y() - before.y()) > 5, "the camera did not turn");
    QVERIFY(view->cameraIsFinite());
  }

  void cameraFollowsTheCloudUntilDragged() {
    const QRectF inside(0, 0, view->width(), view->height());
    view->setFrame(blobFrame(), false);
    render();
    QVERIFY(view->followsCloud());
    // The cloud moves far away and grows: a following camera keeps it framed.
    const EpochFrame moved = withPoints(blobFrame(), [](float* p) {
      for (int a = 0; a < 3; ++a) p[a] = 10 * p[a] + 500;
    });
    view->setFrame(moved, false);
    render();
    for (int i : {0, 100, 500, 1999})
      QVERIFY2(inside.contains(view->projectedPoint(i)), "the cloud left the view");
    // A drag hands the camera to the user: the next frame does not move it.
    const QPointF c(320, 240);
    auto send = [&](QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons buttons) {
      QMouseEvent e(type, at, view->mapToGlobal(at), button, buttons, Qt::NoModifier);
      QApplication::sendEvent(view.get(), &e);
    };
    send(QEvent::MouseButtonPress, c, Qt::LeftButton, Qt::LeftButton);
    send(QEvent::MouseMove, c + QPointF(10, 0), Qt::NoButton, Qt::LeftButton);
    send(QEvent::MouseButtonRelease, c + QPointF(10, 0), Qt::LeftButton, Qt::NoButton);
    QVERIFY(!view->followsCloud());
    view->setFrame(withPoints(moved, [](float* p) { p[0] += 5000; }), false);
    render();
    QVERIFY2(!inside.contains(view->projectedPoint(0)), "the camera moved although the user holds it");
    // Reset View frames the cloud again and follows it from then on.
    view->resetCamera();
    render();
    QVERIFY(view->followsCloud());
    QVERIFY(inside.contains(view->projectedPoint(0)));
  }

  void resizeFollows() {
    view->setFrame(blobFrame(), false);
    view->resize(400, 300);
    QTRY_COMPARE(view->renderImage(1).size(), QSize(400, 300));
    QVERIFY(inkPixels(view->renderImage(1)) > 2000);
  }

  void reparentingKeepsRendering() {
    view->setFrame(blobFrame(), false);
    QWidget host;
    host.resize(kViewSize);
    view->setParent(&host);  // recreates the GL context
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    QVERIFY(inkPixels(render()) > 3000);
    view->setParent(nullptr);
  }
};

int main(int argc, char** argv) {
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestScatterView tests;
  return QTest::qExec(&tests, argc, argv);
}

#include "test_scatterview.moc"
