// File ▸ Open Recent (see RecentRuns.h).
#include "ui/window/RecentRuns.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace centroid::ui {
namespace {
constexpr int kRecentRuns = 8;
const char* const kRecentKey = "replay/recent";
}  // namespace

RecentRuns::RecentRuns(bool persist, QMenu* menu, QObject* parent)
    : QObject(parent), persist_(persist), menu_(menu) {
  if (persist_) paths_ = QSettings().value(kRecentKey).toStringList();
  connect(menu_, &QMenu::aboutToShow, this, &RecentRuns::rebuild);
  rebuild();  // so the menu is enabled (or not) before it is first shown
}

void RecentRuns::remember(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  paths_.removeAll(absolute);
  paths_.prepend(absolute);
  while (paths_.size() > kRecentRuns) paths_.removeLast();
  if (persist_) QSettings().setValue(kRecentKey, paths_);
  rebuild();
}

void RecentRuns::setOpenAllowed(bool allowed) {
  allowed_ = allowed;
  menu_->setEnabled(allowed_ && !paths_.isEmpty());
}

void RecentRuns::rebuild() {
  menu_->clear();
  for (int i = 0; i < paths_.size(); ++i) {
    const QString path = paths_[i];
    QAction* a = menu_->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
    a->setToolTip(path);
    a->setStatusTip(path);
    a->setData(path);
    connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
  }
  if (!paths_.isEmpty()) {
    menu_->addSeparator();
    menu_->addAction(tr("&Clear Menu"), this, [this] {
      paths_.clear();
      if (persist_) QSettings().remove(kRecentKey);
      rebuild();
    });
  }
  menu_->setEnabled(allowed_ && !paths_.isEmpty());
}

}  // namespace centroid::ui
