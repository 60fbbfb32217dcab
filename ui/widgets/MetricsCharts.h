// Per-epoch charts: loss (linear or log scale) and clustering metrics, with a current-epoch marker.
#pragma once

#include <QWidget>
#include <array>
#include <vector>

#include "core/runfile/RunFile.h"
#include "core/metrics/Types.h"

class QAbstractAxis;
class QBoxLayout;
class QChart;
class QChartView;
class QCheckBox;
class QLineSeries;
class QLogValueAxis;
class QPen;
class QValueAxis;

namespace centroid::ui {

// Appending an epoch adds one point per series; axes move only when a limit does (the epoch
// axis in steps of several epochs), so a live run costs the same at epoch 5 and at epoch 500.
class MetricsCharts : public QWidget {
  Q_OBJECT

 public:
  // The metric series, in legend order.
  enum MetricSeries { SeedPurity, Purity, Nmi, Ari, Acc, MetricCount };

  explicit MetricsCharts(QWidget* parent = nullptr);

  void clear();  // epochs and marker; baselines stay (they belong to the run, not the epochs)
  void setEpochs(const std::vector<EpochSummary>& epochs);
  // An epoch at or before the last one shown replaces it and everything after it.
  void appendEpoch(const EpochSummary& epoch);
  // Vertical marker on both charts; epoch <= 0 hides it.
  void setCurrentEpoch(int epoch);
  // Dashed horizontal lines at each baseline's NMI and ACC, in those series' colours.
  void setBaselines(const std::vector<BaselineRow>& baselines);

  // Log scale is refused (and the toggle disabled) while a shown loss is <= 0.
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }
  void setOrientation(Qt::Orientation orientation);  // charts side by side or stacked
  // The loss chart's title: the run's method ("k-means loss", "friendly objective").
  void setLossTitle(const QString& title);

  int currentEpoch() const { return currentEpoch_; }
  int epochCount() const { return static_cast<int>(epochs_.size()); }
  QChart* lossChart() const { return lossChart_; }
  QChart* metricsChart() const { return metricsChart_; }
  QLineSeries* lossSeries() const { return loss_; }
  QLineSeries* metricSeries(MetricSeries which) const { return metrics_[which]; }
  QLineSeries* lossMarker() const { return lossMarker_; }
  QLineSeries* metricsMarker() const { return metricsMarker_; }

 signals:
  // The user clicked a series point: replay can jump there.
  void epochClicked(int epoch);

 private:
  void buildLossChart();
  void buildMetricsChart();
  void rescaleAll(bool headroom = false);
  void rescaleX(bool headroom);  // headroom: live appends, grow ahead of the data
  void rescaleLoss();
  void rescaleMetrics();
  void updateMarkers();
  void updateBaselineLines();
  void updatePointVisibility();
  bool eventFilter(QObject* watched, QEvent* event) override;
  QLineSeries* addLine(QChart* chart, const QString& name, const QPen& pen, const char* objectName,
                       QAbstractAxis* x, QAbstractAxis* y);
  // A data series: a click on it emits epochClicked.
  QLineSeries* addDataLine(QChart* chart, const QString& name, const QColor& color, const char* objectName,
                           QAbstractAxis* x, QAbstractAxis* y);
  QLineSeries* addMarker(QChart* chart, const char* objectName, QAbstractAxis* x, QAbstractAxis* y);
  void noteLoss(double loss);  // tracks the extremes the loss axis follows
  const EpochSummary* findEpoch(int epoch) const;

  std::vector<EpochSummary> epochs_;
  int currentEpoch_ = 0;
  bool logScale_ = false;
  double xMax_ = 0;
  // Extremes over the finite values shown; lossMin_ > lossMax_ while there are none.
  double lossMin_ = 0, lossMax_ = 0, positiveLossMin_ = 0;
  double metricMin_ = 0;
  bool hasLoss() const { return lossMin_ <= lossMax_; }

  QBoxLayout* layout_;
  QCheckBox* logBox_;
  QChart* lossChart_;
  QChart* metricsChart_;
  QChartView* lossView_;
  QChartView* metricsView_;
  QValueAxis* lossX_;
  QValueAxis* lossY_;
  QLogValueAxis* lossLogY_;
  QValueAxis* metricsX_;
  QValueAxis* metricsY_;
  QLineSeries* loss_;
  std::array<QLineSeries*, MetricCount> metrics_{};
  QLineSeries* lossMarker_;
  QLineSeries* metricsMarker_;
  std::vector<QLineSeries*> baselineLines_;  // two points each, at the baseline's value
};

}  // namespace centroid::ui
