// Metrics and cluster tables, and their CSV / Markdown text.
#include "core/metrics/Tables.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace centroid {
namespace {

// The shortest text that reads back as the same double (0.6 stays "0.6"), as TableExport does.
std::string exact(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return exact(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string significant(double v, int digits) {
  if (!std::isfinite(v)) return exact(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

Table::Cell text(const std::string& s) { return {s, s}; }
Table::Cell integer(long long v) { return text(std::to_string(v)); }
Table::Cell metric(double v) { return {exact(v), fixed(v, 3)}; }
Table::Cell none() { return {"", "–"}; }

// Metric columns shared by epoch and baseline rows.
void addMetrics(std::vector<Table::Cell>& row, const Metrics& m) {
  for (double v : {m.seedPurity, m.purity, m.nmi, m.ari, m.accuracy}) row.push_back(metric(v));
  row.push_back(integer(m.nonEmptyClusters));
}

// "n_T-shirt/top" would be awkward in pandas; keep letters and digits, the rest becomes '_'.
std::string keyFor(const std::string& name) {
  std::string key = "n_";
  for (unsigned char c : name) key += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
  return key;
}

std::string csvField(const std::string& s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string::npos ||
                     (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) ||
                                     std::isspace(static_cast<unsigned char>(s.back()))));
  if (!quote) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string markdownCell(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '|' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
      out += "<br>";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool tableFormatForPath(const std::string& path, TableFormat& out) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "csv") {
    out = TableFormat::Csv;
    return true;
  }
  if (ext == "md" || ext == "markdown") {
    out = TableFormat::Markdown;
    return true;
  }
  return false;
}

Table metricsTable(const std::vector<EpochSummary>& epochs, const std::vector<BaselineRow>& baselines,
                   const std::string& method) {
  Table t;
  t.columns = {{"method", "Method", false},
               {"epoch", "Epoch"},
               {"loss", "Loss"},
               {"seed_purity", "Seed purity"},
               {"purity", "Purity"},
               {"nmi", "NMI"},
               {"ari", "ARI"},
               {"accuracy", "ACC"},
               {"non_empty_clusters", "Non-empty clusters"}};
  for (const EpochSummary& e : epochs) {
    std::vector<Table::Cell> row{text(method), integer(e.epoch), {exact(e.loss), significant(e.loss, 4)}};
    addMetrics(row, e.metrics);
    t.rows.push_back(std::move(row));
  }
  for (const BaselineRow& b : baselines) {
    std::vector<Table::Cell> row{text(b.name), none(), none()};
    addMetrics(row, b.metrics);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table clusterTable(const Contingency& c, const std::vector<std::string>& classNames) {
  auto name = [&](int label) {
    return label >= 0 && label < static_cast<int>(classNames.size())
               ? classNames[static_cast<std::size_t>(label)]
               : std::to_string(label);
  };
  Table t;
  t.columns = {{"cluster", "Cluster", false}, {"size", "Size"}};
  for (int l = 0; l < c.classes; ++l) t.columns.push_back({keyFor(name(l)), name(l)});
  t.columns.push_back({"majority", "Majority", false});
  t.columns.push_back({"majority_count", "Majority count"});
  t.columns.push_back({"purity", "Purity"});

  const std::vector<ClusterRow> rows = clusterRows(c);
  std::vector<std::int64_t> classTotals(static_cast<std::size_t>(c.classes), 0);
  std::int64_t points = 0, majoritySum = 0;
  for (const ClusterRow& r : rows) {
    std::vector<Table::Cell> row{integer(r.cluster), integer(r.size)};
    for (int l = 0; l < c.classes; ++l) {
      row.push_back(integer(c.at(r.cluster, l)));
      classTotals[static_cast<std::size_t>(l)] += c.at(r.cluster, l);
    }
    const std::int64_t majority = r.majorityLabel >= 0 ? c.at(r.cluster, r.majorityLabel) : 0;
    row.push_back(r.majorityLabel >= 0 ? text(name(r.majorityLabel)) : none());
    row.push_back(integer(majority));
    row.push_back(r.size > 0 ? metric(r.purity) : none());  // an empty cluster has no purity
    points += r.size;
    majoritySum += majority;
    t.rows.push_back(std::move(row));
  }
  std::vector<Table::Cell> all{text("all"), integer(points)};
  for (std::int64_t n : classTotals) all.push_back(integer(n));
  all.push_back(none());
  all.push_back(integer(majoritySum));
  all.push_back(points > 0 ? metric(static_cast<double>(majoritySum) / static_cast<double>(points)) : none());
  t.rows.push_back(std::move(all));
  return t;
}

std::string toCsv(const Table& t) {
  std::string out;
  for (std::size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + csvField(t.columns[c].key);
  out += '\n';
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csvField(row[c].exact);
    out += '\n';
  }
  return out;
}

std::string toMarkdown(const Table& t) {
  if (t.columns.empty()) return {};
  std::string header = "|", rule = "|";
  for (const auto& col : t.columns) {
    header += " " + markdownCell(col.title) + " |";
    rule += col.numeric ? " ---: |" : " --- |";
  }
  std::string out = header + "\n" + rule + "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + markdownCell(cell.display) + " |";
    out += "\n";
  }
  return out;
}

namespace {
// Code points, not bytes: "–" (n/a) is three bytes and one column.
std::size_t columnsOf(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string padded(const std::string& s, std::size_t width, bool right) {
  const std::string fill(width - std::min(width, columnsOf(s)), ' ');
  return right ? fill + s : s + fill;
}
}  // namespace

std::string toText(const Table& t) {
  std::vector<std::size_t> widths;
  for (const auto& col : t.columns) widths.push_back(columnsOf(col.title));
  for (const auto& row : t.rows)
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], columnsOf(row[c].display));
  auto line = [&](auto cellText) {
    std::string out;
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      out += (c ? "  " : "") + padded(cellText(c), widths[c], t.columns[c].numeric);
    return out + '\n';
  };
  std::string out = line([&](std::size_t c) { return t.columns[c].title; });
  for (const auto& row : t.rows)
    out += line([&](std::size_t c) { return c < row.size() ? row[c].display : std::string(); });
  return out;
}

std::string render(const Table& t, TableFormat format) {
  switch (format) {
    case TableFormat::Csv: return toCsv(t);
    case TableFormat::Markdown: return toMarkdown(t);
    case TableFormat::Text: return toText(t);
  }
  return {};
}

void writeTextFile(const std::string& path, const std::string& text) {
  errno = 0;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (f) f.close();
  if (!f) {
    const int e = errno;
    throw std::runtime_error(path + ": cannot write" +
                             (e ? std::string(" (") + std::strerror(e) + ")" : std::string()));
  }
}

}  // namespace centroid
