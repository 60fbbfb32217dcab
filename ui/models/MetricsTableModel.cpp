// The learned embedding's metrics against the baselines, one row per method.
#include "ui/models/MetricsTableModel.h"

#include <QFont>
#include <QLocale>
#include <cmath>

namespace centroid::ui {

MetricsTableModel::MetricsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetricsTableModel::setCurrent(int epoch, const Metrics& metrics) {
  if (current_) {
    current_ = Current{epoch, metrics};
    emit dataChanged(index(0, 0), index(0, ColumnCount - 1));
    return;
  }
  beginInsertRows({}, 0, 0);
  current_ = Current{epoch, metrics};
  endInsertRows();
}

void MetricsTableModel::setMethod(const QString& method) {
  method_ = method;
  if (current_) emit dataChanged(index(0, MethodColumn), index(0, MethodColumn));
}

void MetricsTableModel::clearCurrent() {
  if (!current_) {
    return;
  }
  beginRemoveRows({}, 0, 0);
  current_.reset();
  endRemoveRows();
}

void MetricsTableModel::setBaselines(const std::vector<BaselineRow>& baselines) {
  beginResetModel();
  baselines_ = baselines;
  endResetModel();
}

void MetricsTableModel::clear() {
  beginResetModel();
  current_.reset();
  baselines_.clear();
  endResetModel();
}

double MetricsTableModel::value(const Metrics& m, int column) {
  switch (column) {
    case SeedPurityColumn: return m.seedPurity;
    case PurityColumn: return m.purity;
    case NmiColumn: return m.nmi;
    case AriColumn: return m.ari;
    case AccColumn: return m.accuracy;
    case NonEmptyColumn: return m.nonEmptyClusters;
  }
  return std::nan("");
}

int MetricsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(baselines_.size()) + (current_ ? 1 : 0);
}

int MetricsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

const Metrics& MetricsTableModel::metricsAt(int row) const {
  return current_ ? (row == 0 ? current_->metrics : baselines_[row - 1].metrics) : baselines_[row].metrics;
}

QString MetricsTableModel::methodAt(int row) const {
  if (current_ && row == 0) {
    return tr("%1 (epoch %2)").arg(method_).arg(current_->epoch);
  }
  return QString::fromStdString(baselines_[current_ ? row - 1 : row].name);
}

QVariant MetricsTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const int row = index.row();
  const int column = index.column();
  const bool isCurrent = current_ && row == 0;
  switch (role) {
    case Qt::DisplayRole:
      if (column == MethodColumn) {
        return methodAt(row);
      }
      if (column == NonEmptyColumn) {
        return QString::number(metricsAt(row).nonEmptyClusters);
      }
      return std::isfinite(value(metricsAt(row), column))
                 ? QLocale().toString(value(metricsAt(row), column), 'f', 3)
                 : QStringLiteral("–");
    case Qt::TextAlignmentRole:
      return int(column == MethodColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                        : Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
      if (isCurrent) {
        QFont f;
        f.setBold(true);  // the run being watched stands out from the reference rows
        return f;
      }
      return {};
    case Qt::ToolTipRole:
      if (column == MethodColumn) {
        // The full name too: a narrow dock elides it.
        return methodAt(row) + QLatin1Char('\n') +
               (isCurrent ? tr("The learned embedding's k-means assignment at this epoch")
                          : tr("Baseline computed on the same view set"));
      }
      return {};
  }
  return {};
}

QVariant MetricsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (role) {
    case Qt::DisplayRole: {
      // Two-line headers keep the table within a side dock; exports join the lines.
      static const char* const names[] = {QT_TR_NOOP("Method"),
                                          QT_TR_NOOP("Seed\npurity"),
                                          QT_TR_NOOP("Purity"),
                                          QT_TR_NOOP("NMI"),
                                          QT_TR_NOOP("ARI"),
                                          QT_TR_NOOP("ACC"),
                                          QT_TR_NOOP("Non-empty\nclusters")};
      return tr(names[section]);
    }
    case Qt::TextAlignmentRole:
      return int(section == MethodColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                         : Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
      static const char* const tips[] = {
          nullptr,
          QT_TR_NOOP("The post's purity: mean over non-empty clusters of the majority share"),
          QT_TR_NOOP("Standard purity: sum of the clusters' majority counts / all points"),
          QT_TR_NOOP("Normalised mutual information (arithmetic mean normalisation)"),
          QT_TR_NOOP("Adjusted Rand index (0 = chance, can be negative)"),
          QT_TR_NOOP("Accuracy under the best one-to-one cluster-to-label map (Hungarian)"),
          QT_TR_NOOP("Clusters holding at least one point")};
      return tips[section] ? tr(tips[section]) : QVariant();
    }
  }
  return {};
}

}  // namespace centroid::ui
