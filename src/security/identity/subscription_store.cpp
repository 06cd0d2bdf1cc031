#include "security/identity/subscription_store.h"

#include <string>
#include <utility>

namespace gatehouse::identity {
namespace {

class ErrorList {
 public:
  void add(RecordKind kind, size_t index, std::string message) {
    if (errors_.size() < max_store_errors) errors_.push_back({kind, index, std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  StoreErrors take() { return std::move(errors_); }

 private:
  StoreErrors errors_;
};

std::string quoted(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  result.append(1, '"').append(text).append(1, '"');
  return result;
}

// "Name:Version": the version is after the last colon; both parts are non-empty.
bool is_api_name_version(std::string_view api) {
  size_t colon = api.rfind(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < api.size();
}

// Records read from a database may carry any number in an enum field.
bool is_known_state(SubscriptionState state) {
  return static_cast<uint8_t>(state) <= static_cast<uint8_t>(SubscriptionState::rejected);
}
bool is_known_key_type(KeyType type) {
  return type == KeyType::production || type == KeyType::sandbox;
}

}  // namespace

std::expected<SubscriptionStore, StoreErrors> SubscriptionStore::build(
    const std::vector<Application>& applications, const std::vector<Subscription>& subscriptions,
    const Interner* known_apis) {
  SubscriptionStore store;
  if (known_apis != nullptr) {
    for (uint32_t id = 0; id < known_apis->size(); ++id) store.apis_.intern(known_apis->name(id));
  }
  ErrorList errors;
  auto application_error = [&](size_t index, std::string message) {
    errors.add(RecordKind::application, index, std::move(message));
  };

  // Application indices share a 64-bit subscription key with 32-bit API ids.
  if (applications.size() > UINT32_MAX) {
    return std::unexpected(
        StoreErrors{{RecordKind::application, UINT32_MAX, "too many applications"}});
  }
  store.applications_.reserve(applications.size());
  store.applications_by_id_.reserve(applications.size());
  for (size_t i = 0; i < applications.size(); ++i) {
    const Application& input = applications[i];
    auto index = static_cast<AppIndex>(i);
    if (input.id.empty()) application_error(i, "the application id is empty");
    if (input.tier.empty())
      application_error(i, "application " + quoted(input.id) + " has no tier");
    auto ips = IpMatcher::parse(input.restrictions.allowed_ips);
    if (!ips)
      application_error(
          i, "allowed_ips[" + std::to_string(ips.error().entry) + "]: " + ips.error().message);
    auto referrers = ReferrerMatcher::parse(input.restrictions.allowed_referrers);
    if (!referrers) {
      application_error(i, "allowed_referrers[" + std::to_string(referrers.error().entry) +
                               "]: " + referrers.error().message);
    }
    StoredApplication& stored = store.applications_.emplace_back(
        StoredApplication{index, store.text_.store(input.id), store.text_.store(input.name),
                          store.text_.store(input.owner), store.tiers_.intern(input.tier),
                          ips ? std::move(*ips) : IpMatcher{},
                          referrers ? std::move(*referrers) : ReferrerMatcher{}});
    if (!input.id.empty()) {
      auto [existing, added] = store.applications_by_id_.emplace(stored.id, index);
      if (!added) {
        application_error(i, "application id " + quoted(input.id) + " is also application " +
                                 std::to_string(existing->second));
      }
    }

    for (const ApplicationKey& key : input.keys) {
      if (key.key_manager.empty() || key.consumer_key.empty() || !is_known_key_type(key.type)) {
        application_error(i, "application " + quoted(input.id) +
                                 " has a key with an empty key manager or consumer key, or an "
                                 "unknown key type");
        continue;
      }
      uint32_t manager = store.key_managers_.intern(key.key_manager);
      if (manager == store.keys_.size()) store.keys_.emplace_back();
      auto& keys = store.keys_[manager];
      if (auto existing = keys.find(key.consumer_key); existing != keys.end()) {
        application_error(i, "consumer key " + quoted(key.consumer_key) + " of key manager " +
                                 quoted(key.key_manager) + " is also a key of application " +
                                 std::to_string(existing->second.application));
        continue;
      }
      keys.emplace(store.text_.store(key.consumer_key), KeyEntry{index, key.type});
    }
  }

  store.subscriptions_.reserve(subscriptions.size());
  for (size_t i = 0; i < subscriptions.size(); ++i) {
    const Subscription& input = subscriptions[i];
    auto subscription_error = [&](std::string message) {
      errors.add(RecordKind::subscription, i, std::move(message));
    };
    auto application = store.applications_by_id_.find(input.application_id);
    if (application == store.applications_by_id_.end()) {
      subscription_error("application " + quoted(input.application_id) + " is not defined");
      continue;
    }
    if (!is_api_name_version(input.api)) {
      subscription_error("API " + quoted(input.api) + " is not of the form Name:Version");
      continue;
    }
    if (input.tier.empty()) {
      subscription_error("the subscription to " + quoted(input.api) + " has no tier");
      continue;
    }
    if (!is_known_state(input.state)) {
      subscription_error("the subscription to " + quoted(input.api) + " has an unknown state");
      continue;
    }
    ApiId api = store.apis_.intern(input.api);
    StoredSubscription stored{store.tiers_.intern(input.tier), input.state};
    if (!store.subscriptions_.emplace(subscription_key(application->second, api), stored).second) {
      subscription_error("application " + quoted(input.application_id) + " is subscribed to " +
                         quoted(input.api) + " twice");
    }
  }

  if (!errors.empty()) return std::unexpected(errors.take());
  return store;
}

std::optional<KeyOwner> SubscriptionStore::find_key(std::string_view key_manager,
                                                    std::string_view consumer_key) const {
  std::optional<uint32_t> manager = key_managers_.find(key_manager);
  if (!manager) return std::nullopt;
  const auto& keys = keys_[*manager];
  auto found = keys.find(consumer_key);
  if (found == keys.end()) return std::nullopt;
  return KeyOwner{&applications_[found->second.application], found->second.type};
}

const StoredApplication* SubscriptionStore::find_application(std::string_view id) const {
  auto found = applications_by_id_.find(id);
  return found == applications_by_id_.end() ? nullptr : &applications_[found->second];
}

const StoredSubscription* SubscriptionStore::find_subscription(AppIndex application,
                                                               ApiId api) const {
  auto found = subscriptions_.find(subscription_key(application, api));
  return found == subscriptions_.end() ? nullptr : &found->second;
}

Admission SubscriptionStore::admit(AppIndex application, ApiId api, KeyType key) const {
  const StoredSubscription* subscription = find_subscription(application, api);
  return subscription ? subscription->admits(key) : Admission::not_subscribed;
}

}  // namespace gatehouse::identity
