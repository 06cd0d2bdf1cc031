// What a subscription says about a request made with a key of a given type. The caller maps the
// outcome to its HTTP answer; the WSO2 error codes are given for each.
#pragma once

#include <cstdint>

#include "security/identity/records.h"

namespace gatehouse::identity {

enum class Admission : uint8_t {
  allowed,
  // The application has no subscription to the API: WSO2 900908 ("Resource forbidden").
  not_subscribed,
  // BLOCKED, or PROD_ONLY_BLOCKED asked with a production key: WSO2 900907 ("API blocked").
  blocked,
  // ON_HOLD (awaiting approval) or REJECTED: WSO2 900909 ("Subscription inactive").
  inactive,
};

// UNBLOCKED admits every key type; BLOCKED none; PROD_ONLY_BLOCKED sandbox keys only; ON_HOLD and
// REJECTED are inactive whatever the key.
constexpr Admission admission(SubscriptionState state, KeyType key) {
  switch (state) {
    case SubscriptionState::unblocked:
      return Admission::allowed;
    case SubscriptionState::prod_only_blocked:
      return key == KeyType::sandbox ? Admission::allowed : Admission::blocked;
    case SubscriptionState::on_hold:
    case SubscriptionState::rejected:
      return Admission::inactive;
    case SubscriptionState::blocked:
      break;
  }
  return Admission::blocked;
}

}  // namespace gatehouse::identity
