#include "throttling/shared_counts.h"

#include "throttling/runtime.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

namespace gatehouse::throttling {
namespace {

namespace asio = boost::asio;

// Per demand: KEYS[2i-1] the window's count, KEYS[2i] the previous window's; ARGV from 7i-6:
// kind ("r" count one, "b" bytes: check only, "l" lease a slice, "h" held: this worker still has
// lease for it, nothing to do), quota, weight of the previous window
// (0 for a fixed window), stop ("1": refuse past the quota), expiry of the count (ms since the
// epoch), the largest slice, and the parties sharing the quota (workers of all nodes).
// Checks every demand first and returns {i, used, used} for the first that refuses, changing
// nothing; else counts and leases, and returns {0, value1, used1, value2, used2, ...} (value: 1
// counted, the slice leased, or 0).
constexpr const char* kDecideScript = R"lua(
local n = #KEYS / 2
local counts = {}
for i = 1, n do
  local a = (i - 1) * 7
  local count = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local weight = tonumber(ARGV[a + 3])
  if weight > 0 then
    count = count + math.ceil(tonumber(redis.call('GET', KEYS[2 * i]) or '0') * weight)
  end
  counts[i] = count
  local kind, quota, stop = ARGV[a + 1], tonumber(ARGV[a + 2]), ARGV[a + 4] == '1'
  if stop and ((kind == 'r' and count + 1 > quota) or (kind == 'b' and count >= quota)
               or (kind == 'l' and count >= quota)) then
    return {i, count, count}
  end
end
local out = {0}
for i = 1, n do
  local a = (i - 1) * 7
  local kind, quota, stop = ARGV[a + 1], tonumber(ARGV[a + 2]), ARGV[a + 4] == '1'
  local key, expire_at = KEYS[2 * i - 1], ARGV[a + 5]
  local value, used = 0, counts[i]
  if kind == 'r' then
    redis.call('INCR', key)
    redis.call('PEXPIREAT', key, expire_at)
    value, used = 1, used + 1
  elseif kind == 'l' then
    local slice, parties = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
    local grant = slice
    if stop then
      local left = quota - used
      grant = math.floor(left / (2 * parties))
      if grant > slice then grant = slice end
      if grant < 1 then grant = 1 end
      if grant > left then grant = left end
    end
    redis.call('INCRBY', key, string.format('%.0f', grant))
    redis.call('PEXPIREAT', key, expire_at)
    value, used = grant, used + grant
  end
  out[#out + 1] = value
  out[#out + 1] = used
end
return out
)lua";

constexpr size_t kArgsPerDemand = 7;

std::string_view unit_suffix(config::TimeUnit unit) {
  switch (unit) {
    case config::TimeUnit::second:
      return "s";
    case config::TimeUnit::minute:
      return "m";
    case config::TimeUnit::hour:
      return "h";
    case config::TimeUnit::day:
      return "d";
    case config::TimeUnit::week:
      return "w";
    case config::TimeUnit::month:
      return "mo";
  }
  return "?";
}

// The previous window's weight in a sliding estimate now; 0 for a fixed window.
double carried_weight(const config::WindowSpec& spec, const WindowPosition& window,
                      UnixMillis now) {
  return spec.sliding ? 1.0 - window.elapsed(now) : 0.0;
}

// A count outlives its window by one window, for the sliding estimate of the next.
UnixMillis expiry(const WindowPosition& window) {
  return window.end + window.length();
}

Reading reading_of(const Meter& meter, const WindowPosition& window, uint64_t used) {
  return {.limit = meter.quota().amount,
          .used = used,
          .reset = window.end,
          .window_ms = window.length()};
}

bool is_lease(const Demand& demand) {
  return demand.meter->quota().kind == config::QuotaKind::requests;
}

}  // namespace

std::string shared_key(uint64_t key, const config::WindowSpec& spec, int64_t window_index) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
  std::string text = "gh:";
  text.append(hex, 16).append(":").append(std::to_string(spec.count));
  text.append(unit_suffix(spec.unit)).append(":").append(std::to_string(window_index));
  return text;
}

CountId CountId::of(uint64_t key, const config::WindowSpec& spec, int64_t window) {
  return {key, window, spec.count * 8 + static_cast<uint32_t>(spec.unit)};
}

SharedCounts::SharedCounts(asio::any_io_executor executor, const config::ThrottleCluster& cluster,
                           size_t workers)
    : cluster_(cluster),
      workers_(std::max<size_t>(1, workers)),
      executor_(executor),
      connection_(std::move(executor), cluster.redis),
      script_(kDecideScript) {}

void SharedCounts::start() {
  connection_.start();
  if (cluster_.mode == config::ClusterMode::fast) {
    asio::co_spawn(executor_, sync_fast_counts(), asio::detached);
  }
}

std::optional<SharedDecision> SharedCounts::decide_here(std::span<const Demand> demands,
                                                        UnixMillis now) {
  if (cluster_.mode == config::ClusterMode::fast) return decide_fast(demands, now);
  return decide_from_leases(demands, now);
}

SharedCounts::FastCount& SharedCounts::fast_count(const Demand& demand,
                                                  const WindowPosition& window) {
  const config::WindowSpec& spec = demand.meter->quota().window;
  FastCount& count = fast_[CountId::of(demand.key, spec, window.index)];
  if (count.redis_key.empty()) count.redis_key = shared_key(demand.key, spec, window.index);
  count.end = window.end;
  count.expire_at = expiry(window);
  return count;
}

SharedDecision SharedCounts::decide_fast(std::span<const Demand> demands, UnixMillis now) {
  SharedDecision decision;
  absl::InlinedVector<FastCount*, 6> counting;
  for (const Demand& demand : demands) {
    const config::Quota& quota = demand.meter->quota();
    const WindowPosition window = window_at(quota.window, now);
    FastCount& count = fast_count(demand, window);
    uint64_t used = count.mine + count.others;
    if (quota.window.sliding) {
      const auto previous = fast_.find(CountId::of(demand.key, quota.window, window.index - 1));
      if (previous != fast_.end()) {
        const auto total = static_cast<double>(previous->second.mine + previous->second.others);
        used += static_cast<uint64_t>(std::ceil(total * carried_weight(quota.window, window, now)));
      }
    }
    const bool bytes = quota.kind == config::QuotaKind::bandwidth;
    const bool refuse =
        demand.stop_on_quota_reach && (bytes ? used >= quota.amount : used + 1 > quota.amount);
    if (refuse) {
      decision.readings.push_back(reading_of(*demand.meter, window, quota.amount));
      decision.refused = decision.readings.size() - 1;
      return decision;
    }
    decision.readings.push_back(reading_of(*demand.meter, window, bytes ? used : used + 1));
    if (!bytes) counting.push_back(&count);
  }
  for (FastCount* count : counting) ++count->mine;
  return decision;
}

// Runs until the worker's io_context stops; its frame is destroyed with the io_context.
asio::awaitable<void> SharedCounts::sync_fast_counts() {
  asio::steady_timer timer(executor_);
  std::vector<std::pair<CountId, uint64_t>> due;
  for (;;) {
    timer.expires_after(cluster_.sync_interval);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    // Every live count is sent, the unchanged ones with 0, to learn the others' totals.
    const UnixMillis now = unix_now();
    absl::erase_if(fast_, [now](const auto& entry) { return entry.second.expire_at <= now; });
    due.clear();
    for (auto& [id, count] : fast_) due.emplace_back(id, count.mine - count.pushed);
    for (const auto& [id, delta] : due) {
      const auto sent = fast_.find(id);
      if (sent == fast_.end()) continue;
      const std::string key = sent->second.redis_key;
      const std::string amount = std::to_string(delta);
      auto total =
          co_await connection_.command(std::array<std::string_view, 3>{"INCRBY", key, amount});
      if (!total || total->type != redis::Reply::Type::integer) break;  // next interval
      const auto found = fast_.find(id);  // the map may have changed during the wait
      if (found == fast_.end()) continue;
      FastCount& count = found->second;
      count.pushed += delta;
      const auto seen = static_cast<uint64_t>(total->integer);
      count.others = seen > count.pushed ? seen - count.pushed : 0;
      if (delta > 0) {
        const std::string expire_at = std::to_string(count.expire_at);
        co_await connection_.command(std::array<std::string_view, 3>{"PEXPIREAT", key, expire_at});
      }
    }
  }
}

std::optional<SharedDecision> SharedCounts::decide_from_leases(std::span<const Demand> demands,
                                                               UnixMillis now) {
  if (cluster_.mode != config::ClusterMode::lease) return std::nullopt;
  SharedDecision decision;
  absl::InlinedVector<Lease*, 6> spending;
  for (const Demand& demand : demands) {
    if (!is_lease(demand)) return std::nullopt;  // bandwidth: asked of Redis every time
    const config::WindowSpec& spec = demand.meter->quota().window;
    const WindowPosition window = window_at(spec, now);
    const auto found = leases_.find(CountId::of(demand.key, spec, window.index));
    if (found == leases_.end()) return std::nullopt;
    Lease& lease = found->second;
    const bool settled = lease.exhausted && demand.stop_on_quota_reach && !spec.sliding;
    if (lease.left == 0 && !settled) return std::nullopt;
    if (lease.left == 0) {  // settled: nothing left in this window
      decision.readings.push_back(reading_of(*demand.meter, window, demand.meter->quota().amount));
      decision.refused = decision.readings.size() - 1;
      return decision;
    }
    spending.push_back(&lease);
    decision.readings.push_back(reading_of(*demand.meter, window, lease.used + 1));
  }
  for (Lease* lease : spending) {
    --lease->left;
    ++lease->used;
  }
  return decision;
}

asio::awaitable<SharedDecision> SharedCounts::decide(std::span<const Demand> demands,
                                                     UnixMillis now) {
  const bool lease_mode = cluster_.mode == config::ClusterMode::lease;
  std::vector<std::string> keys;
  std::vector<std::string> args;
  std::vector<WindowPosition> windows;
  std::vector<CountId> ids;
  keys.reserve(demands.size() * 2);
  args.reserve(demands.size() * kArgsPerDemand);
  for (const Demand& demand : demands) {
    const config::Quota& quota = demand.meter->quota();
    const WindowPosition window = window_at(quota.window, now);
    windows.push_back(window);
    ids.push_back(CountId::of(demand.key, quota.window, window.index));
    keys.push_back(shared_key(demand.key, quota.window, window.index));
    keys.push_back(shared_key(demand.key, quota.window, window.index - 1));
    const bool bytes = quota.kind == config::QuotaKind::bandwidth;
    const uint64_t parties = workers_ * cluster_.nodes;
    const auto slice = static_cast<uint64_t>(
        std::max(1.0, std::floor(static_cast<double>(quota.amount) * cluster_.lease_slice /
                                 static_cast<double>(workers_))));
    char weight[32];
    std::snprintf(weight, sizeof weight, "%.6f", carried_weight(quota.window, window, now));
    args.push_back(bytes ? "b" : !lease_mode ? "r" : holds_lease(ids.back()) ? "h" : "l");
    args.push_back(std::to_string(quota.amount));
    args.push_back(weight);
    args.push_back(demand.stop_on_quota_reach ? "1" : "0");
    args.push_back(std::to_string(expiry(window)));
    args.push_back(std::to_string(slice));
    args.push_back(std::to_string(parties));
  }
  std::vector<std::string_view> key_views(keys.begin(), keys.end());
  std::vector<std::string_view> arg_views(args.begin(), args.end());
  const redis::Connection::Result result = co_await script_.run(connection_, key_views, arg_views);

  SharedDecision decision;
  if (!result || result->is_error() || result->type != redis::Reply::Type::array ||
      result->elements.empty()) {
    decision.failed = true;
    co_return decision;
  }
  if (!remembered_.empty() && !flushing_) {
    asio::co_spawn(executor_, flush_remembered(), asio::detached);
  }
  const std::vector<redis::Reply>& values = result->elements;
  const auto refused = static_cast<size_t>(values[0].integer);
  if (refused != 0) {
    const size_t index = refused - 1;
    for (size_t i = 0; i < index; ++i) {
      decision.readings.push_back(reading_of(*demands[i].meter, windows[i], 0));
    }
    const Demand& refusing = demands[index];
    decision.readings.push_back(
        reading_of(*refusing.meter, windows[index], refusing.meter->quota().amount));
    decision.refused = index;
    if (lease_mode && is_lease(refusing)) {
      // What this worker still holds of earlier slices stays usable.
      Lease& lease = leases_[ids[index]];
      lease.used = refusing.meter->quota().amount;
      lease.exhausted = true;
      lease.end = windows[index].end;
    }
    co_return decision;
  }
  for (size_t i = 0; i < demands.size(); ++i) {
    const auto value = static_cast<uint64_t>(values[1 + 2 * i].integer);
    const auto used = static_cast<uint64_t>(values[2 + 2 * i].integer);
    if (lease_mode && is_lease(demands[i])) {
      // A new slice (value) or the one held; this request spends one of it now.
      Lease& lease = leases_[ids[i]];
      // Other requests of this worker may have been granted slices meanwhile: they add up.
      if (value > 0) {
        lease.left += value;
        lease.used = std::max(lease.used, used - value);
        lease.exhausted = false;
        lease.end = windows[i].end;
      }
      --lease.left;
      ++lease.used;
      decision.readings.push_back(reading_of(*demands[i].meter, windows[i], lease.used));
    } else {
      decision.readings.push_back(reading_of(*demands[i].meter, windows[i], used));
    }
  }
  drop_ended_leases(now);
  co_return decision;
}

void SharedCounts::add_bytes(const Meter& meter, uint64_t key, uint64_t bytes, UnixMillis now) {
  const WindowPosition window = window_at(meter.quota().window, now);
  if (cluster_.mode == config::ClusterMode::fast) {
    fast_count({&meter, key}, window).mine += bytes;
    return;
  }
  auto charge = [](redis::Connection& connection, std::string counter, std::string amount,
                   std::string expire_at) -> asio::awaitable<void> {
    co_await connection.command(std::array<std::string_view, 3>{"INCRBY", counter, amount});
    co_await connection.command(std::array<std::string_view, 3>{"PEXPIREAT", counter, expire_at});
  };
  asio::co_spawn(executor_,
                 charge(connection_, shared_key(key, meter.quota().window, window.index),
                        std::to_string(bytes), std::to_string(expiry(window))),
                 asio::detached);
}

void SharedCounts::remember_local(std::span<const Demand> demands, UnixMillis now) {
  for (const Demand& demand : demands) {
    if (!is_lease(demand)) continue;  // bytes are charged by add_bytes, which retries nothing
    const config::WindowSpec& spec = demand.meter->quota().window;
    const WindowPosition window = window_at(spec, now);
    Remembered& remembered = remembered_[shared_key(demand.key, spec, window.index)];
    ++remembered.count;
    remembered.expire_at = expiry(window);
  }
}

asio::awaitable<void> SharedCounts::flush_remembered() {
  flushing_ = true;
  while (!remembered_.empty()) {
    auto first = remembered_.begin();
    const std::string key = first->first;
    const Remembered remembered = first->second;
    remembered_.erase(first);
    const std::string count = std::to_string(remembered.count);
    const std::string expire_at = std::to_string(remembered.expire_at);
    auto added =
        co_await connection_.command(std::array<std::string_view, 3>{"INCRBY", key, count});
    if (!added || added->is_error()) {  // down again: keep it for the next time
      remembered_[key].count += remembered.count;
      remembered_[key].expire_at = remembered.expire_at;
      break;
    }
    co_await connection_.command(std::array<std::string_view, 3>{"PEXPIREAT", key, expire_at});
  }
  flushing_ = false;
}

bool SharedCounts::holds_lease(const CountId& id) const {
  const auto found = leases_.find(id);
  return found != leases_.end() && found->second.left > 0;
}

void SharedCounts::drop_ended_leases(UnixMillis now) {
  // Amortised: a sweep once the table has grown past what live windows need.
  if (leases_.size() < 4096) return;
  absl::erase_if(leases_, [now](const auto& entry) { return entry.second.end <= now; });
}

}  // namespace gatehouse::throttling
