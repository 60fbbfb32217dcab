// Format-independent tables for "export purity tables": the per-epoch metrics of a run next to its
// baselines, and one epoch's contingency matrix with per-cluster purity, as CSV or Markdown.
// Plain C++ (no Qt, no HDF5), so the command line and the window write the same bytes.
#pragma once

#include <string>
#include <vector>

#include "core/metrics/Metrics.h"
#include "core/metrics/Types.h"

namespace centroid {

// One table, two renderings. CSV gets machine names and full-precision numbers (tools re-read
// them); Markdown gets readable titles and rounded numbers (people read them).
struct Table {
  struct Column {
    std::string key;      // CSV header, snake_case ("seed_purity")
    std::string title;    // Markdown header ("Seed purity")
    bool numeric = true;  // right-aligned in Markdown
  };
  struct Cell {
    std::string exact;    // CSV text: shortest text that reads back as the same double; "" = n/a
    std::string display;  // Markdown text; "–" where not applicable
  };
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// Csv and Markdown are files; Text is the terminal's (centroid-train's closing table).
enum class TableFormat { Csv, Markdown, Text };

// By extension, case-insensitive: .csv, .md / .markdown. False for anything else (Text is
// never chosen by a file name).
bool tableFormatForPath(const std::string& path, TableFormat& out);

// Columns: method, epoch, loss, seed_purity, purity, nmi, ari, accuracy, non_empty_clusters.
// One row per epoch (method `method`), then one row per baseline (its name; epoch and
// loss empty: baselines are computed once, on the view set, not per epoch).
// `method` names the trained rows (methodLabel of the run's objective).
Table metricsTable(const std::vector<EpochSummary>& epochs, const std::vector<BaselineRow>& baselines,
                   const std::string& method = "k-means loss");

// Columns: cluster, size, one count per class (titled by class name, keyed "n_<name>"),
// majority, majority_count, purity. One row per cluster, then a row "all" holding the column
// sums and the standard purity (sum of majority counts / points). classNames may be shorter
// than the table's classes (missing names show as the label number).
Table clusterTable(const Contingency& table, const std::vector<std::string>& classNames);

// RFC 4180: fields with a comma, quote, line break or edge spaces are quoted, quotes doubled;
// lines end with "\n".
std::string toCsv(const Table& table);
// GitHub-flavoured Markdown; '|' and line breaks in cells escaped.
std::string toMarkdown(const Table& table);
// Fixed-width columns for a terminal: titles, then the display texts; numbers right-aligned,
// text left-aligned, two spaces between columns, every line as wide as the header.
std::string toText(const Table& table);
std::string render(const Table& table, TableFormat format);

// Writes text to path; throws std::runtime_error naming the file and the system's reason.
void writeTextFile(const std::string& path, const std::string& text);

}  // namespace centroid
