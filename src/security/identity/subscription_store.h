// The applications, their consumer keys and their subscriptions, compiled at each change
// (security/auth/application_directory.h) and then only read, by every worker at once, without
// locks. Every lookup is O(1): one hash probe,
// no allocation. Names that the gateway knows at snapshot compile time (an API's "Name:Version",
// tiers, key managers) are interned to small ids; per-request lookups take those ids.
//
//   auto store = SubscriptionStore::build(applications, subscriptions);  // at each change
//   std::optional<ApiId> pizza = store->api_id("PizzaShack:1.0.0");     // once per API
//   // per request, after the token or key was validated:
//   auto owner = store->find_key("Resident Key Manager", consumer_key);
//   if (!owner) -> 900901-style "invalid credentials"
//   Admission admission = store->admit(owner->application->index, *pizza, owner->type);
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "security/identity/admission.h"
#include "security/identity/interner.h"
#include "security/identity/ip_matcher.h"
#include "security/identity/records.h"
#include "security/identity/referrer_matcher.h"
#include "security/identity/store_error.h"
#include "security/identity/string_arena.h"

namespace gatehouse::identity {

using ApiId = uint32_t;
using TierId = uint32_t;    // application and subscription tiers share one name space
using AppIndex = uint32_t;  // position of the application in the list given to build()

struct StoredApplication {
  AppIndex index;
  std::string_view id, name, owner;  // owned by the store
  TierId tier;
  IpMatcher allowed_ips;
  ReferrerMatcher allowed_referrers;

  // An empty list restricts nothing.
  bool allows_ip(std::string_view client_ip) const {
    return allowed_ips.empty() || allowed_ips.matches(client_ip);
  }
  bool allows_referrer(std::string_view referer) const {
    return allowed_referrers.empty() || allowed_referrers.matches(referer);
  }
};

// 8 bytes: a million subscriptions fit in a few tens of megabytes.
struct StoredSubscription {
  TierId tier;
  SubscriptionState state;

  Admission admits(KeyType key) const { return admission(state, key); }
};

struct KeyOwner {
  const StoredApplication* application = nullptr;
  KeyType type = KeyType::production;
};

class SubscriptionStore {
 public:
  // Refuses (listing up to max_store_errors errors, each with the index of its record): an empty
  // or repeated application id; an empty tier, key manager or consumer key; a consumer key used
  // twice under one key manager (also within one application); a bad IP or referrer entry; a
  // subscription to an application not in the list, with an API not of the form "Name:Version",
  // an empty tier or an unknown state; two subscriptions of one application to one API.
  //
  // `known_apis`: the process's API ids, so that an API keeps its id from one store to the next
  // (policies compiled against an earlier store ask a later one); the names it holds get its ids,
  // others the ids after them.
  static std::expected<SubscriptionStore, StoreErrors> build(
      const std::vector<Application>& applications, const std::vector<Subscription>& subscriptions,
      const Interner* known_apis = nullptr);

  // Interned names; an API no subscription names has no id (and so no subscriber).
  std::optional<ApiId> api_id(std::string_view name_version) const {
    return apis_.find(name_version);
  }
  std::string_view api_name(ApiId api) const { return apis_.name(api); }
  std::optional<TierId> tier_id(std::string_view tier) const { return tiers_.find(tier); }
  std::string_view tier_name(TierId tier) const { return tiers_.name(tier); }

  std::optional<KeyOwner> find_key(std::string_view key_manager,
                                   std::string_view consumer_key) const;
  const StoredApplication* find_application(std::string_view id) const;
  const StoredApplication& application(AppIndex index) const { return applications_[index]; }
  const StoredSubscription* find_subscription(AppIndex application, ApiId api) const;

  // The per-request question: may this application's key of this type call this API?
  Admission admit(AppIndex application, ApiId api, KeyType key) const;

  // Which store this is, among those its directory made (security/auth/application_directory.h):
  // what a cache of anything read from the store is keyed by. 0 for a store no directory made.
  uint64_t generation() const { return generation_; }
  void set_generation(uint64_t generation) { generation_ = generation; }

  size_t application_count() const { return applications_.size(); }
  size_t subscription_count() const { return subscriptions_.size(); }

 private:
  struct KeyEntry {
    AppIndex application;
    KeyType type;
  };
  static uint64_t subscription_key(AppIndex application, ApiId api) {
    return uint64_t{application} << 32 | api;
  }

  StringArena text_;  // application ids, names, owners and consumer keys
  std::vector<StoredApplication> applications_;
  absl::flat_hash_map<std::string_view, AppIndex> applications_by_id_;
  Interner key_managers_;
  std::vector<absl::flat_hash_map<std::string_view, KeyEntry>> keys_;  // by key manager id
  Interner apis_;
  Interner tiers_;
  absl::flat_hash_map<uint64_t, StoredSubscription> subscriptions_;
  uint64_t generation_ = 0;
};

}  // namespace gatehouse::identity
