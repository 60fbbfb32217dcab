// Clustering metrics of the shown epoch next to the baselines (k-means on pixels, PCA(3)+k-means).
#pragma once

#include <QAbstractTableModel>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::ui {

// Row 0 is "k-means loss (epoch N)" once an epoch is set; baseline rows follow in the order given.
class MetricsTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    MethodColumn,
    SeedPurityColumn,
    PurityColumn,
    NmiColumn,
    AriColumn,
    AccColumn,
    NonEmptyColumn,
    ColumnCount
  };

  explicit MetricsTableModel(QObject* parent = nullptr);

  // Sets or updates the learned-embedding row; updating keeps the row (dataChanged, no reset),
  // since replay calls this for every frame.
  void setCurrent(int epoch, const Metrics& metrics);
  // The trained row's method: "k-means loss" (the default), "friendly objective".
  void setMethod(const QString& method);
  void clearCurrent();
  void setBaselines(const std::vector<BaselineRow>& baselines);
  void clear();  // both the current row and the baselines

  bool hasCurrent() const { return current_.has_value(); }
  // Metric value of a column (SeedPurityColumn..NonEmptyColumn).
  static double value(const Metrics& m, int column);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Current {
    int epoch = 0;
    Metrics metrics;
  };
  const Metrics& metricsAt(int row) const;
  QString methodAt(int row) const;

  std::optional<Current> current_;
  std::vector<BaselineRow> baselines_;
  QString method_ = QStringLiteral("k-means loss");
};

}  // namespace centroid::ui
