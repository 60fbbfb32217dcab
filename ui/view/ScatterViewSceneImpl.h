// Internals of ScatterViewScene, shared by its two sources: ScatterViewScene.cpp (the VTK
// objects, overlays, layout) and ScatterViewCamera.cpp (camera, clipping, culling).
#pragma once

#include <vtkActor.h>
#include <vtkAxesActor.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkIdTypeArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>
#include <vtkUnsignedCharArray.h>

#include <memory>
#include <vector>

#include "ui/view/ScatterViewGeometry.h"
#include "ui/view/ScatterViewLabels.h"
#include "ui/view/ScatterViewLegend.h"
#include "ui/view/ScatterViewScene.h"

namespace centroid::ui {

// Fills a vertex cell array with one poly-vertex of the given ids: one cell instead of N
// keeps the rebuild after a visibility change to a single pass.
template <typename Keep>
vtkIdType setVertices(vtkCellArray* cells, int n, Keep keep) {
  vtkNew<vtkIdTypeArray> offsets, ids;
  ids->SetNumberOfValues(n);
  vtkIdType count = 0;
  for (int i = 0; i < n; ++i)
    if (keep(i)) ids->SetValue(count++, i);
  ids->Resize(count);
  ids->SetNumberOfValues(count);
  offsets->InsertNextValue(0);
  if (count > 0) offsets->InsertNextValue(count);
  cells->SetData(offsets, ids);
  return count;
}

struct ScatterViewScene::Impl {
  vtkRenderWindow* window = nullptr;
  vtkNew<vtkRenderer> cloudLayer, outlineLayer, topLayer, axesInset;

  vtkNew<vtkFloatArray> xyz;
  vtkNew<vtkUnsignedCharArray> rgb;
  vtkNew<vtkPoints> points;
  // What culling keeps, copied out: the cloud then uploads only these points, not all of them
  // with an index list. RGBA, which VTK draws without converting.
  vtkNew<vtkFloatArray> keptXyz;
  vtkNew<vtkUnsignedCharArray> keptRgba;
  vtkNew<vtkPoints> keptPoints;
  vtkNew<vtkCellArray> verts;
  vtkNew<vtkPolyData> cloud;
  vtkNew<vtkPolyDataMapper> cloudMapper;
  vtkNew<vtkActor> cloudActor;

  vtkNew<vtkFloatArray> centroidXyz;
  vtkNew<vtkUnsignedCharArray> centroidRgb;
  vtkNew<vtkPoints> centroidPoints;
  vtkNew<vtkCellArray> centroidVerts;
  vtkNew<vtkPolyData> centroids;
  vtkNew<vtkPolyDataMapper> outlineMapper, fillMapper;
  vtkNew<vtkActor> outlineActor, fillActor;
  std::unique_ptr<ScatterViewLabels> labels;  // needs topLayer: built in the constructor

  vtkSmartPointer<vtkTextActor> epoch, note;
  std::unique_ptr<ScatterViewLegend> legend;  // needs topLayer in the window: built in the constructor
  vtkNew<vtkAxesActor> axes;
  std::unique_ptr<ScatterViewLabels> axisLabels;  // at the inset's tips

  geometry::Bounds fit{-1, 1, -1, 1, -1, 1}, clip{-1, 1, -1, 1, -1, 1};
  int width = 0, height = 0;
  double scale = 0;
  unsigned long startObserver = 0;

  std::vector<std::uint8_t> hidden;
  bool cullingEnabled = true, culled = false;
  int software = -1;  // the GL renderer rasterises on the CPU: -1 not known yet
  geometry::CullScratch scratch;
  std::vector<std::int32_t> kept;
  int drawn = 0;

  void onCloudLayerStart(vtkObject*, unsigned long, void*);
  void drawAllVisible();
  void cull(const double worldToView[16]);
  bool softwareRenderer();
  void syncAxesCamera();
};

}  // namespace centroid::ui
