// One quota, counted per key: the request-count or bandwidth limit of a tier or policy, applied to
// a subscription, an application, an API... Every worker shares the meter and its counters.
//
// Requests are counted exactly in a fixed window: take() adds one and refuses when that goes past
// the quota (and takes its one back), so of any number of concurrent requests exactly `amount` are
// admitted per window. A sliding window adds the previous window's count, weighted by the part of
// it still inside the sliding window (the estimate of Cloudflare's and nginx's limiters): no burst
// at a boundary, at the price of an estimate. Bandwidth quotas count the bytes of each exchange
// after it (add_bytes) and refuse a request once the window's bytes have reached the quota.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/throttling_model.h"
#include "throttling/window.h"
#include "throttling/window_counters.h"

namespace gatehouse::throttling {

// What a meter said about one request.
struct Reading {
  bool admitted = true;
  uint64_t limit = 0;     // the quota
  uint64_t used = 0;      // counted in the window, this request included when admitted
  UnixMillis reset = 0;   // when the window ends
  int64_t window_ms = 0;  // its length
  // The counter this request added one to, to take it back if a later check refuses the request;
  // null when nothing was added (bandwidth, or a full table).
  std::atomic<uint64_t>* counted = nullptr;

  uint64_t remaining() const { return used >= limit ? 0 : limit - used; }
};

class Meter {
 public:
  // `counters` must count windows of the quota's length, and outlive the meter.
  Meter(const config::Quota& quota, WindowCounters& counters);

  const config::Quota& quota() const { return quota_; }
  // The quota as the parameters of a RateLimit-Policy item, `;q=1000;w=60` (and
  // `;qu="content-bytes"` for bandwidth), written once: a header on every answer must not format
  // numbers. Empty for a window whose length varies (months): its item is written per request.
  std::string_view policy_parameters() const { return policy_parameters_; }

  // Counts a request of `key` at `now`, or refuses it: see above. With `stop_on_quota_reach`
  // false, the request is counted and admitted past the quota too (reported, not refused). When
  // the table of the window is full (more keys than the gateway keeps per window), the request is
  // admitted uncounted. `share`: the quota is divided between this many (the nodes of a cluster
  // counting here while Redis is away).
  Reading take(uint64_t key, UnixMillis now, bool stop_on_quota_reach = true,
               uint32_t share = 1) const;
  // Takes back the request a reading counted (a later check refused it).
  static void give_back(const Reading& reading);
  // Adds an exchange's bytes, for a bandwidth quota.
  void add_bytes(uint64_t key, uint64_t bytes, UnixMillis now) const;

 private:
  // The count so far in the window, with the weighted previous window when sliding.
  uint64_t estimate(uint64_t counted, uint64_t key, const WindowPosition& window,
                    UnixMillis now) const;
  Reading reading(const WindowPosition& window) const;

  config::Quota quota_;
  WindowCounters* counters_;
  std::string policy_parameters_;
};

}  // namespace gatehouse::throttling
