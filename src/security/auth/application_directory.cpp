#include "security/auth/application_directory.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <tuple>

#include "security/auth/located_store_errors.h"

namespace gatehouse::security {
namespace {

template <class Items, class Record>
std::vector<Record> records_of(const Items& items, Record Items::value_type::*member) {
  std::vector<Record> records;
  records.reserve(items.size());
  for (const auto& item : items) records.push_back(item.*member);
  return records;
}

absl::flat_hash_set<std::string_view> ids_of(
    const std::vector<identity::Application>& applications) {
  absl::flat_hash_set<std::string_view> ids;
  for (const identity::Application& application : applications) ids.insert(application.id);
  return ids;
}

// The store's reasons for refusing a change, for the admin listener's answer.
std::string describe(const identity::StoreErrors& errors) {
  std::string text;
  for (const identity::StoreError& error : errors) {
    text += (text.empty() ? "" : "; ") + error.message;
  }
  return text;
}

}  // namespace

std::vector<identity::Subscription> ApplicationDirectory::merged(
    const Records& records, std::vector<size_t>* file_index) const {
  std::vector<identity::Subscription> merged;
  merged.reserve(records.subscriptions.size() + changes_.size());
  absl::flat_hash_set<SubscriptionKey> in_file;
  for (size_t i = 0; i < records.subscriptions.size(); ++i) {
    const identity::Subscription& from_file = records.subscriptions[i];
    SubscriptionKey key{from_file.application_id, from_file.api};
    in_file.insert(key);
    const auto change = changes_.find(key);
    if (change == changes_.end()) {
      merged.push_back(from_file);
    } else if (change->second) {
      merged.push_back(*change->second);
    } else {
      continue;  // removed through the admin listener
    }
    if (file_index != nullptr) file_index->push_back(i);
  }
  // A change to an application the records no longer have goes with it.
  const std::vector<identity::Application> all = with_registered(records.applications);
  const absl::flat_hash_set<std::string_view> applications = ids_of(all);
  for (const auto& [key, change] : changes_) {
    if (change && !in_file.contains(key) && applications.contains(key.first)) {
      merged.push_back(*change);
    }
  }
  return merged;
}

std::vector<identity::Application> ApplicationDirectory::with_registered(
    const std::vector<identity::Application>& from_file) const {
  std::vector<identity::Application> all = from_file;
  const absl::flat_hash_set<std::string_view> in_file = ids_of(from_file);
  for (const identity::Application& registered : registered_) {
    if (!in_file.contains(registered.id)) all.push_back(registered);
  }
  return all;
}

std::vector<identity::Application> ApplicationDirectory::with_issued_keys(
    const std::vector<identity::Application>& applications) const {
  std::vector<identity::Application> merged = applications;
  for (const IssuedKey& issued : issued_keys_) {
    const auto owner = std::ranges::find(merged, issued.application_id, &identity::Application::id);
    if (owner == merged.end()) continue;
    const bool listed = std::ranges::any_of(owner->keys, [&](const identity::ApplicationKey& key) {
      return key.key_manager == issued.key.key_manager &&
             key.consumer_key == issued.key.consumer_key;
    });
    if (!listed) owner->keys.push_back(issued.key);
  }
  return merged;
}

std::expected<SubscriptionsPtr, identity::StoreErrors> ApplicationDirectory::build(
    const std::vector<identity::Application>& applications,
    const std::vector<identity::Subscription>& subscriptions) {
  for (const identity::Subscription& subscription : subscriptions)
    api_ids_.intern(subscription.api);
  auto store =
      identity::SubscriptionStore::build(with_issued_keys(applications), subscriptions, &api_ids_);
  if (!store) return std::unexpected(std::move(store.error()));
  store->set_generation(++generations_);
  return std::make_shared<const identity::SubscriptionStore>(std::move(*store));
}

std::expected<void, config::ConfigErrors> ApplicationDirectory::prepare(
    const config::SecurityConfig& security) {
  Records records{records_of(security.applications, &config::ApplicationConfig::record),
                  records_of(security.subscriptions, &config::SubscriptionConfig::record)};
  std::vector<size_t> file_index;
  const std::vector<identity::Application> applications = with_registered(records.applications);
  auto store = build(applications, merged(records, &file_index));
  if (!store) {
    // A change made through the admin listener was checked when it was made, against the
    // applications it still refers to. A registered application (after the file's) can clash
    // with the file's only by a consumer key the file lists: named, as it has no place there.
    identity::StoreErrors errors = std::move(store.error());
    std::vector<config::ConfigError> registered_errors;
    std::erase_if(errors, [&](const identity::StoreError& error) {
      if (error.kind != identity::RecordKind::application ||
          error.index < records.applications.size()) {
        return false;
      }
      registered_errors.push_back(config::ConfigError{
          config::Location{},
          "application '" + applications[error.index].id +
              "', made through the admin listener, clashes with the file: " + error.message});
      return true;
    });
    for (identity::StoreError& error : errors) {
      if (error.kind == identity::RecordKind::subscription) error.index = file_index[error.index];
    }
    config::ConfigErrors located = located_store_errors(errors, security);
    for (config::ConfigError& error : registered_errors) located.push_back(std::move(error));
    return std::unexpected(std::move(located));
  }
  prepared_ = Prepared{std::move(records), std::move(*store)};
  return {};
}

void ApplicationDirectory::commit() {
  if (!prepared_) return;
  records_ = std::move(prepared_->records);
  // A change to an application the records no longer have goes with it, and does not come back
  // with an application of the same id.
  const std::vector<identity::Application> all = with_registered(records_.applications);
  const absl::flat_hash_set<std::string_view> applications = ids_of(all);
  absl::erase_if(changes_,
                 [&](const auto& change) { return !applications.contains(change.first.first); });
  current_ = std::move(prepared_->store);
  prepared_.reset();
  ++updates_;
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::put(
    identity::Subscription subscription) {
  if (!has_application(subscription.application_id)) {
    return std::unexpected(DirectoryRefusal{
        DirectoryRefusal::not_found, "no application '" + subscription.application_id + "'"});
  }
  SubscriptionKey key{subscription.application_id, subscription.api};
  return apply_change(key, std::move(subscription));
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::remove(
    std::string_view application_id, std::string_view api) {
  SubscriptionKey key{std::string(application_id), std::string(api)};
  const std::vector<identity::Subscription> now = merged(records_, nullptr);
  const bool exists = std::ranges::any_of(now, [&](const identity::Subscription& held) {
    return held.application_id == application_id && held.api == api;
  });
  if (!exists) {
    return std::unexpected(DirectoryRefusal{
        DirectoryRefusal::not_found,
        "application '" + key.first + "' has no subscription to '" + key.second + "'"});
  }
  return apply_change(key, std::nullopt);
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::apply_change(
    const SubscriptionKey& key, std::optional<identity::Subscription> change) {
  std::optional<identity::Subscription> previous;
  const auto found = changes_.find(key);
  const bool had_change = found != changes_.end();
  if (had_change) previous = found->second;
  changes_[key] = std::move(change);
  auto store = rebuild();
  if (!store) {
    if (had_change) {
      changes_[key] = std::move(previous);
    } else {
      changes_.erase(key);
    }
  }
  return store;
}

bool ApplicationDirectory::has_application(std::string_view id) const {
  const auto has = [&](const identity::Application& application) { return application.id == id; };
  return std::ranges::any_of(records_.applications, has) || std::ranges::any_of(registered_, has);
}

bool ApplicationDirectory::is_registered(std::string_view id) const {
  const auto has = [&](const identity::Application& application) { return application.id == id; };
  return !std::ranges::any_of(records_.applications, has) && std::ranges::any_of(registered_, has);
}

std::vector<identity::Application> ApplicationDirectory::applications() const {
  std::vector<identity::Application> list =
      with_issued_keys(with_registered(records_.applications));
  std::ranges::sort(list, {}, &identity::Application::id);
  return list;
}

void ApplicationDirectory::set_changes(const std::vector<SubscriptionChange>& changes) {
  for (const SubscriptionChange& change : changes) {
    changes_[SubscriptionKey{change.application_id, change.api}] = change.subscription;
  }
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::put_registered_application(
    identity::Application application) {
  if (has_application(application.id)) {
    return std::unexpected(DirectoryRefusal{
        DirectoryRefusal::conflict, "an application '" + application.id + "' exists already"});
  }
  registered_.push_back(std::move(application));
  auto store = rebuild();
  if (!store) registered_.pop_back();
  return store;
}

std::expected<SubscriptionsPtr, DirectoryRefusal>
ApplicationDirectory::remove_registered_application(std::string_view id) {
  if (!is_registered(id)) {
    return std::unexpected(
        has_application(id)
            ? DirectoryRefusal{DirectoryRefusal::conflict,
                               "application '" + std::string(id) +
                                   "' is declared in the config file; change it there"}
            : DirectoryRefusal{DirectoryRefusal::not_found,
                               "no application '" + std::string(id) + "'"});
  }
  std::erase_if(registered_, [&](const identity::Application& held) { return held.id == id; });
  std::erase_if(issued_keys_, [&](const IssuedKey& key) { return key.application_id == id; });
  absl::erase_if(changes_, [&](const auto& change) { return change.first.first == id; });
  return rebuild();
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::rebuild() {
  auto store = build(with_registered(records_.applications), merged(records_, nullptr));
  if (!store) {
    return std::unexpected(DirectoryRefusal{DirectoryRefusal::invalid, describe(store.error())});
  }
  current_ = std::move(*store);
  ++updates_;
  return current_;
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::put_issued_key(
    IssuedKey key) {
  if (!has_application(key.application_id)) {
    return std::unexpected(DirectoryRefusal{DirectoryRefusal::not_found,
                                            "no application '" + key.application_id + "'"});
  }
  issued_keys_.push_back(std::move(key));
  auto store = rebuild();
  if (!store) issued_keys_.pop_back();
  return store;
}

std::expected<SubscriptionsPtr, DirectoryRefusal> ApplicationDirectory::remove_issued_key(
    std::string_view key_manager, std::string_view consumer_key) {
  std::erase_if(issued_keys_, [&](const IssuedKey& issued) {
    return issued.key.key_manager == key_manager && issued.key.consumer_key == consumer_key;
  });
  return rebuild();
}

std::vector<identity::Subscription> ApplicationDirectory::subscriptions() const {
  std::vector<identity::Subscription> list = merged(records_, nullptr);
  std::ranges::sort(list, [](const auto& a, const auto& b) {
    return std::tie(a.application_id, a.api) < std::tie(b.application_id, b.api);
  });
  return list;
}

}  // namespace gatehouse::security
