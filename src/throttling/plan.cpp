#include "throttling/plan.h"

#include "throttling/level.h"
#include "throttling/request_facts.h"

namespace gatehouse::throttling {
namespace {

std::optional<Meter> meter(const std::optional<config::Quota>& quota, Runtime& runtime) {
  if (!quota) return std::nullopt;
  return Meter(*quota, runtime.counters(quota->window));
}

SeriesId series(observability::Metrics& metrics, Level level, std::string_view policy) {
  return metrics.throttle_series(level_name(level), policy);
}

CompiledTier compile_tier(const config::Tier& tier, Level level, Runtime& runtime,
                          observability::Metrics& metrics) {
  return {tier.name,
          meter(tier.quota, runtime),
          meter(tier.burst, runtime),
          tier.stop_on_quota_reach,
          tier.per_user,
          series(metrics, level, tier.name),
          series(metrics, Level::burst, tier.name)};
}

absl::flat_hash_map<std::string, CompiledTier> compile_tiers(const std::vector<config::Tier>& tiers,
                                                             Level level, Runtime& runtime,
                                                             observability::Metrics& metrics) {
  absl::flat_hash_map<std::string, CompiledTier> compiled;
  for (const config::Tier& tier : tiers)
    compiled.insert_or_assign(tier.name, compile_tier(tier, level, runtime, metrics));
  return compiled;
}

std::expected<std::vector<std::pair<CustomPolicy::Part, std::string>>, std::string> key_parts(
    std::string_view key) {
  using Part = CustomPolicy::Part;
  static constexpr std::pair<std::string_view, Part> kPlaceholders[] = {
      {"user", Part::user},
      {"application", Part::application},
      {"api", Part::api},
      {"resource", Part::resource},
      {"ip", Part::ip}};
  std::vector<std::pair<Part, std::string>> parts;
  while (!key.empty()) {
    const size_t open = key.find('{');
    if (open != 0) {
      parts.emplace_back(Part::text, std::string(key.substr(0, open)));
      if (open == std::string_view::npos) break;
      key.remove_prefix(open);
    }
    const size_t close = key.find('}');
    if (close == std::string_view::npos) return std::unexpected("an unclosed '{' in the key");
    const std::string_view name = key.substr(1, close - 1);
    const auto known =
        std::ranges::find(kPlaceholders, name, &std::pair<std::string_view, Part>::first);
    if (known == std::end(kPlaceholders)) {
      return std::unexpected("no placeholder {" + std::string(name) + "} in a key");
    }
    parts.emplace_back(known->second, std::string());
    key.remove_prefix(close + 1);
  }
  return parts;
}

}  // namespace

std::expected<Condition, std::string> Condition::compile(const config::ThrottleCondition& config) {
  Condition condition;
  condition.kind_ = config.kind;
  condition.name_ = config.name;
  condition.invert_ = config.invert;
  if (config.kind == config::ThrottleCondition::Kind::ip) {
    auto addresses = identity::IpMatcher::parse({config.ip});
    if (!addresses) return std::unexpected(addresses.error().message);
    condition.addresses_ = std::move(*addresses);
  } else if (!config.matches.empty()) {
    auto pattern = std::make_shared<const re2::RE2>(config.matches, re2::RE2::Quiet);
    if (!pattern->ok()) return std::unexpected("bad pattern: " + pattern->error());
    condition.pattern_ = std::move(pattern);
  }
  return condition;
}

bool Condition::value_holds(std::optional<std::string_view> value) const {
  if (!value) return false;
  return !pattern_ ||
         re2::RE2::FullMatch(re2::StringPiece(value->data(), value->size()), *pattern_);
}

bool Condition::holds(const pipeline::Exchange& exchange, std::string_view client_ip) const {
  bool result = false;
  switch (kind_) {
    case config::ThrottleCondition::Kind::ip:
      result = addresses_.matches(client_ip);
      break;
    case config::ThrottleCondition::Kind::header:
      result = exchange.request != nullptr && value_holds(header_value(*exchange.request, name_));
      break;
    case config::ThrottleCondition::Kind::query:
      result =
          exchange.request != nullptr && value_holds(query_value(exchange.request->query, name_));
      break;
    case config::ThrottleCondition::Kind::claim: {
      const std::optional<std::string> claim = claim_value(exchange, name_);
      result = claim && value_holds(std::string_view(*claim));
      break;
    }
  }
  return result != invert_;
}

const Meter* CompiledApiPolicy::meter_for(const pipeline::Exchange& exchange,
                                          std::string_view client_ip, unsigned& group) const {
  for (size_t i = 0; i < groups.size(); ++i) {
    const ConditionGroup& candidate = groups[i];
    if (std::ranges::all_of(candidate.when, [&](const Condition& condition) {
          return condition.holds(exchange, client_ip);
        })) {
      group = static_cast<unsigned>(i + 1);
      return &candidate.meter;
    }
  }
  group = 0;
  return quota ? &*quota : nullptr;
}

std::expected<std::shared_ptr<const Plan>, std::string> Plan::compile(
    const config::ThrottlingConfig& config, Runtime& runtime, observability::Metrics& metrics) {
  auto plan = std::make_shared<Plan>();
  plan->subscription_tiers_ =
      compile_tiers(config.subscription_tiers, Level::subscription, runtime, metrics);
  plan->application_tiers_ =
      compile_tiers(config.application_tiers, Level::application, runtime, metrics);
  for (const config::ApiPolicy& policy : config.api_policies) {
    CompiledApiPolicy compiled{policy.name,
                               meter(policy.quota, runtime),
                               {},
                               series(metrics, Level::api, policy.name),
                               series(metrics, Level::resource, policy.name)};
    for (const config::ConditionGroup& group : policy.conditions) {
      ConditionGroup compiled_group{{}, Meter(group.quota, runtime.counters(group.quota.window))};
      for (const config::ThrottleCondition& condition : group.when) {
        auto test = Condition::compile(condition);
        if (!test) return std::unexpected(policy.name + ": " + test.error());
        compiled_group.when.push_back(std::move(*test));
      }
      compiled.groups.push_back(std::move(compiled_group));
    }
    plan->api_policies_.insert_or_assign(policy.name, std::move(compiled));
  }
  for (const config::CustomPolicy& policy : config.custom_policies) {
    auto parts = key_parts(policy.key);
    if (!parts) return std::unexpected(policy.name + ": " + parts.error());
    plan->custom_.push_back({policy.name, std::move(*parts),
                             Meter(policy.quota, runtime.counters(policy.quota.window)),
                             series(metrics, Level::custom, policy.name)});
  }
  auto trusted = identity::IpMatcher::parse(config.trusted_proxies);
  if (!trusted) return std::unexpected("trusted_proxies: " + trusted.error().message);
  plan->trusted_proxies_ = std::move(*trusted);
  plan->unauthenticated_ = plan->subscription_tier(config.unauthenticated_tier);
  plan->unauthenticated_series_ =
      series(metrics, Level::unauthenticated, config.unauthenticated_tier);
  plan->blocking_series_ = metrics.throttle_series("blocking", "blocking_condition");
  return std::shared_ptr<const Plan>(std::move(plan));
}

const CompiledTier* Plan::subscription_tier(std::string_view name) const {
  const auto found = subscription_tiers_.find(absl::string_view(name.data(), name.size()));
  return found != subscription_tiers_.end() ? &found->second : nullptr;
}

const CompiledTier* Plan::application_tier(std::string_view name) const {
  const auto found = application_tiers_.find(absl::string_view(name.data(), name.size()));
  return found != application_tiers_.end() ? &found->second : nullptr;
}

const CompiledApiPolicy* Plan::api_policy(std::string_view name) const {
  const auto found = api_policies_.find(absl::string_view(name.data(), name.size()));
  return found != api_policies_.end() ? &found->second : nullptr;
}

}  // namespace gatehouse::throttling
