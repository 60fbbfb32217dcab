// Table export for "export purity tables": any item model to CSV (for tools) or Markdown (for notes).
#pragma once

#include <QString>
#include <Qt>

class QAbstractItemModel;

namespace centroid::ui {

// Models answer this role when the exported value should differ from the screen: full precision
// instead of 3 decimals, blank instead of "–" for "not applicable". Models that don't answer it
// export their DisplayRole text.
inline constexpr int kExportRole = Qt::UserRole + 100;

// RFC 4180 CSV of the model's top-level rows: a header row from the horizontal header (line
// breaks in headers become spaces), then one line per row. Fields holding a comma, quote, line break or edge spaces are quoted, quotes
// doubled. Lines end with "\n" (pandas, R, Python's csv and spreadsheets all accept it).
QString toCsv(const QAbstractItemModel& model);

// GitHub-flavoured Markdown table of what the user sees (DisplayRole): header, alignment row
// (right-aligned columns get "---:"), one line per row; '|' and line breaks in cells escaped.
QString toMarkdown(const QAbstractItemModel& model);

}  // namespace centroid::ui
