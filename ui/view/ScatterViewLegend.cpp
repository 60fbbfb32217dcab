// The scatter view's legend.
#include "ui/view/ScatterViewLegend.h"

#include <vtkActor2D.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>

#include "ui/view/Palette.h"

namespace centroid::ui {
namespace {

// Logical pixels (times the layout scale) and points (VTK scales fonts by the window DPI).
constexpr double kMarginPx = 12, kLinePx = 19, kSwatchPx = 10;
constexpr int kFont = 12;
constexpr int kPanelAlpha = 225;  // the cloud shows faintly through, so nothing seems cut off

void setColor(vtkTextProperty* p, const QColor& c) { p->SetColor(c.redF(), c.greenF(), c.blueF()); }

vtkSmartPointer<vtkTextActor> makeText(bool bold) {
  auto t = vtkSmartPointer<vtkTextActor>::New();
  vtkTextProperty* p = t->GetTextProperty();
  p->SetFontFamilyToArial();
  p->SetFontSize(kFont);
  p->SetBold(bold);
  p->ShadowOff();
  setColor(p, palette::foreground());
  return t;
}

// Quads in display pixels with one RGBA colour each, drawn in insertion order.
struct Quads {
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> cells;
  vtkNew<vtkUnsignedCharArray> colors;
  Quads() { colors->SetNumberOfComponents(4); }
  void add(double x0, double y0, double x1, double y1, const QColor& c, int alpha) {
    const vtkIdType base = points->GetNumberOfPoints();
    points->InsertNextPoint(x0, y0, 0);
    points->InsertNextPoint(x1, y0, 0);
    points->InsertNextPoint(x1, y1, 0);
    points->InsertNextPoint(x0, y1, 0);
    const vtkIdType ids[4] = {base, base + 1, base + 2, base + 3};
    cells->InsertNextCell(4, ids);
    const unsigned char rgba[4] = {static_cast<unsigned char>(c.red()), static_cast<unsigned char>(c.green()),
                                   static_cast<unsigned char>(c.blue()), static_cast<unsigned char>(alpha)};
    colors->InsertNextTypedTuple(rgba);
  }
};

}  // namespace

struct ScatterViewLegend::Impl {
  vtkRenderer* overlay = nullptr;
  vtkSmartPointer<vtkTextActor> title = makeText(true);
  std::vector<vtkSmartPointer<vtkTextActor>> rows;  // grown on demand, hidden when unused
  std::vector<LegendEntry> entries;
  vtkNew<vtkPolyData> shapes;  // panel, then swatches
  vtkNew<vtkPolyDataMapper2D> mapper;
  vtkNew<vtkActor2D> actor;
  bool dirty = true;
};

ScatterViewLegend::ScatterViewLegend(vtkRenderer* overlay) : d(std::make_unique<Impl>()) {
  d->overlay = overlay;
  d->title->GetTextProperty()->SetVerticalJustificationToTop();
  d->mapper->SetInputData(d->shapes);
  d->mapper->SetScalarModeToUseCellData();
  d->mapper->SetColorModeToDirectScalars();
  d->actor->SetMapper(d->mapper);
  overlay->AddViewProp(d->actor);  // before the texts: 2-D props draw in the order added
  overlay->AddViewProp(d->title);
}

ScatterViewLegend::~ScatterViewLegend() = default;

void ScatterViewLegend::set(const QString& title, const std::vector<LegendEntry>& entries) {
  d->title->SetInput(title.toStdString().c_str());
  d->entries = entries;
  d->dirty = true;
}

bool ScatterViewLegend::needsLayout() const { return d->dirty; }

void ScatterViewLegend::layout(int width, int height, double scale, double bottomReserve) {
  d->dirty = false;
  const double margin = kMarginPx * scale, line = kLinePx * scale, swatch = kSwatchPx * scale;
  const double pad = 0.6 * margin, left = margin + pad, top = height - margin - pad;
  d->title->SetPosition(left, top);
  const int room = static_cast<int>((top - line - bottomReserve) / line);
  const int total = static_cast<int>(d->entries.size());
  const int shown = total <= room ? total : std::max(0, room - 1);
  const int lines = shown + (shown < total ? 1 : 0);
  while (static_cast<int>(d->rows.size()) < lines) {
    d->rows.push_back(makeText(false));
    d->rows.back()->GetTextProperty()->SetVerticalJustificationToCentered();
    d->overlay->AddViewProp(d->rows.back());
  }

  // The panel's width follows the widest text, measured with the window's DPI.
  double bbox[4];
  d->title->GetBoundingBox(d->overlay, bbox);
  double textRight = std::max(left, bbox[1]);
  const double textX = left + 1.7 * swatch;
  for (int i = 0; i < static_cast<int>(d->rows.size()); ++i) {
    vtkTextActor* t = d->rows[static_cast<std::size_t>(i)];
    t->SetVisibility(i < lines);
    if (i >= lines) continue;
    t->SetPosition(textX, top - line * (i + 1.5));
    if (i < shown) {
      const LegendEntry& e = d->entries[static_cast<std::size_t>(i)];
      t->SetInput(e.text.toStdString().c_str());
      setColor(t->GetTextProperty(), e.dimmed ? palette::mutedForeground() : palette::foreground());
    } else {
      t->SetInput(QStringLiteral("… %1 more").arg(total - shown).toStdString().c_str());
      setColor(t->GetTextProperty(), palette::mutedForeground());
    }
    t->GetBoundingBox(d->overlay, bbox);
    textRight = std::max(textRight, bbox[1]);
  }
  const bool visible = total > 0 && width > 0;
  d->title->SetVisibility(visible);
  d->actor->SetVisibility(visible);
  if (!visible) return;

  Quads quads;
  const double bottom = top - line * (lines + 1.2);
  quads.add(margin, bottom, textRight + pad, height - margin, palette::background(), kPanelAlpha);
  const double rim = std::max(1.0, scale);
  for (int i = 0; i < shown; ++i) {
    const LegendEntry& e = d->entries[static_cast<std::size_t>(i)];
    const double y = top - line * (i + 1.5);
    const double x0 = left, y0 = y - swatch / 2, x1 = left + swatch, y1 = y + swatch / 2;
    if (e.dimmed) {  // hollow: a grey rim around background
      quads.add(x0, y0, x1, y1, palette::mutedForeground(), 255);
      quads.add(x0 + rim, y0 + rim, x1 - rim, y1 - rim, palette::background(), 255);
    } else {
      quads.add(x0, y0, x1, y1, e.color, 255);
    }
  }
  d->shapes->SetPoints(quads.points);
  d->shapes->SetPolys(quads.cells);
  d->shapes->GetCellData()->SetScalars(quads.colors);
  d->shapes->Modified();
}

}  // namespace centroid::ui
