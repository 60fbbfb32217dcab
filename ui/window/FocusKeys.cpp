#include "ui/window/FocusKeys.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>
#include <QTabBar>

namespace centroid::ui {

FocusKeys::FocusKeys(QWidget* window) : QObject(window), window_(window) { qApp->installEventFilter(this); }

FocusKeys::~FocusKeys() {
  if (qApp) qApp->removeEventFilter(this);
}

bool FocusKeys::widgetUsesKey(const QWidget* widget, int key) {
  const bool arrowsOrEnds =
      key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Home || key == Qt::Key_End;
  if (qobject_cast<const QAbstractItemView*>(widget)) return arrowsOrEnds || key == Qt::Key_Space;
  if (qobject_cast<const QAbstractSlider*>(widget)) return arrowsOrEnds;
  if (qobject_cast<const QTabBar*>(widget)) return arrowsOrEnds;
  if (qobject_cast<const QAbstractButton*>(widget) || qobject_cast<const QComboBox*>(widget))
    return key == Qt::Key_Space;
  return false;
}

bool FocusKeys::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::ShortcutOverride || !watched->isWidgetType()) return false;
  auto* key = static_cast<QKeyEvent*>(event);
  if ((key->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier) return false;
  auto* widget = static_cast<QWidget*>(watched);
  if (widget->window() == window_ && widgetUsesKey(widget, key->key())) event->accept();
  return false;
}

}  // namespace centroid::ui
