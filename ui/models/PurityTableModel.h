// Per-cluster purity table (size, majority label, majority share) with totals rows pinned below.
#pragma once

#include <QAbstractTableModel>
#include <functional>
#include <string>
#include <vector>

#include "core/metrics/Metrics.h"

namespace centroid::ui {

// Rows 0..K-1 are clusters (in the current sort order); the last two rows are the totals
// section (their label fills the cluster and majority columns, where views may span it) and stay at the
// bottom whatever the sort, which is why sorting lives in the model rather than in a QSortFilterProxyModel.
class PurityTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  // Reads as a sentence: cluster 3 is mostly "8": 1,041 of its 2,760 points, purity 0.377.
  enum Column { ClusterColumn, MajorityColumn, SizeColumn, MajorityCountColumn, PurityColumn, ColumnCount };
  // Raw value of a cell (int/double, -1 or invalid where not applicable); what sort() compares.
  static constexpr int SortRole = Qt::UserRole + 1;
  static constexpr int kTotalsRows = 2;  // "all points" and "mean of non-empty clusters"

  explicit PurityTableModel(QObject* parent = nullptr);

  // Display names per label value; labels without a name show as their number.
  void setClassNames(const std::vector<std::string>& names);
  // Replaces the table. With the same number of clusters as before, rows keep their identity
  // (selection follows the cluster id across replayed epochs) instead of a model reset.
  void setContingency(const Contingency& table);
  void clear();

  int clusterCount() const { return static_cast<int>(rows_.size()); }
  bool isTotalsRow(int row) const { return row >= clusterCount() && row < rowCount(); }
  // Cluster id shown at a row, -1 for totals rows.
  int clusterAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  struct Row {
    ClusterRow cluster;
    std::int64_t majorityCount = 0;
  };
  struct Totals {
    std::int64_t points = 0;
    std::int64_t majoritySum = 0;
    int nonEmpty = 0;
    double purity = 0;      // standard purity
    double seedPurity = 0;  // mean majority share over non-empty clusters
  };

  QVariant rawValue(int row, int column) const;
  QString displayText(int row, int column) const;
  QString className(int label) const;
  void applySort();  // reorders rows_ by sortColumn_/sortOrder_, no signals
  // Runs `change` between layout signals, moving persistent indexes with their cluster id.
  void relayout(const std::function<void()>& change);

  std::vector<QString> classNames_;
  std::vector<Row> rows_;
  Totals totals_;
  int sortColumn_ = ClusterColumn;
  Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

}  // namespace centroid::ui
