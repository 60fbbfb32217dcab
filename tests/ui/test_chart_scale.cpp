// Charts under extreme but valid values (issue 14): the axis arithmetic on its own, then the
// real MetricsCharts drawn (grab() lays the axes out, which is where Qt Charts crashed) in both
// scales, appended live and set all at once.
#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <QtTest>
#include <cfloat>
#include <cmath>
#include <limits>

#include "ui/widgets/ChartScale.h"
#include "ui/widgets/MetricsCharts.h"

using namespace centroid;
using namespace centroid::ui;

Q_DECLARE_METATYPE(std::vector<double>)

namespace {

// Ticks Qt lays out for a dynamic-interval value axis anchored at 0.
double linearTicks(double min, double max, double step) {
  return std::floor(max / step) - std::ceil(min / step) + 1;
}

void checkLinear(const LinearScale& s, double lo, double hi) {
  QVERIFY2(std::isfinite(s.min) && std::isfinite(s.max) && std::isfinite(s.step),
           qPrintable(QString("%1 %2 %3").arg(s.min).arg(s.max).arg(s.step)));
  QVERIFY(s.min < s.max);
  QVERIFY(std::isfinite(s.max - s.min));  // Qt divides by the span
  QVERIFY(s.step > 0);
  // The whole range, up to a quarter of the largest double either way.
  QCOMPARE(kMaxAxisMagnitude, DBL_MAX / 4);
  QVERIFY(s.min <= std::max(lo, -kMaxAxisMagnitude) && s.max >= std::min(hi, kMaxAxisMagnitude));
  QVERIFY(s.min >= -kMaxAxisMagnitude && s.max <= kMaxAxisMagnitude);
  const double ticks = linearTicks(s.min, s.max, s.step);
  QVERIFY2(ticks >= 2 && ticks <= kMaxTicks + 1, qPrintable(QString::number(ticks)));
}

void checkLog(const LogScale& s, double lo, double hi) {
  QVERIFY(std::isfinite(s.min) && std::isfinite(s.max));
  QVERIFY(s.min > 0 && s.min < s.max);
  QVERIFY(s.min <= lo && s.max >= hi);
  QVERIFY(s.base >= 10 && std::isfinite(s.base));
  const double majors = (std::log(s.max) - std::log(s.min)) / std::log(s.base);  // max / min may overflow
  QVERIFY2(majors <= kMaxTicks + 1, qPrintable(QString::number(majors)));
}

std::vector<EpochSummary> epochsWithLosses(const std::vector<double>& losses) {
  std::vector<EpochSummary> epochs;
  for (std::size_t i = 0; i < losses.size(); ++i) {
    EpochSummary e;
    e.epoch = static_cast<int>(i) + 1;
    e.loss = losses[i];
    e.metrics = {0.3, 0.28, 0.19, 0.1, 0.24, 10};
    epochs.push_back(e);
  }
  return epochs;
}

// The loss axis in use holds every finite loss shown, with finite limits and few ticks.
void checkLossAxis(MetricsCharts& charts, const std::vector<double>& losses) {
  QVERIFY(!charts.grab().isNull());  // lays the axes out, as on screen
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : losses) {
    if (!std::isfinite(v) || (charts.logScale() && v <= 0)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  QAbstractAxis* axis = charts.lossChart()->axes(Qt::Vertical).first();
  if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
    QVERIFY(charts.logScale());
    QVERIFY(std::isfinite(log->min()) && std::isfinite(log->max()) && log->min() > 0);
    if (lo <= hi) QVERIFY(log->min() <= lo && log->max() >= hi);
    QVERIFY((std::log(log->max()) - std::log(log->min())) / std::log(log->base()) <= kMaxTicks + 1);
  } else {
    auto* value = qobject_cast<QValueAxis*>(axis);
    QVERIFY(value);
    QVERIFY(!charts.logScale());
    QVERIFY(std::isfinite(value->min()) && std::isfinite(value->max()) && value->min() < value->max());
    QVERIFY(std::isfinite(value->max() - value->min()));
    if (lo <= hi)
      QVERIFY(value->min() <= std::max(lo, -kMaxAxisMagnitude) &&
              value->max() >= std::min(hi, kMaxAxisMagnitude));
    QVERIFY(value->tickInterval() > 0);
    QVERIFY(linearTicks(value->min(), value->max(), value->tickInterval()) <= kMaxTicks + 1);
  }
}

}  // namespace

class TestChartScale : public QObject {
  Q_OBJECT

 private slots:
  void niceStepValues() {
    QCOMPARE(niceStep(0.21), 0.5);
    QCOMPARE(niceStep(1.0), 1.0);
    QCOMPARE(niceStep(3.0), 5.0);
    QCOMPARE(niceStep(7.0), 10.0);
    QVERIFY(std::isfinite(niceStep(DBL_MAX)));
    QVERIFY(niceStep(DBL_TRUE_MIN) > 0);
  }

