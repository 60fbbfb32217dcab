// core/metrics/Tables: the one writer of every table (files and the terminal).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/metrics/Tables.h"

namespace centroid {
namespace {

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t codePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Table sampleMetrics() {
  EpochSummary e1{1, 0.8125, 2.0, {0.31, 0.29, 0.19, 0.13, 0.28, 10}};
  EpochSummary e2{2, 4e34, 2.0, {0.5, 0.4, 0.3, 0.2, 0.35, 9}};
  BaselineRow pixels{"k-means on pixels", {0.6, 0.55, 0.48, 0.36, 0.53, 10}};
  return metricsTable({e1, e2}, {pixels}, "k-means loss");
}

TEST(Tables, TextRowsAreAsWideAsTheHeaderAndNumbersAlignRight) {
  const std::vector<std::string> lines = splitLines(toText(sampleMetrics()));
  ASSERT_EQ(lines.size(), 4u);  // header, two epochs, one baseline
  EXPECT_EQ(lines[0].rfind("Method", 0), 0u) << lines[0];
  for (const std::string& line : lines) EXPECT_EQ(codePoints(line), codePoints(lines[0])) << line;
  // The baseline has no epoch or loss: "–" (three bytes, one column) keeps the row aligned.
  EXPECT_NE(lines[3].find("k-means on pixels"), std::string::npos);
  EXPECT_NE(lines[3].find("–"), std::string::npos);
  // Numbers end where their titles end.
  const std::size_t accEnd = lines[0].find("ACC") + 3;
  const std::size_t bytesBefore = lines[1].size() - codePoints(lines[1]);  // no multi-byte text in row 1
  EXPECT_EQ(bytesBefore, 0u);
  EXPECT_EQ(lines[1].substr(accEnd - 5, 5), "0.280") << lines[1];
  EXPECT_NE(lines[2].find("4e+34"), std::string::npos) << "a huge loss in readable notation: " << lines[2];
}

TEST(Tables, TextIsTheSameTableAsCsvAndMarkdown) {
  const Table t = sampleMetrics();
  const std::vector<std::string> text = splitLines(render(t, TableFormat::Text));
  const std::vector<std::string> csv = splitLines(render(t, TableFormat::Csv));
  const std::vector<std::string> md = splitLines(render(t, TableFormat::Markdown));
  EXPECT_EQ(text.size(), csv.size());
  EXPECT_EQ(md.size(), csv.size() + 1);  // Markdown's rule line
  EXPECT_EQ(csv[0], "method,epoch,loss,seed_purity,purity,nmi,ari,accuracy,non_empty_clusters");
  EXPECT_EQ(csv[1], "k-means loss,1,0.8125,0.31,0.29,0.19,0.13,0.28,10");
  for (const char* title : {"Seed purity", "NMI", "ARI", "ACC", "Non-empty clusters"}) {
    EXPECT_NE(text[0].find(title), std::string::npos) << title;
    EXPECT_NE(md[0].find(title), std::string::npos) << title;
  }
}

TEST(Tables, TextOfAClusterTableLeftAlignsNames) {
  Contingency c;
  c.clusters = 2;
  c.classes = 2;
  c.counts = {3, 1, 0, 4};
  const std::vector<std::string> lines = splitLines(toText(clusterTable(c, {"T-shirt/top", "Trouser"})));
  ASSERT_EQ(lines.size(), 4u);  // header, two clusters, "all"
  for (const std::string& line : lines) EXPECT_EQ(codePoints(line), codePoints(lines[0])) << line;
  EXPECT_EQ(lines[3].rfind("all ", 0), 0u) << lines[3];
  EXPECT_NE(lines[1].find("T-shirt/top"), std::string::npos) << lines[1];
}

TEST(Tables, FileFormatsComeFromTheExtensionOnly) {
  TableFormat f = TableFormat::Text;
  EXPECT_TRUE(tableFormatForPath("a/b.CSV", f));
  EXPECT_EQ(f, TableFormat::Csv);
  EXPECT_TRUE(tableFormatForPath("b.markdown", f));
  EXPECT_EQ(f, TableFormat::Markdown);
  EXPECT_FALSE(tableFormatForPath("b.txt", f));
  EXPECT_FALSE(tableFormatForPath("dir.csv/file", f));
}

}  // namespace
}  // namespace centroid
