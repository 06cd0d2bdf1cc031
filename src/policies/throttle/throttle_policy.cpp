#include "policies/throttle/throttle_policy.h"

#include <absl/container/inlined_vector.h>

#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/worker_index.h"
#include "observability/metrics.h"
#include "policies/throttle/throttle_refusal.h"
#include "throttling/counter_key.h"
#include "throttling/rate_limit_text.h"
#include "throttling/request_facts.h"
#include "throttling/shared_counts.h"

namespace gatehouse::policies {
namespace {

using throttling::Level;
using throttling::level_name;
using throttling::Meter;
using throttling::Reading;
using throttling::SeriesId;
using throttling::UnixMillis;

// A limit a request is counted against.
struct Limit {
  Level level;
  std::string_view name;  // in the headers and the access log: the level, or a custom policy's
  SeriesId series;        // where its refusals count
};

// A limit that applied to the request.
struct Applied {
  Limit limit;
  Reading reading;
  const Meter* meter;
};

// A bandwidth quota to charge with the exchange's bytes.
struct Charge {
  const Meter* meter;
  uint64_t key;
};

struct ThrottleState {
  // The limits the request is counted against, in order, then as decided.
  absl::InlinedVector<Limit, 6> limits;
  absl::InlinedVector<throttling::Demand, 6> demands;
  absl::InlinedVector<Applied, 6> applied;
  absl::InlinedVector<Charge, 2> bandwidth;
  UnixMillis now = 0;
  bool refused = false;
  bool shared = false;  // decided in Redis: the bytes are charged there too
};

int64_t seconds_until(UnixMillis reset, UnixMillis now) {
  return reset <= now ? 0 : (reset - now + 999) / 1000;
}

class ThrottlePolicy final : public StatefulPolicy<ThrottleState> {
 public:
  explicit ThrottlePolicy(ThrottleSettings settings)
      : settings_(std::move(settings)),
        limits_(settings_.api_policy != nullptr || settings_.resource_policy != nullptr ||
                settings_.secured || !settings_.plan->custom_policies().empty()) {}

  Phase phase() const override { return Phase::throttling; }

  Verdict on_request(Exchange& exchange) const override {
    ThrottleState& held = state(exchange);
    const throttling::Plan& plan = *settings_.plan;
    const std::string_view ip = throttling::client_ip(exchange, plan.trusted_proxies());
    if (blocked_by_condition(exchange, ip)) {
      held.refused = true;
      exchange.local_response = pipeline::LocalResponse::from_error(blocked());
      exchange.throttled_by = "blocking_condition";
      count_refusal(settings_.plan->blocking_series());
      return Verdict::respond;
    }
    if (!limits_) return Verdict::proceed;
    held.now = throttling::unix_now();
    list_api_policy(held, exchange, ip, Level::api, settings_.api_policy, api_keys_);
    list_api_policy(held, exchange, ip, Level::resource, settings_.resource_policy, resource_keys_);
    list_subscription(held, exchange, ip);
    list_application(held, exchange);
    list_custom(held, exchange, ip);
    if (held.demands.empty()) return Verdict::proceed;
    throttling::SharedCounts* shared = settings_.runtime->shared();
    if (shared == nullptr) return decide_locally(held, exchange);
    held.shared = true;
    if (auto decided = shared->decide_here(held.demands, held.now)) {
      return settle(held, exchange, *decided);
    }
    return Verdict::wait;
  }

  boost::asio::awaitable<Verdict> on_request_async(Exchange& exchange) const override {
    ThrottleState& held = state(exchange);
    throttling::SharedCounts& shared = *settings_.runtime->shared();
    const throttling::SharedDecision decided = co_await shared.decide(held.demands, held.now);
    if (!decided.failed) co_return settle(held, exchange, decided);
    count_redis_failure();
    switch (shared.settings().on_redis_failure) {
      case config::RedisFailure::local: {
        held.shared = false;
        const Verdict verdict = decide_locally(held, exchange, shared.settings().nodes);
        if (verdict == Verdict::proceed) shared.remember_local(held.demands, held.now);
        co_return verdict;
      }
      case config::RedisFailure::open:
        held.shared = false;
        held.demands.clear();
        co_return Verdict::proceed;
      case config::RedisFailure::closed:
        held.refused = true;
        exchange.local_response = pipeline::LocalResponse::from_error(counts_unavailable());
        exchange.throttled_by = "redis_unavailable";
        co_return Verdict::respond;
    }
    co_return Verdict::proceed;
  }

  Verdict on_response(Exchange& exchange) const override {
    const ThrottleState& held = state(exchange);
    if (held.applied.empty()) return Verdict::proceed;
    auto& added = exchange.response_edits.add;
    added.reserve(added.size() + 2);
    added.emplace_back("RateLimit-Policy", policy_header(held));
    added.emplace_back("RateLimit", limit_header(held));
    return Verdict::proceed;
  }

