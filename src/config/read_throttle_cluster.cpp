// throttling.cluster: how gateway nodes share their counts through Redis.
#include <chrono>
#include <string>
#include <vector>

#include "config/node_reader.h"
#include "config/sections.h"
#include "config/throttling_model.h"
#include "redis/settings.h"

namespace gatehouse::config {
namespace {

redis::Address address_of(const net::HostPort& host_port) {
  return {host_port.host, host_port.port};
}

// The duration under `key`, if it is within [least, most]; an error at its value otherwise.
void read_duration_within(MapReader& map, std::string_view key, Millis& out, Millis least,
                          Millis most, ReadContext& context) {
  const std::optional<Node> value = map.get(key);
  if (!value) return;
  const std::optional<Millis> duration = read_duration(*value, key, context.errors);
  if (!duration) return;
  if (*duration < least || *duration > most) {
    context.errors.push_back(value_error(*value, key,
                                         "must be from " + std::to_string(least.count()) +
                                             "ms to " + std::to_string(most.count()) + "ms"));
    return;
  }
  out = *duration;
}

redis::Settings read_redis(const Node& node, ReadContext& context) {
  using namespace std::chrono_literals;
  redis::Settings redis;
  MapReader map(node, "throttling.cluster.redis", context.errors);
  net::HostPort address{redis.address.host, redis.address.port};
  if (map.read_host_port("address", address)) redis.address = address_of(address);
  if (const std::optional<Node> list = map.get("sentinels")) {
    if (const auto items = read_list(*list, "sentinels", context.errors)) {
      for (const Node& item : *items) {
        if (const auto sentinel = config::read_host_port(item, "sentinels", context.errors)) {
          redis.sentinels.push_back(address_of(*sentinel));
        }
      }
      if (items->empty())
        context.errors.push_back(value_error(*list, "sentinels", "must not be empty"));
    }
  }
  map.read_string("master_name", redis.master_name);
  map.read_string("sentinel_password", redis.sentinel_password);
  map.read_string("username", redis.username);
  map.read_string("password", redis.password);
  map.read_integer("db", redis.db, 0, 1'000'000);
  read_duration_within(map, "command_timeout", redis.command_timeout, 1ms, 10s, context);
  read_duration_within(map, "connect_timeout", redis.connect_timeout, 1ms, 60s, context);
  read_duration_within(map, "dead_after", redis.dead_after, 1ms, 600s, context);
  read_duration_within(map, "reconnect_min", redis.reconnect_min, 1ms, 60s, context);
  read_duration_within(map, "reconnect_max", redis.reconnect_max, 1ms, 600s, context);
  map.read_integer("max_pending", redis.max_pending, 1, 1'000'000);

  const bool sentinels = map.key_location("sentinels").has_value();
  const bool master_name = map.key_location("master_name").has_value();
  if (sentinels && map.key_location("address")) {
    context.errors.push_back({*map.key_location("address"),
                              "write either 'address' (one server) or 'sentinels' with "
                              "'master_name', not both"});
  }
  if (sentinels != master_name) {
    context.errors.push_back({map.location(), "'sentinels' and 'master_name' go together"});
  }
  if (!redis.username.empty() && redis.password.empty()) {
    context.errors.push_back({*map.key_location("username"), "'username' needs a 'password'"});
  }
  if (redis.dead_after <= redis.command_timeout) {
    context.errors.push_back(
        {map.location(), "'dead_after' must be longer than 'command_timeout'"});
  }
  if (redis.reconnect_max < redis.reconnect_min) {
    context.errors.push_back(
        {map.location(), "'reconnect_max' must not be shorter than 'reconnect_min'"});
  }
  map.finish();
  return redis;
}

}  // namespace

ThrottleCluster read_throttle_cluster(const Node& node, ReadContext& context) {
  using namespace std::chrono_literals;
  ThrottleCluster cluster;
  cluster.location = node.location();
  MapReader map(node, "throttling.cluster", context.errors);
  map.read_choice<ClusterMode>(
      "mode", cluster.mode,
      {{"exact", ClusterMode::exact}, {"lease", ClusterMode::lease}, {"fast", ClusterMode::fast}});
  if (const std::optional<Node> redis = map.get("redis")) {
    cluster.redis = read_redis(*redis, context);
  }
  map.read_integer("nodes", cluster.nodes, 1, 1024);
  map.read_choice<RedisFailure>("on_redis_failure", cluster.on_redis_failure,
                                {{"local", RedisFailure::local},
                                 {"open", RedisFailure::open},
                                 {"closed", RedisFailure::closed}});
  read_duration_within(map, "sync_interval", cluster.sync_interval, 10ms, 10s, context);
  if (const std::optional<Node> slice = map.get("lease_slice")) {
    if (const auto value = read_number(*slice, "lease_slice", 0.0, 1.0, context.errors)) {
      if (*value <= 0.0) {
        context.errors.push_back(value_error(*slice, "lease_slice", "must be more than 0"));
      } else {
        cluster.lease_slice = *value;
      }
    }
  }
  map.finish();
  return cluster;
}

}  // namespace gatehouse::config
