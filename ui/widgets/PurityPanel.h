// Purity panel: the per-cluster purity table and the metrics-versus-baselines table of one epoch.
#pragma once

#include <QWidget>
#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

class QLabel;
class QTableView;

namespace centroid::ui {

class MetricsTableModel;
class PurityTableModel;

class PurityPanel : public QWidget {
  Q_OBJECT

 public:
  explicit PurityPanel(QWidget* parent = nullptr);

  void setClassNames(const std::vector<std::string>& names);
  // Recomputes both tables from the frame's assignments against `labels` (the view set's).
  // Mismatched sizes or out-of-range values clear the tables and show why instead of throwing:
  // a replayed run file is user data.
  void setFrame(const EpochFrame& frame, const std::vector<std::uint8_t>& labels);
  void setBaselines(const std::vector<BaselineRow>& baselines);
  void clear();  // tables and baselines

  // For "export purity tables" (toCsv / toMarkdown) and tests.
  PurityTableModel* purityModel() const { return purityModel_; }
  MetricsTableModel* metricsModel() const { return metricsModel_; }
  QTableView* purityView() const { return purityView_; }
  QTableView* metricsView() const { return metricsView_; }

 private:
  void fitTables();

  std::vector<std::string> classNames_;
  PurityTableModel* purityModel_;
  MetricsTableModel* metricsModel_;
  QLabel* summary_;
  QTableView* purityView_;
  QTableView* metricsView_;
};

}  // namespace centroid::ui
