// The path the gateway routes is the path the backend serves: every spelling of a path that a
// backend would take for another one is normalised to it, or refused.
#include "http/path_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::http {
namespace {

struct Case {
  std::string input;
  std::string expected;  // empty: refused with 400
};

std::string normalized(const std::string& input, const PathNormalization& options = {}) {
  std::string storage;
  auto result = normalize_path(input, options, storage);
  if (!result) {
    EXPECT_EQ(result.error().status, 400) << input;
    return "";
  }
  return std::string(*result);
}

void expect_all(const std::vector<Case>& cases, const PathNormalization& options = {}) {
  for (const Case& c : cases) EXPECT_EQ(normalized(c.input, options), c.expected) << c.input;
}

TEST(PathNormalizer, NormalPathsAreReturnedUncopied) {
  for (std::string path : {"/", "/a", "/users/42", "/a/b/", "/files/report.pdf", "/a-b_c~d"}) {
    std::string storage;
    auto result = normalize_path(path, {}, storage);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(*result, path);
    EXPECT_EQ(result->data(), path.data()) << path << " was copied";
  }
}

TEST(PathNormalizer, DecodesUnreservedCharactersOnly) {
  expect_all({
      {"/users/%61dmin", "/users/admin"},
      {"/users/%41DMIN", "/users/ADMIN"},
      {"/%7e%2D%5f%2E%30", "/~-_.0"},
      {"/a%20b", "/a%20b"},                      // reserved or unsafe: kept
      {"/a%3ab", "/a%3Ab"},                      // kept, hex upper-cased
      {"/a%3Bb", "/a%3Bb"},                      // an encoded ';' is data, not a parameter
      {"/a%25b", "/a%25b"},                      // a literal '%' stays encoded
      {"/users/%2561dmin", "/users/%2561dmin"},  // double encoding: decoded by no one here
      {"/caf%C3%A9", "/caf%C3%A9"},
  });
}

TEST(PathNormalizer, RemovesDotSegmentsAfterDecoding) {
  expect_all({
      {"/a/./b", "/a/b"},
      {"/a/../b", "/b"},
      {"/a/b/..", "/a/"},
      {"/a/b/.", "/a/b/"},
      {"/..", "/"},
      {"/../../admin", "/admin"},
      {"/pub/%2e%2e/admin", "/admin"},
      {"/pub/%2E%2e/admin", "/admin"},
      {"/pub/.%2e/admin", "/admin"},
      {"/pub/%2e/admin", "/pub/admin"},
      {"/a/.hidden", "/a/.hidden"},
      {"/a/..b", "/a/..b"},
  });
}

TEST(PathNormalizer, MergesSlashesUnlessTold) {
  expect_all({{"//a///b//", "/a/b/"}, {"//", "/"}, {"/a//../b", "/b"}});
  expect_all({{"//a//b", "//a//b"}, {"/a//..", "/a/"}}, {.merge_slashes = false});
}

TEST(PathNormalizer, EscapedSlashesAreRefusedByDefault) {
  expect_all({
      {"/pub/..%2fitems", ""},
      {"/pub/%2e%2e%2fadmin%2fsecret", ""},
      {"/a%2Fb", ""},
      {"/a%5cb", ""},
      {"/a%5C..%5Cb", ""},
  });
}

TEST(PathNormalizer, EscapedSlashesKeptStayEncodedAndAreNoSeparator) {
  expect_all(
      {
          {"/a%2fb", "/a%2Fb"},
          {"/pub/..%2fitems", "/pub/..%2Fitems"},
          {"/a%5cb/../c", "/c"},
      },
      {.escaped_slashes = EscapedSlashes::keep});
}

TEST(PathNormalizer, EscapedSlashesDecodedSeparateSegments) {
  expect_all(
      {
          {"/a%2fb", "/a/b"},
          {"/a%5Cb", "/a/b"},
          {"/pub/..%2fitems", "/items"},
          {"/pub/%2e%2e%2fadmin%2fsecret", "/admin/secret"},
          {"/pub%2f%2f..%2fx", "/x"},
      },
      {.escaped_slashes = EscapedSlashes::decode});
}

TEST(PathNormalizer, PathParametersAreRefusedByDefault) {
  expect_all({{"/users/admin;x", ""}, {"/pub/..;/admin", ""}, {"/a;b/c", ""}, {"/;", ""}});
}

TEST(PathNormalizer, KeptPathParametersNeverHideADotSegment) {
  const PathNormalization keep{.semicolons = Semicolons::keep};
  expect_all({{"/users/admin;x", "/users/admin;x"}, {"/a;v=1/b", "/a;v=1/b"}}, keep);
  expect_all({{"/pub/..;/admin", ""}, {"/pub/.;x/admin", ""}, {"/pub/%2e%2e;/admin", ""}}, keep);
}

TEST(PathNormalizer, RefusesWhatNoLegitimateClientSends) {
  expect_all({
      {"/a%00b", ""},
      {"/users/admin.", ""},
      {"/users/admin%2e", ""},
      {"/a/.../b", ""},
      {"/a%", ""},
      {"/a%4", ""},
      {"/a%zz", ""},
  });
}

TEST(PathNormalizer, LeavesNonPathTargetsAlone) {
  EXPECT_EQ(normalized("*"), "*");
}

TEST(PathNormalizer, NormalFormIsAFixedPoint) {
  // Normalising twice changes nothing: what the gateway forwards, it would route the same way.
  for (const std::string path :
       {"/a/%2e%2e/b%41/./c//", "/x/%7e/%3a", "/p/..%2F..%2Fq", "/m/%2f/n/..", "/a%5c%2e%2e"}) {
    for (const PathNormalization options :
         {PathNormalization{}, PathNormalization{.escaped_slashes = EscapedSlashes::keep},
          PathNormalization{.escaped_slashes = EscapedSlashes::decode}}) {
      std::string first_storage;
      auto first = normalize_path(path, options, first_storage);
      if (!first) continue;
      const std::string once(*first);
      std::string second_storage;
      auto second = normalize_path(once, options, second_storage);
      ASSERT_TRUE(second) << once;
      EXPECT_EQ(*second, once) << path;
    }
  }
}

}  // namespace
}  // namespace gatehouse::http
