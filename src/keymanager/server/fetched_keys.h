// A trusted issuer's keys fetched from its jwks_uri: an identity provider rotates its keys, so
// they are fetched again every refresh_interval, and at once (at most every refetch_interval) when
// a JWT names a kid they lack. The gateway's control thread fetches and swaps in the whole set;
// any thread reads it. Until the first fetch succeeds there are none, and every JWT of the issuer
// is refused.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "security/jose/jwk.h"

namespace gatehouse::keymanager {

class FetchedKeys {
 public:
  static constexpr std::chrono::minutes refresh_interval{10};
  static constexpr std::chrono::seconds refetch_interval{10};

  explicit FetchedKeys(std::string jwks_uri)
      : jwks_uri_(std::move(jwks_uri)), keys_(std::make_shared<const jose::KeySet>()) {}

  const std::string& jwks_uri() const { return jwks_uri_; }
  std::shared_ptr<const jose::KeySet> current() const {
    return keys_.load(std::memory_order_acquire);
  }

  // A JWT named this kid: when the keys lack it, the next check fetches them (any thread). A JWT
  // that names none (which only a set of one key verifies) asks for no fetch.
  void saw_kid(std::string_view kid) {
    if (!kid.empty() && current()->find(kid) == nullptr) {
      unknown_kid_.store(true, std::memory_order_relaxed);
    }
  }

  // Control thread: whether a fetch is due at `now`.
  bool due(std::chrono::steady_clock::time_point now) const {
    if (!fetched_at_) return true;
    const auto since = now - *fetched_at_;
    return since >= refresh_interval ||
           (unknown_kid_.load(std::memory_order_relaxed) && since >= refetch_interval);
  }
  // Control thread: a fetch was made at `now`; `keys` when it succeeded (a failed one keeps the
  // keys there were).
  void fetched(std::chrono::steady_clock::time_point now, std::optional<jose::KeySet> keys) {
    fetched_at_ = now;
    unknown_kid_.store(false, std::memory_order_relaxed);
    if (keys) keys_.store(std::make_shared<const jose::KeySet>(std::move(*keys)));
  }

 private:
  const std::string jwks_uri_;
  std::atomic<std::shared_ptr<const jose::KeySet>> keys_;
  std::atomic<bool> unknown_kid_{false};
  std::optional<std::chrono::steady_clock::time_point> fetched_at_;  // control thread only
};

}  // namespace gatehouse::keymanager
