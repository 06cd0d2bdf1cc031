// throttling.cluster: how gateway nodes share their counts through Redis.
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "config/node_reader.h"
#include "config/sections.h"
#include "config/throttling_model.h"
#include "redis/settings.h"

namespace gatehouse::config {
namespace {

using namespace std::chrono_literals;

// Redis's and Sentinel's own ports, for an address written without one.
constexpr uint16_t redis_port = 6379;
constexpr uint16_t sentinel_port = 26379;

redis::Address address_of(const net::HostPort& host_port) {
  return {host_port.host, host_port.port};
}

// "50ms", "10s": a bound as the user would write it.
std::string duration_text(Millis duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + "s";
  return std::to_string(duration.count()) + "ms";
}

// A duration key of the map: where its value is written, and whether it was read.
struct DurationKey {
  std::optional<Node> value;  // absent: not written, the default stays
  bool valid = true;          // false: written wrong, and reported
};

// The duration under `key`, if it is within [least, most]; an error at its value otherwise.
DurationKey read_duration_within(MapReader& map, std::string_view key, Millis& out, Millis least,
                                 Millis most, ConfigErrors& errors) {
  DurationKey read{map.get(key)};
  if (!read.value) {
    // Written without a value is reported by get(); the default is then no evidence either way.
    read.valid = !map.key_location(key).has_value();
    return read;
  }
  const std::optional<Millis> duration = read_duration(*read.value, key, errors);
  if (duration && (*duration < least || *duration > most)) {
    errors.push_back(value_error(
        *read.value, key, "must be from " + duration_text(least) + " to " + duration_text(most)));
  } else if (duration) {
    out = *duration;
    return read;
  }
  read.valid = false;
  return read;
}

// `shorter` must be less than `longer` (or not more, when `equal_allowed`): else an error at the
// value of whichever of the two was written, naming the other's value. Skipped when either was
// written wrong (its error is enough).
void check_order(std::string_view shorter_key, const DurationKey& shorter, Millis shorter_value,
                 std::string_view longer_key, const DurationKey& longer, Millis longer_value,
                 bool equal_allowed, ConfigErrors& errors) {
  if (!shorter.valid || !longer.valid) return;
  if (shorter_value < longer_value || (equal_allowed && shorter_value == longer_value)) return;
  if (longer.value) {
    errors.push_back(value_error(
        *longer.value, longer_key,
        std::string(equal_allowed ? "must not be shorter than '" : "must be longer than '") +
            std::string(shorter_key) + "' (" + duration_text(shorter_value) + ")"));
  } else if (shorter.value) {
    errors.push_back(value_error(
        *shorter.value, shorter_key,
        std::string(equal_allowed ? "must not be longer than '" : "must be shorter than '") +
            std::string(longer_key) + "' (" + duration_text(longer_value) + " by default)"));
  }
}

redis::Settings read_redis(const Node& node, ReadContext& context) {
  ConfigErrors& errors = context.errors;
  redis::Settings redis;
  MapReader map(node, "throttling.cluster.redis", errors);
  if (const std::optional<Node> value = map.get("address")) {
    if (const auto address = read_server_address(*value, "address", redis_port, errors)) {
      redis.address = address_of(*address);
    }
  }
  if (const std::optional<Node> list = map.get("sentinels")) {
    if (const auto items = read_list(*list, "sentinels", errors)) {
      if (items->empty()) errors.push_back(value_error(*list, "sentinels", "must not be empty"));
      for (const Node& item : *items) {
        if (const auto sentinel = read_server_address(item, "sentinels", sentinel_port, errors)) {
          redis.sentinels.push_back(address_of(*sentinel));
        }
      }
    }
  }
  const bool has_master_name = map.read_string("master_name", redis.master_name);
  map.read_string("sentinel_password", redis.sentinel_password);
  map.read_string("username", redis.username);
  map.read_string("password", redis.password);
  map.read_integer("db", redis.db, 0, std::numeric_limits<int32_t>::max());
  const DurationKey command_timeout =
      read_duration_within(map, "command_timeout", redis.command_timeout, 1ms, 10s, errors);
  read_duration_within(map, "connect_timeout", redis.connect_timeout, 1ms, 60s, errors);
  const DurationKey dead_after =
      read_duration_within(map, "dead_after", redis.dead_after, 1ms, 600s, errors);
  const DurationKey reconnect_min =
      read_duration_within(map, "reconnect_min", redis.reconnect_min, 1ms, 60s, errors);
  const DurationKey reconnect_max =
      read_duration_within(map, "reconnect_max", redis.reconnect_max, 1ms, 600s, errors);
  map.read_integer("max_pending", redis.max_pending, 1, 1'000'000);
  map.finish();

  // Rules between keys, each at the key that breaks it.
  const std::optional<Location> sentinels = map.key_location("sentinels");
  if (const std::optional<Location> address = map.key_location("address"); address && sentinels) {
    errors.push_back({*address,
                      "write either 'address' (one server) or 'sentinels' with 'master_name', "
                      "not both"});
  }
  if (sentinels && !map.key_location("master_name")) {
    errors.push_back({*sentinels, "'sentinels' needs 'master_name'"});
  }
  if (has_master_name && sentinels && redis.master_name.empty()) {
    errors.push_back(value_error(*map.get("master_name"), "master_name", "must not be empty"));
  }
  for (const std::string_view key : {"master_name", "sentinel_password"}) {
    if (const std::optional<Location> location = map.key_location(key); location && !sentinels) {
      errors.push_back({*location, std::string("'").append(key).append("' needs 'sentinels'")});
    }
  }
  if (!redis.username.empty() && redis.password.empty()) {
    errors.push_back({*map.key_location("username"), "'username' needs a 'password'"});
  }
  check_order("command_timeout", command_timeout, redis.command_timeout, "dead_after", dead_after,
              redis.dead_after, false, errors);
  check_order("reconnect_min", reconnect_min, redis.reconnect_min, "reconnect_max", reconnect_max,
              redis.reconnect_max, true, errors);
  return redis;
}

}  // namespace

ThrottleCluster read_throttle_cluster(const Node& node, ReadContext& context) {
  ConfigErrors& errors = context.errors;
  ThrottleCluster cluster;
  cluster.location = node.location();
  MapReader map(node, "throttling.cluster", errors);
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
  read_duration_within(map, "sync_interval", cluster.sync_interval, 10ms, 10s, errors);
  if (const std::optional<Node> slice = map.get("lease_slice")) {
    // read_number's bounds are inclusive, and 0 is not a slice: one rule, one message.
    ConfigErrors ignored;
    const std::optional<double> value = read_number(*slice, "lease_slice", 0.0, 1.0, ignored);
    if (value && *value > 0.0) {
      cluster.lease_slice = *value;
    } else {
      errors.push_back(
          value_error(*slice, "lease_slice", "must be a number more than 0 and at most 1"));
    }
  }
  map.finish();
  return cluster;
}

}  // namespace gatehouse::config