  void on_log(const Exchange& exchange) const override {
    const ThrottleState& held = state(exchange);
    if (held.refused || held.bandwidth.empty()) return;
    const uint64_t bytes = exchange.bytes_received + exchange.bytes_sent;
    const UnixMillis now = throttling::unix_now();
    throttling::SharedCounts* shared = held.shared ? settings_.runtime->shared() : nullptr;
    for (const Charge& charge : held.bandwidth) {
      if (shared != nullptr) {
        shared->add_bytes(*charge.meter, charge.key, bytes, now);
      } else {
        charge.meter->add_bytes(charge.key, bytes, now);
      }
    }
  }

 private:
  bool blocked_by_condition(const Exchange& exchange, std::string_view ip) const {
    const throttling::BlockingList& blocking = settings_.runtime->blocking();
    if (blocking.empty()) return false;
    return blocking.blocking({.api = settings_.api_context,
                              .application = exchange.caller.application != nullptr
                                                 ? exchange.caller.application->id
                                                 : std::string_view(),
                              .user = exchange.principal
                                          ? std::string_view(exchange.principal->subject)
                                          : std::string_view(),
                              .ip = ip}) != nullptr;
  }

  // Lists a limit the request is counted against; decided later, in the order listed.
  static void list(ThrottleState& held, Limit limit, const Meter& meter, uint64_t key,
                   bool stop_on_quota_reach = true) {
    held.limits.push_back(limit);
    held.demands.push_back({&meter, key, stop_on_quota_reach});
  }

  void list_api_policy(ThrottleState& held, const Exchange& exchange, std::string_view ip,
                       Level level, const throttling::CompiledApiPolicy* policy,
                       const std::vector<uint64_t>& keys) const {
    if (policy == nullptr) return;
    unsigned group = 0;
    const Meter* meter = policy->meter_for(exchange, ip, group);
    if (meter == nullptr) return;
    const SeriesId series = level == Level::api ? policy->api_series : policy->resource_series;
    list(held, {level, level_name(level), series}, *meter, keys[group]);
  }

  void list_subscription(ThrottleState& held, const Exchange& exchange, std::string_view ip) const {
    const throttling::Plan& plan = *settings_.plan;
    if (settings_.unauthenticated) {
      const throttling::CompiledTier* tier = plan.unauthenticated_tier();
      if (tier == nullptr || !tier->quota) return;
      list(held,
           {Level::unauthenticated, level_name(Level::unauthenticated),
            plan.unauthenticated_series()},
           *tier->quota, throttling::counter_key(Level::unauthenticated, settings_.api, ip),
           tier->stop_on_quota_reach);
      return;
    }
    if (exchange.subscription == nullptr || exchange.caller.application == nullptr) return;
    const throttling::CompiledTier* tier =
        plan.subscription_tier(exchange.subscriptions->tier_name(exchange.subscription->tier));
    if (tier == nullptr) return;
    const std::string_view application = exchange.caller.application->id;
    if (tier->burst) {
      list(held, {Level::burst, level_name(Level::burst), tier->burst_series}, *tier->burst,
           throttling::counter_key(Level::burst, application, settings_.api));
    }
    if (!tier->quota) return;
    list(held, {Level::subscription, level_name(Level::subscription), tier->series}, *tier->quota,
         throttling::counter_key(Level::subscription, application, settings_.api),
         tier->stop_on_quota_reach);
  }

  void list_application(ThrottleState& held, const Exchange& exchange) const {
    const identity::StoredApplication* application = exchange.caller.application;
    if (application == nullptr) return;
    const throttling::CompiledTier* tier =
        settings_.plan->application_tier(exchange.subscriptions->tier_name(application->tier));
    if (tier == nullptr || !tier->quota) return;
    const std::string_view user = tier->per_user && exchange.principal
                                      ? std::string_view(exchange.principal->subject)
                                      : std::string_view();
    list(held, {Level::application, level_name(Level::application), tier->series}, *tier->quota,
         throttling::counter_key(Level::application, application->id, user),
         tier->stop_on_quota_reach);
  }

  // Takes each listed limit in this process's counters, in order; the first that refuses ends
  // the request, and the counts taken before it are given back. `share`: the nodes the quota is
  // divided between (counting here while Redis is away).
  Verdict decide_locally(ThrottleState& held, Exchange& exchange, uint32_t share = 1) const {
    for (size_t i = 0; i < held.demands.size(); ++i) {
      const throttling::Demand& demand = held.demands[i];
      const Reading reading =
          demand.meter->take(demand.key, held.now, demand.stop_on_quota_reach, share);
      record(held, i, reading);
      if (!reading.admitted) {
        for (const Applied& earlier : held.applied) Meter::give_back(earlier.reading);
        return refuse(held, exchange);
      }
    }
    return Verdict::proceed;
  }

  // The decision Redis (or this worker's leases) gave.
  Verdict settle(ThrottleState& held, Exchange& exchange,
                 const throttling::SharedDecision& decided) const {
    for (size_t i = 0; i < decided.readings.size(); ++i) record(held, i, decided.readings[i]);
    if (decided.refused != throttling::SharedDecision::kNone) return refuse(held, exchange);
    return Verdict::proceed;
  }

