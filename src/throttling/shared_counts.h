// Counts shared by the gateway nodes of a cluster, in Redis (throttling.cluster). One per worker,
// on the worker's own Redis connection; used only from the worker's thread.
//
// A request's limits are decided together, as the Demands the throttle policy lists in its
// order, in one atomic Lua script (one round trip, pipelined with the other requests' on the
// worker's connection):
//   exact  every request count is checked and incremented in Redis: never over, never under;
//   lease  a request count is spent from a slice of the quota this worker leased from Redis
//          (the script takes it atomically); only an empty lease costs a round trip. The
//          nodes together never admit more than the quota; what is leased and not spent when the
//          window ends is lost, at most slice x nodes (each node's slice is split between its
//          workers). A slice is at most `lease_slice` of the quota and shrinks as the quota runs
//          out (half of what is left, shared by every worker of every node).
//   fast   counted by each worker on its own, which adds its new counts to Redis every
//          sync_interval and learns the others' from the totals Redis answers; a request never
//          waits for Redis. The nodes may admit more than the quota by what arrives while a
//          count travels (one sync of the counting node's, one of the deciding node's): at most
//          2 x sync_interval x the cluster's request rate. While Redis is away, counting goes on
//          with the last totals known, and is added once it is back.
// Bandwidth quotas are checked in Redis on every request in both modes, and charged with each
// exchange's bytes once it is done (add_bytes, not awaited).
//
// Redis keys: "gh:" + the counter's key (16 hex digits) + ":" + the window's length + ":" + its
// index, expiring one window after the window ends (a sliding window reads the previous one).
// Every key of a request is in one script, so the keys must live on one Redis server (a single
// server or a Sentinel-managed master, not a sharded Redis Cluster).
//
// When Redis cannot answer within its bound (redis::Settings::command_timeout), decide() says so
// and the policy falls back as configured (RedisFailure). What a node admits on its local
// fallback is remembered (remember_local) and added to Redis once it answers again.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/inlined_vector.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "config/throttling_model.h"
#include "redis/connection.h"
#include "redis/script.h"
#include "throttling/meter.h"
#include "throttling/window.h"

namespace gatehouse::throttling {

// One limit a request is counted against.
struct Demand {
  const Meter* meter = nullptr;
  uint64_t key = 0;
  bool stop_on_quota_reach = true;
};

struct SharedDecision {
  static constexpr size_t kNone = static_cast<size_t>(-1);
  bool failed = false;                       // Redis did not answer: nothing was decided
  size_t refused = kNone;                    // the first demand that refused the request
  absl::InlinedVector<Reading, 6> readings;  // per demand, up to the refusing one
};

// The Redis key of `key`'s count in the window of `spec` with index `window_index`.
std::string shared_key(uint64_t key, const config::WindowSpec& spec, int64_t window_index);

// The same count, as a worker looks it up on the request path (no string to build).
struct CountId {
  uint64_t key = 0;
  int64_t window = 0;
  uint32_t spec = 0;  // the window's length: count and unit

  static CountId of(uint64_t key, const config::WindowSpec& spec, int64_t window);
  bool operator==(const CountId&) const = default;
  template <class H>
  friend H AbslHashValue(H hash, const CountId& id) {
    return H::combine(std::move(hash), id.key, id.window, id.spec);
  }
};

class SharedCounts {
 public:
  // `workers`: the workers of this node, which share its part of each lease.
  SharedCounts(boost::asio::any_io_executor executor, const config::ThrottleCluster& cluster,
               size_t workers);

  // Starts connecting (on the worker's thread).
  void start();

  // The decision without a round trip: always in fast mode; in lease mode from this worker's
  // leases, when each demand has some left (or is settled as exhausted for its window). nullopt
  // when Redis must be asked.
  std::optional<SharedDecision> decide_here(std::span<const Demand> demands, UnixMillis now);
  // Asks Redis (exact and lease modes).
  boost::asio::awaitable<SharedDecision> decide(std::span<const Demand> demands, UnixMillis now);

  // Charges an exchange's bytes to a bandwidth quota, in the background.
  void add_bytes(const Meter& meter, uint64_t key, uint64_t bytes, UnixMillis now);

  // A request admitted on the local fallback: its counts are added to Redis once it answers.
  void remember_local(std::span<const Demand> demands, UnixMillis now);

  const config::ThrottleCluster& settings() const { return cluster_; }
  const redis::Connection& connection() const { return connection_; }

 private:
  struct Lease {
    uint64_t left = 0;       // requests this worker may still admit from its slice
    uint64_t used = 0;       // the window's count at the last grant, for the headers
    bool exhausted = false;  // Redis had nothing left to lease in this window
    UnixMillis end = 0;      // the window's end: the lease is dropped after it
  };

  // Fast mode: what this worker knows of one count.
  struct FastCount {
    uint64_t mine = 0;    // admitted (or bytes) by this worker in the window
    uint64_t pushed = 0;  // of which Redis has been told
    uint64_t others = 0;  // the rest of the cluster's, at the last sync
    UnixMillis end = 0;
    UnixMillis expire_at = 0;
    std::string redis_key;
  };

  std::optional<SharedDecision> decide_from_leases(std::span<const Demand> demands, UnixMillis now);
  SharedDecision decide_fast(std::span<const Demand> demands, UnixMillis now);
  FastCount& fast_count(const Demand& demand, const WindowPosition& window);
  boost::asio::awaitable<void> sync_fast_counts();
  boost::asio::awaitable<void> flush_remembered();
  bool holds_lease(const CountId& id) const;
  void drop_ended_leases(UnixMillis now);

  config::ThrottleCluster cluster_;
  size_t workers_;
  boost::asio::any_io_executor executor_;
  redis::Connection connection_;
  redis::Script script_;
  absl::flat_hash_map<CountId, Lease> leases_;
  absl::flat_hash_map<CountId, FastCount> fast_;
  struct Remembered {
    uint64_t count = 0;
    UnixMillis expire_at = 0;
  };
  absl::flat_hash_map<std::string, Remembered> remembered_;
  bool flushing_ = false;
};

}  // namespace gatehouse::throttling
