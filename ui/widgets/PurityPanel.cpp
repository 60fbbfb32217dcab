// Two tables under a one-line summary; all numbers come from core/Metrics.h.
#include "ui/widgets/PurityPanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <stdexcept>

#include "core/metrics/Metrics.h"
#include "ui/models/MetricsTableModel.h"
#include "ui/models/PurityTableModel.h"

namespace centroid::ui {
namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setAlternatingRowColors(true);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setWordWrap(false);
  view->verticalHeader()->hide();
  // Compact rows: ten clusters plus totals should fit without scrolling in a side panel.
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view->horizontalHeader()->setHighlightSections(false);
  return view;
}

QLabel* caption(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  QFont f = label->font();
  f.setBold(true);
  label->setFont(f);
  return label;
}

}  // namespace

PurityPanel::PurityPanel(QWidget* parent)
    : QWidget(parent),
      purityModel_(new PurityTableModel(this)),
      metricsModel_(new MetricsTableModel(this)),
      summary_(new QLabel(this)) {
  purityView_ = makeTable(purityModel_, this);
  purityView_->setObjectName(QStringLiteral("purityTable"));
  // Spare width goes to the text column, keeping the numbers next to each other.
  purityView_->horizontalHeader()->setSectionResizeMode(PurityTableModel::MajorityColumn,
                                                        QHeaderView::Stretch);
  purityView_->setSortingEnabled(true);
  purityView_->sortByColumn(PurityTableModel::ClusterColumn, Qt::AscendingOrder);

  metricsView_ = makeTable(metricsModel_, this);
  metricsView_->setObjectName(QStringLiteral("metricsTable"));
  metricsView_->horizontalHeader()->setSectionResizeMode(MetricsTableModel::MethodColumn,
                                                         QHeaderView::Stretch);
  metricsView_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(summary_);
  layout->addSpacing(4);
  layout->addWidget(caption(tr("Clusters"), this));
  layout->addWidget(purityView_, 1);
  layout->addSpacing(4);
  layout->addWidget(caption(tr("Against the baselines"), this));
  layout->addWidget(metricsView_);
  // Both tables are only as tall as their rows; spare height collects below them.
  layout->addStretch(0);

  for (QAbstractItemModel* m :
       {static_cast<QAbstractItemModel*>(purityModel_), static_cast<QAbstractItemModel*>(metricsModel_)}) {
    connect(m, &QAbstractItemModel::modelReset, this, &PurityPanel::fitTables);
    connect(m, &QAbstractItemModel::rowsInserted, this, &PurityPanel::fitTables);
    connect(m, &QAbstractItemModel::rowsRemoved, this, &PurityPanel::fitTables);
  }
  clear();
}

void PurityPanel::setClassNames(const std::vector<std::string>& names) {
  classNames_ = names;
  purityModel_->setClassNames(names);
}

void PurityPanel::setFrame(const EpochFrame& frame, const std::vector<std::uint8_t>& labels) {
  // Without class names the labels themselves say how many classes there are.
  int classes = static_cast<int>(classNames_.size());
  if (classes == 0 && !labels.empty()) {
    classes = *std::max_element(labels.begin(), labels.end()) + 1;
  }
  Contingency table;
  try {
    table = contingency(frame.assignments, labels, frame.clusters, std::max(classes, 1));
  } catch (const std::exception& e) {
    purityModel_->clear();
    metricsModel_->clearCurrent();
    summary_->setText(tr("Epoch %1: cannot compare clusters with labels (%2).")
                          .arg(frame.epoch)
                          .arg(QString::fromUtf8(e.what())));
    return;
  }
  const Metrics metrics = evaluate(table);
  purityModel_->setContingency(table);
  metricsModel_->setCurrent(frame.epoch, metrics);
  summary_->setText(tr("Epoch %1 · %2 points · %3 of %4 clusters non-empty")
                        .arg(frame.epoch)
                        .arg(QLocale().toString(static_cast<qlonglong>(table.total())))
                        .arg(metrics.nonEmptyClusters)
                        .arg(frame.clusters));
}

void PurityPanel::setBaselines(const std::vector<BaselineRow>& baselines) {
  metricsModel_->setBaselines(baselines);
}

void PurityPanel::clear() {
  purityModel_->clear();
  metricsModel_->clear();
  summary_->setText(tr("No epoch yet."));
}

static int contentHeight(const QTableView* view, int rows) {
  return view->horizontalHeader()->sizeHint().height() +
         std::max(rows, 1) * view->verticalHeader()->defaultSectionSize() + 2 * view->frameWidth() + 2;
}

void PurityPanel::fitTables() {
  // The totals label needs the room of the cluster and majority columns (blank on those rows).
  purityView_->clearSpans();
  const int clusters = purityModel_->clusterCount();
  for (int r = clusters; r < purityModel_->rowCount(); ++r) {
    purityView_->setSpan(r, PurityTableModel::ClusterColumn, 1, 2);
  }
  // Many clusters scroll; ten clusters and the metrics rows show whole, without scroll bars.
  purityView_->setMaximumHeight(contentHeight(purityView_, purityModel_->rowCount()));
  metricsView_->setFixedHeight(contentHeight(metricsView_, metricsModel_->rowCount()));
}

}  // namespace centroid::ui
