// The throttling section compiled: every tier and policy as meters over the runtime's counters,
// conditions with their patterns compiled, custom keys as templates, and the metric series each
// counts its refusals in. One Plan per snapshot, immutable and shared by every worker; its meters
// count in the Runtime, which outlives it.
#pragma once

#include <re2/re2.h>

#include <absl/container/flat_hash_map.h>

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/throttling_model.h"
#include "observability/metrics.h"
#include "pipeline/exchange.h"
#include "security/identity/ip_matcher.h"
#include "throttling/meter.h"
#include "throttling/runtime.h"

namespace gatehouse::throttling {

using SeriesId = observability::Metrics::ThrottleSeriesId;

struct CompiledTier {
  std::string name;
  std::optional<Meter> quota;  // absent: unlimited
  std::optional<Meter> burst;
  bool stop_on_quota_reach = true;
  bool per_user = false;
  SeriesId series = 0;        // refusals at the tier's level (subscription or application)
  SeriesId burst_series = 0;  // refusals by its burst control
};

// One test of a condition group.
class Condition {
 public:
  static std::expected<Condition, std::string> compile(const config::ThrottleCondition& config);
  bool holds(const pipeline::Exchange& exchange, std::string_view client_ip) const;

 private:
  bool value_holds(std::optional<std::string_view> value) const;

  config::ThrottleCondition::Kind kind_ = config::ThrottleCondition::Kind::ip;
  std::string name_;
  std::shared_ptr<const re2::RE2> pattern_;  // null: presence is enough
  identity::IpMatcher addresses_;
  bool invert_ = false;
};

struct ConditionGroup {
  std::vector<Condition> when;
  Meter meter;
};

struct CompiledApiPolicy {
  std::string name;
  std::optional<Meter> quota;  // the default limit; absent: unlimited
  std::vector<ConditionGroup> groups;
  SeriesId api_series = 0;       // refusals as an API's policy
  SeriesId resource_series = 0;  // refusals as a resource's policy

  // The meter for this request: the first group whose conditions hold, else the default;
  // `group` is its number (0: the default, n: the nth group), part of the counter's key.
  const Meter* meter_for(const pipeline::Exchange& exchange, std::string_view client_ip,
                         unsigned& group) const;
};

// A custom policy's key: literal text and placeholders, expanded per request.
struct CustomPolicy {
  enum class Part : uint8_t { text, user, application, api, resource, ip };
  std::string name;
  std::vector<std::pair<Part, std::string>> parts;
  Meter meter;
  SeriesId series = 0;
};

class Plan {
 public:
  // `config` was validated when it was read; what can still fail is reported as a message.
  static std::expected<std::shared_ptr<const Plan>, std::string> compile(
      const config::ThrottlingConfig& config, Runtime& runtime, observability::Metrics& metrics);

  const CompiledTier* subscription_tier(std::string_view name) const;
  const CompiledTier* application_tier(std::string_view name) const;
  const CompiledApiPolicy* api_policy(std::string_view name) const;
  const CompiledTier* unauthenticated_tier() const { return unauthenticated_; }
  SeriesId unauthenticated_series() const { return unauthenticated_series_; }
  SeriesId blocking_series() const { return blocking_series_; }
  const std::vector<CustomPolicy>& custom_policies() const { return custom_; }
  const identity::IpMatcher& trusted_proxies() const { return trusted_proxies_; }

 private:
  absl::flat_hash_map<std::string, CompiledTier> subscription_tiers_;
  absl::flat_hash_map<std::string, CompiledTier> application_tiers_;
  absl::flat_hash_map<std::string, CompiledApiPolicy> api_policies_;
  const CompiledTier* unauthenticated_ = nullptr;
  SeriesId unauthenticated_series_ = 0;
  SeriesId blocking_series_ = 0;
  std::vector<CustomPolicy> custom_;
  identity::IpMatcher trusted_proxies_;
};

}  // namespace gatehouse::throttling
