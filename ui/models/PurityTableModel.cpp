// Per-cluster purity rows from a contingency table, sortable with the totals pinned below.
#include "ui/models/PurityTableModel.h"

#include <QBrush>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace centroid::ui {
namespace {

constexpr int kRightAligned = Qt::AlignRight | Qt::AlignVCenter;
constexpr int kLeftAligned = Qt::AlignLeft | Qt::AlignVCenter;
const QString kNotApplicable = QStringLiteral("–");

QString fixed3(double v) {
  // The user's locale, like the sizes ("0,377" next to "2.760" in German); exports stay C.
  return std::isfinite(v) ? QLocale().toString(v, 'f', 3) : kNotApplicable;
}

}  // namespace

PurityTableModel::PurityTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PurityTableModel::setClassNames(const std::vector<std::string>& names) {
  classNames_.clear();
  for (const auto& n : names) {
    classNames_.push_back(QString::fromStdString(n));
  }
  if (rowCount() > 0) {
    emit dataChanged(index(0, MajorityColumn), index(rowCount() - 1, MajorityColumn));
  }
}

QString PurityTableModel::className(int label) const {
  if (label >= 0 && label < static_cast<int>(classNames_.size()) && !classNames_[label].isEmpty()) {
    return classNames_[label];
  }
  return QString::number(label);
}

int PurityTableModel::clusterAt(int row) const {
  return row >= 0 && row < clusterCount() ? rows_[row].cluster.cluster : -1;
}

void PurityTableModel::setContingency(const Contingency& table) {
  std::vector<Row> rows;
  Totals totals;
  for (const ClusterRow& c : clusterRows(table)) {
    Row r{c, c.majorityLabel >= 0 ? table.at(c.cluster, c.majorityLabel) : 0};
    totals.points += c.size;
    totals.majoritySum += r.majorityCount;
    totals.nonEmpty += c.size > 0 ? 1 : 0;
    rows.push_back(r);
  }
  totals.purity = totals.points > 0 ? purity(table) : std::nan("");
  totals.seedPurity = totals.nonEmpty > 0 ? seedPurity(table) : std::nan("");

  if (rows.size() != rows_.size() || rows_.empty()) {
    beginResetModel();
    rows_ = std::move(rows);
    totals_ = totals;
    applySort();
    endResetModel();
    return;
  }

  // Same K: keep persistent indexes (selection, current cell) on the same cluster id while the
  // sort order may move it, which a reset would throw away on every replayed epoch.
  relayout([&] {
    rows_ = std::move(rows);
    totals_ = totals;
    applySort();
  });
  emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PurityTableModel::relayout(const std::function<void()>& change) {
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<int> ids;  // cluster id, or -1 for a totals row (those never move)
  ids.reserve(before.size());
  for (const QModelIndex& i : before) {
    ids.push_back(clusterAt(i.row()));
  }
  change();
  std::map<int, int> rowOfId;
  for (int r = 0; r < clusterCount(); ++r) {
    rowOfId[clusterAt(r)] = r;
  }
  QModelIndexList after;
  for (size_t n = 0; n < ids.size(); ++n) {
    const auto found = rowOfId.find(ids[n]);
    const int row = ids[n] < 0 ? before[n].row() : found != rowOfId.end() ? found->second : -1;
    after << (row >= 0 ? index(row, before[n].column()) : QModelIndex());
  }
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void PurityTableModel::clear() {
  beginResetModel();
  rows_.clear();
  totals_ = {};
  endResetModel();
}

int PurityTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || rows_.empty()) {
    return 0;
  }
  return clusterCount() + kTotalsRows;
}

int PurityTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant PurityTableModel::rawValue(int row, int column) const {
  if (!isTotalsRow(row)) {
    const Row& r = rows_[row];
    const bool empty = r.cluster.size == 0;
    switch (column) {
      case ClusterColumn: return r.cluster.cluster;
      case SizeColumn: return r.cluster.size;
      case MajorityColumn: return r.cluster.majorityLabel;
      case MajorityCountColumn: return static_cast<qlonglong>(r.majorityCount);
      case PurityColumn: return empty ? QVariant() : QVariant(r.cluster.purity);
    }
    return {};
  }
  const bool allRow = row == clusterCount();
  switch (column) {
    case SizeColumn:
      if (allRow) {
        return static_cast<qlonglong>(totals_.points);
      }
      return totals_.nonEmpty > 0 ? QVariant(double(totals_.points) / totals_.nonEmpty) : QVariant();
    case MajorityCountColumn:
      return allRow ? QVariant(static_cast<qlonglong>(totals_.majoritySum)) : QVariant();
    case PurityColumn: {
      const double v = allRow ? totals_.purity : totals_.seedPurity;
      return std::isfinite(v) ? QVariant(v) : QVariant();
    }
  }
  return {};
}