  static void record(ThrottleState& held, size_t index, const Reading& reading) {
    const throttling::Demand& demand = held.demands[index];
    held.applied.push_back({held.limits[index], reading, demand.meter});
    if (demand.meter->quota().kind == config::QuotaKind::bandwidth) {
      held.bandwidth.push_back({demand.meter, demand.key});
    }
  }

  void list_custom(ThrottleState& held, const Exchange& exchange, std::string_view ip) const {
    for (const throttling::CustomPolicy& policy : settings_.plan->custom_policies()) {
      std::string key;
      if (!expand(policy, exchange, ip, key)) continue;
      list(held, {Level::custom, policy.name, policy.series}, policy.meter,
           throttling::counter_key(Level::custom, policy.name, key));
    }
  }

  // The custom policy's key for this request; false when the request lacks a part of it (no
  // user on an open resource, say): the policy does not apply.
  bool expand(const throttling::CustomPolicy& policy, const Exchange& exchange, std::string_view ip,
              std::string& key) const {
    using Part = throttling::CustomPolicy::Part;
    for (const auto& [part, text] : policy.parts) {
      std::string_view value;
      switch (part) {
        case Part::text:
          value = text;
          break;
        case Part::user:
          value = exchange.principal ? std::string_view(exchange.principal->subject) : "";
          break;
        case Part::application:
          value = exchange.caller.application ? exchange.caller.application->id : "";
          break;
        case Part::api:
          value = settings_.api_context;
          break;
        case Part::resource:
          value = settings_.resource;
          break;
        case Part::ip:
          value = ip;
          break;
      }
      if (value.empty() && part != Part::text) return false;
      key += value;
    }
    return true;
  }

  // The last applied limit refused the request.
  Verdict refuse(ThrottleState& held, Exchange& exchange) const {
    held.refused = true;
    const Applied& refusing = held.applied.back();
    exchange.local_response = pipeline::LocalResponse::from_error(throttled(refusing.limit.level));
    exchange.local_response->headers.emplace_back(
        "Retry-After", std::to_string(seconds_until(refusing.reading.reset, held.now)));
    exchange.throttled_by = refusing.limit.name;
    count_refusal(refusing.limit.series);
    return Verdict::respond;
  }

  void count_refusal(SeriesId series) const {
    if (settings_.metrics != nullptr) settings_.metrics->worker(this_worker()).throttled(series);
  }

  void count_redis_failure() const {
    if (settings_.metrics != nullptr) settings_.metrics->worker(this_worker()).throttle_fallback();
  }

  // RateLimit-Policy: every limit that applied (throttling/rate_limit_text.h). A meter has its
  // parameters written already, unless its window's length varies or the quota was shared out
  // (counted here while Redis is away).
  static std::string policy_header(const ThrottleState& held) {
    std::string value;
    value.reserve(48 * held.applied.size());
    for (const Applied& applied : held.applied) {
      if (!value.empty()) value += ", ";
      value += '"';
      value += applied.limit.name;
      value += '"';
      const config::Quota& quota = applied.meter->quota();
      if (!applied.meter->policy_parameters().empty() && applied.reading.limit == quota.amount) {
        value += applied.meter->policy_parameters();
      } else {
        throttling::append_policy_parameters(value, applied.reading.limit,
                                             applied.reading.window_ms,
                                             quota.kind == config::QuotaKind::bandwidth);
      }
    }
    return value;
  }

  // RateLimit: the limit with the least left: "subscription";r=12;t=41
  static std::string limit_header(const ThrottleState& held) {
    const Applied* tightest = &held.applied.front();
    for (const Applied& applied : held.applied) {
      if (applied.reading.remaining() < tightest->reading.remaining()) tightest = &applied;
    }
    std::string header;
    header.reserve(48);
    header += '"';
    header += tightest->limit.name;
    header += "\";r=";
    append_decimal(header, tightest->reading.remaining());
    header += ";t=";
    append_decimal(header, static_cast<uint64_t>(seconds_until(tightest->reading.reset, held.now)));
    return header;
  }

  // The counter keys of an advanced policy's default limit (0) and groups (1...), made once.
  std::vector<uint64_t> group_keys(Level level, const throttling::CompiledApiPolicy* policy,
                                   std::string_view resource) const {
    std::vector<uint64_t> keys;
    if (policy == nullptr) return keys;
    for (size_t group = 0; group <= policy->groups.size(); ++group) {
      keys.push_back(
          throttling::counter_key(level, settings_.api, resource, std::to_string(group)));
    }
    return keys;
  }

  ThrottleSettings settings_;
  bool limits_;  // anything to count here; else only the blocking conditions apply
  std::vector<uint64_t> api_keys_ = group_keys(Level::api, settings_.api_policy, {});
  std::vector<uint64_t> resource_keys_ =
      group_keys(Level::resource, settings_.resource_policy, settings_.resource);
};

}  // namespace

std::unique_ptr<const Policy> make_throttle_policy(ThrottleSettings settings) {
  return std::make_unique<ThrottlePolicy>(std::move(settings));
}

}  // namespace gatehouse::policies
