// WSO2's spelling of a subscription state ("UNBLOCKED", "PROD_ONLY_BLOCKED"), as the admin
// listener reads and writes it.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "security/identity/records.h"

namespace gatehouse::identity {

inline constexpr std::array<std::pair<std::string_view, SubscriptionState>, 5>
    subscription_state_labels = {{{"UNBLOCKED", SubscriptionState::unblocked},
                                  {"BLOCKED", SubscriptionState::blocked},
                                  {"PROD_ONLY_BLOCKED", SubscriptionState::prod_only_blocked},
                                  {"ON_HOLD", SubscriptionState::on_hold},
                                  {"REJECTED", SubscriptionState::rejected}}};

constexpr std::string_view subscription_state_label(SubscriptionState state) {
  for (const auto& [label, value] : subscription_state_labels) {
    if (value == state) return label;
  }
  return "UNKNOWN";
}

constexpr std::optional<SubscriptionState> parse_subscription_state(std::string_view label) {
  for (const auto& [name, value] : subscription_state_labels) {
    if (name == label) return value;
  }
  return std::nullopt;
}

}  // namespace gatehouse::identity