QString PurityTableModel::displayText(int row, int column) const {
  if (isTotalsRow(row)) {
    const bool allRow = row == clusterCount();
    if (column == ClusterColumn) {
      return allRow ? tr("all points") : tr("mean of %1 non-empty").arg(totals_.nonEmpty);
    }
    const QVariant v = rawValue(row, column);
    if (!v.isValid()) {
      return column == MajorityColumn ? QString() : kNotApplicable;
    }
    if (column == SizeColumn && !allRow) {
      return QLocale().toString(v.toDouble(), 'f', 1);
    }
    return column == PurityColumn ? fixed3(v.toDouble()) : QLocale().toString(v.toLongLong());
  }
  const Row& r = rows_[row];
  switch (column) {
    case ClusterColumn: return QString::number(r.cluster.cluster);
    case SizeColumn: return QLocale().toString(r.cluster.size);
    case MajorityColumn: return r.cluster.size == 0 ? tr("(empty)") : className(r.cluster.majorityLabel);
    case MajorityCountColumn: return QLocale().toString(static_cast<qlonglong>(r.majorityCount));
    case PurityColumn: return r.cluster.size == 0 ? kNotApplicable : fixed3(r.cluster.purity);
  }
  return {};
}

QVariant PurityTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const int row = index.row();
  const int column = index.column();
  const bool totals = isTotalsRow(row);
  switch (role) {
    case Qt::DisplayRole: return displayText(row, column);
    case SortRole: return rawValue(row, column);
    case Qt::TextAlignmentRole:
      return column == MajorityColumn || (totals && column == ClusterColumn) ? kLeftAligned : kRightAligned;
    case Qt::FontRole:
      if (totals || rows_[row].cluster.size == 0) {
        QFont f;
        f.setBold(totals);  // the totals section reads as a footer
        f.setItalic(!totals);
        return f;
      }
      return {};
    case Qt::ForegroundRole:
      if (!totals && rows_[row].cluster.size == 0) {
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
      }
      return {};
    case Qt::ToolTipRole:
      if (totals) {
        return row == clusterCount()
                   ? tr("Standard purity: sum of every cluster's majority count / all points")
                   : tr("Seed purity (the post's): mean majority share over non-empty clusters");
      }
      if (rows_[row].cluster.size == 0) {
        return tr("Cluster %1 has no points at this epoch").arg(rows_[row].cluster.cluster);
      }
      return tr("Cluster %1: %2 of %3 points are \"%4\"")
          .arg(rows_[row].cluster.cluster)
          .arg(QLocale().toString(static_cast<qlonglong>(rows_[row].majorityCount)),
               QLocale().toString(rows_[row].cluster.size), className(rows_[row].cluster.majorityLabel));
  }
  return {};
}

QVariant PurityTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  if (role == Qt::DisplayRole) {
    static const char* const names[] = {QT_TR_NOOP("Cluster"), QT_TR_NOOP("Majority"), QT_TR_NOOP("Size"),
                                        QT_TR_NOOP("In majority"), QT_TR_NOOP("Purity")};
    return tr(names[section]);
  }
  if (role == Qt::TextAlignmentRole) {
    return section == MajorityColumn ? kLeftAligned : kRightAligned;
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case SizeColumn: return tr("Points of the view set assigned to the cluster");
      case MajorityColumn: return tr("The most frequent true label in the cluster");
      case MajorityCountColumn: return tr("Points carrying the majority label");
      case PurityColumn: return tr("Majority share: majority count / size");
    }
  }
  return {};
}

void PurityTableModel::applySort() {
  const int column = sortColumn_;
  const bool descending = sortOrder_ == Qt::DescendingOrder;
  auto key = [column](const Row& r) -> double {
    switch (column) {
      case SizeColumn: return r.cluster.size;
      case MajorityColumn: return r.cluster.majorityLabel;
      case MajorityCountColumn: return static_cast<double>(r.majorityCount);
      // Empty clusters have no purity; -1 keeps them together at one end.
      case PurityColumn: return r.cluster.size == 0 ? -1.0 : r.cluster.purity;
      default: return r.cluster.cluster;
    }
  };
  // Ties fall back to the cluster id so that equal rows don't swap between replayed epochs.
  std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
    const double ka = key(a);
    const double kb = key(b);
    if (ka != kb) {
      return descending ? ka > kb : ka < kb;
    }
    return a.cluster.cluster < b.cluster.cluster;
  });
}

void PurityTableModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) {
    return;
  }
  sortColumn_ = column;
  sortOrder_ = order;
  if (rows_.empty()) {
    return;
  }
  relayout([this] { applySort(); });
}

}  // namespace centroid::ui
