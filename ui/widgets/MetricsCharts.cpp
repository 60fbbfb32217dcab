// Qt Charts for loss and metrics per epoch; axes are set by hand so appends stay incremental.
#include "ui/widgets/MetricsCharts.h"

#include "ui/widgets/ChartScale.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QBoxLayout>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace centroid::ui {
namespace {

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. The two
// purities share warm hues (they are related); NMI, ARI and ACC get contrasting ones.
const QColor kLossColor(0x00, 0x72, 0xB2);
struct MetricStyle {
  const char* name;        // legend text; technical names, left untranslated
  const char* objectName;  // for tests
  QColor color;
  double Metrics::*field;
};
const MetricStyle kMetrics[MetricsCharts::MetricCount] = {
    {"seed purity", "seedPurity", {0xE6, 0x9F, 0x00}, &Metrics::seedPurity},
    {"purity", "purity", {0xD5, 0x5E, 0x00}, &Metrics::purity},
    {"NMI", "nmi", {0x00, 0x9E, 0x73}, &Metrics::nmi},
    {"ARI", "ari", {0xCC, 0x79, 0xA7}, &Metrics::ari},
    {"ACC", "acc", {0x00, 0x72, 0xB2}, &Metrics::accuracy}};
constexpr int kMaxEpochsWithPoints = 40;  // beyond this, point markers only clutter the line
constexpr double kMinXMax = 10;           // a fresh run starts on a 10-epoch axis, not a 1-epoch one

double metricValue(const Metrics& m, int which) { return m.*kMetrics[which].field; }

// Sets range and interval in the order that never asks Qt for more ticks than either end state:
// a wider step first when growing, the narrower range first when shrinking.
void applyScale(QValueAxis* axis, const LinearScale& s) {
  if (s.step > axis->tickInterval()) {
    axis->setTickInterval(s.step);
    axis->setRange(s.min, s.max);
  } else {
    axis->setRange(s.min, s.max);
    axis->setTickInterval(s.step);
  }
}

QValueAxis* makeEpochAxis(QObject* parent) {
  auto* axis = new QValueAxis(parent);
  axis->setTitleText(MetricsCharts::tr("epoch"));
  axis->setLabelFormat(QStringLiteral("%d"));
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setMinorTickCount(0);
  return axis;
}

// The view owns the chart.
QChartView* makeChartView(const QString& title, QWidget* parent) {
  auto* chart = new QChart;
  chart->setTitle(title);
  QFont f = chart->titleFont();
  f.setBold(true);
  f.setPointSizeF(f.pointSizeF() * 1.1);
  chart->setTitleFont(f);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->setBackgroundRoundness(0);
  chart->setAnimationOptions(QChart::NoAnimation);  // animating every append is distracting
  auto* view = new QChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 220);
  return view;
}

}  // namespace

MetricsCharts::MetricsCharts(QWidget* parent) : QWidget(parent) {
  buildLossChart();
  buildMetricsChart();

  // The toggle floats in the loss chart's top-right corner (beside the centred title) so that it
  // costs no height in a short bottom dock; eventFilter keeps it there on resize.
  logBox_ = new QCheckBox(tr("Log scale"), lossView_);
  logBox_->setToolTip(tr("Show the loss on a logarithmic axis (off while a loss is <= 0)"));
  logBox_->setAutoFillBackground(false);
  connect(logBox_, &QCheckBox::toggled, this, &MetricsCharts::setLogScale);
  lossView_->installEventFilter(this);

  layout_ = new QBoxLayout(QBoxLayout::LeftToRight, this);
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(4);
  layout_->addWidget(lossView_, 1);
  layout_->addWidget(metricsView_, 1);

  clear();
}

QLineSeries* MetricsCharts::addLine(QChart* chart, const QString& name, const QPen& pen,
                                    const char* objectName, QAbstractAxis* x, QAbstractAxis* y) {
  auto* series = new QLineSeries;
  series->setName(name);
  series->setObjectName(QLatin1String(objectName));
  series->setPen(pen);
  chart->addSeries(series);
  series->setMarkerSize(pen.widthF() * 1.75);  // a radius; after addSeries, which resets it
  series->attachAxis(x);
  series->attachAxis(y);
  return series;
}

QLineSeries* MetricsCharts::addDataLine(QChart* chart, const QString& name, const QColor& color,
                                        const char* objectName, QAbstractAxis* x, QAbstractAxis* y) {
  QPen pen(color);
  pen.setWidthF(2);
  QLineSeries* series = addLine(chart, name, pen, objectName, x, y);
  connect(series, &QLineSeries::clicked, this, [this](const QPointF& p) {
    if (const EpochSummary* e = findEpoch(qRound(p.x()))) {
      emit epochClicked(e->epoch);
    }
  });
  return series;
}

