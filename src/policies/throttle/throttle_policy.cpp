#include "policies/throttle/throttle_policy.h"

#include <absl/container/inlined_vector.h>

#include <string>

#include "core/worker_index.h"
#include "observability/metrics.h"
#include "policies/throttle/throttle_refusal.h"
#include "throttling/counter_key.h"
#include "throttling/request_facts.h"

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
  bool bytes = false;  // a bandwidth quota
};

// A bandwidth quota to charge with the exchange's bytes.
struct Charge {
  const Meter* meter;
  uint64_t key;
};

struct ThrottleState {
  absl::InlinedVector<Applied, 6> applied;
  absl::InlinedVector<Charge, 2> bandwidth;
  UnixMillis now = 0;
  bool refused = false;
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
    if (!check_api_policy(held, exchange, ip, Level::api, settings_.api_policy, {}) ||
        !check_api_policy(held, exchange, ip, Level::resource, settings_.resource_policy,
                          settings_.resource)) {
      return refuse(held, exchange);
    }
    if (!check_subscription(held, exchange, ip) || !check_application(held, exchange) ||
        !check_custom(held, exchange, ip)) {
      return refuse(held, exchange);
    }
    return Verdict::proceed;
  }

  Verdict on_response(Exchange& exchange) const override {
    const ThrottleState& held = state(exchange);
    if (held.applied.empty()) return Verdict::proceed;
    exchange.response_edits.add.emplace_back("RateLimit-Policy", policy_header(held));
    exchange.response_edits.add.emplace_back("RateLimit", limit_header(held));
    return Verdict::proceed;
  }

  void on_log(const Exchange& exchange) const override {
    const ThrottleState& held = state(exchange);
    if (held.refused || held.bandwidth.empty()) return;
    const uint64_t bytes = exchange.bytes_received + exchange.bytes_sent;
    const UnixMillis now = throttling::unix_now();
    for (const Charge& charge : held.bandwidth) charge.meter->add_bytes(charge.key, bytes, now);
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

  // Counts the request against one meter; false when it refuses (the refusing reading is the
  // last of `held.applied`).
  bool apply(ThrottleState& held, Limit limit, const Meter& meter, uint64_t key,
             bool stop_on_quota_reach = true) const {
    const Reading reading = meter.take(key, held.now, stop_on_quota_reach);
    const bool bytes = meter.quota().kind == config::QuotaKind::bandwidth;
    held.applied.push_back({limit, reading, bytes});
    if (bytes) held.bandwidth.push_back({&meter, key});
    return reading.admitted;
  }

  bool check_api_policy(ThrottleState& held, const Exchange& exchange, std::string_view ip,
                        Level level, const throttling::CompiledApiPolicy* policy,
                        std::string_view resource) const {
    if (policy == nullptr) return true;
    unsigned group = 0;
    const Meter* meter = policy->meter_for(exchange, ip, group);
    if (meter == nullptr) return true;
    const std::string group_name = std::to_string(group);
    const SeriesId series = level == Level::api ? policy->api_series : policy->resource_series;
    return apply(held, {level, level_name(level), series}, *meter,
                 throttling::counter_key(level, settings_.api, resource, group_name));
  }

  bool check_subscription(ThrottleState& held, const Exchange& exchange,
                          std::string_view ip) const {
    const throttling::Plan& plan = *settings_.plan;
    if (settings_.unauthenticated) {
      const throttling::CompiledTier* tier = plan.unauthenticated_tier();
      if (tier == nullptr || !tier->quota) return true;
      return apply(held,
                   {Level::unauthenticated, level_name(Level::unauthenticated),
                    plan.unauthenticated_series()},
                   *tier->quota, throttling::counter_key(Level::unauthenticated, settings_.api, ip),
                   tier->stop_on_quota_reach);
    }
    if (exchange.subscription == nullptr || exchange.caller.application == nullptr) return true;
    const throttling::CompiledTier* tier =
        plan.subscription_tier(exchange.subscriptions->tier_name(exchange.subscription->tier));
    if (tier == nullptr) return true;
    const std::string_view application = exchange.caller.application->id;
    if (tier->burst &&
        !apply(held, {Level::burst, level_name(Level::burst), tier->burst_series}, *tier->burst,
               throttling::counter_key(Level::burst, application, settings_.api))) {
      return false;
    }
    if (!tier->quota) return true;
    return apply(held, {Level::subscription, level_name(Level::subscription), tier->series},
                 *tier->quota,
                 throttling::counter_key(Level::subscription, application, settings_.api),
                 tier->stop_on_quota_reach);
  }

  bool check_application(ThrottleState& held, const Exchange& exchange) const {
    const identity::StoredApplication* application = exchange.caller.application;
    if (application == nullptr) return true;
    const throttling::CompiledTier* tier =
        settings_.plan->application_tier(exchange.subscriptions->tier_name(application->tier));
    if (tier == nullptr || !tier->quota) return true;
    const std::string_view user = tier->per_user && exchange.principal
                                      ? std::string_view(exchange.principal->subject)
                                      : std::string_view();
    return apply(held, {Level::application, level_name(Level::application), tier->series},
                 *tier->quota, throttling::counter_key(Level::application, application->id, user),
                 tier->stop_on_quota_reach);
  }

  bool check_custom(ThrottleState& held, const Exchange& exchange, std::string_view ip) const {
    for (const throttling::CustomPolicy& policy : settings_.plan->custom_policies()) {
      std::string key;
      if (!expand(policy, exchange, ip, key)) continue;
      if (!apply(held, {Level::custom, policy.name, policy.series}, policy.meter,
                 throttling::counter_key(Level::custom, policy.name, key))) {
        return false;
      }
    }
    return true;
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

  Verdict refuse(ThrottleState& held, Exchange& exchange) const {
    held.refused = true;
    const Applied& refusing = held.applied.back();
    for (const Applied& earlier : held.applied) Meter::give_back(earlier.reading);
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

  // RateLimit-Policy: every limit that applied, as the IETF draft writes them:
  // "subscription";q=1000;w=60, "burst";q=10;w=1 (and qu="content-bytes" for bandwidth)
  static std::string policy_header(const ThrottleState& held) {
    std::string value;
    for (const Applied& applied : held.applied) {
      if (!value.empty()) value += ", ";
      value += '"';
      value += applied.limit.name;
      value += "\";q=" + std::to_string(applied.reading.limit) +
               ";w=" + std::to_string(applied.reading.window_ms / 1000);
      if (applied.bytes) value += ";qu=\"content-bytes\"";
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
    header.append("\"").append(tightest->limit.name).append("\";r=");
    header.append(std::to_string(tightest->reading.remaining())).append(";t=");
    header.append(std::to_string(seconds_until(tightest->reading.reset, held.now)));
    return header;
  }

  ThrottleSettings settings_;
  bool limits_;  // anything to count here; else only the blocking conditions apply
};

}  // namespace

std::unique_ptr<const Policy> make_throttle_policy(ThrottleSettings settings) {
  return std::make_unique<ThrottlePolicy>(std::move(settings));
}

}  // namespace gatehouse::policies
