// QtTest for the panels around the 3-D view: purity/metrics models, table export, metrics charts.
#include <QAbstractItemModelTester>
#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QStandardItemModel>
#include <QTableView>
#include <QValueAxis>
#include <QtTest>
#include <cmath>
#include <memory>
#include <random>

#include "core/metrics/Metrics.h"
#include "ui/widgets/MetricsCharts.h"
#include "ui/models/MetricsTableModel.h"
#include "ui/widgets/PurityPanel.h"
#include "ui/models/PurityTableModel.h"
#include "core/metrics/Tables.h"

using namespace centroid;
using namespace centroid::ui;
using PTM = PurityTableModel;

namespace {

// 12 points, K = 4 with cluster 2 empty, 3 classes:
//   cluster 0: labels 0 0 0 1 2 -> size 5, majority "zero", 3, purity 0.6
//   cluster 1: labels 1 1 1 1   -> size 4, majority "one",  4, purity 1.0
//   cluster 3: labels 2 2 0     -> size 3, majority "two",  2, purity 2/3
// purity = 9/12 = 0.75; seed purity = (0.6 + 1 + 2/3) / 3.
EpochFrame handFrame(int epoch, std::vector<std::uint8_t>* labels) {
  EpochFrame f;
  f.epoch = epoch;
  f.clusters = 4;
  f.dim = 3;
  f.assignments = {0, 0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3};
  f.embedding.assign(12 * 3, 0.f);
  *labels = {0, 0, 0, 1, 2, 1, 1, 1, 1, 2, 2, 0};
  return f;
}

const std::vector<std::string> kNames = {"zero", "one", "two"};

std::vector<BaselineRow> baselines() {
  return {{"k-means on pixels", {0.64, 0.59, 0.49, 0.36, 0.51, 10}},
          {"PCA(3) + k-means", {0.45, 0.42, 0.35, 0.22, 0.39, 10}}};
}

QString cell(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole) {
  return m.data(m.index(row, column), role).toString();
}

std::vector<EpochSummary> realisticEpochs(int n) {
  // Shaped after anchors.md (batch 256, 15 epochs): metrics drift down to about
  // seed purity 0.31, purity 0.29, NMI 0.19, ARI 0.13, ACC 0.28 while the loss keeps falling.
  std::vector<EpochSummary> epochs;
  std::mt19937 rng(0);
  std::normal_distribution<double> noise(0, 0.006);
  for (int e = 1; e <= n; ++e) {
    const double t = std::exp(-(e - 1) / 4.0);
    EpochSummary s;
    s.epoch = e;
    s.loss = 0.21 + 1.9 * std::exp(-(e - 1) / 2.5) + noise(rng);
    s.seconds = 9.0;
    s.metrics = {0.31 + 0.12 * t + noise(rng), 0.29 + 0.10 * t + noise(rng), 0.19 + 0.12 * t + noise(rng),
                 0.13 + 0.07 * t + noise(rng), 0.28 + 0.09 * t + noise(rng), 10};
    epochs.push_back(s);
  }
  return epochs;
}

int countNamed(const QChart* chart, const QString& name) {
  const QList<QAbstractSeries*> all = chart->series();
  return std::count_if(all.begin(), all.end(), [&](auto* s) { return s->objectName() == name; });
}

// A full-size frame as anchors.md describes: 20,000 view points, 10 clusters with majority
// shares of about 0.2–0.4, cluster 6 empty.
EpochFrame realisticFrame(std::vector<std::uint8_t>* labels) {
  EpochFrame frame;
  frame.epoch = 11;
  frame.clusters = 10;
  frame.dim = 3;
  std::mt19937 rng(1);
  const int sizes[10] = {3150, 2410, 1980, 2760, 1220, 3390, 0, 1830, 2140, 1120};
  for (int k = 0; k < 10; ++k) {
    std::discrete_distribution<int> label({1, 1, 1, 1, 1, 1, 1, 1, 1, 2.0 + 1.2 * (k % 4)});
    for (int i = 0; i < sizes[k]; ++i) {
      frame.assignments.push_back(k);
      labels->push_back(static_cast<std::uint8_t>((label(rng) + k * 3) % 10));
    }
  }
  frame.embedding.assign(frame.assignments.size() * 3, 0.f);
  return frame;
}

// The collapse anchors.md describes (batch 256, near epoch 85): the loss falls toward 0.03,
// NMI toward 0.03, two clusters stay non-empty.
std::vector<EpochSummary> collapsingRun() {
  std::vector<EpochSummary> run = realisticEpochs(120);
  for (EpochSummary& e : run) {
    if (e.epoch >= 85) {
      const double f = std::exp(-(e.epoch - 85) / 3.0);
      e.loss = 0.03 + (e.loss - 0.03) * f;
      e.metrics = {0.2 + 0.1 * f,   0.12 + 0.17 * f, 0.03 + 0.16 * f,
                   0.01 + 0.12 * f, 0.2 + 0.08 * f,  e.epoch > 88 ? 2 : 10};
    }
  }
  return run;
}

}  // namespace

