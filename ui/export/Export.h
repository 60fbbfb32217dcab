// Exports: each is one unit that takes a run model, an epoch (or all of them) and options, and
// writes a file. The window's menus, the command line's --export-* switches and the tests all go
// through the one registry below. Adding an export: one new file here with its class and a
// make...() function, and one line in Exports.cpp.
#pragma once

#include <QString>
#include <functional>
#include <memory>
#include <vector>

class QWidget;

namespace centroid::ui {

class RunModel;
class ScatterView;

struct ExportJob {
  RunModel* run = nullptr;  // required: the run, training or saved
  int index = -1;           // the stored epoch's index; -1: the one on screen (else the last)
  bool allEpochs = false;   // every stored epoch instead (the embedding export)
  // Exports that draw: the view to render (its camera as the user left it) and the window.
  ScatterView* view = nullptr;
  QWidget* window = nullptr;
  int scale = 1;           // 1..4: pixels per view pixel
  int framesPerEpoch = 1;  // in-between frames per step (frames, animation)
  int fps = 30;            // frames per second (animation)
  int firstEpoch = 0;      // epoch numbers of the animation's range; 0: from the first / to the last
  int lastEpoch = 0;
  // Called after each unit of work with (done, total); returning false cancels the export.
  std::function<bool(int, int)> progress;
};

struct ExportOutcome {
  bool ok = false;
  QString message;  // on success what was written ("Saved ..."), else why not, naming the file
  bool cancelled = false;
};

class Export {
 public:
  virtual ~Export() = default;
  virtual QString id() const = 0;     // "metrics": --export-metrics, and the tests' name for it
  virtual QString title() const = 0;  // for menus and messages
  // True when it renders (needs a display and job.view); false: it runs without either.
  virtual bool draws() const = 0;
  // False for the pictures, which show whatever is on screen, a run or not.
  virtual bool needsRun() const { return true; }
  // Renders with job.view (the window image draws the window, with or without a 3-D view).
  virtual bool needsView() const { return draws(); }
  virtual ExportOutcome write(const ExportJob& job, const QString& path) const = 0;
};

// Every export, in menu order.
const std::vector<std::unique_ptr<Export>>& exports();
// The export with this id; null when there is none.
const Export* findExport(const QString& id);
// Runs the export `id`; an unknown id is a failed outcome that says so.
ExportOutcome runExport(const QString& id, const ExportJob& job, const QString& path);

// The epoch an export works on: job.index, else the run's current one, else the last; -1 when
// the run has none.
int exportIndex(const ExportJob& job);

}  // namespace centroid::ui
