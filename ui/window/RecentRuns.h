// File ▸ Open Recent: the last eight runs opened, kept in QSettings when the window keeps its
// settings, newest first, with "Clear Menu".
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QMenu;

namespace centroid::ui {

class RecentRuns : public QObject {
  Q_OBJECT

 public:
  // persist: read the list from QSettings now and write every change back.
  RecentRuns(bool persist, QMenu* menu, QObject* parent = nullptr);

  QStringList paths() const { return paths_; }
  void remember(const QString& path);  // absolute; moves to the top
  // Opening replaces the run on screen: not while a run trains into it.
  void setOpenAllowed(bool allowed);

 signals:
  void openRequested(const QString& path);

 private:
  void rebuild();

  bool persist_;
  QMenu* menu_;
  QStringList paths_;
  bool allowed_ = true;
};

}  // namespace centroid::ui
