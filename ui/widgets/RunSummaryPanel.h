// The settings of a replayed run, read-only, in place of the training controls: what the run
// was trained with, where it came from, and how it ended.
#pragma once

#include <QString>
#include <QWidget>
#include <map>
#include <string>

#include "core/metrics/Types.h"

class QFormLayout;
class QLabel;
class QPushButton;

namespace centroid::ui {

class RunSummaryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RunSummaryPanel(QWidget* parent = nullptr);

  // attributes: RunReader::attributes() (program, dataset, created, ...).
  void setRun(const QString& path, const centroid::TrainConfig& config,
              const std::map<std::string, std::string>& attributes);
  // How the run stands: status ("completed", "running", ...), its reason, best epoch, epochs.
  void setState(const QString& status, const QString& reason, int bestEpoch, int epochs);
  // Label text of a row by its caption ("Learning rate"), for tests.
  QString value(const QString& caption) const;

 signals:
  void trainWithSettingsRequested();  // copy these settings into the controls and leave replay
  void closeRequested();              // leave replay, back to the controls as they were

 private:
  void setRow(const QString& caption, const QString& value, const QString& tip = {});

  QFormLayout* form_;
  QLabel* title_;
  QPushButton* useSettings_;
  QPushButton* close_;
};

}  // namespace centroid::ui
