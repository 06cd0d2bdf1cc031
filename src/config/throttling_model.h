// The `throttling:` section and the `throttling:` keys of APIs and resources, as written: WSO2's
// model of tiers and policies. Plain data; throttling/ compiles it into counters and checks.
//
//   throttling:
//     trusted_proxies: [10.0.0.0/8]   # X-Forwarded-For names the client only behind these
//     subscription_tiers:             # WSO2's defaults are built in; a tier listed here
//       - name: Gold                  # replaces the built-in one of its name
//         requests: 5000              # or `bandwidth: 10MiB` (bytes in and out)
//         per: 1m                     # 30s, 1m, 5m, 1h, 1d, 1w, 1mo (calendar month)
//         window: fixed               # fixed (calendar aligned, the default) or sliding
//         burst: {requests: 100, per: 1s}
//         stop_on_quota_reach: true   # false: counted and reported, never refused
//     application_tiers:
//       - {name: 50PerMin, requests: 50, per: 1m, per_user: false}
//     api_policies:                   # advanced policies, for APIs and resources
//       - name: 10KPerMin
//         requests: 10000
//         per: 1m
//         conditions:                 # the first group whose conditions all hold sets the limit
//           - when:
//               - {ip: 10.0.0.0/8}                    # or 10.0.0.7, or 10.0.0.1-10.0.0.9
//               - {header: X-Client, matches: "gold-.*", invert: true}
//             requests: 100
//             per: 1m
//     custom_policies:
//       - {name: per-user, key: "{user}:{api}", requests: 100, per: 1m}
//     blocking_conditions:
//       - {ip_range: 192.0.2.0-192.0.2.255}
//       - {application: app-id, invert: false}
//     cluster:                        # counted across gateway nodes in Redis; absent: here only
//       mode: lease                   # exact, lease (the default) or fast
//       redis: {address: "10.0.0.5:6379", password: "...", db: 0, command_timeout: 50ms}
//       # or redis: {sentinels: ["10.0.0.6:26379", ...], master_name: throttling}
//       # a port left out is Redis's own: 6379, or 26379 for a Sentinel
//       nodes: 3                      # gateways sharing the counts: each one's fallback share
//       on_redis_failure: local       # local (the default): count here against quota / nodes;
//                                     # open: admit uncounted; closed: refuse (503)
//       sync_interval: 100ms          # fast mode: how often local counts are pushed
//       lease_slice: 0.05             # lease mode: the largest slice, a fraction of the quota
//   apis:
//     - name: PizzaShack
//       throttling: 10KPerMin         # the API's advanced policy
//       resources:
//         - {method: GET, path: /menu, throttling: 20KPerMin}
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/location.h"
#include "redis/settings.h"

namespace gatehouse::config {

enum class TimeUnit : uint8_t { second, minute, hour, day, week, month };

// A window of `count` units. Fixed windows are aligned to the calendar in UTC (a minute starts at
// second 0, a day at midnight, a week on Monday, a month on its first day), the same on every
// node; a sliding window weighs the previous window's count by the part of it still inside.
struct WindowSpec {
  uint32_t count = 1;
  TimeUnit unit = TimeUnit::minute;
  bool sliding = false;
  friend bool operator==(const WindowSpec&, const WindowSpec&) = default;
};

enum class QuotaKind : uint8_t { requests, bandwidth };

// `amount` requests, or bytes (in and out) for bandwidth, per window.
struct Quota {
  QuotaKind kind = QuotaKind::requests;
  uint64_t amount = 0;
  WindowSpec window;
};

struct Tier {
  std::string name;
  std::optional<Quota> quota;  // absent: unlimited
  std::optional<Quota> burst;  // spike arrest on top, requests per second or minute
  bool stop_on_quota_reach = true;
  bool per_user = false;  // application tiers: counted per application and end user
  Location location;
};

// One test on a request, of one kind: its `ip`, or the value of a header, query parameter or
// claim called `name`.
struct ThrottleCondition {
  enum class Kind : uint8_t { ip, header, query, claim } kind = Kind::ip;
  std::string ip;       // kind ip: an address, a CIDR, or a range "first-last"
  std::string name;     // header, query parameter or claim name
  std::string matches;  // a regular expression (RE2) the whole value must match; empty: present
  bool invert = false;  // holds when the test fails
  Location location;
};

struct ConditionGroup {
  std::vector<ThrottleCondition> when;  // all must hold
  Quota quota;
  Location location;
};

// An advanced policy: a default limit and condition groups, for an API or a resource.
struct ApiPolicy {
  std::string name;
  std::optional<Quota> quota;  // the default limit; absent: unlimited
  std::vector<ConditionGroup> conditions;
  Location location;
};

// A policy counted per key built from a template over {user}, {application}, {api},
// {resource} and {ip}; every request whose key can be built is counted (WSO2's custom
// policies).
struct CustomPolicy {
  std::string name;
  std::string key;
  Quota quota;
  Location location;
};

// A request matching a blocking condition is refused with 900805 before any counting.
struct BlockingCondition {
  enum class Kind : uint8_t { api, application, user, ip, ip_range } kind = Kind::ip;
  std::string value;  // API context ("/pizzashack/1.0.0"), application id, user, IP, range
  bool invert = false;
  Location location;
};

// WSO2's default tiers and policies, which every ThrottlingConfig starts with (the model's
// defaults, like the other fields').
std::vector<Tier> builtin_subscription_tiers();
std::vector<Tier> builtin_application_tiers();
std::vector<ApiPolicy> builtin_api_policies();

// How nodes share their counts through Redis (docs/config.md, Throttling > cluster).
enum class ClusterMode : uint8_t {
  exact,  // one atomic round trip to Redis per decision: never over or under the quota
  lease,  // slices of the quota leased from Redis, spent locally: never over the quota
  fast,   // counted locally, pushed to Redis every sync_interval: over by at most
          // 2 x sync_interval x the cluster's request rate (throttling/shared_counts.h)
};

// What a node does while Redis cannot answer within its bound.
enum class RedisFailure : uint8_t {
  local,   // count in this process against quota / nodes; pushed to Redis when it is back
  open,    // admit, uncounted
  closed,  // refuse with 503
};

struct ThrottleCluster {
  ClusterMode mode = ClusterMode::lease;
  redis::Settings redis;
  uint32_t nodes = 1;  // gateway nodes sharing the counts, 1..1024
  RedisFailure on_redis_failure = RedisFailure::local;
  std::chrono::milliseconds sync_interval{100};  // fast mode; 10ms..10s
  double lease_slice = 0.05;                     // lease mode; a fraction of the quota, (0, 1]
  Location location;
};

struct ThrottlingConfig {
  std::vector<std::string> trusted_proxies;  // IPs or CIDRs
  // The built-in tiers first, then the config's (a config tier replaces the built-in one of
  // its name).
  std::vector<Tier> subscription_tiers = builtin_subscription_tiers();
  std::vector<Tier> application_tiers = builtin_application_tiers();
  std::vector<ApiPolicy> api_policies = builtin_api_policies();
  std::vector<CustomPolicy> custom_policies;
  std::vector<BlockingCondition> blocking_conditions;
  std::string unauthenticated_tier = "Unauthenticated";  // for `auth: none` resources, per IP
  Location unauthenticated_tier_location;                // where it was written, if it was
  std::optional<ThrottleCluster> cluster;                // absent: counted in this process only
};

}  // namespace gatehouse::config