QLineSeries* MetricsCharts::addMarker(QChart* chart, const char* objectName, QAbstractAxis* x,
                                      QAbstractAxis* y) {
  QPen pen(QColor(0x55, 0x55, 0x55), 1.5, Qt::DashLine);
  QLineSeries* marker = addLine(chart, tr("current epoch"), pen, objectName, x, y);
  chart->legend()->markers(marker).first()->setVisible(false);  // the dashed line is obvious
  return marker;
}

void MetricsCharts::buildLossChart() {
  lossView_ = makeChartView(tr("k-means loss"), this);
  lossChart_ = lossView_->chart();
  lossX_ = makeEpochAxis(lossChart_);
  lossY_ = new QValueAxis(lossChart_);
  lossY_->setTitleText(tr("loss"));
  lossY_->setLabelFormat(QStringLiteral("%.3g"));
  lossY_->setTickType(QValueAxis::TicksDynamic);
  lossY_->setTickAnchor(0);
  lossLogY_ = new QLogValueAxis(lossChart_);  // swapped in by setLogScale
  lossLogY_->setTitleText(lossY_->titleText());
  lossLogY_->setBase(10);
  lossLogY_->setLabelFormat(QStringLiteral("%g"));
  lossLogY_->setMinorTickCount(8);  // grid at 2..9 x each decade
  lossChart_->addAxis(lossX_, Qt::AlignBottom);
  lossChart_->addAxis(lossY_, Qt::AlignLeft);
  lossChart_->legend()->setAlignment(Qt::AlignTop);
  lossChart_->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  loss_ = addDataLine(lossChart_, tr("mean batch loss"), kLossColor, "loss", lossX_, lossY_);
  lossMarker_ = addMarker(lossChart_, "lossMarker", lossX_, lossY_);
}

void MetricsCharts::buildMetricsChart() {
  metricsView_ = makeChartView(tr("Clustering metrics"), this);
  metricsChart_ = metricsView_->chart();
  metricsX_ = makeEpochAxis(metricsChart_);
  metricsY_ = new QValueAxis(metricsChart_);
  metricsY_->setTitleText(tr("score"));
  metricsY_->setLabelFormat(QStringLiteral("%.1f"));
  metricsY_->setTickType(QValueAxis::TicksDynamic);
  metricsY_->setTickAnchor(0);
  metricsY_->setTickInterval(0.2);
  metricsY_->setMinorTickCount(0);  // minor grid lines would read as baseline lines
  metricsChart_->addAxis(metricsX_, Qt::AlignBottom);
  metricsChart_->addAxis(metricsY_, Qt::AlignLeft);
  // Five metrics plus two lines per baseline do not fit in one row under the plot; line-shaped
  // legend markers are the only way to tell a dashed baseline from a dotted one.
  metricsChart_->legend()->setAlignment(Qt::AlignRight);
  metricsChart_->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  for (int i = 0; i < MetricCount; ++i) {
    metrics_[i] = addDataLine(metricsChart_, QLatin1String(kMetrics[i].name), kMetrics[i].color,
                              kMetrics[i].objectName, metricsX_, metricsY_);
  }
  metricsMarker_ = addMarker(metricsChart_, "metricsMarker", metricsX_, metricsY_);
}

void MetricsCharts::clear() {
  epochs_.clear();
  currentEpoch_ = 0;
  lossMin_ = positiveLossMin_ = std::numeric_limits<double>::infinity();
  lossMax_ = -lossMin_;
  metricMin_ = 0;
  loss_->clear();
  for (QLineSeries* s : metrics_) {
    s->clear();
  }
  logBox_->setEnabled(true);
  rescaleAll();
}

void MetricsCharts::rescaleAll(bool headroom) {
  rescaleX(headroom);
  rescaleLoss();
  rescaleMetrics();
  updateMarkers();
  updatePointVisibility();
}

void MetricsCharts::noteLoss(double loss) {
  if (loss <= 0 && logBox_->isEnabled()) {
    // Zero or negative losses have no place on a log axis: fall back before drawing garbage.
    setLogScale(false);
    logBox_->setEnabled(false);
  }
  lossMin_ = std::min(lossMin_, loss);
  lossMax_ = std::max(lossMax_, loss);
  positiveLossMin_ = loss > 0 ? std::min(positiveLossMin_, loss) : positiveLossMin_;
}

