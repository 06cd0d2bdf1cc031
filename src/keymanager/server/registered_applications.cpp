#include "keymanager/server/registered_applications.h"

#include "keymanager/server/application_keys.h"
#include "keymanager/server/client_directory.h"
#include "security/identity/subscription_state_label.h"

namespace gatehouse::keymanager {
namespace {

std::string store_failure(const Error& error) {
  return "the key manager's store failed: " + error.describe();
}

SubscriptionChangeRecord record_of(const security::SubscriptionChange& change) {
  SubscriptionChangeRecord record{.application_id = change.application_id, .api = change.api};
  if (!change.subscription) {
    record.removed = true;
    return record;
  }
  record.tier = change.subscription->tier;
  record.state = std::string(identity::subscription_state_label(change.subscription->state));
  return record;
}

// nullopt for a record this build cannot read (a state it does not know).
std::optional<security::SubscriptionChange> change_of(const SubscriptionChangeRecord& record) {
  security::SubscriptionChange change{.application_id = record.application_id, .api = record.api};
  if (record.removed) return change;
  const std::optional<identity::SubscriptionState> state =
      identity::parse_subscription_state(record.state);
  if (!state) return std::nullopt;
  change.subscription =
      identity::Subscription{record.application_id, record.api, record.tier, *state};
  return change;
}

}  // namespace

std::expected<bool, std::string> RegisteredApplications::add(
    const identity::Application& application) {
  const ApplicationRecord record{.application_id = application.id,
                                 .name = application.name,
                                 .owner = application.owner,
                                 .tier = application.tier,
                                 .created_at = context_.now()};
  auto stored = context_.store().run_blocking(
      [&](GrantStore& store) { return store.put_application(record); });
  if (!stored) return std::unexpected(store_failure(stored.error()));
  return *stored;
}

std::expected<bool, std::string> RegisteredApplications::remove(std::string_view id) {
  auto removed = context_.store().run_blocking(
      [&](GrantStore& store) { return store.remove_application(id); });
  if (!removed) return std::unexpected(store_failure(removed.error()));
  if (!*removed) return false;
  // The store removed the keys it registered for the application; the served clients follow.
  const auto held = context_.clients();
  const ApplicationKeys keys(context_);
  ClientDirectory served = *held;
  for (const auto& [client_id, client] : held->by_id()) {
    if (client->application_id == id && !keys.in_config(client_id)) {
      served = served.without(client_id);
    }
  }
  context_.replace_clients(std::make_shared<const ClientDirectory>(std::move(served)));
  return *removed;
}

std::expected<std::vector<identity::Application>, std::string>
RegisteredApplications::applications() {
  auto records =
      context_.store().run_blocking([](GrantStore& store) { return store.applications(); });
  if (!records) return std::unexpected(store_failure(records.error()));
  std::vector<identity::Application> applications;
  applications.reserve(records->size());
  for (ApplicationRecord& record : *records) {
    applications.push_back(identity::Application{.id = std::move(record.application_id),
                                                 .name = std::move(record.name),
                                                 .owner = std::move(record.owner),
                                                 .tier = std::move(record.tier)});
  }
  return applications;
}

std::expected<void, std::string> RegisteredApplications::keep(
    const security::SubscriptionChange& change) {
  const SubscriptionChangeRecord record = record_of(change);
  auto kept = context_.store().run_blocking(
      [&](GrantStore& store) { return store.put_subscription_change(record); });
  if (!kept) return std::unexpected(store_failure(kept.error()));
  return {};
}

std::expected<std::vector<security::SubscriptionChange>, std::string>
RegisteredApplications::subscription_changes() {
  auto records =
      context_.store().run_blocking([](GrantStore& store) { return store.subscription_changes(); });
  if (!records) return std::unexpected(store_failure(records.error()));
  std::vector<security::SubscriptionChange> changes;
  for (const SubscriptionChangeRecord& record : *records) {
    std::optional<security::SubscriptionChange> change = change_of(record);
    if (!change) {
      return std::unexpected("the key manager's store holds a subscription of application '" +
                             record.application_id + "' to '" + record.api +
                             "' in an unknown state '" + record.state + "'");
    }
    changes.push_back(std::move(*change));
  }
  return changes;
}

}  // namespace gatehouse::keymanager
