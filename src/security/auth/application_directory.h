// The applications, their keys and their subscriptions that requests are admitted against, kept
// for the life of the process. It compiles a new SubscriptionStore at each change; the gateway
// hands that store to every worker, beside the snapshot (a request keeps the store it began with).
// Three update paths lead here, and none recompiles an API:
// - a reload: the config file's applications and subscriptions;
// - the admin listener: an application made or removed, one subscription put or removed. Such a
//   change stays on top of the file's records, across reloads. The file's application wins over
//   a registered one of the same id;
// - the built-in key manager: a key made for an application (or removed) through the admin
//   listener, added to its application across reloads.
// The key manager's store keeps the listener's applications and changes and the keys across
// restarts: the gateway hands them here at start, before the first prepare().
//
// It also numbers the APIs for the stores (identity::ApiId), once for the process, so that an
// auth policy compiled with a snapshot finds its API in every later store.
//
// Used on the control thread only.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/error.h"
#include "config/security_model.h"
#include "security/identity/interner.h"
#include "security/identity/records.h"
#include "security/identity/subscription_store.h"

namespace gatehouse::security {

using SubscriptionsPtr = std::shared_ptr<const identity::SubscriptionStore>;

// A key the built-in key manager made for an application.
struct IssuedKey {
  std::string application_id;
  identity::ApplicationKey key;
};

// A subscription change through the admin listener: the subscription put, or (nullopt) removed.
struct SubscriptionChange {
  std::string application_id;
  std::string api;
  std::optional<identity::Subscription> subscription;
};

// Why a change through the admin listener was refused.
struct DirectoryRefusal {
  enum Kind {
    not_found,
    invalid,
    conflict,  // an application of that id exists; or it is the file's, changed only there
  } kind;
  std::string message;
};

class ApplicationDirectory {
 public:
  // Builds the store for the config's records with the admin listener's changes on top, or
  // returns the config's errors, located. Nothing changes until commit(): a reload whose APIs
  // fail to compile keeps the store in use.
  std::expected<void, config::ConfigErrors> prepare(const config::SecurityConfig& security);
  // Makes the store of the last prepare() the current one.
  void commit();

  // The admin listener's update path: each returns the new current store.
  std::expected<SubscriptionsPtr, DirectoryRefusal> put(identity::Subscription subscription);
  std::expected<SubscriptionsPtr, DirectoryRefusal> remove(std::string_view application_id,
                                                           std::string_view api);

  // What the key manager's store kept from earlier runs: before the first prepare().
  void set_issued_keys(std::vector<IssuedKey> keys) { issued_keys_ = std::move(keys); }
  void set_registered_applications(std::vector<identity::Application> applications) {
    registered_ = std::move(applications);
  }
  void set_changes(const std::vector<SubscriptionChange>& changes);

  // An application made while the gateway runs (its keys come as issued keys), refused if the
  // id is taken; and one removed, with its keys and subscription changes. The file's
  // applications are changed only in the file.
  std::expected<SubscriptionsPtr, DirectoryRefusal> put_registered_application(
      identity::Application application);
  std::expected<SubscriptionsPtr, DirectoryRefusal> remove_registered_application(
      std::string_view id);
  // Whether the current records' application of this id was made through the admin listener
  // (else the file declares it, or there is none).
  bool is_registered(std::string_view id) const;
  // The current records' applications, the file's and the registered ones, their keys with the
  // issued keys added, in order of id.
  std::vector<identity::Application> applications() const;

  // A key made, or one removed (by key manager and consumer key), while the gateway runs.
  std::expected<SubscriptionsPtr, DirectoryRefusal> put_issued_key(IssuedKey key);
  std::expected<SubscriptionsPtr, DirectoryRefusal> remove_issued_key(
      std::string_view key_manager, std::string_view consumer_key);
  // Whether the current records have an application of this id.
  bool has_application(std::string_view id) const;

  // Null before the first commit().
  const SubscriptionsPtr& current() const { return current_; }
  // The subscriptions the current store holds, the admin listener's changes applied.
  std::vector<identity::Subscription> subscriptions() const;
  // How many stores were made current: one per reload and per change.
  uint64_t updates() const { return updates_; }

  // The id of an API ("Name:Version") in every store, now and later.
  identity::ApiId api_id(std::string_view name_version) { return api_ids_.intern(name_version); }

 private:
  using SubscriptionKey = std::pair<std::string, std::string>;  // application id, API
  struct Records {
    std::vector<identity::Application> applications;
    std::vector<identity::Subscription> subscriptions;  // the file's; changes_ go on top
  };

  // The file's subscriptions with changes_ on top; `file_index`, if given, gets for each of the
  // file's that remains its position in the file (they come first, in order).
  std::vector<identity::Subscription> merged(const Records& records,
                                             std::vector<size_t>* file_index) const;
  // The file's applications and, after them, the registered ones whose id the file has not.
  std::vector<identity::Application> with_registered(
      const std::vector<identity::Application>& from_file) const;
  // The applications with the key manager's keys added, each to its application (if the
  // applications have it, and it does not list that key itself).
  std::vector<identity::Application> with_issued_keys(
      const std::vector<identity::Application>& applications) const;
  // The current records' store again, after a change of the issued keys.
  std::expected<SubscriptionsPtr, DirectoryRefusal> rebuild();
  // A numbered store of these records, their APIs interned first.
  std::expected<SubscriptionsPtr, identity::StoreErrors> build(
      const std::vector<identity::Application>& applications,
      const std::vector<identity::Subscription>& subscriptions);
  std::expected<SubscriptionsPtr, DirectoryRefusal> apply_change(
      const SubscriptionKey& key, std::optional<identity::Subscription> change);

  identity::Interner api_ids_;
  Records records_;
  struct Prepared {
    Records records;
    SubscriptionsPtr store;
  };
  std::optional<Prepared> prepared_;
  // The admin listener's changes by application and API: a subscription, or nullopt if removed.
  absl::flat_hash_map<SubscriptionKey, std::optional<identity::Subscription>> changes_;
  std::vector<IssuedKey> issued_keys_;
  std::vector<identity::Application> registered_;  // without keys: those are issued keys
  SubscriptionsPtr current_;
  uint64_t updates_ = 0;
  uint64_t generations_ = 0;  // stores built, committed or not: each store's own number
};

}  // namespace gatehouse::security
