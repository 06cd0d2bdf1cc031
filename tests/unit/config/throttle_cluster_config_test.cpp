// throttling.cluster as a user writes it: the defaults, every key, and each mistake at its line
// and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::throttle_cluster_config_test {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A config without APIs; a test's lines start at line 2.
constexpr std::string_view base = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

std::expected<Config, ConfigErrors> load(std::string_view extra) {
  return load_string(std::string(base) + std::string(extra), "gw.yaml");
}

std::vector<std::string> errors_of(std::string_view extra) {
  return printed_errors(load(extra));
}

// The errors of `throttling: {cluster: {redis: {<redis>}}}`, written on line 2 with `redis`'s
// map opening at column 31.
std::vector<std::string> redis_errors_of(std::string_view redis) {
  return errors_of("throttling: {cluster: {redis: {" + std::string(redis) + "}}}\n");
}

TEST(ThrottleClusterConfig, AbsentMeansCountedInThisProcess) {
  auto without_throttling = load("");
  ASSERT_TRUE(without_throttling) << without_throttling.error().front().to_string();
  EXPECT_FALSE(without_throttling->throttling.cluster.has_value());

  auto loaded = load("throttling: {}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_FALSE(loaded->throttling.cluster.has_value());
}

TEST(ThrottleClusterConfig, DefaultsLeaseOnALocalRedisWithTheLocalFallback) {
  auto loaded = load("throttling: {cluster: {}}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottleCluster& cluster = *loaded->throttling.cluster;
  EXPECT_EQ(cluster.mode, ClusterMode::lease);
  EXPECT_EQ(cluster.nodes, 1u);
  EXPECT_EQ(cluster.on_redis_failure, RedisFailure::local);
  EXPECT_EQ(cluster.sync_interval, 100ms);
  EXPECT_DOUBLE_EQ(cluster.lease_slice, 0.05);
  EXPECT_EQ(cluster.location.file, "gw.yaml");
  EXPECT_EQ(cluster.location.line, 2u);
  EXPECT_EQ(cluster.location.column, 23u);

  const redis::Settings& redis = cluster.redis;
  EXPECT_EQ(redis.address, (redis::Address{"127.0.0.1", 6379}));
  EXPECT_THAT(redis.sentinels, IsEmpty());
  EXPECT_EQ(redis.master_name, "");
  EXPECT_EQ(redis.sentinel_password, "");
  EXPECT_EQ(redis.username, "");
  EXPECT_EQ(redis.password, "");
  EXPECT_EQ(redis.db, 0u);
  EXPECT_EQ(redis.command_timeout, 50ms);
  EXPECT_EQ(redis.connect_timeout, 1s);
  EXPECT_EQ(redis.dead_after, 2s);
  EXPECT_EQ(redis.reconnect_min, 100ms);
  EXPECT_EQ(redis.reconnect_max, 5s);
  EXPECT_EQ(redis.max_pending, 10'000u);
}

TEST(ThrottleClusterConfig, EveryKeyIsRead) {
  auto loaded = load(R"(throttling:
  cluster:
    mode: fast
    redis:
      address: "[::1]:6390"
      username: gw
      password: secret
      db: 3
      command_timeout: 20ms
      connect_timeout: 2s
      dead_after: 3s
      reconnect_min: 50ms
      reconnect_max: 1s
      max_pending: 500
    nodes: 4
    on_redis_failure: closed
    sync_interval: 250ms
    lease_slice: 0.2
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottleCluster& cluster = *loaded->throttling.cluster;
  EXPECT_EQ(cluster.mode, ClusterMode::fast);
  EXPECT_EQ(cluster.redis.address, (redis::Address{"::1", 6390}));
  EXPECT_EQ(cluster.redis.username, "gw");
  EXPECT_EQ(cluster.redis.password, "secret");
  EXPECT_EQ(cluster.redis.db, 3u);
  EXPECT_EQ(cluster.redis.command_timeout, 20ms);
  EXPECT_EQ(cluster.redis.connect_timeout, 2s);
  EXPECT_EQ(cluster.redis.dead_after, 3s);
  EXPECT_EQ(cluster.redis.reconnect_min, 50ms);
  EXPECT_EQ(cluster.redis.reconnect_max, 1s);
  EXPECT_EQ(cluster.redis.max_pending, 500u);
  EXPECT_EQ(cluster.nodes, 4u);
  EXPECT_EQ(cluster.on_redis_failure, RedisFailure::closed);
  EXPECT_EQ(cluster.sync_interval, 250ms);
  EXPECT_DOUBLE_EQ(cluster.lease_slice, 0.2);
  EXPECT_EQ(cluster.location.line, 4u);  // the map under `cluster:`, at its first key
  EXPECT_EQ(cluster.location.column, 5u);
}

TEST(ThrottleClusterConfig, EachModeAndFallbackByName) {
  for (const auto& [name, mode] :
       {std::pair{"exact", ClusterMode::exact}, std::pair{"lease", ClusterMode::lease},
        std::pair{"fast", ClusterMode::fast}}) {
    auto loaded = load("throttling: {cluster: {mode: " + std::string(name) + "}}\n");
    ASSERT_TRUE(loaded) << loaded.error().front().to_string();
    EXPECT_EQ(loaded->throttling.cluster->mode, mode) << name;
  }
  for (const auto& [name, failure] :
       {std::pair{"local", RedisFailure::local}, std::pair{"open", RedisFailure::open},
        std::pair{"closed", RedisFailure::closed}}) {
    auto loaded = load("throttling: {cluster: {on_redis_failure: " + std::string(name) + "}}\n");
    ASSERT_TRUE(loaded) << loaded.error().front().to_string();
    EXPECT_EQ(loaded->throttling.cluster->on_redis_failure, failure) << name;
  }
}

TEST(ThrottleClusterConfig, TheBoundsOfEachRangeAreAccepted) {
  auto least = load(R"(throttling:
  cluster:
    redis: {db: 0, command_timeout: 1ms, connect_timeout: 1ms, dead_after: 2ms,
            reconnect_min: 1ms, reconnect_max: 1ms, max_pending: 1}
    nodes: 1
    sync_interval: 10ms
    lease_slice: 0.000001
)");
  ASSERT_TRUE(least) << least.error().front().to_string();
  EXPECT_EQ(least->throttling.cluster->redis.reconnect_max, 1ms);
  EXPECT_DOUBLE_EQ(least->throttling.cluster->lease_slice, 0.000001);

  auto most = load(R"(throttling:
  cluster:
    redis: {db: 2147483647, command_timeout: 10s, connect_timeout: 60s, dead_after: 10m,
            reconnect_min: 1m, reconnect_max: 10m, max_pending: 1000000}
    nodes: 1024
    sync_interval: 10s
    lease_slice: 1
)");
  ASSERT_TRUE(most) << most.error().front().to_string();
  const ThrottleCluster& cluster = *most->throttling.cluster;
  EXPECT_EQ(cluster.redis.db, 2'147'483'647u);
  EXPECT_EQ(cluster.redis.connect_timeout, 60s);
  EXPECT_EQ(cluster.redis.dead_after, 600s);
  EXPECT_EQ(cluster.redis.max_pending, 1'000'000u);
  EXPECT_EQ(cluster.nodes, 1024u);
  EXPECT_EQ(cluster.sync_interval, 10s);
  EXPECT_DOUBLE_EQ(cluster.lease_slice, 1.0);
}

TEST(ThrottleClusterConfig, AnAddressWithoutAPortIsOnRedisPort) {
  auto named = load("throttling: {cluster: {redis: {address: redis.internal}}}\n");
  ASSERT_TRUE(named) << named.error().front().to_string();
  EXPECT_EQ(named->throttling.cluster->redis.address, (redis::Address{"redis.internal", 6379}));

  auto v6 = load("throttling: {cluster: {redis: {address: \"[2001:db8::5]\"}}}\n");
  ASSERT_TRUE(v6) << v6.error().front().to_string();
  EXPECT_EQ(v6->throttling.cluster->redis.address, (redis::Address{"2001:db8::5", 6379}));
}

TEST(ThrottleClusterConfig, SentinelsWithTheirMasterName) {
  auto loaded = load(R"(throttling:
  cluster:
    redis: {sentinels: ["10.0.0.6:26380", "10.0.0.7", "[fd00::8]:26390", "[fd00::9]"],
            master_name: counts, sentinel_password: s}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const redis::Settings& redis = loaded->throttling.cluster->redis;
  EXPECT_THAT(redis.sentinels,
              ElementsAre(redis::Address{"10.0.0.6", 26380}, redis::Address{"10.0.0.7", 26379},
                          redis::Address{"fd00::8", 26390}, redis::Address{"fd00::9", 26379}));
  EXPECT_EQ(redis.master_name, "counts");
  EXPECT_EQ(redis.sentinel_password, "s");
}

TEST(ThrottleClusterConfig, MistakesAtTheirLineAndColumn) {
  EXPECT_THAT(errors_of(R"(throttling:
  cluster:
    mode: quick
    nodes: 0
    on_redis_failure: maybe
    sync_interval: 5ms
    lease_slice: 0
    extra: 1
)"),
              ElementsAre("gw.yaml:4:11: 'mode' must be one of exact, lease, fast, got 'quick'",
                          "gw.yaml:5:12: 'nodes' must be an integer from 1 to 1024, got '0'",
                          "gw.yaml:6:23: 'on_redis_failure' must be one of local, open, closed, "
                          "got 'maybe'",
                          "gw.yaml:7:20: 'sync_interval' must be from 10ms to 10s, got '5ms'",
                          "gw.yaml:8:18: 'lease_slice' must be a number more than 0 and at most "
                          "1, got '0'",
                          "gw.yaml:9:5: unknown key 'extra' in throttling.cluster"));
  EXPECT_THAT(errors_of(R"(throttling:
  cluster:
    mode: [lease]
    nodes: 1025
    sync_interval: 11s
    lease_slice: 1.5
    sync_intervall: 1s
)"),
              ElementsAre("gw.yaml:4:11: 'mode' must be one of exact, lease, fast, got a list",
                          "gw.yaml:5:12: 'nodes' must be an integer from 1 to 1024, got '1025'",
                          "gw.yaml:6:20: 'sync_interval' must be from 10ms to 10s, got '11s'",
                          "gw.yaml:7:18: 'lease_slice' must be a number more than 0 and at most "
                          "1, got '1.5'",
                          "gw.yaml:8:5: unknown key 'sync_intervall' in throttling.cluster (did "
                          "you mean 'sync_interval'?)"));
  EXPECT_THAT(errors_of("throttling: {cluster: {lease_slice: -0.1, sync_interval: fast}}\n"),
              ElementsAre("gw.yaml:2:37: 'lease_slice' must be a number more than 0 and at most "
                          "1, got '-0.1'",
                          "gw.yaml:2:58: 'sync_interval' must be a duration like 500ms, 5s or "
                          "2m, got 'fast'"));
}

TEST(ThrottleClusterConfig, TheSectionAndItsRedisMustBeMaps) {
  EXPECT_THAT(errors_of("throttling: {cluster: [lease]}\n"),
              ElementsAre("gw.yaml:2:23: throttling.cluster must be a map, got a list"));
  EXPECT_THAT(errors_of("throttling:\n  cluster:\n"),
              ElementsAre("gw.yaml:3:3: 'cluster' has no value"));
  EXPECT_THAT(errors_of("throttling: {cluster: {redis: 127.0.0.1:6379}}\n"),
              ElementsAre("gw.yaml:2:31: throttling.cluster.redis must be a map, got "
                          "'127.0.0.1:6379'"));
}

TEST(ThrottleClusterConfig, RedisValueMistakesAtTheirValue) {
  EXPECT_THAT(redis_errors_of("address: \"::1\""),
              ElementsAre("gw.yaml:2:41: 'address' must write an IPv6 address in brackets, "
                          "like [::1]:8280, got '::1'"));
  EXPECT_THAT(redis_errors_of("address: \"a b\""),
              ElementsAre("gw.yaml:2:41: 'address' must be host, host:port, [ipv6] or "
                          "[ipv6]:port, got 'a b'"));
  EXPECT_THAT(redis_errors_of("address: \"h:0\""),
              ElementsAre("gw.yaml:2:41: 'address' must have a port from 1 to 65535, got 'h:0'"));
  EXPECT_THAT(redis_errors_of("address: \"[::1]:65536\""),
              ElementsAre("gw.yaml:2:41: 'address' must have a port from 1 to 65535, got "
                          "'[::1]:65536'"));
  EXPECT_THAT(redis_errors_of("db: -1, max_pending: 0"),
              ElementsAre("gw.yaml:2:36: 'db' must be an integer from 0 to 2147483647, got '-1'",
                          "gw.yaml:2:53: 'max_pending' must be an integer from 1 to 1000000, got "
                          "'0'"));
  EXPECT_THAT(redis_errors_of("db: 2147483648, max_pending: 1000001"),
              ElementsAre("gw.yaml:2:36: 'db' must be an integer from 0 to 2147483647, got "
                          "'2147483648'",
                          "gw.yaml:2:61: 'max_pending' must be an integer from 1 to 1000000, got "
                          "'1000001'"));
  EXPECT_THAT(redis_errors_of("command_timeout: 11s, connect_timeout: 61s"),
              ElementsAre("gw.yaml:2:49: 'command_timeout' must be from 1ms to 10s, got '11s'",
                          "gw.yaml:2:71: 'connect_timeout' must be from 1ms to 60s, got '61s'"));
  EXPECT_THAT(redis_errors_of("dead_after: 11m, reconnect_min: 0ms, reconnect_max: 2h"),
              ElementsAre("gw.yaml:2:44: 'dead_after' must be from 1ms to 600s, got '11m'",
                          "gw.yaml:2:64: 'reconnect_min' must be greater than 0, got '0ms'",
                          "gw.yaml:2:84: 'reconnect_max' must be from 1ms to 600s, got '2h'"));
  EXPECT_THAT(redis_errors_of("command_timeout: soon"),
              ElementsAre("gw.yaml:2:49: 'command_timeout' must be a duration like 500ms, 5s or "
                          "2m, got 'soon'"));
  EXPECT_THAT(redis_errors_of("username: [gw], password: secret"),
              ElementsAre("gw.yaml:2:42: 'username' must be a string, got a list"));
  EXPECT_THAT(redis_errors_of("passwrd: secret"),
              ElementsAre("gw.yaml:2:32: unknown key 'passwrd' in throttling.cluster.redis (did "
                          "you mean 'password'?)"));
}

TEST(ThrottleClusterConfig, SentinelMistakesAtTheirValue) {
  EXPECT_THAT(redis_errors_of("sentinels: [], master_name: m"),
              ElementsAre("gw.yaml:2:43: 'sentinels' must not be empty, got an empty list"));
  EXPECT_THAT(redis_errors_of("sentinels: \"10.0.0.6:26379\", master_name: m"),
              ElementsAre("gw.yaml:2:43: 'sentinels' must be a list, got '10.0.0.6:26379'"));
  EXPECT_THAT(redis_errors_of("sentinels: [\"10.0.0.6:26379\", \"10.0.0.7:0\"], master_name: m"),
              ElementsAre("gw.yaml:2:62: 'sentinels' must have a port from 1 to 65535, got "
                          "'10.0.0.7:0'"));
}

TEST(ThrottleClusterConfig, AddressOrSentinelsNotBoth) {
  EXPECT_THAT(redis_errors_of("address: \"127.0.0.1:6379\", sentinels: [\"127.0.0.1:26379\"], "
                              "master_name: m"),
              ElementsAre("gw.yaml:2:32: write either 'address' (one server) or 'sentinels' with "
                          "'master_name', not both"));
}

TEST(ThrottleClusterConfig, SentinelsAndMasterNameGoTogether) {
  EXPECT_THAT(redis_errors_of("sentinels: [\"127.0.0.1:26379\"]"),
              ElementsAre("gw.yaml:2:32: 'sentinels' needs 'master_name'"));
  EXPECT_THAT(redis_errors_of("master_name: m"),
              ElementsAre("gw.yaml:2:32: 'master_name' needs 'sentinels'"));
  EXPECT_THAT(redis_errors_of("address: \"10.0.0.5:6379\", sentinel_password: s"),
              ElementsAre("gw.yaml:2:58: 'sentinel_password' needs 'sentinels'"));
  EXPECT_THAT(redis_errors_of("sentinels: [\"127.0.0.1:26379\"], master_name: \"\""),
              ElementsAre("gw.yaml:2:77: 'master_name' must not be empty, got ''"));
}

TEST(ThrottleClusterConfig, AUsernameNeedsAPassword) {
  EXPECT_THAT(redis_errors_of("username: gw"),
              ElementsAre("gw.yaml:2:32: 'username' needs a 'password'"));
}

TEST(ThrottleClusterConfig, DeadAfterMustBeLongerThanTheCommandTimeout) {
  // At the value written, naming the other's value.
  EXPECT_THAT(redis_errors_of("command_timeout: 3s, dead_after: 2s"),
              ElementsAre("gw.yaml:2:65: 'dead_after' must be longer than 'command_timeout' "
                          "(3s), got '2s'"));
  EXPECT_THAT(redis_errors_of("dead_after: 50ms"),
              ElementsAre("gw.yaml:2:44: 'dead_after' must be longer than 'command_timeout' "
                          "(50ms), got '50ms'"));
  EXPECT_THAT(redis_errors_of("command_timeout: 2s"),
              ElementsAre("gw.yaml:2:49: 'command_timeout' must be shorter than 'dead_after' "
                          "(2s by default), got '2s'"));
  // A value already wrong is reported once, not again against the other key.
  EXPECT_THAT(redis_errors_of("command_timeout: 20s"),
              ElementsAre("gw.yaml:2:49: 'command_timeout' must be from 1ms to 10s, got '20s'"));
}

TEST(ThrottleClusterConfig, ReconnectMaxMustNotBeShorterThanReconnectMin) {
  EXPECT_THAT(redis_errors_of("reconnect_min: 2s, reconnect_max: 1s"),
              ElementsAre("gw.yaml:2:66: 'reconnect_max' must not be shorter than "
                          "'reconnect_min' (2s), got '1s'"));
  EXPECT_THAT(redis_errors_of("reconnect_min: 6s"),
              ElementsAre("gw.yaml:2:47: 'reconnect_min' must not be longer than "
                          "'reconnect_max' (5s by default), got '6s'"));
  EXPECT_THAT(redis_errors_of("reconnect_min: 1s, reconnect_max: 1s"), IsEmpty());
}

}  // namespace
}  // namespace gatehouse::config::throttle_cluster_config_test