const EpochSummary* MetricsCharts::findEpoch(int epoch) const {
  const auto it = std::find_if(epochs_.begin(), epochs_.end(),
                               [epoch](const EpochSummary& e) { return e.epoch == epoch; });
  return it == epochs_.end() ? nullptr : &*it;
}

void MetricsCharts::setEpochs(const std::vector<EpochSummary>& epochs) {
  const int keepMarker = currentEpoch_;  // the marker belongs to replay, not to the data
  clear();
  epochs_ = epochs;
  std::stable_sort(epochs_.begin(), epochs_.end(),
                   [](const EpochSummary& a, const EpochSummary& b) { return a.epoch < b.epoch; });
  // One replace() per series: a single repaint instead of one per point.
  QList<QPointF> lossPoints;
  std::array<QList<QPointF>, MetricCount> metricPoints;
  for (const EpochSummary& e : epochs_) {
    if (std::isfinite(e.loss)) {
      noteLoss(e.loss);
      lossPoints << QPointF(e.epoch, e.loss);
    }
    for (int i = 0; i < MetricCount; ++i) {
      const double v = metricValue(e.metrics, i);
      if (std::isfinite(v)) {
        metricMin_ = std::min(metricMin_, v);
        metricPoints[i] << QPointF(e.epoch, v);
      }
    }
  }
  loss_->replace(lossPoints);
  for (int i = 0; i < MetricCount; ++i) {
    metrics_[i]->replace(metricPoints[i]);
  }
  currentEpoch_ = keepMarker;
  rescaleAll();
}

void MetricsCharts::appendEpoch(const EpochSummary& e) {
  if (!epochs_.empty() && e.epoch <= epochs_.back().epoch) {
    // A restarted or re-read run: rare, so a rebuild is fine.
    std::vector<EpochSummary> kept;
    std::copy_if(epochs_.begin(), epochs_.end(), std::back_inserter(kept),
                 [&e](const EpochSummary& old) { return old.epoch < e.epoch; });
    kept.push_back(e);
    setEpochs(kept);
    return;
  }
  epochs_.push_back(e);
  // NaN or infinite values leave a gap rather than break the line or the axis.
  if (std::isfinite(e.loss)) {
    noteLoss(e.loss);
    loss_->append(e.epoch, e.loss);
  }
  for (int i = 0; i < MetricCount; ++i) {
    const double v = metricValue(e.metrics, i);
    if (std::isfinite(v)) {
      metricMin_ = std::min(metricMin_, v);
      metrics_[i]->append(e.epoch, v);
    }
  }
  // O(1): Qt ignores a setRange to the current range, so axes only move when a limit does.
  rescaleAll(/*headroom=*/true);
}

void MetricsCharts::setCurrentEpoch(int epoch) {
  currentEpoch_ = std::max(epoch, 0);
  updateMarkers();
}

