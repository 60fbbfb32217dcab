// The training controls: every TrainConfig setting the GUI exposes, inline validation,
// remembered values, and the Train/Stop buttons.
#pragma once

#include <QString>
#include <QWidget>

#include "core/metrics/Types.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QToolButton;

namespace centroid::ui {

class ControlsPanel : public QWidget {
  Q_OBJECT

 public:
  // "Points to show" presets: how many view points, split into train + test images.
  // 10k is the first 10k training images (the evaluation set of docs' reference figures);
  // larger sets add the whole 10k test split so generalisation is visible; 70k is everything.
  struct PointsPreset {
    int train;
    int test;
  };
  static constexpr PointsPreset kPointsPresets[] = {
      {10000, 0}, {10000, 10000}, {30000, 10000}, {60000, 10000}};

  explicit ControlsPanel(QWidget* parent = nullptr);
  ~ControlsPanel() override;

  // Settings the panel does not show (dataDir, k-means iterations, the objective's options)
  // pass through unchanged.
  centroid::TrainConfig toConfig() const;
  void setConfig(const centroid::TrainConfig& config);
  QString runsFolder() const;
  void setRunsFolder(const QString& folder);

  // Empty when Train may be pressed; otherwise one line naming the field and the fault.
  // TrainConfig::validate() decides, plus what only the panel knows (unparsable text,
  // a dataset or runs folder that does not exist).
  QString validationMessage() const;
  bool isValid() const { return validationMessage().isEmpty(); }

  // While running, the settings are frozen (they describe the run in progress), Train is
  // disabled and Stop enabled.
  void setRunning(bool running);
  bool isRunning() const { return running_; }

  // QSettings round trip under the group "controls". restore() ignores missing or broken
  // keys (defaults stay) and unavailable devices (falls back to cpu).
  void save(QSettings& settings) const;
  void restore(QSettings& settings);

  // Widgets, for tests and for the window's actions.
  QPushButton* trainButton() const { return trainButton_; }
  QPushButton* stopButton() const { return stopButton_; }
  QLabel* messageLabel() const { return message_; }

 signals:
  void trainRequested();
  void stopRequested();
  void validityChanged(bool valid);

 private:
  void buildUi();
  void revalidate();                   // after any edit: borders, message, Train enabled
  void onDatasetActivated(int index);  // user picked "Folder…": offer the chooser
  void browseDatasetFolder();
  void browseRunsFolder();
  void restoreDefaults();                // the selected objective's defaults
  void onObjectiveActivated(int index);  // the user picked an objective: its training defaults
  void updateDatasetRow();
  int pointsIndexFor(int train, int test);  // adds a custom entry when no preset matches
  QWidget* fieldForMessage(const QString& message) const;

  centroid::TrainConfig hidden_;  // the fields without a widget
  bool running_ = false;
  bool lastValid_ = true;
  bool loading_ = false;  // inside setConfig: validate once at the end

  QComboBox* objective_ = nullptr;
  QComboBox* dataset_ = nullptr;
  QWidget* folderRow_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QSpinBox* subset_ = nullptr;
  QComboBox* points_ = nullptr;
  QSpinBox* clusters_ = nullptr;
  QSpinBox* dim_ = nullptr;
  QSpinBox* batch_ = nullptr;
  QLineEdit* lr_ = nullptr;
  QSpinBox* epochs_ = nullptr;
  QSpinBox* patience_ = nullptr;
  QSpinBox* seed_ = nullptr;
  QCheckBox* baselines_ = nullptr;
  QComboBox* device_ = nullptr;
  QSpinBox* threads_ = nullptr;
  QComboBox* precision_ = nullptr;
  QLineEdit* runs_ = nullptr;
  QLabel* message_ = nullptr;
  QPushButton* trainButton_ = nullptr;
  QPushButton* stopButton_ = nullptr;
  QToolButton* defaultsButton_ = nullptr;
  QWidget* form_ = nullptr;  // everything frozen while running
};

// "1e-4" rather than "0.0001": learning rates are read and compared by their exponent.
QString formatLearningRate(double lr);
// Parses "1e-4", "0.0001", " 3E-4 " (C locale, whatever the user's locale); false if not a number.
bool parseLearningRate(const QString& text, double* out);

}  // namespace centroid::ui
