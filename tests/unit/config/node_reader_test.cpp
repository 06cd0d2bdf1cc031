// The typed node reader as a policy factory uses it: values, defaults, and located errors.
#include "config/node_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gatehouse::config {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

Node parse(const std::string& yaml) {
  return parse_yaml(yaml, "policy.yaml");
}

std::vector<std::string> printed(const ConfigErrors& errors) {
  std::vector<std::string> lines;
  for (const ConfigError& error : errors) lines.push_back(error.to_string());
  return lines;
}

enum class Mode { strict, lenient };

TEST(MapReader, ReadsTypedFieldsAndKeepsDefaultsOfAbsentKeys) {
  const Node node = parse(
      "type: cache\nname: c1\nttl: 2s\nsize: 1MiB\nenabled: true\nretries: 3\nratio: 0.25\n"
      "mode: lenient\nhosts: [a, b]\n");
  ConfigErrors errors;
  MapReader map(node, "cache policy", errors);
  map.allow("type");
  std::string name;
  Millis ttl{1'000}, idle{7'000};
  uint64_t size = 0;
  bool enabled = false;
  int retries = 0;
  double ratio = 0;
  Mode mode = Mode::strict;
  std::vector<std::string> hosts;
  EXPECT_TRUE(map.read_string("name", name, Presence::required));
  EXPECT_TRUE(map.read_duration("ttl", ttl));
  EXPECT_FALSE(map.read_duration("idle", idle));
  EXPECT_TRUE(map.read_size("size", size));
  EXPECT_TRUE(map.read_bool("enabled", enabled));
  EXPECT_TRUE(map.read_integer("retries", retries, 0, 10));
  EXPECT_TRUE(map.read_number("ratio", ratio, 0.0, 1.0));
  EXPECT_TRUE(
      map.read_choice("mode", mode, {{"strict", Mode::strict}, {"lenient", Mode::lenient}}));
  EXPECT_TRUE(map.read_string_list("hosts", hosts));
  map.finish();
  EXPECT_THAT(printed(errors), ElementsAre());
  EXPECT_EQ(name, "c1");
  EXPECT_EQ(ttl, 2s);
  EXPECT_EQ(idle, 7s);
  EXPECT_EQ(size, 1u << 20);
  EXPECT_TRUE(enabled);
  EXPECT_EQ(retries, 3);
  EXPECT_EQ(ratio, 0.25);
  EXPECT_EQ(mode, Mode::lenient);
  EXPECT_THAT(hosts, ElementsAre("a", "b"));
}

TEST(MapReader, ReportsEveryProblemAtItsPlace) {
  const Node node = parse("type: cache\nttl: 0\nretries: -1\nmode: loose\nnmae: x\nsize: 8GiB\n");
  ConfigErrors errors;
  MapReader map(node, "cache policy", errors);
  map.allow("type");
  std::string name = "default";
  Millis ttl{1'000};
  int retries = 0;
  Mode mode = Mode::strict;
  uint32_t size = 0;
  EXPECT_FALSE(map.read_string("name", name, Presence::required));
  EXPECT_FALSE(map.read_duration("ttl", ttl));
  EXPECT_FALSE(map.read_integer("retries", retries, 0, 10));
  EXPECT_FALSE(
      map.read_choice("mode", mode, {{"strict", Mode::strict}, {"lenient", Mode::lenient}}));
  EXPECT_FALSE(map.read_size("size", size));
  map.finish();
  // In file order, whatever order they were found in.
  EXPECT_THAT(
      printed(errors),
      ElementsAre("policy.yaml:1:1: missing key 'name' in cache policy",
                  "policy.yaml:2:6: 'ttl' must be greater than 0, got '0'",
                  "policy.yaml:3:10: 'retries' must be an integer from 0 to 10, got '-1'",
                  "policy.yaml:4:7: 'mode' must be one of strict, lenient, got 'loose'",
                  "policy.yaml:5:1: unknown key 'nmae' in cache policy (did you mean 'name'?)",
                  "policy.yaml:6:7: 'size' must be at most 4294967295 bytes, got '8GiB'"));
  // Values stay as they were when their key is wrong.
  EXPECT_EQ(name, "default");
  EXPECT_EQ(ttl, 1s);
  EXPECT_EQ(mode, Mode::strict);
}

TEST(MapReader, NotAMapIsOneError) {
  const Node node = parse("[a, b]");
  ConfigErrors errors;
  MapReader map(node, "cors policy", errors);
  std::string name;
  EXPECT_FALSE(map.read_string("name", name, Presence::required));
  map.finish();
  EXPECT_THAT(printed(errors),
              ElementsAre("policy.yaml:1:1: cors policy must be a map, got a list"));
}

TEST(NodeReader, StringMapKeepsOrderAndRejectsRepeatsAndNonStrings) {
  ConfigErrors errors;
  const auto headers = read_string_map(parse("{X-B: '2', X-A: one}"), "set", errors);
  ASSERT_TRUE(headers);
  EXPECT_THAT(*headers, ElementsAre(std::pair<std::string, std::string>{"X-B", "2"},
                                    std::pair<std::string, std::string>{"X-A", "one"}));
  EXPECT_FALSE(read_string_map(parse("X-A: 1\nX-B: [x]\nX-A: 2\n"), "set", errors));
  EXPECT_THAT(printed(errors), ElementsAre("policy.yaml:2:6: 'X-B' must be a string, got a list",
                                           "policy.yaml:3:1: duplicate key 'X-A' in 'set'"));
}

TEST(NodeReader, ValueErrorUsesTheReadersWording) {
  const Node node = parse("pattern: '(('");
  const Node value = node.value(0);
  EXPECT_EQ(value_error(value, "pattern", "must be a regular expression").to_string(),
            "policy.yaml:1:10: 'pattern' must be a regular expression, got '(('");
}

TEST(NodeReader, BooleansAreOnlyTrueAndFalse) {
  ConfigErrors errors;
  EXPECT_EQ(read_bool(parse("false"), "on", errors), false);
  EXPECT_FALSE(read_bool(parse("yes"), "on", errors));
  EXPECT_THAT(printed(errors),
              ElementsAre("policy.yaml:1:1: 'on' must be true or false, got 'yes'"));
}

}  // namespace
}  // namespace gatehouse::config
