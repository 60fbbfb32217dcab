// Colours of the 3-D view: a colour-blind-friendly categorical palette and the view's theme.
#pragma once

#include <QColor>
#include <array>

namespace centroid::ui::palette {

// Tableau 10 (2016 revision): ten hues chosen to stay distinguishable under the common
// colour-vision deficiencies and on a light background. Label l uses colour l mod 10.
const std::array<QColor, 10>& categorical();
QColor labelColor(int label);

// Colour of cluster k of K. K <= 10 uses the categorical palette as is; beyond ten,
// colours repeat the palette in a lighter then a darker shade and then fall back to
// golden-angle hues. Past ten, no palette stays colour-blind safe; the legend and the
// marker labels carry the cluster id for that reason.
QColor clusterColor(int cluster, int clusters);

// The view's theme, shared with tests that count pixels.
QColor background();       // the 3-D view's clear colour
QColor foreground();       // text
QColor mutedForeground();  // hidden legend entries, notes
QColor markerOutline();    // ring around centroid markers

}  // namespace centroid::ui::palette