  void linearScale_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addRow("everyday") << 0.0 << 2.21;
    QTest::addRow("lr 1: 8.3e9") << 0.0 << 8.3e9;
    QTest::addRow("lr 50: 2.4e23") << 0.0 << 2.4e23;
    QTest::addRow("1e300") << 0.0 << 1e300;
    QTest::addRow("largest double") << 0.0 << DBL_MAX;
    QTest::addRow("both largest") << -DBL_MAX << DBL_MAX;
    QTest::addRow("smallest subnormal") << 0.0 << DBL_TRUE_MIN;
    QTest::addRow("zero") << 0.0 << 0.0;
    QTest::addRow("negative") << -3.5 << -0.2;
    QTest::addRow("single value") << 4e34 << 4e34;
    QTest::addRow("single negative") << -1e23 << -1e23;
    QTest::addRow("narrow far from zero") << 1e23 << 1.0000001e23;
  }
  void linearScale() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    checkLinear(niceLinearScale(lo, hi), lo, hi);
  }

  void logScale_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addRow("everyday") << 0.03 << 2.2;
    QTest::addRow("first decade") << 1.0 << 1.0;
    QTest::addRow("1e-3 to 8.3e9") << 1e-3 << 8.3e9;
    QTest::addRow("to 1e300") << 0.5 << 1e300;
    QTest::addRow("subnormal to largest") << DBL_TRUE_MIN << DBL_MAX;
    QTest::addRow("largest alone") << DBL_MAX << DBL_MAX;
    QTest::addRow("subnormal alone") << DBL_TRUE_MIN << DBL_TRUE_MIN;
  }
  void logScale() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    const LogScale s = niceLogScale(lo, hi);
    checkLog(s, lo, hi);
    if (hi / lo < 1e9) QCOMPARE(s.base, 10.0);  // ordinary runs keep one tick per decade
  }

  // The crash of issue 14 and its relatives, through the real widget.
  void chartsExtremeLosses_data() {
    QTest::addColumn<std::vector<double>>("losses");
    QTest::addRow("lr 1") << std::vector<double>{8.3e9, 2.1e9, 9.7e8};
    QTest::addRow("lr 50") << std::vector<double>{2.4e23, 3.1e22};
    QTest::addRow("lr 1000") << std::vector<double>{4e34, 1.6e34};
    QTest::addRow("after a normal start") << std::vector<double>{0.52, 0.47, 8.3e9, 1e23};
    QTest::addRow("1e300") << std::vector<double>{1e300};
    QTest::addRow("largest double") << std::vector<double>{0.5, DBL_MAX, DBL_MAX};
    QTest::addRow("smallest subnormal") << std::vector<double>{DBL_TRUE_MIN, 0.2};
    QTest::addRow("subnormal alone") << std::vector<double>{DBL_TRUE_MIN};
    QTest::addRow("zero") << std::vector<double>{0.0, 0.0};
    QTest::addRow("negative") << std::vector<double>{-0.4, -1e23, 0.2};
    QTest::addRow("most negative") << std::vector<double>{-DBL_MAX, DBL_MAX};
    QTest::addRow("single value") << std::vector<double>{4e34};
    QTest::addRow("with NaN and inf")
        << std::vector<double>{std::nan(""), 1e30, std::numeric_limits<double>::infinity()};
  }
  void chartsExtremeLosses() {
    QFETCH(std::vector<double>, losses);
    const std::vector<EpochSummary> epochs = epochsWithLosses(losses);
    for (const bool log : {false, true}) {
      // Appended live, epoch by epoch, with the scale chosen first...
      MetricsCharts live;
      live.resize(900, 300);
      live.setLogScale(log);
      live.setCurrentEpoch(1);
      for (std::size_t i = 0; i < epochs.size(); ++i) {
        live.appendEpoch(epochs[i]);
        checkLossAxis(live, std::vector<double>(losses.begin(), losses.begin() + static_cast<long>(i) + 1));
        if (QTest::currentTestFailed()) return;
      }
      QCOMPARE(live.epochCount(), static_cast<int>(epochs.size()));
      // ... and set all at once, the scale switched afterwards (as when a run is opened).
      MetricsCharts loaded;
      loaded.resize(900, 300);
      loaded.setEpochs(epochs);
      checkLossAxis(loaded, losses);
      loaded.setLogScale(log);
      loaded.setCurrentEpoch(static_cast<int>(epochs.size()));
      checkLossAxis(loaded, losses);
      if (QTest::currentTestFailed()) return;
      // Back to an ordinary run in the same widget: the axis shrinks again.
      loaded.setEpochs(epochsWithLosses({0.52, 0.47}));
      checkLossAxis(loaded, {0.52, 0.47});
      auto* axis = qobject_cast<QValueAxis*>(loaded.lossChart()->axes(Qt::Vertical).first());
      if (axis) QVERIFY(axis->max() <= 1.0);
    }
  }

  // Metric values a damaged or hand-made file may claim: the metrics axis stays [-1, 1] at most.
  void chartsExtremeMetrics() {
    MetricsCharts charts;
    charts.resize(900, 300);
    std::vector<EpochSummary> epochs = epochsWithLosses({0.5, 0.4});
    epochs[0].metrics.ari = -1e300;
    epochs[1].metrics.nmi = DBL_MAX;
    charts.setEpochs(epochs);
    QVERIFY(!charts.grab().isNull());
    auto* y = qobject_cast<QValueAxis*>(charts.metricsChart()->axes(Qt::Vertical).first());
    QCOMPARE(y->min(), -1.0);
    QCOMPARE(y->max(), 1.0);
  }
};

QTEST_MAIN(TestChartScale)
#include "test_chart_scale.moc"
