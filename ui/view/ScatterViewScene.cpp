// The VTK scene of the scatter view.
#include "ui/view/ScatterViewScene.h"

#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkPointData.h>
#include <vtkProperty.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>

#include "ui/view/Palette.h"
#include "ui/view/ScatterViewSceneImpl.h"

namespace centroid::ui {
namespace {

// Base sizes in logical pixels (multiplied by the layout scale) and font sizes in points
// (VTK scales fonts by the window's DPI, which the bridge sets to 72 x device pixel ratio).
constexpr double kPointPx = 3, kOutlinePx = 17, kFillPx = 12, kMarginPx = 12;
constexpr double kAxesInsetPx = 96;
constexpr int kEpochFont = 15, kNoteFont = 12, kAxisFont = 11;

void setColor(vtkTextProperty* p, const QColor& c) { p->SetColor(c.redF(), c.greenF(), c.blueF()); }
void setColor(vtkProperty* p, const QColor& c) { p->SetColor(c.redF(), c.greenF(), c.blueF()); }

vtkSmartPointer<vtkTextActor> makeText(int fontSize, const QColor& color, bool bold) {
  auto t = vtkSmartPointer<vtkTextActor>::New();
  vtkTextProperty* p = t->GetTextProperty();
  p->SetFontFamilyToArial();
  p->SetFontSize(fontSize);
  p->SetBold(bold);
  p->ShadowOff();
  setColor(p, color);
  return t;
}

}  // namespace

ScatterViewScene::ScatterViewScene(vtkGenericOpenGLRenderWindow* window) : d(std::make_unique<Impl>()) {
  d->window = window;
  const QColor bg = palette::background();
  window->SetNumberOfLayers(3);
  d->cloudLayer->SetLayer(0);
  d->cloudLayer->SetBackground(bg.redF(), bg.greenF(), bg.blueF());
  d->outlineLayer->SetLayer(1);
  d->topLayer->SetLayer(2);
  d->axesInset->SetLayer(2);
  for (vtkRenderer* r : {d->outlineLayer.Get(), d->topLayer.Get(), d->axesInset.Get()}) r->InteractiveOff();
  d->outlineLayer->SetActiveCamera(d->cloudLayer->GetActiveCamera());
  d->topLayer->SetActiveCamera(d->cloudLayer->GetActiveCamera());
  for (vtkRenderer* r : {d->cloudLayer.Get(), d->outlineLayer.Get(), d->topLayer.Get(), d->axesInset.Get()})
    window->AddRenderer(r);
  d->startObserver = d->cloudLayer->AddObserver(vtkCommand::StartEvent, d.get(), &Impl::onCloudLayerStart);

  // The cloud: flat, unlit points in exact palette colours (tests count them).
  d->xyz->SetNumberOfComponents(3);
  d->points->SetData(d->xyz);
  d->rgb->SetNumberOfComponents(3);
  d->rgb->SetName("colors");
  d->keptXyz->SetNumberOfComponents(3);
  d->keptPoints->SetData(d->keptXyz);
  d->keptRgba->SetNumberOfComponents(4);
  d->keptRgba->SetName("colors");
  d->cloud->SetPoints(d->points);
  d->cloud->SetVerts(d->verts);
  d->cloud->GetPointData()->SetScalars(d->rgb);
  d->cloudMapper->SetInputData(d->cloud);
  d->cloudMapper->SetScalarModeToUsePointData();
  d->cloudMapper->SetColorModeToDirectScalars();
  d->cloudMapper->ScalarVisibilityOn();
  d->cloudMapper->StaticOn();  // no pipeline upstream: skip the update pass
  d->cloudActor->SetMapper(d->cloudMapper);
  d->cloudActor->GetProperty()->LightingOff();
  d->cloudActor->GetProperty()->SetRepresentationToPoints();
  d->cloudLayer->AddActor(d->cloudActor);

  // Centroids: shaded spheres, a dark ring (layer 1) under a coloured fill (layer 2).
  d->centroidXyz->SetNumberOfComponents(3);
  d->centroidPoints->SetData(d->centroidXyz);
  d->centroidRgb->SetNumberOfComponents(3);
  d->centroids->SetPoints(d->centroidPoints);
  d->centroids->SetVerts(d->centroidVerts);
  d->centroids->GetPointData()->SetScalars(d->centroidRgb);
  d->outlineMapper->SetInputData(d->centroids);
  d->outlineMapper->ScalarVisibilityOff();
  d->outlineActor->SetMapper(d->outlineMapper);
  setColor(d->outlineActor->GetProperty(), palette::markerOutline());
  d->outlineActor->GetProperty()->RenderPointsAsSpheresOn();
  d->outlineActor->GetProperty()->LightingOff();
  d->outlineLayer->AddActor(d->outlineActor);
  d->fillMapper->SetInputData(d->centroids);
  d->fillMapper->SetScalarModeToUsePointData();
  d->fillMapper->SetColorModeToDirectScalars();
  d->fillActor->SetMapper(d->fillMapper);
  d->fillActor->GetProperty()->RenderPointsAsSpheresOn();
  d->fillActor->GetProperty()->SetAmbient(0.35);
  d->fillActor->GetProperty()->SetDiffuse(0.75);
  d->topLayer->AddActor(d->fillActor);

  // 2-D overlays.
  d->epoch = makeText(kEpochFont, palette::foreground(), true);
  d->note = makeText(kNoteFont, palette::mutedForeground(), false);
  d->epoch->GetTextProperty()->SetJustificationToRight();
  d->epoch->GetTextProperty()->SetVerticalJustificationToTop();
  d->note->GetTextProperty()->SetJustificationToRight();
  d->note->GetTextProperty()->SetVerticalJustificationToBottom();
  d->note->GetTextProperty()->SetLineSpacing(1.2);
  d->topLayer->AddViewProp(d->epoch);
  d->topLayer->AddViewProp(d->note);
  d->labels = std::make_unique<ScatterViewLabels>(
      d->topLayer, ScatterViewLabels::Style{12, true, 0.8});  // the panel: readable over a dense cloud
  d->legend = std::make_unique<ScatterViewLegend>(d->topLayer);

  // Orientation inset: its own camera, turned with the main one before each frame. The axis
  // names are labels at the tips rather than vtkAxesActor's captions, whose leader and text
  // rebuild cost 6-7 ms of every frame the camera moves (docs/benchmarks.md).
  d->axes->SetShaftTypeToLine();
  d->axes->SetNormalizedTipLength(0.22, 0.22, 0.22);
  d->axes->AxisLabelsOff();
  d->axesInset->AddActor(d->axes);
  d->axisLabels = std::make_unique<ScatterViewLabels>(d->axesInset, ScatterViewLabels::Style{kAxisFont});
  const float tips[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  d->axisLabels->setAnchors(tips, 3);
  d->axesInset->GetActiveCamera()->ParallelProjectionOn();
}

// The renderers stay in the window on purpose: the bridge's destructor releases their GL
// resources with the context current, which is no longer possible once they are gone.
ScatterViewScene::~ScatterViewScene() { d->cloudLayer->RemoveObserver(d->startObserver); }

void ScatterViewScene::resizePoints(int n) {
  n = std::max(0, n);
  if (n != pointCount()) {
    d->xyz->SetNumberOfTuples(n);
    d->rgb->SetNumberOfTuples(n);
    std::fill_n(d->xyz->GetPointer(0), static_cast<std::size_t>(n) * 3, 0.0f);
    std::fill_n(d->rgb->GetPointer(0), static_cast<std::size_t>(n) * 3, std::uint8_t{0});
    d->hidden.clear();
    d->drawAllVisible();
  }
  positionsChanged();
  colorsChanged();
}

int ScatterViewScene::pointCount() const { return static_cast<int>(d->xyz->GetNumberOfTuples()); }
float* ScatterViewScene::positions() { return d->xyz->GetPointer(0); }
const float* ScatterViewScene::positions() const { return d->xyz->GetPointer(0); }
std::uint8_t* ScatterViewScene::colors() { return d->rgb->GetPointer(0); }

void ScatterViewScene::positionsChanged() {
  d->xyz->Modified();
  d->points->Modified();
}

void ScatterViewScene::colorsChanged() { d->rgb->Modified(); }

void ScatterViewScene::setCentroids(const std::vector<CentroidMarker>& markers) {
  const int k = static_cast<int>(markers.size());
  if (k != centroidCount()) {
    d->centroidXyz->SetNumberOfTuples(k);
    std::fill_n(d->centroidXyz->GetPointer(0), static_cast<std::size_t>(k) * 3, 0.0f);
    d->centroidRgb->SetNumberOfTuples(k);
    setVertices(d->centroidVerts, k, [](int) { return true; });
  }
  std::vector<QString> texts(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) {
    const QColor& c = markers[static_cast<std::size_t>(i)].fill;
    d->centroidRgb->SetTypedTuple(i, std::array<std::uint8_t, 3>{static_cast<std::uint8_t>(c.red()),
                                                                 static_cast<std::uint8_t>(c.green()),
                                                                 static_cast<std::uint8_t>(c.blue())}
                                         .data());
    texts[static_cast<std::size_t>(i)] = markers[static_cast<std::size_t>(i)].label;
  }
  d->labels->setTexts(texts);
  d->centroidRgb->Modified();
  d->centroids->Modified();
  centroidsChanged();
}

int ScatterViewScene::centroidCount() const { return static_cast<int>(d->centroidXyz->GetNumberOfTuples()); }
float* ScatterViewScene::centroidPositions() { return d->centroidXyz->GetPointer(0); }
const float* ScatterViewScene::centroidPositions() const { return d->centroidXyz->GetPointer(0); }

void ScatterViewScene::centroidsChanged() {
  d->centroidXyz->Modified();
  d->centroidPoints->Modified();
  d->labels->setAnchors(centroidPositions(), centroidCount());
}

void ScatterViewScene::setLegend(const QString& title, const std::vector<LegendEntry>& entries) {
  d->legend->set(title, entries);
}

void ScatterViewScene::setEpochText(const QString& text) { d->epoch->SetInput(text.toStdString().c_str()); }
void ScatterViewScene::setNote(const QString& text) { d->note->SetInput(text.toStdString().c_str()); }

void ScatterViewScene::setAxisNames(const QString& x, const QString& y, const QString& z) {
  d->axisLabels->setTexts({x, y, z});
}

void ScatterViewScene::layout(int width, int height, double scale) {
  if (width == d->width && height == d->height && scale == d->scale && !d->legend->needsLayout()) return;
  d->width = width;
  d->height = height;
  d->scale = scale;
  d->cloudActor->GetProperty()->SetPointSize(static_cast<float>(kPointPx * scale));
  d->outlineActor->GetProperty()->SetPointSize(static_cast<float>(kOutlinePx * scale));
  d->fillActor->GetProperty()->SetPointSize(static_cast<float>(kFillPx * scale));
  const int offset = static_cast<int>(std::lround(0.5 * kOutlinePx * scale));
  d->labels->setOffset(offset, offset / 2);
  const int axisOffset = static_cast<int>(std::lround(3 * scale));
  d->axisLabels->setOffset(axisOffset, axisOffset);
  const double margin = kMarginPx * scale;
  d->epoch->SetPosition(width - margin, height - margin);
  d->note->SetPosition(width - margin, margin);
  for (vtkProperty* p :
       {d->axes->GetXAxisShaftProperty(), d->axes->GetYAxisShaftProperty(), d->axes->GetZAxisShaftProperty()})
    p->SetLineWidth(static_cast<float>(1.5 * scale));
  const double inset = std::min({kAxesInsetPx * scale, 0.3 * width, 0.3 * height});
  d->axesInset->SetViewport(0, 0, inset / std::max(1, width), inset / std::max(1, height));
  d->legend->layout(width, height, scale, inset + margin);
}

}  // namespace centroid::ui
