// throttling.cluster as a user writes it: the defaults, every key, and each mistake at its line
// and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace gatehouse::config::throttle_cluster_config_test {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

// A config without APIs; a test's lines start at line 2.
constexpr std::string_view base = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

std::expected<Config, ConfigErrors> load(std::string_view extra) {
  return load_string(std::string(base) + std::string(extra), "gw.yaml");
}

std::vector<std::string> errors_of(std::string_view extra) {
  auto loaded = load(extra);
  if (loaded) return {};
  std::vector<std::string> printed;
  for (const ConfigError& error : loaded.error()) printed.push_back(error.to_string());
  return printed;
}

TEST(ThrottleClusterConfig, AbsentMeansCountedInThisProcess) {
  auto loaded = load("throttling: {}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_FALSE(loaded->throttling.cluster.has_value());
}

TEST(ThrottleClusterConfig, DefaultsLeaseOnALocalRedisWithTheLocalFallback) {
  auto loaded = load("throttling: {cluster: {}}\n");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottleCluster& cluster = *loaded->throttling.cluster;
  EXPECT_EQ(cluster.mode, ClusterMode::lease);
  EXPECT_EQ(cluster.redis.address, (redis::Address{"127.0.0.1", 6379}));
  EXPECT_TRUE(cluster.redis.sentinels.empty());
  EXPECT_EQ(cluster.redis.command_timeout, 50ms);
  EXPECT_EQ(cluster.nodes, 1u);
  EXPECT_EQ(cluster.on_redis_failure, RedisFailure::local);
  EXPECT_EQ(cluster.sync_interval, 100ms);
  EXPECT_DOUBLE_EQ(cluster.lease_slice, 0.05);
  EXPECT_EQ(cluster.location.line, 2u);
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
}

TEST(ThrottleClusterConfig, SentinelsWithTheirMasterName) {
  auto loaded = load(R"(throttling:
  cluster:
    redis: {sentinels: ["10.0.0.6:26379", "10.0.0.7:26379"], master_name: counts,
            sentinel_password: s}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const redis::Settings& redis = loaded->throttling.cluster->redis;
  EXPECT_THAT(redis.sentinels,
              ElementsAre(redis::Address{"10.0.0.6", 26379}, redis::Address{"10.0.0.7", 26379}));
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
                          "gw.yaml:7:20: 'sync_interval' must be from 10ms to 10000ms, got '5ms'",
                          "gw.yaml:8:18: 'lease_slice' must be more than 0, got '0'",
                          "gw.yaml:9:5: unknown key 'extra' in throttling.cluster"));
}

TEST(ThrottleClusterConfig, RedisRulesBetweenKeys) {
  EXPECT_THAT(errors_of(R"(throttling:
  cluster:
    redis: {address: "127.0.0.1:6379", sentinels: ["127.0.0.1:26379"]}
)"),
              ElementsAre("gw.yaml:4:12: 'sentinels' and 'master_name' go together",
                          "gw.yaml:4:13: write either 'address' (one server) or 'sentinels' "
                          "with 'master_name', not both"));
  EXPECT_THAT(errors_of(R"(throttling:
  cluster:
    redis: {username: gw, command_timeout: 3s, dead_after: 2s}
)"),
              ElementsAre("gw.yaml:4:12: 'dead_after' must be longer than 'command_timeout'",
                          "gw.yaml:4:13: 'username' needs a 'password'"));
  EXPECT_THAT(errors_of(R"(throttling:
  cluster:
    redis: {address: nowhere}
)"),
              ElementsAre("gw.yaml:4:22: 'address' must be host:port or [ipv6]:port, got "
                          "'nowhere'"));
}

}  // namespace
}  // namespace gatehouse::config::throttle_cluster_config_test
