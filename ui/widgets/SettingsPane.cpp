// The Settings dock's content (see SettingsPane.h).
#include "ui/widgets/SettingsPane.h"

#include <QScrollArea>

#include "ui/widgets/ControlsPanel.h"
#include "ui/widgets/RunSummaryPanel.h"

namespace centroid::ui {
namespace {
QScrollArea* scrolling(QWidget* content) {
  auto* scroll = new QScrollArea;
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  return scroll;
}
}  // namespace

SettingsPane::SettingsPane(ControlsPanel* controls, RunSummaryPanel* summary, QWidget* parent)
    : QStackedWidget(parent) {
  QScrollArea* form = scrolling(controls);  // small screens: the form scrolls instead of clipping
  form->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  form->setMinimumWidth(controls->sizeHint().width() + 12);
  addWidget(form);
  addWidget(scrolling(summary));
}

int SettingsPane::controlsWidth() const { return widget(0)->minimumWidth(); }

}  // namespace centroid::ui
