#include "config/throttling_model.h"

namespace gatehouse::config {
namespace {

Quota per_minute(uint64_t requests) {
  return Quota{.kind = QuotaKind::requests, .amount = requests, .window = {}};
}

Tier tier(std::string name, std::optional<Quota> quota) {
  return Tier{.name = std::move(name), .quota = quota};
}

}  // namespace

// WSO2 API Manager's defaults (its admin portal's "Rate Limiting Policies").
std::vector<Tier> builtin_subscription_tiers() {
  return {tier("Bronze", per_minute(1000)), tier("Silver", per_minute(2000)),
          tier("Gold", per_minute(5000)), tier("Unlimited", std::nullopt),
          tier("Unauthenticated", per_minute(500))};
}

std::vector<Tier> builtin_application_tiers() {
  return {tier("10PerMin", per_minute(10)), tier("20PerMin", per_minute(20)),
          tier("50PerMin", per_minute(50)), tier("Unlimited", std::nullopt)};
}

std::vector<ApiPolicy> builtin_api_policies() {
  const auto policy = [](std::string name, std::optional<Quota> quota) {
    return ApiPolicy{.name = std::move(name), .quota = quota};
  };
  return {policy("10KPerMin", per_minute(10'000)), policy("20KPerMin", per_minute(20'000)),
          policy("50KPerMin", per_minute(50'000)), policy("Unlimited", std::nullopt)};
}

}  // namespace gatehouse::config
