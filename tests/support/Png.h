// A PNG written by the programs under test: the signature, and more bytes than an empty image.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace centroid::proc {

inline void expectPng(const std::filesystem::path& p, std::uintmax_t minBytes) {
  ASSERT_TRUE(std::filesystem::exists(p)) << p;
  std::ifstream in(p, std::ios::binary);
  char head[4] = {};
  in.read(head, 4);
  EXPECT_EQ(std::string(head + 1, 3), "PNG") << p;
  EXPECT_GT(std::filesystem::file_size(p), minBytes) << p;
}

}  // namespace centroid::proc