void MetricsCharts::setBaselines(const std::vector<BaselineRow>& baselines) {
  for (QLineSeries* s : baselineLines_) {
    metricsChart_->removeSeries(s);
    delete s;
  }
  baselineLines_.clear();
  static const Qt::PenStyle styles[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
  for (size_t b = 0; b < baselines.size(); ++b) {
    for (const int which : {Nmi, Acc}) {
      const double v = metricValue(baselines[b].metrics, which);
      if (std::isfinite(v)) {
        // Metric first: if the legend must elide, the part that tells the lines apart survives.
        const QString name = QStringLiteral("%1 · %2").arg(QLatin1String(kMetrics[which].name),
                                                           QString::fromStdString(baselines[b].name));
        const QPen pen(kMetrics[which].color, 1.5, styles[b % 4]);
        baselineLines_.push_back(addLine(metricsChart_, name, pen, "baseline", metricsX_, metricsY_));
        baselineLines_.back()->append(0, v);  // updateBaselineLines stretches it to the x range
      }
    }
  }
  updateBaselineLines();
}

void MetricsCharts::setLogScale(bool on) {
  if (on && lossMin_ <= 0) {
    on = false;
  }
  const QSignalBlocker block(logBox_);  // no toggled() -> setLogScale recursion
  logBox_->setChecked(on);
  if (on == logScale_) {
    return;
  }
  logScale_ = on;
  QAbstractAxis* from = on ? static_cast<QAbstractAxis*>(lossY_) : lossLogY_;
  QAbstractAxis* to = on ? static_cast<QAbstractAxis*>(lossLogY_) : lossY_;
  for (QLineSeries* s : {loss_, lossMarker_}) {
    s->detachAxis(from);
  }
  // removeAxis hands ownership back to us; parent it so it is freed with the chart.
  lossChart_->removeAxis(from);
  from->setParent(lossChart_);
  lossChart_->addAxis(to, Qt::AlignLeft);
  for (QLineSeries* s : {loss_, lossMarker_}) {
    s->attachAxis(to);
  }
  rescaleLoss();
  updateMarkers();
}

void MetricsCharts::setLossTitle(const QString& title) { lossChart_->setTitle(title); }

void MetricsCharts::setOrientation(Qt::Orientation orientation) {
  layout_->setDirection(orientation == Qt::Horizontal ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

bool MetricsCharts::eventFilter(QObject* watched, QEvent* event) {
  if (watched == lossView_ && event->type() == QEvent::Resize) {
    logBox_->adjustSize();
    logBox_->move(lossView_->width() - logBox_->width() - 10, 6);
  }
  return QWidget::eventFilter(watched, event);
}

void MetricsCharts::rescaleX(bool headroom) {
  const double last = epochs_.empty() ? 0 : epochs_.back().epoch;
  // Half an epoch of room keeps the newest point's dot off the plot's edge (long runs: no dots).
  const double end = last + (epochCount() <= kMaxEpochsWithPoints ? 0.5 : 0.0);
  if (headroom && end <= xMax_) {
    return;
  }
  // A live run outgrowing the axis gets a quarter more, so the axis moves every few epochs
  // (log-many times in all); a loaded run fits tightly.
  const double target = std::max(kMinXMax, headroom ? end * 1.25 : end);
  const double step = std::max(1.0, niceStep(target / 8));  // at most 8 ticks
  const double xMax = std::ceil(target / step) * step;
  if (xMax == xMax_) {
    return;
  }
  xMax_ = xMax;
  for (QValueAxis* axis : {lossX_, metricsX_}) {
    applyScale(axis, LinearScale{0, xMax_, step});
  }
  updateBaselineLines();
}

void MetricsCharts::rescaleLoss() {
  if (logScale_) {
    const double lo = std::isfinite(positiveLossMin_) ? positiveLossMin_ : 0.1;
    const LogScale s = niceLogScale(lo, std::max(hasLoss() ? lossMax_ : 1.0, lo));
    // Base first: a new range under an old base of 10 could mean hundreds of decades of ticks.
    if (s.base > lossLogY_->base()) {
      lossLogY_->setBase(s.base);
      lossLogY_->setRange(s.min, s.max);
    } else {
      lossLogY_->setRange(s.min, s.max);
      lossLogY_->setBase(s.base);
    }
    lossLogY_->setMinorTickCount(s.minorTicks);
    return;
  }
  // Round limits and about five ticks: 0–2.5 in steps of 0.5, not 0–2.21. Computed here rather
  // than by applyNiceNumbers() so that an unchanged range is not set (and redrawn) again.
  const double lo = hasLoss() ? std::min(0.0, lossMin_) : 0.0;
  const double hi = hasLoss() && lossMax_ > 0 ? lossMax_ * 1.02 : 1.0;
  applyScale(lossY_, niceLinearScale(lo, hi));
}

void MetricsCharts::rescaleMetrics() {
  // Scores live in [0, 1]; only ARI can go below 0 (worse than chance, never below -1). A file
  // may claim anything: values outside [-1, 1] are drawn off the plot, not stretched into it.
  metricsY_->setRange(std::clamp(std::floor(metricMin_ * 10) / 10, -1.0, 0.0), 1.0);
}

void MetricsCharts::updateMarkers() {
  // Called on every append: leave an unchanged marker alone rather than redraw it.
  auto place = [](QLineSeries* marker, const QList<QPointF>& points) {
    if (marker->points() != points) {
      marker->replace(points);
    }
  };
  if (currentEpoch_ <= 0) {
    place(lossMarker_, {});
    place(metricsMarker_, {});
    return;
  }
  const double x = currentEpoch_;
  const double lossLo = logScale_ ? lossLogY_->min() : lossY_->min();
  const double lossHi = logScale_ ? lossLogY_->max() : lossY_->max();
  place(lossMarker_, {QPointF(x, lossLo), QPointF(x, lossHi)});
  place(metricsMarker_, {QPointF(x, metricsY_->min()), QPointF(x, metricsY_->max())});
}

void MetricsCharts::updateBaselineLines() {
  for (QLineSeries* line : baselineLines_) {
    const double y = line->at(0).y();
    line->replace({QPointF(0, y), QPointF(xMax_, y)});
  }
}

void MetricsCharts::updatePointVisibility() {
  const bool visible = epochCount() <= kMaxEpochsWithPoints;
  loss_->setPointsVisible(visible);
  for (QLineSeries* s : metrics_) {
    s->setPointsVisible(visible);
  }
}

}  // namespace centroid::ui
