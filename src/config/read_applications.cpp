// The `applications` and `subscriptions` sections: who calls, with which keys, subscribed to what.
// References between them (a subscription's application, a key's key manager) are checked by
// check_security_references once every section is read.
#include "config/sections.h"

namespace gatehouse::config {
namespace {

identity::ApplicationKey read_application_key(const Node& node, ReadContext& context) {
  identity::ApplicationKey key;
  MapReader map(node, "application key", context.errors);
  map.read_string("key_manager", key.key_manager, Presence::required);
  map.read_string("consumer_key", key.consumer_key, Presence::required);
  map.read_choice<identity::KeyType>(
      "type", key.type,
      {{"production", identity::KeyType::production}, {"sandbox", identity::KeyType::sandbox}});
  map.finish();
  return key;
}

ApplicationConfig read_application(const Node& node, ReadContext& context) {
  ApplicationConfig application;
  application.location = node.location();
  identity::Application& record = application.record;
  record.tier = "Unlimited";
  MapReader map(node, "application", context.errors);
  map.read_string("id", record.id, Presence::required);
  map.read_string("name", record.name);
  map.read_string("owner", record.owner);
  map.read_string("tier", record.tier);
  if (const std::optional<Node> keys = map.get("keys")) {
    if (const auto items = read_list(*keys, "keys", context.errors)) {
      for (const Node& item : *items) {
        record.keys.push_back(read_application_key(item, context));
        application.key_locations.push_back(item.location());
      }
    }
  }
  map.read_string_list("allowed_ips", record.restrictions.allowed_ips);
  map.read_string_list("allowed_referrers", record.restrictions.allowed_referrers);
  map.finish();
  if (record.name.empty()) record.name = record.id;
  return application;
}

SubscriptionConfig read_subscription(const Node& node, ReadContext& context) {
  SubscriptionConfig subscription;
  subscription.location = node.location();
  identity::Subscription& record = subscription.record;
  record.tier = "Unlimited";
  MapReader map(node, "subscription", context.errors);
  map.read_string("application", record.application_id, Presence::required);
  map.read_string("api", record.api, Presence::required);
  map.read_string("tier", record.tier);
  using identity::SubscriptionState;
  map.read_choice<SubscriptionState>("state", record.state,
                                     {{"UNBLOCKED", SubscriptionState::unblocked},
                                      {"BLOCKED", SubscriptionState::blocked},
                                      {"PROD_ONLY_BLOCKED", SubscriptionState::prod_only_blocked},
                                      {"ON_HOLD", SubscriptionState::on_hold},
                                      {"REJECTED", SubscriptionState::rejected}});
  map.finish();
  return subscription;
}

}  // namespace

std::vector<ApplicationConfig> read_applications(const Node& list, ReadContext& context) {
  std::vector<ApplicationConfig> applications;
  if (const auto items = read_list(list, "applications", context.errors)) {
    for (const Node& item : *items) applications.push_back(read_application(item, context));
  }
  return applications;
}

std::vector<SubscriptionConfig> read_subscriptions(const Node& list, ReadContext& context) {
  std::vector<SubscriptionConfig> subscriptions;
  if (const auto items = read_list(list, "subscriptions", context.errors)) {
    for (const Node& item : *items) subscriptions.push_back(read_subscription(item, context));
  }
  return subscriptions;
}

}  // namespace gatehouse::config
