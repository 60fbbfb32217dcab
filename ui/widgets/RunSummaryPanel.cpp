// Read-only settings of a replayed run.
#include "ui/widgets/RunSummaryPanel.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/objectives/Objectives.h"
#include "ui/widgets/ControlsPanel.h"

namespace centroid::ui {

RunSummaryPanel::RunSummaryPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("runSummary");
  title_ = new QLabel;
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* note = new QLabel(tr("Replaying a saved run: these are the settings it was trained with."));
  note->setWordWrap(true);
  note->setStyleSheet("color: palette(mid);");
  form_ = new QFormLayout;
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  useSettings_ = new QPushButton(tr("Train with These Settings"));
  useSettings_->setToolTip(tr("Copy these settings into the training controls and leave the replay"));
  close_ = new QPushButton(tr("Close Run"));
  close_->setToolTip(tr("Leave the replay; the controls show your own settings again"));
  auto* v = new QVBoxLayout(this);
  v->addWidget(title_);
  v->addWidget(note);
  v->addLayout(form_);
  v->addStretch(1);
  v->addWidget(useSettings_);
  v->addWidget(close_);
  connect(useSettings_, &QPushButton::clicked, this, &RunSummaryPanel::trainWithSettingsRequested);
  connect(close_, &QPushButton::clicked, this, &RunSummaryPanel::closeRequested);
}

void RunSummaryPanel::setRow(const QString& caption, const QString& value, const QString& tip) {
  for (int r = 0; r < form_->rowCount(); ++r) {
    auto* c = qobject_cast<QLabel*>(form_->itemAt(r, QFormLayout::LabelRole)->widget());
    if (c && c->text() == caption + ':') {
      auto* v = qobject_cast<QLabel*>(form_->itemAt(r, QFormLayout::FieldRole)->widget());
      v->setText(value);
      v->setToolTip(tip);
      return;
    }
  }
  auto* v = new QLabel(value);
  v->setWordWrap(true);
  v->setTextInteractionFlags(Qt::TextSelectableByMouse);  // paths and dates get copied
  v->setToolTip(tip);
  form_->addRow(caption + ':', v);
}

QString RunSummaryPanel::value(const QString& caption) const {
  for (int r = 0; r < form_->rowCount(); ++r) {
    auto* c = qobject_cast<QLabel*>(form_->itemAt(r, QFormLayout::LabelRole)->widget());
    if (c && c->text() == caption + ':')
      return qobject_cast<QLabel*>(form_->itemAt(r, QFormLayout::FieldRole)->widget())->text();
  }
  return {};
}

void RunSummaryPanel::setRun(const QString& path, const TrainConfig& c,
                             const std::map<std::string, std::string>& attributes) {
  auto attr = [&](const char* key) {
    auto it = attributes.find(key);
    return it == attributes.end() ? QString() : QString::fromStdString(it->second);
  };
  const QLocale locale;
  title_->setText(QStringLiteral("<b>%1</b>").arg(QFileInfo(path).fileName().toHtmlEscaped()));
  title_->setToolTip(path);
  setRow(tr("Dataset"), attr("dataset").isEmpty() ? QString::fromStdString(c.dataset) : attr("dataset"),
         QString::fromStdString(c.dataset));
  setRow(tr("Training images"), c.subset > 0 ? locale.toString(c.subset) : tr("all"));
  setRow(tr("Points shown"),
         tr("%1 train + %2 test").arg(locale.toString(c.viewTrain), locale.toString(c.viewTest)));
  QStringList options;
  for (const auto& [name, value] : c.objectiveOptions)
    options << QStringLiteral("%1 = %2").arg(QString::fromStdString(name)).arg(value);
  setRow(tr("Objective"), QString::fromStdString(methodLabel(c.objective)), options.join('\n'));
  setRow(tr("Clusters (K)"), QString::number(c.clusters));
  setRow(tr("Embedding dim"), QString::number(c.embedDim));
  setRow(tr("Batch size"), QString::number(c.batchSize));
  setRow(tr("Learning rate"), formatLearningRate(c.learningRate));
  setRow(tr("Max epochs"), QString::number(c.maxEpochs));
  setRow(tr("Patience"), QString::number(c.patience));
  setRow(tr("k-means iterations"), QString::number(c.kmeansMaxIter));
  setRow(tr("Seed"), QString::number(c.seed));
  setRow(tr("Device"), QString::fromStdString(c.device));
  setRow(tr("Threads"), c.threads > 0 ? QString::number(c.threads) : tr("all cores"));
  setRow(tr("Precision"), QString::fromStdString(c.precision));
  setRow(tr("Baselines"), c.baselines ? tr("yes") : tr("no"));
  setRow(tr("Written by"), attr("program"), tr("libtorch %1").arg(attr("torch_version")));
  setRow(tr("Created"), attr("created"));
}

void RunSummaryPanel::setState(const QString& status, const QString& reason, int bestEpoch, int epochs) {
  setRow(tr("Status"), reason.isEmpty() ? status : tr("%1 (%2)").arg(status, reason));
  setRow(tr("Epochs saved"), QString::number(epochs));
  setRow(tr("Best epoch"), bestEpoch > 0 ? QString::number(bestEpoch) : tr("none yet"));
}

}  // namespace centroid::ui