// Panel tests share a fresh panel with a QAbstractItemModelTester on each of its models.
class TestPanels : public QObject {
  Q_OBJECT

  std::unique_ptr<PurityPanel> panel_;
  std::vector<std::unique_ptr<QAbstractItemModelTester>> testers_;

  // Shows handFrame(epoch) with class names `names`.
  void showHandFrame(int epoch = 7, const std::vector<std::string>& names = kNames) {
    std::vector<std::uint8_t> labels;
    panel_->setClassNames(names);
    panel_->setFrame(handFrame(epoch, &labels), labels);
  }

 private slots:
  void initTestCase() {
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));  // "0.600", "3,150"
  }
  void init() {
    panel_ = std::make_unique<PurityPanel>();
    for (QAbstractItemModel* m : {static_cast<QAbstractItemModel*>(panel_->purityModel()),
                                  static_cast<QAbstractItemModel*>(panel_->metricsModel())}) {
      testers_.push_back(std::make_unique<QAbstractItemModelTester>(
          m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
  }
  void cleanup() {
    testers_.clear();
    panel_.reset();
  }

  void purityTableFromHandBuiltFrame() {
    showHandFrame();
    const PTM& m = *panel_->purityModel();
    QCOMPARE(m.rowCount(), 4 + PTM::kTotalsRows);
    QCOMPARE(m.columnCount(), int(PTM::ColumnCount));
    const QStringList expected[] = {
        {"0", "zero", "5", "3", "0.600"},       {"1", "one", "4", "4", "1.000"},
        {"2", "(empty)", "0", "0", "–"},        {"3", "two", "3", "2", "0.667"},
        {"all points", "", "12", "9", "0.750"}, {"mean of 3 non-empty", "", "4.0", "–", "0.756"}};
    for (int r = 0; r < m.clusterCount(); ++r) {
      for (int c = 0; c < PTM::ColumnCount; ++c) {
        QCOMPARE(cell(m, r, c), expected[r][c]);
      }
    }
    const double seedPurity = (0.6 + 1 + 2.0 / 3) / 3;
    QCOMPARE(m.data(m.index(5, PTM::PurityColumn), PTM::SortRole).toDouble(), seedPurity);
    QVERIFY(m.data(m.index(0, PTM::PurityColumn), Qt::TextAlignmentRole).toInt() & Qt::AlignRight);
    QVERIFY(m.isTotalsRow(4) && !m.isTotalsRow(3));
    panel_->clear();
    QCOMPARE(m.rowCount(), 0);
  }

  void puritySortKeepsTotalsAndSelection() {
    showHandFrame(1);
    PTM& m = *panel_->purityModel();
    const QPersistentModelIndex three = m.index(3, PTM::SizeColumn);  // cluster 3
    panel_->purityView()->sortByColumn(PTM::PurityColumn, Qt::DescendingOrder);
    QCOMPARE((QList<int>{m.clusterAt(0), m.clusterAt(1), m.clusterAt(2), m.clusterAt(3)}),
             (QList<int>{1, 3, 0, 2}));  // the empty cluster sorts as the least pure
    QCOMPARE(cell(m, 4, PTM::ClusterColumn), QStringLiteral("all points"));
    QCOMPARE(three.row(), 1);

    // Next epoch, same K: cluster 3 becomes pure and larger; the order and the index follow.
    std::vector<std::uint8_t> labels;
    EpochFrame next = handFrame(2, &labels);
    next.assignments = {0, 0, 0, 0, 0, 1, 1, 1, 3, 3, 3, 3};
    labels = {0, 0, 0, 1, 2, 1, 1, 1, 2, 2, 2, 2};
    panel_->setFrame(next, labels);
    QCOMPARE(m.clusterAt(three.row()), 3);
    QCOMPARE(cell(m, three.row(), PTM::SizeColumn), QStringLiteral("4"));

    panel_->purityView()->sortByColumn(PTM::SizeColumn, Qt::AscendingOrder);
    QCOMPARE(m.clusterAt(0), 2);
    QCOMPARE(m.clusterAt(3), 0);
    QCOMPARE(m.clusterAt(three.row()), 3);
  }

  void metricsTableRows() {
    const MetricsTableModel& m = *panel_->metricsModel();
    using MTM = MetricsTableModel;
    panel_->setBaselines(baselines());
    QCOMPARE(m.rowCount(), 2);
    showHandFrame(7);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(cell(m, 0, MTM::MethodColumn), QStringLiteral("k-means loss (epoch 7)"));
    QCOMPARE(cell(m, 0, MTM::PurityColumn), QStringLiteral("0.750"));
    QCOMPARE(cell(m, 0, MTM::SeedPurityColumn), QStringLiteral("0.756"));
    QCOMPARE(cell(m, 0, MTM::NonEmptyColumn), QStringLiteral("3"));
    QCOMPARE(cell(m, 1, MTM::MethodColumn), QStringLiteral("k-means on pixels"));
    QCOMPARE(cell(m, 2, MTM::NmiColumn), QStringLiteral("0.350"));
    QCOMPARE(cell(m, 2, MTM::AccColumn), QStringLiteral("0.390"));

    // Replay updates the row in place.
    QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
    showHandFrame(8);
    QCOMPARE(m.rowCount(), 3);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(cell(m, 0, MTM::MethodColumn), QStringLiteral("k-means loss (epoch 8)"));
    panel_->clear();
    QCOMPARE(m.rowCount(), 0);
  }

  void mismatchedLabelsAreShownNotThrown() {
    showHandFrame();
    std::vector<std::uint8_t> labels;
    const EpochFrame f = handFrame(3, &labels);
    labels.pop_back();
    panel_->setFrame(f, labels);
    QCOMPARE(panel_->purityModel()->rowCount(), 0);
    QVERIFY(!panel_->metricsModel()->hasCurrent());
    QVERIFY(panel_->findChild<QLabel*>()->text().contains(QStringLiteral("cannot compare")));
  }

  void modelsShowWhatTheExportsWrite() {
    // One table writer (core/metrics/Tables): the panel's tables must hold the numbers the
    // cluster and metrics exports write for the same epoch, row for row.
    showHandFrame();
    std::vector<std::uint8_t> labels;
    const EpochFrame f = handFrame(7, &labels);
    const Contingency t = contingency(f.assignments, labels, f.clusters, static_cast<int>(kNames.size()));
    const Table exported = clusterTable(t, kNames);
    const PTM& m = *panel_->purityModel();
    QCOMPARE(m.clusterCount(), static_cast<int>(exported.rows.size()) - 1);  // the export adds "all"
    auto column = [&](const char* key) {
      for (std::size_t c = 0; c < exported.columns.size(); ++c)
        if (exported.columns[c].key == key) return c;
      return std::size_t(-1);
    };
    const std::size_t size = column("size"), majority = column("majority"), count = column("majority_count"),
                      purity = column("purity");
    for (int r = 0; r < m.clusterCount(); ++r) {
      const int cluster = m.data(m.index(r, PTM::ClusterColumn), PTM::SortRole).toInt();
      const auto& row = exported.rows[static_cast<std::size_t>(cluster)];
      QCOMPARE(m.data(m.index(r, PTM::SizeColumn), PTM::SortRole).toDouble(), std::stod(row[size].exact));
      if (row[purity].exact.empty()) {  // an empty cluster: no majority, no purity
        QVERIFY(!m.data(m.index(r, PTM::PurityColumn), PTM::SortRole).isValid());
      } else {
        QCOMPARE(m.data(m.index(r, PTM::MajorityColumn)).toString(),
                 QString::fromStdString(row[majority].exact));
        QCOMPARE(m.data(m.index(r, PTM::MajorityCountColumn), PTM::SortRole).toDouble(),
                 std::stod(row[count].exact));
        QCOMPARE(m.data(m.index(r, PTM::PurityColumn), PTM::SortRole).toDouble(),
                 std::stod(row[purity].exact));
      }
    }
    // The "all points" row: the standard purity, as the export's "all" row.
    QCOMPARE(m.data(m.index(m.clusterCount(), PTM::PurityColumn), PTM::SortRole).toDouble(),
             std::stod(exported.rows.back()[purity].exact));
    // The metrics table's row of the shown epoch: the same standard purity, as displayed.
    const auto* mm = panel_->metricsModel();
    QCOMPARE(mm->data(mm->index(0, MetricsTableModel::PurityColumn)).toString(),
             QString::fromStdString(exported.rows.back()[purity].display));
  }

  void chartsAppendSetEpochsAndMarker() {
    MetricsCharts charts;
    const auto epochs = realisticEpochs(15);
    for (int i = 0; i < 12; ++i) {
      charts.appendEpoch(epochs[i]);
      QCOMPARE(charts.lossSeries()->count(), i + 1);
      for (int k = 0; k < MetricsCharts::MetricCount; ++k) {
        QCOMPARE(charts.metricSeries(MetricsCharts::MetricSeries(k))->count(), i + 1);
      }
    }
    QCOMPARE(charts.lossSeries()->at(11), QPointF(12, epochs[11].loss));
    QCOMPARE(charts.metricSeries(MetricsCharts::Nmi)->at(4).y(), epochs[4].metrics.nmi);

    QCOMPARE(charts.lossMarker()->count(), 0);
    charts.setCurrentEpoch(5);
    for (QLineSeries* marker : {charts.lossMarker(), charts.metricsMarker()}) {
      QCOMPARE(marker->count(), 2);
      QCOMPARE(marker->at(0).x(), 5.0);
      QCOMPARE(marker->at(1).x(), 5.0);
      QVERIFY(marker->at(1).y() > marker->at(0).y());
    }
    QVERIFY(charts.lossMarker()->at(1).y() >= epochs[0].loss);  // spans the whole loss axis
    charts.setCurrentEpoch(9);
    QCOMPARE(charts.metricsMarker()->at(0).x(), 9.0);
    charts.setCurrentEpoch(0);
    QCOMPARE(charts.metricsMarker()->count(), 0);

    // Re-appending epoch 10 drops 10..12 (a restarted run) and keeps the charts consistent.
    charts.appendEpoch(epochs[9]);
    QCOMPARE(charts.lossSeries()->count(), 10);
    QCOMPARE(charts.epochCount(), 10);

    // A NaN loss leaves a gap instead of a broken line.
    EpochSummary bad = epochs[10];
    bad.loss = std::nan("");
    charts.appendEpoch(bad);
    QCOMPARE(charts.lossSeries()->count(), 10);
    QCOMPARE(charts.metricSeries(MetricsCharts::Acc)->count(), 11);

    // setEpochs replaces everything but the marker, which belongs to replay.
    charts.setCurrentEpoch(15);
    charts.setEpochs(realisticEpochs(4));
    QCOMPARE(charts.lossSeries()->count(), 4);
    QCOMPARE(charts.metricSeries(MetricsCharts::SeedPurity)->count(), 4);
    QCOMPARE(charts.currentEpoch(), 15);
    charts.clear();
    QCOMPARE(charts.lossSeries()->count(), 0);
    QCOMPARE(charts.lossMarker()->count(), 0);
  }

  void chartsAppendIsIncremental() {
    MetricsCharts charts;
    const auto epochs = realisticEpochs(15);
    for (int i = 0; i < 11; ++i) {
      charts.appendEpoch(epochs[i]);
    }
    charts.setCurrentEpoch(4);
    // Epoch 12 lies inside every axis: one point per series, no axis or marker touched.
    QList<QSignalSpy*> spies;
    for (QChart* chart : {charts.lossChart(), charts.metricsChart()}) {
      for (QAbstractAxis* axis : chart->axes()) {
        spies << new QSignalSpy(qobject_cast<QValueAxis*>(axis), &QValueAxis::rangeChanged);
      }
    }
    QSignalSpy markerMoved(charts.lossMarker(), &QXYSeries::pointsReplaced);
    QSignalSpy lossAdded(charts.lossSeries(), &QXYSeries::pointAdded);
    QSignalSpy lossReplaced(charts.lossSeries(), &QXYSeries::pointsReplaced);
    charts.appendEpoch(epochs[11]);
    QCOMPARE(lossAdded.count(), 1);
    QCOMPARE(lossReplaced.count(), 0);
    QCOMPARE(markerMoved.count(), 0);
    for (QSignalSpy* spy : spies) {
      QCOMPARE(spy->count(), 0);
    }
    // Live, the epoch axes grow ahead of the data: once from 14 to 20 over epochs 13..17.
    for (int i = 12; i < 15; ++i) {
      charts.appendEpoch(epochs[i]);
    }
    EpochSummary late = epochs.back();
    late.epoch = 17;
    charts.appendEpoch(late);
    auto* x = qobject_cast<QValueAxis*>(charts.lossChart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->max(), 20.0);
    QCOMPARE(spies.first()->count(), 1);
    // A loaded run fits tightly.
    charts.setEpochs(epochs);
    QCOMPARE(x->max(), 16.0);
    qDeleteAll(spies);
  }

  void chartsLogScaleAndBaselines() {
    MetricsCharts charts;
    charts.setEpochs(collapsingRun());
    charts.setLogScale(true);  // losses near 0.03 are fine on a log axis: whole decades around them
    QVERIFY(charts.logScale());
    auto* logY = qobject_cast<QLogValueAxis*>(charts.lossChart()->axes(Qt::Vertical).first());
    QVERIFY(logY);
    QVERIFY(logY->min() <= 0.0101 && logY->min() > 0.0099 && logY->max() >= 9.99);
    charts.setCurrentEpoch(3);
    QCOMPARE(charts.lossMarker()->at(0).y(), logY->min());  // the marker follows the log axis

    charts.setBaselines(baselines());
    QCOMPARE(countNamed(charts.metricsChart(), "baseline"), 4);  // NMI and ACC per baseline
    charts.setBaselines({baselines()[0]});
    QCOMPARE(countNamed(charts.metricsChart(), "baseline"), 2);

    EpochSummary zero = collapsingRun().back();  // a zero loss turns the log axis off, calmly
    zero.epoch = 121;
    zero.loss = 0;
    charts.appendEpoch(zero);
    QVERIFY(!charts.logScale());
    charts.setLogScale(true);
    QVERIFY(!charts.logScale());
    QCOMPARE(charts.lossSeries()->count(), 121);
  }

  // Renders what users see; CENTROID_SNAPSHOT_DIR=<dir> keeps the PNGs for a look.
  void snapshots() {
    MetricsCharts charts;
    charts.setEpochs(realisticEpochs(15));
    charts.setBaselines(baselines());
    charts.setCurrentEpoch(11);
    charts.resize(1260, 340);  // a bottom dock on a 1280x800 screen

    std::vector<std::uint8_t> labels;
    panel_->setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    panel_->setBaselines(baselines());
    panel_->setFrame(realisticFrame(&labels), labels);
    panel_->resize(520, 600);  // a side dock
    QCOMPARE(panel_->purityModel()->rowCount(), 10 + PTM::kTotalsRows);

    MetricsCharts collapse;  // log scale, stacked as in a narrow side dock
    collapse.setEpochs(collapsingRun());
    collapse.setLogScale(true);
    collapse.setBaselines({baselines()[0]});
    collapse.setCurrentEpoch(87);
    collapse.setOrientation(Qt::Vertical);
    collapse.resize(520, 640);
    QVERIFY(collapse.logScale());

    const QString dir = qEnvironmentVariable("CENTROID_SNAPSHOT_DIR");
    const std::pair<QWidget*, const char*> shots[] = {
        {&charts, "charts.png"}, {panel_.get(), "purity.png"}, {&collapse, "charts-collapse.png"}};
    for (const auto& [widget, name] : shots) {
      const QPixmap image = widget->grab();
      QVERIFY(!image.isNull());
      QVERIFY(dir.isEmpty() || image.save(dir + QLatin1Char('/') + QLatin1String(name)));
    }
  }
};

QTEST_MAIN(TestPanels)
#include "test_panels.moc"
