// The window's export menu: File ▸ Export …, the toolbar's Export 3-D View, and their file
// dialogs. Each action asks the window to run one export of the registry (ui/export).
#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QAction;
class QMenu;

namespace centroid::ui {

class MainWindow;

class ExportMenu : public QObject {
  Q_OBJECT

 public:
  explicit ExportMenu(MainWindow* window);

  // Adds the export entries to `file` (in menu order: the view, the view at 1x-4x, animation
  // frames, the tables, the embedding, the window).
  void addTo(QMenu* file);
  QAction* viewAction() const { return viewAction_; }  // Ctrl+E, also on the toolbar
  // The actions that need a run on screen (the window enables them with one).
  const QList<QAction*>& runActions() const { return runActions_; }

 private:
  QString folder() const;  // beside the run file, else the Pictures folder
  QString baseName() const;
  void viewDialog(int scale);
  void windowDialog();
  void framesDialog();
  void animationDialog();
  void tableDialog(bool metrics);
  void embeddingDialog(bool allEpochs);

  MainWindow* window_;
  QAction* viewAction_ = nullptr;
  QList<QAction*> runActions_;
};

}  // namespace centroid::ui
