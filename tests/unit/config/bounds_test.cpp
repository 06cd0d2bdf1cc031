// What a huge or hostile file costs: every repeat reported once, naming the first, errors capped,
// aliases that would expand a small file into billions of values refused, and a size limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/node.h"

namespace gatehouse::config::bounds_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view listener_line = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

ConfigErrors errors_of(std::string_view yaml) {
  auto loaded = load_string(yaml, "gw.yaml");
  if (loaded) return {};
  return loaded.error();
}

// An API whose resources are `copies` times the same GET /x, from line 8 on.
std::string repeated_resources(size_t copies) {
  std::string yaml(listener_line);
  yaml += "apis:\n  - name: A\n    version: v1\n    context: /a\n";
  yaml += "    endpoints: {production: ['http://127.0.0.1:9000']}\n    resources:\n";
  for (size_t i = 0; i < copies; ++i) yaml += "      - {method: GET, path: /x}\n";
  return yaml;
}

TEST(ConfigBounds, EachRepeatIsReportedOnceNamingTheFirstAndTheReportIsCapped) {
  const ConfigErrors errors = errors_of(repeated_resources(2'000));
  // One error per copy after the first, not one per pair of copies (2 million before).
  EXPECT_EQ(errors.total(), 1'999u);
  ASSERT_EQ(errors.size(), ConfigErrors::kMaxKept);
  EXPECT_EQ(errors.omitted(), 1'899u);
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].to_string(), "gw.yaml:" + std::to_string(9 + i) +
                                         ":9: resource GET /x is already defined at line 8");
  }
  const std::vector<std::string> report = errors.report();
  ASSERT_EQ(report.size(), 101u);
  EXPECT_EQ(report.back(), "gw.yaml: ... and 1899 more errors (only the first 100 are shown)");
}

TEST(ConfigBounds, TheErrorsKeptAreTheFirstOfTheFileWhateverOrderTheyAreFoundIn) {
  ConfigErrors errors;
  for (int line = 300; line >= 1; --line) errors.push_back({{"f", line, 1}, "e"});
  EXPECT_EQ(errors.total(), 300u);
  ASSERT_EQ(errors.size(), 100u);
  EXPECT_EQ(errors.front().location.line, 1);
  EXPECT_EQ(errors[99].location.line, 100);
}

TEST(ConfigBounds, RepeatsOfEveryNamedItemNameTheFirst) {
  const std::string api =
      "    endpoints: {production: ['http://127.0.0.1:9000']}\n"
      "    resources: [{method: GET, path: /x}]\n";
  const ConfigErrors errors = errors_of(
      "listeners:\n"
      "  - {name: a, address: 127.0.0.1:1}\n"
      "  - {name: a, address: 127.0.0.1:2}\n"
      "  - {name: a, address: 127.0.0.1:1}\n"
      "apis:\n"
      "  - name: A\n    version: v1\n    context: /a\n" +
      api + "  - name: A\n    version: v1\n    context: /b\n" + api +
      "  - name: A\n    version: v1\n    context: /c\n" + api +
      "users:\n"
      "  - {name: u, password_hash: "
      "'$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq'}\n"
      "  - {name: u, password_hash: "
      "'$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq'}\n"
      "  - {name: u, password_hash: "
      "'$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq'}\n"
      "roles: {r: [a], r: [b], r: [c]}\n"
      "key_managers:\n"
      "  - {name: k, issuer: i, jwks_uri: 'https://idp/jwks'}\n"
      "  - {name: k, issuer: j, jwks_uri: 'https://idp/jwks'}\n"
      "  - {name: l, issuer: i, jwks_uri: 'https://idp/jwks'}\n");
  std::vector<std::string> printed;
  for (const ConfigError& error : errors) printed.push_back(error.to_string());
  EXPECT_THAT(printed,
              ElementsAre("gw.yaml:3:5: listener name 'a' is already used at line 2",
                          "gw.yaml:4:5: listener name 'a' is already used at line 2",
                          "gw.yaml:4:5: address 127.0.0.1:1 is already used by listener 'a'",
                          "gw.yaml:11:5: API 'A' version v1 is already defined at line 6",
                          "gw.yaml:16:5: API 'A' version v1 is already defined at line 6",
                          "gw.yaml:23:5: user 'u' is already defined at line 22",
                          "gw.yaml:24:5: user 'u' is already defined at line 22",
                          "gw.yaml:25:17: role 'r' is already defined at line 25",
                          "gw.yaml:25:25: role 'r' is already defined at line 25",
                          "gw.yaml:28:5: key manager 'k' is already defined at line 27",
                          "gw.yaml:29:5: issuer 'i' already belongs to key manager 'k'"));
}

TEST(ConfigBounds, AMethodListedTwiceAndASchemeListedTwiceAreReportedOnce) {
  const ConfigErrors errors = errors_of(
      std::string(listener_line) +
      "apis:\n  - name: A\n    version: v1\n    context: /a\n"
      "    endpoints: {production: ['http://127.0.0.1:9000']}\n"
      "    security: {schemes: [mutual_tls, mutual_tls], mutual_tls: {certificates: []}}\n"
      "    resources: [{methods: [GET, GET, POST], path: /x}]\n");
  std::vector<std::string> printed;
  for (const ConfigError& error : errors) printed.push_back(error.to_string());
  EXPECT_THAT(printed, ::testing::Contains(
                           "gw.yaml:7:38: 'schemes' lists a scheme twice, got 'mutual_tls'"));
  EXPECT_THAT(printed,
              ::testing::Contains("gw.yaml:8:33: 'methods' lists a method twice, got 'GET'"));
}

TEST(ConfigBounds, APolicyListIsBounded) {
  std::string yaml(listener_line);
  yaml += "apis:\n  - name: A\n    version: v1\n    context: /a\n";
  yaml += "    endpoints: {production: ['http://127.0.0.1:9000']}\n";
  yaml += "    resources: [{method: GET, path: /x}]\n    policies:\n";
  for (int i = 0; i < 65; ++i) yaml += "      - {type: cors, allow_origins: ['*']}\n";
  const ConfigErrors errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(),
            "gw.yaml:9:7: 'policies' must list at most 64 policies, got a list");
}

TEST(ConfigBounds, AliasesThatWouldExpandTheFileBeyondTheLimitAreRefused) {
  // 30 lines that stand for 2^30 values: each line names the previous one twice.
  std::string yaml(listener_line);
  yaml += "a0: &a0 [x, x]\n";
  for (int i = 1; i < 30; ++i) {
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + "]\n";
  }
  const ConfigErrors errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].to_string(),
              StartsWith("gw.yaml:19:18:"));  // where the expansion passes a million values
  EXPECT_THAT(errors[0].message,
              HasSubstr("with its aliases expanded the file would hold more than 1000000 values"));
}

TEST(ConfigBounds, AFewAliasesAreFine) {
  const auto loaded = load_string(std::string(listener_line) +
                                      "apis:\n"
                                      "  - name: A\n    version: v1\n    context: /a\n"
                                      "    endpoints: &backends {production: ['http://b:1']}\n"
                                      "    resources: [{method: GET, path: /x}]\n"
                                      "  - name: B\n    version: v1\n    context: /b\n"
                                      "    endpoints: *backends\n"
                                      "    resources: [{method: GET, path: /x}]\n",
                                  "gw.yaml");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_EQ(loaded->apis[1].endpoints.production.at(0).url, "http://b:1");
}

TEST(ConfigBounds, AnAliasInsideTheNodeItNamesIsRefused) {
  const ConfigErrors errors = errors_of(std::string(listener_line) + "x: &loop [a, *loop]\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(), "gw.yaml:2:14: an alias must not be inside the node it names");
}

TEST(ConfigBounds, AFileOverTheSizeLimitIsRefusedBeforeParsing) {
  std::string yaml(listener_line);
  yaml.append(max_config_bytes, '#');
  const ConfigErrors errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(),
            "gw.yaml:0:0: the file is too large: " + std::to_string(yaml.size()) +
                " bytes, over the 16777216 (16 MiB) a configuration file "
                "may hold");
}

TEST(ConfigBounds, TheCompactTreeKeepsWhatYamlSays) {
  const Node root = parse_yaml(
      "a: [1, 'two', ~, {b: c}]\n"
      "empty:\n"
      "\"quoted null\": 'null'\n",
      "t.yaml");
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.size(), 3u);
  const Node list = root.value(0);
  ASSERT_TRUE(list.is_sequence());
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list.item(0).scalar(), "1");
  EXPECT_EQ(list.item(1).scalar(), "two");
  EXPECT_TRUE(list.item(2).is_null());
  EXPECT_EQ(list.item(3).key(0).scalar(), "b");
  EXPECT_EQ(list.item(3).value(0).scalar(), "c");
  EXPECT_EQ(list.item(3).location().line, 1);
  EXPECT_EQ(list.item(3).location().column, 18);
  EXPECT_TRUE(root.value(1).is_null());
  EXPECT_EQ(root.key(2).scalar(), "quoted null");
  EXPECT_TRUE(root.value(2).is_scalar());
  EXPECT_TRUE(parse_yaml("", "t.yaml").is_null());
  EXPECT_TRUE(parse_yaml("# only a comment\n", "t.yaml").is_null());
}

}  // namespace
}  // namespace gatehouse::config::bounds_test
